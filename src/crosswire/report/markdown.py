"""report.md: the report for a person reading plain text or a Markdown viewer.

All text from articles is escaped: it may hold `|`, `*`, `<script>` or anything
else, and must neither break a table nor turn into markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from crosswire.report.view import (
    ArticleView,
    BriefView,
    ClaimRef,
    ClaimView,
    FacetView,
    ReportView,
    StoryView,
    report_view,
)

# An underscore inside a word never starts emphasis in CommonMark, so file names
# and ids such as "seed_002" stay unescaped and readable.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_SPACE = re.compile(r"\s+")

_SUMMARY_ROWS = (
    ("stories", "Stories"),
    ("articles", "Articles"),
    ("outlets", "Outlets"),
    ("duplicates", "Duplicates"),
    ("errors", "Input errors"),
    ("inputs", "Inputs"),
)


def render_markdown(report: Mapping[str, Any]) -> str:
    view = report_view(report)
    sections = [
        _header(view),
        _stories_table(view),
        *(_story_section(story) for story in view.stories),
        _unassigned_section(view.unassigned),
        _errors_section(view.errors),
        _articles_section(view.articles),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def escape(text: object) -> str:
    """Inline Markdown-safe text on one line (table cells cannot span lines)."""
    flat = _SPACE.sub(" ", str(text)).strip()
    return _ENTITY.sub("\\&", _SPECIAL.sub(r"\\\1", flat))


def _link(text: str, anchor: str | None) -> str:
    return f"[{escape(text)}](#{anchor})" if anchor else escape(text)


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def _header(view: ReportView) -> str:
    counts = _table(
        ["", "Count"], ([label, str(view.summary[key])] for key, label in _SUMMARY_ROWS)
    )
    return f"# crosswire report\n\nGenerated {escape(view.generated_at)}.\n\n## Summary\n\n{counts}"


def _stories_table(view: ReportView) -> str:
    if not view.stories:
        return "## Stories\n\nNo stories."
    rows = (
        [
            _link(str(story.data["headline"]), story.anchor),
            str(len(story.data["articles"])),
            escape(", ".join(story.outlets) or "—"),
            escape(story.span),
        ]
        for story in view.stories
    )
    return "## Stories\n\n" + _table(["Story", "Articles", "Outlets", "Time span"], rows)


def _story_section(story: StoryView) -> str:
    parts = [
        f'<a id="{story.anchor}"></a>\n\n## {escape(story.data["headline"])}',
        f"Time span: {escape(story.span)}. Outlets: {escape(', '.join(story.outlets) or '—')}.",
        _story_articles(story),
        _brief(story.brief),
        _claims(story.claims),
        _facets(story.facets),
    ]
    return "\n\n".join(part for part in parts if part)


def _story_articles(story: StoryView) -> str:
    table = "### Articles\n\n" + _articles_table(story.articles)
    if story.missing_articles:
        missing = ", ".join(escape(i) for i in story.missing_articles)
        table += f"\n\nArticles listed but not in this report: {missing}."
    return table


def _articles_table(articles: Iterable[ArticleView]) -> str:
    rows = (
        [
            escape(article.data.get("outlet") or "—"),
            _link(str(article.data.get("title") or article.data["id"]), article.anchor),
            escape(article.published),
            escape(article.data.get("original_source") or "—"),
            _copy_text(article),
        ]
        for article in articles
    )
    return _table(["Outlet", "Title", "Published", "Original source", "Copy of"], rows)


def _copy_text(article: ArticleView) -> str:
    copy = article.copy_of
    if copy is None:
        return "—"
    similarity = f" (similarity {copy.similarity})" if copy.similarity else ""
    return f"copy of {_link(copy.label, copy.anchor)}{similarity}"


def _brief(brief: list[BriefView]) -> str:
    if not brief:
        return ""
    lines = [f"- {escape(item.text)}{_refs_suffix(item.claims)}" for item in brief]
    return "### Brief\n\n" + "\n".join(lines)


def _claims(claims: list[ClaimView]) -> str:
    if not claims:
        return ""
    return "### Claims\n\n" + "\n".join(_claim_line(claim) for claim in claims)


def _claim_line(claim: ClaimView) -> str:
    source = claim.article.label if claim.article is not None else str(claim.data["article"])
    details = [f"claimant: {escape(claim.claimant)}"]
    if claim.via:
        details.append(f"via {escape(claim.via)}")
    if claim.data.get("cue"):
        details.append(f"cue “{escape(claim.data['cue'])}”")
    if claim.data.get("hedged"):
        details.append("hedged")
    details.extend(f"quantity {escape(q)}" for q in claim.quantities)
    if claim.time:
        details.append(f"time {escape(claim.time)}")
    anchor = f'<a id="{claim.anchor}"></a>'
    article = _link(source, claim.article.anchor if claim.article is not None else None)
    return f"- {anchor}{article}: “{escape(claim.data['text'])}” ({'; '.join(details)})"


def _facets(facets: list[FacetView]) -> str:
    if not facets:
        return ""
    rows = (
        [
            escape(facet.data["label"]),
            escape(facet.data["status"]),
            str(facet.data["independent_origins"]),
            "; ".join(_ref_text(ref) for ref in facet.claims) or "—",
        ]
        for facet in facets
    )
    return "### Facets\n\n" + _table(["Facet", "Status", "Independent origins", "Claims"], rows)


def _ref_text(ref: ClaimRef) -> str:
    label = f"{ref.outlet}: {ref.preview}" if ref.outlet else ref.preview
    return _link(label, ref.anchor)


def _refs_suffix(refs: list[ClaimRef]) -> str:
    return f" ({'; '.join(_ref_text(ref) for ref in refs)})" if refs else ""


def _unassigned_section(articles: list[ArticleView]) -> str:
    if not articles:
        return ""
    return "## Articles in no story\n\n" + _articles_table(articles)


def _errors_section(errors: list[Mapping[str, Any]]) -> str:
    if not errors:
        return "## Input errors\n\nNone: every input was read."
    rows = ([escape(error["input"]), escape(error["error"])] for error in errors)
    return "## Input errors\n\n" + _table(["Input", "Reason"], rows)


def _articles_section(articles: list[ArticleView]) -> str:
    if not articles:
        return ""
    return "## Article details\n\n" + "\n\n".join(_article_details(a) for a in articles)


def _article_details(article: ArticleView) -> str:
    data = article.data
    title = escape(data.get("title") or data["id"])
    facts = [
        ("Outlet", data.get("outlet")),
        ("Original source", data.get("original_source")),
        ("Published", article.published if data.get("published") else None),
        ("Byline", data.get("byline")),
        ("Dateline", data.get("dateline")),
        ("Language", data.get("language")),
        ("URL", data.get("url")),
        ("Input", data.get("input")),
        ("Id", data.get("id")),
    ]
    lines = [f'<a id="{article.anchor}"></a>\n\n### {title}', ""]
    lines.extend(f"- {name}: {escape(value)}" for name, value in facts if value)
    lines.extend(_provenance_lines(article))
    lines.extend(_removed_lines(data.get("removed", [])))
    return "\n".join(lines)


def _provenance_lines(article: ArticleView) -> list[str]:
    if not article.provenance:
        return []
    lines = ["", "Where the metadata came from:", ""]
    for row in article.provenance:
        evidence = f", from “{escape(row.evidence)}”" if row.evidence else ""
        lines.append(
            f"- {escape(row.field)} = {escape(row.value)}: {escape(row.source)}"
            f" (confidence {row.confidence}){evidence}"
        )
    return lines


def _removed_lines(removed: list[str]) -> list[str]:
    if not removed:
        return ["", "Nothing removed as clutter."]
    lines = ["", f"Removed as clutter ({len(removed)}):", ""]
    lines.extend(f"{n}. {escape(block)}" for n, block in enumerate(removed, start=1))
    return lines
