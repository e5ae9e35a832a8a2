"""One run or many into one store: the stories come out the same.

A user analyzes a folder at once, or day by day as it grows; the story index decides
per article against the state the store keeps, so both ways must agree.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from port_stories import port_articles

from crosswire import pipeline
from crosswire.eval.stories import bcubed, gold_sets, synthetic_corpus
from crosswire.model import Article
from crosswire.store import Store
from crosswire.stories import StoryIndex, place_articles

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
STORIES_RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories_raw"
SLICES = 10
AGREEMENT = 0.98  # B-cubed F1 between the two partitions, the bar


def _slices(items: list[Path], n: int) -> list[list[Path]]:
    size = -(-len(items) // n)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _decisions(store: Store) -> dict[str, tuple[str, bool]]:
    by_input = {a.input: a for a in store.load_articles()}
    return {k: (a.id, a.duplicate_of is not None) for k, a in by_input.items()}


def _stories_by_input(store: Store) -> dict[str, str]:
    return {a.input.split(str(CORPUS) + os.sep)[-1]: a.story or "" for a in store.load_articles()}


def test_the_corpus_in_one_run_or_in_ten_gives_the_same_stories(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and "broken" not in p.parts)
    one = Store(f"sqlite:///{tmp_path / 'one.db'}")
    pipeline.analyze(files, store=one)
    many = Store(f"sqlite:///{tmp_path / 'many.db'}")
    # folder order, as a user adds what arrived: the slices are not in time order
    for part in _slices(files, SLICES):
        pipeline.analyze(part, store=many)
    a, b = _stories_by_input(one), _stories_by_input(many)
    shared = sorted(a)
    assert set(b) == set(shared)
    _, _, f1 = bcubed([a[k] for k in shared], [b[k] for k in shared])
    assert f1 >= AGREEMENT, f1
    # the site-boilerplate model and the copy index are kept in the store too: the same
    # clean text, so the same article ids, and the same copies
    assert _decisions(one) == _decisions(many)
    one.close()
    many.close()


def _place_in_slices(articles: list[Article], n: int, db: Path) -> dict[str, str]:
    """The stories of ARTICLES placed in N runs into one real store, as `analyze` runs
    the stage (its state saved with each run, stored members and late arrivals read back),
    without the claims and comparison stages this check does not need."""
    store = Store(f"sqlite:///{db}")
    size = -(-len(articles) // n)
    for start in range(0, len(articles), size):
        part = articles[start : start + size]
        state = store.load_state(pipeline.STORY_STATE)
        index = StoryIndex.from_dict(state) if state else StoryIndex()
        stored = store.stories_of([a.id for a in part])
        placed = place_articles(index, part, stored, store.story_members, store.stories_between)
        run = store.begin_run([f"slice {start}"])
        store.save_run(
            run, placed.articles, placed.stories, [], placed.replaced,
            {pipeline.STORY_STATE: index.to_dict()},
        )  # fmt: skip
    found = {a.id: a.story or "" for a in store.load_articles()}
    store.close()
    return found


def test_a_bench_corpus_in_one_run_or_in_ten_gives_the_same_stories(tmp_path: Path) -> None:
    if not STORIES_RAW.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{STORIES_RAW} is missing under CI")
        pytest.skip("../shared/data is not here")
    records = gold_sets(STORIES_RAW)["allsides"]
    # records in gold order, not time order: each slice spans the whole half year
    corpus = synthetic_corpus(records, 600, copies_per_original=1)
    whole = place_articles(StoryIndex(), [_fresh(a) for a in corpus], {})
    one = {a.id: a.story or "" for a in whole.articles}
    many = _place_in_slices([_fresh(a) for a in corpus], SLICES, tmp_path / "many.db")
    ids = sorted(one)
    _, _, f1 = bcubed([one[i] for i in ids], [many[i] for i in ids])
    assert f1 >= AGREEMENT, f1


def _fresh(article: Article) -> Article:
    return Article(**{f: getattr(article, f) for f in article.__slots__})


def test_every_copy_is_in_its_originals_story_in_a_run_longer_than_the_window() -> None:
    if not STORIES_RAW.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{STORIES_RAW} is missing under CI")
        pytest.skip("../shared/data is not here")
    # half a year of articles in one run: the clock passes every story's window; a
    # copy taken after all the originals found its original retired and stood alone
    corpus = synthetic_corpus(gold_sets(STORIES_RAW)["allsides"], 300, copies_per_original=1)
    placed = place_articles(StoryIndex(), [_fresh(a) for a in corpus], {})
    story = {a.id: a.story for a in placed.articles}
    copies = [a for a in placed.articles if a.duplicate_of]
    assert copies and all(story[a.id] == story[a.duplicate_of or ""] for a in copies)


def test_analyze_in_micro_batches_commits_each_and_reports_every_story(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and "broken" not in p.parts)
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    result = pipeline.analyze(files, store=store, batch_size=8)
    with store.engine.connect() as conn:
        runs = conn.exec_driver_sql("select count(*) from runs").scalar_one()
    docs, _ = pipeline.ingest(files, pipeline.Progress())
    assert runs == -(-len(docs) // 8) > 1  # one committed run per micro-batch
    stored = store.load_articles()
    assert {a.id for a in stored} == {a.id for a in result.articles}
    assert {s["id"] for s in result.report["stories"]} == {a.story for a in stored}
    claims = store.count("claims")
    again = pipeline.analyze(files, store=store, batch_size=8)
    assert store.count("claims") == claims
    assert {s.id for s in again.stories} == {s.id for s in result.stories}
    store.close()


def test_inputs_that_cannot_be_read_are_stored_with_a_run_in_micro_batches_too(
    tmp_path: Path,
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    whole = pipeline.analyze([CORPUS])
    batched = pipeline.analyze([CORPUS], store=store, batch_size=8)
    broken = sorted(e.input for e in whole.errors)
    assert broken  # the corpus holds broken files
    assert sorted(e.input for e in batched.errors) == broken
    assert sorted(e.input for e in store.last_run_errors()) == broken
    store.close()


def test_stories_claimed_again_from_kept_parses_hold_the_same_claims(tmp_path: Path) -> None:
    """Micro-batches keep each original's parse for the next (`ReadCache`): a story that
    gains a member is claimed again without parsing its stored articles again, and holds
    exactly the claims a fresh parse gives."""
    from crosswire.claims import ReadCache
    from crosswire.model import to_plain

    docs, _ = pipeline.ingest([CORPUS], pipeline.Progress())
    batches = [docs[i : i + 12] for i in range(0, len(docs), 12)]

    def claims_of(store: Store) -> list[object]:
        return sorted(
            (to_plain(c) for s in store.load_stories() for c in s.claims), key=lambda c: c["id"]
        )

    kept, fresh = ReadCache(), None
    results = []
    for reads, name in ((kept, "kept.db"), (fresh, "fresh.db")):
        store = Store(f"sqlite:///{tmp_path / name}")
        for batch in batches:
            pipeline.commit_batch(batch, store, ["corpus"], pipeline.Progress(), {}, reads=reads)
        results.append(claims_of(store))
        store.close()
    assert kept.hits > 0  # stored originals of growing stories were not parsed again
    assert results[0] == results[1]


def test_a_batch_saved_over_another_writers_commit_is_decided_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers on one store: one commits while the other is deciding. The other's
    save would replace the stage states with ones that never saw those articles; it is
    refused (the states moved on) and the batch is decided again on the new states."""
    docs, _ = pipeline.ingest([CORPUS], pipeline.Progress())
    parts = [docs[i::3] for i in range(3)]
    url = f"sqlite:///{tmp_path / 'race.db'}"
    store = Store(url)
    pipeline.commit_batch(parts[0], store, ["first"], pipeline.Progress(), {})
    decide = pipeline.process
    raced: list[int] = []

    def racing(*args: object, **kwargs: object) -> pipeline.Processed:
        done = decide(*args, **kwargs)  # type: ignore[arg-type]
        if not raced:  # the other writer commits while this batch is being decided
            raced.append(1)
            other = Store(url)
            pipeline.commit_batch(parts[1], other, ["other"], pipeline.Progress(), {})
            other.close()
        return done

    monkeypatch.setattr(pipeline, "process", racing)
    pipeline.commit_batch(parts[2], store, ["late"], pipeline.Progress(), {})
    index = StoryIndex.from_dict(store.load_state(pipeline.STORY_STATE) or {})
    stored = store.load_articles()
    assert len(stored) >= len(docs) - 3  # the corpus' unreadable files aside
    # the story index the store keeps knows every stored article, the other writer's too
    assert all(index.story_of(a.id) is not None for a in stored)
    store.close()


