"""Runs into one store: the second run extends what the first stored, never breaks it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_report import check_html_links, check_markdown_links

from crosswire import pipeline
from crosswire.model import Article, Claim, Story
from crosswire.store import Store
from crosswire.store.schema import articles, claims, stories

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
# The Porto floods story of the example corpus: the agency's original (11:05 UTC) and
# three outlets' copies of it, published later that day.
PORTO_ORIGINAL = "feeds/cpa-wire.jsonl"
PORTO_COPIES = (
    "metro-wire-daily/2026-03-03-porto-floods.txt",
    "northgate-post/2026-03-03-portugal-floods-porto.txt",
    "valley-courier/2026-03-03-floods-force-thousands-from-homes-in-portugal.txt",
)


def folder(tmp: Path, name: str, *inputs: str) -> Path:
    root = tmp / name
    for rel in inputs:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target)
    return root


def integrity(store: Store) -> None:
    """What must hold after any run: every article's story exists, every claim's
    story exists and holds its article, and SQLite finds nothing wrong."""
    orphans = (
        sa.select(sa.func.count())
        .select_from(articles)
        .where(articles.c.story.is_not(None), articles.c.story.not_in(sa.select(stories.c.id)))
    )
    stray_claims = (
        sa.select(sa.func.count())
        .select_from(claims.join(articles, articles.c.id == claims.c.article))
        .where(articles.c.story.is_distinct_from(claims.c.story))
    )
    with store.engine.connect() as conn:
        found = (conn.execute(orphans).scalar_one(), conn.execute(stray_claims).scalar_one())
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(sa.text("pragma integrity_check")).scalar_one() == "ok"
    assert found == (0, 0)


def porto_story(result: pipeline.RunResult) -> Story:
    [story] = [
        s for s in result.stories if any("porto-floods" in a.input for a in _members(result, s))
    ]
    return story


def _members(result: pipeline.RunResult, story: Story) -> list[Article]:
    ids = set(story.articles)
    return [a for a in result.articles if a.id in ids]


def test_a_story_that_gains_an_earlier_member_keeps_its_id(tmp_path: Path, store_url: str) -> None:
    store = Store(store_url)
    yesterday = folder(tmp_path, "yesterday", *PORTO_COPIES[:2])
    first = pipeline.analyze([yesterday], store=store)
    old = porto_story(first)
    integrity(store)

    # today's folder holds the agency original (earlier than every stored copy) and
    # the stored copies again, as a folder that grows day by day does: a reader's link
    # to the story stays good as it grows
    today = folder(tmp_path, "today", PORTO_ORIGINAL, *PORTO_COPIES)
    second = pipeline.analyze([today], store=store)
    new = porto_story(second)
    assert new.id == old.id and new.merged_from == []
    assert set(old.articles) < set(new.articles)
    assert {c.article for c in new.claims} >= set(new.articles) - {
        a.id for a in second.articles if a.duplicate_of
    }
    integrity(store)

    # and the next run on that store works and changes nothing
    claims_before = store.count("claims")
    third = pipeline.analyze([today], store=store)
    assert porto_story(third).id == new.id
    assert store.count("claims") == claims_before
    integrity(store)


def test_a_copy_analyzed_in_a_later_run_joins_the_stored_story(
    tmp_path: Path, store_url: str
) -> None:
    store = Store(store_url)
    a = pipeline.analyze([folder(tmp_path, "a", PORTO_COPIES[0])], store=store)
    b = pipeline.analyze([folder(tmp_path, "b", PORTO_COPIES[1])], store=store)
    [story_a] = a.stories
    [story_b] = b.stories
    assert story_b.id == story_a.id
    # the dedup index kept in the store knows yesterday's text: today's is its copy
    [first] = a.articles
    [later] = [x for x in b.articles if x.id != first.id]
    assert later.duplicate_of == first.id and (later.similarity or 0) >= 0.7
    assert set(story_b.articles) == {*story_a.articles, *(x.id for x in b.articles)}
    assert store.count("stories") == 1
    # its claims join the story's facets, lined up with the first outlet's
    outlets = {c.outlet for f in story_b.facets for c in story_b.claims if c.id in f.claims}
    assert len(outlets) == 2
    integrity(store)


def test_two_stored_stories_an_article_links_become_one_and_the_old_id_resolves(
    tmp_path: Path, store_url: str
) -> None:
    """The flood report and the traders' follow-up share little wording: two stories.
    A roundup quoting both links them; the later story's id then resolves to the
    earlier one, and the store and the report say so."""
    store = Store(store_url)
    flood_run = pipeline.analyze([folder(tmp_path, "one", PORTO_ORIGINAL)], store=store)
    traders_run = pipeline.analyze(
        [folder(tmp_path, "two", "northgate-post/2026-03-06-porto-traders-flood-losses.txt")],
        store=store,
    )
    [flood] = [a for a in flood_run.articles if "porto-floods" in a.input]
    [traders] = traders_run.articles
    assert flood.story != traders.story
    before = store.count("stories")
    roundup = tmp_path / "three" / "roundup.txt"
    roundup.parent.mkdir()
    # half of each: a page holding one of them whole would be a copy of it (containment)
    roundup.write_text(
        flood.text[: len(flood.text) // 2] + "\n\n" + traders.text[: len(traders.text) * 2 // 3]
    )
    third = pipeline.analyze([roundup.parent], store=store)
    [merged] = third.stories
    assert merged.id == flood.story and merged.merged_from == [traders.story]
    assert store.resolve_story(traders.story or "") == flood.story
    assert store.count("stories") == before - 1
    assert {flood.id, traders.id} <= set(merged.articles)
    [shown] = third.report["stories"]
    assert shown["merged_from"] == [traders.story]
    integrity(store)


def test_a_run_holding_part_of_a_stored_story_keeps_the_whole_story(
    tmp_path: Path, store_url: str
) -> None:
    store = Store(store_url)
    first = pipeline.analyze([folder(tmp_path, "one", *PORTO_COPIES)], store=store)
    stored = porto_story(first)
    # one stored copy again, with the earlier original: the two copies left out of
    # this run stay in the story instead of pointing at a story that is gone
    second = pipeline.analyze(
        [folder(tmp_path, "two", PORTO_ORIGINAL, PORTO_COPIES[0])], store=store
    )
    joined = porto_story(second)
    assert set(stored.articles) < set(joined.articles)
    assert store.resolve_story(stored.id) == joined.id
    [loaded] = store.load_stories([joined.id])
    assert set(loaded.articles) == set(joined.articles)
    integrity(store)


def test_a_failed_save_leaves_the_store_as_it_was(tmp_path: Path, store_url: str) -> None:
    store = Store(store_url)
    result = pipeline.analyze([folder(tmp_path, "one", *PORTO_COPIES)], store=store)
    before = {t: store.count(t) for t in ("articles", "stories", "claims", "errors")}
    story = porto_story(result)
    # a story whose claims cannot be written (the same claim id twice) fails the save
    # after its articles were written: none of them may stay behind
    article = result.articles[0]
    twin = Claim(id="x-c0", article=article.id, start=0, end=1, text=article.text[:1])
    broken = Story(id="s-broken", headline="broken", articles=[], claims=[twin, twin])
    fresh = [*result.articles]
    fresh[0] = Article(id="a-new", input="new.txt", text="A new article.")
    run = store.begin_run(["again"])
    with pytest.raises(sa.exc.IntegrityError):
        store.save_run(run, fresh, [story, broken], [])
    assert {t: store.count(t) for t in before} == before
    integrity(store)


def test_two_runs_started_at_once_on_a_fresh_store_both_finish(
    tmp_path: Path, store_url: str
) -> None:
    db = store_url
    crosswire = Path(sys.executable).with_name("crosswire")
    inputs = [folder(tmp_path, f"in{n}", *PORTO_COPIES[n : n + 2]) for n in (0, 1)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    procs = [
        subprocess.Popen(
            [str(crosswire), "analyze", str(src), "--out", str(tmp_path / f"out{n}"), "--db", db],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
        )
        for n, src in enumerate(inputs)
    ]
    outputs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    store = Store(db)
    assert store.count("articles") == 3
    assert store.count("runs") == 2
    integrity(store)


def test_the_report_from_the_store_is_the_report_analyze_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str
) -> None:
    from typer.testing import CliRunner

    from crosswire.cli import app

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    runner = CliRunner()
    db = store_url
    analyzed = runner.invoke(
        app, ["analyze", str(CORPUS), "--out", str(tmp_path / "a"), "--db", db]
    )
    assert analyzed.exit_code == 1, analyzed.output  # the corpus holds two broken files
    reported = runner.invoke(app, ["report", "--db", db, "--out", str(tmp_path / "r")])
    assert reported.exit_code == 0, reported.output
    for name in ("report.json", "report.md", "report.html"):
        assert (tmp_path / "r" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
    # and so are the story pages, the Markdown ones beside the HTML ones
    pages = sorted(p.name for p in (tmp_path / "a" / "stories").iterdir())
    assert pages == sorted(p.name for p in (tmp_path / "r" / "stories").iterdir())
    assert {Path(name).suffix for name in pages} == {".md", ".html"}
    assert len(pages) == 2 * len(
        json.loads((tmp_path / "a" / "report.json").read_text())["stories"]
    )
    for name in pages:
        assert (tmp_path / "r" / "stories" / name).read_bytes() == (
            tmp_path / "a" / "stories" / name
        ).read_bytes(), name
    check_markdown_links(tmp_path / "r")
    check_html_links(tmp_path / "r")
