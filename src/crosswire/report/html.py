"""report.html: one self-contained page (inline CSS, no scripts, no network)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from crosswire.report.view import report_view

_SUMMARY_CARDS = (
    ("stories", "stories"),
    ("articles", "articles"),
    ("outlets", "outlets"),
    ("duplicates", "duplicates"),
    ("errors", "input errors"),
)


def render_html(report: Mapping[str, Any]) -> str:
    template = _environment().get_template("report.html")
    return template.render(view=report_view(report), summary_cards=_SUMMARY_CARDS)


@cache
def _environment() -> Environment:
    # autoescape everywhere: every string on the page comes from third-party articles
    environment = Environment(
        loader=PackageLoader("crosswire.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["count"] = count_noun
    return environment


def count_noun(number: int, noun: str) -> str:
    """'1 article', '2 articles': every noun on the page has a plain -s plural."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
