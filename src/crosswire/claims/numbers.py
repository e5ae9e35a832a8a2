"""Find quantities in news prose: numbers, ranges, bounds, vague amounts, money and percentages.

Pure regular expressions and a small word-number parser; no spaCy, so it is cheap enough to run
on every sentence of every article.

Approach, in passes over the text:
1. Blocked regions are masked first: clock times ("3:04", "10 a.m."), dates ("Feb. 7",
   "7 February", "5/17/2018", "1995-01"), and labelled identifiers ("No. 1", "Article 5",
   "Flight 17").
2. Vague amounts ("several", "a few", "dozens of", "hundreds of thousands of") are matched as
   whole phrases.
3. Number atoms: digit numbers (thousands commas, decimals, "1.5bn", "5k", "1e6", "3/4") and
   runs of number words, parsed by a small grammar ("twenty-one", "three hundred and two",
   "1.2 million", "two and a half", "a third").  An atom next to letters ("F-16", "MH17",
   "180ml"), a bare four-digit year ("in 2024", "2025") and the pronoun "one" ("one of the",
   "no one", "the one") are dropped.
4. Units: a currency symbol or word ("$", "US$", "€", "euros", "won") gives an ISO code;
   "%", "percent", "per cent" give "%"; fractions ("a third", "half", "one in five") give
   "fraction" and their value as a proportion.
5. Ranges ("10,000 to 12,000", "10-12", "between 20 and 30", "from 5 to 10") and modifiers
   are attached: the span text grows to cover the whole phrase.

Interval conventions (all bounds are closed unless stated):
- "about / around / roughly / approximately / some / an estimated / close to N": approximate,
  low = high = N.
- "nearly / almost N": approximate, low = 0.9 N, high = N (the true figure is just below
  N; an open lower bound would let "nearly 500" agree with "about 400").
- "more than / over / above / in excess of / exceeding N": low = N, exclusive, high = None.
- "at least / no fewer than / no less than / N or more": low = N inclusive, high = None.
- "less than / fewer than / under / below N": high = N exclusive; "up to / at most / as many
  as / no more than / N or less": high = N inclusive.
- Ranges "X to Y", "X-Y", "between X and Y" are closed [X, Y].  (Recognizers-Text writes them
  half-open, [X, Y); `crosswire.eval.numbers` maps between the two.)
- Vague amounts: several 3..9, a few 2..5, a handful 2..5, dozens of 24..99, scores of 40..99,
  hundreds of 200..999, thousands of 2,000..9,999, tens of thousands of 20,000..99,999, and so
  on for each scale (2 x scale .. 10 x scale - 1); all approximate.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from crosswire.quantities import DAYS_PER_UNIT, GOVERNING_PREPOSITIONS, vocabulary

__all__ = [
    "NumberSpan",
    "find_figures",
    "find_number_atoms",
    "find_numbers",
    "quantity_kind",
    "quantity_kinds",
]

NEARLY_FLOOR = 0.9  # "nearly N" is at least this share of N


@dataclass(slots=True, frozen=True)
class NumberSpan:
    """One quantity phrase; `text` is `source[start:end]`, `low`/`high` the interval it names."""

    start: int
    end: int
    text: str
    low: float | None
    high: float | None
    approximate: bool = False
    unit: str | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    # what the phrase's own form says it counts ("97-1" -> votes, "twice" -> times); set
    # only by `find_figures`, and then `quantity_kinds` takes it as it is
    kind: str | None = None
    counted: str | None = None


# ------------------------------------------------------------------ vocabulary

_UNITS = {
    "zero": 0,
    "nought": 0,
    "naught": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_BIG = {
    "thousand": 1e3,
    "lakh": 1e5,
    "million": 1e6,
    "crore": 1e7,
    "billion": 1e9,
    "trillion": 1e12,
}
# denominators; singular and plural.  "second" is left out: it is never a fraction in news.
_DENOMS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "fourth": 4,
    "quarter": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "twentieth": 20,
    "thirtieth": 30,
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 1e6,
    "billionth": 1e9,
    "trillionth": 1e12,
}
_DENOM_WORDS = {**_DENOMS, **{w + "s": v for w, v in _DENOMS.items() if not w.endswith("s")}}
_DENOM_WORDS.pop("halfs", None)

_SUFFIX_SCALE = {
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "MM": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mil": 1e6,
    "b": 1e9,
    "B": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "T": 1e12,
    "tn": 1e12,
    "tln": 1e12,
}

# currencies come from the one quantities vocabulary compare reads too
_CURRENCY_SYMBOLS = vocabulary().currency_symbols
_CURRENCY_WORDS = vocabulary().currency_words
_CODES = "|".join(vocabulary().codes())
# as written after a figure: "euros", and a country's name capitalized, "Norwegian crowns"
_CURRENCY_FORMS = (
    set(_CURRENCY_WORDS)
    | {w[0].upper() + w[1:] for w in _CURRENCY_WORDS if " " in w and w.split()[0] not in ("us",)}
    | {"US dollars"}
)

_NUMWORDS = sorted([*_UNITS, *_TEENS, *_TENS, *_BIG, "hundred"], key=len, reverse=True)
_NUMWORD_ALT = "|".join(_NUMWORDS)
_DENOM_ALT = "|".join(sorted(_DENOM_WORDS, key=len, reverse=True))
_DOZEN = r"dozens?|dzs?|dozs?"

# ------------------------------------------------------------------ regexes

# A digit number: grouped by commas, by (thin/no-break) spaces in groups of three, or plain;
# optional decimals, exponent, or slash fraction; optional attached scale suffix.
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:\.\d+)?(?![\d,.])"
    r"|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
    r"|\.\d+)"
)
# case matters: "5T" is trillions, "5t" is tonnes
_SUFFIX = r"(?-i:MM|mln|mil|bln|tln|mn|bn|tn|[kKmMbBT])(?![A-Za-z\d])"
_UNICODE_FRACTIONS = {
    "½": 0.5,
    "⅓": 1 / 3,
    "⅔": 2 / 3,
    "¼": 0.25,
    "¾": 0.75,
    "⅕": 0.2,
    "⅖": 0.4,
    "⅗": 0.6,
    "⅘": 0.8,
    "⅙": 1 / 6,
    "⅚": 5 / 6,
    "⅛": 0.125,
    "⅜": 0.375,
    "⅝": 0.625,
    "⅞": 0.875,
}
_UFRAC_ALT = "".join(_UNICODE_FRACTIONS)


def _unname(pattern: str) -> str:
    """`pattern` with its named groups made anonymous, to repeat it inside a larger one."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# one token of a number run
_TOKEN_SRC = (
    rf"(?P<frac>\d+(?:\s+\d+)?/\d+(?![/\d]))"
    rf"|(?P<uf>\d*[{_UFRAC_ALT}])"
    rf"|(?P<dig>{_DIGITS})(?:\s?(?P<sfx>{_SUFFIX}))?"
    rf"|(?P<word>(?:{_NUMWORD_ALT}|{_DENOM_ALT}|{_DOZEN}|point|minus|negative|an?)(?![A-Za-z]))"
)
_TOKEN_RE = re.compile(_TOKEN_SRC, re.IGNORECASE)
# a run: number tokens joined by spaces, hyphens, "and"/"&" or a comma before a word;
# "-and-" first, so that "two-and-a-half" is one number and not "two" and "half"
_SEP = r"(?:[-–]and[-–]|\s*[-–]\s*|\s+and\s+|\s*&\s*|,\s+(?=[A-Za-z])|\s+)"
_START = (
    rf"(?:\d|\.\d|[{_UFRAC_ALT}]"
    rf"|(?:{_NUMWORD_ALT}|{_DENOM_ALT}|{_DOZEN}|minus|negative)(?![A-Za-z])"
    rf"|an?\s+(?:{_NUMWORD_ALT}|{_DENOM_ALT}|{_DOZEN})(?![A-Za-z]))"
)
_TOKEN_PLAIN = _unname(_TOKEN_SRC)
_RUN_RE = re.compile(
    rf"(?<![\w.])(?:[-−](?=\d))?(?={_START})(?:{_TOKEN_PLAIN})"
    rf"(?:{_SEP}(?:{_TOKEN_PLAIN}))*",
    re.IGNORECASE,
)
_SEP_RE = re.compile(_SEP, re.IGNORECASE)
_DIGIT_CAND_RE = re.compile(rf"\d+|[{_UFRAC_ALT}]")
_WORD_FIND_RE = re.compile(r"[a-z]+")
_START_WORDS = frozenset(
    [*_UNITS, *_TENS, *_TEENS, *_BIG, "hundred", *_DENOM_WORDS, "minus", "negative", "dozen"]
) | {"dozens", "dz", "dzs", "doz", "dozs"}
_VAGUE_WORDS = frozenset(
    {"tens", "hundreds", "dozens", "scores", "thousands", "millions", "billions", "trillions"}
) | {"several", "many"}
_VAGUE_A_WORDS = frozenset(["few", "handful", "couple"])
# the longest lead-in of a blocked pattern ("Interstate ", "September ") and tail ("th of
# September", " o'clock")
_BLOCK_BEFORE = 14
_BLOCK_AFTER = 20

_MONTHS_CAP = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_BLOCK_RE = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?(?![A-Za-z]))?"
    r"|\b\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.m\.|[AaPp][Mm]\b)"
    r"|\b\d{1,2}\s*o'clock"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
    r"|\b(?:1[5-9]|20)\d{2}-(?:0[1-9]|1[0-2]|\d{2})\b(?![-–]\d)"
    rf"|\b{_MONTHS_CAP}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,\d|\d)"
    # "the 19 Sept. 11 hijackers": a month followed by its own day is that day's date
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS_CAP}\b(?!\.?\s+\d{{1,2}}\b)"
    r"|\b(?:No|Nos|Art|Sec|Vol|Ch|Fig|Para|Pt)\.\s*\d+"
    r"|\b(?:Article|Section|Resolution|Flight|Route|Chapter|Page|Room|Volume|Episode|Highway|"
    r"Interstate|Amendment|Level|Category|Gate|Platform|Terminal|Version|Apollo|Windows|"
    r"Bus|Line|Unit|Ward|District|Precinct|Block|Lot|Act|Rule|Paragraph|Protocol|Item|"
    r"Number|Phase|Stage|Season|Grade|Class|Group|Camp|Building|Suite|Lane|Street|Avenue)"
    r"\s+\d+(?:\.\d+)*\b"
)

