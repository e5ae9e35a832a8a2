"""Jinja2 for the pages: autoescaped everywhere (every string comes from articles),
strict about undefined names, and the few helpers the templates share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from crosswire.report.html import count_noun, marked_text
from crosswire.report.view import ClaimRef, ValueView, format_time, web_url

_PLURALS = {"story": "stories", "entity": "entities", "entity name": "entity names"}


def count(number: int, noun: str) -> str:
    """'1 story', '2 stories'."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {_PLURALS.get(noun) or count_noun(2, noun)[2:]}"


def path_part(value: str) -> str:
    """A name (an outlet, an entity) as one URL path segment."""
    return quote(value, safe="")


def with_query(
    path: str, params: Mapping[str, Any], key: str | None = None, value: Any = None
) -> str:
    """PATH with PARAMS as its query, KEY set to VALUE (a pager's next page)."""
    merged = dict(params)
    if key is not None:
        merged[key] = value
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def cite(refs: Sequence[ClaimRef], hrefs: Mapping[str, str]) -> Markup:
    """`[n]` links to claims, each to its sentence on its article's page: the one
    piece of markup a story page repeats hundreds of times, so built here, not by a
    template macro (a tenth of the time)."""
    if not refs:
        return Markup("")
    parts = []
    for ref in refs:
        href = hrefs.get(ref.anchor) if ref.anchor else None
        if href is None:
            parts.append(f'<span title="not stored">{escape(ref.preview)}</span>')
            continue
        title = escape(f"{ref.outlet}: {ref.sentence or ref.preview}")
        parts.append(f'<a href="{escape(href)}" title="{title}">{ref.number}</a>')
    return Markup(f'<sup class="cite">{", ".join(parts)}</sup>')


def values(items: Sequence[ValueView], hrefs: Mapping[str, str]) -> Markup:
    return Markup("; ").join(
        Markup('<span class="value">{}</span>').format(v.text) + cite(v.claims, hrefs)
        for v in items
    )


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crosswire.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["count"] = count
    env.filters["marked_text"] = marked_text
    env.filters["when"] = format_time
    env.filters["path_part"] = path_part
    env.globals["web_url"] = web_url
    env.globals["cite"] = cite
    env.globals["values"] = values
    env.globals["with_query"] = with_query
    return env


def page(template: str, status: int = 200, /, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)
