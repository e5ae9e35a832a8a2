"""Where the tests find ../shared/data, and what they do when it is not there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def require(path: Path, what: str | None = None) -> None:
    """Skip the test when PATH is missing, except under CI, where `.ci/run` runs beside
    ../shared and a missing gold file must fail the run, never pass it by skipping."""
    if path.exists():
        return
    message = f"{what or path} not found" + (f" at {path}" if what else "")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