_APPROX_WORDS = (
    r"about|around|roughly|approximately|approx\.|some|an\s+estimated|estimated|close\s+to|"
    r"nearly|almost|circa|c\.|an\s+approximate|approximate|or\s+so|more\s+or\s+less|"
    r"somewhere\s+around|upwards\s+of"
)
# comparator prefixes, longest first within each family
_LOWER_EXCL = (
    r"(?:just\s+|well\s+|slightly\s+|far\s+|much\s+)?"
    r"(?:more|greater|larger|bigger|higher)\s+than|"
    r"(?:just\s+|well\s+|slightly\s+)?(?:over|above)|in\s+excess\s+of|exceed(?:s|ing|ed)?|"
    r"surpass(?:es|ing|ed)?|>"
)
_LOWER_INCL = (
    r"at\s+least\s+or\s+equal\s+to|at\s+least|no\s+(?:less|fewer)\s+than|"
    r"not\s+(?:less|fewer)\s+than|a\s+minimum\s+of|"
    r"(?:more|greater|larger|bigger|higher)\s+(?:than\s+)?or\s+equal\s+(?:to|than)|"
    r"equal\s+to\s+or\s+(?:more|greater|larger|bigger|higher)\s+than|>\s*=|≥"
)
_UPPER_EXCL = (
    r"(?:just\s+|well\s+|slightly\s+|far\s+|much\s+)?(?:less|fewer|lower|smaller)\s+than|"
    r"(?:just\s+|well\s+|slightly\s+)?(?:under|below)|<"
)
_UPPER_INCL = (
    r"up\s+to|at\s+most|as\s+many\s+as|as\s+much\s+as|as\s+high\s+as|no\s+more\s+than|"
    r"not\s+more\s+than|a\s+maximum\s+of|"
    r"(?:less|fewer|lower|smaller)\s+(?:than\s+)?or\s+equal\s+(?:to|than)|"
    r"equal\s+to\s+or\s+(?:less|fewer|lower|smaller)\s+than|<\s*=|≤"
)
_EQUAL = r"equal\s+to|equals\s+to|equals|equaling\s+to|equalling\s+to|exactly|precisely"
_ADDITIONAL = r"an\s+additional|another|a\s+further|an\s+extra|additional|a\s+total\s+of"

