"""The vocabulary every stage shares.

Stages take and return these plain dataclasses and never reach into each other's
internals: ingest yields `RawDoc`, clean turns one into an `Article`, dedup and
stories annotate articles and produce `Story` objects, the store and the report
serialise them. Claims, entities and facets (stages 5 and 6) hang off `Story`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

RawKind = Literal["text", "html", "record"]


def published_instant(published: str | None) -> datetime | None:
    """The instant an `Article.published` string names, for ordering and time gaps.

    A time without offset (or a bare date) is read as UTC; unknown or unreadable
    values give None. Never written back, so the guess cannot leak into output.
    """
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(slots=True)
class InputError:
    """An input that could not be read or processed, with a reason a person understands."""

    input: str
    error: str


@dataclass(slots=True)
class RawDoc:
    """One article as read from disk, before any cleaning.

    `text` is set for plain text, `html` for pages; a JSON record may carry either.
    Record fields (`url`, `outlet`, `published`, `title`, `record_id`) are passed on as
    given so the clean stage can credit them as provenance "record".
    """

    input: str
    kind: RawKind
    text: str | None = None
    html: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    record_id: str | None = None
    # folder the input came from: the unit for learning per-site boilerplate when
    # the outlet is unknown
    group: str | None = None


@dataclass(slots=True)
class Provenance:
    """Where one metadata value was read from and how sure we are of it."""

    source: str  # e.g. "record", "html-meta", "dateline", "header-line", "credit-line"
    confidence: float = 1.0
    evidence: str | None = None  # the text the value was read from

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "confidence": self.confidence, "evidence": self.evidence}


@dataclass(slots=True)
class Article:
    """A cleaned article: body text free of clutter plus metadata with provenance."""

    id: str
    input: str
    text: str
    url: str | None = None
    outlet: str | None = None
    original_source: str | None = None
    title: str | None = None
    byline: str | None = None
    published: str | None = None  # ISO 8601, with offset when known
    dateline: str | None = None
    language: str = "und"
    removed: list[str] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    duplicate_of: str | None = None
    similarity: float | None = None
    story: str | None = None


@dataclass(slots=True)
class Quantity:
    text: str
    low: float | None
    high: float | None
    kind: str | None
    approximate: bool = False
    unit: str | None = None


@dataclass(slots=True)
class TimeRef:
    text: str
    start: str | None
    end: str | None


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    id: str
    article: str
    text: str
    start: int
    end: int
    claimant: str | None = None
    claimant_name: str | None = None
    via: list[str] = field(default_factory=list)
    cue: str | None = None
    hedged: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    time: TimeRef | None = None


FacetStatus = Literal["agreed", "conflicting", "complementary", "single-source"]


@dataclass(slots=True)
class Facet:
    id: str
    label: str
    claims: list[str]
    status: FacetStatus
    independent_origins: int


@dataclass(slots=True)
class Story:
    id: str
    headline: str
    articles: list[str]
    first_published: str | None = None
    last_published: str | None = None
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
