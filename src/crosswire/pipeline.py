"""Compose the stages: ingest -> clean -> dedup -> stories -> claims -> compare -> (store, report).

The story stage decides per article against state kept in the store (`StoryIndex`):
a later run extends the stories of earlier ones, merges two that turn out to be one,
and claims and compares again only the stories that gained members. Each stage is
called through its package's public function only.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from crosswire.claims import ClaimsError, ReadCache, extract_claims
from crosswire.clean import SiteLines, clean_documents, learn_sites
from crosswire.compare import (
    Earlier,
    carry_revisions,
    compare_stories,
    compare_story,
    revised_figures,
)
from crosswire.dedup import DedupIndex
from crosswire.ingest import DEFAULT_MAX_BYTES, discover, read_files
from crosswire.model import Article, InputError, RawDoc, Story
from crosswire.report import build_report
from crosswire.store import StateConflict, Store
from crosswire.stories import StoryIndex, place_articles, sort_time

# how many times a micro-batch is decided again when another writer saved the stage
# states meanwhile (each try waits for that writer's commit, so this is seldom reached)
STATE_TRIES = 5
STAGES = ("ingest", "clean", "dedup", "stories", "claims", "compare", "store")
STORY_STATE = "stories"  # the story index's name in the store's stage state
DEDUP_STATE = "dedup"  # the copy index's
SITE_STATE = "sites"  # the site-boilerplate model's


class Progress:
    """What the pipeline tells a progress display; the default tells nobody."""

    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass(slots=True)
class RunResult:
    articles: list[Article]
    stories: list[Story]
    errors: list[InputError]
    report: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    new_in_store: int | None = None


@dataclass(slots=True)
class Processed:
    """Stages 2-6 over one run's documents."""

    articles: list[Article]
    stories: list[Story]
    errors: list[InputError]
    # story id -> the id now holding its members (stories this run merged)
    replaced: dict[str, str]
    # the stored versions the incremental stages' models were decided from, and the
    # models the next run goes on from, whose `to_dict` the store keeps (stage name ->)
    versions: dict[str, int] = field(default_factory=dict)
    models: dict[str, _Model] = field(default_factory=dict)


def generated_at() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that reports can be byte-reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def ingest(
    paths: Sequence[Path],
    progress: Progress,
    max_bytes: int = DEFAULT_MAX_BYTES,
    exclude: Sequence[Path] = (),
) -> tuple[list[RawDoc], list[InputError]]:
    """Read PATHS; files under EXCLUDE (the run's own output folder, which may sit
    inside an analyzed folder: its report.json must not come back as input) are skipped."""
    files, errors = discover(paths)
    if exclude:
        skip = [_resolved(p) for p in exclude]
        files = [f for f in files if not any(_resolved(f.path).is_relative_to(d) for d in skip)]
    progress.stage("ingest", len(files))
    docs, read_errors = read_files(files, max_bytes, on_file=progress.advance)
    return docs, errors + read_errors


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop resolves nowhere
        return path.absolute()


def unique_articles(articles: Sequence[Article]) -> list[Article]:
    """One article per id: the same text from the same outlet read twice is one article."""
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def process(
    docs: Sequence[RawDoc],
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None = None,
    store: Store | None = None,
    reads: ReadCache | None = None,
    models: StageModels | None = None,
) -> Processed:
    """Stages 2-6 over documents already read (with `since`, each story's changes).

    With a store, the story index starts from the state the store kept and a story the
    run touches comes with its stored members; without one, from nothing. `reads`
    keeps the claim stage's parses from one batch to the next (`ReadCache`), `models`
    the stage models (`StageModels`).

    No input can end the run: a stage that raises is run again without the inputs it
    fails on (found by halving), and each of those is reported with the stage's name.
    """
    errors: list[InputError] = []
    t = time.perf_counter()
    progress.stage("clean", len(docs))
    sites = _Tries(store, SITE_STATE, SiteLines.from_dict, SiteLines, models)

    def clean(items: list[RawDoc]) -> tuple[list[Article], list[InputError]]:
        model = sites.start()
        result = clean_documents(items, model)
        sites.succeeded(model)
        return result

    articles, clean_errors = isolate("clean", list(docs), clean, lambda d: d.input, errors)
    errors.extend(clean_errors)
    articles = unique_articles(articles)
    progress.advance(len(docs))
    _spent(timings, "clean", t)
    done = process_articles(articles, progress, timings, since, store, reads, models)
    done.errors[:0] = errors
    done.versions.update(sites.versions())
    done.models.update(sites.models())
    return done