_MOD_ALT = (
    rf"(?P<li>{_LOWER_INCL})|(?P<ui>{_UPPER_INCL})|(?P<le>{_LOWER_EXCL})|(?P<ue>{_UPPER_EXCL})"
    rf"|(?P<eq>{_EQUAL})|(?P<ap>{_APPROX_WORDS})|(?P<ad>{_ADDITIONAL})"
)
_MOD_RE = re.compile(rf"(?:{_MOD_ALT})", re.IGNORECASE)
# up to three stacked modifiers directly before a number ("an additional about", "just over")
_PREFIX_RE = re.compile(
    r"(?:(?<![\w])(?=[A-Za-z])|(?<![<>=≤≥])(?=[<>=≤≥]))"
    rf"(?:(?:{_unname(_MOD_ALT)})"
    r"(?:\s+|(?<=[<>=≤≥])\s*)){1,3}$",
    re.IGNORECASE,
)
_SUFFIX_MOD_RE = re.compile(
    r"\s*(?:(?P<ge>(?:or|and)\s+(?:more|greater|higher|above|over|larger|bigger)"
    r"(?:\s+than)?|(?:or|and)\s+more|-?plus\b|\+(?![\s/]*[\d-]))"
    r"|(?P<le>(?:or|and)\s+(?:less|fewer|lower|smaller|below|under)(?:\s+than)?)"
    r"|(?P<eq>or\s+equal(?:\s+to)?))(?![\w])",
    re.IGNORECASE,
)
_RANGE_SEP_RE = re.compile(
    # "40- to 60-hour": the first number's hyphen is suspended, the range is "to"
    r"\s*(?:(?P<dash>[-–—~])|(?:[-–]\s+)?(?P<to>to|through|thru|and|or)(?![\w]))\s*"
    r"(?:(?P<cur>US\$|[$€£¥₩₽₴₹])\s?)?$",
    re.IGNORECASE,
)
_RANGE_OPEN_RE = re.compile(r"(?<![\w])(?P<w>between|from)\s+(?:the\s+)?$", re.IGNORECASE)
_PAIR_SEP_RE = re.compile(r"^\s*(?:,\s*)?(?:and|but|,)\s+$", re.IGNORECASE)
_CUR_PREFIX_RE = re.compile(
    r"(?:(?<![A-Za-z])(?P<sym>US\$|C\$|A\$|HK\$|NZ\$|[$€£¥₩₽₴₹])"
    rf"|\b(?P<code>{_CODES})\s?)\s?$"
)
_UNIT_SUFFIX_RE = re.compile(
    r"(?P<pct>\s?%|\s+(?:percent|per\s+cent|pct)\b|\s+percentage\s+points?\b)"
    r"|(?P<cur>\s?[€£₽₴]"
    rf"|\s+(?:{'|'.join(sorted(map(re.escape, _CURRENCY_FORMS), key=len, reverse=True))})"
    r"(?![\w'])"
    rf"|\s?(?:{_CODES})\b)",
)
_VAGUE_RE = re.compile(
    r"(?<![\w])(?:(?P<mult>tens|hundreds)\s+of\s+(?P<scale1>thousands|millions|billions)"
    r"|(?P<plural>dozens|scores|hundreds|thousands|millions|billions|trillions)"
    r"|(?P<several>several|a\s+few|a\s+handful\s+of|a\s+couple\s+of|many)"
    r"(?:\s+(?P<sscale>hundred|thousand|million|billion)(?![\w]))?)"
    r"(?(sscale)(?:\s+of)?|(?:\s+of)?)(?![\w])",
    re.IGNORECASE,
)
_PRONOUN_ONE_BEFORE = re.compile(
    r"(?:\b(?:no|the|this|that|which|any|every|each|some|another|anyone|someone|every|such"
    r"|little|last|big|new|old|right|wrong|other|a|its|his|her|their|our|my|your|at"
    # "the only one" is a pronoun, "changed only one word" a count
    r"|(?:the|its|his|her|their|our|my|your)\s+only)"
    r"\s+|')$",
    re.IGNORECASE,
)
_PRONOUN_ONE_AFTER = re.compile(
    r"^(?:\s+(?:of|another|by\s+one|who|that|which|thing|day|way|point|side|such)\b|'s|’s"
    r"|\s+or\s+another|\s+after\s+another)",
    re.IGNORECASE,
)
# "a one-in-four chance", "a one in five risk": "one" is the ratio's numerator, not a pronoun
_RATIO_AFTER = re.compile(r"(?:-in-|\s+in\s+|\s+out\s+of\s+)(?=\d|[a-z]+\b)", re.IGNORECASE)
_HALF_BEFORE = re.compile(
    r"\b(?:the|first|second|third|fourth|last|latter|former|other|next|this|that|its|his|her"
    r"|their|our|my|your|one|each|every)\s+$",
    re.IGNORECASE,
)
_HALF_AFTER = re.compile(r"^(?:-|\s+(?:time|way|hour|brother|sister|century|decade|past))")
_TIME_AFTER = re.compile(
    r"^\s+(?:days?|weeks?|months?|years?|decades?|hours?|minutes?|nights?|weekends?)\b"
    r"(?!\s+(?:old|of\s+age))",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")

_YEAR_MIN, _YEAR_MAX = 1800, 2100


# ------------------------------------------------------------------ atoms


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    kind: str  # "int" | "dec" | "frac" | "word"
    unit: str | None = None
    scaled: bool = False  # carries its own scale word or suffix
    mantissa: float | None = None
    bare_one: bool = False
    year_like: bool = False


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    kind: str
    value: float
    text: str
    sep: str  # separator before this token ("" for the first)


def _tokenize_run(text: str, start: int, end: int) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = start
    while pos < end:
        sep = ""
        if toks:
            m_sep = _SEP_RE.match(text, pos, end)
            if m_sep is None or m_sep.end() == pos:
                break
            sep = _WS_RE.sub(" ", m_sep.group(0).strip().lower()) or " "
            if sep.strip("-–") == "and":
                sep = "and"
            pos = m_sep.end()
        neg = ""
        if text.startswith(("-", "−"), pos) and not toks:
            neg = "-"
            pos += 1
        m = _TOKEN_RE.match(text, pos, end)
        if m is None:
            break
        tok = _classify(m, neg)
        if tok is None:
            break
        tok.start = pos - len(neg)
        tok.sep = sep
        toks.append(tok)
        pos = m.end()
    return toks


def _classify(m: re.Match[str], neg: str) -> _Tok | None:
    s = m.group(0)
    sign = -1.0 if neg else 1.0
    if m.group("frac"):
        parts = s.split()
        whole = float(parts[0]) if len(parts) == 2 else 0.0
        num_s, den_s = parts[-1].split("/")
        den = float(den_s)
        if den == 0:
            return None
        return _Tok(0, m.end(), "fracnum", sign * (whole + float(num_s) / den), s, "")
    if m.group("uf"):
        whole = float(s[:-1]) if len(s) > 1 else 0.0
        return _Tok(0, m.end(), "fracnum", sign * (whole + _UNICODE_FRACTIONS[s[-1]]), s, "")
    if m.group("dig"):
        digits = m.group("dig")
        raw = re.sub(r"[,\u00a0\u202f ]", "", digits)
        try:
            value = float(raw)
        except ValueError:
            return None
        sfx = m.group("sfx")
        kind = "dig"
        if sfx:
            value *= _SUFFIX_SCALE[sfx]
            kind = "digsfx:" + sfx
        elif "e" in raw.lower():
            kind = "digexp"
        return _Tok(0, m.end(), kind, sign * value, s, "")
    word = s.lower()
    if word in _UNITS:
        return _Tok(0, m.end(), "unit", float(_UNITS[word]), s, "")
    if word in _TEENS:
        return _Tok(0, m.end(), "teen", float(_TEENS[word]), s, "")
    if word in _TENS:
        return _Tok(0, m.end(), "tens", float(_TENS[word]), s, "")
    if word == "hundred":
        return _Tok(0, m.end(), "hundred", 100.0, s, "")
    if word in _BIG:
        return _Tok(0, m.end(), "big", _BIG[word], s, "")
    if word in _DENOM_WORDS:
        return _Tok(0, m.end(), "denom", float(_DENOM_WORDS[word]), s, "")
    if word.startswith(("doz", "dz")):
        return _Tok(0, m.end(), "dozen", 12.0, s, "")
    if word in ("a", "an"):
        return _Tok(0, m.end(), "a", 1.0, s, "")
    if word == "point":
        return _Tok(0, m.end(), "point", 0.0, s, "")
    return _Tok(0, m.end(), "neg", -1.0, s, "")


class _Group:
    """Accumulates one spoken/written number from tokens; `push` refuses what cannot join."""

    __slots__ = (
        "big_total",
        "cur",
        "decimal",
        "digits_only",
        "end",
        "frac_base",
        "has_hundred",
        "is_frac",
        "last",
        "last_big",
        "last_simple",
        "neg",
        "ntok",
        "scaled",
        "start",
        "tail",
        "words",
    )

    def __init__(self, tok: _Tok) -> None:
        self.big_total = 0.0
        self.cur = 0.0
        self.has_hundred = False
        self.is_frac = False
        self.last = ""
        self.last_big = math.inf
        self.last_simple = 0.0
        self.neg = False
        self.scaled = False
        self.start = tok.start
        self.end = tok.end
        self.ntok = 0
        self.words: list[str] = []
        self.decimal: str | None = None
        self.digits_only = True
        self.frac_base = 0.0
        self.tail: _Group | None = None

    @property
    def value(self) -> float:
        v = self.big_total + self.cur
        return -v if self.neg else v

    def _set(self, tok: _Tok) -> bool:
        self.last = tok.kind
        self.end = tok.end
        self.ntok += 1
        self.words.append(tok.text.lower())
        if not tok.kind.startswith("dig"):
            self.digits_only = False
        return True

    def push(self, tok: _Tok, nxt: _Tok | None) -> bool:
        k, v, sep, last = tok.kind, tok.value, tok.sep, self.last
        if self.decimal is not None:
            if k in ("unit", "teen", "tens") and sep in (" ", "-"):
                if k == "unit" and last == "tens" and sep in (" ", "-"):
                    self.decimal = self.decimal[:-1] + str(int(v))
                else:
                    self.decimal += str(int(v))
                self.cur = float(str(int(self.cur)) + "." + self.decimal)
                return self._set(tok)
            return False
        if sep == "and" or sep == "&":
            # "and" joins only after a scale word, or before a fractional tail ("and a half")
            frac_tail = (
                k == "a" and nxt is not None and nxt.kind == "denom" and nxt.sep in (" ", "-")
            )
            frac_tail = frac_tail or (
                k in ("unit", "teen", "tens")
                and nxt is not None
                and nxt.kind == "denom"
                and nxt.sep in (" ", "-")
            )
            if frac_tail and last not in ("", "a", "neg", "point"):
                self.frac_base = self.value
                return self._start_frac_tail(tok)
            if last not in ("hundred", "big"):
                return False
            if k not in ("unit", "teen", "tens", "dig"):
                return False
            limit = 100.0 if last == "hundred" else self.last_big
            if k == "dig" and v >= limit:
                return False
            if last == "hundred" and k in ("unit", "teen", "tens") and self.cur % 100 != 0:
                return False
        elif sep.startswith(",") and (last != "big" or k not in ("unit", "teen", "tens")):
            return False
        if last == "":
            return self._first(tok)
        if k == "unit":
            if last == "tens" and sep in (" ", "-") and self.cur % 10 == 0 and not self.is_frac:
                self.cur += v
                self.last_simple += v
                return self._set(tok)
            if last in ("hundred", "big") or (sep == "and" and last in ("hundred", "big")):
                self.cur += v
                self.last_simple = v
                return self._set(tok)
            return False
        if k in ("teen", "tens"):
            if last in ("hundred", "big"):
                self.cur += v
                self.last_simple = v
                return self._set(tok)
            return False
        if k == "dig":
            if last in ("hundred", "big") and sep in (" ", "and"):
                limit = 100.0 if last == "hundred" else self.last_big
                if v < limit and v == int(v):
                    self.cur += v
                    self.last_simple = v
                    return self._set(tok)
            return False
        if k == "hundred":
            # "one-hundred candidates" is 100 as "one hundred" is
            if sep not in (" ", "-") or self.has_hundred or self.is_frac:
                return False
            if last in ("unit", "teen", "tens", "a", "dig") and (
                self.cur - self.big_total < 100 or (last == "dig" and self.ntok == 1)
            ):
                base = self.cur if last != "a" else 1.0
                self.cur = base * 100
                self.has_hundred = True
                return self._set(tok)
            return False
        if k == "big":
            if sep != " " or v >= self.last_big:
                return False
            if last in ("unit", "teen", "tens", "a", "dig", "hundred", "denom", "dozen"):
                if last == "denom" and not self.is_frac:
                    return False
                base = 1.0 if last == "a" else self.cur
                if self.is_frac:
                    # "half a million", "two and a half million", "3 million and a half" stays
                    base = self.value if not self.neg else -self.value
                    self.big_total = 0.0
                    self.is_frac = False
                self.big_total += base * v
                self.cur = 0.0
                self.has_hundred = False
                self.last_big = v
                self.scaled = True
                return self._set(tok)
            return False
        if k == "dozen":
            if last in ("unit", "teen", "tens", "a", "dig") and sep == " ":
                if last == "a":
                    self.cur = 12.0
                else:
                    self.cur = self.cur - self.last_simple + self.last_simple * 12
                return self._set(tok)
            return False
        if k == "denom":
            if sep not in (" ", "-") or self.is_frac:
                return False
            if last == "a":
                self.cur = 1.0 / v
            elif last in ("unit", "teen", "tens", "hundred", "big", "dig"):
                if v == 2 and tok.text.lower() == "half" and self.cur != 1:
                    return False
                # "twenty three fifths" is 23/5: all that came before is the numerator
                self.cur = (self.big_total + self.cur) / v
                self.big_total = 0.0
            else:
                return False
            self.is_frac = True
            return self._set(tok)
        if k == "point":
            if (
                last in ("unit", "teen", "tens", "hundred", "big")
                and nxt is not None
                and (nxt.kind == "unit" or (nxt.kind in ("teen", "tens") and nxt.sep == " "))
            ):
                self.decimal = ""
                return self._set(tok)
            return False
        return False

    def _start_frac_tail(self, tok: _Tok) -> bool:
        # the fractional tail is parsed as its own little group and added on completion
        self.tail = _Group(tok)
        self.tail._first(tok)
        self.last = "tail"
        self.end = tok.end
        self.words.append("and")
        return True

    def _first(self, tok: _Tok) -> bool:
        k, v = tok.kind, tok.value
        if k == "neg":
            self.neg = True
            self.last = "neg"
            self.end = tok.end
            self.words.append(tok.text.lower())
            self.digits_only = False
            return True
        if k in ("unit", "teen", "tens"):
            self.cur = v
            self.last_simple = v
            return self._set(tok)
        if k.startswith("dig"):
            self.cur = v
            self.last_simple = v
            if k != "dig" and k != "digexp":
                self.scaled = True
                tok.kind = "digsfx"
            tok_kind = "dig" if k in ("dig", "digexp") else "digsfx"
            self._set(tok)
            self.last = tok_kind
            return True
        if k == "fracnum":
            self.cur = v
            self.is_frac = True
            return self._set(tok)
        if k == "a":
            self.last = "a"
            self.start = tok.start
            self.end = tok.end
            self.words.append(tok.text.lower())
            self.digits_only = False
            return True
        if k == "denom" and tok.text.lower() in ("half", "quarter"):
            self.cur = 1.0 / v
            self.is_frac = True
            return self._set(tok)
        return False


def _parse_run(text: str, start: int, end: int) -> list[_Atom]:
    toks = _tokenize_run(text, start, end)
    atoms: list[_Atom] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        grp = _Group(tok)
        if not grp._first(tok):
            i += 1
            continue
        i += 1
        while i < len(toks):
            if grp.last == "neg":
                if not grp._first(toks[i]) or grp.last == "a":
                    break
                grp.neg = True
                i += 1
                continue
            if grp.last == "tail":
                tail = grp.tail
                assert tail is not None
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if toks[i].kind == "big" and tail.is_frac and toks[i].sep == " ":
                    # "five and a half million": the scale applies to the whole
                    if toks[i].value >= grp.last_big:
                        break
                    if grp.big_total:
                        # "one billion and a half million": only the tail takes the scale
                        grp.big_total, grp.cur = grp.frac_base + tail.value * toks[i].value, 0.0
                    else:
                        base = grp.frac_base + tail.value
                        grp.big_total, grp.cur = base * toks[i].value, 0.0
                    grp.is_frac, grp.last, grp.end = False, "big", toks[i].end
                    grp.scaled = True
                    grp.last_big = toks[i].value
                    i += 1
                    continue
                if tail.push(toks[i], nxt):
                    grp.end = tail.end
                    i += 1
                    continue
                break
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if not grp.push(toks[i], nxt):
                break
            i += 1
        if grp.last == "tail" and grp.tail is not None:
            tail = grp.tail
            if not tail.is_frac:
                # "and three" without a fraction after it is not part of this number
                grp.last = "x"
                atoms.append(_finish(text, grp, grp.frac_base, False))
                continue
            total = grp.frac_base + tail.value
            if grp.cur == 0 and grp.big_total and grp.last_big != math.inf:
                # "3 million and a half" is 3.5 million
                total = grp.frac_base + tail.value * grp.last_big
            if grp.neg:
                total = -(abs(grp.frac_base) + tail.value)
            atoms.append(_finish(text, grp, total, True))
            continue
        if grp.last in ("a", "neg", "point"):
            # "a" alone is not a number; a trailing "point" is left out
            continue
        atoms.append(_finish(text, grp, grp.value, grp.is_frac))
    # a digit string too long for a float ("1" x 400, "9e999") reads as infinity: it is
    # no figure a text states, and no interval can hold it
    return [atom for atom in atoms if math.isfinite(atom.value)]


def _finish(text: str, grp: _Group, value: float, is_frac: bool) -> _Atom:
    words = grp.words
    kind = "frac" if is_frac else ("int" if math.isfinite(value) and value.is_integer() else "dec")
    if not grp.digits_only and not is_frac:
        kind = "word"
    atom = _Atom(grp.start, grp.end, value, kind, scaled=grp.scaled)
    atom.bare_one = words == ["one"]
    literal = text[grp.start : grp.end]
    atom.year_like = (
        grp.digits_only
        and len(words) == 1
        and literal.isdigit()
        and len(literal) == 4
        and _YEAR_MIN <= value <= _YEAR_MAX
    )
    if is_frac and abs(value) < 1:
        # "two and a half" is a number like 2.5, not a share of something
        atom.unit = "fraction"
    if grp.scaled and grp.big_total:
        atom.mantissa = value / grp.last_big if grp.last_big != math.inf else None
    elif grp.scaled and words and words[0][-1:].isalpha():
        m = re.match(r"[\d.,]+", words[0])
        atom.mantissa = float(m.group(0).replace(",", "")) if m else None
    return atom


# ------------------------------------------------------------------ atom filters


def _is_blocked(text: str, start: int, end: int) -> bool:
    """Whether [start, end) touches a date, time or labelled identifier.

    Only a window around the number is searched: every blocked pattern's lead-in and tail fit in
    the margins, and scanning the whole text for them would cost more than finding the numbers.
    """
    for m in _BLOCK_RE.finditer(text, max(0, start - _BLOCK_BEFORE), end + _BLOCK_AFTER):
        if m.start() < end and start < m.end():
            return True
    return False


def _candidates(text: str) -> tuple[list[int], list[int]]:
    """Start positions worth trying for number runs and for vague amounts.

    The big alternations are only tried where a number can start: digits, and the number
    words that occur in the text, found with `str.find`.  This keeps `find_numbers` near a
    millisecond per article instead of running every alternation at every position.
    """
    lowered = text.lower()
    words = set(_WORD_FIND_RE.findall(lowered))
    runs: list[int] = []
    for m in _DIGIT_CAND_RE.finditer(text):
        pos = m.start()
        if pos > 0 and text[pos - 1] in "-−.":
            runs.append(pos - 1)
        runs.append(pos)
    for word in words & _START_WORDS:
        for pos in _occurrences(lowered, word):
            runs.append(pos)
            if lowered.endswith(("a ", "an "), max(0, pos - 3), pos):
                # "a dozen", "an eighth"
                runs.append(pos - 2 if lowered[pos - 2] == "a" else pos - 3)
    vague: list[int] = []
    for word in words & _VAGUE_WORDS:
        vague.extend(_occurrences(lowered, word))
    for word in words & _VAGUE_A_WORDS:
        vague.extend(p - 2 for p in _occurrences(lowered, word) if lowered[p - 2 : p] == "a ")
    runs.sort()
    vague.sort()
    return runs, vague


def _occurrences(lowered: str, word: str) -> list[int]:
    out: list[int] = []
    n = len(word)
    pos = lowered.find(word)
    while pos >= 0:
        end = pos + n
        if (pos == 0 or not lowered[pos - 1].isalpha()) and (
            end == len(lowered) or not lowered[end].isalpha()
        ):
            out.append(pos)
        pos = lowered.find(word, end)
    return out


def _keep_atom(text: str, atom: _Atom) -> bool:
    before = text[max(0, atom.start - 2) : atom.start]
    after = text[atom.end : atom.end + 2]
    lit = text[atom.start : atom.end]
    scaled_before = text[max(0, atom.start - 3) : atom.start - 2].isdigit()  # "5k-20k"
    if lit.lstrip("-−")[:1].isdigit() and (
        before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha() and not scaled_before)
    ):
        return False  # "F-16", "MH17", "COVID-19"
    if lit[-1:].isdigit() and (after[:1].isalpha() or after[:1] == "_"):
        return False  # "180ml", "3rd", "1960s"
    if lit[-1:].isdigit() and after[:1] == "." and after[1:2].isdigit():
        return False  # version numbers and addresses
    if lit[:1].isdigit() and before[-1:] in (".", "/", ":") and before[:1].isdigit():
        return False
    if lit[-1:].isdigit() and after[:1] in ("/", ":") and after[1:2].isdigit():
        return False
    if lit.endswith("m") and lit[-2:-1].isdigit():
        # "5m" is metres (or minutes) unless money is named: "$5m", "5m euros"
        money = _CUR_PREFIX_RE.search(text, max(0, atom.start - 5), atom.start)
        suffix = _UNIT_SUFFIX_RE.match(text, atom.end)
        return money is not None or (suffix is not None and suffix.group("cur") is not None)
    return True


