"""Following live sources: due feeds and a watched folder, pass after pass, into the engine.

`Watcher.poll` is one pass. It fetches each feed that is due (conditional GET, politely,
through `Fetcher`), reads the entries it has not stored yet or whose text changed,
fetches their pages, takes the files a watched folder gained, and hands everything to
the engine as one micro-batch (`pipeline.commit_batch`), committed with the feeds' new
state. `Watcher.run` repeats passes until told to stop, sleeping until the next feed is
due. `crosswire add` is one pass over URLs given once.

Decisions:
- A feed is never dropped: every failure moves its next fetch by `backoff.failure_delay`
  (Retry-After honoured), counts in `errors_in_row` and is shown by `crosswire feeds`;
  the first success resets it. A document that is not a feed counts as "unparseable",
  the hard schedule.
- An entry whose page cannot be fetched (403, a paywall, robots.txt, a timeout) keeps the
  feed's own text, and the article's "text" provenance says so; an entry with neither
  is reported and retried on the next pass that sees it changed.
- An entry is skipped when its stored text hash is the same. With another hash it is
  read again and counted as a revision; the article it gives is stored beside the
  first one (keeping one article with its history is the revisions step, not built yet).
- Stopping (SIGTERM, Ctrl-C) is checked between two items: the items read so far are
  committed, so a stop loses no fetched work and leaves no feed half-saved.
- A watched folder's file is taken once its size and mtime have held for `SETTLE_S`
  (a file still being written is left for the next pass), and again when either
  changes.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import xxhash

from crosswire import pipeline
from crosswire.claims import ReadCache
from crosswire.ingest import discover, read_files
from crosswire.ingest.reader import decode_page
from crosswire.model import FeedState, InputError, RawDoc, SeenEntry
from crosswire.sources.backoff import FailureKind, failure_delay, success_delay
from crosswire.sources.feeds import Entry, FeedError, parse_feed
from crosswire.sources.fetch import FEED_TYPES, Fetcher, FetchResult
from crosswire.store import Store
from crosswire.store.sources import SourceLog

DEFAULT_INTERVAL_S = 15 * 60.0
# a watched file modified this recently may still be being written
SETTLE_S = 1.0


@dataclass(slots=True)
class PassStats:
    """What one pass did, for the live display and the tests."""

    feeds_due: int = 0
    feeds_fetched: int = 0
    feeds_unchanged: int = 0
    entries_new: int = 0
    entries_revised: int = 0
    pages_fetched: int = 0
    files: int = 0
    articles: int = 0  # articles the pass analyzed
    new_articles: int = 0  # of those, new to the store
    errors: list[InputError] = field(default_factory=list)
    stopped: bool = False


@dataclass(slots=True)
class _Found:
    """A document read this pass, and the entry it answers (None for a file)."""

    doc: RawDoc | None  # None: an entry read but giving no text, kept so it is not refetched
    entry: SeenEntry | None = None


@dataclass(frozen=True, slots=True)
class _Pending:
    """A new or changed entry whose page is still to fetch."""

    feed: FeedState
    entry: Entry
    seen: SeenEntry
    revises: str | None = None  # the article an earlier text of the entry gave


T = TypeVar("T")


def by_turns(items: Sequence[T], url_of: Callable[[T], str]) -> list[T]:
    """ITEMS reordered so that hosts take turns (each host's own order kept): one thread
    then waits a host's delay once per round of hosts, not once per request."""
    queues: dict[str | None, list[T]] = {}
    for item in items:
        queues.setdefault(_host(url_of(item)), []).append(item)
    rounds = [q[::-1] for q in queues.values()]
    ordered: list[T] = []
    while rounds:
        for q in rounds:
            ordered.append(q.pop())
        rounds = [q for q in rounds if q]
    return ordered


def entry_hash(entry: Entry) -> str:
    return xxhash.xxh3_128_hexdigest(f"{entry.title or ''}\n{entry.html or ''}".encode())


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).replace(microsecond=0).isoformat()


