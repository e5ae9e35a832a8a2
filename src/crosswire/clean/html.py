"""Main text and metadata from an HTML page, through trafilatura (+ htmldate).

One fixed configuration, measured on the article-extraction benchmark
(`crosswire.eval.extraction`): trafilatura's fast mode with `favor_precision` and
without comments, and its full mode (which also compares against its fallback
extractors) only when the fast result is short. The page is parsed once; trafilatura
does not modify the tree it is given, so both passes and the metadata share it.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import trafilatura
import trafilatura.metadata as tmeta
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.settings import DEFAULT_CONFIG, Document
from trafilatura.utils import load_html

# Precision over recall: comments, share bars and teaser blocks cost more F1 than the
# rare cut paragraph (91-page benchmark, fast mode: F1 0.966 with trafilatura's
# defaults, 0.972 with these); tables stay, as dropping them cost recall.
_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}
# Below this many characters the fast pass has often cut the article short; the full
# pass compares trafilatura's result with readability/jusText and keeps the better one.
SHORT_TEXT_CHARS = 1000
# trafilatura's own threshold for a usable extraction (settings.cfg)
MIN_EXTRACTED_SIZE = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
# htmldate writes a time and an offset only when the page gave them; a found date
# without a time comes out as midnight with no offset.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_ONLY = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00$")
_PUBLISHED_XPATH = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @itemprop='datePublished' or @property='og:published_time'"
    " or @name='parsely-pub-date' or @name='pubdate' or @name='publish-date']/@content"
    " | //time[@itemprop='datePublished']/@datetime"
)
_JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
_LANGUAGE_XPATH = (
    "/html/@lang | /html/@xml:lang"
    " | //meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content"
    " | //meta[@property='og:locale']/@content"
)
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class HtmlExtract:
    text: str  # main text, one paragraph per line
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601: date only, or date-time with offset when the page gives one
    sitename: str | None = None
    url: str | None = None
    language: str | None = None  # as the page declares it (primary subtag), not detected
    # "fast" or "full": which trafilatura pass produced the text
    mode: str = "fast"


def extract_html(html: str, url: str | None = None) -> HtmlExtract | None:
    """Return the page's main text and metadata, or None when no main text was found."""
    tree = load_html(_as_document(html))
    if tree is None:
        return None
    text, mode = _main_text(tree, url)
    if not text:
        return None
    meta = _metadata(tree, url)
    return HtmlExtract(
        text=_drop_leading_title(text, meta.title),
        title=meta.title,
        author=meta.author,
        date=_published(tree, meta.date),
        sitename=meta.sitename,
        url=meta.url or url,
        language=_declared_language(tree),
        mode=mode,
    )


_DOCUMENT_START = re.compile(r"<(?:!doctype|html|head|body)\b", re.IGNORECASE)


def _as_document(html: str) -> str:
    # Feeds and CMS exports carry body fragments ("<p>...</p>"), which trafilatura
    # cannot parse as a page; wrapping them keeps their text.
    if _DOCUMENT_START.search(html[:2000]):
        return html
    return f"<html><body><article>{html}</article></body></html>"


def _main_text(tree: HtmlElement, url: str | None) -> tuple[str, str]:
    """Fast pass first; the full pass only when the fast one found little or nothing."""
    fast = _extract_text(tree, url, fast=True)
    if len(fast) >= SHORT_TEXT_CHARS:
        return fast, "fast"
    full = _extract_text(tree, url, fast=False)
    # the full pass ends in a take-all-text baseline; alone, a scrap of it (a nav link
    # on a page without an article) is not an article
    if not fast and len(full) < MIN_EXTRACTED_SIZE:
        return "", "full"
    return (full, "full") if len(full) > len(fast) else (fast, "fast")


def _extract_text(tree: HtmlElement, url: str | None, *, fast: bool) -> str:
    doc = trafilatura.bare_extraction(tree, url=url, fast=fast, **_OPTIONS)
    if not isinstance(doc, Document) or not doc.text:
        return ""
    return str(doc.text).strip()