def find_number_atoms(text: str) -> list[NumberSpan]:
    """The bare numbers in `text`, before modifiers, ranges and units are attached.

    This is the reading of the Recognizers-Text Number model: "$20" gives "20", "10 to 20"
    gives two numbers, "one in five" and "1 over 3" give proportions.  Dates, times, years
    and identifiers are left out as in `find_numbers`.
    """
    spans = [
        _Span(a.start, a.end, a.value, a.value, unit=a.unit, point=a.value, year_like=a.year_like)
        for a in _atoms(text, _candidates(text)[0])
    ]
    return [
        NumberSpan(s.start, s.end, text[s.start : s.end], s.low, s.high, unit=s.unit)
        for s in _fraction_ratios(text, spans, ("in", "out of", "over"))
    ]


def _atoms(text: str, starts: list[int]) -> list[_Atom]:
    out: list[_Atom] = []
    done = -1
    for pos in starts:
        if pos < done:
            continue
        m = _RUN_RE.match(text, pos)
        if m is None:
            continue
        done = m.end()
        for atom in _parse_run(text, m.start(), m.end()):
            if _is_blocked(text, atom.start, atom.end):
                continue
            if not _keep_atom(text, atom):
                continue
            if (
                atom.bare_one
                and not _RATIO_AFTER.match(text, atom.end)
                and (
                    _PRONOUN_ONE_BEFORE.search(text, max(0, atom.start - 12), atom.start)
                    or _PRONOUN_ONE_AFTER.match(text[atom.end : atom.end + 20])
                )
            ):
                continue
            lit = text[atom.start : atom.end].lower()
            if lit == "half" and (
                _HALF_BEFORE.search(text, max(0, atom.start - 12), atom.start)
                or _HALF_AFTER.match(text[atom.end : atom.end + 12])
            ):
                continue
            out.append(atom)
    return out


# ------------------------------------------------------------------ spans


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    low: float | None
    high: float | None
    approximate: bool = False
    unit: str | None = None
    low_inc: bool = True
    high_inc: bool = True
    point: float | None = None  # the bare value, while no modifier has been applied
    year_like: bool = False
    atoms: int = 1
    prefixed: bool = False
    direction: str = ""  # "lower" | "upper" | "" after a one-sided bound


def _attach_units(text: str, atom: _Atom) -> _Span | None:
    start, end, unit = atom.start, atom.end, atom.unit
    cur = _CUR_PREFIX_RE.search(text, max(0, start - 5), start)
    if cur is not None and unit != "fraction":
        sym = cur.group("sym") or cur.group("code")
        unit = _CURRENCY_SYMBOLS[sym]
        start = cur.start()
    else:
        m = _UNIT_SUFFIX_RE.match(text, end)
        if m is not None:
            if m.group("pct"):
                unit = "%"
            else:
                word = _WS_RE.sub(" ", m.group("cur").strip().lower())
                unit = _CURRENCY_WORDS.get(word) or _CURRENCY_SYMBOLS.get(word.upper())
                if unit is None:
                    unit = {"€": "EUR", "£": "GBP", "₽": "RUB", "₴": "UAH"}.get(word)
            end = m.end()
    value = atom.value
    return _Span(
        start,
        end,
        value,
        value,
        unit=unit,
        point=value,
        year_like=atom.year_like and unit is None,
    )


def _vague_spans(text: str, starts: list[int]) -> list[_Span]:
    spans: list[_Span] = []
    done = -1
    for pos in starts:
        m = _VAGUE_RE.match(text, pos) if pos >= done else None
        if m is None:
            continue
        done = m.end()
        if m.group("mult"):
            mult = 10.0 if m.group("mult").lower() == "tens" else 100.0
            scale = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}[m.group("scale1").lower()]
            low, high = 2 * mult * scale, 10 * mult * scale - 1
        elif m.group("plural"):
            word = m.group("plural").lower()
            if not m.group(0).lower().endswith("of"):
                continue  # "thousands" alone is too often an idiom; need "thousands of"
            low, high = {
                "dozens": (24.0, 99.0),
                "scores": (40.0, 99.0),
                "hundreds": (200.0, 999.0),
                "thousands": (2e3, 9999.0),
                "millions": (2e6, 9999999.0),
                "billions": (2e9, 9999999999.0),
                "trillions": (2e12, 9999999999999.0),
            }[word]
        else:
            word = _WS_RE.sub(" ", m.group("several").lower())
            if word == "many":
                if not m.group("sscale"):
                    continue
                low, high = 2.0, 9.0
            else:
                low, high = {
                    "several": (3.0, 9.0),
                    "a few": (2.0, 5.0),
                    "a handful of": (2.0, 5.0),
                    "a couple of": (2.0, 3.0),
                }[word]
            if m.group("sscale"):
                scale = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}[
                    m.group("sscale").lower()
                ]
                low, high = low * scale, (high + 1) * scale - 1
        end = m.end()
        if _is_blocked(text, m.start(), end):
            continue
        unit = None
        if m.group(0).lower().endswith("of"):
            # "billions of dollars" is an amount, as "$2 billion" is
            cur = _UNIT_SUFFIX_RE.match(text, end)
            if cur is not None and cur.group("cur") and cur.group(0)[:1].isspace():
                unit = _CURRENCY_WORDS.get(_WS_RE.sub(" ", cur.group("cur").strip().lower()))
                end = cur.end() if unit is not None else end
        spans.append(
            _Span(m.start(), end, low, high, approximate=True, unit=unit, point=None, atoms=0)
        )
    return spans


def _apply_prefix(text: str, span: _Span, floor: int) -> None:
    m = _PREFIX_RE.search(text, max(floor, span.start - 48), span.start)
    if m is None:
        return
    mods = list(_MOD_RE.finditer(m.group(0)))
    if not mods or "<>" in m.group(0) or "=<" in m.group(0) or "=>" in m.group(0):
        return
    if len(mods) >= 2 and _governs_nothing(mods[0], mods[1]):
        # "talked about more than 800,000", "turned over roughly half": the first word is a
        # preposition or particle of the verb, the second says what the figure is
        mods = mods[1:]
    value = span.point
    applied = False
    for mod in mods:
        group = mod.lastgroup
        if group == "ad":
            applied = True
            continue
        if group == "ap":
            word = _WS_RE.sub(" ", mod.group(0).lower())
            if word in ("some",) and span.atoms == 0:
                continue
            if word == "upwards of":
                if value is not None:
                    span.low, span.high, span.low_inc, span.direction = value, None, False, "lower"
                span.approximate = True
            elif word in ("nearly", "almost") and value is not None:
                span.low, span.high, span.direction = value * NEARLY_FLOOR, value, "upper"
                span.approximate = True
            else:
                span.approximate = True
            applied = True
            continue
        if value is None:
            if group in ("le", "li", "ue", "ui") and span.atoms > 1:
                return
            applied = True
            continue
        if group == "le":
            word = mod.group(0).lower()
            if word.startswith("over") and _TIME_AFTER.match(text[span.end : span.end + 20]):
                continue  # "over three days" is a duration, not a bound
            if text[max(0, m.start() - 3) : m.start()].strip()[-1:].isdigit():
                continue  # "2000 over 3 years"
            span.low, span.high, span.low_inc, span.direction = value, None, False, "lower"
        elif group == "li":
            span.low, span.high, span.low_inc, span.direction = value, None, True, "lower"
        elif group == "ue":
            word = mod.group(0).lower()
            if word.startswith("under") and _TIME_AFTER.match(text[span.end : span.end + 20]):
                continue
            span.low, span.high, span.high_inc, span.direction = None, value, False, "upper"
        elif group == "ui":
            if _MOVED_UP_RE.search(text, max(0, m.start() - 24), m.start() + mod.start()):
                continue  # "ticked up to 6.1%" is where the figure went, not a bound
            span.low, span.high, span.high_inc, span.direction = None, value, True, "upper"
        elif group == "eq":
            span.low = span.high = value
        applied = True
    if applied:
        span.start = m.start() + mods[0].start()
        span.prefixed = True


_BOUND_GROUPS = frozenset({"le", "li", "ue", "ui"})
# a verb of movement before "up to": the figure is the new level ("edged up to 5.4%",
# "was revised up to 507,000"); "allows up to 40", "killed up to 12" stay bounds
_MOVED_UP_RE = re.compile(
    r"\b(?:ticked|ticks|edged|edges|inched|inches|crept|creeps|moved|moves|went|goes|shot"
    r"|jumped|jumps|revised|bumped|ratcheted|pushed|marked|nudged)\s+$",
    re.IGNORECASE,
)
_PARTICLES = frozenset({"over", "above", "under", "below"})


def _governs_nothing(first: re.Match[str], second: re.Match[str]) -> bool:
    """Whether `first`, stacked before `second`, is a word of the sentence, not a modifier:
    an approximation before a bound ("about more than") or a bare "over" before an
    approximation ("over roughly half")."""
    if first.lastgroup == "ap" and second.lastgroup in _BOUND_GROUPS:
        return _WS_RE.sub(" ", first.group(0).lower()) not in ("upwards of", "or so")
    return first.group(0).lower() in _PARTICLES and second.lastgroup == "ap"


def _apply_suffix(text: str, span: _Span, next_start: int | None) -> None:
    m = _SUFFIX_MOD_RE.match(text, span.end)
    if m is None or (span.point is None and span.low is None and span.high is None):
        return
    # "200 or greater than 190", "above 1000 and below 1500": the comparator after the number
    # opens the next number's bound, it does not close this one
    if next_start is not None and next_start - m.end() <= 48:
        nxt = _PREFIX_RE.search(text, span.end, next_start)
        if nxt is not None and nxt.start() < m.end():
            return
    if m.group("ge"):
        base = span.point if span.point is not None else span.low
        if span.direction == "upper" and span.high is not None and span.low is None:
            # "equal to 5000 or more" / "less than 5000 or more" are not bounds we model
            return
        span.low, span.high, span.low_inc, span.high_inc = base, None, True, True
        span.direction = "lower"
    elif m.group("le"):
        base = span.point if span.point is not None else span.high
        span.low, span.high, span.low_inc, span.high_inc = None, base, True, True
        span.direction = "upper"
    elif m.group("eq"):
        if span.direction == "lower":
            span.low_inc = True
        elif span.direction == "upper":
            span.high_inc = True
        else:
            return
    span.end = m.end()
    if span.unit is None:
        # "90-plus percent": the unit comes after the bound
        unit = _UNIT_SUFFIX_RE.match(text, span.end)
        if unit is not None and unit.group("pct"):
            span.unit, span.end = "%", unit.end()


