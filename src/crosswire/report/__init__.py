"""The report stage: report.json per `crosswire.report/1`, plus report.md and report.html.

`build_report` turns the pipeline's dataclasses into the JSON object,
`validate_report` checks one against the contract schema (path given by the caller),
`write_reports` writes the three files and the story pages (`stories/`, an .md and an
.html per story); `render_markdown`/`render_html` (the table of stories) and
`render_story_markdown`/`render_story_html` (one story's page) render any report dict
(also one loaded from a saved report.json).
"""

from crosswire.report.build import SCHEMA_ID, build_report
from crosswire.report.html import render_html, render_story_html
from crosswire.report.markdown import render_markdown, render_story_markdown
from crosswire.report.validate import report_schema, validate_report
from crosswire.report.write import write_reports

__all__ = [
    "SCHEMA_ID",
    "build_report",
    "render_html",
    "render_markdown",
    "render_story_html",
    "render_story_markdown",
    "report_schema",
    "validate_report",
    "write_reports",
]
