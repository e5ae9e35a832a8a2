"""What the Markdown and HTML reports show, worked out once from a report dict.

Both renderers read the same view, so the two human-readable files cannot drift
apart; they only differ in markup and escaping. Working from the report dict (not
the dataclasses) lets any saved report.json be rendered again, also one written
before claims and facets existed (every stage 5/6 key is read with a default).

Conventions: claims are numbered per story in the order the story lists them, and
`[n]` means the same claim everywhere on a story's page. `#claim-<id>` is the claim
sentence itself, marked at its offsets in its article's text; a claim whose sentence
cannot be marked there (offsets that do not match the text, a span crossing another
one, an article missing from the report) carries that anchor on its note instead, so
every link still lands somewhere. Facets are listed conflicts first.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, Literal, overload
from urllib.parse import urlsplit

from crosswire.report.build import summarize

# the folder beside the report holding one page per story (`<story anchor>.html`/`.md`)
STORY_FOLDER = "stories"
_UNSAFE_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")
_CLAIM_PREVIEW = 90
_ID = re.compile(r"[A-Za-z0-9_-]+")
_OUTLET_PREFIX = re.compile(r"\boutlet:")
_OUTLET_ORIGIN = "outlet:"
# conflicts are what a reader came for; single-source facets are the long tail
_STATUS_RANK = {"conflicting": 0, "agreed": 1, "complementary": 2, "single-source": 3}
_STATUS_LABEL = {
    "conflicting": "conflict",
    "agreed": "agreed",
    "complementary": "complementary",
    "single-source": "single source",
}


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
    title: str
    published: str
    copy_of: CopyRef | None
    provenance: list[ProvenanceRow]
    href: str | None  # the article's URL when it is safe to link (http or https)
    story_anchor: str | None  # None when the article's story is not in this report
    text_anchor: str  # the article's text with its claims marked, inside its story


@dataclass(frozen=True, slots=True)
class ProvenanceRow:
    field: str
    value: str
    source: str
    confidence: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A link to one claim: `#number`, who printed it, and what it says in brief."""

    anchor: str | None  # None when the facet names a claim the story does not hold
    outlet: str
    preview: str
    number: int | None = None
    sentence: str = ""  # the claim's sentence, shortened: what a hover over the link shows

    @property
    def tag(self) -> str:
        return f"#{self.number}" if self.number is not None else self.preview


@dataclass(frozen=True, slots=True)
class FacetRef:
    anchor: str | None  # None when the facet id is not in the story
    label: str
    status: str
    origins: int | None

    @property
    def status_label(self) -> str:
        return _STATUS_LABEL.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class ClaimView:
    data: Mapping[str, Any]
    number: int
    anchor: str  # on the sentence in the article text, or on the note when unplaced
    note_anchor: str
    span: tuple[int, int] | None  # where the sentence is marked in its article's text
    article: ArticleView | None
    preview: str  # the sentence shortened, for the note under the text that holds it whole
    claimant: str
    via: str
    cue: str
    hedge: str | None  # the hedging words, "hedged" when unnamed; None when not hedged
    quantities: list[str]
    time: str
    copy_of: ClaimRef | None
    facets: list[FacetRef]

    @property
    def placed(self) -> bool:
        return self.span is not None


@dataclass(frozen=True, slots=True)
class TextPiece:
    """One step through an article's text: plain text, or a claim mark opening/closing."""

    kind: Literal["text", "open", "close"]
    text: str = ""
    claim: ClaimView | None = None


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article of a story with its text cut at its claims' offsets."""

    article: ArticleView
    pieces: list[TextPiece]
    claims: list[ClaimView]


@dataclass(frozen=True, slots=True)
class ValueView:
    """One value as given (a figure, else the sentence) and every claim that gives it."""

    text: str
    claims: list[ClaimRef]


