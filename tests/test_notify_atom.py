"""Atom feeds of stories and of a watch list: valid, stable, updated as stories grow.

The store grows in two steps, once for the module (examples/corpus without The Lakeside
Tribune, then the Tribune and a record with markup in its title), and each step's feed
is read with feedparser, as a feed reader would, and checked against RFC 4287's musts.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from crosswire import pipeline
from crosswire.notify.alerts import check_all
from crosswire.notify.atom import UnknownWatchList, stories_feed, watchlist_feed
from crosswire.notify.routes import router_for
from crosswire.store import Store
from crosswire.store.watchlists import WatchList, WatchStore

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
TRIBUNE = CORPUS / "lakeside-tribune"
ATOM = "{http://www.w3.org/2005/Atom}"
MARKUP = "<script>alert(1)</script> Storm & surge hit <Tallinn>"
RECORD = {
    "id": "storm-1",
    "outlet": "Baltic <b>Wire</b>",
    "published": "2026-03-21T09:00:00+00:00",
    "title": MARKUP,
    "text": "A winter storm pushed a surge of seawater into the old harbour of Tallinn on"
    " Saturday, officials said.\n\nThe city's rescue board said 40 people were moved from"
    " flooded streets near the port overnight.\n\nFerries to Helsinki were cancelled until"
    " Sunday, the port authority said in a statement.",
}


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("atom")
    (root / "storm").mkdir()
    (root / "storm" / "storm.jsonl").write_text(json.dumps(RECORD) + "\n")
    url = f"sqlite:///{root / 'cw.db'}"
    store = Store(url)
    try:
        pipeline.analyze([CORPUS], store=store, exclude=[TRIBUNE, CORPUS / "broken"])
        before = stories_feed(store, "http://cw.test")
        time.sleep(1.02 - (time.time() % 1.0))  # the store's times step by the second
        between = datetime.now(UTC).isoformat(timespec="seconds")
        WatchStore(store).add(WatchList("iceland", ["Reykjanes"], [], None, None, between, between))
        pipeline.analyze([TRIBUNE, root / "storm"], store=store)
        check_all(store)
        after = stories_feed(store, "http://cw.test")
    finally:
        store.close()
    yield {"url": url, "before": before, "after": after, "between": between}


@pytest.fixture
def store(steps: dict[str, Any]) -> Iterator[Store]:
    opened = Store(steps["url"])
    yield opened
    opened.close()


def parse(data: bytes) -> Any:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def check_rfc4287(data: bytes) -> None:
    """The musts of RFC 4287 a parser forgives: one id, title, updated per feed and entry,
    an author for the feed, an alternate link and a summary per entry."""
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert datetime.strptime(updated, "%Y-%m-%dT%H:%M:%SZ")


def test_the_stories_feed_is_valid_atom_with_every_field(steps: dict[str, Any]) -> None:
    for data in (steps["before"], steps["after"]):
        check_rfc4287(data)
    feed = parse(steps["after"])
    assert feed.feed.title == "crosswire: new and updated stories"
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.feed.updated == feed.entries[0].updated
    assert {link.rel: link.href for link in feed.feed.links}["self"] == (
        "http://cw.test/feeds/stories.atom"
    )
    assert len(feed.entries) == 11  # the corpus's ten stories and the storm
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert entry.title and entry.summary and entry.updated and entry.published
        assert entry.link.startswith("http://cw.test/stories/s-")
        assert "article" in entry.summary
    iceland = next(e for e in feed.entries if e.title.startswith("Volcano erupts"))
    assert "2 conflicts: kilometres" in iceland.summary
    assert "The Lakeside Tribune" in {t.term for t in iceland.tags}


def test_ids_are_stable_and_updated_moves_when_a_story_gains_members(
    steps: dict[str, Any], store: Store
) -> None:
    before = {e.link: e for e in parse(steps["before"]).entries}
    after = parse(steps["after"]).entries
    assert len({e.id for e in after}) == len(after)
    grew = [e for e in after if e.link in before and e.updated != before[e.link].updated]
    kept = [e for e in after if e.link in before and e.updated == before[e.link].updated]
    # the six stories the Tribune's articles joined moved, the others kept their time
    assert len(grew) == 6 and len(kept) == 4
    for entry in after:
        if entry.link in before:
            assert entry.id == before[entry.link].id  # a reader shows it once, as updated
            assert entry.published == before[entry.link].published
    assert all(e.updated >= steps["between"].replace("+00:00", "Z") for e in grew)
    # most recently updated first: what grew (and the new storm) before what did not
    assert {e.link for e in after[:7]} == {e.link for e in grew} | {
        e.link for e in after if e.link not in before
    }
    # the same store behind another address gives the same ids
    elsewhere = parse(stories_feed(store, "https://news.example.org/cw/"))
    assert [e.id for e in elsewhere.entries] == [e.id for e in after]
    assert elsewhere.entries[0].link.startswith("https://news.example.org/cw/stories/")
    assert parse(stories_feed(store, "http://cw.test", limit=3)).entries == after[:3]


def test_markup_in_a_headline_is_text_in_the_feed(steps: dict[str, Any]) -> None:
    data: bytes = steps["after"]
    assert b"<script>" not in data and b"<Tallinn>" not in data and b"<b>" not in data
    storm = next(e for e in parse(data).entries if "Tallinn" in e.title)
    assert storm.title == MARKUP
    assert storm.title_detail.type == "text/plain"
    assert "Baltic <b>Wire</b>" in {t.term for t in storm.tags}


def test_a_watch_list_feed_holds_its_alerts_with_stable_ids(store: Store) -> None:
    first = watchlist_feed(store, "iceland", "http://cw.test")
    check_rfc4287(first)
    feed = parse(first)
    alerts = WatchStore(store).alerts("iceland")
    assert alerts and len(feed.entries) == len(alerts)
    assert feed.feed.title == "crosswire watch list iceland: Reykjanes"
    assert {e.link for e in feed.entries} == {"http://cw.test/stories/s-d318b2c849b7064e"}
    titles = {e.title for e in feed.entries}
    assert (
        "New conflict on kilometres 2026-03-14 to 2026-03-15: "
        + ("Volcano erupts again on Iceland's Reykjanes peninsula")
        in titles
    )
    assert {e.tags[0].term for e in feed.entries} == {"conflict", "confirmation"}
    assert [e.summary for e in feed.entries] == [a.detail["summary"] for a in alerts]
    # checked again: nothing new, the same entries under the same ids
    check_all(store)
    again = parse(watchlist_feed(store, "iceland", "http://other.test"))
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]
    with pytest.raises(UnknownWatchList):
        watchlist_feed(store, "nobody", "http://cw.test")


def test_the_router_serves_both_feeds_as_atom(store: Store) -> None:
    app = FastAPI()
    app.include_router(router_for(lambda: store))
    client = TestClient(app)
    response = client.get("/feeds/stories.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = parse(response.content)
    assert feed.entries[0].link.startswith("http://testserver/stories/s-")
    response = client.get("/feeds/watch/iceland.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert parse(response.content).feed.title.startswith("crosswire watch list iceland")
    for missing in ("/feeds/watch/nobody.atom", "/feeds/watch/..%2Fx.atom", "/feeds/watch/a.rss"):
        assert client.get(missing).status_code == 404
    assert "/feeds/stories.atom" in client.get("/openapi.json").json()["paths"]
