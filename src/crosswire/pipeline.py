"""Compose the stages: ingest -> clean -> dedup -> stories -> claims -> compare -> (store, report).

The same functions serve a one-shot `analyze` and, later, incremental arrival; each
stage is called through its package's public function only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crosswire.claims import extract_claims
from crosswire.clean import clean_documents
from crosswire.compare import compare_stories
from crosswire.dedup import find_duplicates
from crosswire.ingest import DEFAULT_MAX_BYTES, discover, read_files
from crosswire.model import Article, InputError, RawDoc, Story
from crosswire.report import build_report
from crosswire.store import Store
from crosswire.stories import cluster_stories, join_stored

STAGES = ("ingest", "clean", "dedup", "stories", "claims", "compare", "store")


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


def generated_at() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that reports can be byte-reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def ingest(
    paths: Sequence[Path], progress: Progress, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[RawDoc], list[InputError]]:
    files, errors = discover(paths)
    progress.stage("ingest", len(files))
    docs, read_errors = read_files(files, max_bytes, on_file=progress.advance)
    return docs, errors + read_errors


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
) -> tuple[list[Article], list[Story], list[InputError], dict[str, str]]:
    """Stages 2-6 over documents already read (with `since`, each story's changes).

    With a store, stories that hold an article the store already has in a story are
    joined to that stored story (`join_stored`); the last item returned maps the
    stored story ids so replaced to the ids that hold their members now.
    """
    t = time.perf_counter()
    progress.stage("clean", len(docs))
    articles, errors = clean_documents(docs)
    articles = unique_articles(articles)
    progress.advance(len(docs))
    timings["clean"] = time.perf_counter() - t

    t = time.perf_counter()
    progress.stage("dedup", len(articles))
    find_duplicates(articles)
    progress.advance(len(articles))
    timings["dedup"] = time.perf_counter() - t

    t = time.perf_counter()
    progress.stage("stories", len(articles))
    stories = cluster_stories(articles)
    replaced: dict[str, str] = {}
    if store is not None:
        stored_story_of = store.stories_of([a.id for a in articles])
        if stored_story_of:
            members = store.story_members(list(stored_story_of.values()))
            joined = join_stored(stories, articles, stored_story_of, members)
            stories, articles, replaced = joined.stories, joined.articles, joined.replaced
    progress.advance(len(articles))
    timings["stories"] = time.perf_counter() - t

    t = time.perf_counter()
    progress.stage("claims", len(articles))
    extract_claims(stories, articles)
    progress.advance(len(articles))
    timings["claims"] = time.perf_counter() - t

    t = time.perf_counter()
    progress.stage("compare", len(stories))
    compare_stories(stories, articles, since)
    progress.advance(len(stories))
    timings["compare"] = time.perf_counter() - t
    return articles, stories, errors, replaced


def analyze(
    paths: Sequence[Path],
    store: Store | None = None,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    since: datetime | None = None,
) -> RunResult:
    """Run every stage over files and folders; persist to `store` when given.

    With `since`, each story also lists what changed after that moment.
    """
    progress = progress or Progress()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    docs, errors = ingest(paths, progress, max_bytes)
    timings["ingest"] = time.perf_counter() - t

    articles, stories, clean_errors, replaced = process(docs, progress, timings, since, store)
    errors.extend(clean_errors)

    new_in_store = None
    if store is not None:
        t = time.perf_counter()
        progress.stage("store", len(articles))
        run_id = store.begin_run([str(p) for p in paths])
        new_in_store = store.save_run(run_id, articles, stories, errors, replaced)
        progress.advance(len(articles))
        timings["store"] = time.perf_counter() - t

    report = build_report(articles, stories, errors, generated_at())
    if store is not None:
        store.finish_run(run_id, report.get("summary", {}))
    return RunResult(articles, stories, errors, report, timings, new_in_store)
