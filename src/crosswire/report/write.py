"""Write report.json, report.md and report.html side by side, and the story pages
report.md and report.html link to in `stories/` (`<story anchor>.md` and `.html`)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crosswire.report.html import HTML_NAME, html_chunks, story_html_chunks
from crosswire.report.markdown import MARKDOWN_NAME, markdown_chunks, story_markdown_chunks
from crosswire.report.view import STORY_FOLDER, report_view

JSON_NAME = "report.json"

__all__ = ["HTML_NAME", "JSON_NAME", "MARKDOWN_NAME", "write_reports"]


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write the three files and the story pages (an .html and an .md per story) into
    `out_dir` (created if missing); return their paths (`stories`: the folder of story
    pages).

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
    pages = out_dir / STORY_FOLDER
    fresh = out_dir / f".{STORY_FOLDER}.{os.getpid()}.tmp"
    stale = out_dir / f".{STORY_FOLDER}.{os.getpid()}.old"
    try:
        for kind, chunks in contents.items():
            _write(temps[kind], chunks)
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        for story in view.stories:
            # both pages from one view: building a story's view is most of a page's cost
            _write(fresh / f"{story.anchor}.html", story_html_chunks(view, story))
            _write(fresh / f"{story.anchor}.md", story_markdown_chunks(view, story))
        # A reader polling the folder (watch mode, the web app) never sees half a file;
        # the story pages are swapped as one folder, so no page of an older run lingers
        if pages.is_dir():
            pages.rename(stale)
        fresh.rename(pages)
        for kind, path in paths.items():
            os.replace(temps[kind], path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)
    return {**paths, "stories": pages}


def _write(path: Path, chunks: Iterable[str]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _then_newline(chunks: Iterable[str]) -> Iterable[str]:
    yield from chunks
    yield "\n"
