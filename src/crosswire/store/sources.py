"""What the live sources keep in the store: feeds, their entries, a watched folder's files.

The watcher reads and writes these through `SourceLog`; the engine's own tables are not
touched here. Each write is one short transaction under the store's writer lock, so a
watcher killed between two leaves every feed as its last commit said.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, fields

from sqlalchemy import select

from crosswire.model import FeedState, SeenEntry
from crosswire.store.schema import entries, feeds, seen_files
from crosswire.store.sql import Store, _now

_FEED_COLUMNS = tuple(f.name for f in fields(FeedState))
# rows per IN (...) lookup: under SQLite's variable limit, small for PostgreSQL plans
_LOOKUP = 500


class SourceLog:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------ feeds

    def add_feeds(self, urls: Mapping[str, str | None]) -> list[FeedState]:
        """Follow the feeds URLS (url -> outlet or None); a feed already followed keeps its
        state and takes a newly given outlet. Returns every feed, in URL order."""
        now = _now()
        known = {f.url: f for f in self.feeds()}
        with self.store._write() as conn:
            for url, outlet in urls.items():
                state = known.get(url)
                if state is None:
                    conn.execute(feeds.insert().values(url=url, outlet=outlet, added_at=now))
                elif outlet and outlet != state.outlet:
                    conn.execute(feeds.update().where(feeds.c.url == url).values(outlet=outlet))
        return self.feeds()

    def feeds(self) -> list[FeedState]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(feeds).order_by(feeds.c.url)).mappings().all()
        return [FeedState(**{name: row[name] for name in _FEED_COLUMNS}) for row in rows]

    def save_feed(self, state: FeedState) -> None:
        values = asdict(state)
        url = values.pop("url")
        with self.store._write() as conn:
            conn.execute(feeds.update().where(feeds.c.url == url).values(**values))

    # ------------------------------------------------------------ entries

    def entries(self, feed: str, keys: Sequence[str]) -> dict[str, SeenEntry]:
        """The stored entries of FEED among KEYS, by key."""
        found: dict[str, SeenEntry] = {}
        with self.store.engine.connect() as conn:
            for i in range(0, len(keys), _LOOKUP):
                chunk = list(keys[i : i + _LOOKUP])
                rows = conn.execute(
                    select(entries).where(entries.c.feed == feed, entries.c.key.in_(chunk))
                ).mappings()
                for row in rows:
                    found[row["key"]] = SeenEntry(**dict(row))
        return found

    def save_entries(self, items: Iterable[SeenEntry]) -> None:
        rows = [asdict(item) for item in items]
        if not rows:
            return
        stmt = self.store._upsert(entries)
        stmt = stmt.on_conflict_do_update(
            index_elements=[entries.c.feed, entries.c.key],
            set_={
                name: stmt.excluded[name]
                for name in ("url", "last_seen", "content_hash", "article")
            },
        )
        with self.store._write() as conn:
            conn.execute(stmt, rows)

    # ------------------------------------------------------------ watched folders

    def seen_files(self, paths: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(size, mtime_ns) each of PATHS had when it was last read, by path."""
        found: dict[str, tuple[int, int]] = {}
        with self.store.engine.connect() as conn:
            for i in range(0, len(paths), _LOOKUP):
                chunk = list(paths[i : i + _LOOKUP])
                rows = conn.execute(select(seen_files).where(seen_files.c.path.in_(chunk)))
                for row in rows:
                    found[row.path] = (int(row.size), int(row.mtime_ns))
        return found

    def save_seen_files(self, files: Mapping[str, tuple[int, int]]) -> None:
        if not files:
            return
        now = _now()
        stmt = self.store._upsert(seen_files)
        stmt = stmt.on_conflict_do_update(
            index_elements=[seen_files.c.path],
            set_={name: stmt.excluded[name] for name in ("size", "mtime_ns", "seen_at")},
        )
        rows = [
            {"path": p, "size": size, "mtime_ns": mtime, "seen_at": now}
            for p, (size, mtime) in sorted(files.items())
        ]
        with self.store._write() as conn:
            conn.execute(stmt, rows)
