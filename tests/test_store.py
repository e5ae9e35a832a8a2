"""The store: migrations, idempotent upserts, round trips."""

from __future__ import annotations

from pathlib import Path

import pg
import pytest
import sqlalchemy as sa

from crosswire.model import Article, InputError, Provenance, Story
from crosswire.store import Store, default_url


def article(aid: str, **kw: object) -> Article:
    base: dict[str, object] = {
        "input": f"{aid}.txt",
        "text": f"Body of {aid}.",
        "published": "2025-02-28T03:04:00+10:00",
    }
    base.update(kw)
    return Article(id=aid, **base)  # type: ignore[arg-type]


def test_schema_is_created_by_migrations_and_reopening_is_harmless(store_url: str) -> None:
    Store(store_url).close()
    store = Store(store_url)
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    engine.dispose()
    assert {
        "articles",
        "stories",
        "runs",
        "input_errors",
        "claims",
        "quantities",
        "entities",
        "facets",
        "story_aliases",
        "stage_state",
        "feeds",
        "entries",
        "seen_files",
        "article_revisions",
        "story_index",
        "story_outlets",
        "story_entities",
        "watchlists",
        "watch_alerts",
    } <= tables
    assert version == "0009"
    store.close()


def test_a_sqlite_store_creates_its_folder_and_runs_in_wal_mode(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'cw.db'}"
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        mode = conn.execute(sa.text("pragma journal_mode")).scalar_one()
    engine.dispose()
    assert mode == "wal"


def test_same_article_twice_is_stored_once_and_decisions_update(store_url: str) -> None:
    store = Store(store_url)
    run = store.begin_run(["in"])
    a = article("a1", provenance={"published": Provenance("header-line", 0.9, "28 Feb 2025")})
    assert store.save_articles([a], run) == 1
    a.story, a.duplicate_of, a.similarity = "s-1", "a0", 0.93
    assert store.save_articles([a, article("a2")], run) == 1
    assert store.count("articles") == 2
    loaded = {x.id: x for x in store.load_articles()}
    assert loaded["a1"].story == "s-1" and loaded["a1"].duplicate_of == "a0"
    assert loaded["a1"].provenance["published"].evidence == "28 Feb 2025"
    assert loaded["a1"] == a


def test_a_revision_replaces_the_text_and_keeps_the_old_one_as_a_diff(store_url: str) -> None:
    store = Store(store_url)
    first = "The council approved the budget.\nThe vote was 7 to 2."
    store.save_articles([article("a1", text=first)])
    # the same text again is no revision
    store.save_articles([article("a1", text=first, revised=True)])
    assert store.count("article_revisions") == 0
    second = "The council approved the budget.\nThe vote was 6 to 3, the clerk corrected."
    store.save_articles([article("a1", text=second, title="Budget passes", revised=True)])
    (stored,) = store.load_articles()
    assert stored.text == second and stored.title == "Budget passes"
    (revision,) = stored.revisions
    assert "-The vote was 7 to 2." in revision.diff
    assert "+The vote was 6 to 3, the clerk corrected." in revision.diff
    assert " The council approved the budget." in revision.diff
    assert store.count("articles") == 1
    store.close()


def test_stories_errors_and_runs_are_kept(store_url: str) -> None:
    store = Store(store_url)
    run = store.begin_run(["folder"])
    story = Story(id="s-1", headline="Quay opens", articles=["a1"])
    store.save_stories([story])
    story.headline = "Quay opens in May"
    store.save_stories([story])
    store.save_errors(run, [InputError("bad.gz", "corrupt or truncated gzip data")])
    store.finish_run(run, {"articles": 1})
    assert store.count("stories") == 1
    assert store.count("errors") == 1
    with store.engine.connect() as conn:
        headline = conn.execute(sa.text("select headline from stories")).scalar_one()
        finished = conn.execute(sa.text("select finished_at from runs")).scalar_one()
    assert headline == "Quay opens in May" and finished


def test_a_plain_postgresql_url_uses_the_installed_driver(postgres: pg.Server) -> None:
    # SQLAlchemy reads postgresql:// as psycopg2, which crosswire does not install
    with postgres.database() as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        store = Store(plain)
        assert store.engine.dialect.driver == "psycopg"
        assert store.save_articles([article("a1")]) == 1
        store.close()


def test_default_location_follows_env_and_xdg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CROSSWIRE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path}/crosswire/crosswire.db"
    monkeypatch.setenv("CROSSWIRE_DB", "sqlite:////elsewhere.db")
    assert default_url() == "sqlite:////elsewhere.db"


def test_stories_and_articles_load_in_one_order_on_every_backend(store_url: str) -> None:
    # Undated first, then by the stored text byte by byte (as SQLite compares it): a
    # server with a linguistic collation orders "-05:00" before "+00:00" and puts NULL
    # last unless told otherwise.
    store = Store(store_url)
    dated = [
        Story(id="s-3", headline="c", articles=[], first_published="2026-03-03T11:05:00+00:00"),
        Story(id="s-1", headline="a", articles=[], first_published="2026-03-03T11:05:00-05:00"),
        Story(id="s-2", headline="b", articles=[], first_published=None),
        Story(id="s-0", headline="d", articles=[], first_published="2026-03-03T11:05:00+00:00"),
    ]
    store.save_stories(dated)
    assert [s.id for s in store.load_stories()] == ["s-2", "s-0", "s-3", "s-1"]
    store.save_articles(
        [
            article("a-b", published="2026-03-03T11:05:00+00:00"),
            article("a-B", published="2026-03-03T11:05:00+00:00"),
            article("a-a", published=None),
            article("a-0", published="2026-03-02T11:05:00+00:00"),
        ]
    )
    assert [a.id for a in store.load_articles()] == ["a-a", "a-0", "a-B", "a-b"]
    store.close()


def test_a_stage_state_is_kept_with_its_run_and_replaced_by_the_next(store_url: str) -> None:
    store = Store(store_url)
    assert store.load_state("stories") is None
    first = store.begin_run(["a"])
    store.save_run(first, [], [], [], states={"stories": {"documents": 3, "terms": ["x"]}})
    second = store.begin_run(["b"])
    store.save_run(second, [], [], [], states={"stories": {"documents": 5, "terms": ["x", "y"]}})
    assert store.load_state("stories") == {"documents": 5, "terms": ["x", "y"]}
    store.close()


def test_stored_revisions_are_read_back_for_the_stories_asked(store_url: str) -> None:
    from crosswire.model import Facet, Revision

    edit = Revision("outlet:Ledger", "a1-c2", "a1-c2", "20", "25", "2026-01-01", "2026-01-02")
    with_edit = Facet("s-1-f0", "films", ["a1-c2"], "single-source", 1, revisions=[edit])
    plain = Facet("s-2-f0", "films", ["a2-c0"], "single-source", 1)
    store = Store(store_url)
    store.save_stories(
        [Story("s-1", "h", ["a1"], facets=[with_edit]), Story("s-2", "h", ["a2"], facets=[plain])]
    )
    assert store.stored_revisions(["s-1", "s-2"]) == [edit]
    assert store.stored_revisions(["s-2", "s-3"]) == []
    store.close()
