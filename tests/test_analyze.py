"""`crosswire analyze` end to end: real files in, a valid report and a filled store out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
from test_ingest import write_broken, write_good
from test_report import check_html_links, check_markdown_links
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
SCHEMA = SHARED / "contract" / "report.schema.json"
REPO = Path(__file__).resolve().parents[1]

runner = CliRunner()


def analyze(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["analyze", *args])
    return result.exit_code, result.output


def load_valid_report(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    return report


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    tmp = tmp_path_factory.mktemp("seeds")
    code, output = analyze(str(SEEDS), "--out", str(tmp / "out"), "--db", f"sqlite:///{tmp}/c.db")
    assert code == 0, output
    return load_valid_report(tmp / "out"), tmp


def by_input(report: dict[str, Any], fragment: str) -> dict[str, Any]:
    [article] = [a for a in report["articles"] if fragment in a["input"]]
    return article


def test_the_two_seeds_are_one_story_with_clean_voa_copy(
    seeds_run: tuple[dict[str, Any], Path],
) -> None:
    report, _ = seeds_run
    assert report["errors"] == []
    assert len(report["articles"]) == 2
    assert len(report["stories"]) == 1
    assert sorted(report["stories"][0]["articles"]) == sorted(a["id"] for a in report["articles"])
    voa = by_input(report, "002_")
    assert voa["published"] == "2025-02-28T03:04:00+10:00"
    assert voa["original_source"] == "Voice of America"
    assert voa["text"].startswith("South Korea's spy agency said Thursday")
    assert voa["text"].rstrip().endswith("isolate Russia over its war in Ukraine.")
    for clutter in ("daily email", "news release", "More Information", "Foxconn", "LUBBOCK"):
        assert clutter not in voa["text"]
    assert any("Foxconn" in block for block in voa["removed"])
    afp = by_input(report, "000_")
    assert afp["original_source"] == "AFP"
    assert afp["dateline"] == "SEOUL, South Korea"


def test_report_files_are_written_for_people_too(seeds_run: tuple[dict[str, Any], Path]) -> None:
    report, tmp = seeds_run
    headline = report["stories"][0]["headline"]
    md = (tmp / "out" / "report.md").read_text(encoding="utf-8")
    html = (tmp / "out" / "report.html").read_text(encoding="utf-8")
    (story,) = (tmp / "out" / "stories").glob("*.html")
    page = story.read_text(encoding="utf-8")
    # the story's Markdown page sits beside its HTML page, and report.md links to it
    md_page = story.with_suffix(".md").read_text(encoding="utf-8")
    assert f"]({story.parent.name}/{story.stem}.md)" in md
    assert headline in md and f"\n## {headline}\n" not in md
    assert f"\n## {headline}\n" in md_page and "### Claims" in md_page
    for shown in (html, page):  # as a reader sees the page, entities decoded
        assert headline in lxml.html.fromstring(shown).text_content()
    assert "Foxconn" in page and "Foxconn" in md_page  # removed clutter is shown, not hidden
    assert "Foxconn" not in md
    assert html.lstrip().lower().startswith("<!doctype html")
    assert page.lstrip().lower().startswith("<!doctype html")
    check_markdown_links(tmp / "out")
    check_html_links(tmp / "out")


def test_analyzing_twice_stores_each_article_once_and_gives_the_same_report(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    reports = []
    for i in range(2):
        code, output = analyze(str(SEEDS), "--out", str(tmp_path / f"o{i}"), "--db", db)
        assert code == 0, output
        report = load_valid_report(tmp_path / f"o{i}")
        report.pop("generated_at")
        reports.append(report)
    assert reports[0] == reports[1]
    store = Store(db)
    assert store.count("articles") == 2
    assert store.count("runs") == 2
    assert {a.story for a in store.load_articles()} == {reports[0]["stories"][0]["id"]}


def test_broken_inputs_are_reported_and_the_good_ones_analyzed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_good(folder)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    expected = write_broken(folder)
    code, output = analyze(
        str(folder), "--out", str(tmp_path / "out"), "--no-store", "--max-bytes", "100000"
    )
    assert code == 1, output
    report = load_valid_report(tmp_path / "out")
    failed = {Path(e["input"]).name for e in report["errors"]}
    assert set(expected) <= failed
    assert any("002_" in a["input"] for a in report["articles"])
    assert len(report["articles"]) == 8
    assert "truncated.html.gz" in output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = analyze(str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert code == 2 and "no such file" in output
    code, _ = analyze(str(SEEDS))
    assert code == 2


def test_the_installed_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("crosswire")
    env = os.environ | {"SOURCE_DATE_EPOCH": "1767225600"}
    proc = subprocess.run(
        [str(exe), "analyze", str(SEEDS), "--out", str(tmp_path), "--no-store"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 story from 2 articles" in proc.stdout
    report = load_valid_report(tmp_path)
    assert report["generated_at"].startswith("2026-01-01T00:00:00")


def test_claims_and_facets_are_in_the_store(seeds_run: tuple[dict[str, Any], Path]) -> None:
    report, tmp = seeds_run
    store = Store(f"sqlite:///{tmp}/c.db")
    try:
        story = report["stories"][0]
        assert store.count("claims") == len(story["claims"]) > 0
        assert store.count("facets") == len(story["facets"]) > 0
        assert store.count("entities") == len(story["entities"])
        (loaded,) = store.load_stories()
        assert [c.id for c in loaded.claims] == [c["id"] for c in story["claims"]]
        assert {f.status for f in loaded.facets} >= {"conflicting", "agreed"}
    finally:
        store.close()


def test_changes_since_from_the_run_and_from_the_store(
    seeds_run: tuple[dict[str, Any], Path],
) -> None:
    _, tmp = seeds_run
    # VOA's copy is dated 2025-02-28T03:04+10:00, i.e. 27 Feb 17:04 UTC; AFP's is undated
    code, output = analyze(
        str(SEEDS),
        "--out",
        str(tmp / "since"),
        "--no-store",
        "--since",
        "2025-02-27T00:00Z",
    )
    assert code == 0, output
    story = load_valid_report(tmp / "since")["stories"][0]
    facets = {f["id"]: f for f in story["facets"]}
    changes = story["changes"]
    assert changes["new_claims"]
    assert [facets[f]["status"] for f in changes["new_conflicts"]] == ["conflicting"]
    assert changes["new_confirmations"], "the troops figure gains VOA as a second origin"

    stored = runner.invoke(
        app, ["changes", "--since", "2025-02-27T00:00Z", "--db", f"sqlite:///{tmp}/c.db"]
    )
    assert stored.exit_code == 0, stored.output
    (from_store,) = json.loads(stored.output.strip().splitlines()[-1])
    assert from_store["new_conflicts"] == changes["new_conflicts"]
    assert from_store["new_facets"] == changes["new_facets"]
    assert "new conflict: North Korean casualties" in stored.output

    later = runner.invoke(
        app, ["changes", "--since", "2025-03-01T00:00Z", "--db", f"sqlite:///{tmp}/c.db"]
    )
    assert json.loads(later.output.strip().splitlines()[-1]) == []


def test_since_must_be_a_time(tmp_path: Path) -> None:
    code, output = analyze(str(SEEDS), "--out", str(tmp_path), "--no-store", "--since", "soon")
    assert code == 2
    assert "--since wants an ISO 8601 time" in output
