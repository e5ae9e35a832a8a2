"""A site's boilerplate learned across micro-batches: line sightings kept as state.

`learn_repeated_lines` sees one batch. `SiteLines` keeps, per site, what a later batch
needs to go on counting: for each short line (the only ones that can be furniture),
the distinct articles it was seen on, up to `MIN_ARTICLES`; a line that reaches it is
furniture for good. A batch is learned from its own pages plus that state, cleaned with
the combined knowledge, then added (`learn`); `to_dict` is what a caller persists.

Distinct articles across batches. Within a batch, pages that are copies of one article
are merged by the batch learner's test (enough shared long lines, `is_copy`). Across
batches the model remembers, per article, a bottom-k sketch of its long lines' hashes,
and a new page that passes the same test against a remembered article *is* that
article: a wire story saved in three batches counts once, as it does in one batch.
An article's key is a hash of its founding page's content lines, so a page read again
is its own article again even when it is too short to be linked by long lines. So two
pages with identical content that the batch learner left unlinked (too short, or a
trimmed copy between them broke its chain of shared lines) count once here, where the
batch learner counts them twice: the one way a batch on an empty model differs.

Bounded memory: per site `max_lines` candidate lines (singletons dropped before lines
seen twice, the least recently seen first), `max_furniture` furniture lines and
`max_articles` article sketches (least recently seen dropped), and `max_entries` over
all sites (the least recently seen sites forgotten whole). Every table is kept in
recency order, so no clock is stored. What the caps cost: a line recurring less often
than the line horizon (roughly `max_lines` / short lines per page: ~340 pages of the
site at 12) is forgotten between sightings and never becomes furniture, where one
batch holding all those pages would learn it; an article not seen for `max_articles`
articles of its site is no longer recognised, so a late copy of it counts as a new
article (its short paragraphs one step nearer to furniture); a forgotten site starts
again from nothing (its furniture stays on its next two articles).

State is plain data with compact columns: line hashes are xxh3_64 (16 hex digits),
article keys and sketch entries 32-bit (8 hex digits; a key collision makes two
articles one, which only ever keeps a line).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import xxhash

from crosswire.clean.boilerplate import (
    LINK_SHARED_LINES,
    LINK_SHARED_SHARE,
    MIN_ARTICLES,
    RepeatedLines,
    SitePage,
    article_ids,
    counted_lines,
    is_copy,
    linking_lines,
    normalise_line,
)

STATE_VERSION = 1
# long lines kept per article: pages up to this many long lines are compared exactly,
# longer ones through the bottom-k estimate of their Jaccard similarity
SKETCH_LINES = 16
_MASK32 = 0xFFFFFFFF


@dataclass(frozen=True, slots=True)
class SiteLimits:
    """The caps that bound the model's memory: per site, and over all sites."""

    max_lines: int = 4096  # candidate lines (seen on fewer than MIN_ARTICLES articles)
    max_furniture: int = 1024
    max_articles: int = 512  # article sketches, for recognising copies
    # lines, furniture and articles of all sites together; past it the least recently
    # seen sites are forgotten whole
    max_entries: int = 524_288

    def to_dict(self) -> dict[str, int]:
        return {
            "max_lines": self.max_lines,
            "max_furniture": self.max_furniture,
            "max_articles": self.max_articles,
            "max_entries": self.max_entries,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteLimits:
        return cls(**{name: int(data[name]) for name in cls().to_dict()})


def line_hash(line: str) -> int:
    """The 64-bit key of a normalised line."""
    return xxhash.xxh3_64_intdigest(line.encode("utf-8"))


def _hash32(text: str) -> int:
    return xxhash.xxh3_64_intdigest(text.encode("utf-8")) & _MASK32


@dataclass(frozen=True, slots=True)
class _Article:
    sketch: tuple[int, ...]  # the SKETCH_LINES smallest 32-bit hashes of its long lines
    lines: int  # how many long lines it had


def _touch(table: dict[int, Any], key: int, value: Any) -> None:
    """Set KEY to VALUE as the most recently seen: every table is kept in recency
    order (oldest first), so eviction pops from the front and no clock is stored."""
    table.pop(key, None)
    table[key] = value


@dataclass(slots=True)
class _Site:
    furniture: dict[int, None] = field(default_factory=dict)
    # line -> the distinct article keys it was seen on (sorted, fewer than MIN_ARTICLES)
    lines: dict[int, tuple[int, ...]] = field(default_factory=dict)
    articles: dict[int, _Article] = field(default_factory=dict)
    # sketch hash -> article keys holding it (rebuilt from `articles`, never stored)
    postings: dict[int, set[int]] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return len(self.lines) + len(self.furniture) + len(self.articles)

    def add_article(self, key: int, article: _Article) -> None:
        if key in self.articles:
            self.drop_article(key)
        self.articles[key] = article
        for h in article.sketch:
            self.postings.setdefault(h, set()).add(key)

    def drop_article(self, key: int) -> None:
        article = self.articles.pop(key)
        for h in article.sketch:
            holders = self.postings[h]
            holders.discard(key)
            if not holders:
                del self.postings[h]

    def matches(self, long32: set[int]) -> set[int]:
        """The remembered articles a page with these long-line hashes is a copy of."""
        candidates = {key for h in long32 if h in self.postings for key in self.postings[h]}
        return {key for key in candidates if _is_copy_of(long32, self.articles[key])}

    def evict(self, limits: SiteLimits) -> None:
        excess = len(self.lines) - limits.max_lines
        if excess > 0:
            # singletons before lines seen twice (those are nearer to being learned),
            # the least recently seen first
            drop = [h for h, keys in self.lines.items() if len(keys) == 1][:excess]
            if len(drop) < excess:
                twice = [h for h, keys in self.lines.items() if len(keys) > 1]
                drop += twice[: excess - len(drop)]
            for h in drop:
                del self.lines[h]
        for h in list(self.furniture)[: max(0, len(self.furniture) - limits.max_furniture)]:
            del self.furniture[h]
        for key in list(self.articles)[: max(0, len(self.articles) - limits.max_articles)]:
            self.drop_article(key)


def _is_copy_of(page: set[int], article: _Article) -> bool:
    """The batch learner's copy test between a page and a remembered article."""
    if article.lines <= len(article.sketch):  # the sketch is the whole article: exact
        return is_copy(len(page.intersection(article.sketch)), len(page), article.lines)
    # bottom-k: among the k smallest hashes of the union, the share held by both is an
    # unbiased Jaccard estimate; each of them is <= the sketch's largest, so whether
    # the article holds it is known from the sketch alone
    k = len(article.sketch)
    held = set(article.sketch)
    union = heapq.nsmallest(k, held | page)
    jaccard = sum(1 for h in union if h in held and h in page) / k
    shared = jaccard / (1 + jaccard) * (article.lines + len(page))
    return jaccard > LINK_SHARED_SHARE and shared >= LINK_SHARED_LINES


class SiteLines:
    """Per site, the distinct articles each short line was seen on, across batches."""

    def __init__(self, limits: SiteLimits | None = None) -> None:
        self.limits = limits or SiteLimits()
        self._sites: dict[str, _Site] = {}  # in recency order, like every table here

    # ------------------------------------------------------------ decisions

    def learn(self, pages: Iterable[SitePage]) -> RepeatedLines:
        """The furniture of the batch PAGES given what the model holds, then the batch
        added to the model. On an empty model this is `learn_repeated_lines(PAGES)`,
        except that pages with identical content lines always count as one article."""
        by_site: dict[str, list[SitePage]] = defaultdict(list)
        for page in pages:
            if page.site is not None:
                by_site[page.site].append(page)
        learned: dict[str, frozenset[str]] = {}
        for site in sorted(by_site):
            state = self._sites.pop(site, None) or _Site()
            self._sites[site] = state
            lines = _learn_site(state, by_site[site])
            state.evict(self.limits)
            if lines:
                learned[site] = lines
        self._evict_sites(set(by_site))
        return RepeatedLines(learned)

    def seen_on(self, site: str, line: str) -> int:
        """On how many distinct articles of SITE the model has seen LINE, up to
        `MIN_ARTICLES` (furniture); 0 when it holds nothing about it."""
        state = self._sites.get(site)
        if state is None:
            return 0
        h = line_hash(normalise_line(line))
        return MIN_ARTICLES if h in state.furniture else len(state.lines.get(h, ()))

    def _evict_sites(self, current: set[str]) -> None:
        entries = sum(state.entries for state in self._sites.values())
        # the batch's own sites go last, and only when they alone exceed the budget
        order = [name for name in self._sites if name not in current]
        order += [name for name in self._sites if name in current]
        for name in order:
            if entries <= self.limits.max_entries:
                break
            entries -= self._sites.pop(name).entries

    # ------------------------------------------------------------ what it holds

    @property
    def sites(self) -> int:
        return len(self._sites)

    def counts(self, site: str) -> dict[str, int]:
        """How many candidate lines, furniture lines and article sketches SITE holds."""
        state = self._sites.get(site) or _Site()
        return {
            "lines": len(state.lines),
            "furniture": len(state.furniture),
            "articles": len(state.articles),
        }

    # ------------------------------------------------------------ state

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON-ready data: per site, columns of fixed-width hex, each in
        recency order (which is all "least recently seen" needs)."""
        return {
            "version": STATE_VERSION,
            "limits": self.limits.to_dict(),
            "sites": {name: _site_to_dict(state) for name, state in self._sites.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteLines:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported site lines state version {data.get('version')!r}")
        model = cls(SiteLimits.from_dict(data["limits"]))
        for name, raw in data["sites"].items():
            model._sites[str(name)] = _site_from_dict(raw)
        return model


def _learn_site(state: _Site, pages: Sequence[SitePage]) -> frozenset[str]:
    groups = _groups(pages)
    keys, alias = _article_keys(state, groups)
    holders: dict[int, tuple[str, set[int]]] = {}
    for group, key in zip(groups, keys, strict=True):
        for line in group.counted:
            holders.setdefault(line_hash(line), (line, set()))[1].add(key)
    furniture: set[str] = set()
    # in hash order, so that the recency order a batch leaves does not depend on
    # Python's string hashing
    for h in sorted(holders):
        line, found = holders[h]
        if h in state.furniture:
            _touch(state.furniture, h, None)
            furniture.add(line)
            continue
        known = state.lines.pop(h, ())
        seen_on = found.union(alias.get(k, k) for k in known)
        if len(seen_on) >= MIN_ARTICLES:
            _touch(state.furniture, h, None)
            furniture.add(line)
        else:
            state.lines[h] = tuple(sorted(seen_on))
    return frozenset(furniture)


def _article_keys(state: _Site, groups: list[_Group]) -> tuple[list[int], dict[int, int]]:
    """One key per batch article: a remembered article's when it is a copy of one, else
    a hash of its content; and the remembered keys this batch showed to be another
    article's (key -> the one it counts as)."""
    keys: list[int] = []
    alias: dict[int, int] = {}
    # this batch's articles are remembered only after all are keyed: within the batch,
    # copies are the batch learner's groups, so that a batch on an empty model is
    # learned as without one
    founded: dict[int, _Article] = {}
    for group in groups:
        matched = {key for long32 in group.long32 if long32 for key in state.matches(long32)}
        if matched:
            # a group that is a copy of several remembered articles shows them to be
            # one; it counts as the smallest key (any one, but the same every time)
            key = min(matched)
            for other in sorted(matched):
                _touch(state.articles, other, state.articles[other])
                if other != key:
                    alias[other] = key
        else:
            key = group.key
            known = state.articles.get(key)
            if known is not None:
                _touch(state.articles, key, known)
            elif len(group.union32) >= LINK_SHARED_LINES:
                # a page with fewer long lines can never pass the copy test: it is
                # recognised by its key alone and needs no sketch
                sketch = tuple(heapq.nsmallest(SKETCH_LINES, group.union32))
                founded[key] = _Article(sketch, len(group.union32))
        keys.append(key)
    for key, article in founded.items():
        state.add_article(key, article)
    return keys, alias


@dataclass(slots=True)
class _Group:
    """One article of the batch: the pages the batch learner merged as copies."""

    key: int  # the smallest content hash of its pages
    counted: set[str]  # the short lines of its pages
    long32: list[set[int]]  # per page, its long lines' 32-bit hashes
    union32: set[int]


def _groups(pages: Sequence[SitePage]) -> list[_Group]:
    members: dict[int, list[SitePage]] = defaultdict(list)
    for page, root in zip(pages, article_ids(pages), strict=True):
        members[root].append(page)
    groups: list[_Group] = []
    for copies in members.values():
        long32 = [{_hash32(line) for line in linking_lines(page)} for page in copies]
        groups.append(
            _Group(
                key=min(_content_key(page) for page in copies),
                counted=set().union(*(counted_lines(page) for page in copies)),
                long32=long32,
                union32=set().union(*long32),
            )
        )
    return groups


def _content_key(page: SitePage) -> int:
    # the content lines, not all lines: a page saved again with other clutter (a new
    # "most read" list) is the same article
    return _hash32("\n".join(map(normalise_line, page.content)))


# --- compact columns ---------------------------------------------------------------


def _hex(values: Iterable[int], width: int) -> str:
    return "".join(f"{value:0{width}x}" for value in values)


def _unhex(text: str, width: int) -> list[int]:
    if len(text) % width:
        raise ValueError(f"site lines state: a column of {width}-digit hex has {len(text)} digits")
    return [int(text[i : i + width], 16) for i in range(0, len(text), width)]


def _site_to_dict(state: _Site) -> dict[str, Any]:
    return {
        "furniture": _hex(state.furniture, 16),
        "lines": _hex(state.lines, 16),
        # each line's article keys, 8 digits each; lines separated by a space
        "line_articles": " ".join(_hex(keys, 8) for keys in state.lines.values()),
        "articles": _hex(state.articles, 8),
        "article_lines": [article.lines for article in state.articles.values()],
        "article_sketches": " ".join(_hex(a.sketch, 8) for a in state.articles.values()),
    }


def _site_from_dict(raw: Mapping[str, Any]) -> _Site:
    state = _Site()
    state.furniture = dict.fromkeys(_unhex(raw["furniture"], 16))
    lines = _unhex(raw["lines"], 16)
    keys = [tuple(_unhex(t, 8)) for t in raw["line_articles"].split(" ")] if lines else []
    state.lines = dict(zip(lines, keys, strict=True))
    articles = _unhex(raw["articles"], 8)
    sketches = [tuple(_unhex(t, 8)) for t in raw["article_sketches"].split(" ")] if articles else []
    for key, sketch, count in zip(articles, sketches, raw["article_lines"], strict=True):
        state.add_article(key, _Article(sketch, int(count)))
    return state