@dataclass(frozen=True, slots=True)
class OriginView:
    label: str
    values: list[ValueView]
    first_outlet: str
    first_published: str
    first: ClaimRef | None
    repeated_by: list[str]


@dataclass(frozen=True, slots=True)
class DerivedView:
    text: str
    note: str
    claims: list[ClaimRef]


@dataclass(frozen=True, slots=True)
class RevisionView:
    origin: str
    old: ClaimRef
    new: ClaimRef
    text: str  # "At least 12 → At least 17 (revised, 2026-03-04 08:50 … → …)"


@dataclass(frozen=True, slots=True)
class FacetView:
    data: Mapping[str, Any]
    anchor: str
    status: str
    status_label: str
    claims: list[ClaimRef]
    values: list[ValueView]  # all claims' values, for a facet that names no origins
    origins: list[OriginView]
    derived: list[DerivedView]
    revisions: list[RevisionView]


@dataclass(frozen=True, slots=True)
class BriefView:
    text: str
    claims: list[ClaimRef]


@dataclass(frozen=True, slots=True)
class OutletCard:
    """One outlet's column: its articles, what only it reports, what it leaves out."""

    outlet: str
    articles: list[ArticleView]
    exclusive_claims: list[ClaimRef]
    exclusive_entities: list[str]
    missing_facets: list[FacetRef]


@dataclass(frozen=True, slots=True)
class EntityView:
    anchor: str
    name: str
    type: str
    aliases: list[str]
    articles: int


@dataclass(frozen=True, slots=True)
class ChangesView:
    since: str
    new_claims: int
    new_claim_articles: list[ArticleView]
    new_facets: list[FacetRef]
    new_conflicts: list[FacetRef]
    revised: list[RevisionView]
    new_confirmations: list[FacetRef]

    @property
    def empty(self) -> bool:
        return not (
            self.new_claims
            or self.new_facets
            or self.new_conflicts
            or self.revised
            or self.new_confirmations
        )


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
    sources: list[OutletCard]
    entities: list[EntityView]
    texts: list[ArticleText]
    orphan_claims: list[ClaimView]  # claims of articles whose text is not in this story
    changes: ChangesView | None


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story's line in the table of stories: what it takes to choose one to read."""

    anchor: str
    headline: str
    articles: int
    outlets: list[str]
    conflicts: int
    span: str


class LazyStories(Sequence[StoryView]):
    """The story views, each built when it is read and then let go.

    A story's view holds its articles' texts cut into marked pieces, several times the
    size of the report itself; building them one at a time keeps writing a report
    from needing memory in proportion to the corpus on top of the report.
    """

    def __init__(
        self, stories: Sequence[Mapping[str, Any]], by_id: Mapping[str, ArticleView]
    ) -> None:
        self._stories = stories
        self._by_id = by_id

    def __len__(self) -> int:
        return len(self._stories)

    @overload
    def __getitem__(self, index: int) -> StoryView: ...

    @overload
    def __getitem__(self, index: slice) -> list[StoryView]: ...

    def __getitem__(self, index: int | slice) -> StoryView | list[StoryView]:
        if isinstance(index, slice):
            return [_story_view(story, self._by_id) for story in self._stories[index]]
        return _story_view(self._stories[index], self._by_id)

    def __iter__(self) -> Iterator[StoryView]:
        for story in self._stories:
            yield _story_view(story, self._by_id)


@dataclass(frozen=True, slots=True)
class ReportView:
    generated_at: str
    summary: Mapping[str, int]
    rows: list[StoryRow]
    stories: LazyStories
    unassigned: list[ArticleView]
    articles: LazyArticles
    errors: list[Mapping[str, Any]]
    # Where each article's details are shown, by article anchor: the anchor of the first
    # story that lists it (its page), None for an article in no story (beside the table
    # of stories). A page links an article on another page through this, never blindly.
    homes: Mapping[str, str | None]


