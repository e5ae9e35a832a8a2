"""The quantities vocabulary, one data file (`quantities.json`) every stage reads.

Currencies (ISO 4217 codes), unit words and kind families used to live in the claims
stage's regexes and again, differently, in compare: "12 million zlotys" was money in
compare and a bare count in report.json. Now the claims stage sets `Quantity.unit` from
the same table compare compares by.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

# prepositions that, right before a figure, put it outside what an event word before
# them counts: "killed in more than 400 shootings" counts shootings, "wounded during two
# days of clashes" days (both stages read figures' kinds past them)
GOVERNING_PREPOSITIONS = frozenset(
    {"in", "during", "across", "over", "after", "since", "throughout", "amid"}
)

# a length of time is kept in days (the claims stage converts, compare compares)
DAYS_PER_UNIT = {
    "day": 1,
    "week": 7,
    "fortnight": 14,
    "month": 30,
    "year": 365,
    "decade": 3650,
    "century": 36500,
}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    currency_symbols: dict[str, str]  # "$", "US$", "EUR" -> ISO code
    currency_words: dict[str, str]  # words that may follow any figure: "euros" -> EUR
    currency_nouns: dict[str, str]  # read only as a figure's own noun: "real", "crown"
    measures: dict[str, str]  # "kilometre" -> "km"
    casualty_kinds: dict[str, str]  # "died" -> "killed", "casualties" -> "total"
    family_aliases: dict[str, str]  # "soldiers" -> "troops"

    def currency(self, word: str) -> str | None:
        """The code a currency word or noun names, else None."""
        word = word.lower()
        return self.currency_words.get(word) or self.currency_nouns.get(word)

    def codes(self) -> list[str]:
        """The ISO codes written as codes ("USD"), longest first for regex alternation."""
        found = {k for k in self.currency_symbols if k.isalpha() and k.isupper()}
        return sorted(found, key=lambda k: (-len(k), k))


def _table(body: dict[str, object], name: str) -> dict[str, str]:
    table = body[name]
    if not isinstance(table, dict):
        raise ValueError(f"quantities.json: {name} is not a table")
    return {str(k): str(v) for k, v in table.items() if not str(k).startswith("_")}


@cache
def vocabulary() -> Vocabulary:
    text = resources.files("crosswire").joinpath("quantities.json").read_text(encoding="utf-8")
    body = json.loads(text)
    return Vocabulary(
        currency_symbols=_table(body, "currency_symbols"),
        currency_words=_table(body, "currency_words"),
        currency_nouns=_table(body, "currency_nouns"),
        measures=_table(body, "measures"),
        casualty_kinds=_table(body, "casualty_kinds"),
        family_aliases=_table(body, "family_aliases"),
    )
