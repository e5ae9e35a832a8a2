"""Which figures of a story measure the same thing: a learned pairwise decision.

Two figures from the story's sentences are the same measure ("42 members of the
caucus" and "all 42 Senate Republicans") or not ("47 arrests overnight" and "six
arrests Wednesday", "2,000 troops out of Syria" and "7,000 troops withdrawn from
Afghanistan"). Rules written against one corpus grouped by the counted noun alone and
read every unit-sharing pair as one measure; here a logistic model weighs what a reader
weighs: the unit and kind, the counted noun, the words around each figure and in each
sentence, how near in meaning those words are (`encoder`: "killed" / "lost their
lives"), the entities named, whether the values agree, whether the two come from one
article (an article rarely gives two values for one thing), times that cannot meet.

The weights are data (`pair_model.json`), fitted on real gold figures by
`crosswire train facets` and scored by `crosswire eval facets DIR --folds 5`
(cross-validated by event: the score is never on events the weights saw). Figures
are then grouped by average linkage over the pair probabilities (threshold one half:
a pair joins when the model finds it more likely the same than not), so a facet is a
group whose members are on average the same measure, not a chain.

A second decision, fitted on the same pairs with what the values say left out ("the
same measure, whatever the values?"), is the evidence a conflict needs: two
incompatible values are shown as conflicting only when it links that very pair and
they share a word naming what is measured. Fitted mostly on agreeing pairs, the first
decision splits many incompatible values of one measure; `facets._join_conflicts` joins
such groups again where the text, not the values, says they are one measure (a sentence
disputing another's figure, or one tally of the event with no third account of it).

Work: only pairs that share a blocking key (unit, kind, a counted-noun or context word,
a value) are scored; a key held by more than BLOCK_MAX figures is not used to pair them,
so a story of thousands of figures costs about what its plausible pairs cost.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from itertools import combinations

import numpy as np

from crosswire.compare.encoder import Vectors
from crosswire.stories.features import FloatArray
from crosswire.stories.linkage import average_linkage

DAY_SLACK = 7  # days: short time references this close still describe one tally
BLOCK_MAX = 400  # figures sharing a key beyond which the key pairs nobody
NEAR_WORDS = 6  # words each side of a figure read as its context
THRESHOLD = 0.5
MODEL_FILE = "pair_model.json"

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_CLAUSE_RE = re.compile(r"[,;:()\[\]\"\u201c\u201d]|\.\s")


@dataclass(slots=True)
class Side:
    """What the pairwise decision reads of one figure."""

    unit: str | None
    family: str | None  # kind family when the claims stage said what is counted
    noun: frozenset[str]  # stems of the counted noun phrase ("senate republican")
    near: frozenset[str]  # content stems within NEAR_WORDS of the figure, its clause
    names: frozenset[str]  # the capitalized words among them
    qualifiers: frozenset[str]  # words before the counted noun: "North Korean" soldiers
    sentence: frozenset[str]  # content stems and entity ids of the whole sentence
    verb: str | None  # the content word right before the figure ("cut", "deployed")
    span: tuple[float, float]  # the value interval, tolerance applied
    article: str
    claim: str
    origin: str
    time: tuple[date, date] | None
    delta: bool
    partial: bool
    # what the words around the figure mean (`encoder`): a unit vector, or None
    vector: Vectors | None = None


def time_compatible(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    """Known intervals overlap, or both are day-level references within DAY_SLACK days
    (in a developing story those usually date reports of one running tally)."""
    if a is None or b is None:
        return True
    if a[0] <= b[1] and b[0] <= a[1]:
        return True
    short = (a[1] - a[0]).days <= DAY_SLACK and (b[1] - b[0]).days <= DAY_SLACK
    gap = (b[0] - a[1]).days if a[1] < b[0] else (a[0] - b[1]).days
    return short and gap <= DAY_SLACK


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return max(a[0], b[0]) <= min(a[1], b[1])


# ---------------------------------------------------------------- reading one figure


def stem(word: str) -> str:
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + repl
    return word


def content_stems(words: Sequence[str], stop: frozenset[str]) -> list[str]:
    return [stem(w) for w in words if len(w) > 2 and w.lower() not in stop]


def _windows(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The NEAR_WORDS words before and after text[start:end] inside its clause.

    A figure opening a parenthesis qualifies the words before it ("Gingrich (9
    percent)"), so the clause before it then reaches back past the parenthesis."""
    lo = max(0, start - 200)
    before_text = text[lo:start]
    cuts = [m.end() for m in _CLAUSE_RE.finditer(before_text)]
    if cuts and not _WORD_RE.search(before_text, cuts[-1]):
        cuts.pop()
    if cuts:
        before_text = before_text[cuts[-1] :]
    after_text = text[end : end + 200]
    found = _CLAUSE_RE.search(after_text)
    if found is not None:
        after_text = after_text[: found.start()]
    return _WORD_RE.findall(before_text)[-NEAR_WORDS:], _WORD_RE.findall(after_text)[:NEAR_WORDS]


