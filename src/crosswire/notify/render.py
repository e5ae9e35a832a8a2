"""The e-mail bodies (digest and alert) in `templates/`, plain text and HTML, by Jinja2.

HTML is autoescaped (article text and headlines carry markup on purpose in the hostile
tests). The plain-text environment escapes nothing, since nothing reads it as markup,
but every value there goes through `line`, which drops control characters and folds
line breaks, so a headline cannot fake a section. Mail clients strip <style> and
ignore classes, hence inline styles; and no scripts, no remote images.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from crosswire.clean.chars import one_line
from crosswire.report.view import format_time

TEMPLATES = Path(__file__).with_name("templates")


def _line(value: object) -> str:
    return "" if value is None else one_line(str(value))


def _when(value: str | datetime | None) -> str:
    if value is None:
        return "time unknown"
    return format_time(value if isinstance(value, str) else value.isoformat())


@cache
def environment(html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["line"] = _line
    env.filters["when"] = _when
    return env


def render(template: str, /, **context: object) -> str:
    """TEMPLATE ("digest.txt", "alert.html", ...) with CONTEXT."""
    return environment(template.endswith(".html")).get_template(template).render(**context)