def _metadata(tree: HtmlElement, url: str | None) -> Document:
    """trafilatura's `extract_metadata` steps, less categories, tags and licence.

    Those three scan the whole tree, cost about 15% of a page's time, and no stage of
    crosswire uses them.
    """
    meta = tmeta.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single word is a handle or a site name, not a byline
    with contextlib.suppress(Exception):  # malformed JSON-LD must not lose the page
        meta = tmeta.extract_meta_json(tree, meta)
    meta.title = meta.title or tmeta.extract_title(tree)
    meta.author = meta.author or tmeta.extract_author(tree)
    meta.url = meta.url or tmeta.extract_url(tree, url)
    meta.date = find_date(tree, url=meta.url, **_date_params())
    meta.sitename = _sitename(tree, meta)
    meta.clean_and_trim()  # entities, control characters, stray spaces
    return meta


def _date_params() -> dict[str, Any]:
    return {
        "original_date": True,
        "extensive_search": True,
        "outputformat": _DATE_FORMAT,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
    }


def _sitename(tree: HtmlElement, meta: Document) -> str | None:
    name = meta.sitename or tmeta.extract_sitename(tree)
    if name:
        name = str(name).lstrip("@")  # a Twitter handle
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name or None
    if meta.url:
        host = tmeta.META_URL.match(meta.url)
        return host[1] if host else None
    return None


def _normalise(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()


def _drop_leading_title(text: str, title: str | None) -> str:
    """The headline is kept in `title`; repeated as the body's first line it is clutter."""
    if not title:
        return text
    lines = text.split("\n")
    if len(lines) > 1 and _normalise(lines[0]) == _normalise(title):
        return "\n".join(lines[1:]).strip()
    return text


def _published(tree: HtmlElement, found: str | None) -> str | None:
    """htmldate's publication date, upgraded to the page's own timestamp with offset.

    htmldate sometimes settles on a date-only source (the URL, a visible date) while
    the page's metadata holds the exact time with its zone; that timestamp is used when
    it agrees with htmldate's date to within a day (zones shift the calendar day).
    """
    date_found = _parse_htmldate(found)
    if isinstance(date_found, datetime) and date_found.tzinfo is not None:
        return _iso(date_found)
    day = date_found.date() if isinstance(date_found, datetime) else date_found
    for candidate in _published_candidates(tree):
        if day is None or abs(candidate.date() - day) <= timedelta(days=1):
            return _iso(candidate)
    return _iso(date_found) if date_found is not None else None


def _iso(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def _parse_htmldate(found: str | None) -> date | datetime | None:
    if not found:
        return None
    date_only = _DATE_ONLY.match(found)
    try:
        if date_only:
            return date.fromisoformat(date_only.group(1))
        return datetime.fromisoformat(found)
    except ValueError:
        return None


def _published_candidates(tree: HtmlElement) -> list[datetime]:
    """Timezone-aware publication timestamps the page states, in document order."""
    values = [str(v) for v in tree.xpath(_PUBLISHED_XPATH)]
    values.extend(_json_ld_published(tree))
    found = []
    for value in values:
        moment = _aware_timestamp(value)
        if moment is not None:
            found.append(moment)
    return found


def _aware_timestamp(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _json_ld_published(tree: HtmlElement) -> list[str]:
    values: list[str] = []
    for script in tree.xpath(_JSON_LD_XPATH):
        try:
            data = json.loads(str(script))
        except (ValueError, RecursionError):  # malformed or absurdly nested: no date there
            continue
        _collect_key(data, "datePublished", values)
    return values


def _collect_key(data: Any, key: str, into: list[str]) -> None:
    """Every string value of `key` in a JSON tree, in document order.

    A loop with a stack rather than recursion: JSON that `json.loads` just managed to
    read could still be nested deep enough to overflow a recursive walk.
    """
    found = object()  # marks a value of `key` on the stack, kept in document order
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple) and node and node[0] is found:
            into.append(node[1])
        elif isinstance(node, dict):
            stack.extend(
                (found, value) if name == key and isinstance(value, str) else value
                for name, value in reversed(node.items())
            )
        elif isinstance(node, list):
            stack.extend(reversed(node))


def _declared_language(tree: HtmlElement) -> str | None:
    """The page's declared language as a lower-case primary subtag ("en-US" -> "en")."""
    for value in tree.xpath(_LANGUAGE_XPATH):
        match = _LANGUAGE_TAG.match(str(value).strip())
        if match:
            return match.group(1).lower()
    return None
