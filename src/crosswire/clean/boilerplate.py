"""Lines a site repeats on many of its pages: boilerplate learned over a batch.

Rules about one page miss a site's own furniture ("Harbor Ledger is proudly
independent since 1921."), but a line that recurs on the pages of many *different*
articles of one site is not article text. The catch is copies: the same wire story
saved three times, revisions of one URL, or a folder that mixes outlets republishing
one agency story all share real paragraphs. So pages that share substantial article
lines are first merged into one article, and a line counts as boilerplate only when
it recurs across `MIN_ARTICLES` distinct articles. `clean/sites.py` carries the same
counts from one micro-batch to the next.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from crosswire.unionfind import UnionFind

# a line on this many distinct articles of one site is the site's, not the article's
MIN_ARTICLES = 3
# lines this long are paragraphs; site furniture is shorter, and wire paragraphs that
# recur across a site's updates of one story must not be mistaken for it
MAX_BOILERPLATE_CHARS = 250
# two pages sharing this many long lines, and more than this share of all their long
# lines (Jaccard), are copies of one article: one or two shared lines could be a
# site's long promo blurbs, which must not merge all its pages into one, while copies
# (even trimmed ones) share most of their paragraphs
LINK_SHARED_LINES = 2
LINK_SHARED_SHARE = 0.5
LINK_MIN_WORDS = 12


def normalise_line(line: str) -> str:
    """The form under which lines are compared across pages."""
    return " ".join(line.split()).casefold()


def counted_lines(page: SitePage) -> set[str]:
    """The normalised lines of PAGE that can be site furniture (short, not blank)."""
    return {n for n in map(normalise_line, page.lines) if n and len(n) <= MAX_BOILERPLATE_CHARS}


def linking_lines(page: SitePage) -> set[str]:
    """The normalised long content lines of PAGE, the ones that show copies."""
    return {n for n in map(normalise_line, page.content) if len(n.split()) >= LINK_MIN_WORDS}


def is_copy(shared: int, lines_a: int, lines_b: int) -> bool:
    """Whether two pages with LINES_A and LINES_B long lines, SHARED of them in common,
    are copies of one article (the batch learner's link, also used across batches)."""
    return shared >= LINK_SHARED_LINES and shared > LINK_SHARED_SHARE * (lines_a + lines_b - shared)


@dataclass(frozen=True, slots=True)
class SitePage:
    """One page as the learner sees it.

    `lines` are all its lines; `content` those no per-page rule removed, which are the
    ones that can show two pages to be copies of one article.
    """

    site: str | None
    lines: Sequence[str]
    content: Sequence[str]


@dataclass(frozen=True, slots=True)
class RepeatedLines:
    """Normalised boilerplate lines per site key, as learned from a batch."""

    by_site: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_repeated(self, site: str | None, line: str) -> bool:
        if site is None:
            return False
        lines = self.by_site.get(site)
        return lines is not None and normalise_line(line) in lines


def learn_repeated_lines(pages: Iterable[SitePage]) -> RepeatedLines:
    """Boilerplate lines of every site in the batch."""
    by_site: dict[str, list[SitePage]] = defaultdict(list)
    for page in pages:
        if page.site is not None:
            by_site[page.site].append(page)
    learned = {site: _site_boilerplate(site_pages) for site, site_pages in by_site.items()}
    return RepeatedLines({site: lines for site, lines in sorted(learned.items()) if lines})


def _site_boilerplate(pages: Sequence[SitePage]) -> frozenset[str]:
    if len(pages) < MIN_ARTICLES:
        return frozenset()
    article_of = article_ids(pages)
    articles_with: dict[str, set[int]] = defaultdict(set)
    for index, page in enumerate(pages):
        for line in counted_lines(page):
            articles_with[line].add(article_of[index])
    return frozenset(line for line, ids in articles_with.items() if len(ids) >= MIN_ARTICLES)


def article_ids(pages: Sequence[SitePage]) -> list[int]:
    """For each page, the id of the article it is a copy of (union-find over shared lines)."""
    uf = UnionFind(len(pages))
    for first, second in _copy_pairs(pages):
        uf.union(first, second)
    return [uf.find(index) for index in range(len(pages))]


def _copy_pairs(pages: Sequence[SitePage]) -> list[tuple[int, int]]:
    pages_with: dict[str, set[int]] = defaultdict(set)
    long_lines = [0] * len(pages)
    for index, page in enumerate(pages):
        for line in linking_lines(page):
            pages_with[line].add(index)
            long_lines[index] += 1
    # Each line's holders are chained (first with second, second with third, ...)
    # rather than paired all with all: copies still link through the chain, and a line
    # on thousands of pages costs linear time, not quadratic.
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for holders in pages_with.values():
        ordered = sorted(holders)
        for pair in pairwise(ordered):
            shared[pair] += 1
    return sorted(
        (a, b) for (a, b), count in shared.items() if is_copy(count, long_lines[a], long_lines[b])
    )
