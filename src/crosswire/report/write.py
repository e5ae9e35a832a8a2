"""Write report.json, report.md and report.html side by side."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from crosswire.report.html import render_html
from crosswire.report.markdown import render_markdown

JSON_NAME = "report.json"
MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three files into `out_dir` (created if missing); return their paths.

    Every file is rendered before any is written, so a report that cannot be
    rendered leaves the previous files in place rather than a mismatched set.
    """
    # allow_nan=False: NaN is not JSON, and a reader would choke on it later
    contents = {
        "json": json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        "md": render_markdown(report),
        "html": render_html(report),
    }
    names = {"json": JSON_NAME, "md": MARKDOWN_NAME, "html": HTML_NAME}
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / names[kind] for kind in contents}
    for kind, text in contents.items():
        _write_atomically(paths[kind], text)
    return paths


def _write_atomically(path: Path, text: str) -> None:
    # A reader polling the folder (watch mode, the web app) never sees half a file.
    # A plain open (not mkstemp, which makes files 0600) keeps the user's umask.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
