"""report.html and one page per story: self-contained pages (inline CSS, no scripts,
no network).

report.html is the table of stories (each row links to `stories/<anchor>.html`), the
articles in no story and the input errors; a story's page holds the story (brief,
facets, sources, entities, its articles' texts with their claims) and its articles'
details. No page grows with the corpus but the table of stories, one row a story.

Every string on a page comes from third-party articles, so the templates autoescape
and the one piece of markup built here (an article's text with its claim sentences
wrapped in `<mark id="claim-…">`) escapes each text run itself. A link to
`#claim-<id>` scrolls to that sentence and `:target` CSS highlights it.

Claim and facet links never leave their story's page. An article or a story may be
linked from a page that does not show it (a copy whose original is in another story,
another story's article in an outlet's column, the story of an article detailed on a
second story's page), so those links go through `PageLinks`, which resolves them
through `ReportView.homes` to the file that shows the target; one shown nowhere is
plain text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from crosswire.report.view import (
    ClaimView,
    PageLinks,
    ReportView,
    StoryView,
    TextPiece,
    report_view,
)

HTML_NAME = "report.html"

_SUMMARY_CARDS = (
    ("stories", "stories"),
    ("articles", "articles"),
    ("outlets", "outlets"),
    ("duplicates", "duplicates"),
    ("errors", "input errors"),
)


def render_html(report: Mapping[str, Any]) -> str:
    """report.html, the table of stories."""
    return "".join(html_chunks(report_view(report)))


def render_story_html(report: Mapping[str, Any], index: int) -> str:
    """The page of the report's INDEXth story."""
    view = report_view(report)
    return "".join(story_html_chunks(view, view.stories[index]))


def html_chunks(view: ReportView) -> Iterator[str]:
    """report.html piece by piece (Jinja's streaming render), for writing as it is made."""
    template = _environment().get_template("report.html")
    page = PageLinks(
        view.homes, HTML_NAME, story=None, local=frozenset(a.anchor for a in view.unassigned)
    )
    return template.generate(view=view, page=page, summary_cards=_SUMMARY_CARDS)


def story_html_chunks(view: ReportView, story: StoryView) -> Iterator[str]:
    """`stories/<story anchor>.html` piece by piece."""
    template = _environment().get_template("story.html")
    page = PageLinks(
        view.homes, HTML_NAME, story=story.anchor, local=frozenset(a.anchor for a in story.articles)
    )
    return template.generate(story=story, page=page, generated_at=view.generated_at)


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
    environment.filters["marked_text"] = marked_text
    return environment


def count_noun(number: int, noun: str) -> str:
    """'1 article', '2 articles': every noun on the page has a plain -s plural."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def marked_text(pieces: Sequence[TextPiece]) -> Markup:
    """An article's text with each marked claim sentence in a `<mark>` and its `[n]` after."""
    out: list[str] = []
    for piece in pieces:
        if piece.kind == "text":
            out.append(str(escape(piece.text)))
        elif piece.claim is not None and piece.kind == "open":
            out.append(f'<mark class="{_mark_classes(piece.claim)}" id="{piece.claim.anchor}">')
        elif piece.claim is not None:
            claim = piece.claim
            title = escape(f"claim {claim.number}: {claim.claimant}")
            out.append(
                f'</mark><sup class="cite"><a href="#{claim.note_anchor}" title="{title}">'
                f"{claim.number}</a></sup>"
            )
    return Markup("".join(out))


def _mark_classes(claim: ClaimView) -> str:
    classes = ["claim"]
    if claim.hedge:
        classes.append("hedged")
    if any(facet.status == "conflicting" for facet in claim.facets):
        classes.append("in-conflict")
    return " ".join(classes)
