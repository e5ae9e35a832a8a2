"""What changed in a story, said for people: the shared layer under digests, alerts and feeds.

`StoryChanges` (compare) holds facet ids; a reader needs the two values of a conflict
and who gave them when, the old and the new figure of a revision, and who confirmed a
figure. `story_facts` turns one story and its changes into that, with no markup: the
templates escape, the webhook serialises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from crosswire.compare.revised import revision_key
from crosswire.model import Claim, Facet, Revision, Story, StoryChanges, published_instant

# which claims count as new (arrived or published after the moment asked about)
IsNew = Callable[[Claim], bool]
_OUTLET_ORIGIN = "outlet:"


@dataclass(frozen=True, slots=True)
class Given:
    """One value as one source gave it."""

    value: str  # the figure as printed ("about 3"), else the sentence
    who: str  # the claimant, else the outlet that printed it
    outlet: str | None
    published: str | None
    claim: str
    sentence: str


@dataclass(frozen=True, slots=True)
class ConflictFact:
    facet: str
    label: str
    first: Given
    second: Given


@dataclass(frozen=True, slots=True)
class RevisionFact:
    facet: str
    label: str
    who: str
    old_value: str
    new_value: str
    old_published: str | None
    new_published: str | None
    old_claim: str
    new_claim: str


@dataclass(frozen=True, slots=True)
class ConfirmationFact:
    facet: str
    label: str
    origins: int  # independent origins now
    confirmed_by: list[Given]  # the origins that are new


@dataclass(slots=True)
class StoryFacts:
    story: str
    headline: str
    outlets: list[str]
    articles: int
    first_published: str | None
    last_published: str | None
    is_new: bool
    conflicts: list[ConflictFact] = field(default_factory=list)
    revisions: list[RevisionFact] = field(default_factory=list)
    confirmations: list[ConfirmationFact] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.is_new or self.conflicts or self.revisions or self.confirmations)


def story_facts(
    story: Story,
    changes: StoryChanges,
    facets: Sequence[Facet],
    *,
    is_new: bool,
    new_claim: IsNew,
    new_revision: Callable[[Revision], bool],
) -> StoryFacts:
    """STORY's CHANGES for a reader. FACETS are the ones CHANGES was computed on (built
    afresh from the claims); `new_claim` says which claims are new, for the same moment.
    Revisions come from FACETS and from the story's stored facets, where a figure
    revised in place is kept (a rebuild cannot see it), those `new_revision` accepts."""
    claims = {c.id: c for c in story.claims}
    by_id = {f.id: f for f in facets}
    names = {e.id: e.name for e in story.entities}
    facts = StoryFacts(
        story=story.id,
        headline=story.headline,
        outlets=sorted({o.outlet for o in story.outlets if o.outlet}),
        articles=len(story.articles),
        first_published=story.first_published,
        last_published=story.last_published,
        is_new=is_new,
    )
    for facet_id in changes.new_conflicts:
        facet = by_id.get(facet_id)
        pair = None if facet is None else conflict_pair(facet, claims, names)
        if facet is not None and pair is not None:
            facts.conflicts.append(ConflictFact(facet.id, facet.label, *pair))
    for facet_id in changes.new_confirmations:
        facet = by_id.get(facet_id)
        if facet is None:
            continue
        newcomers = [
            _given(group[0], facet, names)
            for group in _origin_claims(facet, claims)
            if all(new_claim(c) for c in group)
        ]
        facts.confirmations.append(
            ConfirmationFact(facet.id, facet.label, facet.independent_origins, newcomers)
        )
    seen: set[tuple[str, str, str, str]] = set()
    for facet, revision in (
        (f, r) for group in (facets, story.facets) for f in group for r in f.revisions
    ):
        key = revision_key(revision)
        if key not in seen and new_revision(revision):
            seen.add(key)
            facts.revisions.append(_revision(revision, facet, names))
    return facts


def conflict_pair(
    facet: Facet, claims: dict[str, Claim], names: dict[str, str]
) -> tuple[Given, Given] | None:
    """The two values of a conflicting facet furthest apart, from two origins when it
    can (each origin's latest value: a revised figure replaces the one before)."""
    current = [_given(group[-1], facet, names) for group in _origin_claims(facet, claims)]
    magnitude = {g.claim: _magnitude(claims[g.claim], facet) for g in current}
    best: tuple[float, Given, Given] | None = None
    for i, a in enumerate(current):
        for b in current[i + 1 :]:
            if a.value == b.value:
                continue
            gap = _gap(magnitude[a.claim], magnitude[b.claim])
            if best is None or gap > best[0]:
                best = (gap, a, b)
    if best is None:
        # one origin gave both values (or every origin's latest agrees): any two values
        every = [_given(claims[i], facet, names) for i in facet.claims if i in claims]
        distinct = list({g.value: g for g in every}.values())
        if len(distinct) < 2:
            return None
        return distinct[0], distinct[1]
    first, second = sorted(best[1:], key=_when)
    return first, second


def _origin_claims(facet: Facet, claims: dict[str, Claim]) -> list[list[Claim]]:
    """Each origin's claims on the facet, in publication order; every claim its own
    origin when the facet names none."""
    groups = [[claims[i] for i in o.claims if i in claims] for o in facet.origins]
    if not facet.origins:
        groups = [[claims[i]] for i in facet.claims if i in claims]
    return [sorted(g, key=_claim_when) for g in groups if g]


def _given(claim: Claim, facet: Facet, names: dict[str, str]) -> Given:
    indices = facet.figures.get(claim.id)
    quantities = claim.quantities
    if indices:
        quantities = [quantities[k] for k in indices if k < len(quantities)]
    value = ", ".join(q.text for q in quantities if q.text) or _shorten(claim.text)
    return Given(
        value=value,
        who=who(claim.claimant_name or claim.claimant, names) or claim.outlet or "unknown",
        outlet=claim.outlet,
        published=claim.published,
        claim=claim.id,
        sentence=claim.text.strip(),
    )


def who(origin: str | None, names: dict[str, str]) -> str | None:
    """A person's reading of an origin or claimant key: entity ids as names, an
    outlet origin as the outlet."""
    if not origin:
        return None
    return names.get(origin) or origin.removeprefix(_OUTLET_ORIGIN)


def _revision(revision: Revision, facet: Facet, names: dict[str, str]) -> RevisionFact:
    return RevisionFact(
        facet=facet.id,
        label=facet.label,
        who=who(revision.origin, names) or "unknown",
        old_value=revision.old_value,
        new_value=revision.new_value,
        old_published=revision.old_published,
        new_published=revision.new_published,
        old_claim=revision.old_claim,
        new_claim=revision.new_claim,
    )


def _magnitude(claim: Claim, facet: Facet) -> float | None:
    indices = facet.figures.get(claim.id) or range(len(claim.quantities))
    for k in indices:
        if k < len(claim.quantities):
            q = claim.quantities[k]
            if q.low is not None and q.high is not None:
                return (q.low + q.high) / 2
            if q.low is not None or q.high is not None:
                return q.low if q.low is not None else q.high
    return None


def _gap(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return 0.0
    scale = max(abs(a), abs(b)) or 1.0
    return abs(a - b) / scale


def _claim_when(claim: Claim) -> tuple[float, str]:
    moment = published_instant(claim.published)
    return (moment.timestamp() if moment else float("-inf"), claim.id)


def _when(given: Given) -> tuple[float, str]:
    moment = published_instant(given.published)
    return (moment.timestamp() if moment else float("-inf"), given.claim)


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def count(items: Iterable[StoryFacts], kind: str) -> int:
    """How many new stories, conflicts, revisions or confirmations ITEMS hold."""
    if kind == "stories":
        return sum(1 for s in items if s.is_new)
    return sum(len(getattr(s, kind)) for s in items)
