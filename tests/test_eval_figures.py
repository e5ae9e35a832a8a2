"""`crosswire eval facets DIR`: facets scored figure by figure against gold mentions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.eval.figures import score_figures
from crosswire.model import Article, Claim, Facet, Quantity, Story

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "facets_basil_dev"

TEXTS = {
    "e_1": "At least 12 people died, police said. Turnout was 60 percent. The hall seats 300.",
    "e_2": "The blast killed 12 people. About 60 percent voted.",
    "e_3": "Officials said 15 people were killed.",
}


def mention(article: str, figure: str, outlet: str, claimant: str) -> dict[str, Any]:
    start = TEXTS[article].index(figure)
    return {
        "article": article,
        "outlet": outlet,
        "text": figure,
        "start": start,
        "end": start + len(figure),
        "claimant": claimant,
    }


EVENTS = [
    {
        "label": "e",
        "facets": [
            {
                "label": "people killed",
                "status": "conflicting",
                "mentions": [
                    mention("e_1", "12", "a", "police"),
                    mention("e_2", "12", "b", "Outlet B"),
                    mention("e_3", "15", "c", "officials"),
                ],
            },
            {
                "label": "turnout",
                "status": "agreed",
                "mentions": [
                    mention("e_1", "60 percent", "a", "Outlet A"),
                    mention("e_2", "60 percent", "b", "Outlet B"),
                ],
            },
            {
                "label": "seats in the hall",
                "status": "single-source",
                "mentions": [mention("e_1", "300", "a", "Outlet A")],
            },
        ],
    }
]


def claim(article: str, sentence: str, figure: str, claimant: str | None = None) -> Claim:
    text = TEXTS[article]
    start = text.index(sentence)
    at = sentence.index(figure)
    return Claim(
        id=f"{article}-{figure}",
        article=article,
        text=sentence,
        start=start,
        end=start + len(sentence),
        claimant=claimant,
        claimant_name=claimant,
        origin=claimant or f"outlet:{article}",
        quantities=[Quantity(figure, 1, 1, None, start=start + at, end=start + at + len(figure))],
    )


def scored(facets: list[tuple[str, list[Claim]]]) -> dict[str, Any]:
    claims = [c for _, group in facets for c in group]
    story = Story(
        id="s",
        headline="h",
        articles=list(TEXTS),
        claims=claims,
        facets=[
            Facet(
                id=f"s-f{n}",
                label=f"facet {n}",
                claims=[c.id for c in group],
                status=status,  # type: ignore[arg-type]
                independent_origins=len(group),
                figures={c.id: [0] for c in group},
            )
            for n, (status, group) in enumerate(facets)
        ],
    )
    records = {k: {"id": k, "text": v} for k, v in TEXTS.items()}
    articles = [Article(id=k, input=f"articles.jsonl#{k}", text=v) for k, v in TEXTS.items()]
    return score_figures(EVENTS, records, articles, [story])


KILLED = [
    claim("e_1", "At least 12 people died, police said.", "12", "police"),
    claim("e_2", "The blast killed 12 people.", "12"),
    claim("e_3", "Officials said 15 people were killed.", "15", "officials"),
]
TURNOUT = [
    claim("e_1", "Turnout was 60 percent.", "60 percent"),
    claim("e_2", "About 60 percent voted.", "60 percent"),
]
SEATS = [claim("e_1", "The hall seats 300.", "300")]


def test_a_perfect_system_scores_one_everywhere() -> None:
    result = scored([("conflicting", KILLED), ("agreed", TURNOUT), ("single-source", SEATS)])
    for key in (
        "mention_recall",
        "pair_precision",
        "pair_recall",
        "pair_f1",
        "status_accuracy",
        "conflict_precision",
        "conflict_recall",
        "claimant_accuracy",
    ):
        assert result[key] == 1.0, key


def test_a_false_conflict_and_a_missed_one_are_counted() -> None:
    # the two different measures thrown into one "conflicting" facet: the turnout
    # facet is shown as a conflict it is not, and the deaths as agreed
    result = scored([("conflicting", [*TURNOUT, KILLED[0]]), ("agreed", KILLED[1:])])
    assert result["conflict_precision"] == 0.0
    assert result["conflict_recall"] == 0.0
    assert result["status_accuracy"] == 0.0
    # pairs: gold has 3 + 1 = 4; the system gets one of them (e_2 12 ~ e_3 15) and
    # turnout right, and makes two false pairs (60 percent with 12 twice)
    assert result["pair_recall"] == 0.5
    assert result["pair_precision"] == 0.5


def test_a_figure_given_to_the_wrong_claimant_counts_against_claimant_accuracy() -> None:
    wrong = [claim("e_1", "At least 12 people died, police said.", "12", "the mayor"), *KILLED[1:]]
    result = scored([("conflicting", wrong), ("agreed", TURNOUT), ("single-source", SEATS)])
    assert result["claimant_accuracy"] == round(5 / 6, 4)


def test_basil_dev_is_scored_with_the_readme_metric_and_prints_json_last() -> None:
    if not BASIL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{BASIL} is missing")
        pytest.skip("../shared/data is not here")
    result = CliRunner().invoke(app, ["eval", "facets", str(BASIL)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["gold_mentions"] == 220 and metrics["gold_facets"] == 91
    assert metrics["status_scored"] == 77
    assert metrics["mention_recall"] > 0.9
    for key in ("pair_f1", "status_accuracy", "conflict_precision", "claimant_accuracy"):
        assert 0.0 <= metrics[key] <= 1.0


def test_the_claim_level_scorer_counts_false_and_missed_conflicts_too() -> None:
    from crosswire.eval.facets import GoldClaim, GoldFacet, score_facets

    gold = [
        GoldFacet("killed", "conflicting", [GoldClaim(c.article, c.text) for c in KILLED]),
        GoldFacet("turnout", "agreed", [GoldClaim(c.article, c.text) for c in TURNOUT]),
    ]

    def facet(n: int, status: str, group: list[Claim]) -> Facet:
        return Facet(f"f{n}", "x", [c.id for c in group], status, 1)  # type: ignore[arg-type]

    right = score_facets(
        [facet(0, "conflicting", KILLED), facet(1, "agreed", TURNOUT)], KILLED + TURNOUT, gold
    )
    assert (right["conflict_precision"], right["conflict_recall"]) == (1.0, 1.0)
    wrong = score_facets(
        [facet(0, "agreed", KILLED), facet(1, "conflicting", TURNOUT)], KILLED + TURNOUT, gold
    )
    assert (wrong["conflict_precision"], wrong["conflict_recall"]) == (0.0, 0.0)