def _merge_ranges(text: str, spans: list[_Span]) -> list[_Span]:
    out: list[_Span] = []
    i = 0
    while i < len(spans):
        a = spans[i]
        if i + 1 < len(spans):
            b = spans[i + 1]
            merged = _try_range(text, a, b, out[-1].end if out else 0)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _try_range(text: str, a: _Span, b: _Span, floor: int) -> _Span | None:
    if a.point is None or b.point is None or a.atoms != 1 or b.atoms != 1:
        return None
    gap = text[a.end : b.start]
    if len(gap) > 12:
        return None
    m = _RANGE_SEP_RE.match(gap)
    if m is None:
        return None
    opener = _RANGE_OPEN_RE.search(text, max(floor, a.start - 16), a.start)
    conj = (m.group("to") or "").lower()
    if conj == "and" and (opener is None or opener.group("w").lower() != "between"):
        return None
    if conj == "or" and (opener is not None or (a.unit == "%" and b.unit != "%")):
        return None
    if m.group("dash") and (a.year_like or b.year_like):
        return None
    if m.group("dash") and (
        text[a.start : b.end].count("-") > 1
        or text[a.start - 1 : a.start] == "+"
        or text[b.end : b.end + 1] in ("-", "/")
    ):
        return None  # phone numbers and codes
    low, high = a.point, b.point
    unit = b.unit or a.unit
    # "1 to 3 billion", "$1-2 million": the second number's scale carries over
    ratio = _scale_of(text, b)
    if ratio > 1 and low < high / ratio + 1e-9 and _scale_of(text, a) == 1:
        low = low * ratio
    if not low < high:
        return None
    if conj == "or" and (ratio > 1 or low != int(low) or high - low > 10):
        return None
    start = opener.start() if opener is not None else a.start
    return _Span(start, b.end, low, high, unit=unit, point=None, atoms=2)


_SCALE_WORD_RE = re.compile(
    r"(?:\s?(?:MM|mln|mil|bln|tln|mn|bn|tn|[kKmMbBT])|\s+(?:thousand|million|billion|trillion|"
    r"lakh|crore))(?:\s+(?:US\s+)?[A-Za-z]+)?\s*$",
)


def _scale_of(text: str, span: _Span) -> float:
    lit = text[span.start : span.end]
    m = re.search(
        r"(?<![A-Za-z])(?:(MM|mln|mil|bln|tln|mn|bn|tn|[kKmMbBT])"
        r"|\s(thousand|million|billion|trillion))(?![A-Za-z])",
        lit,
    )
    if m is None:
        return 1.0
    if m.group(1):
        return _SUFFIX_SCALE[m.group(1)]
    return _BIG[m.group(2).lower()]


def _merge_bound_pairs(text: str, spans: list[_Span]) -> list[_Span]:
    """ "more than 100 and less than 300" -> one interval, when the bounds face each other."""
    out: list[_Span] = []
    i = 0
    while i < len(spans):
        a = spans[i]
        if i + 1 < len(spans):
            b = spans[i + 1]
            dirs = {a.direction, b.direction}
            if dirs == {"lower", "upper"} and _PAIR_SEP_RE.match(text[a.end : b.start]):
                lo, hi = (a, b) if a.direction == "lower" else (b, a)
                if lo.low is not None and hi.high is not None and lo.low < hi.high:
                    out.append(
                        _Span(
                            a.start,
                            b.end,
                            lo.low,
                            hi.high,
                            approximate=a.approximate or b.approximate,
                            unit=a.unit or b.unit,
                            low_inc=lo.low_inc,
                            high_inc=hi.high_inc,
                            point=None,
                            atoms=2,
                            prefixed=True,
                        )
                    )
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _fraction_ratios(
    text: str, spans: list[_Span], links: tuple[str, ...] = ("in", "out of")
) -> list[_Span]:
    """ "one in five", "2 out of 5" -> a proportion, when the first is the smaller."""
    out: list[_Span] = []
    i = 0
    while i < len(spans):
        a = spans[i]
        if i + 1 < len(spans):
            b = spans[i + 1]
            gap = text[a.end : b.start].lower()
            link = gap.strip()
            # "a one-in-four chance": the hyphenated ratio
            hyphened = len(link) > 2 and link[0] == link[-1] == "-"
            if hyphened:
                link = link[1:-1]
            if (
                link in links
                and not _TIME_AFTER.match(text[b.end : b.end + 20])
                and (gap.startswith(" ") or hyphened)
                and a.point is not None
                and b.point is not None
                and a.unit is None
                and b.unit is None
                and not b.year_like
                and 0 < a.point < b.point
            ):
                value = a.point / b.point
                out.append(
                    _Span(a.start, b.end, value, value, unit="fraction", point=value, atoms=1)
                )
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def find_numbers(text: str) -> list[NumberSpan]:
    """All quantity phrases in `text`, non-overlapping, in order of position."""
    run_starts, vague_starts = _candidates(text)
    vague = _vague_spans(text, vague_starts)
    # vague spans are sorted and disjoint: only the last one starting before an atom's
    # end can overlap it, so one bisection per atom instead of a scan of them all
    vague_starts_at = [v.start for v in vague]
    spans: list[_Span] = []
    for atom in _atoms(text, run_starts):
        k = bisect_left(vague_starts_at, atom.end) - 1
        if k >= 0 and vague[k].end > atom.start:
            continue
        span = _attach_units(text, atom)
        if span is not None:
            spans.append(span)
    spans = _fraction_ratios(text, spans)
    spans = _merge_ranges(text, spans)
    spans.extend(vague)
    spans.sort(key=lambda s: s.start)
    floor = 0
    for idx, span in enumerate(spans):
        _apply_prefix(text, span, floor)
        nxt = spans[idx + 1].start if idx + 1 < len(spans) else None
        _apply_suffix(text, span, nxt)
        floor = span.end
    spans = _merge_bound_pairs(text, spans)
    result: list[NumberSpan] = []
    last_end = -1
    for s in spans:
        if s.year_like and not s.prefixed and s.low == s.high:
            continue
        if s.start < last_end:
            continue
        last_end = s.end
        result.append(
            NumberSpan(
                s.start,
                s.end,
                text[s.start : s.end],
                s.low,
                s.high,
                approximate=s.approximate,
                unit=s.unit,
                low_inclusive=s.low_inc,
                high_inclusive=s.high_inc,
            )
        )
    return result


# ------------------------------------------------------------------ what is counted

_CASUALTY_VERBS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\b(?:killed\s+or\s+(?:wounded|injured)|casualties|dead\s+or\s+wounded)\b"),
        "killed or wounded",
    ),
    (
        re.compile(
            r"\b(?:died|dead|deaths?|killed|kill|killing|fatalities|perished|slain|lost\s+their"
            r"\s+lives|death\s+toll|toll)\b"
        ),
        "killed",
    ),
    (re.compile(r"\b(?:injured|wounded|hurt|injuries|injuring|wounding)\b"), "injured"),
    (
        re.compile(
            r"\b(?:arrested|detained|arrests|detentions|detainees|in\s+custody|rounded\s+up)"
            r"\b"
        ),
        "arrested",
    ),
    (re.compile(r"\b(?:displaced|fled|refugees|homeless|uprooted)\b"), "displaced"),
    (re.compile(r"\b(?:evacuated|evacuees|evacuation)\b"), "evacuated"),
    (re.compile(r"\b(?:missing|unaccounted\s+for)\b"), "missing"),
]
_TROOP_NOUNS = re.compile(
    r"^(?:troops|soldiers|servicemen|servicemembers|personnel|fighters|marines|sailors|"
    r"paratroopers|mercenaries|reservists|conscripts|recruits|forces|service\s+members)$"
)
_PEOPLE_NOUNS = re.compile(
    r"^(?:people|persons|civilians|residents|children|adults|women|men|villagers|citizens|"
    r"inhabitants|individuals|migrants|workers|passengers|pilgrims|students|patients)$"
)
_HEAD_STOP = re.compile(
    r"^(?:had|have|has|were|was|are|is|be|been|being|will|would|could|should|may|might|must|"
    r"said|say|says|from|to|in|of|at|on|and|or|but|by|for|with|as|that|which|who|than|while|"
    r"since|after|before|during|into|across|near|including|according|the|a|an|this|these|"
    r"those|it|its|their|his|her|each|per|so|if|when|where|because|last|this|next|ago|"
    r"earlier|later|more|less|over|under|about|around|nearly|almost|still|also|already|"
    r"reportedly|allegedly|now|then|not|deployed|sent|killed|died|injured|wounded|arrested|"
    r"detained|missing|evacuated|displaced|dead)$"
)
# irregular past tenses that follow a counted noun in news ("an earthquake struck")
_PAST_VERBS = frozenset(
    {
        *("struck", "hit", "shook", "stood", "rose", "fell", "left", "took", "came", "went"),
        *("began", "saw", "told", "gave", "found", "held", "met", "brought", "kept"),
        *("spread", "swept", "tore", "broke", "sank", "burst", "ran", "fled", "stayed"),
        *("fought", "won", "lost", "paid", "sold", "spoke", "wrote", "grew", "drew", "flew"),
    }
)
# words between "of" and the counted noun: "five of the dead", "a quarter of a century"
_OF_DETERMINERS = frozenset({"the", "them", "those", "these", "a", "an"})
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|[,;:()\"“”]")
# "the death toll from the quake rose to 14": the toll names the kind, the verb moves it
_DEATH_TOLL_RE = re.compile(
    r"\b(?:death|casualty)\s+toll\b(?:\s+(?:from|in|of|after)\s+(?:[^,;.]|(?<=\d)\.(?=\d)){1,50}?)?\s+"
    r"(?:has\s+|had\s+)?(?:rose|risen|climbed|jumped|increased|stood|reached|was|is|hit)"
    r"(?:\s+(?:to|at))?\s*$",
    re.IGNORECASE,
)
# an earthquake's size: "magnitude 6.2", "a magnitude of 5.4", "put the magnitude at 5.9",
# "a 7.1-magnitude quake"
_MAGNITUDE_BEFORE_RE = re.compile(r"\bmagnitude(?:\s+(?:of|at|was|is))?\s*$", re.IGNORECASE)
# "its licensed capacity of 50", "a death toll of 11": the noun before "of" is the kind
_NOUN_OF_RE = re.compile(r"\b(capacity|toll)\s+of\s*$", re.IGNORECASE)
_NOUN_OF_KIND = {"capacity": "capacity", "toll": "killed"}
# one whitespace quantifier before the dash: "\s*-?\s*" backtracked over a long run of
# spaces after a figure, quadratic in its length
_MAGNITUDE_AFTER_RE = re.compile(r"\s*(?:-\s*)?magnitude\b", re.IGNORECASE)
_SHOCK_RE = re.compile(r"\b(aftershock|(?:earth)?quake|tremor|temblor)s?\b", re.IGNORECASE)


_Shock = tuple[int, int, str]  # start, end, "aftershock" | "quake"


def _shocks(text: str) -> list[_Shock]:
    return [
        (m.start(), m.end(), "aftershock" if m.group(1).lower() == "aftershock" else "quake")
        for m in _SHOCK_RE.finditer(text)
    ]