def test_a_micro_batch_accounts_each_second_to_one_stage(tmp_path: Path) -> None:
    # the stage timings (what the benches report) are parts of the batch's time, each
    # second counted once: the store's share once included the whole batch
    docs, _ = pipeline.ingest([CORPUS], pipeline.Progress())
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    pipeline.commit_batch(docs[:12], store, ["t"], pipeline.Progress(), timings)
    elapsed = time.perf_counter() - started
    store.close()
    assert set(timings) >= {"clean", "claims", "store"}
    assert sum(timings.values()) <= elapsed


def test_a_stored_article_the_index_moves_is_stored_in_its_new_story(tmp_path: Path) -> None:
    """The mixed port report joined the strike's story in the first run; the second run's
    strike report moves it to the fire's story: the store says so for the article, and
    both stories are written again with their new members."""
    articles = port_articles()
    store = Store(f"sqlite:///{tmp_path / 'moves.db'}")
    for part in (articles[:5], articles[5:]):
        state = store.load_state(pipeline.STORY_STATE)
        index = StoryIndex.from_dict(state) if state else StoryIndex()
        stored = store.stories_of([a.id for a in part])
        placed = place_articles(index, part, stored, store.story_members, store.stories_between)
        run = store.begin_run(["port"])
        store.save_run(
            run, placed.articles, placed.stories, [], placed.replaced,
            {pipeline.STORY_STATE: index.to_dict()},
        )  # fmt: skip
        if part[0].id == "strike-3":
            # the run's stories: the one it joined and the two the move touched
            assert {s.id for s in placed.stories} == {
                store.stories_of(["strike-1"])["strike-1"],
                store.stories_of(["fire-1"])["fire-1"],
            }
    story_of = {a.id: a.story for a in store.load_articles()}
    assert story_of["both"] == story_of["fire-1"] == story_of["fire-2"]
    assert story_of["strike-1"] == story_of["strike-2"] == story_of["strike-3"]
    assert story_of["both"] != story_of["strike-1"]
    members = {s.id: sorted(s.articles) for s in store.load_stories()}
    assert members[story_of["both"]] == ["both", "fire-1", "fire-2"]
    assert members[story_of["strike-1"]] == ["strike-1", "strike-2", "strike-3"]
    store.close()


