"""The watch-list store (`store/watchlists.py`) on SQLite and PostgreSQL alike.

Every test runs on both backends (`store_url` in conftest: PostgreSQL is skipped
locally without its binaries and fails under CI). Arrival times are set by hand where
order matters: the store writes whole seconds, and waiting for seconds to pass would
only slow the suite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, update

from crosswire.model import Article
from crosswire.store import Store
from crosswire.store.schema import article_revisions, articles
from crosswire.store.sql import _MIGRATIONS
from crosswire.store.watchlists import NewAlert, WatchList, WatchListExists, WatchStore

T0 = "2026-03-01T10:00:00+00:00"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    yield opened
    opened.close()


def item(name: str, **kw: object) -> WatchList:
    values: dict[str, object] = {
        "name": name,
        "terms": ["Porto"],
        "entities": ["NIS"],
        "email": None,
        "webhook": None,
        "created_at": T0,
        "last_checked": T0,
    }
    values.update(kw)
    return WatchList(**values)  # type: ignore[arg-type]


def found(key: str, story: str = "s-1") -> NewAlert:
    return NewAlert(key, "conflict", story, f"{story}-f1", {"summary": f"about {key}"})


def article(n: int, story: str, published: str | None = None) -> Article:
    return Article(
        id=f"a-{n:016x}",
        input=f"in{n}.txt",
        text=f"Article number {n} says something about the floods.",
        published=published,
        story=story,
    )


def arrive(store: Store, ids: dict[str, str]) -> None:
    """Set when articles reached the store (tests only: the store writes its own clock)."""
    with store.engine.begin() as conn:
        for article_id, at in ids.items():
            conn.execute(update(articles).where(articles.c.id == article_id).values(first_seen=at))


def test_watch_lists_are_added_listed_and_removed(store: Store) -> None:
    watch = WatchStore(store)
    watch.add(item("porto", email="a@example.org", webhook="https://hooks.example/x"))
    watch.add(item("athens", terms=[], entities=["Acropolis", "Ακρόπολη"]))
    with pytest.raises(WatchListExists):
        watch.add(item("porto"))
    assert [w.name for w in watch.all()] == ["athens", "porto"]
    got = watch.get("athens")
    assert got == item("athens", terms=[], entities=["Acropolis", "Ακρόπολη"])
    assert watch.get("nobody") is None
    watch.record_check(watch.all()[1], "2026-03-02T00:00:00+00:00", [found("k1")])
    assert watch.remove("porto") and not watch.remove("porto")
    assert watch.count_alerts("porto") == 0  # its alerts go with it
    assert [w.name for w in watch.all()] == ["athens"]


def test_a_check_stores_each_event_once_and_moves_the_last_check(store: Store) -> None:
    watch = WatchStore(store)
    watch.add(item("porto", email="a@example.org"))
    watch.add(item("quiet"))
    porto = watch.get("porto")
    assert porto is not None
    new = watch.record_check(porto, "2026-03-02T00:00:00+00:00", [found("k1"), found("k2")])
    assert [(a.key, a.email_status, a.webhook_status) for a in new] == [
        ("k1", "sending", "none"),
        ("k2", "sending", "none"),
    ]
    assert new[0].detail == {"summary": "about k1"}
    # an overlapping check sees k2 again: only k3 is new
    again = watch.record_check(porto, "2026-03-03T00:00:00+00:00", [found("k2"), found("k3")])
    assert [a.key for a in again] == ["k3"]
    assert watch.record_check(porto, "2026-03-04T00:00:00+00:00", [found("k3"), found("k3")]) == []
    assert watch.get("porto") == replace(porto, last_checked="2026-03-04T00:00:00+00:00")
    # the same key in another list is that list's own alert
    quiet = watch.get("quiet")
    assert quiet is not None
    assert [
        a.key for a in watch.record_check(quiet, "2026-03-04T00:00:00+00:00", [found("k1")])
    ] == ["k1"]
    assert [a.key for a in watch.alerts("porto")] == ["k3", "k2", "k1"]  # latest first
    assert [a.key for a in watch.alerts("porto", limit=1)] == ["k3"]
    assert watch.count_alerts("porto") == 3


def test_delivery_outcomes_are_kept_with_their_errors(store: Store) -> None:
    watch = WatchStore(store)
    watch.add(item("porto", email="a@example.org", webhook="https://hooks.example/x"))
    porto = watch.get("porto")
    assert porto is not None
    ids = [a.id for a in watch.record_check(porto, T0, [found("k1"), found("k2")])]
    watch.set_delivery(ids, "email", "sent")
    watch.set_delivery(ids[:1], "webhook", "failed", "webhook: HTTP 500")
    watch.set_delivery(ids[:1], "webhook", "failed", "webhook: again")
    watch.set_delivery(ids[1:], "webhook", "sent")
    first, second = watch.alerts_by_id(ids)
    assert (first.email_status, first.webhook_status) == ("sent", "failed")
    assert first.error == "webhook: HTTP 500; webhook: again"
    assert (second.email_status, second.webhook_status, second.error) == ("sent", "sent", None)


def test_arrivals_count_a_revision_as_the_article_arriving_again(store: Store) -> None:
    watch = WatchStore(store)
    a1, a2, a3 = (
        article(1, "s-1", "2026-03-01T08:00:00+01:00"),
        article(2, "s-1"),
        article(3, "s-2"),
    )
    store.save_articles([a1, a2, a3])
    arrive(
        store, {a1.id: T0, a2.id: "2026-03-02T10:00:00+00:00", a3.id: "2026-03-03T10:00:00+00:00"}
    )
    store.save_articles([replace(a1, text="Article number 1 now says 25, not 20.", revised=True)])
    with store.engine.begin() as conn:
        conn.execute(update(article_revisions).values(at="2026-03-04T10:00:00+00:00"))
    assert watch.arrivals([a1.id, a2.id, a3.id, "a-none"]) == {
        a1.id: "2026-03-04T10:00:00+00:00",
        a2.id: "2026-03-02T10:00:00+00:00",
        a3.id: "2026-03-03T10:00:00+00:00",
    }
    assert watch.stories_arrived_since("2026-03-02T10:00:00+00:00") == ["s-1", "s-2"]
    assert watch.stories_arrived_since("2026-03-03T10:00:00+00:00") == ["s-1", "s-2"]
    assert watch.stories_arrived_since("2026-03-03T10:00:01+00:00") == ["s-1"]  # the revision
    assert watch.stories_arrived_since("2026-03-05T00:00:00+00:00") == []
    # by publication time (a1 was published at 07:00 UTC) or revision
    assert watch.stories_published_since(0.0, "2026-03-05T00:00:00+00:00") == ["s-1"]
    assert watch.stories_published_since(2e9, "2026-03-04T00:00:00+00:00") == ["s-1"]
    assert watch.stories_published_since(2e9, "2026-03-05T00:00:00+00:00") == []


def test_story_activity_is_latest_arrival_first(store: Store) -> None:
    watch = WatchStore(store)
    members = [
        article(1, "s-old", "2026-03-01T00:00:00Z"),
        article(2, "s-grew", "2026-03-01T00:00:00Z"),
        article(3, "s-grew", "2026-03-02T00:00:00Z"),
        article(4, "s-tie-late", "2026-03-03T00:00:00Z"),
        article(5, "s-tie-early", "2026-03-02T12:00:00Z"),
    ]
    store.save_articles(members)
    arrive(
        store,
        {
            members[0].id: "2026-03-01T10:00:00+00:00",
            members[1].id: "2026-03-01T11:00:00+00:00",
            members[2].id: "2026-03-05T10:00:00+00:00",
            members[3].id: "2026-03-04T10:00:00+00:00",
            members[4].id: "2026-03-04T10:00:00+00:00",
        },
    )
    activity = watch.story_activity(10)
    assert [a.story for a in activity] == ["s-grew", "s-tie-late", "s-tie-early", "s-old"]
    grew = activity[0]
    assert (grew.first_seen, grew.last_seen, grew.members) == (
        "2026-03-01T11:00:00+00:00",
        "2026-03-05T10:00:00+00:00",
        2,
    )
    assert [a.story for a in watch.story_activity(2)] == ["s-grew", "s-tie-late"]


def test_the_migration_goes_down_and_up_again(store: Store) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with store._write() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    assert not {"watchlists", "watch_alerts"} & set(inspect(store.engine).get_table_names())
    store.migrate()
    WatchStore(store).add(item("porto"))
    assert [w.name for w in WatchStore(store).all()] == ["porto"]