def _nearest_shock(shocks: Sequence[_Shock], span: NumberSpan) -> str | None:
    """ "aftershock" or "quake": whichever the sentence names closest to the figure."""
    best: tuple[int, str] | None = None
    for start, end, word in shocks:
        distance = start - span.end if start >= span.end else span.start - end
        if best is None or distance < best[0]:
            best = (distance, word)
    return None if best is None else best[1]


_NUMBER_OF_RE = re.compile(
    r"\b(?:number|count|toll|tally|total|estimate|figure)\s+of\s+(?P<what>[^,;.]{1,60}?)"
    r"\s+(?:at|to|as|was|is|stood\s+at|rose\s+to|reached)\s*$",
    re.IGNORECASE,
)
_DEPLOY_RE = re.compile(
    r"\b(?:deployed|sent|dispatched|stationed|send|deploy|deploying|"
    r"sending|fighting|fought|serving)\b"
)


def _noun_chunk(words: list[str]) -> list[str]:
    chunk: list[str] = []
    for w in words[:5]:
        lower = w.lower()
        if not w[:1].isalpha() or _HEAD_STOP.match(lower):
            break
        # a verb after the noun ends the phrase: "workers stayed away", "quake struck";
        # a first word in -ed is an adjective ("armed men")
        if chunk and (lower.endswith("ed") or lower in _PAST_VERBS):
            break
        chunk.append(w)
    return chunk


def _kind_from_words(counted: str | None, head: str | None, context: str) -> str | None:
    for pattern, label in _CASUALTY_VERBS:
        if pattern.search(context):
            return label
    if head is not None:
        h = head.lower()
        for pattern, label in _CASUALTY_VERBS:
            if pattern.fullmatch(h):
                return label
        if _TROOP_NOUNS.match(h):
            return "troops"
        if _PEOPLE_NOUNS.match(h):
            return "people"
        return h
    return None


def noun_kind(noun: str) -> str:
    """The kind a counted noun gives on its own: "soldiers" -> troops, "residents" ->
    people, "deaths" -> killed, any other noun itself ("hectares")."""
    return _kind_from_words(None, noun, "") or noun.lower()


def _own_kind(
    text: str, span: NumberSpan, shocks: Sequence[_Shock] | None = None
) -> tuple[str | None, str | None]:
    if span.unit == "%":
        return "percent", None
    if span.unit is not None and span.unit not in ("fraction",):
        return "money", None
    after_words = _WORD_RE.findall(text[span.end : span.end + 160])
    if after_words[:1] == ["of"] or (after_words[:2] and after_words[0] in ("of",)):
        after_words = after_words[1:]
        if after_words[:1] and after_words[0].lower() in _OF_DETERMINERS:
            after_words = after_words[1:]
    chunk = _noun_chunk(after_words)
    counted = " ".join(chunk) if chunk else None
    head = chunk[-1] if chunk else None
    # context: the verbs right after the noun phrase, up to the next clause break or number
    rest = after_words[len(chunk) : len(chunk) + 7]
    ctx_words: list[str] = []
    for w in rest:
        if w in (",", ";", ":") or w.lower() in ("and", "but", "while", "although"):
            break
        ctx_words.append(w.lower())
    after_ctx = " ".join(ctx_words)
    before = text[max(0, span.start - 80) : span.start]
    if _DEATH_TOLL_RE.search(before):
        return "killed", counted
    noun_of = _NOUN_OF_RE.search(before)
    if noun_of is not None:
        return _NOUN_OF_KIND[noun_of.group(1).lower()], counted
    if _MAGNITUDE_BEFORE_RE.search(before) or _MAGNITUDE_AFTER_RE.match(text, span.end):
        # an aftershock's magnitude is not the quake's: it must never conflict with it
        found = _shocks(text) if shocks is None else shocks
        if _nearest_shock(found, span) == "aftershock":
            return "aftershock magnitude", "aftershock"
        return "magnitude", "magnitude"
    m = _NUMBER_OF_RE.search(before)
    if m is not None and counted is None:
        what = m.group("what").split()
        kind = _kind_from_words(None, None, m.group("what").lower())
        nouns = [w for w in what if w[:1].isupper()] or what[-1:]
        counted = " ".join(nouns) if nouns else None
        if kind is not None:
            return kind, counted
        return (what[-1].lower() if what else None), counted
    before_words = [w.lower() for w in _WORD_RE.findall(before)][-3:]
    if before_words and before_words[-1] in (",", ";"):
        before_words = []
    before_ctx = " ".join(before_words)
    if head is None and not after_ctx and not before_ctx:
        return None, None
    kind = _kind_from_words(counted, head, after_ctx)
    # a casualty verb before the figure says what happened to whom the noun names:
    # "captured or killed several North Korean soldiers" counts the killed, not troops
    verb_kind = (
        None
        if before_words and before_words[-1] in GOVERNING_PREPOSITIONS
        else _kind_from_words(None, None, before_ctx)
    )
    by_verb = verb_kind is not None and (
        kind is None or kind in ("troops", "people") or (head is not None and kind == head.lower())
    )
    if by_verb:
        kind = verb_kind
    # soldiers are "troops" unless a casualty word said what happened to them
    if (
        not by_verb
        and head is not None
        and _TROOP_NOUNS.match(head.lower())
        and kind is not None
        and (kind in (head.lower(), "troops") or _DEPLOY_RE.search(after_ctx))
    ):
        kind = "troops"
    return kind, counted


def quantity_kind(text: str, span: NumberSpan) -> tuple[str | None, str | None]:
    """What `span` counts, as (kind, counted), read from the words around it in `text`.

    `kind` is a casualty/event label ("killed", "injured", "killed or wounded", "arrested",
    "displaced", "evacuated", "missing") when a verb or noun next to the figure says so,
    "troops" for soldiers and troops otherwise, "people" for people nouns, "money" and
    "percent" from the unit, else the head noun that follows the figure.  `counted` is the
    noun phrase right after the figure ("North Korean soldiers").

    Inheritance rule: a figure with no noun of its own ("and 2,700 had been injured", "U.S.
    estimates were lower at around 1,200") takes `counted` from the nearest earlier figure in
    the same text, and also its `kind` when it has no verb of its own either.

    For every figure of a text at once, `quantity_kinds` does the same in one pass.
    """
    earlier = [s for s in find_numbers(text[: span.start]) if s.end <= span.start]
    return quantity_kinds(text, [*earlier, span])[-1]


def quantity_kinds(text: str, spans: Sequence[NumberSpan]) -> list[tuple[str | None, str | None]]:
    """`quantity_kind` of each of `spans`, the figures of `text` in order (as `find_numbers`
    gives them): each figure inherits from the nearest earlier one of `spans`.

    One pass, each figure's own reading done once: a sentence of hundreds of figures
    ("1, 2, 3, ... and 500 people") chains every figure back to the first, which read
    figure by figure (a parse of the text before it, then of the text before that ...)
    costs the cube of their number.
    """
    shocks = _shocks(text) if _MAGNITUDE_GATE in text.lower() else []
    out: list[tuple[str | None, str | None]] = []
    # per unit, indices of the figures read so far: the inheritance source is the last
    # one of the figure's unit (a fraction may also inherit from a bare count)
    by_unit: dict[str | None, list[int]] = {}
    for i, span in enumerate(spans):
        if span.kind is not None:
            # a tally side, a duration, a share: its form said what it is, and a bare
            # figure after it is no more of the same
            out.append((span.kind, span.counted))
            continue
        kind, counted = _own_kind(text, span, shocks)
        result = (kind, counted)
        if counted is None and kind not in ("money", "percent"):
            j = _earlier(spans, by_unit.get(span.unit, []), span.start)
            if span.unit == "fraction":
                j = max(j, _earlier(spans, by_unit.get(None, []), span.start))
            if j >= 0:
                prev_kind, prev_counted = out[j]
                # "the toll from the magnitude 6.2 quake stood at 17": a magnitude counts
                # nothing
                if not (prev_kind == "magnitude" and kind is not None):
                    result = (kind or prev_kind, prev_counted)
        out.append(result)
        by_unit.setdefault(span.unit, []).append(i)
    return out


_MAGNITUDE_GATE = "magnitude"


def _earlier(spans: Sequence[NumberSpan], indices: list[int], start: int) -> int:
    """The last of `indices` whose figure ends by `start`, -1 if none (figures in order)."""
    for j in reversed(indices):
        if spans[j].end <= start:
            return j
    return -1


# ------------------------------------------------------------------ figures a claim states
#
# `find_numbers` reads number phrases as a number model does (Recognizers-Text, quantulum3
# score it). A claim's figures are read from those with what the phrase's form adds, rule
# by rule (examples beside each):
#
# - TALLY: two whole numbers joined by "-", "to" or "votes to", after a vote word or before
#   one, are the two sides of a vote, "votes for" then "votes against", each its own figure
#   over its own digits: "voted 97-1", "a 97-1 vote", "passed 234-193", "the final tally was
#   97-1", "by a vote of 51 to 49", "by 45-55" (not a range), "a 5-4 decision". A game's
#   score is read the same way, "score for" then "score against" ("won 3-1", "a 2-0
#   victory"). A date is neither ("after 9-11").
# - DURATION: a figure followed by a time unit is a length of time in days (week 7, month
#   30, year 365, decade 3650; unit "days"), or in hours (unit "hours"): "40 days", "six
#   weeks", "a two-year investigation", "two-and-a-half months", "three more years", "40-
#   to 60-hour". Its kind is the noun the duration is of, "investigation" ("a two-year
#   investigation", "four days of hearings"), else "duration". "over"/"under" before it
#   bound it when a verb or preposition of length comes first ("for over 20 years"); alone
#   they say during ("talks over three days"). Also: "more than a month", "for a decade"
#   (one unit under a bound or after "for"), "decades" (vague, 20 years and up), and a
#   running day count "the 14th day of the shutdown" (14 days; "first" is left out: "the
#   first day of school" counts nothing).
# - SHARE: a proportion ("two-thirds", "one-in-four", "3 in 4", "half") is a percentage,
#   unit "%", kind "percent", value x 100 rounded to 2 places (two-thirds 66.67), so that it
#   lines up with "67 percent"; `counted` keeps what it is a share of.
# - TIMES: "twice" 2, "thrice" 3, "a two-fold rise" 2, kind "times".
# - VOTE SIDE: "52 in favor and 47 against": "votes for", "votes against".
# - VAGUE: "dozens of", "several", "hundreds of thousands of" keep their low end and are
#   open above (see _VAGUE_OPEN_RE); "a few" stays closed.
# - COMPOUND: "a seven-count indictment", "a 35-word oath", "a 225-page report": the word
#   after the hyphen is what is counted (kind "count", "word", "page").
# - NOT A FIGURE (dropped): ages ("a 26-year-old man", "aged 45", "Smith, 45, of Ohio"),
#   event names written as numbers ("9/11", "24/7", "the 9-11 attacks"), street numbers
#   ("1600 Pennsylvania Avenue"), "in one case", "a one-time payment", and a definite
#   article before a spelled small number naming a set already known ("the two countries",
#   "the two sides"). Calendar years, dates and ordinals never become numbers at all.

