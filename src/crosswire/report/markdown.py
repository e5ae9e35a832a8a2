"""report.md and one Markdown page per story: the report for a person reading plain
text or a Markdown viewer, split as the HTML is.

report.md is the summary, the table of stories (each row links to
`stories/<story anchor>.md`), the articles in no story, the input errors and those
articles' details; a story's page holds the story and its articles' details. No file
grows with the corpus but report.md's table, one row a story.

All text from articles is escaped: it may hold `|`, `*`, `<script>` or anything
else, and must neither break a table nor turn into markup. A claim or facet link
always lands in its own story's page; an article may be linked from a page that does
not hold its details (a copy of an article in another story), so article links are
resolved through `ReportView.homes` to the file that does, and shown as plain text
when no file does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from crosswire.report.view import (
    STORY_FOLDER,
    ArticleView,
    BriefView,
    ChangesView,
    ClaimRef,
    ClaimView,
    EntityView,
    FacetRef,
    FacetView,
    OutletCard,
    PageLinks,
    ReportView,
    RevisionView,
    StoryView,
    ValueView,
    report_view,
)

MARKDOWN_NAME = "report.md"

# An underscore inside a word never starts emphasis in CommonMark, so file names
# and ids such as "seed_002" stay unescaped and readable.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|(?<!\w)_|_(?!\w))")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_SPACE = re.compile(r"\s+")

_EXCLUSIVE_SHOWN = 5  # per outlet; the rest are listed by number only
_NEW_FACETS_SHOWN = 8
_STATUS_TEXT = {
    "conflicting": "**conflict**",
    "agreed": "agreed",
    "complementary": "complementary",
    "single-source": "single source",
}

_SUMMARY_ROWS = (
    ("stories", "Stories"),
    ("articles", "Articles"),
    ("outlets", "Outlets"),
    ("duplicates", "Duplicates"),
    ("errors", "Input errors"),
    ("inputs", "Inputs"),
)


def render_markdown(report: Mapping[str, Any]) -> str:
    """report.md: the table of stories, the articles in no story and the errors."""
    return "".join(markdown_chunks(report_view(report)))


def render_story_markdown(report: Mapping[str, Any], index: int) -> str:
    """The Markdown page of the report's INDEXth story."""
    view = report_view(report)
    return "".join(story_markdown_chunks(view, view.stories[index]))


def markdown_chunks(view: ReportView) -> Iterator[str]:
    """report.md piece by piece, for writing as it is made."""
    page = PageLinks(view.homes, MARKDOWN_NAME, story=None)
    return _sections(
        itertools.chain(
            (
                _header(view),
                _stories_table(view),
                _unassigned_section(view.unassigned, page),
                _errors_section(view.errors),
                "## Article details" if view.unassigned else "",
            ),
            (_article_details(article) for article in view.unassigned),
        )
    )


def story_markdown_chunks(view: ReportView, story: StoryView) -> Iterator[str]:
    """`stories/<story anchor>.md` piece by piece."""
    page = PageLinks(
        view.homes,
        MARKDOWN_NAME,
        story=story.anchor,
        local=frozenset(a.anchor for a in story.articles),
    )
    back = (
        f"[All stories](../{MARKDOWN_NAME}) · crosswire report generated"
        f" {escape(view.generated_at)}."
    )
    return _sections(
        itertools.chain(
            (back, _story_section(story, page), "## Article details" if story.articles else ""),
            (_article_details(article) for article in story.articles),
        )
    )


def _sections(sections: Iterable[str]) -> Iterator[str]:
    first = True
    for section in sections:
        if section:
            yield section if first else "\n\n" + section
            first = False
    yield "\n"


def escape(text: object) -> str:
    """Inline Markdown-safe text on one line (table cells cannot span lines)."""
    flat = _SPACE.sub(" ", str(text)).strip()
    return _ENTITY.sub("\\&", _SPECIAL.sub(r"\\\1", flat))


def _link(text: str, anchor: str | None) -> str:
    """A link to ANCHOR in this same file (a claim, a facet of this story)."""
    return _href_link(text, f"#{anchor}" if anchor else None)


def _href_link(text: str, href: str | None) -> str:
    return f"[{escape(text)}]({href})" if href else escape(text)


def _article_link(text: str, article_anchor: str | None, page: PageLinks) -> str:
    return _href_link(text, page.article_href(article_anchor) if article_anchor else None)


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
    if not view.rows:
        return "## Stories\n\nNo stories."
    rows = (
        [
            _href_link(row.headline, f"{STORY_FOLDER}/{row.anchor}.md"),
            str(row.articles),
            escape(", ".join(row.outlets) or "—"),
            escape(row.span),
        ]
        for row in view.rows
    )
    return "## Stories\n\n" + _table(["Story", "Articles", "Outlets", "Time span"], rows)


