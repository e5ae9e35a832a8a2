"""The `crosswire` command as a user runs it: exit codes, messages, a safe terminal."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
CROSSWIRE = Path(sys.executable).with_name("crosswire")
ONE_ARTICLE = "metro-wire-daily/2026-03-09-polish-shipyard-strike.txt"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "COLUMNS": "200"}
    return subprocess.run(
        [str(CROSSWIRE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


def one_article(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / ONE_ARTICLE, folder / "strike.txt")
    return folder


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("nope:/x", "not a store URL"),
        # psycopg is installed: the URL is tried and refused before any work
        ("postgresql://127.0.0.1:1/crosswire", "cannot open the store"),
        ("mysql://127.0.0.1:1/crosswire", "needs the Python package"),
    ],
)
def test_a_bad_store_url_is_a_usage_error_before_any_work(
    tmp_path: Path, db: str, expected: str
) -> None:
    proc = run("analyze", one_article(tmp_path / "in"), "--out", tmp_path / "out", "--db", db)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out" / "report.json").exists()


def test_an_out_that_cannot_be_a_folder_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    src = one_article(tmp_path / "in")
    a_file = tmp_path / "report.txt"
    a_file.write_text("not a folder")
    db = tmp_path / "never.db"
    for out in (a_file, a_file / "sub"):
        proc = run("analyze", src, "--out", out, "--db", f"sqlite:///{db}")
        assert proc.returncode == 2, proc.stderr
        assert "--out" in proc.stderr and "Traceback" not in proc.stderr
        assert not db.exists()  # nothing was started


def test_an_internal_error_is_one_line_and_exit_3_with_the_traceback_under_debug(
    tmp_path: Path,
) -> None:
    # a store written by a newer crosswire: a schema version this one does not know
    db = tmp_path / "newer.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table alembic_version (version_num varchar(32) primary key)")
        conn.execute("insert into alembic_version values ('0999')")
    src = one_article(tmp_path / "in")
    args = ("analyze", src, "--out", tmp_path / "out", "--db", f"sqlite:///{db}")
    plain = run(*args)
    assert plain.returncode == 3
    assert "Traceback" not in plain.stderr + plain.stdout
    assert "internal error" in plain.stderr and "--debug" in plain.stderr
    debug = run(*args, "--debug")
    assert debug.returncode == 3
    assert "Traceback" in debug.stderr


def test_titles_and_paths_cannot_drive_the_terminal(tmp_path: Path) -> None:
    src = tmp_path / "in [/] [bold red]x"
    src.mkdir(parents=True)
    text = (CORPUS / ONE_ARTICLE).read_text(encoding="utf-8")
    record = {
        "title": "\x1b]0;owned\x07\x1b[2J\x1b[31mStrike[/] [link=file:///etc]x[/link]\x9b1m",
        "outlet": "Evil\x1b[5m Daily",
        "text": text,
    }
    (src / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (src / "bad\x1b[2J.json").write_text("{", encoding="utf-8")
    proc = run("analyze", src, "--out", tmp_path / "out", "--no-store")
    assert proc.returncode == 1, proc.stderr
    shown = proc.stdout + proc.stderr
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in shown
    assert "Strike[/]" in shown  # markup in a title is shown as typed
    assert "in [/] [bold red]x" in shown  # and so is markup in a path


def test_an_out_folder_inside_the_input_is_not_read_back(tmp_path: Path) -> None:
    src = one_article(tmp_path / "in")
    for _ in range(2):
        proc = run("analyze", src, "--out", src / "report", "--no-store")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        report = json.loads((src / "report" / "report.json").read_text(encoding="utf-8"))
        assert report["summary"]["articles"] == 1
        assert report["errors"] == []