_TALLY_GAP_RE = re.compile(r"\s*[-–]\s*|\s+to\s+|\s+votes?\s+to\s+", re.IGNORECASE)
_TALLY_RANGE_RE = re.compile(r"(\d[\d,]*)(\s*[-–]\s*|\s+to\s+)(\d[\d,]*)", re.IGNORECASE)
# a vote word in the same clause before the tally: "The Senate voted 97-1", "passed the
# House 234-193", "the final tally was 97-1", "by a vote of 51 to 49"
_TALLY_BEFORE_RE = re.compile(
    r"\b(?:vot(?:e|es|ed|ing)|tally|margin|pass(?:ed|es)?|approv(?:e|ed|es)|reject(?:ed|s)?|"
    r"defeat(?:ed|s)?|adopt(?:ed|s)?|confirm(?:ed|s)?|clear(?:ed|s)|fail(?:ed|s)?|"
    r"ratif(?:ied|ies)|overr(?:ode|ide|idden)|sustain(?:ed|s)?|split|ruled|backed|"
    r"endorsed|elected|acquitted|convicted)\b",
    re.IGNORECASE,
)
# a vote word right after it: "a 97-1 vote", "a 5-4 decision", "a 60-40 majority"
_TALLY_AFTER_RE = re.compile(
    r"\s*(?:-\s*)?(?:votes?|margin|tally|decision|ruling|verdict|majority|split)\b",
    re.IGNORECASE,
)
# what may follow a tally read from the words before it: the clause goes on, or ends;
# a noun ("voted 40 to 60 amendments") means the pair counted something else
_TALLY_END_RE = re.compile(
    r"\s*(?:[,.;:)!?\"”’—–]|$)|\s+(?:on|in|to|with|after|before|as|and|but|or|for|against|"
    r"at|by|margin|vote|votes|decision|ruling|majority|tally|split|that|which|when|while|"
    r"earlier|last|this|yesterday|today|tonight|late|early|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"\d+)\b",
    re.IGNORECASE,
)
_TALLY_WINDOW = 60
_TALLY_KINDS = ("votes for", "votes against")
# a game's score has two sides as a vote does: "won 3-1", "a 2-0 victory"; the first side
# is the one the sentence is about
_SCORE_KINDS = ("score for", "score against")
_SCORE_AFTER_RE = re.compile(
    r"\s*(?:-\s*)?(?:win|wins|victory|loss|defeat|lead|rout|draw|tie|score|scoreline)\b",
    re.IGNORECASE,
)
_SCORE_BEFORE_RE = re.compile(
    r"\b(?:won|win|wins|beat|beats|beating|lost|loses|losing|drew|trailed|trailing|led|"
    r"leads|leading)\b",
    re.IGNORECASE,
)
# one side of a vote named after it: "52 in favor and 47 against"
_VOTE_SIDE_RE = re.compile(
    r"\s+(?:votes?\s+)?(?:(?P<yes>in\s+favou?r)|(?P<no>against|opposed))\b", re.IGNORECASE
)

_DAY_FACTORS = DAYS_PER_UNIT
_DURATION_UNIT_RE = re.compile(
    r"(?P<sep>\s*[-–]\s*|\s+)"
    r"(?:(?P<extra>more|additional|extra|straight|consecutive|full|long|whole|further|"
    r"successive)\s+)?"
    r"(?P<unit>days?|weeks?|fortnights?|months?|years?|decades?|century|centuries|hours?)"
    r"(?![\w])",
    re.IGNORECASE,
)
# "over three days" is during them, "for over 20 years" more than them: the word before
# "over"/"under" says which
_LENGTH_WORDS = (
    r"\b(?:for|with|after|in|of|than|spent|served|serving|lasted|lasting|lasts|took|taking|"
    r"takes|been|within|by|at)\s+"
)
_LENGTH_BOUND_RE = re.compile(
    _LENGTH_WORDS + r"(?:just\s+|well\s+|slightly\s+)?(?P<w>over|under)\s+$", re.IGNORECASE
)
_LENGTH_WORD_BEFORE_RE = re.compile(_LENGTH_WORDS + "$", re.IGNORECASE)
# "more than a month": the bound and article before a unit word (found with `str.find`:
# scanning the text with this alternation at every position cost more than all else)
_A_DURATION_RE = re.compile(
    r"(?<![\w])(?P<mod>more\s+than|less\s+than|at\s+least|at\s+most|up\s+to|nearly|almost|"
    r"about|around|roughly|(?:just\s+)?(?:over|under)|for|lasted|lasting)\s+(?P<a>a|an|one)\s+$",
    re.IGNORECASE,
)
_UNIT_WORDS = ("day", "week", "fortnight", "month", "year", "decade", "century", "hour")
_BEFORE_UNIT = 48
# "a year and a half", "two years and a half"
_AND_A_HALF_RE = re.compile(r"\s+and\s+(?:a\s+)?half\b", re.IGNORECASE)
_DECADES_RE = re.compile(r"(?<![\w-])decades\b(?!\s*-?\s*old)", re.IGNORECASE)
_ORDINAL_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "hundredth": 100,
}
# "the 14th day", "its second straight day": what comes before "day"
_DAY_COUNT_RE = re.compile(
    r"\b(?:the|its|their|his|her|a|this|our)\s+"
    r"(?P<ord>(?P<num>\d{1,4})(?:st|nd|rd|th)|(?P<word>"
    + "|".join(_ORDINAL_WORDS)
    + r"))\s+(?:(?:straight|consecutive|full)\s+)?$",
    re.IGNORECASE,
)
_TIMES_RE = re.compile(r"(?<![\w-])(?P<w>twice|thrice)(?![\w-])", re.IGNORECASE)
_AGE_AFTER_RE = re.compile(
    r"\s*[-–]?\s*(?:years?|months?|weeks?|days?)\s*[-–]?\s*olds?\b|\s+years?\s+of\s+age\b",
    re.IGNORECASE,
)
_AGE_BEFORE_RE = re.compile(r"\b(?:aged|ages|age)\s+$", re.IGNORECASE)
# "Smith, 45, was charged", "said welder Tomasz Nowak, 52.": an age set off after the name
_NAME_AGE_BEFORE_RE = re.compile(r"[A-Z][\w'’.-]*[a-z],\s$")
_NAME_AGE_AFTER_RE = re.compile(r",\s+(?!and\b)(?:[a-z]|who\b)|\.(?:\s|$)")
_STREET_AFTER_RE = re.compile(
    r"\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Avenue|Ave|Street|St|Road|Rd|Boulevard|Blvd|Drive|Dr|"
    r"Lane|Place|Court|Way|Parkway|Terrace|Square)\b"
)
# "9/11", "24/7", "the 9-11 attacks": numbers that name an event or a habit
_SLASH_NAME_RE = re.compile(r"(\d{1,2})/(\d{1,2})")
_SHARE_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 100})
_EVENT_NOUN_AFTER_RE = re.compile(
    r"\s+(?:attacks?|hijack\w*|terror\w*|commission|anniversary|memorial|responders?|era|"
    r"museum|bombings?)\b",
    re.IGNORECASE,
)
# VAGUE: a plural of a scale word says how small a figure is, not how large ("dozens" of
# protesters may be 150), so a claim's vague amount is open above: "dozens of" 24 and up,
# "several" 3 and up. "a few", "a couple of", "a handful of" stay closed: they say small.
_VAGUE_OPEN_RE = re.compile(
    r"\b(?:several|many|dozens|scores|tens|hundreds|thousands|millions|billions|trillions)\b",
    re.IGNORECASE,
)
_DAY_NAME_RE = re.compile(r"(?:[1-9]|1[0-2])[-–](?:[1-9]|[12]\d|3[01])")
_PLURAL_AFTER_RE = re.compile(r"\s*[-–]?\s*[A-Za-z]+s\b")
_EVENT_BEFORE_RE = re.compile(r"\b(?:since|after|before|post|pre)[\s-]+$", re.IGNORECASE)
_UNIT_AND_BEFORE_RE = re.compile(
    r"\b(?:minute|hour|day|week|month|year|decade)s?\s+and\s+$", re.IGNORECASE
)
_IN_ONE_CASE_RE = re.compile(r"\s+(?:case|instance|example|sense|respect)\b", re.IGNORECASE)
_KNOWN_SET_BEFORE_RE = re.compile(r"\b(?:the|these|those)\s+$", re.IGNORECASE)
_KNOWN_SET_NOUNS = frozenset(
    {
        *("countries", "nations", "sides", "parties", "men", "women", "leaders"),
        *("governments", "chambers", "companies", "candidates", "houses", "allies"),
        *("groups", "teams", "camps", "firms", "brothers", "sisters", "agencies"),
        *("powers", "neighbors", "neighbours", "rivals", "presidents", "justices"),
        *("cities", "families", "couples", "sites", "states", "senators", "lawmakers"),
    }
)
_SMALL_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
_HYPHEN_WORD_RE = re.compile(r"[-–]([A-Za-z]{3,})\b")
# "a one-time payment", "a two-way street": a number inside an adjective
_ONE_IDIOMS = frozenset({"time", "sided", "off", "stop", "size", "liner", "liners"})
_NOT_COUNTED_COMPOUNDS = frozenset({"plus", "old", "and", "magnitude", "percent"})
_BIG_WORDS = frozenset({*_BIG, "hundred"})


def find_figures(text: str) -> list[NumberSpan]:
    """The figures a claim states, as the claims stage reads them: `find_numbers` with the
    rules above (tallies, durations, shares, multiplicatives, compounds, non-figures), in
    order of position and non-overlapping."""
    spans = find_numbers(text)
    out: list[NumberSpan] = []
    i = 0
    floor = 0
    while i < len(spans):
        span = spans[i]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        i += 1
        if out and span.start < out[-1].end:
            continue  # "two years and a half": the half went into the duration
        if not _is_figure(text, span):
            floor = span.end
            continue
        tally = _tally(text, span, nxt, floor)
        if tally is not None:
            out.extend(tally)
            i += 0 if _TALLY_RANGE_RE.fullmatch(span.text) else 1
            floor = out[-1].end
            continue
        floor = span.end
        out.append(_reshape(text, span))
    extra = _extra_figures(text)
    if extra:
        out = _merge_disjoint(out, extra)
    return out


def _plain_integer(span: NumberSpan) -> bool:
    return (
        span.unit is None
        and not span.approximate
        and span.low is not None
        and span.low == span.high
        and span.low == int(span.low)
        and span.text.replace(",", "").isdigit()
    )


def _tally(
    text: str, span: NumberSpan, nxt: NumberSpan | None, floor: int
) -> list[NumberSpan] | None:
    """The two sides of a vote, when `span` (and `nxt`) are one (see TALLY)."""
    sides: tuple[tuple[int, int], tuple[int, int]] | None = None
    joined = _TALLY_RANGE_RE.fullmatch(span.text)
    if joined is not None and not span.approximate and span.unit is None:
        # "by a vote of 45-55": read as a range, but a tally
        sides = (
            (span.start + joined.start(1), span.start + joined.end(1)),
            (span.start + joined.start(3), span.start + joined.end(3)),
        )
        end = span.end
    elif (
        nxt is not None
        and _plain_integer(span)
        and _plain_integer(nxt)
        and _TALLY_GAP_RE.fullmatch(text, span.end, nxt.start)
    ):
        sides = ((span.start, span.end), (nxt.start, nxt.end))
        end = nxt.end
    if sides is None:
        return None
    (a0, a1), (b0, b1) = sides
    if len(text[a0:a1].replace(",", "")) == 4 and len(text[b0:b1].replace(",", "")) == 4:
        return None  # "2014-2016"
    if _EVENT_BEFORE_RE.search(text, max(0, a0 - 10), a0):
        return None  # "voted after 9-11 to ...": a date, not a tally
    kinds = _tally_kinds(text, a0, end, floor)
    if kinds is None:
        return None
    return [
        NumberSpan(s0, s1, text[s0:s1], value, value, kind=kind)
        for (s0, s1), kind in zip(sides, kinds, strict=True)
        for value in [float(text[s0:s1].replace(",", ""))]
    ]


