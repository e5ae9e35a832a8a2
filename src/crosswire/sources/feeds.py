"""Feeds: what a fetched RSS or Atom document says, and the list of feeds to follow.

`parse_feed` turns a feed's bytes into entries and decides nothing about fetching:
the watcher (`sources.watch`) asks the fetcher for each entry's page and hands the
result to the engine as a `RawDoc`.

An entry is known by its guid, else its link, else a hash of its title and content
(the order Miniflux and FreshRSS settle on: guids are meant to be stable, links move
with tracking parameters, and some feeds have neither). The same key with changed
text later is a revision of one article, never a second article.

Feeds in the wild are broken in a few known ways, each reported and survived:
- HTML served where a feed should be (a moved feed now redirects to a home page);
- malformed or truncated XML: feedparser keeps what it read; entries with neither a
  guid nor a link may be the cut-off tail and are dropped, and the rest is kept;
- the same guid twice in one document (the first is kept);
- a feed of many thousands of items (a site's whole archive): the newest
  `MAX_ENTRIES` are read and the rest are named in the report, not silently lost.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import xxhash

# entries read from one feed document, newest first; a feed holding a site's whole
# archive otherwise turns one fetch into hours of page fetches at a polite delay
MAX_ENTRIES = 500


class FeedError(ValueError):
    """A document that holds no feed at all (HTML served as a feed, binary, empty)."""


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # guid, else link, else "h-" + hash of title and content
    url: str | None
    title: str | None
    published: str | None  # ISO 8601 in UTC, as the feed gives it
    html: str | None  # the feed's own text of the entry (content, else summary)


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    entries: list[Entry]
    # what was wrong with the document and what was done about it, for a person
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One line of a feeds file: a URL and, optionally, the outlet it belongs to."""

    url: str
    outlet: str | None = None


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The entries of the feed document BODY fetched from URL, newest first."""
    headers = {"content-type": content_type} if content_type else {}
    parsed: Any = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    if not parsed.get("version"):
        raise FeedError(_not_a_feed(body, parsed))
    problems: list[str] = []
    if parsed.bozo:
        problems.append(
            f"malformed feed ({_one_line(parsed.get('bozo_exception'))}): kept what parsed"
        )
    entries: list[Entry] = []
    seen: set[str] = set()
    cut = duplicates = 0
    for raw in parsed.entries:
        entry = _entry(raw)
        if entry is None or (parsed.bozo and not (raw.get("id") or raw.get("link"))):
            cut += 1
            continue
        if entry.key in seen:
            duplicates += 1
            continue
        seen.add(entry.key)
        entries.append(entry)
    if cut:
        problems.append(f"{cut} entries without a guid or a link in a malformed feed were dropped")
    if duplicates:
        problems.append(
            f"{duplicates} entries repeat a guid already in this feed: the first is kept"
        )
    entries.sort(key=lambda e: e.published or "", reverse=True)
    if len(entries) > MAX_ENTRIES:
        problems.append(
            f"the feed holds {len(entries)} entries: the newest {MAX_ENTRIES} were read"
        )
        entries = entries[:MAX_ENTRIES]
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return ParsedFeed(_clean(title), entries, problems)


def _entry(raw: Any) -> Entry | None:
    title = _clean(raw.get("title"))
    html = _entry_html(raw)
    link = _clean(raw.get("link"))
    guid = _clean(raw.get("id"))
    if guid:
        key = guid
    elif link:
        key = link
    elif title or html:
        digest = xxhash.xxh3_64_hexdigest(f"{title or ''}\n{html or ''}".encode())
        key = "h-" + digest
    else:
        return None
    return Entry(key, link, title, _published(raw), html)


def _entry_html(raw: Any) -> str | None:
    # full content when the feed carries it (Atom content, content:encoded), else the
    # summary; the longest part wins, as a teaser summary often sits beside the content
    parts = [c.get("value") for c in raw.get("content") or [] if c.get("value")]
    summary = raw.get("summary")
    if summary:
        parts.append(summary)
    return max(parts, key=len) if parts else None


def _published(raw: Any) -> str | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = raw.get(name)
        if moment:
            # feedparser gives struct_time in UTC
            return datetime.fromtimestamp(calendar.timegm(moment), UTC).isoformat()
    return None


def _not_a_feed(body: bytes, parsed: Any) -> str:
    head = body[:2048].lstrip().lower()
    if not head:
        return "not a feed: the response is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not a feed: the URL serves an HTML page (has the feed moved?)"
    reason = _one_line(parsed.get("bozo_exception")) if parsed.bozo else "no RSS or Atom root"
    return f"not a feed: {reason}"


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _one_line(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()[:200]


def read_feed_list(path: Path) -> list[FeedSpec]:
    """Feeds from a file of one URL a line, optionally followed by the outlet's name;
    '#' starts a comment. A line that is not an http(s) URL is an error naming it."""
    return parse_feed_list(path.read_text(encoding="utf-8").splitlines(), str(path))


def parse_feed_list(lines: Iterable[str], name: str = "feeds") -> list[FeedSpec]:
    feeds: dict[str, FeedSpec] = {}
    for number, line in enumerate(lines, 1):
        # '#' starts a comment at a line's start or after a space; inside a URL it is
        # the URL's fragment
        text = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not text:
            continue
        url, *rest = text.split(None, 1)
        outlet = rest[0] if rest else ""
        if not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
            raise ValueError(f"{name}:{number}: not an http(s) feed URL: {url!r}")
        feeds.setdefault(url, FeedSpec(url, outlet.strip() or None))
    return list(feeds.values())
