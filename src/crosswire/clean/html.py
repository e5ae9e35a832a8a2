"""Main text and metadata from an HTML page, through trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(slots=True)
class HtmlExtract:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # as trafilatura/htmldate found it
    sitename: str | None = None
    url: str | None = None
    language: str | None = None


def extract_html(html: str, url: str | None = None) -> HtmlExtract | None:
    """Return the page's main text and metadata, or None when no main text was found."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, as_dict=False)
    if doc is None or not doc.text:
        return None
    return HtmlExtract(
        text=doc.text,
        title=doc.title,
        author=doc.author,
        date=doc.date,
        sitename=doc.sitename,
        url=doc.url,
        language=doc.language,
    )