def _tally_kinds(text: str, start: int, end: int, floor: int) -> tuple[str, str] | None:
    """Votes or a score, from the word after the pair or one before it in its clause."""
    if _TALLY_AFTER_RE.match(text, end):
        return _TALLY_KINDS
    if _SCORE_AFTER_RE.match(text, end):
        return _SCORE_KINDS
    if not _TALLY_END_RE.match(text, end):
        return None
    clause = re.split(r"[.;!?]", text[max(floor, start - _TALLY_WINDOW) : start])[-1]
    if _TALLY_BEFORE_RE.search(clause):
        return _TALLY_KINDS
    if _SCORE_BEFORE_RE.search(clause):
        return _SCORE_KINDS
    return None


def _is_figure(text: str, span: NumberSpan) -> bool:
    """False for numbers that are no figure to cross-check (see NOT A FIGURE)."""
    after = text[span.end : span.end + 40]
    before = text[max(0, span.start - 40) : span.start]
    if _AGE_AFTER_RE.match(after) or (_plain_integer(span) and _AGE_BEFORE_RE.search(before)):
        return False
    slash = _SLASH_NAME_RE.fullmatch(span.text)
    if slash is not None:
        num, den = int(slash.group(1)), int(slash.group(2))
        if num >= den or den not in _SHARE_DENOMINATORS:
            return False
    if _DAY_NAME_RE.fullmatch(span.text) and (
        _EVENT_NOUN_AFTER_RE.match(after)
        # "after 9-11," is the day; "after 2-3 weeks" counts what follows
        or (_EVENT_BEFORE_RE.search(before) and not _PLURAL_AFTER_RE.match(after))
    ):
        return False
    if _plain_integer(span) and span.text.isdigit():
        if _STREET_AFTER_RE.match(after):
            return False
        if (
            span.low is not None
            and span.low < 120
            and _NAME_AGE_BEFORE_RE.search(before)
            and _NAME_AGE_AFTER_RE.match(after)
        ):
            return False
    if span.unit == "fraction" and _UNIT_AND_BEFORE_RE.search(before):
        return False  # "the first hour and a half": part of a length of time, not a share
    word = span.text.lower()
    if word == "one" and before.lower().endswith("in ") and _IN_ONE_CASE_RE.match(after):
        return False
    compound = _HYPHEN_WORD_RE.match(after)
    if compound is not None:
        idiom = compound.group(1).lower()
        if idiom == "way" or (word == "one" and idiom in _ONE_IDIOMS):
            return False
    if word in _SMALL_WORDS and _KNOWN_SET_BEFORE_RE.search(before):
        noun = re.match(r"\s+([a-z]+)", after)
        if noun is not None and noun.group(1) in _KNOWN_SET_NOUNS:
            return False
    return True


def _reshape(text: str, span: NumberSpan) -> NumberSpan:
    """`span` as a claim's figure: a duration, a share or a compound count (see above)."""
    if span.unit == "fraction":
        counted = _own_kind(text, span)[1]
        return replace(
            span,
            low=_percent(span.low),
            high=_percent(span.high),
            unit="%",
            kind="percent",
            counted=counted,
        )
    if _VAGUE_OPEN_RE.search(span.text) and not any(c.isdigit() for c in span.text):
        span = replace(span, high=None)
    if span.unit is not None or (span.low is None and span.high is None):
        return span
    duration = _DURATION_UNIT_RE.match(text, span.end)
    if duration is not None and not (duration.group("extra") and "-" in duration.group("sep")):
        return _as_duration(text, span, duration)
    side = _VOTE_SIDE_RE.match(text, span.end)
    if side is not None and _plain_integer(span):
        return replace(span, kind=_TALLY_KINDS[0] if side.group("yes") else _TALLY_KINDS[1])
    compound = _HYPHEN_WORD_RE.match(text, span.end)
    if compound is not None:
        word = compound.group(1).lower()
        if word == "fold":
            return replace(span, kind="times")
        if (
            word not in _NOT_COUNTED_COMPOUNDS
            and word not in _DENOM_WORDS
            and word not in _BIG_WORDS
        ):
            return replace(span, kind=word, counted=_own_kind(text, span)[1] or word)
    return span


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _as_duration(text: str, span: NumberSpan, m: re.Match[str]) -> NumberSpan:
    unit_word = m.group("unit").lower()
    hours = unit_word.startswith("hour")
    base = unit_word[:-1] if unit_word.endswith("s") and unit_word != "centuries" else unit_word
    factor = 1 if hours else _DAY_FACTORS["century" if base.startswith("centur") else base]
    low = None if span.low is None else span.low * factor
    high = None if span.high is None else span.high * factor
    end = m.end()
    half = _AND_A_HALF_RE.match(text, end)
    if half is not None:
        low = None if low is None else low + factor / 2
        high = None if high is None else high + factor / 2
        end = half.end()
    start, low_inc, high_inc = span.start, span.low_inclusive, span.high_inclusive
    bound = _LENGTH_BOUND_RE.search(text, max(0, span.start - 40), span.start)
    if bound is not None and low == high:
        start = bound.start("w")
        if bound.group("w").lower() == "over":
            high, low_inc = None, False
        else:
            low, high_inc = None, False
    kind, counted = _duration_kind(text, end, "-" in m.group("sep") or "–" in m.group("sep"))
    return NumberSpan(
        start,
        end,
        text[start:end],
        low,
        high,
        approximate=span.approximate,
        unit="hours" if hours else "days",
        low_inclusive=low_inc,
        high_inclusive=high_inc,
        kind=kind,
        counted=counted,
    )


_PHRASE_END_RE = re.compile(r"[—–;:,.()\"“”]|\s-\s")
# words that end the noun a duration is of ("a three-hour ordeal early Sunday", "a nine-day
# trip without ...")
_DURATION_NOUN_STOP = frozenset(
    {
        *("early", "late", "without", "within", "like", "via", "per", "yet", "ever"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    }
)


def _duration_kind(text: str, end: int, hyphened: bool) -> tuple[str, str | None]:
    """(kind, counted) of a duration ending at `end`: the noun it is of ("four days of
    hearings", "a two-year investigation"), else "duration"."""
    # the phrase ends at a dash or a clause mark: "10 years of tax returns — Mr. Trump"
    words = _WORD_RE.findall(_PHRASE_END_RE.split(text[end : end + 120], 1)[0])
    words = list(itertools.takewhile(lambda w: w.lower() not in _DURATION_NOUN_STOP, words))
    if words[:1] == ["of"]:
        words = words[1:]
        if words[:1] and words[0].lower() in _OF_DETERMINERS:
            words = words[1:]
    elif not hyphened:
        return "duration", None
    chunk = _noun_chunk(words)
    if not chunk or chunk[-1].lower().rstrip("s") in _DAY_FACTORS:
        return "duration", None
    return chunk[-1].lower(), " ".join(chunk)


def _extra_figures(text: str) -> list[NumberSpan]:
    """Figures with no number in them: "twice", "more than a month", "decades", "the
    14th day" (see TIMES and DURATION)."""
    lowered = text.lower()
    out: list[NumberSpan] = []
    if "twice" in lowered or "thrice" in lowered:
        for m in _TIMES_RE.finditer(text):
            value = 2.0 if m.group("w").lower() == "twice" else 3.0
            out.append(NumberSpan(m.start(), m.end(), m.group(0), value, value, kind="times"))
    for unit in _UNIT_WORDS:
        for pos in _occurrences(lowered, unit) if unit in lowered else ():
            end = pos + len(unit)
            bound = _A_DURATION_RE.search(text, max(0, pos - _BEFORE_UNIT), pos)
            if bound is not None:
                out.append(_a_duration(text, bound, unit, end))
            elif unit == "day":
                count = _DAY_COUNT_RE.search(text, max(0, pos - _BEFORE_UNIT), pos)
                if count is not None:
                    out.append(_day_count(text, count, end))
    if "decades" in lowered:
        for m in _DECADES_RE.finditer(text):
            kind, counted = _duration_kind(text, m.end(), False)
            # as "dozens of" is 24 and up (see VAGUE)
            low, high = 20.0 * _DAY_FACTORS["year"], None
            out.append(
                NumberSpan(
                    m.start(),
                    m.end(),
                    m.group(0),
                    low,
                    high,
                    approximate=True,
                    unit="days",
                    kind=kind,
                    counted=counted,
                )
            )
    out.sort(key=lambda s: s.start)
    return out


def _day_count(text: str, m: re.Match[str], end: int) -> NumberSpan:
    num = m.group("num")
    value = float(num) if num else float(_ORDINAL_WORDS[m.group("word").lower()])
    kind, counted = _duration_kind(text, end, False)
    start = m.start("ord")
    return NumberSpan(
        start, end, text[start:end], value, value, unit="days", kind=kind, counted=counted
    )


def _a_duration(text: str, m: re.Match[str], unit: str, end: int) -> NumberSpan:
    mod = _WS_RE.sub(" ", m.group("mod").lower())
    hours = unit == "hour"
    value = 1.0 if hours else float(_DAY_FACTORS[unit])
    half = _AND_A_HALF_RE.match(text, end)
    if half is not None:
        value, end = value * 1.5, half.end()
    low: float | None = value
    high: float | None = value
    low_inc = high_inc = True
    approximate = False
    start = m.start()
    if mod in ("for", "lasted", "lasting") or (
        mod in ("over", "under")
        and not _LENGTH_WORD_BEFORE_RE.search(text, max(0, start - 20), start)
    ):
        # "for a decade" says how long; "talks over a week" were during it: the figure
        # is the unit itself (a bare "a week" is left alone: "a week ago", "once a week")
        start, mod = m.start("a"), ""
    if mod.endswith("over") or mod == "more than":
        high, low_inc = None, False
    elif mod == "at least":
        high = None
    elif mod in ("nearly", "almost"):
        low, approximate = value * NEARLY_FLOOR, True
    elif mod in ("about", "around", "roughly"):
        approximate = True
    elif mod.endswith("under") or mod == "less than":
        low, high_inc = None, False
    elif mod:  # "at most", "up to"
        low = None
    kind, counted = _duration_kind(text, end, False)
    return NumberSpan(
        start,
        end,
        text[start:end],
        low,
        high,
        approximate,
        "hours" if hours else "days",
        low_inc,
        high_inc,
        kind=kind,
        counted=counted,
    )


def _merge_disjoint(first: list[NumberSpan], extra: list[NumberSpan]) -> list[NumberSpan]:
    """`first` with `extra` added, in order (both are sorted and each disjoint): an extra
    figure that holds figures of `first` whole replaces them ("more than a year and a half"
    holds "a half"), one that only overlaps them is left out."""
    starts = [s.start for s in first]
    dropped: set[int] = set()
    added: list[NumberSpan] = []
    for span in extra:
        lo, hi = bisect_left(starts, span.start), bisect_left(starts, span.end)
        # the one of `first` starting before this one may reach into it
        if lo > 0 and first[lo - 1].end > span.start:
            continue
        if hi > lo and first[hi - 1].end > span.end:
            continue
        dropped.update(range(lo, hi))
        added.append(span)
    kept = [s for n, s in enumerate(first) if n not in dropped]
    return sorted([*kept, *added], key=lambda s: s.start)
