"""What the Markdown and HTML reports show, worked out once from a report dict.

Both renderers read the same view, so the two human-readable files cannot drift
apart; they only differ in markup and escaping. Working from the report dict (not
the dataclasses) lets any saved report.json be rendered again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from crosswire.report.build import summarize

_UNSAFE_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")
_CLAIM_PREVIEW = 90


@dataclass(frozen=True, slots=True)
class CopyRef:
    """The article a duplicate copies, as a person recognises it."""

    label: str
    anchor: str | None  # None when the original is not in this report
    similarity: str | None


@dataclass(frozen=True, slots=True)
class ArticleView:
    data: Mapping[str, Any]
    anchor: str
    label: str
    published: str
    copy_of: CopyRef | None
    provenance: list[ProvenanceRow]
    href: str | None  # the article's URL when it is safe to link (http or https)
    story_anchor: str | None  # None when the article's story is not in this report


@dataclass(frozen=True, slots=True)
class ProvenanceRow:
    field: str
    value: str
    source: str
    confidence: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ClaimRef:
    anchor: str | None  # None when the facet names a claim the story does not hold
    outlet: str
    preview: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    data: Mapping[str, Any]
    anchor: str
    article: ArticleView | None
    claimant: str
    via: str
    quantities: list[str]
    time: str


@dataclass(frozen=True, slots=True)
class FacetView:
    data: Mapping[str, Any]
    claims: list[ClaimRef]


@dataclass(frozen=True, slots=True)
class BriefView:
    text: str
    claims: list[ClaimRef]


@dataclass(frozen=True, slots=True)
class StoryView:
    data: Mapping[str, Any]
    anchor: str
    span: str
    outlets: list[str]
    articles: list[ArticleView]
    missing_articles: list[str]
    claims: list[ClaimView]
    facets: list[FacetView]
    brief: list[BriefView]


@dataclass(frozen=True, slots=True)
class ReportView:
    generated_at: str
    summary: Mapping[str, int]
    stories: list[StoryView]
    unassigned: list[ArticleView]
    articles: list[ArticleView]
    errors: list[Mapping[str, Any]]


def report_view(report: Mapping[str, Any]) -> ReportView:
    raw_by_id = {article["id"]: article for article in report["articles"]}
    story_ids = {story["id"] for story in report["stories"]}
    articles = [_article_view(article, raw_by_id, story_ids) for article in report["articles"]]
    by_id = {view.data["id"]: view for view in articles}
    stories = [_story_view(story, by_id) for story in report["stories"]]
    in_story = {view.data["id"] for story in stories for view in story.articles}
    return ReportView(
        generated_at=str(report["generated_at"]),
        summary=summarize(report["articles"], report["stories"], report["errors"]),
        stories=stories,
        unassigned=[view for view in articles if view.data["id"] not in in_story],
        articles=articles,
        errors=list(report["errors"]),
    )


def anchor(prefix: str, identifier: str) -> str:
    """A fragment id safe in HTML and Markdown; a hash keeps sanitised ids distinct."""
    safe = _UNSAFE_ANCHOR.sub("-", identifier).strip("-")
    if safe != identifier or not safe:
        safe = f"{safe}-{hashlib.sha1(identifier.encode()).hexdigest()[:8]}".lstrip("-")
    return f"{prefix}-{safe}"


def format_time(published: str | None) -> str:
    """'2025-02-27 10:00 +09:00': the writer's local time with its offset, minus noise."""
    if not published:
        return "unknown"
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return published  # shown as given rather than hidden
    if len(published) <= len("2025-02-27"):
        return moment.strftime("%Y-%m-%d")
    return f"{moment.strftime('%Y-%m-%d %H:%M')}{_offset_text(moment.utcoffset())}"


def format_similarity(similarity: float | None) -> str | None:
    return None if similarity is None else f"{similarity:.2f}"


def _offset_text(offset: timedelta | None) -> str:
    if offset is None:
        return ""
    if not offset:
        return " UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f" {sign}{hours:02d}:{minutes:02d}"


def _article_label(article: Mapping[str, Any]) -> str:
    return str(article.get("outlet") or article.get("title") or article["id"])


def _article_view(
    article: Mapping[str, Any],
    articles: Mapping[str, Mapping[str, Any]],
    story_ids: Set[str],
) -> ArticleView:
    story = article.get("story")
    return ArticleView(
        data=article,
        anchor=anchor("article", article["id"]),
        label=_article_label(article),
        published=format_time(article.get("published")),
        copy_of=_copy_ref(article, articles),
        provenance=_provenance_rows(article),
        href=_web_url(article.get("url")),
        story_anchor=anchor("story", story)
        if isinstance(story, str) and story in story_ids
        else None,
    )