def report_view(report: Mapping[str, Any]) -> ReportView:
    by_id = LazyArticles(report)
    homes: dict[str, str | None] = {}
    for story in report["stories"]:
        story_anchor = anchor("story", story["id"])
        for article_id in story["articles"]:
            if article_id in by_id:
                homes.setdefault(anchor("article", article_id), story_anchor)
    unassigned = [a["id"] for a in report["articles"] if anchor("article", a["id"]) not in homes]
    homes.update((anchor("article", article_id), None) for article_id in unassigned)
    return ReportView(
        generated_at=str(report["generated_at"]),
        summary=summarize(report["articles"], report["stories"], report["errors"]),
        rows=[_story_row(story, by_id) for story in report["stories"]],
        stories=LazyStories(report["stories"], by_id),
        unassigned=[by_id[article_id] for article_id in unassigned],
        articles=by_id,
        errors=list(report["errors"]),
        homes=homes,
    )


class LazyArticles(Mapping[str, ArticleView]):
    """Article views by id, each built when it is read (see `LazyStories`); iterating
    gives the views in report order, as the article details are shown."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        self._raw = {article["id"]: article for article in report["articles"]}
        self._story_ids = {story["id"] for story in report["stories"]}

    def __getitem__(self, article_id: str) -> ArticleView:
        return _article_view(self._raw[article_id], self._raw, self._story_ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def views(self) -> Iterator[ArticleView]:
        for article_id in self._raw:
            yield self[article_id]


def _story_row(story: Mapping[str, Any], by_id: Mapping[str, ArticleView]) -> StoryRow:
    members = [by_id[i] for i in story["articles"] if i in by_id]
    return StoryRow(
        anchor=anchor("story", story["id"]),
        headline=str(story["headline"]),
        articles=len(story["articles"]),
        outlets=_outlets(members),
        conflicts=sum(1 for f in story.get("facets", []) if f.get("status") == "conflicting"),
        span=_span(story),
    )


def _outlets(members: Sequence[ArticleView]) -> list[str]:
    return sorted({str(v.data["outlet"]) for v in members if v.data.get("outlet")})


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
    # an article whose site is unknown is best known by the agency it credits
    return str(
        article.get("outlet")
        or article.get("original_source")
        or article.get("title")
        or article["id"]
    )


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
        title=str(article.get("title") or f"untitled ({article['id']})"),
        published=format_time(article.get("published")),
        copy_of=_copy_ref(article, articles),
        provenance=_provenance_rows(article),
        href=web_url(article.get("url")),
        story_anchor=anchor("story", story)
        if isinstance(story, str) and story in story_ids
        else None,
        text_anchor=anchor("text", article["id"]),
    )


def web_url(url: str | None) -> str | None:
    """URL when it is safe to link (http or https), else None: autoescaping does not
    stop a "javascript:" or "data:" link. A URL that does not parse is no link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


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