def _story_section(story: StoryView, page: PageLinks) -> str:
    parts = [
        f'<a id="{story.anchor}"></a>\n\n## {escape(story.data["headline"])}',
        _story_line(story),
        _brief(story.brief),
        _changes(story.changes, page),
        _facets(story.facets),
        _sources(story.sources, page),
        _entities(story.entities),
        _story_articles(story, page),
        _claims(story.claims, page),
    ]
    return "\n\n".join(part for part in parts if part)


def _story_line(story: StoryView) -> str:
    line = f"Time span: {escape(story.span)}. Outlets: {escape(', '.join(story.outlets) or '—')}."
    if story.claims:
        conflicts = sum(1 for facet in story.facets if facet.status == "conflicting")
        line += (
            f" {_count(len(story.claims), 'claim')}, {_count(len(story.facets), 'facet')},"
            f" {_count(conflicts, 'conflict')}."
        )
    return line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _story_articles(story: StoryView, page: PageLinks) -> str:
    table = "### Articles\n\n" + _articles_table(story.articles, page)
    if story.missing_articles:
        missing = ", ".join(escape(i) for i in story.missing_articles)
        table += f"\n\nArticles listed but not in this report: {missing}."
    return table


def _articles_table(articles: Iterable[ArticleView], page: PageLinks) -> str:
    rows = (
        [
            escape(article.data.get("outlet") or "—"),
            _article_link(
                str(article.data.get("title") or article.data["id"]), article.anchor, page
            ),
            escape(article.published),
            escape(article.data.get("original_source") or "—"),
            _copy_text(article, page),
        ]
        for article in articles
    )
    return _table(["Outlet", "Title", "Published", "Original source", "Copy of"], rows)


def _copy_text(article: ArticleView, page: PageLinks) -> str:
    copy = article.copy_of
    if copy is None:
        return "—"
    similarity = f" (similarity {copy.similarity})" if copy.similarity else ""
    return f"copy of {_article_link(copy.label, copy.anchor, page)}{similarity}"


def _cite(refs: Iterable[ClaimRef]) -> str:
    """`[#7](#claim-…)`: the claim's number in the story, linked to its sentence."""
    return " ".join(_link(ref.tag, ref.anchor) for ref in refs)


def _brief(brief: list[BriefView]) -> str:
    if not brief:
        return ""
    lines = [f"- {escape(item.text)} {_cite(item.claims)}".rstrip() for item in brief]
    return "### Brief\n\n" + "\n".join(lines)


def _facet_link(ref: FacetRef) -> str:
    return _link(ref.label, ref.anchor)


def _revision_text(item: RevisionView) -> str:
    return f"{escape(item.origin)}: {escape(item.text)} {_cite([item.old, item.new])}"


def _changes(changes: ChangesView | None, page: PageLinks) -> str:
    if changes is None:
        return ""
    head = f"### What changed since {escape(changes.since)}\n\n"
    if changes.empty:
        return head + f"Nothing new since {escape(changes.since)}."
    lines = []
    if changes.new_conflicts:
        lines.append("- **New conflict:** " + "; ".join(map(_facet_link, changes.new_conflicts)))
    lines.extend(f"- **Revised:** {_revision_text(item)}" for item in changes.revised)
    if changes.new_confirmations:
        confirmed = (
            _facet_link(ref) + (f" (now {ref.origins} independent)" if ref.origins else "")
            for ref in changes.new_confirmations
        )
        lines.append("- **New confirmation:** " + "; ".join(confirmed))
    if changes.new_facets:
        shown = "; ".join(map(_facet_link, changes.new_facets[:_NEW_FACETS_SHOWN]))
        rest = len(changes.new_facets) - _NEW_FACETS_SHOWN
        more = f"; and {rest} more in the facet table" if rest > 0 else ""
        lines.append(f"- **New facets:** {shown}{more}")
    if changes.new_claims:
        where = ", ".join(
            _article_link(a.label, a.anchor, page) for a in changes.new_claim_articles
        )
        lines.append(
            f"- {_count(changes.new_claims, 'new claim')}" + (f" in {where}" if where else "")
        )
    return head + "\n".join(lines)


def _facets(facets: list[FacetView]) -> str:
    if not facets:
        return ""
    rows = (
        [
            f'<a id="{facet.anchor}"></a>{escape(facet.data["label"])}',
            _STATUS_TEXT.get(facet.status, escape(facet.status)),
            _facet_values(facet),
            str(facet.data["independent_origins"]),
        ]
        for facet in facets
    )
    return "### Facets\n\n" + _table(
        ["Facet", "Status", "Values by origin", "Independent origins"], rows
    )