def process_articles(
    articles: list[Article],
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None = None,
    store: Store | None = None,
    reads: ReadCache | None = None,
    models: StageModels | None = None,
) -> Processed:
    """Stages 3-6 over clean articles; see `process`."""
    errors: list[InputError] = []
    t = time.perf_counter()
    progress.stage("dedup", len(articles))
    copies = _Tries(store, DEDUP_STATE, DedupIndex.from_dict, DedupIndex, models)

    def dedup(items: list[Article]) -> list[Article]:
        index = copies.start()
        for article, decision in zip(items, index.check_many(items), strict=True):
            article.duplicate_of, article.similarity = decision.duplicate_of, decision.similarity
        copies.succeeded(index)
        return items

    articles = isolate("dedup", articles, dedup, _article_input, errors)
    progress.advance(len(articles))
    _spent(timings, "dedup", t)

    t = time.perf_counter()
    progress.stage("stories", len(articles))
    placing = _Tries(store, STORY_STATE, StoryIndex.from_dict, StoryIndex, models)

    def place(items: list[Article]) -> tuple[list[Story], list[Article], dict[str, str]]:
        index = placing.start()
        # the stored story of each article, and of each original a copy points at
        asked = [a.id for a in items] + [a.duplicate_of for a in items if a.duplicate_of]
        stored = store.stories_of(asked) if store is not None else {}
        load = store.story_members if store is not None else None
        near = store.stories_between if store is not None else None
        placed = place_articles(index, items, stored, load, near)
        placing.succeeded(index)
        return placed.stories, placed.articles, placed.replaced

    stories, articles, replaced = isolate("stories", articles, place, _article_input, errors)
    progress.advance(len(articles))
    _spent(timings, "stories", t)

    t = time.perf_counter()
    progress.stage("claims", len(articles))
    # what the revised articles claimed before their text was replaced
    revised = [a.id for a in articles if a.revised]
    earlier = store.claims_before(revised) if store is not None and revised else {}
    _claims(stories, articles, errors, reads)
    progress.advance(len(articles))
    _spent(timings, "claims", t)

    t = time.perf_counter()
    progress.stage("compare", len(stories))
    # the edits the stored versions of these stories showed (before they are rebuilt)
    stored = (
        store.stored_revisions([i for s in stories for i in (s.id, *s.merged_from)])
        if store is not None
        else []
    )
    _compare(stories, articles, since, errors)
    if earlier:
        at = generated_at().isoformat()
        for story in stories:
            mine = {i: Earlier(*earlier[i]) for i in story.articles if i in earlier}
            if mine:
                revised_figures(story, mine, at)
    if stored:
        for story in stories:
            carry_revisions(story, stored)
    progress.advance(len(stories))
    _spent(timings, "compare", t)
    versions = {**copies.versions(), **placing.versions()}
    kept: dict[str, _Model] = {**copies.models(), **placing.models()}
    return Processed(articles, stories, errors, replaced, versions, kept)


T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M", bound="_Model")


class _Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class StageModels:
    """The stage models of one writer, kept in memory from one micro-batch to the next.

    Each is held with the stored version its state equals (the version its batch's
    commit wrote). The next batch takes it when the store still holds that version, so
    nothing else saved the stage since, instead of reading and decoding the whole state
    again: at steady state that was about 1 s of every 500-article batch of the stream
    bench (the three states are ~20 MB of JSON). A reloaded model decides as the one it
    was saved from (each stage's `to_dict` keeps the orders its sums are taken in), so
    a run that holds its models and one killed and resumed store the same.
    """

    def __init__(self) -> None:
        self._held: dict[str, tuple[int, Any]] = {}

    def take(self, name: str, version: int) -> Any | None:
        """The model of stage NAME if it is the one stored as VERSION; it leaves the
        cache either way, so a try that fails half way never hands it on."""
        held = self._held.pop(name, None)
        return held[1] if held is not None and held[0] == version else None

    def keep(self, name: str, version: int, model: Any) -> None:
        self._held[name] = (version, model)


class _Tries(Generic[M]):
    """A stage's model across the tries of `isolate`: each try starts from the state the
    store kept (so a failed try leaves no decision behind), and the model of the last
    try that succeeded is what the run saves. The first try may take the model itself
    from MODELS (`StageModels`) instead of the stored state it equals."""

    def __init__(
        self,
        store: Store | None,
        name: str,
        load: Callable[[dict[str, Any]], M],
        empty: Callable[[], M],
        models: StageModels | None = None,
    ) -> None:
        self.name, self.load, self.empty, self.store = name, load, empty, store
        self.state: dict[str, Any] | None = None
        self.version = 0
        self.held: M | None = None
        self.read = store is None
        if store is not None and models is not None:
            self.version = store.state_version(name)
            self.held = models.take(name, self.version)
        if self.held is None:
            self._read()
        self.last: M | None = None

    def _read(self) -> None:
        if not self.read and self.store is not None:
            self.state, self.version = self.store.load_state_version(self.name)
            self.read = True

    def start(self) -> M:
        held, self.held = self.held, None
        if held is not None:
            return held
        self._read()
        return self.load(self.state) if self.state else self.empty()

    def succeeded(self, model: M) -> None:
        self.last = model

    def versions(self) -> dict[str, int]:
        return {} if self.last is None else {self.name: self.version}

    def models(self) -> dict[str, M]:
        return {} if self.last is None else {self.name: self.last}


