"""The vocabulary every stage shares.

Stages take and return these plain dataclasses and never reach into each other's
internals: ingest yields `RawDoc`, clean turns one into an `Article`, dedup and
stories annotate articles and produce `Story` objects, the store and the report
serialise them. Claims, entities and facets (stages 5 and 6) hang off `Story`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

RawKind = Literal["text", "html", "record"]
T = TypeVar("T")


def published_instant(published: str | None) -> datetime | None:
    """The instant an `Article.published` string names, for ordering and time gaps.

    A time without offset (or a bare date) is read as UTC; unknown or unreadable
    values give None. Never written back, so the guess cannot leak into output.
    Instants before the year 3 or in the last two years of the calendar give None too
    ("0001-01-01T00:00:00+14:00" is in year 0 in UTC): callers convert to UTC and add or
    subtract up to a year, which must not overflow.
    """
    if not isinstance(published, str) or not published:
        return None
    try:
        moment = datetime.fromisoformat(published.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # aware datetimes compare without converting, so this test itself cannot overflow
    if not datetime(3, 1, 1, tzinfo=UTC) <= moment <= datetime(9998, 1, 1, tzinfo=UTC):
        return None
    return moment


def outlet_of(article: Article) -> str:
    """Who printed an article, for claims and per-outlet views: its outlet, else the wire
    it credits, else its input (so two unknown sources are never merged)."""
    return article.outlet or article.original_source or article.input


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
    # where the text came from when that is not the page itself ("feed text: the page
    # could not be fetched (HTTP 403)"); kept as the article's "text" provenance
    note: str | None = None
    # the stored article this is a new version of (a feed entry or URL whose text
    # changed): the article keeps that id, and the store keeps the text it replaces
    revises: str | None = None


@dataclass(slots=True)
class Provenance:
    """Where one metadata value was read from and how sure we are of it."""

    source: str  # e.g. "record", "html-meta", "dateline", "header-line", "credit-line"
    confidence: float = 1.0
    evidence: str | None = None  # the text the value was read from

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "confidence": self.confidence, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class ArticleRevision:
    """An earlier text of an article, replaced at `at` (ISO 8601); `diff` is unified,
    line by line, from that text to the one that replaced it."""

    at: str
    diff: str


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
    # this text replaces the stored text of the same article (a revision); the store
    # keeps the old one and fills `revisions`, oldest first
    revised: bool = False
    revisions: list[ArticleRevision] = field(default_factory=list)


@dataclass(slots=True)
class Quantity:
    """A figure as an interval: "more than 10,000" is low 10000, no high."""

    text: str
    low: float | None
    high: float | None
    kind: str | None  # what is counted: troops, killed, injured, killed or wounded, money, ...
    approximate: bool = False
    unit: str | None = None  # "%", an ISO currency code, "days", "hours"; None for counts
    subject: str | None = None  # of whom or what: "North Korean soldiers"
    start: int = 0  # offsets into Article.text
    end: int = 0
    # a figure of another, earlier event the sentence names for context ("the tremor came
    # two days after a quake in Peru killed 17"): shown, never compared in a facet
    background: bool = False


@dataclass(slots=True)
class TimeRef:
    """The time a claim is about, as an inclusive ISO interval; None ends when unresolved."""

    text: str
    start: str | None
    end: str | None
    value: str | None = None  # TIMEX3 value ("2024-FA"), kept for people and evals


@dataclass(slots=True)
class Entity:
    """One real-world thing, its aliases merged across the outlets of a story."""

    id: str
    name: str
    type: str  # PERSON, ORG, GPE, NORP, LOC, EVENT, ...
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    """One sentence worth cross-checking: `text == article.text[start:end]`.

    `origin` names who stands behind it independently of who printed it: the claimant
    when attributed, else the outlet (or the wire it credits). `copy_of` links a
    syndicated copy's claim to the original claim it repeats.
    """

    id: str
    article: str
    text: str
    start: int
    end: int
    claimant: str | None = None  # entity id when resolved, else the name as written
    claimant_name: str | None = None
    via: list[str] = field(default_factory=list)  # [claimant, intermediary..., outlet]
    cue: str | None = None
    hedged: bool = False
    hedge: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    time: TimeRef | None = None
    entities: list[str] = field(default_factory=list)  # entity ids mentioned
    outlet: str | None = None
    published: str | None = None
    origin: str | None = None
    copy_of: str | None = None


FacetStatus = Literal["agreed", "conflicting", "complementary", "single-source"]


@dataclass(slots=True)
class Origin:
    """One independent source behind a facet and who repeated it."""

    name: str  # the origin key of its claims: an entity id, a phrase, or "outlet:NAME"
    claims: list[str]
    first_claim: str
    first_outlet: str | None
    first_published: str | None
    repeated_by: list[str] = field(default_factory=list)  # outlets, in time order
    label: str | None = None  # who that is, for people: "National Intelligence Service"


@dataclass(slots=True)
class Derived:
    """A value computed from claims (300 killed + 2,700 injured = about 3,000 casualties)."""

    text: str
    low: float | None
    high: float | None
    kind: str | None
    claims: list[str]
    note: str


@dataclass(slots=True)
class Revision:
    """One origin's figure changed between two of its claims."""

    origin: str
    old_claim: str
    new_claim: str
    old_value: str
    new_value: str
    old_published: str | None
    new_published: str | None