def _values(values: Iterable[ValueView]) -> str:
    return "; ".join(f"{escape(value.text)} {_cite(value.claims)}" for value in values)


def _facet_values(facet: FacetView) -> str:
    parts = []
    for origin in facet.origins:
        repeated = f"; repeated by {', '.join(origin.repeated_by)}" if origin.repeated_by else ""
        when = f", {origin.first_published}" if origin.first_published else ""
        first = f"first {origin.first_outlet}{when}{repeated}"
        parts.append(f"**{escape(origin.label)}**: {_values(origin.values)} ({escape(first)})")
    if not facet.origins:
        parts.append(_values(facet.values))
    parts.extend(
        f"derived: {escape(item.text)} {_cite(item.claims)} ({escape(item.note)})"
        for item in facet.derived
    )
    parts.extend(f"revised: {_revision_text(item)}" for item in facet.revisions)
    return " · ".join(parts) or "—"


def _sources(cards: list[OutletCard], page: PageLinks) -> str:
    if not cards:
        return ""
    blocks = []
    for card in cards:
        articles = ", ".join(_article_link(a.title, a.anchor, page) for a in card.articles)
        lines = [f"- **{escape(card.outlet)}**: {articles or '—'}"]
        exclusive = card.exclusive_claims
        if exclusive:
            shown = "; ".join(
                f"{_cite([ref])} {escape(ref.preview)}" for ref in exclusive[:_EXCLUSIVE_SHOWN]
            )
            rest = exclusive[_EXCLUSIVE_SHOWN:]
            more = f"; and {len(rest)} more: {_cite(rest)}" if rest else ""
            lines.append(f"  - Only here ({len(exclusive)}): {shown}{more}")
        else:
            lines.append("  - Only here: nothing the others do not carry")
        if card.exclusive_entities:
            names = ", ".join(escape(name) for name in card.exclusive_entities)
            lines.append(f"  - Names only here: {names}")
        if card.missing_facets:
            missing = "; ".join(_facet_link(ref) for ref in card.missing_facets)
            lines.append(f"  - Leaves out: {missing}")
        blocks.append("\n".join(lines))
    return "### Sources side by side\n\n" + "\n".join(blocks)


def _entities(entities: list[EntityView]) -> str:
    if not entities:
        return ""
    rows = (
        [escape(e.name), escape(e.type), escape("; ".join(e.aliases) or "—"), str(e.articles)]
        for e in entities
    )
    return "### Entities\n\n" + _table(["Name", "Type", "Also called", "Articles"], rows)


def _claims(claims: list[ClaimView], page: PageLinks) -> str:
    if not claims:
        return ""
    return "### Claims\n\n" + "\n".join(_claim_line(claim, page) for claim in claims)


def _claim_line(claim: ClaimView, page: PageLinks) -> str:
    source = claim.article.label if claim.article is not None else str(claim.data["article"])
    details = [f"claimant: {escape(claim.claimant)}"]
    if claim.via:
        details.append(f"via {escape(claim.via)}")
    if claim.cue:
        details.append(f"cue “{escape(claim.cue)}”")
    if claim.hedge:
        details.append(f"**hedged** ({escape(claim.hedge)})")
    details.extend(f"quantity {escape(q)}" for q in claim.quantities)
    if claim.time:
        details.append(f"time {escape(claim.time)}")
    if claim.copy_of is not None:
        details.append(f"repeats {_cite([claim.copy_of])}")
    anchor = f'<a id="{claim.anchor}"></a>'
    article = _article_link(
        source, claim.article.anchor if claim.article is not None else None, page
    )
    text = escape(str(claim.data["text"]).strip())
    return f"- {anchor}**#{claim.number}** {article}: “{text}” ({'; '.join(details)})"


def _unassigned_section(articles: list[ArticleView], page: PageLinks) -> str:
    if not articles:
        return ""
    return "## Articles in no story\n\n" + _articles_table(articles, page)


def _errors_section(errors: list[Mapping[str, Any]]) -> str:
    if not errors:
        return "## Input errors\n\nNone: every input was read."
    rows = ([escape(error["input"]), escape(error["error"])] for error in errors)
    return "## Input errors\n\n" + _table(["Input", "Reason"], rows)


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
    for revision in data.get("revisions", []):
        # the diff is article text: escaped line by line like every other text here
        changes = [f"- {escape(line)}" for line in str(revision["diff"]).splitlines()]
        lines.extend(["", f"Revised at {escape(revision['at'])}; the diff:", "", *changes])
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
