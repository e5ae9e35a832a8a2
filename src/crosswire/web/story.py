"""What the story and article pages show, built on the static report's view models
(`report.view`): the same claim numbers, anchors, facet order and texts with marked
claims, so the pages and report.html cannot tell a story differently.

Added here, for the web only: the figures table (a row per facet, a column per
outlet, each cell what that outlet printed, by whom, through which wire), why a
conflict is one, links from a claim to its sentence on its article's page, and the
two charts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from crosswire.model import Article, published_instant
from crosswire.report.build import article_to_dict
from crosswire.report.view import (
    ArticleText,
    ClaimRef,
    ClaimView,
    FacetView,
    LazyArticles,
    LazyStories,
    StoryView,
)
from crosswire.web import svg

FACETS_PER_PAGE = 40


@dataclass(frozen=True, slots=True)
class CellEntry:
    value: str
    claimant: str
    wire: str | None  # the agency the article credits, when it is not the outlet itself
    href: str | None
    number: int | None
    hedged: bool


@dataclass(frozen=True, slots=True)
class FigureRow:
    facet: FacetView
    why: str | None  # for a conflict: which values cannot both hold
    cells: list[list[CellEntry]]  # one per outlet column
    # the facet's claims by sentence: a wire text run by five outlets is one sentence
    sentences: list[tuple[str, list[ClaimRef]]]


@dataclass(frozen=True, slots=True)
class StoryPage:
    story: Mapping[str, Any]
    view: StoryView
    outlets: list[str]
    rows: list[FigureRow]  # this page of facets, conflicts first
    conflicts: list[FigureRow]
    facet_page: int
    facet_pages: int
    timeline: Markup | None
    propagation: Markup | None
    undated: int
    since: str | None  # the time picker's value
    hrefs: Mapping[str, str]  # claim anchor -> where its sentence is shown


def article_href(article_id: str, anchor: str | None = None) -> str:
    base = f"/articles/{quote(article_id, safe='')}"
    return f"{base}#{anchor}" if anchor else base


def story_view(story: Mapping[str, Any], members: Sequence[Article]) -> StoryView:
    """The static report's view of one story (its object as the contract gives it)."""
    report = {"stories": [story], "articles": [article_to_dict(a) for a in members]}
    lazy = LazyArticles(report)
    # every view built once: the report's lazy mapping builds one per lookup, and a
    # story's claims look their article up again and again
    views = {article_id: lazy[article_id] for article_id in lazy}
    return LazyStories([story], views)[0]


def claim_hrefs(view: StoryView) -> dict[str, str]:
    """Every claim anchor of the story -> its sentence on its article's page."""
    return {c.anchor: article_href(str(c.data["article"]), c.anchor) for c in view.claims}


def build_story_page(
    story: dict[str, Any],
    members: Sequence[Article],
    since_text: str | None,
    facet_page: int,
) -> StoryPage:
    """STORY is the contract's object; with a "changes" key (what changed since the
    picker's time) the page lists them."""
    view = story_view(story, members)
    by_id = {str(c.data["id"]): c for c in view.claims}
    outlets = [card.outlet for card in view.sources] or view.outlets
    pages = max(1, math.ceil(len(view.facets) / FACETS_PER_PAGE))
    facet_page = min(max(facet_page, 1), pages)
    hrefs = claim_hrefs(view)
    shown = view.facets[(facet_page - 1) * FACETS_PER_PAGE : facet_page * FACETS_PER_PAGE]
    rows = [_figure_row(f, by_id, outlets, hrefs) for f in shown]
    conflicts = [
        _figure_row(f, by_id, outlets, hrefs) for f in view.facets if f.status == "conflicting"
    ]
    points = _points(members)
    return StoryPage(
        story=story,
        view=view,
        outlets=outlets,
        rows=rows,
        conflicts=conflicts,
        facet_page=facet_page,
        facet_pages=pages,
        timeline=svg.timeline(points),
        propagation=svg.propagation(points),
        undated=sum(1 for p in points if p.at is None),
        since=since_text,
        hrefs=hrefs,
    )


def _points(members: Sequence[Article]) -> list[svg.Point]:
    points = []
    for a in members:
        moment = published_instant(a.published)
        points.append(
            svg.Point(
                id=a.id,
                outlet=a.outlet or a.original_source or a.input,
                title=a.title or a.id,
                at=moment.timestamp() if moment else None,
                copy_of=a.duplicate_of,
            )
        )
    return points