@dataclass(slots=True)
class Facet:
    id: str
    label: str
    claims: list[str]
    status: FacetStatus
    independent_origins: int
    kind: str | None = None
    origins: list[Origin] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    # claim id -> indices into that claim's quantities of the figures this facet compares
    # (a sentence may give a death toll and an evacuation count: each facet shows its own)
    figures: dict[str, list[int]] = field(default_factory=dict)


@dataclass(slots=True)
class BriefSentence:
    text: str
    claims: list[str]


@dataclass(slots=True)
class OutletView:
    """What one outlet alone carries and what it leaves out that most others carry."""

    outlet: str
    articles: list[str]
    exclusive_claims: list[str] = field(default_factory=list)
    exclusive_entities: list[str] = field(default_factory=list)
    missing_facets: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryChanges:
    """What is new in a story since a moment (`analyze --since`)."""

    since: str
    new_claims: list[str] = field(default_factory=list)
    new_facets: list[str] = field(default_factory=list)
    new_conflicts: list[str] = field(default_factory=list)
    revised: list[Revision] = field(default_factory=list)
    new_confirmations: list[str] = field(default_factory=list)  # facet ids gaining an origin


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
    brief: list[BriefSentence] = field(default_factory=list)
    outlets: list[OutletView] = field(default_factory=list)
    changes: StoryChanges | None = None
    # stored stories this one took in during this run (their ids now resolve to this)
    merged_from: list[str] = field(default_factory=list)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_ATOMS = frozenset({str, int, float, bool, type(None)})


def to_plain(value: Any) -> Any:
    """`dataclasses.asdict` for the model's types, without its deep copies.

    asdict copies every leaf with `copy.deepcopy`; the model's leaves are str, numbers
    and None, which need no copy, and writing a run's stories spent most of its time
    there. Lists, tuples and dicts are rebuilt, so the result shares nothing mutable.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(kind):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    if names is not None:
        return {name: to_plain(getattr(value, name)) for name in names}
    if kind is list:
        return [to_plain(item) for item in value]
    if kind is tuple:
        return tuple(to_plain(item) for item in value)
    if kind is dict:
        return {key: to_plain(item) for key, item in value.items()}
    return value


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a dataclass (and the dataclasses it holds) from its `asdict` form.

    The store keeps stories as JSON; this is the way back. Unknown keys are ignored
    so that rows written by a newer version still load.
    """
    fields_of = _FIELD_HINTS.get(cls)
    if fields_of is None:
        # get_type_hints evaluates every annotation anew: asked per object, it was most
        # of the time of loading a stored story
        hints = get_type_hints(cls)
        fields_of = _FIELD_HINTS[cls] = tuple(
            (f.name, hints[f.name])
            for f in fields(cls)  # type: ignore[arg-type]
        )
    return cls(**{name: _from_value(hint, data[name]) for name, hint in fields_of if name in data})


_FIELD_HINTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _from_value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    args = [a for a in get_args(hint) if a is not type(None)]
    origin = get_origin(hint)
    if origin is list:
        return [_from_value(args[0], item) for item in value]
    if origin is dict:
        return {k: _from_value(args[1], v) for k, v in value.items()}
    if args and origin is not Literal and len(args) == 1:  # X | None
        return _from_value(args[0], value)
    if isinstance(hint, type) and is_dataclass(hint):
        return from_dict(hint, value)
    return value


@dataclass(slots=True)
class FeedState:
    """A followed feed: what the next conditional fetch sends, and how the feed fares."""

    url: str
    outlet: str | None = None
    title: str | None = None
    added_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_fetch: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    errors_in_row: int = 0
    next_fetch: float = 0.0  # UTC epoch seconds; 0 means due now
    articles: int = 0  # articles it has brought (new or revised)


@dataclass(frozen=True, slots=True)
class SeenEntry:
    """A feed entry as last stored: its text's hash tells a repeat from a revision."""

    feed: str
    key: str
    url: str | None
    content_hash: str
    article: str | None
    first_seen: str
    last_seen: str
