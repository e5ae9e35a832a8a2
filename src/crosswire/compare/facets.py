"""Line up a story's comparable claims into facets and judge each one.

A *mention* is one quantity of one (root) claim with a value. Which mentions measure
the same thing is decided pair by pair in `pairs` (a learned decision over the words
around each figure, its unit and kind, its value and its time); this module builds the
mentions, turns the groups that decision makes into facets, and judges them.

What a figure counts: a measure's kind is its unit ("kilometres long" and "km inland" are
both km), an amount named by its currency noun ("12 million zlotys") is money in that
currency, and amounts in different currencies are never compared; a bare count of people
takes its kind from the event word that governs it ("nine people drowned" -> killed,
"pulled 31 people" -> rescued). A figure a sentence cites only to set its own against
("closer to 15 million zlotys than the 12 million the company cited", "15, not 12") is
not the claimant's: it is dropped; a comparison ("fell 8 percent, far more than the 3
percent drop in the market") keeps both, and a bare figure after "than" counts what the
one before it counts. Deaths, injuries and combined totals ("killed or wounded",
"casualties") of the same people join one facet when some origin gives a total, so the
total is checked against the parts' sum (`_derived`). A group of figures that say
nothing of what they count, from one claim, is no facet.

Incompatible values of one measure are one facet (`_join_conflicts`): the learned
grouping weighs the values and splits "about 300 injured" from "at least 450 injured",
so two of its groups are joined when a pair of their figures of two origins cannot both
hold and is one measure on evidence other than the values (the sentence disputes the
other's account, or both are the event's tally for the same people at the time of report,
the story gives no third account of it and the value-blind decision links them), and the
joined facet is then conflicting.

Claims without usable quantities are event assertions: grouped greedily (average
linkage) when the Jaccard similarity of their content words plus entity ids is at least
0.3 with at least 3 shared features, i.e. about a third of what they say in common.
A claim whose figures line up with no other claim's is grouped that way too (its
figures are incidental: "a 60-day state of emergency"), forming an event facet only
with another claim.

Values are intervals; an approximate value ("about", "around") stands for +-8 %, a
round whole number for its stated precision no wider than that ("$700 billion" covers
$716 billion, "50,000" does not cover 55,000), and a range with both ends ("nearly 500"
is 450-500) is not widened. Status: one report -> `single-source` (a report is one origin
through one wire or outlet: a wire text and its copies are one, two outlets that each
quote the ministry are two reports of one origin); else
`conflicting` if two origins' current values of the same kind are incompatible and the
value-blind measure decision links that very pair (`pairs.cluster`: when the evidence is
weak it is not a conflict) and both are stated alike (a figure under a conditional
modal, "the plan would cut $800 billion", is what a plan or forecast would give, and
never disputes one reported as so), `agreed` if some pair of origins or of reports gives
compatible values (outlets agreeing on what one ministry said agree; `independent_origins`
still counts one, as facets_basil_dev's gold has it: "one origin", agreed), otherwise
`complementary` (one origin alone: `single-source`, its values differ only as it revised
them). A partitive figure ("five of the dead") only conflicts when
it exceeds another origin's whole. An origin's current value is its newest (unknown
publication time counts as oldest); its older values are `Revision`s, never conflicts.
A later figure worded as an update ("rose to", "climbed to" right before it) supersedes
earlier values of other origins as well, and so does a running tally (killed, injured,
missing, rescued, evacuated, arrested) reported by another origin at least 12 hours later
that moved the way a tally moves (up; the missing down) unless its article sets it
against another figure ("far more than"); a facet whose values were superseded that way, with
nothing current conflicting, is agreed, unless it was conflicting at the end of an earlier
day of reports: superseding says what holds now, it does not make two accounts of one
moment agree (each origin's own newest value still stands for it on every day).
Syndicated copies (`copy_of`) are grouped through their original and never counted as
an origin of their own.

Work: the pairwise decision scores only pairs sharing a blocking key (see `pairs`); a
status is found from each origin's extreme values, tallies superseded by one sweep over
time, event claims are compared only with facets a prefix filter says they can reach
EVENT_JACCARD with, and past EVENT_MEMBERS_EXACT members a facet's distinct token sets
are weighted by count.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import TypeVar

from crosswire.compare import encoder, pairs
from crosswire.compare.pairs import overlap, time_compatible
from crosswire.model import (
    Claim,
    Derived,
    Facet,
    FacetStatus,
    Origin,
    Quantity,
    Revision,
    published_instant,
)
from crosswire.quantities import DAYS_PER_UNIT, GOVERNING_PREPOSITIONS, vocabulary
from crosswire.unionfind import UnionFind

_T = TypeVar("_T")

APPROX_TOLERANCE = 0.08  # half-width of an approximate value, relative
EVENT_JACCARD = 0.3
EVENT_MIN_SHARED = 3
LABEL_MAX = 80

# kinds, families, units and currencies: the one vocabulary the claims stage reads too
_VOCABULARY = vocabulary()
_CASUALTY_KINDS = _VOCABULARY.casualty_kinds
_FAMILY_ALIASES = _VOCABULARY.family_aliases
# a measure's kind is its unit, whatever word follows it ("kilometres long", "km inland")
_MEASURES = _VOCABULARY.measures
_FAMILY_NOUN = {
    "troops": "troops",
    "arrested": "arrests",
    "evacuated": "people evacuated",
    "money": "amount",
    "percent": "share",
}
_CASUALTY_NOUN = {
    frozenset({"killed"}): "deaths",
    frozenset({"injured"}): "injuries",
}
# durations and clock times say when or how long, rarely the figure a story disputes
_NOT_FIGURES = {
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "century",
    "time",
    "gmt",
    "utc",
}
# families whose kind says what is counted; any other kind is a bare head noun ("people",
# "kilometres") that many different facts share, so its mentions must also share context
_CORE_FAMILIES = {
    "casualties",
    "troops",
    "arrested",
    "evacuated",
    "missing",
    "rescued",
    "aboard",
    "capacity",
    "money",
    "percent",
    "magnitude",
}
# counts that only grow (or, for the missing, only shrink) as a developing story goes on
_TALLIES = {"killed", "injured", "missing", "rescued", "evacuated", "arrested"}
TALLY_GAP_HOURS = 12  # reports this far apart describe different moments of one tally
# what the story's event did to people, and the event's own size: in one story, two
# origins' figures of one of these kinds, for the same people at the same time, are two
# reports of one figure (a reader takes "about 300 injured" and "at least 450 injured"
# in one quake story as one count in dispute); counts of anything else ("23 states",
# "$5 billion") are many different facts in one story and need the text to say so
# (not the magnitude: a quake story gives its aftershocks' and earlier quakes' as well)
_EVENT_TALLIES = frozenset({*_TALLIES, "total", "aboard", "capacity"})
# what a count of people counts, read from the verb that governs it ("nine people drowned",
# "pulled 31 people from the water"); the first match in this order wins
_EVENT_KINDS = (
    ("capacity", ("capacity", "licensed", "licence", "license")),
    ("killed", ("killed", "killing", "died", "dead", "drowned", "death", "deaths", "toll")),
    ("injured", ("injured", "injuring", "wounded", "hurt", "injuries", "treated")),
    ("missing", ("missing",)),
    ("rescued", ("rescued", "pulled", "saved")),
    ("evacuated", ("evacuated", "evacuees", "evacuee", "homes", "forced")),
    ("aboard", ("carrying", "aboard", "board", "carried", "carry")),
)
_EVENT_WORD = {w: kind for kind, words in _EVENT_KINDS for w in words}
# words that set one figure against the next in a sentence: "closer to 15 than the 12",
# "15, not 12", "15 rather than 12", "15 instead of 12"
_SET_AGAINST_RE = re.compile(r"\bthan\b|\binstead\s+of\b|,\s*not\b", re.IGNORECASE)
# of those, the words that reject the other figure outright ("15, not 12"); "than" and
# "instead of" also compare two things, so there the other must be named as an account
_REJECT_RE = re.compile(r",\s*not\b", re.IGNORECASE)
# event words that name where people were, not who: never the counted noun's own kind
_EVENT_PLACES = frozenset({"homes", "board"})
_EVENT_RANK = {kind: n for n, (kind, _) in enumerate(_EVENT_KINDS)}
EVENT_WINDOW_AFTER = 16  # words: "About 400 people, including residents ..., were evacuated"
EVENT_WINDOW_BEFORE = 3  # words: "killing at least 15 people", "licensed to carry 45"
# words that date or count a figure rather than say what it is
_TIME_WORDS = {
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "million",
    "billion",
    "thousand",
    "percent",
    "per",
    "cent",
}
_MILITARY = {"soldier", "troop", "force", "personnel", "serviceman", "servicemen", "fighter"}
_CIVILIAN = {"civilian", "resident", "passenger", "tourist", "villager"}
_GENERIC = {"people", "person", "persons", "individual", "men", "women", "member", "number"}
_DELTA_RE = re.compile(r"\b(?:additional|another|further|extra)\s+(?:[a-z]+\s+)?$")
_DELTA_SUBJECT_RE = re.compile(r"\b(?:additional|another|further|extra)\b", re.IGNORECASE)
# "Five of the dead", "1,600 of its 3,400 employees": a part, bounded by the whole only
_PARTITIVE_RE = re.compile(r"\s*of\s+(?:the|its|their|those|these|them)\b", re.IGNORECASE)
_UPDATE_RE = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|increased|jumped|mounted|grew)\s+to\b"
    r"|\b(?:updated|revised|new)\s+(?:death\s+)?toll\b",
    re.IGNORECASE,
)
# words between an update word and the figure it moves: "rose to at least 17", "new toll
# of 17", "the updated toll stood at 17"; a figure further on is another measure of the
# sentence ("the toll rose to 11 ... carrying more than 80 people" updates the toll only)
UPDATE_REACH = 3
# words naming a figure a sentence sets its own against as someone's account of the same
# measure: "a higher figure than the roughly 40 injured reported by national authorities",
# "closer to 15 million zlotys than the 12 million it has acknowledged"; without them the
# sentence compares two things ("0.9% in June, faster than the 0.6% increase in May",
# "78% more pixels than the 15-inch model")
_ACCOUNT_RE = re.compile(
    r"\b(?:figures?|count|toll|tally|assessment|reported|given|cited|acknowledged|said"
    r"|stated|announced|claimed|quoted)\b",
    re.IGNORECASE,
)
ACCOUNT_REACH = 6  # words after the cited figure that may name it as an account
# a figure set against another ("far more than the figure of about 300") disputes it
_CONTRAST_RE = re.compile(
    r"\b(?:far|well|much)\s+(?:more|higher|above|below|fewer|less|lower)\b"
    r"|\b(?:higher|lower)\s+(?:figure\s+)?than\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_REPORTING = {
    "say",
    "said",
    "says",
    "told",
    "tell",
    "add",
    "added",
    "report",
    "reported",
    "according",
    "state",
    "stated",
    "announce",
    "announced",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


_STOP = _stop_words()
# words that say nothing about what a figure measures
_QUIET = _STOP | _REPORTING | frozenset(_TIME_WORDS) | {"ago", "later", "earlier", "prior"}


# ---------------------------------------------------------------- claims and mentions


@dataclass(slots=True)
class ClaimInfo:
    """A claim with what grouping needs: its story position, root original and origin."""

    claim: Claim
    index: int
    root: str
    origin: str
    # who reported it: the root article's wire or outlet ("outlet:NAME"); with the origin
    # one independent report of it (two outlets that each heard the minister are two)
    reporter: str
    outlet: str | None
    instant: datetime | None
    update: bool

    @property
    def voice(self) -> tuple[str, str]:
        return (self.origin, self.reporter)

    def time_key(self) -> tuple[int, float, int]:
        """Earliest first, unknown publication time last, story order breaking ties."""
        if self.instant is None:
            return (1, 0.0, self.index)
        return (0, self.instant.timestamp(), self.index)


@dataclass(slots=True)
class Mention:
    """One usable quantity of one (root) claim."""

    info: ClaimInfo
    quantity: Quantity
    family: str
    subkind: str
    unit: str | None
    delta: bool
    head: str  # "military", "civilian", "people" (said so), "generic" (unknown)
    qualifiers: frozenset[str]
    qualifier_text: str
    time: tuple[date, date] | None
    partial: bool = False
    update: bool = False  # worded as a new value of a running figure ("rose to 17")
    # the figure this one is set against in its own sentence ("closer to 15 million than
    # the 12 million the company cited"): someone else's value of the same measure
    disputes: Quantity | None = None
    # stated under a conditional modal ("the plan would cut $800 billion"): what a plan,
    # forecast or offer would give, not what is reported to be so
    hypothetical: bool = False


@dataclass(slots=True)
class FacetBuild:
    """A facet under construction: its claims (roots and copies) and its mentions."""

    infos: list[ClaimInfo]
    mentions: list[Mention] = field(default_factory=list)
    family: str | None = None
    delta: bool = False
    tokens: list[frozenset[str]] = field(default_factory=list)  # event facets
    # pairs of the story's mentions (by id) the measure decision links, one set shared
    # by the story's facets: a conflict needs one such pair; None: every pair counts
    linked: set[frozenset[int]] | None = None
    facet: Facet | None = None
    # the infos `add` has seen, and how many of `infos` that was: a facet of thousands of
    # figures is not scanned for each one it takes
    _held: set[int] = field(default_factory=set, repr=False, compare=False)
    _synced: int = field(default=0, repr=False, compare=False)

    @property
    def first_index(self) -> int:
        return min(i.index for i in self.infos)

    def add(self, mention: Mention) -> None:
        """Take a figure, and its claim unless the facet holds it already."""
        self.mentions.append(mention)
        if self._synced != len(self.infos):  # infos were changed without `add`
            self._held = {id(i) for i in self.infos}
        if id(mention.info) not in self._held:
            self._held.add(id(mention.info))
            self.infos.append(mention.info)
        self._synced = len(self.infos)


def claim_infos(claims: Sequence[Claim]) -> list[ClaimInfo]:
    """Infos in story order; copies point at their root original, whose origin they share."""
    by_id = {c.id: c for c in claims}
    # an article's own claims carry the wire it credits or else its outlet as their
    # origin (`claims.extract`): that is who reported every claim of the article
    reporters: dict[str, str] = {}
    for c in claims:
        if c.origin and c.origin.startswith("outlet:"):
            reporters.setdefault(c.article, c.origin)

    def root_of(claim: Claim) -> Claim:
        seen = {claim.id}
        while claim.copy_of and claim.copy_of in by_id and claim.copy_of not in seen:
            claim = by_id[claim.copy_of]
            seen.add(claim.id)
        return claim

    # claims of one sentence (one per claimant) share its text: read each text once, or a
    # sentence of a thousand claimants is searched a thousand times
    update = _per_text(lambda text: bool(_UPDATE_RE.search(text)))
    infos = []
    for index, claim in enumerate(claims):
        root = root_of(claim)
        origin = root.origin or claim.origin or root.claimant or root.outlet or root.article
        infos.append(
            ClaimInfo(
                claim=claim,
                index=index,
                root=root.id,
                origin=origin,
                reporter=reporters.get(root.article) or f"outlet:{root.outlet or root.article}",
                outlet=claim.outlet,
                instant=published_instant(claim.published),
                update=update(claim.text),
            )
        )
    return infos


def _per_text(read: Callable[[str], _T]) -> Callable[[str], _T]:
    """`read` remembered per text for one grouping."""
    seen: dict[str, _T] = {}

    def cached(text: str) -> _T:
        if text not in seen:
            seen[text] = read(text)
        return seen[text]

    return cached


def family_of(quantity: Quantity) -> tuple[str, str] | None:
    """(family, subkind) of a quantity, or None when it says nothing comparable."""
    kind = (quantity.kind or "").strip().lower()
    unit = quantity.unit
    if not kind:
        if unit == "%":
            return ("percent", "percent")
        if unit and len(unit) == 3 and unit.isalpha() and unit.isupper():
            return ("money", "money")
        return None
    if kind in _CASUALTY_KINDS:
        return ("casualties", _CASUALTY_KINDS[kind])
    measure = _measure_of(quantity)
    if measure is not None:
        return measure
    kind = _FAMILY_ALIASES.get(kind, kind)
    if kind.endswith("ies") and len(kind) > 4:
        kind = kind[:-3] + "y"  # "countries", not "countrie"
    elif kind.endswith("s") and not kind.endswith("ss") and len(kind) > 4 and kind != "troops":
        kind = kind[:-1]
    if kind in _NOT_FIGURES or _singular(kind) in _NOT_FIGURES:
        return None
    return (kind, kind)


def _own_words(quantity: Quantity) -> list[str]:
    """The words of a figure's own noun phrase and kind, lower case."""
    return _WORD_RE.findall(f"{quantity.subject or ''} {quantity.kind or ''}".lower())


