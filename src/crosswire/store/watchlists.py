"""What digests, feeds and alerts keep in and read from the store (`notify/`).

Watch lists and their alerts are this module's own tables; the engine's tables
(articles, stories, revisions) are only read, for when things arrived: an alert is
about what reached the store since a list's last check, and a feed entry is updated
when its story gains a member, whatever the publication times say. Each write is one
short transaction under the store's writer lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    union_all,
    update,
)

from crosswire.store.schema import article_revisions, articles, metadata
from crosswire.store.sql import Store, _now

# Watch lists (`crosswire alerts`, `notify/alerts.py`): the terms and entity names a
# person follows, where its alerts go, and up to when the store was last checked for it
# (UTC ISO), so that every check looks only at what arrived since the one before.
watchlists = Table(
    "watchlists",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("terms", JSON, nullable=False),
    Column("entities", JSON, nullable=False),
    Column("email", Text),
    Column("webhook", Text),
    Column("created_at", String(40), nullable=False),
    Column("last_checked", String(40), nullable=False),
)

# Every alert a watch list raised, kept for its Atom feed. (watchlist, key) is unique:
# `key` names the event (which conflict, which revision), so an event seen by two
# overlapping checks is stored, and sent, once. A channel's status says whether it was sent
# (`ChannelStatus` below).
watch_alerts = Table(
    "watch_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("watchlist", String(64), nullable=False),
    Column("key", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("story", String(40), nullable=False),
    Column("facet", String(80)),
    Column("raised_at", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("email_status", String(16), nullable=False),
    Column("webhook_status", String(16), nullable=False),
    Column("error", Text),
    UniqueConstraint("watchlist", "key", name="uq_watch_alerts_watchlist_key"),
    Index("ix_watch_alerts_watchlist_raised", "watchlist", "raised_at"),
)

# rows per IN (...) lookup: under SQLite's variable limit, small for PostgreSQL plans
_LOOKUP = 500

# a delivery channel's state: `none` (the list has no such channel), `sending` (a check
# took it on: a check killed mid-delivery leaves it so, and it is not sent again),
# `sent`, `failed` (the error says why), `skipped` (no SMTP server was given)
ChannelStatus = str


class WatchListExists(ValueError):
    """A watch list of that name is stored already."""


@dataclass(frozen=True, slots=True)
class WatchList:
    name: str
    terms: list[str]
    entities: list[str]
    email: str | None
    webhook: str | None
    created_at: str
    last_checked: str  # UTC ISO; a new list's creation time


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert a check found; stored once per (watch list, key)."""

    key: str
    kind: str
    story: str
    facet: str | None
    detail: dict[str, Any]


@dataclass(slots=True)
class StoredAlert:
    id: int
    watchlist: str
    key: str
    kind: str
    story: str
    facet: str | None
    raised_at: str
    detail: dict[str, Any]
    email_status: ChannelStatus
    webhook_status: ChannelStatus
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StoryActivity:
    """When a story's members reached the store: the first, the latest (an article
    revised counts at its revision), and how many it has."""

    story: str
    first_seen: str
    last_seen: str
    members: int


class WatchStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------ watch lists

    def add(self, item: WatchList) -> None:
        with self.store._write() as conn:
            found = conn.execute(
                select(watchlists.c.name).where(watchlists.c.name == item.name)
            ).first()
            if found is not None:
                raise WatchListExists(f"a watch list named {item.name!r} exists already")
            conn.execute(
                insert(watchlists).values(
                    name=item.name,
                    terms=list(item.terms),
                    entities=list(item.entities),
                    email=item.email,
                    webhook=item.webhook,
                    created_at=item.created_at,
                    last_checked=item.last_checked,
                )
            )

    def get(self, name: str) -> WatchList | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(watchlists).where(watchlists.c.name == name)).first()
        return None if row is None else _watchlist(row._mapping)

    def all(self) -> list[WatchList]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(watchlists).order_by(watchlists.c.name)).all()
        return [_watchlist(row._mapping) for row in rows]

    def remove(self, name: str) -> bool:
        """Forget a watch list and its alerts; False when there was none of that name."""
        with self.store._write() as conn:
            gone = conn.execute(delete(watchlists).where(watchlists.c.name == name)).rowcount
            conn.execute(delete(watch_alerts).where(watch_alerts.c.watchlist == name))
        return bool(gone)

    # ------------------------------------------------------------ alerts

    def barrier(self) -> str:
        """Now (UTC ISO), read under the writer lock: every run that stored articles
        before it has committed, and every later one stores them at or after it."""
        with self.store._write():
            return _now()

    def record_check(
        self,
        watchlist: WatchList,
        checked_at: str,
        found: Sequence[NewAlert],
    ) -> list[StoredAlert]:
        """Store the alerts of one check and move the list's last check to CHECKED_AT,
        in one transaction. Returns the alerts that were new (an event whose key is
        stored already was raised by an earlier check), their channels `sending`."""
        email = "sending" if watchlist.email else "none"
        webhook = "sending" if watchlist.webhook else "none"
        new_ids: list[int] = []
        with self.store._write() as conn:
            keys = [a.key for a in found]
            known: set[str] = set()
            for i in range(0, len(keys), _LOOKUP):
                known.update(
                    conn.execute(
                        select(watch_alerts.c.key).where(
                            watch_alerts.c.watchlist == watchlist.name,
                            watch_alerts.c.key.in_(keys[i : i + _LOOKUP]),
                        )
                    ).scalars()
                )
            for alert in found:
                if alert.key in known:
                    continue
                known.add(alert.key)
                result = conn.execute(
                    insert(watch_alerts).values(
                        watchlist=watchlist.name,
                        key=alert.key,
                        kind=alert.kind,
                        story=alert.story,
                        facet=alert.facet,
                        raised_at=checked_at,
                        detail=alert.detail,
                        email_status=email,
                        webhook_status=webhook,
                    )
                )
                key = result.inserted_primary_key
                assert key is not None
                new_ids.append(int(key[0]))
            conn.execute(
                update(watchlists)
                .where(watchlists.c.name == watchlist.name)
                .values(last_checked=checked_at)
            )
        return self.alerts_by_id(new_ids)

    def set_delivery(
        self, ids: Sequence[int], channel: str, status: ChannelStatus, error: str | None = None
    ) -> None:
        """A channel's outcome for the alerts IDS; an error is added to theirs."""
        if not ids:
            return
        column = {"email": "email_status", "webhook": "webhook_status"}[channel]
        with self.store._write() as conn:
            values: dict[str, Any] = {column: status}
            for i in range(0, len(ids), _LOOKUP):
                chunk = list(ids[i : i + _LOOKUP])
                conn.execute(
                    update(watch_alerts).where(watch_alerts.c.id.in_(chunk)).values(values)
                )
                if error:
                    for row in conn.execute(
                        select(watch_alerts.c.id, watch_alerts.c.error).where(
                            watch_alerts.c.id.in_(chunk)
                        )
                    ).all():
                        text = f"{row.error}; {error}" if row.error else error
                        conn.execute(
                            update(watch_alerts)
                            .where(watch_alerts.c.id == row.id)
                            .values(error=text[:2000])
                        )

    def alerts(self, name: str, limit: int = 100) -> list[StoredAlert]:
        """The alerts of watch list NAME, the most recent first."""
        query = (
            select(watch_alerts)
            .where(watch_alerts.c.watchlist == name)
            .order_by(watch_alerts.c.raised_at.desc(), watch_alerts.c.id.desc())
            .limit(limit)
        )
        with self.store.engine.connect() as conn:
            return [_alert(row._mapping) for row in conn.execute(query)]

    def count_alerts(self, name: str) -> int:
        query = select(func.count()).where(watch_alerts.c.watchlist == name)
        with self.store.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def alerts_by_id(self, ids: Sequence[int]) -> list[StoredAlert]:
        found: list[StoredAlert] = []
        with self.store.engine.connect() as conn:
            for i in range(0, len(ids), _LOOKUP):
                query = (
                    select(watch_alerts)
                    .where(watch_alerts.c.id.in_(list(ids[i : i + _LOOKUP])))
                    .order_by(watch_alerts.c.id)
                )
                found.extend(_alert(row._mapping) for row in conn.execute(query))
        return found

    # ------------------------------------------------------------ when things arrived

    def arrivals(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Since when each stored article of ARTICLE_IDS has stood as it is: its last
        revision's time, else when it was first stored (UTC ISO)."""
        found: dict[str, str] = {}
        ids = sorted(set(article_ids))
        with self.store.engine.connect() as conn:
            for i in range(0, len(ids), _LOOKUP):
                chunk = ids[i : i + _LOOKUP]
                found.update(
                    conn.execute(
                        select(articles.c.id, articles.c.first_seen).where(articles.c.id.in_(chunk))
                    ).all()
                )
                revised = (
                    select(article_revisions.c.article, func.max(article_revisions.c.at))
                    .where(article_revisions.c.article.in_(chunk))
                    .group_by(article_revisions.c.article)
                )
                for article, at in conn.execute(revised).all():
                    found[article] = max(found.get(article, at), at)
        return found

    def stories_arrived_since(self, since: str) -> list[str]:
        """The stories that gained or revised a member at or after SINCE (UTC ISO)."""
        gained = select(articles.c.story).where(articles.c.first_seen >= since)
        revised = (
            select(articles.c.story)
            .join(article_revisions, article_revisions.c.article == articles.c.id)
            .where(article_revisions.c.at >= since)
        )
        return self._story_ids(union_all(gained, revised).subquery())

    def stories_published_since(self, since_ts: float, since: str) -> list[str]:
        """The stories holding an article published after SINCE_TS (UTC epoch seconds)
        or revised at or after SINCE (UTC ISO): what a digest may have to tell."""
        published = select(articles.c.story).where(articles.c.published_ts > since_ts)
        revised = (
            select(articles.c.story)
            .join(article_revisions, article_revisions.c.article == articles.c.id)
            .where(article_revisions.c.at >= since)
        )
        return self._story_ids(union_all(published, revised).subquery())

    def _story_ids(self, subquery: Any) -> list[str]:
        query = select(subquery.c.story).where(subquery.c.story.is_not(None)).distinct()
        with self.store.engine.connect() as conn:
            return sorted(s for s in conn.execute(query).scalars() if s is not None)

    def story_activity(self, limit: int) -> list[StoryActivity]:
        """The LIMIT stories whose latest member (or revision) arrived last, latest
        first; stories that arrived together, the latest published first."""
        arrived = select(articles.c.story.label("story"), articles.c.first_seen.label("at")).where(
            articles.c.story.is_not(None)
        )
        revised = select(articles.c.story.label("story"), article_revisions.c.at.label("at")).join(
            article_revisions, article_revisions.c.article == articles.c.id
        )
        events = union_all(arrived, revised).subquery()
        members = (
            select(
                articles.c.story,
                func.count().label("n"),
                func.coalesce(func.max(articles.c.published_ts), 0.0).label("published"),
            )
            .where(articles.c.story.is_not(None))
            .group_by(articles.c.story)
            .subquery()
        )
        last = func.max(events.c.at)
        published = func.max(members.c.published)
        query = (
            select(
                events.c.story,
                func.min(events.c.at).label("first_seen"),
                last.label("last_seen"),
                func.max(members.c.n).label("members"),
            )
            .join(members, members.c.story == events.c.story)
            .group_by(events.c.story)
            .order_by(last.desc(), published.desc(), events.c.story)
            .limit(limit)
        )
        with self.store.engine.connect() as conn:
            return [
                StoryActivity(row.story, row.first_seen, row.last_seen, int(row.members))
                for row in conn.execute(query)
            ]


def _watchlist(row: Any) -> WatchList:
    return WatchList(
        name=row["name"],
        terms=[str(t) for t in row["terms"]],
        entities=[str(e) for e in row["entities"]],
        email=row["email"],
        webhook=row["webhook"],
        created_at=row["created_at"],
        last_checked=row["last_checked"],
    )


def _alert(row: Any) -> StoredAlert:
    return StoredAlert(
        id=int(row["id"]),
        watchlist=row["watchlist"],
        key=row["key"],
        kind=row["kind"],
        story=row["story"],
        facet=row["facet"],
        raised_at=row["raised_at"],
        detail=dict(row["detail"]),
        email_status=row["email_status"],
        webhook_status=row["webhook_status"],
        error=row["error"],
    )