class _StoryIndex:
    """Lookups one story's parts need from each other: claims, facets, entities by id."""

    def __init__(self, story: Mapping[str, Any], by_id: Mapping[str, ArticleView]) -> None:
        self.articles = by_id
        self.claims: dict[str, Mapping[str, Any]] = {}
        self.numbers: dict[str, int] = {}
        for number, claim in enumerate(story.get("claims", []), start=1):
            self.claims.setdefault(claim["id"], claim)
            self.numbers.setdefault(claim["id"], number)
        self.entities = {e["id"]: e for e in story.get("entities", [])}
        self.facets = {f["id"]: f for f in story.get("facets", [])}
        # only the story's own articles show their text on its page
        self.members = {i: by_id[i] for i in story["articles"] if i in by_id}
        self.placed = _placeable_claims(story.get("claims", []), self.members)

    def claim_anchor(self, claim_id: str) -> str:
        return anchor("claim", claim_id)

    def ref(
        self,
        claim_id: str,
        kind: str | None = None,
        *,
        only: Sequence[int] | None = None,
        sentence: bool = False,
    ) -> ClaimRef:
        """A link to a claim, previewed by its sentence or its figures: those at the
        indices `only` (the ones a facet compares), else those of `kind`, else all."""
        claim = self.claims.get(claim_id)
        if claim is None:
            return ClaimRef(anchor=None, outlet="", preview=claim_id)
        article = self.articles.get(claim["article"])
        outlet = claim.get("outlet") or (article.label if article is not None else "")
        text = _shorten(str(claim.get("text", "")).strip())
        return ClaimRef(
            anchor=self.claim_anchor(claim_id),
            outlet=str(outlet),
            preview=text if sentence else _claim_preview(claim, kind, only),
            number=self.numbers[claim_id],
            sentence=text,
        )

    def facet_ref(self, facet_id: str) -> FacetRef:
        facet = self.facets.get(facet_id)
        if facet is None:
            return FacetRef(anchor=None, label=facet_id, status="", origins=None)
        return FacetRef(
            anchor=anchor("facet", facet_id),
            label=str(facet.get("label") or facet_id),
            status=str(facet.get("status", "")),
            origins=facet.get("independent_origins"),
        )

    def readable(self, note: str) -> str:
        """A note written for machines made readable: entity ids as names, claims as #n."""
        note = _OUTLET_PREFIX.sub("", note)
        return _ID.sub(lambda match: self._id_text(match.group(0)), note)

    def _id_text(self, token: str) -> str:
        if token in self.entities:
            return str(self.entities[token]["name"])
        if token in self.numbers:
            return f"#{self.numbers[token]}"
        return token

    def entity_name(self, key: str | None) -> str | None:
        if not key:
            return None
        entity = self.entities.get(key)
        if entity is not None:
            return str(entity["name"])
        return key[len(_OUTLET_ORIGIN) :] if key.startswith(_OUTLET_ORIGIN) else key


def _story_view(story: Mapping[str, Any], by_id: Mapping[str, ArticleView]) -> StoryView:
    members = [by_id[i] for i in story["articles"] if i in by_id]
    index = _StoryIndex(story, by_id)
    facet_ids_of: dict[str, list[str]] = {}
    for facet in story.get("facets", []):
        for claim_id in facet.get("claims", []):
            facet_ids_of.setdefault(claim_id, []).append(facet["id"])
    claims = [
        _claim_view(claim, index, facet_ids_of.get(claim["id"], []))
        for claim in index.claims.values()
    ]
    facets = sorted(
        (_facet_view(facet, index) for facet in story.get("facets", [])),
        key=lambda view: _STATUS_RANK.get(view.status, len(_STATUS_RANK)),
    )
    changes = story.get("changes")
    return StoryView(
        data=story,
        anchor=anchor("story", story["id"]),
        span=_span(story),
        outlets=_outlets(members),
        articles=members,
        missing_articles=[i for i in story["articles"] if i not in by_id],
        claims=claims,
        facets=facets,
        brief=[
            BriefView(
                text=str(item.get("text", "")).strip(),
                claims=[index.ref(i) for i in item.get("claims", [])],
            )
            for item in story.get("brief", [])
        ],
        sources=[_outlet_card(view, index) for view in story.get("outlets", [])],
        entities=[_entity_view(entity) for entity in story.get("entities", [])],
        texts=_article_texts(members, claims),
        orphan_claims=[claim for claim in claims if claim.data["article"] not in index.members],
        changes=_changes_view(changes, index) if changes else None,
    )


def _span(story: Mapping[str, Any]) -> str:
    first, last = story.get("first_published"), story.get("last_published")
    if not first and not last:
        return "unknown"
    if first == last or not last:
        return format_time(first)
    return f"{format_time(first)} – {format_time(last)}"


