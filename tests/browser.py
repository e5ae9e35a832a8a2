"""Debian's Chromium for the browser tests (Playwright drives it; no browser is
downloaded): where it is, how it is started, and what a test does without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# headless, no background traffic (this machine has no network)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def need_chromium() -> None:
    """Skip without Chromium; fail under CI, whose `.ci/run` installs it."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
    pytest.skip("chromium is not installed")