class Watcher:
    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        *,
        interval: float = DEFAULT_INTERVAL_S,
        folder: Path | None = None,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        on_progress: Callable[[PassStats], None] | None = None,
        feeds: Iterable[str] | None = None,
    ) -> None:
        self.store = store
        self.log = SourceLog(store)
        self.fetcher = fetcher
        self.interval = interval
        self.folder = folder
        self.clock = clock
        self.rng = rng
        self.on_progress = on_progress or (lambda stats: None)
        # the feeds this watcher follows (a feeds file's); None: every feed in the store
        self.only = None if feeds is None else set(feeds)
        self.progress = pipeline.Progress()
        self.timings: dict[str, float] = {}
        # parses of the originals of recently touched stories, kept from pass to pass
        self.reads = ReadCache()
        self.models = pipeline.StageModels()
        self._pending_files: dict[str, tuple[int, int]] = {}
        self._told: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ passes

    def run(self, stop: threading.Event) -> None:
        """Passes until STOP is set; between two, sleep until a feed is due."""
        while not stop.is_set():
            self.poll(stop)
            if stop.is_set():
                return
            stop.wait(self.seconds_to_next())

    def seconds_to_next(self) -> float:
        now = self.clock()
        due = [f.next_fetch for f in self._followed()]
        wait = min([max(0.0, d - now) for d in due], default=self.interval)
        if self.folder is not None:
            wait = min(wait, max(SETTLE_S, min(self.interval, 5.0)))
        return wait

    def _followed(self) -> list[FeedState]:
        return [f for f in self.log.feeds() if self.only is None or f.url in self.only]

    def poll(self, stop: threading.Event | None = None) -> PassStats:
        """One pass: fetch the feeds that are due and the folder's new files, analyze
        what they brought as one micro-batch and commit it with the feeds' state."""
        stop = stop or threading.Event()
        stats = PassStats()
        states: list[FeedState] = []
        pending: list[_Pending] = []
        now = self.clock()
        due = [f for f in self._followed() if f.next_fetch <= now]
        stats.feeds_due = len(due)
        for feed in by_turns(due, lambda f: f.url):
            if stop.is_set():
                stats.stopped = True
                break
            pending.extend(self._poll_feed(feed, stats))
            states.append(feed)
            self.on_progress(stats)
        found = self._fetch_pages(pending, stats, stop)
        if self.folder is not None and not stop.is_set():
            found.extend(self._poll_folder(stats))
        self._commit(found, states, stats)
        self.on_progress(stats)
        return stats

    def _fetch_pages(
        self, pending: list[_Pending], stats: PassStats, stop: threading.Event
    ) -> list[_Found]:
        """The pages of PENDING entries, one host after another in turn: the per-host
        delay then runs while other hosts are asked, instead of once per page."""
        found: list[_Found] = []
        for item in by_turns(pending, lambda p: p.entry.url or p.feed.url):
            if stop.is_set():
                stats.stopped = True
                break
            doc = self._entry_doc(item.feed, item.entry, stats, item.revises)
            found.append(_Found(doc, item.seen))
            self.on_progress(stats)
        return found

    def add_urls(self, urls: Sequence[str], outlet: str | None = None) -> PassStats:
        """Fetch URLS once: a page is an article, a feed gives its entries' pages."""
        stats = PassStats()
        found: list[_Found] = []
        for url in urls:
            result = self.fetcher.fetch(url, kind="page")
            if result.error == "bad_content_type":
                result = self.fetcher.fetch(url, kind="feed")
            if not result.ok or result.body is None:
                stats.errors.append(InputError(url, _failure(result)))
                continue
            if result.content_type in FEED_TYPES and result.content_type != "text/html":
                feed = FeedState(url=url, outlet=outlet)
                try:
                    pending = self._entries(feed, result, stats)
                except FeedError as exc:
                    stats.errors.append(InputError(url, str(exc)))
                    continue
                found.extend(self._fetch_pages(pending, stats, threading.Event()))
                continue
            stats.pages_fetched += 1
            # the same URL fetched again: a new text there is a revision of its article
            at = self.store.articles_at([result.final_url])
            found.append(_Found(self._page_doc(result, outlet, None, at.get(result.final_url))))
        self._commit(found, [], stats)
        return stats

    # ------------------------------------------------------------ feeds

    def _poll_feed(self, feed: FeedState, stats: PassStats) -> list[_Pending]:
        now = self.clock()
        feed.last_fetch = _iso(now)
        result = self.fetcher.fetch(
            feed.url,
            kind="feed",
            etag=feed.etag,
            last_modified=feed.last_modified,
            previous_hash=feed.body_hash,
        )
        if not result.ok:
            self._failed(feed, result.error or "connection", _failure(result), result.retry_after)
            stats.errors.append(InputError(f"feed {feed.url}", _failure(result)))
            return []
        stats.feeds_fetched += 1
        feed.etag, feed.last_modified = result.etag, result.last_modified
        if result.not_modified or result.body is None:
            stats.feeds_unchanged += 1
            self._succeeded(feed, result)
            return []
        try:
            found = self._entries(feed, result, stats)
        except FeedError as exc:
            self._failed(feed, "unparseable", str(exc), None)
            stats.errors.append(InputError(f"feed {feed.url}", str(exc)))
            return []
        self._succeeded(feed, result)
        return found

    def _entries(self, feed: FeedState, result: FetchResult, stats: PassStats) -> list[_Pending]:
        """The entries of a fetched feed that are new or whose text changed."""
        assert result.body is not None
        parsed = parse_feed(result.body, result.final_url, result.content_type)
        feed.title = parsed.title or feed.title
        for problem in parsed.problems:
            stats.errors.append(InputError(f"feed {feed.url}", problem))
        stored = self.log.entries(feed.url, [e.key for e in parsed.entries])
        now = _iso(self.clock())
        pending: list[_Pending] = []
        for entry in parsed.entries:
            digest = entry_hash(entry)
            before = stored.get(entry.key)
            if before is not None and before.content_hash == digest:
                continue
            if before is None:
                stats.entries_new += 1
            else:
                stats.entries_revised += 1
            first = before.first_seen if before else now
            seen = SeenEntry(feed.url, entry.key, entry.url, digest, None, first, now)
            pending.append(_Pending(feed, entry, seen, before.article if before else None))
        return pending

    def _entry_doc(
        self, feed: FeedState, entry: Entry, stats: PassStats, revises: str | None = None
    ) -> RawDoc | None:
        name = entry.url or f"{feed.url}#{entry.key}"
        note = None
        if entry.url:
            page = self.fetcher.fetch(entry.url, kind="page")
            if page.ok and page.body is not None:
                stats.pages_fetched += 1
                return self._page_doc(page, feed.outlet, entry, revises)
            note = f"feed text: the page could not be fetched ({_failure(page)})"
        else:
            note = "feed text: the entry links to no page"
        if not entry.html:
            stats.errors.append(InputError(name, f"{note}, and the feed gives no text"))
            return None
        return RawDoc(
            input=name,
            kind="html",
            html=entry.html,
            url=entry.url,
            outlet=feed.outlet,
            published=entry.published,
            title=entry.title,
            record_id=entry.key,
            group=_host(entry.url or feed.url),
            note=note,
            revises=revises,
        )

    def _page_doc(
        self,
        page: FetchResult,
        outlet: str | None,
        entry: Entry | None = None,
        revises: str | None = None,
    ) -> RawDoc:
        assert page.body is not None
        html, _ = decode_page(page.body, page.charset)
        return RawDoc(
            input=page.final_url,
            kind="html",
            html=html,
            url=page.final_url,
            outlet=outlet,
            published=entry.published if entry else None,
            title=entry.title if entry else None,
            record_id=entry.key if entry else None,
            group=_host(page.final_url),
            revises=revises,
        )

    def _succeeded(self, feed: FeedState, result: FetchResult) -> None:
        now = self.clock()
        feed.last_success = _iso(now)
        feed.errors_in_row = 0
        feed.body_hash = result.body_hash or feed.body_hash
        feed.next_fetch = now + success_delay(self.interval, self.rng)

    def _failed(
        self, feed: FeedState, kind: FailureKind, message: str, retry_after: float | None
    ) -> None:
        now = self.clock()
        feed.errors_in_row += 1
        feed.last_error, feed.last_error_at = message, _iso(now)
        # a feed is never dropped: the delay grows and is capped, never infinite
        feed.next_fetch = now + failure_delay(kind, feed.errors_in_row, retry_after, self.rng)

    # ------------------------------------------------------------ folder

    def _poll_folder(self, stats: PassStats) -> list[_Found]:
        assert self.folder is not None
        files, errors = discover([self.folder])
        # a folder problem (a file that cannot be listed) is told once, not every pass
        fresh_errors = [e for e in errors if (e.input, e.error) not in self._told]
        self._told.update((e.input, e.error) for e in fresh_errors)
        stats.errors.extend(fresh_errors)
        now = time.time()  # file times are the machine's, whatever clock schedules feeds
        stat: dict[str, tuple[int, int]] = {}
        for src in files:
            try:
                info = src.path.stat()
            except OSError:
                continue  # gone since it was listed; the next pass will not see it
            if now - info.st_mtime >= SETTLE_S:
                stat[str(src.path)] = (info.st_size, info.st_mtime_ns)
        seen = self.log.seen_files(list(stat))
        fresh = [
            src
            for src in files
            if str(src.path) in stat and seen.get(str(src.path)) != stat[str(src.path)]
        ]
        if not fresh:
            return []
        docs, read_errors = read_files(fresh)
        stats.errors.extend(read_errors)
        stats.files += len(fresh)
        self._pending_files = {str(src.path): stat[str(src.path)] for src in fresh}
        return [_Found(doc) for doc in docs]

    # ------------------------------------------------------------ commit

    def _commit(self, found: list[_Found], states: Iterable[FeedState], stats: PassStats) -> None:
        docs = [f.doc for f in found if f.doc is not None]
        inputs = sorted({f.entry.feed for f in found if f.entry} | {"watch"})
        if docs or stats.errors:
            done, new = pipeline.commit_batch(
                docs,
                self.store,
                inputs,
                self.progress,
                self.timings,
                errors=stats.errors,
                reads=self.reads,
                models=self.models,
            )
            stats.articles += len(done.articles)
            stats.new_articles += new
            stats.errors = list(done.errors)  # the fetch errors, then the analysis's
            by_input = {a.input: a.id for a in done.articles}
            brought: dict[str, int] = {}
            entries: list[SeenEntry] = []
            for f in found:
                if f.entry is None:
                    continue
                article = by_input.get(f.doc.input) if f.doc is not None else None
                entries.append(replace(f.entry, article=article))
                if article is not None:
                    brought[f.entry.feed] = brought.get(f.entry.feed, 0) + 1
            self.log.save_entries(entries)
            for state in states:
                state.articles += brought.get(state.url, 0)
        for state in states:
            self.log.save_feed(state)
        if self._pending_files:
            self.log.save_seen_files(self._pending_files)
            self._pending_files = {}


def _host(url: str) -> str | None:
    return urlsplit(url).hostname


def _failure(result: FetchResult) -> str:
    message = result.message or result.error or "failed"
    return message if result.status is None else f"HTTP {result.status}: {message}"
