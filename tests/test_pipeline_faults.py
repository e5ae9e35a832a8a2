"""The last line of defence: a stage that fails on one article fails for that article only."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire import pipeline
from crosswire.model import Article, InputError

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def clean_articles() -> list[Article]:
    docs, _ = pipeline.ingest([CORPUS / "feeds"], pipeline.Progress())
    articles = pipeline.process(docs, pipeline.Progress(), {}).articles
    for article in articles:
        article.duplicate_of = article.similarity = article.story = None
    return articles


def broken_article() -> Article:
    # text that is not a str makes the real stages raise deep inside:
    # the stand-in for whatever unexpected input breaks a stage next
    return Article(id="a-broken", input="odd/broken.json#7", text=None)  # type: ignore[arg-type]


def test_an_article_a_stage_fails_on_is_reported_by_name_and_the_rest_finish(
    clean_articles: list[Article],
) -> None:
    good = [Article(**{f: getattr(a, f) for f in a.__slots__}) for a in clean_articles]
    done = pipeline.process_articles(
        [*good[:5], broken_article(), *good[5:]], pipeline.Progress(), {}
    )
    articles, stories, errors = done.articles, done.stories, done.errors
    assert [e.input for e in errors] == ["odd/broken.json#7"]
    assert "internal error in stage 'dedup'" in errors[0].error
    assert "AttributeError" in errors[0].error
    assert {a.id for a in articles} == {a.id for a in good}
    assert sum(len(s.claims) for s in stories) > 50
    assert all(a.story for a in articles)


def test_isolate_finds_every_failing_item_and_runs_the_rest_once_more() -> None:
    errors: list[InputError] = []
    calls: list[int] = []

    def run(items: list[int]) -> int:
        calls.append(len(items))
        if any(item % 10 == 3 for item in items):
            raise ValueError(f"cannot take {items[0]}")
        return sum(items)

    total = pipeline.isolate("sum", list(range(40)), run, str, errors)
    assert total == sum(i for i in range(40) if i % 10 != 3)
    assert [e.input for e in errors] == ["3", "13", "23", "33"]
    assert all(e.error.startswith("internal error in stage 'sum' (ValueError") for e in errors)

    # one bad item among many is found by halving, not by one run per item
    calls.clear()
    pipeline.isolate("sum", [*range(0, 630, 10), 3], run, str, [])
    assert len(calls) < 20


def test_a_failure_no_single_item_causes_is_raised() -> None:
    def run(items: list[int]) -> None:
        if len(items) > 1:
            raise RuntimeError("needs one item")

    with pytest.raises(RuntimeError):
        pipeline.isolate("pairs", [1, 2, 3], run, str, [])