def _currency(word: str) -> str | None:
    """The currency code a currency noun names ("zlotys" -> PLN), else None."""
    return _VOCABULARY.currency(word) or _VOCABULARY.currency(_singular(word))


def _measure_of(quantity: Quantity) -> tuple[str, str] | None:
    """("money", "money") for an amount named by its currency noun, (unit, unit) for a
    measure."""
    for word in _own_words(quantity)[:3]:
        if _currency(word) is not None:
            return ("money", "money")
        unit = _MEASURES.get(word) or _MEASURES.get(_singular(word))
        if unit is not None:
            return (unit, unit)
    return None


def unit_of(quantity: Quantity) -> str | None:
    """The unit figures are compared in: the claims stage's, else the currency noun's."""
    if quantity.unit is not None:
        return quantity.unit
    return next((c for c in map(_currency, _own_words(quantity)[:3]) if c is not None), None)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _subject(subject: str | None) -> tuple[str, frozenset[str], str]:
    """Head class, qualifier set and qualifier text ("North Korean") of a subject phrase.

    Only words before the head noun qualify it: "soldiers from the reclusive state" has
    no qualifier a comparison could trip over.
    """
    if not subject:
        return ("generic", frozenset(), "")  # unknown: compatible with any head
    head = "generic"
    kept: list[str] = []
    shown: list[str] = []  # the label also names the unit ("Norwegian crowns")
    for raw in _WORD_RE.findall(subject):
        word = raw[:-2] if raw.endswith(("'s", "\u2019s")) else raw
        low = _singular(word.lower())
        if low in _MILITARY or word.lower() in _MILITARY:
            head = "military"
            break
        if low in _CIVILIAN:
            head = "civilian"
            break
        if low in _GENERIC or word.lower() in _GENERIC:
            head = "people"
            break
        if low in _MEASURES or _currency(low) is not None:
            shown.append(word)  # a unit says what is measured: the family compares it
            continue
        if low not in _STOP and not _DELTA_SUBJECT_RE.fullmatch(low):
            # "North Koreans" as a noun names the same people as "North Korean soldiers"
            kept.append(word[:-1] if word[:1].isupper() and word.endswith("ans") else word)
            shown.append(kept[-1])
    return (head, frozenset(_singular(w.lower()) for w in kept), " ".join(shown))


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _time(claim: Claim) -> tuple[date, date] | None:
    if claim.time is None:
        return None
    start, end = _date(claim.time.start), _date(claim.time.end)
    if start is None and end is None:
        return None
    return (start or date.min, end or date.max)


