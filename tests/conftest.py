"""Fixtures shared by the test files: store URLs on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pg
import pytest


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg.Server]:
    """One PostgreSQL server for the session. Missing binaries skip the PostgreSQL
    cases locally; under CI they fail, since `.ci/run` installs the server."""
    bindir = pg.find_bindir()
    if bindir is None:
        message = "no PostgreSQL binaries (pg_ctl, initdb) found"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; .ci/run installs Debian's postgresql package")
        pytest.skip(message)
    with pg.server(bindir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store's URL on each backend: every store test runs on both."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cw.db'}"
        return
    server: pg.Server = request.getfixturevalue("postgres")
    with server.database() as url:
        yield url
