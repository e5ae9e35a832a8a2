"""The bundled example corpus against its gold key (examples/corpus-gold.json)."""

from __future__ import annotations

import dataclasses
import json
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from crosswire import pipeline
from crosswire.model import Article, to_plain

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
GOLD: dict[str, Any] = json.loads((REPO / "examples" / "corpus-gold.json").read_text("utf-8"))


def key(article: Article) -> str:
    """The gold key's input id: the path relative to the corpus (records keep '#id')."""
    return str(Path(article.input).relative_to(CORPUS))


@pytest.fixture(scope="module")
def run() -> pipeline.RunResult:
    return pipeline.analyze([CORPUS])


def test_every_readable_article_is_read_and_the_broken_files_are_reported(
    run: pipeline.RunResult,
) -> None:
    assert sorted(key(a) for a in run.articles) == sorted(GOLD["articles"])
    failed = sorted(str(Path(e.input).relative_to(CORPUS)).split(":")[0] for e in run.errors)
    assert failed == sorted(e["input"] for e in GOLD["errors"])


def test_every_wire_copy_points_at_its_original(run: pipeline.RunResult) -> None:
    by_id = {a.id: a for a in run.articles}
    found = {key(a): key(by_id[a.duplicate_of]) for a in run.articles if a.duplicate_of}
    assert found == GOLD["copies"]


def test_outlets_and_publication_times_match_the_gold_key(run: pipeline.RunResult) -> None:
    for article in run.articles:
        gold = GOLD["articles"][key(article)]
        assert article.published == gold["published"], key(article)
        assert article.outlet == gold["outlet"], key(article)


def test_stories_never_mix_two_events(run: pipeline.RunResult) -> None:
    """B-cubed precision 1: no predicted story holds articles of two gold stories."""
    for story in run.stories:
        members = [a for a in run.articles if a.story == story.id]
        assert len({GOLD["articles"][key(a)]["story"] for a in members}) == 1, story.headline


def test_two_earthquakes_two_days_apart_are_two_stories(run: pipeline.RunResult) -> None:
    story_of = {key(a): a.story for a in run.articles}
    peru = {story_of[m] for m in GOLD["stories"]["arequipa-earthquake"]["members"]}
    chile = {story_of[m] for m in GOLD["stories"]["antofagasta-earthquake"]["members"]}
    assert len(peru) == 1 and len(chile) == 1 and peru != chile


def test_a_follow_up_three_days_on_in_new_words_joins_its_story(run: pipeline.RunResult) -> None:
    # the flood's damage bill (costs, aid) shares little wording with the evacuations
    # three days before; it split off while the grace was one day
    story_of = {key(a): a.story for a in run.articles}
    flood = story_of["feeds/cpa-wire.jsonl#cpa-20260303-porto-floods"]
    assert story_of["feeds/cpa-wire.jsonl#cpa-20260306-portugal-flood-damage"] == flood
    assert story_of["metro-wire-daily/2026-03-06-portugal-flood-damage.txt"] == flood


def test_pairwise_story_recall_on_the_corpus(run: pipeline.RunResult) -> None:
    """Pairs of one gold story that land in one predicted story (follow-ups included)."""
    story_of = {key(a): a.story for a in run.articles}
    pairs = [
        (a, b)
        for story in GOLD["stories"].values()
        for a, b in combinations(sorted(story["members"]), 2)
    ]
    together = sum(story_of[a] == story_of[b] for a, b in pairs)
    assert together / len(pairs) >= 0.8


def test_stories_are_stored_and_reported_exactly_as_asdict_writes_them(
    run: pipeline.RunResult,
) -> None:
    # to_plain replaces dataclasses.asdict on the write path for speed; a field it
    # dropped or a list it shared would change what the store and report.json hold
    for story in run.stories:
        plain = to_plain(story)
        assert plain == dataclasses.asdict(story)
        assert plain["claims"] is not story.claims