def _offset(claim: Claim, quantity: Quantity) -> int:
    """Where the figure starts in the claim text, -1 when it cannot be found."""
    offset = quantity.start - claim.start
    if not 0 <= offset <= len(claim.text) or not claim.text.startswith(quantity.text, offset):
        offset = claim.text.find(quantity.text)
    return offset


# The words around a figure are read from a window that grows until it holds what is
# asked for, never from the whole sentence: a sentence of a thousand figures would be
# read a thousand times. `_WORD_RE` looks neither behind nor ahead, so a window gives the
# words the whole text gives, but for the one it cuts at its edge.
_WORDS_WINDOW = 256
_SENTENCE_STOP_RE = re.compile(r"[.;]")


def _words_before(text: str, end: int, n: int, stop: re.Pattern[str] | None = None) -> list[str]:
    """The last `n` words of text[s:end], s just after the last `stop` match (a single
    character) before `end`, else 0."""
    width = _WORDS_WINDOW
    while True:
        lo = max(0, end - width)
        start = lo
        if stop is not None:
            for match in stop.finditer(text, lo, end):
                start = match.end()
        words = _WORD_RE.findall(text, start, end)
        if start > lo or lo == 0 or len(words) > n:
            return words[-n:]
        width *= 4


def _words_after(text: str, start: int, stop: re.Pattern[str], n: int) -> list[str]:
    """The first `n` words of text[start:e], e the first `stop` match (a single character)
    at or after `start`, else the end."""
    width = _WORDS_WINDOW
    while True:
        hi = min(len(text), start + width)
        found = stop.search(text, start, hi)
        end = found.start() if found is not None else hi
        words = _WORD_RE.findall(text, start, end)
        if found is not None or hi == len(text) or len(words) > n:
            return words[:n]
        width *= 4


def _is_delta(claim: Claim, quantity: Quantity) -> bool:
    if quantity.subject and _DELTA_SUBJECT_RE.search(quantity.subject):
        return True
    if _DELTA_SUBJECT_RE.search(quantity.text):  # "a further 60 to 80"
        return True
    offset = _offset(claim, quantity)
    if offset < 0:
        return False
    return bool(_DELTA_RE.search(claim.text[max(0, offset - 40) : offset].lower()))


def _is_partial(claim: Claim, quantity: Quantity) -> bool:
    offset = claim.text.find(quantity.text, max(0, quantity.start - claim.start))
    if offset < 0:
        offset = claim.text.find(quantity.text)
    return offset >= 0 and bool(_PARTITIVE_RE.match(claim.text, offset + len(quantity.text)))


def _event_kind(claim: Claim, quantity: Quantity) -> str | None:
    """What a bare count of people counts, from the event word that governs it.

    A place word is an event word only around the figure's own noun: "forced 10,000
    people from their homes" counts the evacuated, "hundreds of homes" counts homes."""
    offset = _offset(claim, quantity)
    if offset < 0:
        return None
    own = set(_own_words(quantity)) & _EVENT_PLACES
    before = _words_before(claim.text, offset, EVENT_WINDOW_BEFORE)
    end = offset + len(quantity.text)
    after = _words_after(claim.text, end, _SENTENCE_STOP_RE, EVENT_WINDOW_AFTER)
    # the verb right before the figure governs it ("was carrying more than 80 people,
    # well above its licensed capacity"); words after it only when none does
    if before and before[-1].lower() in GOVERNING_PREPOSITIONS:
        before = []
    for window in (before, after):
        found = [
            _EVENT_WORD[w.lower()]
            for w in window
            if w.lower() in _EVENT_WORD and w.lower() not in own
        ]
        if found:
            return min(found, key=_EVENT_RANK.__getitem__)
    return None


def mentions_of(info: ClaimInfo) -> list[Mention]:
    """Every figure of a claim with a value; one that does not say what it counts has
    family "" (the pairwise decision reads its words instead)."""
    out = []
    for quantity in info.claim.quantities:
        if quantity.background or (quantity.low is None and quantity.high is None):
            continue
        fam = family_of(quantity)
        # a duration, share or amount is never a head count an event word can name
        # ("12 days of protests after the death of ...")
        unit = unit_of(quantity)
        measured = unit is not None
        if not measured and (
            fam is None or (fam[0] not in _CORE_FAMILIES and fam[0] not in _MEASURES.values())
        ):
            kind = _event_kind(info.claim, quantity)
            if kind in ("killed", "injured"):
                fam = ("casualties", kind)
            elif kind is not None:
                fam = (kind, kind)
        family, subkind = fam if fam is not None else ("", "")
        head, qualifiers, text = _subject(quantity.subject)
        out.append(
            Mention(
                info=info,
                quantity=quantity,
                family=family,
                subkind=subkind,
                unit=unit,
                delta=_is_delta(info.claim, quantity),
                head=head,
                qualifiers=qualifiers,
                qualifier_text=text,
                time=_time(info.claim),
                # a share is always "of" something: "30 percent of the shipyard" is whole
                partial=family != "percent" and _is_partial(info.claim, quantity),
                update=info.update and _is_update(info.claim, quantity),
                hypothetical=_is_hypothetical(info.claim, quantity),
            )
        )
    return _set_against(info.claim, out)


def _is_hypothetical(claim: Claim, quantity: Quantity) -> bool:
    """Whether a conditional modal governs the figure: it stands at most MODAL_REACH
    words before it in its clause ("would cut Medicare by $800 billion", "could displace
    as many as 5,000"). A figure not found in the sentence is not."""
    offset = _offset(claim, quantity)
    if offset < 0:
        return False
    before = _words_before(claim.text, offset, MODAL_REACH, _CLAUSE_STOP_RE)
    # "May" is the month far more often than the modal that starts a sentence
    return any(word != "May" and word.lower() in _CONDITIONAL_MODALS for word in before)


MODAL_REACH = 6
_CONDITIONAL_MODALS = frozenset({"would", "could", "might", "may", "should", "wouldn't"})
_CLAUSE_STOP_RE = re.compile(r"[.;:,\u2014\u2013\"\u201c\u201d()]")


def _is_update(claim: Claim, quantity: Quantity) -> bool:
    """Whether the sentence's update wording ("rose to", "new toll") governs this figure:
    it ends at most UPDATE_REACH words before it. A figure not found in the sentence is
    read as the sentence is."""
    offset = _offset(claim, quantity)
    if offset < 0:
        return True
    before = claim.text[max(0, offset - 80) : offset]
    ends = [match.end() for match in _UPDATE_RE.finditer(before)]
    return bool(ends) and len(_WORD_RE.findall(before, ends[-1])) <= UPDATE_REACH


def _set_against(claim: Claim, mentions: list[Mention]) -> list[Mention]:
    """Drop a figure the sentence cites only to dispute it ("closer to 15 million zlotys
    than the 12 million the company has cited", "15, not 12"): it is another origin's
    value, and the claimant's own figure measures the same thing, so it may join that
    value's facet. A comparison keeps both: "shares fell 8 percent, far more than the 3
    percent drop in the wider market" gives two measures, and the 3 percent is the
    sentence's own (`_cites_an_account`)."""
    offsets = {id(m): _offset(claim, m.quantity) for m in mentions}
    ordered = sorted(mentions, key=lambda m: offsets[id(m)])
    # the figure set against another often leaves out what it counts ("15 million zlotys
    # than the 12 million"): right after the one it is set against, it counts the same
    for a, b in pairwise(ordered):
        if b.family or b.unit is not None or not a.family:
            continue
        start = offsets[id(a)] + len(a.quantity.text)
        if start <= offsets[id(b)] and _SET_AGAINST_RE.search(claim.text[start : offsets[id(b)]]):
            b.family, b.subkind, b.unit = a.family, a.subkind, a.unit
    # each figure is set against the next comparable one: comparable figures (same kind and
    # unit) are looked at kind by kind, not each against all the later ones
    comparable: dict[tuple[str, str | None], list[Mention]] = defaultdict(list)
    for m in ordered:
        comparable[(m.subkind, m.unit)].append(m)
    dropped: set[int] = set()
    for group in comparable.values():
        for a, b in pairwise(group):
            # a figure dropped here was the one right after its disputer: everything after
            # the current one is still in
            if id(a) in dropped:
                continue
            start = offsets[id(a)] + len(a.quantity.text)
            between = claim.text[start : offsets[id(b)]]
            if _SET_AGAINST_RE.search(between) and (
                _REJECT_RE.search(between) or _cites_an_account(claim, a.quantity, b.quantity)
            ):
                a.disputes = b.quantity
                dropped.add(id(b))
    return [m for m in ordered if id(m) not in dropped]