def context_words(text: str, start: int, end: int, stop: frozenset[str]) -> list[str]:
    """Words that say what a figure is of, as written: the content words after it ("$716
    billion from Medicare", "77 percent of promised benefits"), then the names before
    it ("Gingrich (9 percent)"); verbs before it say what was done, not what is counted."""
    before, after = _windows(text, start, end)
    # the names nearest the figure: "former Gov. Mike Huckabee (14 percent)"
    named: list[str] = []
    for word in reversed(before):
        if not word[0].isupper():
            break
        named.insert(0, word)
    return [
        w
        for w in after + named
        if len(w) > 2 and w.lower() not in stop and "'" not in w and "\u2019" not in w
    ]


def context_of(
    text: str, start: int, end: int, stop: frozenset[str]
) -> tuple[frozenset[str], frozenset[str], str | None]:
    """Content stems within NEAR_WORDS words of text[start:end] inside its clause, the
    capitalized words among them (names: "Palin (12 percent)"), and the content word
    right before it. Reads a bounded window, never the whole sentence."""
    before_words, after_words = _windows(text, start, end)
    before = content_stems(before_words, stop)
    after = content_stems(after_words, stop)
    names = frozenset(
        w.lower()
        for w in before_words + after_words
        if w[0].isupper() and len(w) > 2 and w.lower() not in stop
    )
    return frozenset(before + after), names, (before[-1] if before else None)


# ---------------------------------------------------------------- the pair features


FEATURES = (
    "bias",
    "same_unit",
    "unit_clash",
    "one_unit",
    "same_family",
    "family_clash",
    "noun_jaccard",
    "noun_missing",
    "near_jaccard",
    "sentence_jaccard",
    "same_verb",
    "values_overlap",
    "log_ratio",
    "same_article",
    "same_claim",
    "same_article_other_value",
    "same_origin",
    "time_clash",
    "delta_mismatch",
    "partial_mismatch",
    "overlap_and_near",
    "overlap_and_noun",
    "names_shared",
    "names_clash",
    "overlap_and_magnitude",
    "qualifier_clash",
    "context_cosine",
)


# what the values say; the second decision ("the same measure, whatever the values?")
# is fitted without them, so that two different values can still be found one measure
VALUE_FEATURES = frozenset(
    {
        "values_overlap",
        "log_ratio",
        "same_article_other_value",
        "overlap_and_near",
        "overlap_and_noun",
        "overlap_and_magnitude",
    }
)
_VALUE_MASK = np.asarray([0.0 if f in VALUE_FEATURES else 1.0 for f in FEATURES])


def blind(rows: Sequence[Sequence[float]] | FloatArray) -> FloatArray:
    """The rows with what the values say zeroed (the measure decision's input)."""
    out: FloatArray = np.asarray(rows, dtype=float) * _VALUE_MASK
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _centre(span: tuple[float, float]) -> float | None:
    low, high = span
    if math.isfinite(low) and math.isfinite(high):
        return (low + high) / 2
    if math.isfinite(low):
        return low
    if math.isfinite(high):
        return high
    return None


def _log_ratio(a: tuple[float, float], b: tuple[float, float]) -> float:
    ca, cb = _centre(a), _centre(b)
    if ca is None or cb is None or ca <= 0 or cb <= 0:
        return 1.0 if ca != cb else 0.0
    return min(abs(math.log(ca / cb)), 3.0) / 3.0


def _magnitude(span: tuple[float, float]) -> float:
    """How telling a shared value is: two outlets giving 700,000 rarely do so by chance,
    two giving 2 often do (0 for values up to 1, 1 from a million up)."""
    centre = _centre(span)
    if centre is None or abs(centre) <= 1:
        return 0.0
    return min(math.log10(abs(centre)) / 6, 1.0)


def pair_features(a: Side, b: Side) -> list[float]:
    both_units = a.unit is not None and b.unit is not None
    both_families = a.family is not None and b.family is not None
    agree = overlap(a.span, b.span)
    same_article = a.article == b.article
    noun = _jaccard(a.noun, b.noun)
    near = _jaccard(a.near, b.near)
    return [
        1.0,
        float(both_units and a.unit == b.unit),
        float(both_units and a.unit != b.unit),
        float((a.unit is None) != (b.unit is None)),
        float(both_families and a.family == b.family),
        float(both_families and a.family != b.family),
        noun,
        float(not a.noun or not b.noun),
        near,
        _jaccard(a.sentence, b.sentence),
        float(a.verb is not None and a.verb == b.verb),
        float(agree),
        _log_ratio(a.span, b.span),
        float(same_article),
        float(a.claim == b.claim),
        float(same_article and not agree),
        float(a.origin == b.origin and not same_article),
        float(not time_compatible(a.time, b.time)),
        float(a.delta != b.delta),
        float(a.partial != b.partial),
        float(agree) * near,
        float(agree) * noun,
        float(bool(a.names & b.names)),
        float(bool(a.names) and bool(b.names) and not a.names & b.names),
        float(agree) * _magnitude(a.span),
        float(bool(a.qualifiers) and bool(b.qualifiers) and not a.qualifiers & b.qualifiers),
        _cosine(a.vector, b.vector),
    ]