def _stored_run(store: Store) -> tuple[object, ...]:
    from crosswire.model import to_plain

    stories = sorted((to_plain(s) for s in store.load_stories()), key=lambda s: s["id"])
    states = [
        store.load_state(name)
        for name in (pipeline.SITE_STATE, pipeline.DEDUP_STATE, pipeline.STORY_STATE)
    ]
    return _decisions(store), stories, states


def test_models_held_between_micro_batches_decide_as_models_read_back_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer keeps its stage models in memory from batch to batch (`StageModels`)
    instead of reading the stored states again: it must store exactly what a writer that
    reads them back every batch stores, which is what a killed and resumed run does."""
    docs, _ = pipeline.ingest([CORPUS], pipeline.Progress())
    batches = [docs[i : i + 5] for i in range(0, len(docs), 5)]
    reads = 0
    read_state = Store.load_state_version

    def counted(self: Store, name: str) -> tuple[dict[str, object] | None, int]:
        nonlocal reads
        reads += 1
        return read_state(self, name)  # type: ignore[return-value]

    monkeypatch.setattr(Store, "load_state_version", counted)
    runs = []
    for models in (pipeline.StageModels(), None):
        reads = 0
        store = Store(f"sqlite:///{tmp_path / ('held.db' if models else 'read.db')}")
        for batch in batches:
            pipeline.commit_batch(batch, store, ["corpus"], pipeline.Progress(), {}, models=models)
        runs.append((reads, _stored_run(store)))
        store.close()
    (held_reads, held), (read_reads, read) = runs
    assert held == read
    # each stage's state was read once, for the first batch, not once a batch
    assert held_reads == 3 < read_reads


def test_a_held_model_is_not_used_once_another_writer_saved_its_stage(tmp_path: Path) -> None:
    docs, _ = pipeline.ingest([CORPUS], pipeline.Progress())
    parts = [docs[i::3] for i in range(3)]
    url = f"sqlite:///{tmp_path / 'two.db'}"
    store, models = Store(url), pipeline.StageModels()
    pipeline.commit_batch(parts[0], store, ["first"], pipeline.Progress(), {}, models=models)
    other = Store(url)
    pipeline.commit_batch(parts[1], other, ["other"], pipeline.Progress(), {})
    other.close()
    pipeline.commit_batch(parts[2], store, ["late"], pipeline.Progress(), {}, models=models)
    index = StoryIndex.from_dict(store.load_state(pipeline.STORY_STATE) or {})
    stored = store.load_articles()
    assert len(stored) >= len(docs) - 3  # the corpus' unreadable files aside
    # the state saved last was decided on the other writer's, not on the held model
    assert all(index.story_of(a.id) is not None for a in stored)
    store.close()