def _figure_row(
    facet: FacetView,
    by_id: Mapping[str, ClaimView],
    outlets: Sequence[str],
    hrefs: Mapping[str, str],
) -> FigureRow:
    column = {name: n for n, name in enumerate(outlets)}
    cells: list[list[CellEntry]] = [[] for _ in outlets]
    seen: set[tuple[int, str, str]] = set()
    for claim_id, ref in zip(facet.data.get("claims", []), facet.claims, strict=False):
        claim = by_id.get(str(claim_id))
        if claim is None:
            continue
        outlet = str(claim.data.get("outlet") or (claim.article.label if claim.article else ""))
        n = column.get(outlet)
        if n is None:
            continue
        key = (n, ref.preview, claim.claimant)
        if key in seen:
            continue
        seen.add(key)
        cells[n].append(_entry(ref, claim, outlet, hrefs))
    why = conflict_reason(facet, by_id) if facet.status == "conflicting" else None
    sentences: dict[str, list[ClaimRef]] = {}
    for ref in facet.claims:
        sentences.setdefault(ref.sentence or ref.preview, []).append(ref)
    return FigureRow(facet=facet, why=why, cells=cells, sentences=list(sentences.items()))


def _entry(ref: ClaimRef, claim: ClaimView, outlet: str, hrefs: Mapping[str, str]) -> CellEntry:
    credited = claim.article.data.get("original_source") if claim.article else None
    wire = str(credited) if credited and credited != outlet else None
    return CellEntry(
        value=ref.preview,
        claimant=claim.claimant,
        wire=wire,
        href=hrefs.get(ref.anchor) if ref.anchor else None,
        number=ref.number,
        hedged=claim.hedge is not None,
    )


def _interval(quantity: Mapping[str, Any]) -> tuple[float, float]:
    low, high = quantity.get("low"), quantity.get("high")
    return (
        -math.inf if low is None else float(low),
        math.inf if high is None else float(high),
    )


def conflict_reason(facet: FacetView, by_id: Mapping[str, ClaimView]) -> str:
    """The first two origins whose figures no single value satisfies, in words; else
    what the compare stage went by (one account disputing another)."""
    figures = facet.data.get("figures") or {}
    by_anchor = {c.anchor: c for c in by_id.values()}
    values: list[tuple[str, str, tuple[float, float]]] = []
    for origin in facet.origins:
        for ref in origin.values:
            for claim_ref in ref.claims:
                claim = by_anchor.get(claim_ref.anchor) if claim_ref.anchor else None
                if claim is None:
                    continue
                quantities = claim.data.get("quantities", [])
                picked = figures.get(claim.data["id"]) or range(len(quantities))
                for k in picked:
                    if k < len(quantities):
                        q = quantities[k]
                        values.append((origin.label, str(q.get("text", "")), _interval(q)))
                break
    for i, (who_a, text_a, (lo_a, hi_a)) in enumerate(values):
        for who_b, text_b, (lo_b, hi_b) in values[i + 1 :]:
            if who_a != who_b and (hi_a < lo_b or hi_b < lo_a):
                return (
                    f"{who_a} gives “{text_a}”, {who_b} gives “{text_b}”: "
                    "no single figure fits both."
                )
    return (
        "The accounts dispute each other: the figures overlap on paper, but one source "
        "contradicts another on the same measure."
    )


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article: Article
    story: Mapping[str, Any] | None
    text: ArticleText | None  # None when the article is in no story
    view: StoryView | None
    hrefs: Mapping[str, str]
    revisions: list[list[tuple[str, str]]]  # per revision: (line class, line) of its diff


def build_article_page(
    article: Article, story: Mapping[str, Any] | None, members: Sequence[Article]
) -> ArticlePage:
    view = story_view(story, members) if story is not None else None
    text = None
    if view is not None:
        text = next((t for t in view.texts if t.article.data["id"] == article.id), None)
    return ArticlePage(
        article=article,
        story=story,
        text=text,
        view=view,
        hrefs=claim_hrefs(view) if view else {},
        revisions=[_diff_lines(r.diff) for r in article.revisions],
    )


def _diff_lines(diff: str) -> list[tuple[str, str]]:
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        lines.append((kind, line))
    return lines
