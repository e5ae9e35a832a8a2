"""Write report.json, report.md and report.html side by side."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crosswire.report.html import html_chunks
from crosswire.report.markdown import markdown_chunks
from crosswire.report.view import report_view

JSON_NAME = "report.json"
MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three files into `out_dir` (created if missing); return their paths.

    Each file is streamed to a temporary file as it is rendered (one story at a
    time), and only when all three are complete do they replace the previous ones:
    a report that cannot be rendered leaves the previous files in place rather than
    a mismatched set, and memory does not hold any file's whole text.
    """
    view = report_view(report)
    # allow_nan=False: NaN is not JSON, and a reader would choke on it later
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)
    contents: dict[str, Iterable[str]] = {
        "json": _then_newline(encoder.iterencode(report)),
        "md": markdown_chunks(view),
        "html": html_chunks(view),
    }
    names = {"json": JSON_NAME, "md": MARKDOWN_NAME, "html": HTML_NAME}
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / names[kind] for kind in contents}
    # A plain open (not mkstemp, which makes files 0600) keeps the user's umask.
    temps = {
        kind: path.with_name(f".{path.name}.{os.getpid()}.tmp") for kind, path in paths.items()
    }
    try:
        for kind, chunks in contents.items():
            with temps[kind].open("w", encoding="utf-8", newline="\n") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        # A reader polling the folder (watch mode, the web app) never sees half a file.
        for kind, path in paths.items():
            os.replace(temps[kind], path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
    return paths


def _then_newline(chunks: Iterable[str]) -> Iterable[str]:
    yield from chunks
    yield "\n"
