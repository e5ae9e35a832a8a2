"""One quantities vocabulary: what the claims stage reads is what compare compares by,
and what a reader finds in report.json and the store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from crosswire.claims.numbers import find_figures
from crosswire.cli import app
from crosswire.quantities import vocabulary
from crosswire.store import Store


def test_every_coded_currency_is_an_iso_code_and_every_table_is_lower_case() -> None:
    v = vocabulary()
    for table in (v.currency_words, v.measures, v.casualty_kinds, v.family_aliases):
        assert all(key == key.lower() for key in table)
    for code in [*v.currency_words.values(), *v.currency_symbols.values()]:
        assert len(code) == 3 and code.isalpha() and code.isupper(), code
    assert "USD" in v.codes() and "$" not in v.codes()


def test_a_currency_named_by_its_word_is_money_in_that_currency() -> None:
    units = {f.text: f.unit for f in find_figures("The dispute cost 3.5 million zlotys.")}
    assert units == {"3.5 million zlotys": "PLN"}
    units = {f.text: f.unit for f in find_figures("a penalty of 90,000 Swedish kronor")}
    assert units == {"90,000 Swedish kronor": "SEK"}
    # a word that is a currency only inside a figure's own noun phrase is not read after
    # any number
    assert [f.unit for f in find_figures("There are 2 real reasons for the delay.")] == [None]


def test_the_currency_reaches_report_json_and_the_store(tmp_path: Path) -> None:
    records = [
        {
            "id": f"r{n}",
            "title": "Shipyard strike ends",
            "text": f"The shipyard strike in Gdynia cost {amount} in lost output, {who} said."
            " Work resumed on Monday after a pay deal.",
            "outlet": outlet,
            "published": f"2026-05-0{n + 4}T09:00:00+00:00",
        }
        for n, (amount, who, outlet) in enumerate(
            [
                ("about 14 million zlotys", "the company", "Baltic Daily"),
                ("14 million zlotys", "a union official", "Harbour News"),
            ]
        )
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "c.db"
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["analyze", str(src), "--db", f"sqlite:///{db}", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    units = {
        q["text"]: q["unit"]
        for story in report["stories"]
        for claim in story["claims"]
        for q in claim["quantities"]
    }
    assert units == {"about 14 million zlotys": "PLN", "14 million zlotys": "PLN"}
    stored = Store(f"sqlite:///{db}").load_stories()
    assert {q.unit for s in stored for c in s.claims for q in c.quantities} == {"PLN"}
    (facet,) = [f for s in stored for f in s.facets if f.kind == "money"]
    assert facet.status == "agreed"