def _web_url(url: str | None) -> str | None:
    # autoescaping does not stop a "javascript:" link, so only web URLs become links
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def _copy_ref(
    article: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]
) -> CopyRef | None:
    original_id = article.get("duplicate_of")
    if not original_id:
        return None
    original = articles.get(original_id)
    label = _article_label(original) if original is not None else str(original_id)
    return CopyRef(
        label=label,
        anchor=anchor("article", original_id) if original is not None else None,
        similarity=format_similarity(article.get("similarity")),
    )


def _provenance_rows(article: Mapping[str, Any]) -> list[ProvenanceRow]:
    rows = []
    for field, prov in sorted(article.get("provenance", {}).items()):
        value = article.get(field)
        confidence = prov.get("confidence")
        rows.append(
            ProvenanceRow(
                field=field,
                value="" if value is None else str(value),
                source=str(prov.get("source", "")),
                confidence="" if confidence is None else f"{confidence:.2f}",
                evidence=str(prov.get("evidence") or ""),
            )
        )
    return rows


def _story_view(story: Mapping[str, Any], by_id: Mapping[str, ArticleView]) -> StoryView:
    members = [by_id[i] for i in story["articles"] if i in by_id]
    claims = [_claim_view(claim, by_id) for claim in story.get("claims", [])]
    claim_refs = {view.data["id"]: _claim_ref(view) for view in claims}
    return StoryView(
        data=story,
        anchor=anchor("story", story["id"]),
        span=_span(story),
        outlets=sorted({str(v.data["outlet"]) for v in members if v.data.get("outlet")}),
        articles=members,
        missing_articles=[i for i in story["articles"] if i not in by_id],
        claims=claims,
        facets=[
            FacetView(data=facet, claims=_refs(facet.get("claims", []), claim_refs))
            for facet in story.get("facets", [])
        ],
        brief=[
            BriefView(
                text=str(item.get("text", "")), claims=_refs(item.get("claims", []), claim_refs)
            )
            for item in story.get("brief", [])
        ],
    )


def _span(story: Mapping[str, Any]) -> str:
    first, last = story.get("first_published"), story.get("last_published")
    if not first and not last:
        return "unknown"
    if first == last or not last:
        return format_time(first)
    return f"{format_time(first)} – {format_time(last)}"


def _claim_view(claim: Mapping[str, Any], by_id: Mapping[str, ArticleView]) -> ClaimView:
    time = claim.get("time")
    return ClaimView(
        data=claim,
        anchor=anchor("claim", claim["id"]),
        article=by_id.get(claim["article"]),
        claimant=str(claim.get("claimant_name") or claim.get("claimant") or "unattributed"),
        via=" → ".join(claim.get("via", [])),
        quantities=[_quantity_text(q) for q in claim.get("quantities", [])],
        time=_time_text(time) if time else "",
    )


def _quantity_text(quantity: Mapping[str, Any]) -> str:
    low, high = quantity.get("low"), quantity.get("high")
    if low is not None and high is not None and low != high:
        bounds = f"{_number(low)}–{_number(high)}"
    elif low is not None and high is None:
        bounds = f"≥ {_number(low)}"
    elif high is not None and low is None:
        bounds = f"≤ {_number(high)}"
    else:
        bounds = _number(low) if low is not None else "?"
    parts = [bounds, quantity.get("unit"), quantity.get("kind")]
    detail = " ".join(str(p) for p in parts if p)
    approx = ", approximate" if quantity.get("approximate") else ""
    return f"“{quantity['text']}” ({detail}{approx})"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _time_text(time: Mapping[str, Any]) -> str:
    start, end = time.get("start"), time.get("end")
    if start and end and start != end:
        return f"“{time['text']}” ({start} – {end})"
    resolved = start or end
    return f"“{time['text']}” ({resolved})" if resolved else f"“{time['text']}”"


def _claim_ref(claim: ClaimView) -> ClaimRef:
    text = str(claim.data["text"])
    preview = ", ".join(claim.quantities) if claim.quantities else _shorten(text)
    outlet = claim.article.label if claim.article is not None else str(claim.data["article"])
    return ClaimRef(anchor=claim.anchor, outlet=outlet, preview=preview)


def _refs(ids: Sequence[str], known: Mapping[str, ClaimRef]) -> list[ClaimRef]:
    return [known.get(i, ClaimRef(anchor=None, outlet="", preview=i)) for i in ids]


def _shorten(text: str) -> str:
    if len(text) <= _CLAIM_PREVIEW:
        return text
    return text[: _CLAIM_PREVIEW - 1].rsplit(" ", 1)[0] + "…"
