"""The model's attribute rules (coarse part of speech from the fine tag, and its
exceptions), applied as a table instead of spaCy's `AttributeRuler`.

en_core_web_sm sets `pos` with 179 Matcher patterns run over every token of every
document: a tenth of the parse. Every pattern but one looks at one token, and the
attributes it reads (TAG, LOWER, DEP, IS_SPACE) take few distinct values together, so
what the patterns give a token is a function of those four values: worked out once per
distinct combination, with the ruler's own precedence (the later pattern wins), and
cached for the process. The one two-token pattern ("there *is*") is matched on the arrays.

The rules are read from the loaded model's ruler, so they stay the model's data; only
the attributes claims read are set (POS, TAG, DEP), not MORPH or LEMMA.
`tests/test_pos.py` checks the result equals the ruler's on real text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import DEP, IDS, IS_SPACE, LOWER, TAG
from spacy.parts_of_speech import IDS as UNIVERSAL
from spacy.tokens import Doc
from spacy.vocab import Vocab

if TYPE_CHECKING:
    from thinc.types import Ints2d

SET = ("POS", "TAG", "DEP")  # what claims read of the ruler's attributes
_SET_COLUMNS = [IDS[name] for name in SET]
# attribute name -> its column in the arrays of SET
_ATTR = {name: column for column, name in enumerate(SET)}
_READ = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_COLUMNS = [TAG, LOWER, DEP, IS_SPACE]

# (attribute column, value, rule order) set, and per two-token rule which tokens pass
_Decided = tuple[tuple[tuple[int, int, int], ...], tuple[tuple[bool, ...], ...]]
# one token's values as strings (LOWER None when no pattern names it) -> whether it matches
_Test = Callable[[str, str | None, str, bool], bool]


def _predicate(key: str, spec: Any) -> Callable[[Any], bool]:
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = set(spec["IN"])
            return lambda value: value in allowed
        if set(spec) == {"NOT_IN"}:
            barred = set(spec["NOT_IN"])
            return lambda value: value not in barred
        raise ValueError(f"attribute rule on {key} with {sorted(spec)}: not supported")
    return lambda value: value == spec


def _token_test(token: Mapping[str, Any]) -> _Test:
    if not set(token) <= _READ:
        raise ValueError(f"attribute rule reads {sorted(set(token) - _READ)}: not supported")
    checks = [(key, _predicate(key, spec)) for key, spec in token.items()]

    def test(tag: str, lower: str | None, dep: str, space: bool) -> bool:
        values = {"TAG": tag, "LOWER": lower, "DEP": dep, "IS_SPACE": space}
        return all(check(values[key]) for key, check in checks)

    return test


@dataclass(frozen=True, slots=True)
class _Rule:
    order: int  # the ruler's pattern index: the later rule wins
    tests: tuple[_Test, ...]  # one per token of the pattern
    index: int  # which token of the match takes the attributes
    attrs: dict[str, str]


class TableAttributes:
    """A pipeline component giving each token the POS, TAG and DEP the model's
    attribute ruler would give it."""

    def __init__(self, vocab: Vocab, patterns: Sequence[Mapping[str, Any]]) -> None:
        self.vocab = vocab
        self.patterns = list(patterns)
        self.single: list[_Rule] = []
        self.multi: list[_Rule] = []
        lowers: set[str] = set()
        for order, entry in enumerate(patterns):
            attrs = {k: str(v) for k, v in entry["attrs"].items() if k in SET}
            if not attrs:
                continue
            for pattern in entry["patterns"]:
                for token in pattern:
                    spec = token.get("LOWER")
                    if isinstance(spec, dict):
                        lowers.update(*spec.values())
                    elif spec is not None:
                        lowers.add(spec)
                rule = _Rule(order, tuple(_token_test(t) for t in pattern), entry["index"], attrs)
                (self.single if len(pattern) == 1 else self.multi).append(rule)
        for rule in self.multi:
            if len(rule.tests) != 2 or rule.index not in (0, 1, -1, -2):
                raise ValueError("attribute rules over more than two tokens: not supported")
        self.lowers = np.asarray(sorted(vocab.strings.add(w) for w in lowers), dtype=np.uint64)
        # (tag, lower, dep, space) hashes -> what the rules decide for such a token
        self._cache: dict[tuple[int, int, int, int], _Decided] = {}

    def __reduce__(self) -> tuple[type[TableAttributes], tuple[Vocab, list[Mapping[str, Any]]]]:
        # the rules' tests are closures: a parse process gets the patterns and compiles them
        return (TableAttributes, (self.vocab, self.patterns))

    def _strings(self, row: tuple[int, int, int, int]) -> tuple[str, str | None, str, bool]:
        strings = self.vocab.strings
        tag, lower, dep, space = row
        return strings[tag], (strings[lower] if lower else None), strings[dep], bool(space)

    def _value(self, name: str, value: str) -> int:
        # POS is stored as spaCy's part-of-speech id, TAG and DEP as string hashes
        return int(UNIVERSAL[value]) if name == "POS" else int(self.vocab.strings.add(value))

    def _row(self, row: tuple[int, int, int, int]) -> _Decided:
        """What the one-token rules set on a token of these values (the last rule
        winning), and which tokens of the two-token rules it passes."""
        found = self._cache.get(row)
        if found is None:
            values = self._strings(row)
            won: dict[str, tuple[int, int]] = {}
            for rule in self.single:
                if rule.tests[0](*values):
                    for name, value in rule.attrs.items():
                        won[name] = (self._value(name, value), rule.order)
            sets = tuple((_ATTR[name], value, order) for name, (value, order) in won.items())
            passes = tuple(tuple(test(*values) for test in rule.tests) for rule in self.multi)
            found = self._cache[row] = (sets, passes)
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array(_COLUMNS).astype(np.uint64)
        table[:, 1] = np.where(np.isin(table[:, 1], self.lowers), table[:, 1], 0)
        rows, inverse = np.unique(table, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        values = np.zeros((len(rows), 3), dtype=np.uint64)
        ranks = np.full((len(rows), 3), -1, dtype=np.int64)
        passes = np.zeros((len(rows), len(self.multi), 2), dtype=bool)
        for k, row in enumerate(rows.tolist()):
            sets, passed = self._row((row[0], row[1], row[2], row[3]))
            if passed:
                passes[k] = passed
            for column, value, rank in sets:
                values[k, column] = value
                ranks[k, column] = rank
        order = ranks[inverse]
        out = np.where(order >= 0, values[inverse], doc.to_array(_SET_COLUMNS))
        token_passes = passes[inverse]
        for m, rule in enumerate(self.multi):
            starts = np.flatnonzero(token_passes[:-1, m, 0] & token_passes[1:, m, 1])
            target = starts + rule.index % 2
            for name, text in rule.attrs.items():
                column = _ATTR[name]
                later = target[rule.order > order[target, column]]
                out[later, column] = self._value(name, text)
                order[later, column] = rule.order
        doc.from_array(_SET_COLUMNS, cast("Ints2d", out))
        return doc