def _placeable_claims(
    claims: Sequence[Mapping[str, Any]], by_id: Mapping[str, ArticleView]
) -> dict[str, tuple[int, int]]:
    """The span to mark for each claim that can be marked, whitespace trimmed off its ends.

    Spans nest (two claims on one sentence give two marks, one inside the other); a
    span that crosses an earlier one is left unmarked rather than split in two.
    """
    by_article: dict[str, list[tuple[int, int, int, str]]] = {}
    for order, claim in enumerate(claims):
        article = by_id.get(claim["article"])
        span = _claim_span(claim, str(article.data["text"])) if article is not None else None
        if span is not None:
            by_article.setdefault(claim["article"], []).append((*span, order, claim["id"]))
    placed: dict[str, tuple[int, int]] = {}
    for spans in by_article.values():
        # outer spans first; on equal spans the later claim wraps the earlier one, so
        # the closing marks (and their [n] tags) come out in claim order
        spans.sort(key=lambda s: (s[0], -s[1], -s[2]))
        open_ends: list[int] = []
        for start, end, _, claim_id in spans:
            while open_ends and open_ends[-1] <= start:
                open_ends.pop()
            if open_ends and end > open_ends[-1]:
                continue
            open_ends.append(end)
            placed[claim_id] = (start, end)
    return placed


def _claim_span(claim: Mapping[str, Any], text: str) -> tuple[int, int] | None:
    start, end, quoted = claim.get("start"), claim.get("end"), str(claim.get("text", ""))
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return None
    if text[start:end] != quoted:
        return None  # offsets that do not match the text would mark the wrong words
    stripped = text[start:end].strip()
    if not stripped:
        return None
    start += text[start:end].index(stripped)
    return start, start + len(stripped)


def _claim_view(claim: Mapping[str, Any], index: _StoryIndex, facet_ids: list[str]) -> ClaimView:
    time = claim.get("time")
    claim_anchor = index.claim_anchor(claim["id"])
    copy_of = claim.get("copy_of")
    hedge = (claim.get("hedge") or "hedged") if claim.get("hedged") else None
    return ClaimView(
        data=claim,
        number=index.numbers[claim["id"]],
        anchor=claim_anchor,
        note_anchor=anchor("about-claim", claim["id"]),
        span=index.placed.get(claim["id"]),
        article=index.articles.get(claim["article"]),
        preview=_shorten(str(claim.get("text", "")).strip()),
        claimant=str(
            claim.get("claimant_name") or index.entity_name(claim.get("claimant")) or "unattributed"
        ),
        via=" → ".join(str(step) for step in claim.get("via", [])),
        cue=str(claim.get("cue") or ""),
        hedge=str(hedge) if hedge else None,
        quantities=[_quantity_text(q) for q in claim.get("quantities", [])],
        time=_time_text(time) if time else "",
        copy_of=index.ref(copy_of) if copy_of else None,
        facets=[index.facet_ref(facet_id) for facet_id in facet_ids],
    )


def _article_texts(
    members: Sequence[ArticleView], claims: Sequence[ClaimView]
) -> list[ArticleText]:
    by_article: dict[str, list[ClaimView]] = {}
    for claim in claims:
        by_article.setdefault(str(claim.data["article"]), []).append(claim)
    return [
        ArticleText(
            article=article,
            pieces=_pieces(str(article.data["text"]), by_article.get(article.data["id"], [])),
            claims=by_article.get(article.data["id"], []),
        )
        for article in members
    ]


def _pieces(text: str, claims: Sequence[ClaimView]) -> list[TextPiece]:
    events: list[tuple[int, int, int, int, ClaimView]] = []
    for claim in claims:
        if claim.span is not None:
            start, end = claim.span
            # at one offset closes come before opens; the outer mark opens first and
            # closes last (on equal spans the later claim is the outer one)
            events.append((start, 1, -end, -claim.number, claim))
            events.append((end, 0, -start, claim.number, claim))
    events.sort(key=lambda event: event[:4])
    pieces: list[TextPiece] = []
    position = 0
    for offset, is_open, _, _, claim in events:
        if offset > position:
            pieces.append(TextPiece("text", text[position:offset]))
            position = offset
        pieces.append(TextPiece("open" if is_open else "close", claim=claim))
    if position < len(text):
        pieces.append(TextPiece("text", text[position:]))
    return pieces