def _content_words(words: Iterable[str]) -> list[str]:
    out = []
    for raw in words:
        word = raw.lower().replace("\u2019", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in _STOP or word in _REPORTING or len(word) < 3:
            continue
        out.append(word)
    return out


# ---------------------------------------------------------------- compatibility


def interval(quantity: Quantity) -> tuple[float, float]:
    """The range a figure stands for, approximate ones widened by the tolerance.

    A range with both ends already says how vague it is ("nearly 500" is 450-500, "hundreds
    of" 200-999): widening it again would let "nearly 500" agree with "about 400"."""
    low = float("-inf") if quantity.low is None else quantity.low
    high = float("inf") if quantity.high is None else quantity.high
    bounded = quantity.low is not None and quantity.high is not None
    if quantity.approximate and not (bounded and quantity.high != quantity.low):
        low -= abs(low) * APPROX_TOLERANCE if quantity.low is not None else 0.0
        high += abs(high) * APPROX_TOLERANCE if quantity.high is not None else 0.0
    elif bounded and low == high:
        slack = _duration_precision(quantity)
        if slack is None:
            slack = (_stated_precision(low), _stated_precision(high))
        low, high = low - slack[0], high + slack[1]
    return (low, high)


def _duration_precision(quantity: Quantity) -> tuple[float, float] | None:
    """How far below and above its days a length of time may be, judged in the unit it
    was stated in: "270 months" is as precise as 270 is (five months each way), "four
    decades" as "40 years". A month is 30 days in the data and a twelfth of a year on a
    calendar, so a figure in months reaches both: "270 months" and "22 and a half years"
    are one sentence. None for anything but a single length in days."""
    if quantity.unit != "days" or quantity.low is None:
        return None
    found = _DURATION_UNIT_RE.findall(quantity.text)
    if not found:
        return None
    word = found[-1].lower()
    days_per = min(DAYS_PER_UNIT["century" if word == "centur" else word], _YEAR)
    stated = quantity.low / days_per
    precision = _stated_precision(round(stated, 6)) * days_per if stated > 0 else 0.0
    month = DAYS_PER_UNIT["month"]
    calendar = quantity.low * (_CALENDAR_MONTH / month - 1) if days_per == month else 0.0
    return (precision, precision + calendar)


# decades and centuries are counted as years: "four decades" is as round as "40 years"
_YEAR = DAYS_PER_UNIT["year"]
_DURATION_UNIT_RE = re.compile(r"\b(day|week|fortnight|month|year|decade|centur)", re.IGNORECASE)
_CALENDAR_MONTH = _YEAR / 12


def _stated_precision(value: float) -> float:
    """How far a whole number ending in zeros may be from what it rounds: half a unit of
    its last significant digit, no more than "about" allows ("$700 billion" covers
    $716 billion; "50,000" does not cover 55,000). 0 for any other number."""
    if not math.isfinite(value) or not float(value).is_integer() or value == 0 or abs(value) > 1e18:
        return 0.0
    whole, unit = int(abs(value)), 1
    while whole % 10 == 0:
        whole //= 10
        unit *= 10
    return min(unit / 2, abs(value) * APPROX_TOLERANCE) if unit > 1 else 0.0


def claims_agree(a: Claim, b: Claim) -> bool:
    """Whether two claims give a compatible value of the same kind (any pair of figures)."""
    for qa in a.quantities:
        fa = family_of(qa)
        for qb in b.quantities:
            if (
                fa is not None
                and fa == family_of(qb)
                and unit_of(qa) == unit_of(qb)
                and overlap(interval(qa), interval(qb))
            ):
                return True
    return False


def _subject_compatible(a: Mention, b: Mention) -> bool:
    # "people" may be civilians or anyone, but a report that says "people" is not
    # counting the soldiers another report counts
    heads = {a.head, b.head}
    if len(heads) > 1 and "generic" not in heads and heads != {"people", "civilian"}:
        return False
    return not a.qualifiers or not b.qualifiers or bool(a.qualifiers & b.qualifiers)


def _comparable(a: Mention, b: Mention) -> bool:
    return a.subkind == b.subkind and a.unit == b.unit


# ---------------------------------------------------------------- grouping


class Spans:
    """Value intervals, answering "how many overlap this one?" (`overlap`) by bisection:
    an ordered interval misses [lo, hi] exactly when it starts after hi or ends before lo,
    and both counts come from sorted ends. An interval with its low above its high
    overlaps nothing; one with a NaN end is compared one by one, as `overlap` would."""

    __slots__ = ("highs", "lows", "nan", "pairs")

    def __init__(self) -> None:
        self.lows: list[float] = []
        self.highs: list[float] = []
        self.nan: list[tuple[float, float]] = []
        self.pairs: list[tuple[float, float]] = []

    def __len__(self) -> int:
        return len(self.pairs)

    def add(self, span: tuple[float, float]) -> None:
        self.pairs.append(span)
        if _has_nan(span):
            self.nan.append(span)
        elif span[0] <= span[1]:
            insort(self.lows, span[0])
            insort(self.highs, span[1])

    def overlapping(self, span: tuple[float, float]) -> int:
        if _has_nan(span):
            return sum(overlap(span, other) for other in self.pairs)
        odd = sum(overlap(span, other) for other in self.nan)
        if span[0] > span[1]:
            return odd
        after = len(self.lows) - bisect_right(self.lows, span[1])
        before = bisect_left(self.highs, span[0])
        return len(self.lows) - after - before + odd


def _has_nan(span: tuple[float, float]) -> bool:
    return math.isnan(span[0]) or math.isnan(span[1])


# A facet spanning more than this many days is looked at for every dated figure; the


def _event_words(text: str) -> frozenset[str]:
    return frozenset(pairs.stem(word) for word in _content_words(_WORD_RE.findall(text)))


def _event_tokens(info: ClaimInfo, words: frozenset[str]) -> frozenset[str]:
    return words | {f"@{entity}" for entity in info.claim.entities}


def _jaccard(a: frozenset[str], b: frozenset[str]) -> tuple[float, int]:
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return (shared / union if union else 0.0, shared)


# A claim can reach EVENT_JACCARD on average with a facet's claims only if it reaches it
# with one of them, and two sets with Jaccard >= t share a token among the first
# |x| - ceil(t |x|) + 1 of each when tokens are ranked alike (rarest first: prefix
# filtering). So a claim is compared only with facets holding a claim whose first tokens
# meet its own, not with every facet sharing a word such as the story's main entity,
# which made a long story quadratic. The filter uses a threshold a little lower than
# EVENT_JACCARD, so float rounding can only let more facets through, never fewer.
_PREFIX_RATIO = Fraction(29, 100)
# a facet compares a claim with each member; past this many members, with each distinct
# token set once, weighted by how often it occurs (a long text repeating its sentences)
EVENT_MEMBERS_EXACT = 200


def _prefix_size(size: int) -> int:
    return size - math.ceil(_PREFIX_RATIO * size) + 1


def _group_events(infos: list[ClaimInfo]) -> list[FacetBuild]:
    builds: list[FacetBuild] = []
    distinct: list[Counter[frozenset[str]]] = []
    word_tokens = _per_text(_event_words)
    token_sets = [_event_tokens(info, word_tokens(info.claim.text)) for info in infos]
    frequency = Counter(t for tokens in token_sets for t in tokens)

    def prefix(tokens: frozenset[str]) -> list[str]:
        ranked = sorted(tokens, key=lambda t: (frequency[t], t))
        return ranked[: _prefix_size(len(ranked))]

    postings: dict[str, set[int]] = defaultdict(set)
    for info, tokens in zip(infos, token_sets, strict=True):
        head = prefix(tokens)
        candidates = sorted({b for t in head for b in postings.get(t, ())})
        best, best_sim = -1, 0.0
        for b in candidates:
            build = builds[b]
            if len(build.tokens) <= EVENT_MEMBERS_EXACT:
                sims = [_jaccard(tokens, other) for other in build.tokens]
                mean = sum(s for s, _ in sims) / len(sims)
                shared = max(n for _, n in sims)
            else:
                weighted = [(_jaccard(tokens, other), k) for other, k in distinct[b].items()]
                mean = sum(s * k for (s, _), k in weighted) / len(build.tokens)
                shared = max(n for (_, n), _ in weighted)
            if mean >= EVENT_JACCARD and shared >= EVENT_MIN_SHARED and mean > best_sim:
                best, best_sim = b, mean
        if best < 0:
            best = len(builds)
            builds.append(FacetBuild(infos=[]))
            distinct.append(Counter())
        builds[best].infos.append(info)
        builds[best].tokens.append(tokens)
        distinct[best][tokens] += 1
        for token in head:
            postings[token].add(best)
    return builds


def _window(mention: Mention) -> str:
    """The words the encoder reads for a figure: those around it in its sentence (the
    whole sentence when the figure is not found in it)."""
    claim, quantity = mention.info.claim, mention.quantity
    offset = _offset(claim, quantity)
    if offset < 0:
        return claim.text
    return encoder.window(claim.text, offset, offset + len(quantity.text))


def _side(mention: Mention, sentence: frozenset[str], vector: encoder.Vectors) -> pairs.Side:
    claim, quantity = mention.info.claim, mention.quantity
    offset = _offset(claim, quantity)
    near: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    verb = None
    if offset >= 0:
        end = offset + len(quantity.text)
        near, names, verb = pairs.context_of(claim.text, offset, end, _QUIET)
    own = _WORD_RE.findall(f"{quantity.subject or ''} {quantity.kind or ''}")
    family = mention.subkind if mention.family == "casualties" else mention.family
    return pairs.Side(
        unit=mention.unit,
        family=family or None,
        noun=frozenset(pairs.content_stems(own, _QUIET)),
        near=near,
        names=names,
        qualifiers=mention.qualifiers,
        sentence=sentence,
        verb=verb,
        span=interval(quantity),
        article=claim.article,
        claim=claim.id,
        origin=mention.info.origin,
        time=mention.time,
        delta=mention.delta,
        partial=mention.partial,
        vector=vector,
    )


def sides_of(mentions: Sequence[Mention]) -> list[pairs.Side]:
    """What the pairwise decision reads of each figure; each sentence read once."""
    sentence = _per_text(_event_words)
    vectors = encoder.default_encoder().encode([_window(m) for m in mentions], _STOP)
    return [
        _side(m, _event_tokens(m.info, sentence(m.info.claim.text)), vector)
        for m, vector in zip(mentions, vectors, strict=True)
    ]


def _group_learned(mentions: list[Mention], model: pairs.PairModel | None) -> list[FacetBuild]:
    labels, linked = pairs.cluster(sides_of(mentions), model)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for mention, label in zip(mentions, labels, strict=True):
        groups[label].append(mention)
    evidence = {frozenset((id(mentions[a]), id(mentions[b]))) for a, b in linked}
    builds = []
    for members in groups.values():
        families = Counter(m.family for m in members if m.family)
        # a figure that says nothing of what it counts, alone, is not worth a facet
        if not families and len({m.info.claim.id for m in members}) < 2:
            continue
        family = min(families, key=lambda f: (-families[f], f)) if families else ""
        # one measure, one kind to judge by: "42 members" and "42 senators" are compared;
        # deaths, injuries and their totals keep theirs (a part checks against its total)
        kinds = Counter(m.subkind for m in members if m.subkind)
        kind = min(kinds, key=lambda k: (-kinds[k], k)) if kinds else family or "figure"
        build = FacetBuild(infos=[], family=family or _unit_family(members), delta=members[0].delta)
        build.linked = evidence
        for m in sorted(members, key=lambda m: (m.info.index, m.quantity.start)):
            if m.family != "casualties":
                m.subkind = kind
            build.add(m)
        builds.append(build)
    return builds


def _join_casualty_totals(builds: list[FacetBuild]) -> list[FacetBuild]:
    """Deaths, injuries and combined totals ("killed or wounded", "casualties") of the
    same people and time are one facet when some origin gives a total: the total is
    checked against the sum of the parts (`_derived`), and against other totals. The
    pairwise decision keeps those kinds apart, as it should everywhere else; this is
    the one place a part and its whole are one measure."""
    casualties = [n for n, b in enumerate(builds) if b.family == "casualties"]
    totals = {n for n in casualties if any(m.subkind == "total" for m in builds[n].mentions)}
    if not totals:
        return builds
    joined = UnionFind(len(builds))
    claims_of = [{m.info.claim.id for m in b.mentions} for b in builds]
    for n in sorted(totals):
        held = set(claims_of[n])
        # twice: a part from a sentence another joined part came from ("about 300 died
        # and 2,700 were wounded") joins with it
        for _ in range(2):
            for k in casualties:
                if k != n and (_same_people(builds[k], builds[n]) or claims_of[k] & held):
                    joined.union(k, n)
                    held |= claims_of[k]
    return _fold(builds, joined)


def _fold(builds: list[FacetBuild], joined: UnionFind) -> list[FacetBuild]:
    """The builds that head their union-find set, each taking its set's figures."""
    out = []
    for n, build in enumerate(builds):
        root = joined.find(n)
        if root == n:
            out.append(build)
            continue
        whole = builds[root]
        for m in build.mentions:
            whole.add(m)
    return out


def _same_people(part: FacetBuild, whole: FacetBuild) -> bool:
    """Some part and total name the same people ("North Korean soldiers" / "North
    Koreans"), or the measure decision links them, at compatible times."""
    linked = whole.linked or set()
    return any(
        _subject_compatible(a, b)
        and time_compatible(a.time, b.time)
        and (bool(a.qualifiers & b.qualifiers) or frozenset((id(a), id(b))) in linked)
        for a in part.mentions
        for b in whole.mentions
    )


_Kind = tuple[str, str | None]  # (subkind, unit): what a figure is compared as


def _join_conflicts(builds: list[FacetBuild]) -> list[FacetBuild]:
    """Facets that give incompatible values of one measure become one conflicting facet.

    The pairwise decision weighs what the values say, so it splits "about 300 injured"
    from "at least 450 injured": each half is agreed or single-source and the reader never
    sees the dispute. Two facets are joined when some pair of their figures of two origins
    cannot both hold (`_disputed`) and is one measure on evidence that is not the values:
    the sentence disputes the other figure (`_set_against`: "closer to 15 million zlotys
    than the 12 million it has acknowledged"), or both count one of the event's tallies
    (`_EVENT_TALLIES`) for the same people at the same time of report, the story has no
    third account of that tally, and the value-blind measure decision links the pair.
    Never when one sentence gives figures of that kind in both ("six arrests Wednesday,
    compared to 47 the previous night": it tells them apart itself), nor when the joined
    facet would still not be conflicting. The evidence pairs join `linked`, so `judge`
    shows the conflict."""
    quantity = [n for n, b in enumerate(builds) if b.family]
    linked = builds[quantity[0]].linked if quantity else None
    if len(quantity) < 2 or linked is None:
        return builds
    where = {id(m): n for n in quantity for m in builds[n].mentions}
    found = _conflict_evidence(builds, quantity, where, linked)
    if not found:
        return builds
    members = [list(b.mentions) for b in builds]
    # (claim, kind) of each build's figures: one sentence's figures of one kind in two
    # builds are two measures that sentence tells apart
    told: list[set[tuple[str, str, str | None]]] = [
        {(m.info.claim.id, m.subkind, m.unit) for m in b.mentions} for b in builds
    ]
    joined = UnionFind(len(builds))

    # in order of the builds and of the figures in the story, so which pair joins two
    # builds (and stands in `linked` as the conflict's evidence) never depends on set order
    def order(pair: tuple[Mention, Mention]) -> tuple[int, ...]:
        a, b = pair
        return (where[id(a)], where[id(b)], *_position(a), *_position(b))

    for a, b in sorted(found, key=order):
        na, nb = joined.find(where[id(a)]), joined.find(where[id(b)])
        if na == nb or told[na] & told[nb]:
            continue
        # a join is made to show a conflict: where the joined values still reconcile (an
        # open "at least 12" fits any larger toll, a later tally moved on) it would only
        # risk putting two measures in one facet
        pair = frozenset((id(a), id(b)))
        known = pair in linked
        linked.add(pair)
        together = members[na] + members[nb]
        if judge(together, {m.info.voice for m in together}, linked) != "conflicting":
            if not known:
                linked.discard(pair)
            continue
        joined.union(na, nb)
        root, other = (na, nb) if joined.find(na) == na else (nb, na)
        members[root] = together
        told[root] |= told[other]
    out = _fold(builds, joined)
    for build in out:
        build.mentions.sort(key=lambda m: (m.info.index, m.quantity.start))
    return out


def _position(mention: Mention) -> tuple[int, int]:
    return (mention.info.index, mention.quantity.start)


def _conflict_evidence(
    builds: list[FacetBuild],
    quantity: list[int],
    where: dict[int, int],
    linked: set[frozenset[int]],
) -> list[tuple[Mention, Mention]]:
    """Pairs of figures in two builds that `_join_conflicts` may join by, the figure of
    the earlier build first (`where`: mention id -> build index)."""
    by_id: dict[int, Mention] = {}
    of_kind: dict[_Kind, list[Mention]] = defaultdict(list)
    for n in quantity:
        for m in builds[n].mentions:
            by_id[id(m)] = m
            of_kind[(m.subkind, m.unit)].append(m)
    # how many builds give a number of each kind ("dozens" names none): the kind is
    # evidence of one measure only where the story has two accounts of it; with three or
    # more it counts several things (per place, per group, per day: "at least 143 in
    # Germany", "more than 90 in Ahrweiler county", "above 150" in all) and which two
    # are one measure is not for the kind to say
    accounts = Counter(
        kind
        for n in quantity
        for kind in {(m.subkind, m.unit) for m in builds[n].mentions if not _vague(m)}
    )
    found: list[tuple[Mention, Mention]] = []

    def offer(a: Mention, b: Mention) -> None:
        found.append((a, b) if where[id(a)] < where[id(b)] else (b, a))

    # pairs the measure decision links, of an event tally, in two builds
    for pair in linked:
        a, b = (by_id.get(i) for i in pair)
        if (
            a is not None
            and b is not None
            and where[id(a)] != where[id(b)]
            and a.subkind in _EVENT_TALLIES
            and accounts[(a.subkind, a.unit)] <= 2
            and _disputed(a, b)
            and _same_time(a, b)
            and _subject_compatible(a, b)
        ):
            offer(a, b)
    # a figure a sentence disputes (`_set_against`): the sentence says they are one
    # measure (their stated times must still meet)
    for a in by_id.values():
        if a.disputes is None:
            continue
        cited = interval(a.disputes)
        for b in of_kind[(a.subkind, a.unit)]:
            if (
                where[id(b)] != where[id(a)]
                and overlap(cited, interval(b.quantity))
                and _disputed(a, b)
                and time_compatible(a.time, b.time)
                and _subject_compatible(a, b)
            ):
                offer(a, b)
    return found


def _cites_an_account(claim: Claim, own: Quantity, cited: Quantity) -> bool:
    """Whether the words from a figure to the one it is set against, and a few after
    that one, name the latter as someone's account (`_ACCOUNT_RE`)."""
    start = _offset(claim, own)
    if start < 0:
        return False
    start += len(own.text)
    at = claim.text.find(cited.text, start)
    if at < 0:
        return False
    end = at + len(cited.text)
    after = " ".join(_words_after(claim.text, end, _SENTENCE_STOP_RE, ACCOUNT_REACH))
    return bool(_ACCOUNT_RE.search(claim.text[start:end]) or _ACCOUNT_RE.search(after))


def _vague(mention: Mention) -> bool:
    """An approximate figure open above names no number: "dozens", "hundreds of"."""
    return mention.quantity.approximate and mention.quantity.high is None


def _disputed(a: Mention, b: Mention) -> bool:
    """Whether a and b are values of one kind from two origins that cannot both hold."""
    return (
        a.info.origin != b.info.origin
        and a.subkind == b.subkind
        and a.unit == b.unit
        and a.delta == b.delta
        and a.hypothetical == b.hypothetical
        # a part is bounded by its whole only: "five of the dead" is not the toll
        and not (a.partial or b.partial)
        and not overlap(interval(a.quantity), interval(b.quantity))
    )


def _same_time(a: Mention, b: Mention) -> bool:
    """Whether two figures are both of the days their reports were published (`_when`)
    and those times meet. A figure of years before its report is another event's ("the
    2004 tsunami killed 230,000" in a story of this week's quake), and a report of unknown
    date leaves it unknown: when the evidence is weak, it is not a conflict."""
    when_a, when_b = _when(a), _when(b)
    return when_a is not None and when_b is not None and time_compatible(when_a, when_b)


def _when(mention: Mention) -> tuple[date, date] | None:
    """The time of a figure of the report's own days: its stated time when that meets the
    DAY_SLACK days before publication, the whole window when it states none (a toll in a
    news report is the toll now); None for a figure of other times or a report of unknown
    publication time."""
    window = _report_days(mention)
    if window is None:
        return None
    if mention.time is None:
        return window
    return mention.time if time_compatible(mention.time, window) else None


def _report_days(mention: Mention) -> tuple[date, date] | None:
    """The DAY_SLACK days before the figure's report was published; None when unknown."""
    if mention.info.instant is None:
        return None
    day = mention.info.instant.date()
    return (day - timedelta(days=pairs.DAY_SLACK), day)


def _figure_time(mention: Mention) -> tuple[date, date] | None:
    """When a figure holds: its stated time, else its report's days (a figure a news
    report gives without a time is of now), else unknown. Two values of one measure at
    times that cannot meet are two moments ("6% in March", 6.1% now), never a conflict."""
    return mention.time if mention.time is not None else _report_days(mention)


def _unit_family(members: Sequence[Mention]) -> str:
    """A family for figures no kind describes: their unit's, else plain "figure"."""
    units = Counter(m.unit for m in members if m.unit)
    return min(units, key=lambda u: (-units[u], u)) if units else "figure"


def group_claims(claims: Sequence[Claim], model: pairs.PairModel | None = None) -> list[FacetBuild]:
    """Facet builds in order of their first claim; copies sit in their original's facets."""
    infos = claim_infos(claims)
    roots = [i for i in infos if i.root == i.claim.id]
    copies: dict[str, list[ClaimInfo]] = defaultdict(list)
    for info in infos:
        if info.root != info.claim.id:
            copies[info.root].append(info)
    mentions: list[Mention] = []
    events: list[ClaimInfo] = []
    with_figures: set[str] = set()
    for info in roots:
        found = mentions_of(info)
        if found:
            mentions.extend(found)
            with_figures.add(info.claim.id)
        else:
            events.append(info)
    figure_builds = _join_conflicts(_join_casualty_totals(_group_learned(mentions, model)))
    # a claim whose figures line up with nobody's ("a 60-day state of emergency in five
    # provinces") may still assert what other outlets assert: it joins the event grouping
    shared = {i.claim.id for b in figure_builds if len(b.infos) > 1 for i in b.infos}
    lonely = with_figures - shared
    events.extend(i for i in roots if i.claim.id in lonely)
    events.sort(key=lambda i: i.index)
    # such a claim makes an event facet only with another claim; alone it has its figure's
    event_builds = [
        b for b in _group_events(events) if len(b.infos) > 1 or b.infos[0].claim.id not in lonely
    ]
    builds = figure_builds + event_builds
    for build in builds:
        for root in list(build.infos):
            build.infos.extend(copies.get(root.claim.id, ()))
        build.infos.sort(key=lambda i: i.index)
    builds.sort(key=lambda b: b.first_index)
    return builds


# ---------------------------------------------------------------- judging


def _value_key(mention: Mention) -> tuple[float | None, float | None, bool]:
    q = mention.quantity
    return (q.low, q.high, q.approximate)


def _current(mentions: list[Mention], by_voice: bool = False) -> list[Mention]:
    """Each origin's (`by_voice`: each report's) newest value per kind, minus values a
    later update supersedes."""
    return _not_superseded(_newest(mentions, by_voice))


def _newest(mentions: list[Mention], by_voice: bool = False) -> list[Mention]:
    """Each origin's (`by_voice`: each report's) newest value per kind: what it says now."""
    latest: dict[tuple[object, str, str | None], list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.info.time_key()):
        who = mention.info.voice if by_voice else mention.info.origin
        key = (who, mention.subkind, mention.unit)
        held = latest.get(key)
        # an unknown time sorts last, but counts as oldest: never let it replace a dated value
        if held and mention.info.instant is None and held[0].info.instant is not None:
            continue
        if held and held[0].info.time_key()[:2] == mention.info.time_key()[:2]:
            held.append(mention)
        else:
            latest[key] = [mention]
    return [m for group in latest.values() for m in group]


def _not_superseded(current: list[Mention]) -> list[Mention]:
    """Values no later update ("rose to") or running tally of another origin moved on."""
    updates: dict[tuple[str, str | None], datetime] = {}
    for m in current:
        if m.update and m.info.instant is not None:
            key2 = (m.subkind, m.unit)
            if key2 not in updates or m.info.instant > updates[key2]:
                updates[key2] = m.info.instant
    kept = [
        m
        for m in current
        if not (
            (m.subkind, m.unit) in updates
            and m.info.instant is not None
            and m.info.instant < updates[(m.subkind, m.unit)]
        )
    ]
    superseded = _superseded_tallies(kept)
    return [m for m in kept if id(m) not in superseded]


_TALLY_GAP = timedelta(hours=TALLY_GAP_HOURS)


class _Best:
    """The largest value offered per origin, and the largest from an origin other than a
    given one (kept as the best two origins)."""

    __slots__ = ("by_origin", "top")

    def __init__(self) -> None:
        self.by_origin: dict[Hashable, float] = {}
        self.top: list[tuple[float, Hashable]] = []

    def offer(self, value: float, origin: Hashable) -> None:
        if origin in self.by_origin and value <= self.by_origin[origin]:
            return
        self.by_origin[origin] = value
        top = [t for t in self.top if t[1] != origin]
        top.append((value, origin))
        top.sort(key=lambda t: t[0], reverse=True)
        self.top = top[:2]

    def other_than(self, origin: Hashable) -> float | None:
        return next((v for v, o in self.top if o != origin), None)

    def pairs(self) -> list[tuple[float, Hashable]]:
        return self.top


def _superseded_tallies(kept: list[Mention]) -> set[int]:
    """Ids of the mentions some other one is a `_tally_update` of.

    Per kind and unit, a sweep from the newest report back: the reports at least
    TALLY_GAP_HOURS newer than the one at hand are offered to a `_Best` of their values
    (the low end; for the missing, the negated high end: they move down), so each report
    is checked against the best of another origin, not against every report."""
    groups: dict[tuple[str, str | None], list[Mention]] = defaultdict(list)
    for m in kept:
        if m.subkind in _TALLIES and m.info.instant is not None:
            groups[(m.subkind, m.unit)].append(m)
    contrast = _per_text(lambda text: bool(_CONTRAST_RE.search(text)))
    out: set[int] = set()
    for (subkind, _), group in groups.items():

        def moved(m: Mention, subkind: str = subkind) -> float:
            low, high = interval(m.quantity)
            return -high if subkind == "missing" else low

        if any(math.isnan(moved(m)) for m in group):
            out.update(id(m) for m in group if any(_tally_update(m, n) for n in group))
            continue
        # an article that sets its figure against another ("far more than the figure of
        # about 300") disputes that figure in all its sentences, the quote repeating the
        # figure included: none of them is an update
        disputing = {m.info.claim.article for m in group if contrast(m.info.claim.text)}
        news = sorted(
            (m for m in group if m.info.claim.article not in disputing),
            key=lambda m: _instant(m),
            reverse=True,
        )
        best = _Best()
        k = 0
        for old in sorted(group, key=lambda m: _instant(m), reverse=True):
            while k < len(news) and _instant(news[k]) - _instant(old) >= _TALLY_GAP:
                best.offer(moved(news[k]), news[k].info.origin)
                k += 1
            value = best.other_than(old.info.origin)
            if value is not None and value >= moved(old):
                out.add(id(old))
    return out


def _instant(m: Mention) -> datetime:
    instant = m.info.instant
    assert instant is not None
    return instant


def _tally_update(old: Mention, new: Mention) -> bool:
    """Whether `new` is a later figure of the running tally `old` reported: another origin's,
    at least TALLY_GAP_HOURS later, moved the way the tally moves (the missing shrink)."""
    if (
        old.subkind not in _TALLIES
        or old.subkind != new.subkind
        or old.unit != new.unit
        or old.info.origin == new.info.origin
        or old.info.instant is None
        or new.info.instant is None
    ):
        return False
    gap = (new.info.instant - old.info.instant).total_seconds() / 3600
    if gap < TALLY_GAP_HOURS or _CONTRAST_RE.search(new.info.claim.text):
        return False
    a, b = interval(old.quantity), interval(new.quantity)
    if old.subkind == "missing":
        return b[1] <= a[1]
    return b[0] >= a[0]


def _fmt(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _derived(current: list[Mention]) -> list[tuple[Derived, Mention]]:
    """Per origin, killed + injured as a total when the origin gives no total itself."""
    by_origin: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for m in current:
        if m.family == "casualties":
            by_origin[m.info.origin][m.subkind].append(m)
    out = []
    for origin in sorted(by_origin):
        parts = by_origin[origin]
        if "total" in parts or not parts.get("killed") or not parts.get("injured"):
            continue
        killed, injured = parts["killed"][0], parts["injured"][0]
        if killed.unit != injured.unit:
            continue
        qk, qi = killed.quantity, injured.quantity
        low = None if qk.low is None or qi.low is None else qk.low + qi.low
        high = None if qk.high is None or qi.high is None else qk.high + qi.high
        approximate = qk.approximate or qi.approximate
        shown = low if low is not None else high
        text = ("about " if approximate else "") + (_fmt(shown) if shown is not None else "?")
        claims = sorted({killed.info.claim.id, injured.info.claim.id})
        derived = Derived(
            text=f"{text} killed or wounded",
            low=low,
            high=high,
            kind="killed or wounded",
            claims=claims,
            note=(
                f"derived: {origin}'s {qk.text} killed plus {qi.text} injured "
                f"(claims {', '.join(claims)})"
            ),
        )
        quantity = Quantity(
            text=text, low=low, high=high, kind="killed or wounded", approximate=approximate
        )
        proxy = Mention(
            info=killed.info,
            quantity=quantity,
            family="casualties",
            subkind="total",
            unit=killed.unit,
            delta=killed.delta,
            head=killed.head,
            qualifiers=killed.qualifiers,
            qualifier_text=killed.qualifier_text,
            time=killed.time,
        )
        out.append((derived, proxy))
    return out


def judge(
    mentions: list[Mention],
    voices: set[tuple[str, str]],
    linked: set[frozenset[int]] | None = None,
) -> FacetStatus:
    """`judge_now`, and conflicting too when it was so at the end of an earlier day of
    reports: a dispute on record between two origins stays one when a third origin's
    later update moves the toll on ("rose to five" after "three" against "four"). A
    later value of another origin supersedes earlier ones only as what holds now; it
    does not make two accounts of one moment agree. An origin's own later value still
    replaces its earlier ones everywhere (it revised them: never a conflict). Each day
    is judged on the reports up to its end (undated ones in all), so values days apart
    are never set against each other here."""
    status = judge_now(mentions, voices, linked)
    if status == "conflicting":
        return status
    standing = _newest(mentions)
    days = sorted({m.info.instant.date() for m in standing if m.info.instant is not None})
    for day in days[:-1]:
        earlier = [m for m in standing if m.info.instant is None or m.info.instant.date() <= day]
        said = {m.info.voice for m in earlier}
        if len(said) > 1 and judge_now(earlier, said, linked) == "conflicting":
            return "conflicting"
    return status


def judge_now(
    mentions: list[Mention],
    voices: set[tuple[str, str]],
    linked: set[frozenset[int]] | None = None,
) -> FacetStatus:
    """`judge_values`, and a conflict only on evidence: two incompatible current values
    the pairwise model links directly (not only through the rest of their facet: when
    the evidence is weak, it is not a conflict). Without that pair, agreed if two
    reports' values agree (`_settle`)."""
    status = judge_values(mentions, voices)
    if status != "conflicting" or linked is None:
        return status
    current = _current(mentions)
    # a derived total stands for its origin's parts, which the facet compares by rule
    derived = [proxy for _, proxy in _derived(current)]
    proxies = {id(proxy) for proxy in derived}
    current = (current + derived)[:LINKED_MAX]
    agreed = False
    for i, a in enumerate(current):
        span_a = interval(a.quantity)
        for b in current[i + 1 :]:
            if a.info.origin == b.info.origin or not _comparable(a, b):
                continue
            if overlap(span_a, interval(b.quantity)):
                agreed = True
            elif (
                not (a.partial or b.partial)
                # a plan's or forecast's figure does not dispute what is reported as so
                and a.hypothetical == b.hypothetical
                # a figure that does not say what it counts ("twice" beside "four pills")
                # is in the facet on its words alone: too weak to dispute a value
                and bool(a.family and b.family)
                and time_compatible(_figure_time(a), _figure_time(b))
                and (id(a) in proxies or id(b) in proxies or frozenset((id(a), id(b))) in linked)
            ):
                return "conflicting"
    return _settle(mentions, agreed, voices)


LINKED_MAX = 300  # current values checked pair by pair for a linked conflict


def judge_values(mentions: list[Mention], voices: set[tuple[str, str]]) -> FacetStatus:
    """Status of a quantity facet from its mentions and all its claims' voices.

    Single-source when one report carries it (one origin through one wire or outlet:
    copies are their original's). Conflicting when some pair of current values of two
    origins is incompatible: two outlets quoting one minister report one account, and
    what disputes it must come from someone else. Agreed when some pair agrees (or a
    tally was moved on), else complementary (`_settle`): which pairs exist is found per
    unit and kind from the extremes of each origin's values and one sweep, not by
    comparing every pair."""
    if len(voices) < 2:
        return "single-source"
    current = _current(mentions)
    # a tally some origin's later report moved on is an update both agree with
    agreed = len({m.info.origin for m in current}) < len({m.info.origin for m in mentions})
    current += [proxy for _, proxy in _derived(current)]
    spans = [interval(m.quantity) for m in current]
    if any(_has_nan(span) or span[0] > span[1] for span in spans):
        status = _judge_pairs(current, agreed)
        if status == "conflicting":
            return status
        return _settle(mentions, status == "agreed", voices)
    by_kind: dict[tuple[str | None, str], list[tuple[Mention, tuple[float, float]]]]
    by_kind = defaultdict(list)
    for m, span in zip(current, spans, strict=True):
        by_kind[(m.unit, m.subkind)].append((m, span))
    for (unit, subkind), members in by_kind.items():
        whole = [(m, span) for m, span in members if not m.partial]
        parts = [(m, span) for m, span in members if m.partial]
        # two values of one kind that do not overlap: one ends below where the other starts
        if _exceeds(_lows(whole), _highs(whole)):
            return "conflicting"
        # a part above another origin's whole
        if _exceeds(_lows(parts), _highs(whole)):
            return "conflicting"
        if subkind in ("killed", "injured"):
            totals = by_kind.get((unit, "total"), [])
            if _exceeds(_lows(members), _highs(totals)):
                return "conflicting"
        agreed = agreed or _any_overlap(whole)
    return _settle(mentions, agreed, voices)


def _settle(mentions: list[Mention], agreed: bool, voices: set[tuple[str, str]]) -> FacetStatus:
    """The status of a facet with no conflict: agreed when two origins' values agree, or
    two reports of one origin's (outlets that each heard the minister give the same
    figure: they agree on what was said, one origin stands behind it, and the facet's
    `independent_origins` says so); else one origin alone is single-source (its values
    differ only as it revised them) and two are complementary."""
    if agreed or _voices_agree(mentions):
        return "agreed"
    return "complementary" if len({origin for origin, _ in voices}) > 1 else "single-source"


def _voices_agree(mentions: list[Mention]) -> bool:
    by_kind: dict[tuple[str | None, str], _Valued] = defaultdict(list)
    for m in _current(mentions, by_voice=True):
        span = interval(m.quantity)
        if not (m.partial or _has_nan(span) or span[0] > span[1]):
            by_kind[(m.unit, m.subkind)].append((m, span))
    return any(_any_overlap(members, by_voice=True) for members in by_kind.values())


_Valued = list[tuple[Mention, tuple[float, float]]]


def _lows(members: _Valued) -> _Best:
    best = _Best()
    for m, span in members:
        best.offer(span[0], m.info.origin)
    return best


def _highs(members: _Valued) -> _Best:
    """The lowest high ends per origin, negated (a `_Best` keeps the largest)."""
    best = _Best()
    for m, span in members:
        best.offer(-span[1], m.info.origin)
    return best


def _exceeds(lows: _Best, highs: _Best) -> bool:
    """Whether some low end is above some high end of another origin. The best two
    origins on each side decide it: if the top low and the bottom high are one origin's,
    the pair needed uses the runner-up on one side."""
    return any(
        low > -neg_high and o1 != o2 for low, o1 in lows.pairs() for neg_high, o2 in highs.pairs()
    )


def _any_overlap(members: _Valued, by_voice: bool = False) -> bool:
    """Whether two values of different origins (`by_voice`: reports) overlap: in order of
    their low ends, a value overlaps an earlier one exactly when that one's high end
    reaches its low end."""
    highs = _Best()
    for m, span in sorted(members, key=lambda item: item[1][0]):
        who = m.info.voice if by_voice else m.info.origin
        high = highs.other_than(who)
        if high is not None and high >= span[0]:
            return True
        highs.offer(span[1], who)
    return False


def _judge_pairs(current: list[Mention], agreed: bool) -> FacetStatus:
    """`judge` pair by pair, for values whose ends are not in order (NaN, low above high),
    where the extremes do not tell."""
    for i, a in enumerate(current):
        span_a = interval(a.quantity)
        for b in current[i + 1 :]:
            if a.info.origin == b.info.origin or a.unit != b.unit:
                continue
            span_b = interval(b.quantity)
            if a.subkind == b.subkind and (a.partial or b.partial):
                part, whole = (span_a, span_b) if a.partial else (span_b, span_a)
                if not (a.partial and b.partial) and part[0] > whole[1]:
                    return "conflicting"
            elif a.subkind == b.subkind:
                if overlap(span_a, span_b):
                    agreed = True
                else:
                    return "conflicting"
            elif {a.subkind, b.subkind} in ({"killed", "total"}, {"injured", "total"}):
                part, total = (span_a, span_b) if b.subkind == "total" else (span_b, span_a)
                if part[0] > total[1]:
                    return "conflicting"
    return "agreed" if agreed else "complementary"


def revisions(mentions: list[Mention]) -> list[Revision]:
    """An origin's dated values of one kind that changed from one publication time to a later."""
    by_key: dict[tuple[str, str, str | None], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.info.instant is not None:
            by_key[(m.info.origin, m.subkind, m.unit)].append(m)
    out = []
    for key in sorted(by_key, key=lambda k: (k[0], k[1], k[2] or "")):
        series = sorted(by_key[key], key=lambda m: m.info.time_key())
        for old, new in pairwise(series):
            if old.info.instant == new.info.instant or _value_key(old) == _value_key(new):
                continue
            out.append(
                Revision(
                    origin=key[0],
                    old_claim=old.info.claim.id,
                    new_claim=new.info.claim.id,
                    old_value=old.quantity.text,
                    new_value=new.quantity.text,
                    old_published=old.info.claim.published,
                    new_published=new.info.claim.published,
                )
            )
    return out


def origins_of(infos: list[ClaimInfo]) -> list[Origin]:
    """Each origin with its claims, who carried it first and who repeated it, in time order."""
    grouped: dict[str, list[ClaimInfo]] = defaultdict(list)
    for info in infos:
        grouped[info.origin].append(info)
    out = []
    for name, members in grouped.items():
        timed = sorted(members, key=lambda i: i.time_key())
        first = timed[0]
        repeated: list[str] = []
        for info in timed[1:]:
            if info.outlet and info.outlet != first.outlet and info.outlet not in repeated:
                repeated.append(info.outlet)
        out.append(
            Origin(
                name=name,
                claims=[i.claim.id for i in sorted(members, key=lambda i: i.index)],
                first_claim=first.claim.id,
                first_outlet=first.outlet,
                first_published=first.claim.published,
                repeated_by=repeated,
                label=first.claim.claimant_name or name.removeprefix("outlet:"),
            )
        )
    time_of: dict[str, tuple[int, float, int]] = {}
    for info in infos:
        time_of.setdefault(info.claim.id, info.time_key())
    out.sort(key=lambda o: time_of[o.first_claim])
    return out


def status_of(build: FacetBuild, keep: set[str] | None = None) -> FacetStatus:
    """A build's status, optionally over only the claims whose ids are in `keep`."""
    infos = [i for i in build.infos if keep is None or i.claim.id in keep]
    voices = {i.voice for i in infos}
    if build.family is None:
        return "single-source" if len(voices) < 2 else "agreed"
    mentions = [m for m in build.mentions if keep is None or m.info.claim.id in keep]
    return judge(mentions, voices, build.linked)


# ---------------------------------------------------------------- labels


def _time_text(span: tuple[date, date]) -> str:
    start, end = span
    if start == date.min or end == date.max:
        known = start if end == date.max else end
        return ("since " if end == date.max else "until ") + known.isoformat()
    if start == end:
        return f"on {start.day} {start:%B %Y}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"in {start.year}"
    month_end = (end.replace(day=28) + (date(2000, 1, 5) - date(2000, 1, 1))).replace(day=1)
    whole = start.day == 1 and (month_end - end).days == 1
    if whole and (start.year, start.month) == (end.year, end.month):
        return f"in {start:%B %Y}"
    if whole and start.year == end.year:
        return f"in {start:%B}\u2013{end:%B %Y}"
    return f"{start.isoformat()} to {end.isoformat()}"


def _span(build: FacetBuild) -> tuple[date, date] | None:
    times = [m.time for m in build.mentions if m.time is not None]
    if not times:
        return None
    return (min(t[0] for t in times), max(t[1] for t in times))


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= LABEL_MAX:
        return text
    cut = text[: LABEL_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


def _quantity_label(build: FacetBuild) -> str:
    mentions = build.mentions
    family = build.family or ""
    if family == "casualties":
        noun = _CASUALTY_NOUN.get(frozenset(m.subkind for m in mentions), "casualties")
    elif family in _FAMILY_NOUN:
        noun = _FAMILY_NOUN[family]
    else:
        kinds = Counter((m.quantity.kind or family).lower() for m in mentions)
        noun = min(kinds, key=lambda k: (-kinds[k], k))
    counts = Counter(m.qualifier_text for m in mentions if m.qualifier_text)
    subject = min(counts, key=lambda s: (-counts[s], s)) if counts else ""
    # a word the noun already says is not said twice: "households households",
    # "aftershock aftershock magnitude"
    said = {_singular(w) for w in noun.lower().split()}
    subject = " ".join(w for w in subject.split() if _singular(w.lower()) not in said)
    words = ["additional" if build.delta else "", subject, noun]
    label = " ".join(w for w in words if w)
    if noun.lower() in _SAYS_LITTLE:
        about = _about(mentions, said | {_singular(w.lower()) for w in subject.split()})
        if about:
            label = f"{label} ({' '.join(about)})"
    return label


# nouns that say what sort of figure it is, not what it measures: the label adds the
# words its figures share ("amount (Medicare)", "share (promised benefits)")
_SAYS_LITTLE = {"amount", "share", "figure", "duration", "days", "hours", "percent", "time"}
_ABOUT_MAX = 2


def _about(mentions: Sequence[Mention], said: set[str]) -> list[str]:
    """Up to two words next to the figures, those most of their claims use first."""
    seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for claim_id, mention in {m.info.claim.id: m for m in mentions}.items():
        del claim_id
        claim, quantity = mention.info.claim, mention.quantity
        offset = _offset(claim, quantity)
        if offset < 0:
            continue
        words = pairs.context_words(claim.text, offset, offset + len(quantity.text), _QUIET)
        for word in dict.fromkeys(words):
            key = pairs.stem(word)
            if _singular(word.lower()) in said or key in _SAYS_LITTLE:
                continue
            seen.setdefault(key, word)
            counts[key] += 1
    claims = len({m.info.claim.id for m in mentions})
    order = {k: n for n, k in enumerate(seen)}
    shared = [k for k in counts if counts[k] >= min(2, claims)]
    top = sorted(shared, key=lambda k: (-counts[k], order[k]))[:_ABOUT_MAX]
    # names before the words after the figure, each as written: "(Mike Huckabee)",
    # "(Social Security)"
    return [seen[k] for k in sorted(top, key=lambda k: (not seen[k][0].isupper(), order[k]))]


def label_builds(builds: list[FacetBuild]) -> list[str]:
    """Labels for people; a time is added where one family has several facets."""
    families = Counter((b.family, b.delta) for b in builds if b.family is not None)
    labels = []
    for build in builds:
        if build.family is None:
            labels.append(_short(build.infos[0].claim.text))
            continue
        label = _quantity_label(build)
        span = _span(build)
        if (
            span is not None
            and families[(build.family, build.delta)] + families[(build.family, not build.delta)]
            > 1
        ):
            label = f"{label} {_time_text(span)}"
        labels.append(label)
    return labels


def build_facets(
    story_id: str, claims: Sequence[Claim], model: pairs.PairModel | None = None
) -> list[FacetBuild]:
    """Group, judge and label; each build's `facet` is set, ids `<story>-f<n>` from 1."""
    # a lone event sentence is a claim, not a facet: nothing lines up with it (it still
    # shows as its outlet's exclusive); a lone figure is kept, it is comparable later
    builds = [b for b in group_claims(claims, model) if b.family is not None or len(b.infos) > 1]
    for n, (build, label) in enumerate(zip(builds, label_builds(builds), strict=True), 1):
        current = _current(build.mentions) if build.family is not None else []
        build.facet = Facet(
            id=f"{story_id}-f{n}",
            label=label,
            claims=[i.claim.id for i in build.infos],
            status=status_of(build),
            independent_origins=len({i.origin for i in build.infos}),
            kind=build.family,
            origins=origins_of(build.infos),
            derived=[d for d, _ in _derived(current)],
            revisions=revisions(build.mentions),
            figures=_figures(build),
        )
    return builds


def _figures(build: FacetBuild) -> dict[str, list[int]]:
    """Which of each claim's quantities the facet compares; copies mirror their original."""
    own: dict[str, set[int]] = defaultdict(set)
    # where each quantity object sits in its claim, found once per claim, not per figure
    positions: dict[str, dict[int, int]] = {}
    for mention in build.mentions:
        claim = mention.info.claim
        if claim.id not in positions:
            at: dict[int, int] = {}
            for k, q in enumerate(claim.quantities):
                at.setdefault(id(q), k)
            positions[claim.id] = at
        index = positions[claim.id].get(id(mention.quantity))
        if index is not None:
            own[claim.id].add(index)
    by_id = {i.claim.id: i for i in build.infos}
    for info in build.infos:
        root = by_id.get(info.root)
        if (
            root is not None
            and root is not info
            and info.root in own
            and len(root.claim.quantities) == len(info.claim.quantities)
        ):
            own[info.claim.id] = own[info.root]
    return {claim_id: sorted(indices) for claim_id, indices in own.items()}