def isolate(
    stage: str,
    items: list[T],
    run: Callable[[list[T]], R],
    name: Callable[[T], str],
    errors: list[InputError],
) -> R:
    """`run(items)`; if it raises, run it again without the items it fails on.

    The failing items are found by halving (each probe runs on deep copies, so a
    half-done probe leaves nothing behind) and reported under their input's name.
    A failure that no single item causes is a bug of the stage and is raised.
    """
    try:
        return run(items)
    except Exception:
        bad = _failing(items, lambda part: run(copy.deepcopy(part)))
        if not bad:
            raise
    failed = {id(item) for item, _ in bad}
    for item, exc in bad:
        errors.append(InputError(name(item), stage_error(stage, exc)))
    return run([item for item in items if id(item) not in failed])


def stage_error(stage: str, exc: BaseException) -> str:
    """The one-line reason shown for an input a stage failed on."""
    detail = " ".join(str(exc).split())
    if len(detail) > _DETAIL_CHARS:
        detail = detail[: _DETAIL_CHARS - 1] + "…"
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return f"internal error in stage {stage!r} ({reason}); this input was left out"


_DETAIL_CHARS = 200


def _failing(items: list[T], probe: Callable[[list[T]], object]) -> list[tuple[T, Exception]]:
    try:
        probe(items)
        return []
    except Exception as exc:
        if len(items) == 1:
            return [(items[0], exc)]
    mid = len(items) // 2
    return _failing(items[:mid], probe) + _failing(items[mid:], probe)


def _spent(timings: dict[str, float], stage: str, since: float) -> None:
    """Add the time since SINCE to STAGE: micro-batches add up to the run's timings."""
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - since


def _article_input(article: Article) -> str:
    return article.input


def _claims(
    stories: list[Story],
    articles: list[Article],
    errors: list[InputError],
    reads: ReadCache | None = None,
) -> None:
    """Claims for every story; the stage itself leaves out an article it fails on (which
    stays in its story with no claims of its own) and tells us, batching kept."""
    by_id = {a.id: a for a in articles}

    def report(error: ClaimsError) -> None:
        article = by_id.get(error.article) if error.article else None
        where = article.input if article is not None else f"story {error.story}"
        errors.append(InputError(where, stage_error("claims", error.__cause__ or error)))

    extract_claims(stories, articles, on_error=report, cache=reads)


def _compare(
    stories: list[Story], articles: list[Article], since: datetime | None, errors: list[InputError]
) -> None:
    try:
        compare_stories(stories, articles, since)
        return
    except Exception:
        pass
    by_id = {a.id: a for a in articles}
    for story in stories:
        try:
            compare_story(story, by_id, since)
        except Exception as exc:
            # the story keeps its claims; it shows no facets rather than half of them
            story.facets, story.brief, story.outlets, story.changes = [], [], [], None
            errors.append(
                InputError(f"story {story.id}: {story.headline}", stage_error("compare", exc))
            )


def process_batches(
    batches: Iterable[Sequence[RawDoc]],
    store: Store,
    inputs: Sequence[str],
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None = None,
) -> Iterator[tuple[Processed, int]]:
    """Stages 2-6 and the store over one micro-batch after another, each committed with
    the story index's state before the next begins: a run killed between two loses
    nothing committed, and the next run takes the committed articles as stored. Yields
    each batch's result and how many of its articles were new to the store."""
    reads, models = ReadCache(), StageModels()
    for docs in batches:
        yield commit_batch(
            docs, store, inputs, progress, timings, since, reads=reads, models=models
        )


def commit_batch(
    docs: Sequence[RawDoc],
    store: Store,
    inputs: Sequence[str],
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None = None,
    errors: Sequence[InputError] = (),
    reads: ReadCache | None = None,
    models: StageModels | None = None,
) -> tuple[Processed, int]:
    """One micro-batch through stages 2-6 into the store as one run, with ERRORS met
    before it (a feed that failed to fetch) saved among the run's own; READS carries
    parses and MODELS the stage models from batch to batch."""
    done, new, run_id = _decide_and_save(
        docs, store, inputs, progress, timings, since, errors, reads, models
    )
    store.finish_run(run_id, {"articles": len(done.articles), "stories": len(done.stories)})
    return done, new


