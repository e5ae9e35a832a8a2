"""One SQLite store under stress: two writers at once, and runs killed with SIGKILL.

Both drive the real `crosswire analyze` in subprocesses, as a user or a scheduler would.
What the final store holds must not depend on how the runs were interleaved or cut
short, nor on how many transactions a run commits; what any commit left must be whole.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
CROSSWIRE = Path(sys.executable).with_name("crosswire")
# Whole site folders per half: a site's boilerplate is learned from its own pages, so
# splitting a site across runs would change its articles' text, and so their ids.
HALVES = (
    ("feeds", "harbor-ledger", "lakeside-tribune"),
    ("metro-wire-daily", "northgate-post", "valley-courier"),
)


@dataclass
class Run:
    """`crosswire analyze` running in the background, its output going to a file (a
    pipe nobody reads while the test waits to kill it could fill and stall it)."""

    proc: subprocess.Popen[bytes]
    log: Path

    def finish(self) -> tuple[int, str]:
        self.proc.wait(timeout=240)
        return self.proc.returncode, self.log.read_text(errors="replace")


def analyze(*paths: Path, out: Path, db: Path) -> Run:
    log = out.with_suffix(".log")
    with log.open("wb") as sink:
        args = [str(CROSSWIRE), "analyze", *map(str, paths), "--out", str(out)]
        proc = subprocess.Popen(
            [*args, "--db", f"sqlite:///{db}"], stdout=sink, stderr=subprocess.STDOUT
        )
    return Run(proc, log)


def snapshot(db: Path) -> dict[str, Any]:
    """What a store holds, as sets of ids (and each article's decisions), and what
    must hold in it after any commit (see `faults`)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:

        def rows(sql: str) -> set[tuple[Any, ...]]:
            return set(conn.execute(sql).fetchall())

        return {
            "articles": rows("select id, story, duplicate_of from articles"),
            "stories": rows("select id from stories"),
            "claims": rows("select id, story, article from claims"),
            "entities": rows("select id from entities"),
            "facets": rows("select id, status from facets"),
        } | faults(db)
    finally:
        conn.close()


def faults(db: Path) -> dict[str, Any]:
    """SQLite's integrity check, articles whose story is not stored, and claims filed
    under another story than their article's: none of it may be seen at any moment."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        migrated = conn.execute("select 1 from sqlite_master where name = 'claims'").fetchone()
        return {
            "integrity": conn.execute("pragma integrity_check").fetchall(),
            "orphans": set()
            if not migrated
            else set(
                conn.execute(
                    "select id from articles where story is not null"
                    " and story not in (select id from stories)"
                ).fetchall()
            ),
            "stray claims": set()
            if not migrated
            else set(
                conn.execute(
                    "select c.id from claims c join articles a on a.id = c.article"
                    " where a.story is not c.story"
                ).fetchall()
            ),
        }
    finally:
        conn.close()


NO_FAULTS = {"integrity": [("ok",)], "orphans": set(), "stray claims": set()}


def test_two_processes_writing_one_store_at_once_both_finish(tmp_path: Path) -> None:
    halves = []
    for n, sites in enumerate(HALVES):
        half = tmp_path / f"half{n}"
        for site in sites:
            shutil.copytree(CORPUS / site, half / site)
        halves.append(half)

    # both start on a fresh file, so they also race to create and migrate it
    shared = tmp_path / "shared.db"
    procs = [analyze(h, out=tmp_path / f"out{n}", db=shared) for n, h in enumerate(halves)]
    # and the comparison run alongside, in a store of its own
    procs.append(analyze(*halves, out=tmp_path / "single-out", db=tmp_path / "single.db"))
    *results, single = [p.finish() for p in procs]

    for code, output in [*results, single]:
        assert code == 0, output
        assert "database is locked" not in output, output
    together, alone = snapshot(shared), snapshot(tmp_path / "single.db")
    assert faults(shared) == NO_FAULTS
    ids = {a[0] for a in together["articles"]}
    assert len(ids) >= 40
    assert ids == {a[0] for a in alone["articles"]}
    conn = sqlite3.connect(shared)
    finished = conn.execute("select count(*) from runs where finished_at is not null").fetchone()
    conn.close()
    assert finished == (2,)


def _generated_corpus(folder: Path, n_articles: int) -> None:
    """Real news sentences arranged as originals and republished copies, as the
    throughput bench builds them (from ../shared/data)."""
    spec = importlib.util.spec_from_file_location("throughput", ROOT / "bench" / "throughput.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    if not bench.DATA.exists():
        message = f"no gold data at {bench.DATA} to build the corpus from"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder.mkdir(parents=True)
    bench.generate(folder, n_articles, seed=5)


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], limit_s: float) -> None:
    """Wait until READY() holds, PROC exits, or LIMIT_S pass."""
    deadline = time.monotonic() + limit_s
    while proc.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.005)


def _log_grew(db: Path, by: int) -> Callable[[], bool]:
    """True once BY more bytes are in the store's write-ahead log: a run is writing."""
    wal = Path(f"{db}-wal")
    base = wal.stat().st_size if wal.exists() else 0
    return lambda: wal.exists() and wal.stat().st_size - base >= by


def _has_articles(db: Path) -> bool:
    """True once some run committed articles."""
    try:
        conn = sqlite3.connect(db, timeout=0.05)
    except sqlite3.Error:
        return False
    try:
        return bool(conn.execute("select count(*) from articles").fetchone()[0])
    except sqlite3.Error:  # not migrated yet
        return False
    finally:
        conn.close()


def test_runs_killed_at_random_points_then_resumed_leave_the_store_an_uninterrupted_run_leaves(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    _generated_corpus(corpus, 100)
    # the uninterrupted run goes alongside on the other core
    reference = analyze(corpus, out=tmp_path / "ref-out", db=tmp_path / "reference.db")

    db = tmp_path / "killed.db"
    rng = random.Random(20260303)
    killed = 0
    # two kills at random moments (start-up and migration included: start-up alone
    # takes 3 s, a run 5 to 15 s), one while a run writes its articles, one right after
    # a run committed some
    moments: list[Callable[[subprocess.Popen[bytes]], None]] = [
        lambda proc: _wait_until(proc, lambda: False, rng.uniform(0.3, 3.5)),
        lambda proc: _wait_until(proc, lambda: False, rng.uniform(0.3, 3.5)),
        lambda proc: _wait_until(proc, _log_grew(db, 256 * 1024), 120),
        lambda proc: _wait_until(proc, lambda: _has_articles(db), 120),
    ]
    for attempt, moment in enumerate(moments):
        proc = analyze(corpus, out=tmp_path / f"out{attempt}", db=db).proc
        moment(proc)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        # what the killed run committed is whole
        if db.exists():
            assert faults(db) == NO_FAULTS, attempt
    # a random moment may come after a fast run ended; the two events always come
    assert killed >= 2
    code, output = analyze(corpus, out=tmp_path / "resumed-out", db=db).finish()
    assert code == 0, output
    code, output = reference.finish()
    assert code == 0, output

    resumed, expected = snapshot(db), snapshot(tmp_path / "reference.db")
    assert faults(db) == NO_FAULTS
    assert len(expected["articles"]) >= 90 and len(expected["claims"]) > 0
    for table in ("articles", "stories", "claims", "entities", "facets"):
        assert resumed[table] == expected[table], table
