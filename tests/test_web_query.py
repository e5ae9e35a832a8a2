"""The store's read side for the web (`store/query.py`) on SQLite and PostgreSQL: full-text
search, filters, paging, and an index that follows every save."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from alembic import command
from alembic.config import Config
from web_server import corpus_db

from crosswire.store import Store
from crosswire.store import query as sq
from crosswire.store.sql import _MIGRATIONS

__all__ = ["corpus_db"]


def filled(url: str, corpus: Path) -> Store:
    """A store at URL holding the corpus store's articles and stories, as saved there."""
    source = Store(f"sqlite:///{corpus}")
    try:
        articles, stories = source.load_articles(), source.load_stories()
    finally:
        source.close()
    store = Store(url)
    store.save_articles(articles)
    store.save_stories(stories)
    return store


def headlines(page: sq.Page[sq.StorySummary]) -> list[str]:
    return [s.headline for s in page.items]


def test_search_and_filters_agree_on_both_backends(store_url: str, corpus_db: Path) -> None:
    store = filled(store_url, corpus_db)
    try:
        everything = sq.search_stories(store, sq.StoryFilter(), 1, 100)
        assert everything.total == 10
        last = [s.last_published for s in everything.items]
        assert len(set(last)) == 10  # distinct times: the order is the news order alone
        flood = sq.search_stories(store, sq.StoryFilter(q="flooding"), 1, 20)
        assert set(headlines(flood)) == {
            "Floods force more than 10,000 from homes around Porto",
            "Porto traders say flood losses far exceed government's estimate",
        }
        # all words must match; the last is a prefix
        assert headlines(sq.search_stories(store, sq.StoryFilter(q="copper mi"), 1, 20)) == [
            "Quake in northern Chile kills two, halts copper mines"
        ]
        assert sq.search_stories(store, sq.StoryFilter(q="copper ferry"), 1, 20).total == 0
        assert sq.search_stories(store, sq.StoryFilter(q="&|!:*()"), 1, 20).total == 0
        by_entity = sq.search_stories(store, sq.StoryFilter(entity="  PORTUGAL "), 1, 20)
        assert by_entity.total == 1
        outlet = sq.search_stories(store, sq.StoryFilter(outlet="Valley Courier"), 1, 20)
        assert outlet.total and all("Valley Courier" in s.outlets for s in outlet.items)
        conflicts = sq.search_stories(store, sq.StoryFilter(has_conflicts=True), 1, 20)
        assert conflicts.total and all(s.conflicts for s in conflicts.items)
        both = sq.search_stories(store, sq.StoryFilter(q="flood", has_conflicts=True), 1, 20)
        assert headlines(both) == ["Floods force more than 10,000 from homes around Porto"]
        paged = [sq.search_stories(store, sq.StoryFilter(), n, 4).items for n in (1, 2, 3)]
        assert [s.id for page in paged for s in page] == [s.id for s in everything.items]
        outlets = sq.list_outlets(store)
        assert outlets.items[0].name == "Continental Press Agency"
        assert sq.outlet_claims(store, "Continental Press Agency", 1, 5).total > 5
        assert sq.list_entities(store, q="portug").total >= 1
    finally:
        store.close()


def test_the_index_follows_saves_and_merges(store_url: str, corpus_db: Path) -> None:
    store = filled(store_url, corpus_db)
    try:
        stories = store.load_stories()
        porto = next(s for s in stories if s.headline.startswith("Floods force"))
        damage = next(s for s in stories if s.headline.startswith("Porto traders"))
        renamed = dataclasses.replace(porto, headline="Douro floods swamp Porto's xylophone makers")
        store.save_stories([renamed])
        assert headlines(sq.search_stories(store, sq.StoryFilter(q="xylophones"), 1, 20)) == [
            "Douro floods swamp Porto's xylophone makers"
        ]
        # a merge: the traders' story's members now in Porto's story, its id an alias
        merged = dataclasses.replace(renamed, articles=renamed.articles + damage.articles)
        store.save_stories([merged], replaced={damage.id: porto.id})
        found = sq.search_stories(store, sq.StoryFilter(q="flood"), 1, 20)
        assert [s.id for s in found.items] == [porto.id]
        assert found.items[0].articles == len(merged.articles)
        assert sq.search_stories(store, sq.StoryFilter(), 1, 100).total == 9
    finally:
        store.close()


def test_a_store_from_before_the_index_is_indexed_when_migrated(
    store_url: str, corpus_db: Path
) -> None:
    store = filled(store_url, corpus_db)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0007")
        store.migrate()
        assert sq.search_stories(store, sq.StoryFilter(q="Grindavik"), 1, 20).total == 1
        assert sq.search_stories(store, sq.StoryFilter(), 1, 100).total == 10
    finally:
        store.close()