def _cosine(a: Vectors | None, b: Vectors | None) -> float:
    return float(a @ b) if a is not None and b is not None else 0.0


def _keys(side: Side) -> list[str]:
    keys = [f"n:{w}" for w in side.noun] + [f"c:{w}" for w in side.near]
    if side.unit is not None:
        keys.append(f"u:{side.unit}")
    if side.family is not None:
        keys.append(f"f:{side.family}")
    centre = _centre(side.span)
    if centre is not None and centre > 0:
        keys.append(f"v:{round(math.log10(centre), 1)}")
    if side.time is not None and (side.time[1] - side.time[0]).days <= DAY_SLACK:
        # the same keys within one week: where a key is too common to pair by (a
        # chronology of daily tolls), the week it is dated still pairs its reports
        week = side.time[0].toordinal() // 7
        keys += [f"{key}@{w}" for key in keys for w in (week - 1, week)]
    return keys


def candidate_pairs(sides: Sequence[Side]) -> list[tuple[int, int]]:
    """Pairs sharing a blocking key, each once, in index order."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for n, side in enumerate(sides):
        for key in set(_keys(side)):
            by_key[key].append(n)
    seen: set[tuple[int, int]] = set()
    for members in by_key.values():
        if len(members) <= BLOCK_MAX:
            seen.update(combinations(members, 2))
    return sorted(seen)


# ---------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class PairModel:
    """Two logistic decisions over FEATURES: `same` ("one facet?", values included) and
    `measure` ("the same measure, whatever the values?", fitted on `blind` rows)."""

    same: tuple[float, ...]
    measure: tuple[float, ...]
    trained_on: str = ""

    def probabilities(self, rows: Sequence[Sequence[float]]) -> tuple[FloatArray, FloatArray]:
        if not rows:
            return np.zeros(0), np.zeros(0)
        x = np.asarray(rows, dtype=float)
        same: FloatArray = 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.same))))
        measure: FloatArray = 1.0 / (1.0 + np.exp(-(blind(x) @ np.asarray(self.measure))))
        return same, measure

    def to_json(self) -> str:
        body = {
            "features": list(FEATURES),
            "same": [round(w, 6) for w in self.same],
            "measure": [round(w, 6) for w in self.measure],
            "trained_on": self.trained_on,
        }
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PairModel:
        body = json.loads(text)
        if list(body.get("features", ())) != list(FEATURES):
            raise ValueError("pair model features differ from this code's: retrain it")
        return cls(
            tuple(float(w) for w in body["same"]),
            tuple(float(w) for w in body["measure"]),
            str(body.get("trained_on", "")),
        )


@cache
def default_model() -> PairModel:
    """The shipped weights, read once."""
    text = resources.files("crosswire.compare").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return PairModel.from_json(text)


def cluster(
    sides: Sequence[Side], model: PairModel | None = None
) -> tuple[list[int], set[tuple[int, int]]]:
    """A group label per figure (its group's smallest index), and the pairs the measure
    decision finds one measure whatever their values (the evidence a conflict needs)."""
    n = len(sides)
    if n < 2:
        return list(range(n)), set()
    model = model or default_model()
    pairs = candidate_pairs(sides)
    if not pairs:
        return list(range(n)), set()
    probs, measure = model.probabilities([pair_features(sides[a], sides[b]) for a, b in pairs])
    # edges far below the threshold count as 0: a sparser graph, and a merge only harder
    keep = probs >= THRESHOLD / 4
    sources = np.asarray([a for a, _ in pairs], dtype=np.int64)[keep]
    targets = np.asarray([b for _, b in pairs], dtype=np.int64)[keep]
    labels = average_linkage(n, sources, targets, probs[keep], THRESHOLD)
    linked = {
        pair
        for pair, p in zip(pairs, measure.tolist(), strict=True)
        if p >= THRESHOLD and _named_alike(sides[pair[0]], sides[pair[1]])
    }
    return labels, linked


# kinds that say only what sort of figure it is, not what it measures
_GENERIC_NOUNS = frozenset(
    {"duration", "figure", "amount", "money", "percent", "share", "people", "number", "time"}
)


def _named_alike(a: Side, b: Side) -> bool:
    """Whether two figures share a word saying what they measure: their counted noun or
    a common word around them ("pages of e-mails" / "pages of printed e-mails"), beyond
    their unit and the names the whole story shares ("duration" / "duration", "Ferguson")."""
    shared = (a.noun & b.noun) | ((a.near - a.names) & (b.near - b.names))
    return bool(shared - _GENERIC_NOUNS)
