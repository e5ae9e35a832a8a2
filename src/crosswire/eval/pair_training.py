"""Fit the pairwise "same measure?" weights on gold figures, and score them honestly.

Examples are the pairs the grouping itself scores (`pairs.candidate_pairs` over each
story's figures) with at least one figure matched to a gold mention: positive when both
are matched to mentions of one gold facet, negative otherwise. A figure the gold leaves
out is not the same measure as a gold one (gold marks every figure two outlets report),
and pairs of two figures the gold leaves out are not examples at all: nobody said.

`cross_validate` rotates folds of events (every fifth event by label): the weights that
group a story's figures never saw its event, so the score is one on unseen events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.compare import compare_story, pairs
from crosswire.compare.facets import claim_infos, mentions_of, sides_of
from crosswire.eval.figures import (
    Figure,
    gold_mentions,
    match_figures,
    read_gold_folder,
    record_ids,
    shift_of,
)
from crosswire.model import Article, Story

FOLDS = 5
C = 1.0  # inverse L2 strength: sklearn's default, not tuned


@dataclass(slots=True)
class Examples:
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # the story's event, for folds


def story_events(
    events: Sequence[Mapping[str, Any]], articles: Sequence[Article], stories: Sequence[Story]
) -> dict[str, str]:
    """Each story's event: the gold event most of its articles belong to."""
    record_of = record_ids(articles)
    event_of = {str(a): str(e["label"]) for e in events for a in e["articles"]}
    out = {}
    for story in stories:
        votes = Counter(event_of.get(record_of.get(a, ""), "") for a in story.articles)
        votes.pop("", None)
        if votes:
            out[story.id] = min(votes, key=lambda e: (-votes[e], e))
    return out


def examples(
    events: Sequence[Mapping[str, Any]],
    records: Mapping[str, Mapping[str, Any]],
    articles: Sequence[Article],
    stories: Sequence[Story],
) -> Examples:
    mentions = gold_mentions(events)
    record_of = record_ids(articles)
    event_of_story = story_events(events, articles, stories)
    out = Examples()
    for story in stories:
        event = event_of_story.get(story.id)
        if event is None:
            continue
        infos = [i for i in claim_infos(story.claims) if i.root == i.claim.id]
        figures = [m for info in infos for m in mentions_of(info)]
        # figures placed in their records' text; `facets` carries each one's index here,
        # so a matched figure says which of `figures` it is
        placed: list[Figure] = []
        for m in figures:
            claim = m.info.claim
            record = records.get(record_of.get(claim.article, ""), {})
            shift = shift_of(str(record.get("text") or ""), claim)
            # a sentence not found in its record places its figures where nothing is
            start = m.quantity.start + (shift if shift is not None else -(10**9))
            placed.append(
                Figure(
                    record_of.get(claim.article, ""),
                    start,
                    start + len(m.quantity.text),
                    claim,
                    frozenset({str(len(placed))}),
                )
            )
        gold_of: dict[int, int] = {}
        for i, figure in match_figures(mentions, placed).items():
            gold_of[int(next(iter(figure.facets)))] = mentions[i].facet
        sides = sides_of(figures)
        for a, b in pairs.candidate_pairs(sides):
            ga, gb = gold_of.get(a), gold_of.get(b)
            if ga is None and gb is None:
                continue
            out.rows.append(pairs.pair_features(sides[a], sides[b]))
            out.labels.append(int(ga is not None and ga == gb))
            out.events.append(event)
    return out


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], name: str = "") -> pairs.PairModel:
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels)
    return pairs.PairModel(_logistic(x, y), _logistic(pairs.blind(x), y), trained_on=name)


def _logistic(x: np.ndarray, y: np.ndarray) -> tuple[float, ...]:
    from sklearn.linear_model import LogisticRegression

    # the bias is a feature column, so the solver's own intercept stays off. Balanced
    # classes: how many pairs are the same measure depends on how many figures a story
    # has, so the decision is where the evidence tips, not where this corpus's base rate is
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=2000, class_weight="balanced")
    model.fit(x, y)
    return tuple(float(w) for w in model.coef_[0])


def cross_validate(
    events: Sequence[Mapping[str, Any]],
    records: Mapping[str, Mapping[str, Any]],
    articles: Sequence[Article],
    stories: Sequence[Story],
    folds: int = FOLDS,
) -> None:
    """Regroup every story with weights fitted on the other folds' events (in place)."""
    data = examples(events, records, articles, stories)
    ordered = sorted({str(e["label"]) for e in events})
    fold = {e: n % folds for n, e in enumerate(ordered)}
    event_of_story = story_events(events, articles, stories)
    by_id = {a.id: a for a in articles}
    for k in range(folds):
        train = [n for n, e in enumerate(data.events) if fold[e] != k]
        model = fit([data.rows[n] for n in train], [data.labels[n] for n in train])
        for story in stories:
            event = event_of_story.get(story.id)
            if event is not None and fold[event] == k:
                compare_story(story, by_id, model=model)


def train(path: Path) -> pairs.PairModel:
    """Weights fitted on every event of a gold folder (articles.jsonl + gold.json)."""
    from crosswire.pipeline import analyze

    gold, records = read_gold_folder(path)
    run = analyze([path / "articles.jsonl"])
    data = examples(gold["events"], records, run.articles, run.stories)
    return fit(data.rows, data.labels, name=f"{path.name}: {len(data.rows)} pairs")