def _facet_view(facet: Mapping[str, Any], index: _StoryIndex) -> FacetView:
    kind = facet.get("kind")
    status = str(facet.get("status", ""))
    figures = facet.get("figures") or {}

    def ref(claim_id: str) -> ClaimRef:
        return index.ref(claim_id, kind, only=figures.get(claim_id))

    origins = [
        OriginView(
            label=str(origin.get("label") or index.entity_name(origin.get("name")) or "unknown"),
            values=_values([ref(i) for i in origin.get("claims", [])]),
            first_outlet=str(origin.get("first_outlet") or "unknown outlet"),
            first_published=format_time(origin["first_published"])
            if origin.get("first_published")
            else "",
            first=ref(origin["first_claim"]) if origin.get("first_claim") else None,
            repeated_by=[str(outlet) for outlet in origin.get("repeated_by", [])],
        )
        for origin in facet.get("origins", [])
    ]
    claims = [ref(i) for i in facet.get("claims", [])]
    return FacetView(
        data=facet,
        anchor=anchor("facet", facet["id"]),
        status=status,
        status_label=_STATUS_LABEL.get(status, status),
        claims=claims,
        values=_values(claims),
        origins=origins,
        derived=[
            DerivedView(
                text=str(item.get("text", "")),
                note=index.readable(str(item.get("note", ""))),
                claims=[ref(i) for i in item.get("claims", [])],
            )
            for item in facet.get("derived", [])
        ],
        revisions=[_revision_view(item, index) for item in facet.get("revisions", [])],
    )


def _values(refs: Sequence[ClaimRef]) -> list[ValueView]:
    # a wire story copied by five outlets gives one value five times: show it once
    grouped: dict[str, list[ClaimRef]] = {}
    for ref in refs:
        grouped.setdefault(ref.preview, []).append(ref)
    return [ValueView(text=text, claims=claims) for text, claims in grouped.items()]


def _revision_view(revision: Mapping[str, Any], index: _StoryIndex) -> RevisionView:
    old_time = format_time(revision.get("old_published"))
    new_time = format_time(revision.get("new_published"))
    return RevisionView(
        origin=index.entity_name(revision.get("origin")) or "unknown",
        old=index.ref(str(revision.get("old_claim", ""))),
        new=index.ref(str(revision.get("new_claim", ""))),
        text=(
            f"{revision.get('old_value')} → {revision.get('new_value')}"
            f" (revised, {old_time} → {new_time})"
        ),
    )


def _outlet_card(view: Mapping[str, Any], index: _StoryIndex) -> OutletCard:
    return OutletCard(
        outlet=str(view.get("outlet") or "unknown"),
        articles=[index.articles[i] for i in view.get("articles", []) if i in index.articles],
        exclusive_claims=[index.ref(i, sentence=True) for i in view.get("exclusive_claims", [])],
        exclusive_entities=sorted(
            {index.entity_name(i) or i for i in view.get("exclusive_entities", [])}
        ),
        missing_facets=[index.facet_ref(i) for i in view.get("missing_facets", [])],
    )


def _entity_view(entity: Mapping[str, Any]) -> EntityView:
    return EntityView(
        anchor=anchor("entity", entity["id"]),
        name=str(entity["name"]),
        type=str(entity.get("type", "")),
        aliases=[str(alias) for alias in entity.get("aliases", [])],
        articles=len(entity.get("articles", [])),
    )


