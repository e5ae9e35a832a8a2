"""Turn the pipeline's dataclasses into the report object of `crosswire.report/1`.

Order is fixed so that the same input always gives the same bytes:
stories by first publication (unknown last), then id; articles by the position of
their story in that order (articles in no story last), then publication instant
(unknown last), then id; each story's `articles` list in that same article order;
errors by input, then reason. Times are compared as instants, so "10:00+09:00"
sorts before "02:00Z" on the same day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from crosswire.model import Article, InputError, Story, published_instant, to_plain

SCHEMA_ID = "crosswire.report/1"

_NO_STORY_RANK = 1 << 30


def build_report(
    articles: Sequence[Article],
    stories: Sequence[Story],
    errors: Sequence[InputError],
    generated_at: datetime,
) -> dict[str, Any]:
    """Return the report.json object for one run.

    `generated_at` must carry a time zone (it is written in UTC); a naive time is
    refused rather than guessed. A story without `first_published`/`last_published`
    gets them from its articles, so the span shown to a person matches the JSON.
    """
    story_dicts = sorted((story_to_dict(story, articles) for story in stories), key=_story_sort_key)
    story_rank = {story["id"]: rank for rank, story in enumerate(story_dicts)}
    article_dicts = sorted(
        (article_to_dict(article) for article in articles),
        key=lambda article: _article_sort_key(article, story_rank),
    )
    article_rank = {article["id"]: rank for rank, article in enumerate(article_dicts)}
    for story in story_dicts:
        story["articles"] = _sorted_ids(story["articles"], article_rank)
    error_dicts = sorted(
        ({"input": error.input, "error": error.error} for error in errors),
        key=lambda error: (error["input"], error["error"]),
    )
    return {
        "schema": SCHEMA_ID,
        "generated_at": format_generated_at(generated_at),
        "summary": summarize(article_dicts, story_dicts, error_dicts),
        "stories": story_dicts,
        "articles": article_dicts,
        "errors": error_dicts,
    }


def format_generated_at(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("generated_at must be timezone-aware, e.g. datetime.now(UTC)")
    utc = moment.astimezone(UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


def summarize(
    articles: Sequence[Mapping[str, Any]],
    stories: Sequence[Mapping[str, Any]],
    errors: Sequence[Mapping[str, Any]],
) -> dict[str, int]:
    """Counts a person reads first; works on report dicts so any report can be summarised.

    `inputs` counts distinct input names among articles and errors: a JSONL file
    with many records is one input when its records keep the file's name.
    """
    inputs = {str(article["input"]) for article in articles}
    inputs.update(str(error["input"]) for error in errors)
    outlets = {article["outlet"] for article in articles if article.get("outlet")}
    duplicates = sum(1 for article in articles if article.get("duplicate_of"))
    return {
        "inputs": len(inputs),
        "articles": len(articles),
        "unique_articles": len(articles) - duplicates,
        "duplicates": duplicates,
        "outlets": len(outlets),
        "stories": len(stories),
        "errors": len(errors),
    }


def article_to_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "input": article.input,
        "url": article.url,
        "outlet": article.outlet,
        "original_source": article.original_source,
        "title": article.title,
        "byline": article.byline,
        "published": article.published,
        "dateline": article.dateline,
        "language": article.language,
        "text": article.text,
        "removed": list(article.removed),
        "provenance": {
            field: article.provenance[field].to_dict() for field in sorted(article.provenance)
        },
        "duplicate_of": article.duplicate_of,
        "similarity": article.similarity,
        "story": article.story,
        **({"revisions": [to_plain(r) for r in article.revisions]} if article.revisions else {}),
    }


def story_to_dict(story: Story, articles: Sequence[Article] = ()) -> dict[str, Any]:
    first, last = story.first_published, story.last_published
    if first is None or last is None:
        members = set(story.articles)
        span = _published_span(a.published for a in articles if a.id in members)
        first = first if first is not None else span[0]
        last = last if last is not None else span[1]
    result: dict[str, Any] = {
        "id": story.id,
        "headline": story.headline,
        "articles": list(story.articles),
        "first_published": first,
        "last_published": last,
        # the nested stage 5/6 objects serialise field for field, as the store keeps them
        "entities": [to_plain(entity) for entity in story.entities],
        "claims": [to_plain(claim) for claim in story.claims],
        "facets": [to_plain(facet) for facet in story.facets],
        "brief": [to_plain(sentence) for sentence in story.brief],
        "outlets": [to_plain(view) for view in story.outlets],
    }
    if story.changes is not None:
        result["changes"] = to_plain(story.changes)
    if story.merged_from:
        # the stored stories this run merged into this one: their ids resolve here now
        result["merged_from"] = list(story.merged_from)
    return result


def _published_span(published: Iterable[str | None]) -> tuple[str | None, str | None]:
    dated = [(moment, text) for text in published if (moment := published_instant(text))]
    if not dated:
        return None, None
    dated.sort()
    return dated[0][1], dated[-1][1]


def _time_key(published: str | None) -> tuple[int, float]:
    moment = published_instant(published)
    return (1, 0.0) if moment is None else (0, moment.timestamp())


def _story_sort_key(story: Mapping[str, Any]) -> tuple[tuple[int, float], str]:
    return _time_key(story["first_published"]), story["id"]


def _article_sort_key(
    article: Mapping[str, Any], story_rank: Mapping[str, int]
) -> tuple[int, tuple[int, float], str]:
    rank = story_rank.get(article["story"], _NO_STORY_RANK) if article["story"] else _NO_STORY_RANK
    return rank, _time_key(article["published"]), article["id"]


def _sorted_ids(ids: Sequence[str], rank: Mapping[str, int]) -> list[str]:
    # Ids of articles missing from the report are kept (never dropped silently), last.
    return sorted(ids, key=lambda article_id: (rank.get(article_id, _NO_STORY_RANK), article_id))
