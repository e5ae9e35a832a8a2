"""The learned "same measure?" decision: what a reader sees of it, end to end and in parts.

The stories here are written for these tests (not taken from any gold set) and run
through the real pipeline: real claims extraction, the shipped weights.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire import pipeline
from crosswire.cli import app
from crosswire.compare import pairs
from crosswire.compare.facets import interval
from crosswire.model import Facet, Quantity, Story

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "facets_basil_dev"


def _run(tmp_path: Path, records: list[dict[str, str]]) -> tuple[Story, dict[str, str]]:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run = pipeline.analyze([path])
    assert not run.errors, run.errors
    (story,) = run.stories
    outlet_of = {a.id: a.outlet or "" for a in run.articles}
    return story, {c.id: outlet_of[c.article] for c in story.claims}


def _facet_with(story: Story, words: str) -> Facet:
    texts = {c.id: c.text for c in story.claims}
    found = [f for f in story.facets if any(words in texts[c] for c in f.claims)]
    assert found, [f.label for f in story.facets]
    return found[0]


STORM = [
    (
        "Gulf Herald",
        "Hurricane Dara killed 14 people across the island on Monday, the civil defence"
        " agency said. The storm also destroyed 300 homes in the northern districts."
        " Schools will stay closed for the rest of the week.",
    ),
    (
        "Island Times",
        "Fourteen people died when Hurricane Dara crossed the island on Monday, according to"
        " the civil defence agency. Power was cut to most of the capital overnight.",
    ),
    (
        "Coastal Post",
        "Hurricane Dara left 14 people dead on the island on Monday, the civil defence agency"
        " said, and destroyed about 300 homes in the north. Ferries were suspended.",
    ),
]


def _storm_records() -> list[dict[str, str]]:
    return [
        {
            "id": f"storm{n}",
            "title": "Hurricane Dara hits the island",
            "text": text,
            "outlet": outlet,
            "published": f"2026-09-14T1{n}:00:00+00:00",
        }
        for n, (outlet, text) in enumerate(STORM)
    ]


def test_one_toll_worded_three_ways_is_one_facet_of_one_origin(tmp_path: Path) -> None:
    story, outlet_of = _run(tmp_path, _storm_records())
    deaths = _facet_with(story, "killed 14 people")
    assert {outlet_of[c] for c in deaths.claims} == {"Gulf Herald", "Island Times", "Coastal Post"}
    # three outlets repeating the one agency are one origin, not three confirmations
    assert deaths.independent_origins == 1
    assert deaths.status == "single-source"
    # the homes the storm destroyed are another measure, whatever sentence they share
    homes = _facet_with(story, "also destroyed 300 homes")
    assert homes is not deaths
    assert homes.status == "agreed"
    assert not any(f.status == "conflicting" for f in story.facets)


def test_a_facet_label_is_a_short_noun_phrase(tmp_path: Path) -> None:
    story, _ = _run(tmp_path, _storm_records())
    for facet in story.facets:
        if facet.kind is not None:  # a figure facet, not an event sentence
            assert len(facet.label.split()) <= 8, facet.label
            assert not facet.label.endswith("."), facet.label


# ---------------------------------------------------------------- values


def _q(low: float, high: float | None = None, approximate: bool = False) -> Quantity:
    return Quantity(
        text="", low=low, high=low if high is None else high, kind=None, approximate=approximate
    )


def test_a_round_figure_covers_what_it_rounds_and_no_more() -> None:
    # "$300 billion" in one outlet, "$312 billion" in another: one figure rounded
    assert pairs.overlap(interval(_q(300e9)), interval(_q(312e9)))
    # "40,000 pages" against "45,000 pages": a round figure is not a licence to disagree
    assert not pairs.overlap(interval(_q(40_000)), interval(_q(45_000)))
    # a figure given to the unit is exact
    assert interval(_q(38)) == (38, 38)
    assert not pairs.overlap(interval(_q(35)), interval(_q(38)))


def test_time_compatible_reads_day_level_references_of_one_week_as_one_tally() -> None:
    monday, friday = (date(2026, 9, 14),) * 2, (date(2026, 9, 18),) * 2
    assert pairs.time_compatible(monday, friday)
    month = (date(2026, 1, 1), date(2026, 1, 31))
    assert not pairs.time_compatible(month, (date(2026, 3, 1), date(2026, 3, 31)))
    assert pairs.time_compatible(None, month)


# ---------------------------------------------------------------- the parts


def _side(**kw: object) -> pairs.Side:
    base: dict[str, object] = dict(
        unit=None,
        family=None,
        noun=frozenset(),
        near=frozenset(),
        names=frozenset(),
        qualifiers=frozenset(),
        sentence=frozenset(),
        verb=None,
        span=(1.0, 1.0),
        article="a",
        claim="a-c1",
        origin="o",
        time=None,
        delta=False,
        partial=False,
    )
    base.update(kw)
    return pairs.Side(**base)  # type: ignore[arg-type]


def test_a_figure_in_parentheses_reads_the_name_before_it() -> None:
    text = "The poll put Okafor (31 percent) ahead of Lindqvist (24 percent)."
    at = text.index("31 percent")
    near, names, _ = pairs.context_of(text, at, at + len("31 percent"), frozenset({"the"}))
    assert "okafor" in names
    assert "okafor" in near


def test_a_key_every_figure_shares_pairs_nobody_but_the_week_still_does() -> None:
    sides = [
        _side(
            family="killed",
            span=(float(n % 50 + 3),) * 2,
            claim=f"c{n}",
            time=(date(2026, 1, 1 + n % 28),) * 2,
        )
        for n in range(pairs.BLOCK_MAX + 100)
    ]
    found = pairs.candidate_pairs(sides)
    assert found  # the week keys pair figures of one week
    assert len(found) < len(sides) * (len(sides) - 1) // 2  # not every pair
    assert all(a < b for a, b in found)


def test_weights_from_other_code_are_refused() -> None:
    model = pairs.default_model()
    assert pairs.PairModel.from_json(model.to_json()) == model
    body = json.loads(model.to_json())
    body["features"] = body["features"][:-1]
    with pytest.raises(ValueError, match="retrain"):
        pairs.PairModel.from_json(json.dumps(body))


def test_a_conflict_needs_the_measure_decision_to_link_the_two_values() -> None:
    from crosswire.compare import facets
    from crosswire.model import Article, Claim

    claims = []
    for n, value in enumerate((120, 180)):
        text = f"Officials said {value} families were moved to shelters."
        art = Article(id=f"x{n}", input=f"x{n}", text=text, outlet=f"Outlet {n}")
        start = text.index(str(value))
        quantity = Quantity(
            text=str(value),
            low=value,
            high=value,
            kind="families",
            start=start,
            end=start + len(str(value)),
        )
        claims.append(
            Claim(
                id=f"{art.id}-c1",
                article=art.id,
                text=text,
                start=0,
                end=len(text),
                quantities=[quantity],
                origin=f"origin {n}",
                outlet=art.outlet,
            )
        )
    infos = facets.claim_infos(claims)
    mentions = [m for info in infos for m in facets.mentions_of(info)]
    origins = {i.origin for i in infos}
    assert facets.judge(mentions, origins) == "conflicting"  # values alone
    assert facets.judge(mentions, origins, linked=set()) == "complementary"
    linked = {frozenset(id(m) for m in mentions)}
    assert facets.judge(mentions, origins, linked=linked) == "conflicting"


# ---------------------------------------------------------------- commands


def test_folds_need_a_gold_folder_and_two_or_more(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "facets", str(gold), "--folds", "5"])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["train", "facets", str(tmp_path)])
    assert result.exit_code == 2
    assert "gold.json" in result.output


def test_basil_dev_cross_validated_by_event_folds() -> None:
    if not BASIL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{BASIL} is missing")
        pytest.skip("../shared/data is not here")
    result = CliRunner().invoke(app, ["eval", "facets", str(BASIL), "--folds", "5"])
    assert result.exit_code == 0, result.output
    assert "other 4 of 5 event folds" in result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    # measured 0.775 pair F1, 0.62 status with weights that never saw the event; the
    # rules they replaced scored 0.467 / 0.325. Floors catch a regression.
    assert metrics["pair_f1"] >= 0.7
    assert metrics["status_accuracy"] >= 0.55
    assert metrics["mention_recall"] >= 0.95