def _changes_view(changes: Mapping[str, Any], index: _StoryIndex) -> ChangesView:
    new_claims = list(changes.get("new_claims", []))
    article_ids = dict.fromkeys(
        str(index.claims[i]["article"]) for i in new_claims if i in index.claims
    )
    return ChangesView(
        since=format_time(changes.get("since")),
        new_claims=len(new_claims),
        new_claim_articles=[index.articles[i] for i in article_ids if i in index.articles],
        # a new facet that is also a new conflict is listed once, as the conflict
        new_facets=[
            index.facet_ref(i)
            for i in changes.get("new_facets", [])
            if i not in changes.get("new_conflicts", [])
        ],
        new_conflicts=[index.facet_ref(i) for i in changes.get("new_conflicts", [])],
        revised=[_revision_view(item, index) for item in changes.get("revised", [])],
        new_confirmations=[index.facet_ref(i) for i in changes.get("new_confirmations", [])],
    )


def _claim_preview(
    claim: Mapping[str, Any], kind: str | None = None, only: Sequence[int] | None = None
) -> str:
    """The figures a claim gives (those at `only`, else those of `kind` when it has
    several), else its text."""
    every = claim.get("quantities", [])
    if only:
        every = [every[k] for k in only if k < len(every)]
    quantities = [q for q in every if q.get("text")]
    if kind and not only:
        quantities = [q for q in quantities if q.get("kind") == kind] or quantities
    if quantities:
        return ", ".join(f"“{q['text']}”" for q in quantities)
    return _shorten(str(claim.get("text", "")).strip())


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
    other = ", of an earlier event: not compared" if quantity.get("background") else ""
    return f"“{quantity['text']}” ({detail}{approx}{other})"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _time_text(time: Mapping[str, Any]) -> str:
    start, end = time.get("start"), time.get("end")
    if start and end and start != end:
        return f"“{time['text']}” ({start} – {end})"
    resolved = start or end
    return f"“{time['text']}” ({resolved})" if resolved else f"“{time['text']}”"


def _shorten(text: str) -> str:
    if len(text) <= _CLAIM_PREVIEW:
        return text
    return text[: _CLAIM_PREVIEW - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The page being written (the report's own file, or a story's page), for links to
    an article or a story shown on another page: each is resolved to the file that shows
    it, and is None (plain text) when no file does. One rule for both exports: only the
    file names differ (`report.html` and `<anchor>.html`, `report.md` and `<anchor>.md`)."""

    homes: Mapping[str, str | None]  # `ReportView.homes`
    top: str  # the report's own file: "report.html", "report.md"
    story: str | None  # the anchor of the story this page is, None for the report's file
    # the articles detailed on this page (a story's page also shows their texts): one
    # listed by two stories is detailed on both pages
    local: frozenset[str] = frozenset()

    def article_href(self, article_anchor: str | None) -> str | None:
        """Where an article's details are: here, its story's page, or the report's file."""
        if article_anchor is None or article_anchor not in self.homes:
            return None
        if article_anchor in self.local:
            return f"#{article_anchor}"
        return f"{self._file(self.homes[article_anchor])}#{article_anchor}"

    def text_href(self, article: ArticleView) -> str | None:
        """Where an article's text and claims are: here, or the page of the first story
        listing it; an article in no story has no text shown, so its details stand in."""
        if self.story is not None and article.anchor in self.local:
            return f"#{article.text_anchor}"
        home = self.homes.get(article.anchor)
        if home is None:
            return self.article_href(article.anchor)
        return f"{self._file(home)}#{article.text_anchor}"

    def story_href(self, story_anchor: str | None) -> str | None:
        """A story of this report: its section here, else its own page."""
        if story_anchor is None:
            return None
        if story_anchor == self.story:
            return f"#{story_anchor}"
        return self._file(story_anchor)

    def _file(self, home: str | None) -> str:
        """The file of HOME (a story anchor, None for the report's file) relative to this
        page."""
        if home is None:
            return "" if self.story is None else f"../{self.top}"
        if home == self.story:
            return ""
        name = f"{home}{PurePosixPath(self.top).suffix}"
        return name if self.story is not None else f"{STORY_FOLDER}/{name}"