def _decide_and_save(
    docs: Sequence[RawDoc],
    store: Store,
    inputs: Sequence[str],
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None,
    errors: Sequence[InputError],
    reads: ReadCache | None,
    models: StageModels | None = None,
) -> tuple[Processed, int, int]:
    """Stages 2-6 and the save of their decisions, decided again (up to STATE_TRIES
    times) when another writer saved the stage states in between: its decisions are
    then built on, not overwritten. Returns the result, the new articles, the run id."""
    run_id: int | None = None
    for attempt in range(STATE_TRIES):
        if docs:
            done = process(docs, progress, timings, since, store, reads, models)
            done.errors[:0] = errors
        else:  # nothing to analyze: the run records the errors, the stage states stay
            done = Processed([], [], list(errors), {})
        t = time.perf_counter()
        progress.stage("store", len(done.articles))
        if run_id is None:
            run_id = store.begin_run(list(inputs))
        try:
            new = store.save_run(
                run_id,
                done.articles,
                done.stories,
                done.errors,
                done.replaced,
                {name: model.to_dict() for name, model in done.models.items()},
                done.versions,
            )
        except StateConflict:
            if attempt == STATE_TRIES - 1:
                raise
            continue
        finally:
            _spent(timings, "store", t)
        if models is not None:
            # the commit wrote each state as the version after the one it was decided
            # from (`save_run` checked that no other writer came between)
            for name, model in done.models.items():
                models.keep(name, done.versions[name] + 1, model)
        progress.advance(len(done.articles))
        return done, new, run_id
    raise AssertionError("unreachable: the last try raises")


def analyze(
    paths: Sequence[Path],
    store: Store | None = None,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    since: datetime | None = None,
    exclude: Sequence[Path] = (),
    batch_size: int | None = None,
) -> RunResult:
    """Run every stage over files and folders; persist to `store` when given.

    With `since`, each story also lists what changed after that moment. With
    `batch_size` and a store, the documents go through the stages and into the store
    that many at a time (`process_batches`); the report holds every story they touched,
    as it stands after the last batch; every page counts toward its site's boilerplate
    before the first batch, so the batch size changes when work is committed, not what
    an article's clean text (and id) is.
    """
    progress = progress or Progress()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    docs, errors = ingest(paths, progress, max_bytes, exclude)
    _spent(timings, "ingest", t)

    if store is not None and batch_size is not None and batch_size > 0:
        return _analyze_in_batches(paths, docs, errors, store, progress, timings, since, batch_size)
    if store is None:
        done = process(docs, progress, timings, since, store)
        errors.extend(done.errors)
        report = build_report(done.articles, done.stories, errors, generated_at())
        return RunResult(done.articles, done.stories, errors, report, timings)
    inputs = [str(p) for p in paths]
    done, new_in_store, run_id = _decide_and_save(
        docs, store, inputs, progress, timings, since, errors, None
    )
    errors = done.errors  # the inputs that could not be read, then the stages'
    report = build_report(done.articles, done.stories, errors, generated_at())
    store.finish_run(run_id, report.get("summary", {}))
    return RunResult(done.articles, done.stories, errors, report, timings, new_in_store)


def _analyze_in_batches(
    paths: Sequence[Path],
    docs: list[RawDoc],
    errors: list[InputError],
    store: Store,
    progress: Progress,
    timings: dict[str, float],
    since: datetime | None,
    batch_size: int,
) -> RunResult:
    # every page counts toward its site's boilerplate before the first batch is cleaned,
    # so any batch size cleans (and names) an article as one batch would
    sites = _Tries(store, SITE_STATE, SiteLines.from_dict, SiteLines).start()
    learn_sites(docs, sites)
    store.save_state(SITE_STATE, sites.to_dict())
    batches = [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)] or [[]]
    stories: dict[str, Story] = {}
    articles: dict[str, Article] = {}
    new_in_store = 0
    inputs = [str(p) for p in paths]
    reads, models = ReadCache(), StageModels()
    unread, errors = errors, []
    for n, batch in enumerate(batches):
        # the inputs that could not be read are stored with the last run (each batch's
        # own errors with its own): `crosswire report` lists the most recent run's
        last = n == len(batches) - 1
        done, new = commit_batch(
            batch, store, inputs, progress, timings, since, unread if last else (), reads, models
        )
        errors.extend(done.errors)
        new_in_store += new
        for old in done.replaced:
            stories.pop(old, None)
        stories.update((s.id, s) for s in done.stories)
        articles.update((a.id, a) for a in done.articles)
    shown = sorted(stories.values(), key=lambda s: (sort_time(s.first_published), s.id))
    members = {m for s in shown for m in s.articles}
    kept = [a for a in articles.values() if a.id in members]
    report = build_report(kept, shown, errors, generated_at())
    return RunResult(kept, shown, errors, report, timings, new_in_store)
