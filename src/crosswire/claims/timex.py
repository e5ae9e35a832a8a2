"""Rule-based temporal expression tagger and normaliser for English news (HeidelTime-style).

Approach: a fixed list of precompiled regular expressions, each paired with a normaliser,
is run over the text; candidate spans are resolved longest-first (earliest on ties) into a
non-overlapping set, then "between X and Y" / "from X to Y" pairs are merged into one range.

Conventions (TimeML / TIMEX3, as the TempEval-3 gold uses them):
- Spans exclude leading prepositions ("on", "in", "since", "between", "from") but include
  determiners and modifiers ("the past three years", "last week", "late Tuesday").
- Relative expressions resolve against `reference` (the publication time) using the
  reference's own *local* calendar date (`reference.date()`, not UTC): an article stamped
  2025-02-28T03:04+10:00 is dated 2025-02-28. Without a reference they get value None.
- News is mostly past tense: a bare weekday is the latest such day on or before the reference
  date (unless a future cue such as "will" precedes it in the same clause); a bare month is the
  latest such month not after the reference month; a month-day without year takes the
  reference year unless that lands more than ~6 months ahead, then the year before.
- Values: "2025-02-07", "2025-02", "2025-W08" (ISO week), "2025-Q3", "2025-H1", "2024-FA",
  "199" (decade), "19" (century), "2025-02-27TNI" (part of day), "2025-02-27T15:00",
  "PRESENT_REF"/"PAST_REF"/"FUTURE_REF", durations "P3Y"/"PT48H"/"PXW", sets "P1W".
- Intervals are inclusive ISO dates. Seasons are meteorological, Northern hemisphere
  (SP Mar-May, SU Jun-Aug, FA Sep-Nov, WI Dec of the year to Feb of the next).
  "early"/"mid"/"late" take the first/middle/last third of a month (days 1-10, 11-20, 21-end)
  or of a year (Jan-Apr, May-Aug, Sep-Dec); the value stays the whole month or year.
  "earlier this month/year" ends at the reference date. "the first week of February" has
  value "2025-02" (the month; ISO weeks straddle month starts) and interval Feb 1-7.
  A range "between January and February" has value "2025-01/2025-02" (ISO 8601 interval).
  Durations anchored at the reference ("the past decade", "the last three years") get the
  interval ending on the reference date; other durations, sets and vague refs get None.
- The calendar is years 1 to 9999 (what `datetime.date` holds): an expression whose date
  falls outside it ("yesterday" on 0001-01-01, "next week" on 9999-12-31, "3000 days from
  now") keeps its span and type, with value None and no interval.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(slots=True, frozen=True)
class TimeSpan:
    start: int
    end: int
    text: str
    type: TimexType
    value: str | None
    interval: tuple[str, str] | None


# --- vocabulary ---------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "a dozen": 12, "a hundred": 100, "a couple of": 2, "couple of": 2,
    "a couple": 2,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "last": -1, "final": -1,
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
# unit word -> (duration designator, needs the "T" time marker)
_UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("DE", False),
    "century": ("CE", False), "centurie": ("CE", False), "weekend": ("WE", False),
}  # fmt: skip

_MONTH = (
    r"(?:Jan(?:uary|\.|(?=\s+\d))|Feb(?:ruary|\.)?|Mar(?:ch|\.)|Apr(?:il|\.)?|May|June?|Jun\.|July?"
    r"|Jul\.|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?"
    r"|Dec(?:ember|\.)?)(?![a-z])"
)
_MONTH_NOT_MAY = _MONTH.replace("|May|", "|")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:s)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three"
    r"|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:a\s+)?hundred|(?:a\s+)?dozen|a\s+couple(?:\s+of)?|couple\s+of)"
)
_NUM = rf"(?:\d+(?:\.\d+)?(?:\s+1/2)?|{_NUM_WORD}|an?|several|a\s+few|few|many|some)"
_UNIT = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie))"
_PRE_NUM_MOD = (
    r"(?:more\s+than|less\s+than|fewer\s+than|about|around|nearly|almost|roughly|some"
    r"|up\s+to|at\s+least|at\s+most|over|under|only|just|barely|approximately)"
)

_FLAGS = re.VERBOSE


def _rx(pattern: str) -> re.Pattern[str]:
    # every expression starts at a word start; saying so first lets the engine skip the
    # other positions cheaply (about 4x faster than trying each alternative everywhere)
    return re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9'])(?:" + pattern + ")", _FLAGS)


# --- date arithmetic ----------------------------------------------------------------------


def _iso(d: date) -> str:
    return d.isoformat()


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(m: int) -> int:
    return (m - 1) // 3 + 1


def _season_of(d: date) -> tuple[int, str]:
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, ("SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 3]


_SEASON_ORDER = ["SP", "SU", "FA", "WI"]
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}

_VALUE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d)(?:T.*)?)?|W(?P<w>\d\d)(?:-WE)?"
    r"|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?$"
)
_DECADE_RE = re.compile(r"^(\d{3})$")
# the calendar Python's dates (and ISO 8601 without extension) can write: year 1 to 9999;
# "0000" or the first decade would name a year 0 no date can hold
_MIN_YEAR = 1
_CENTURY_RE = re.compile(r"^(\d{2})$")


def value_interval(value: str | None) -> tuple[str, str] | None:
    """Inclusive calendar interval of a TIMEX3 DATE/TIME value; None when it has none."""
    if value is None:
        return None
    if "/" in value:
        a, _, b = value.partition("/")
        ia, ib = value_interval(a), value_interval(b)
        return (ia[0], ib[1]) if ia and ib else None
    m = _VALUE_RE.match(value)
    if m is None:
        if (dm := _DECADE_RE.match(value)) is not None:
            y = int(dm.group(1)) * 10
            return (f"{y:04d}-01-01", f"{y + 9:04d}-12-31") if y >= _MIN_YEAR else None
        if (cm := _CENTURY_RE.match(value)) is not None:
            y = int(cm.group(1)) * 100
            return (f"{y:04d}-01-01", f"{y + 99:04d}-12-31") if y >= _MIN_YEAR else None
        return None
    y = int(m["y"])
    if y < _MIN_YEAR:
        return None
    try:
        if m["d"]:
            d = date(y, int(m["m"]), int(m["d"]))
            return (_iso(d), _iso(d))
        if m["m"]:
            mo = int(m["m"])
            return (_iso(date(y, mo, 1)), _iso(_month_end(y, mo)))
        if m["w"]:
            start = date.fromisocalendar(y, int(m["w"]), 1)
            if value.endswith("-WE"):
                return (_iso(start + timedelta(days=5)), _iso(start + timedelta(days=6)))
            return (_iso(start), _iso(start + timedelta(days=6)))
        if m["q"]:
            q = int(m["q"])
            return (_iso(date(y, 3 * q - 2, 1)), _iso(_month_end(y, 3 * q)))
        if m["h"]:
            h = int(m["h"])
            return (_iso(date(y, 6 * h - 5, 1)), _iso(_month_end(y, 6 * h)))
        if m["s"]:
            sm = _SEASON_START[m["s"]]
            ey, em = _add_months(y, sm, 2)
            return (_iso(date(y, sm, 1)), _iso(_month_end(ey, em)))
    except (ValueError, OverflowError):
        # off the calendar: week 52 of 9999 ends in the year 10000, winter 9999 too
        return None
    return (f"{y:04d}-01-01", f"{y:04d}-12-31")


def _third(interval: tuple[str, str], mod: str) -> tuple[str, str]:
    """First/middle/last third of a month or year interval for early/mid/late."""
    a, b = date.fromisoformat(interval[0]), date.fromisoformat(interval[1])
    if a.year == b.year and a.month == b.month and (b - a).days > 20:
        cuts = {"early": (1, 10), "mid": (11, 20), "late": (21, b.day)}[mod]
        return (_iso(a.replace(day=cuts[0])), _iso(a.replace(day=cuts[1])))
    if a.month == 1 and a.day == 1 and b.month == 12 and b.day == 31 and a.year == b.year:
        mm = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[mod]
        return (_iso(date(a.year, mm[0], 1)), _iso(_month_end(a.year, mm[1])))
    return interval


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    lx = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lx) // 451
    month = (h + lx - 7 * m + 114) // 31
    return date(y, month, (h + lx - 7 * m + 114) % 31 + 1)


def _nth_weekday(y: int, m: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(y, m, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = _month_end(y, m)
    return last - timedelta(days=(last.weekday() - wd) % 7)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4),
    "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "easter sunday": _easter,
    "easter": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
}


# --- normalisers --------------------------------------------------------------------------

# (type, value, interval override or None to derive it from the value)
_Norm = tuple[TimexType, str | None, tuple[str, str] | None]
_Handler = Callable[[re.Match[str], date | None, str, int], _Norm | None]


def _month_num(token: str) -> int:
    return _MONTHS[token[:3].lower()]


def _weekday_num(token: str) -> int:
    return _WEEKDAYS[token[:3].lower()]


def _num(token: str | None) -> int | None:
    """Integer of a number phrase; None for vague quantities ("several", "a few")."""
    if token is None:
        return 1
    t = re.sub(r"\s+", " ", token.lower().replace("-", " ")).strip()
    if t in _NUMBERS:
        return _NUMBERS[t]
    if t.replace(".", "", 1).isdigit():
        f = float(t)
        return int(f) if f == int(f) else None
    parts = t.split()
    if len(parts) == 2 and parts[0] in _NUMBERS and parts[1] in _NUMBERS:
        return _NUMBERS[parts[0]] + _NUMBERS[parts[1]]
    return None


def _unit_key(token: str) -> str:
    t = token.lower()
    return t[:-1] if t.endswith("s") and t[:-1] in _UNITS else t


def _duration(n: int | None, unit: str) -> str:
    des, timed = _UNITS[_unit_key(unit)]
    if des == "WE":
        return f"P{'X' if n is None else 2 * n}D"
    if des == "DE":
        return f"P{'X' if n is None else 10 * n}Y" if n is not None else "PXDE"
    if des == "CE":
        return f"P{100 * n}Y" if n is not None else "PXCE"
    if des == "W" and unit.lower().startswith("fortnight"):
        return f"P{'X' if n is None else 2 * n}W"
    q = "X" if n is None else str(n)
    if des == "Q":
        return f"P{'X' if n is None else 3 * n}M"
    return f"PT{q}{des}" if timed else f"P{q}{des}"


def _decade(n: int) -> str | None:
    """The TIMEX3 value of the n-th decade ("199" for the 1990s); None off the calendar,
    where a fourth digit would read as a year ("1000" after 9990-9999)."""
    return f"{n:03d}" if 0 <= n <= 999 else None


def _century(n: int) -> str | None:
    return f"{n:02d}" if 0 <= n <= 99 else None


def _shift(ref: date, unit: str, n: int) -> str | None:
    """Value of the calendar unit containing `ref` moved by n units."""
    u = _unit_key(unit)
    if u == "day":
        return _iso(ref + timedelta(days=n))
    if u in ("week", "weekend"):
        v = _week_value(ref + timedelta(weeks=n))
        return v + "-WE" if u == "weekend" else v
    if u == "fortnight":
        return _week_value(ref + timedelta(weeks=2 * n))
    if u == "month":
        y, m = _add_months(ref.year, ref.month, n)
        return f"{y:04d}-{m:02d}"
    if u == "quarter":
        y, m = _add_months(ref.year, ref.month, 3 * n)
        return f"{y:04d}-Q{_quarter(m)}"
    if u == "year":
        return f"{ref.year + n:04d}"
    if u == "decade":
        return _decade(ref.year // 10 + n)
    if u in ("century", "centurie"):
        return _century(ref.year // 100 + n)
    return None


def _ago_value(ref: date, unit: str, n: int) -> str | None:
    u = _unit_key(unit)
    if u == "year":
        return f"{ref.year - n:04d}"
    if u == "month":
        y, m = _add_months(ref.year, ref.month, -n)
        return f"{y:04d}-{m:02d}"
    if u in ("week", "fortnight"):
        return _week_value(ref - timedelta(weeks=n * (2 if u == "fortnight" else 1)))
    if u == "day":
        return _iso(ref - timedelta(days=n))
    if u == "decade":
        return f"{ref.year - 10 * n:04d}"
    if u == "quarter":
        return _shift(ref, "quarter", -n)
    if u in ("century", "centurie"):
        return _century(ref.year // 100 - n)
    if u in ("hour", "minute", "second"):
        return _iso(ref)
    return None


def _month_year(month: int, ref: date, rel: str | None) -> int:
    """Year of a month named without one: latest not after the reference month (news)."""
    if rel == "next":
        return ref.year if month > ref.month else ref.year + 1
    if rel == "this":
        return ref.year
    if rel == "last":
        return ref.year if month < ref.month else ref.year - 1
    return ref.year if month <= ref.month else ref.year - 1


def _day_year(month: int, day: int, ref: date) -> int:
    """Year for a month-day without year: the reference year unless > ~6 months ahead."""
    try:
        cand = date(ref.year, month, day)
    except ValueError:
        return ref.year
    return ref.year - 1 if (cand - ref).days > 183 else ref.year


# a future-tense cue before a bare weekday or month, in the same clause ("will", "is
# expected to", "is set to", "plans to"): the last one within reach of it
_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|'ll|shall|scheduled|slated|upcoming|(?:plans?|planning|intends?|"
    r"expected|set|due|going|poised)\s+to|(?:set|due|scheduled)\s+(?:for|on))\b",
    re.IGNORECASE,
)
_FUTURE_REACH = 60  # characters from the cue to the weekday
_CLAUSE_BREAK = re.compile(r"[.;!?,]")
# a past-tense verb between the cue and the weekday puts the weekday in a clause of its
# own ("will decide on the bill that passed Tuesday"); lower case only, so "United" is
# no verb
_PAST_VERB = re.compile(
    r"\b(?:[a-z]{2,}ed|said|told|was|were|had|did|met|made|took|came|went|won|lost|"
    r"began|left|saw|held|gave|got|sent|spoke|wrote|fell|rose)\b"
)
# "On Tuesday, the committee will vote": a weekday opening its sentence
_OPENS_SENTENCE = re.compile(
    r"(?:^|[.!?][\"'”’)\]]*\s+|\n\s*)(?:(?:on|by|until|from|starting|beginning)\s+)?$",
    re.IGNORECASE,
)


def _future(text: str, start: int, end: int) -> bool:
    """True when the clause holding text[start:end] (a bare weekday or month) speaks of
    the future: a future cue before it in its clause with no past verb in between, or,
    for a weekday opening its sentence, a future cue before any past verb after it."""
    before = text[max(0, start - _FUTURE_REACH) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    cues = list(_FUTURE_CUE.finditer(before))
    if cues and not _PAST_VERB.search(before, cues[-1].end()):
        return True
    if not _OPENS_SENTENCE.search(text[max(0, start - _FUTURE_REACH) : start]):
        return False
    after = text[end : end + _FUTURE_REACH].lstrip(" ,")
    clause = _CLAUSE_BREAK.search(after)
    if clause is not None:
        after = after[: clause.start()]
    cue = _FUTURE_CUE.search(after)
    if cue is None:
        return False
    past = _PAST_VERB.search(after)
    return past is None or past.start() > cue.start()


def _weekday_date(wd: int, ref: date, rel: str | None, future: bool) -> date:
    back = (ref.weekday() - wd) % 7
    if rel == "last":
        return ref - timedelta(days=back or 7)
    if rel == "next":
        return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    if rel == "this":
        return ref + timedelta(days=wd - ref.weekday())
    if back and future:
        return ref + timedelta(days=(wd - ref.weekday()) % 7)
    return ref - timedelta(days=back)


def _before(text: str, start: int) -> str:
    return text[max(0, start - 60) : start]


def _h_full_date(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    month, day = _month_num(m["mon"]), int(m["day"])
    if not 1 <= day <= 31:
        return None
    if m["year"]:
        y = int(m["year"])
    elif ref is None:
        return ("DATE", None, None)
    else:
        y = _day_year(month, day, ref)
    try:
        date(y, month, day)
    except ValueError:
        return None
    return ("DATE", f"{y:04d}-{month:02d}-{day:02d}", None)


_MOD_ALIASES = {
    "the beginning of": "early",
    "the start of": "early",
    "the end of": "late",
    "the middle of": "mid",
    "earlier": "early",
    "later": "late",
}


def _apply_mod(value: str | None, mod: str | None, ref: date | None) -> _Norm:
    interval = value_interval(value)
    if interval is not None and mod:
        key = mod.lower().rstrip("- ")
        key = _MOD_ALIASES.get(key, key)
        if key in ("early", "mid", "late"):
            interval = _third(interval, key)
    return ("DATE", value, interval)


def _h_month_year(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    return _apply_mod(f"{int(m['year']):04d}-{_month_num(m['mon']):02d}", m["mod"], ref)


def _h_iso(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    try:
        d = date(int(m["y"]), int(m["mo"]), int(m["d"]))
    except ValueError:
        return None
    if m["hh"]:
        return ("TIME", f"{_iso(d)}T{m['hh']}:{m['mi']}", (_iso(d), _iso(d)))
    return ("DATE", _iso(d), None)


def _h_slash(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    y = int(m["y"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    try:
        d = date(y, int(m["mo"]), int(m["d"]))
    except ValueError:
        return None
    return ("DATE", _iso(d), None)


_MAY_PREP = re.compile(r"\b(?:in|since|until|by|of|from|through|during|to|and)\s+$")


def _h_month(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    month = _month_num(m["mon"])
    rel = m["rel"].lower() if m["rel"] else None
    # "May" alone is usually the modal verb: demand a preposition before it
    if (
        m["mon"] == "May"
        and rel is None
        and m["mod"] is None
        and not _MAY_PREP.search(_before(text, start))
    ):
        return None
    if ref is None:
        return ("DATE", None, None)
    if rel is None and _future(text, start, m.end()):
        rel = "this" if month >= ref.month else "next"
    y = _month_year(month, ref, rel)
    return _apply_mod(f"{y:04d}-{month:02d}", m["mod"], ref)


def _h_week_of(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    month = _month_num(m["mon"])
    if m["year"]:
        y = int(m["year"])
    elif ref is None:
        return ("DATE", None, None)
    else:
        y = _month_year(month, ref, None)
    nth = _ORDINALS[m["ord"].lower()]
    first = date(y, month, 1)
    last = _month_end(y, month)
    if nth > 0:
        a = first + timedelta(days=7 * (nth - 1))
        b = min(a + timedelta(days=6), last)
    else:
        a, b = last - timedelta(days=6), last
    return ("DATE", f"{y:04d}-{month:02d}", (_iso(a), _iso(b)))


def _h_weekday(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    wd_tok = m["wd"]
    rel = m["rel"].lower() if m["rel"] else None
    part = _PARTS.get((m["part"] or "").lower())
    if wd_tok.endswith("s") and rel is None:
        if m["quant"]:
            return ("SET", f"XXXX-WXX-{_weekday_num(wd_tok) + 1}", None)
        return None
    if ref is None:
        return ("TIME" if part else "DATE", None, None)
    d = _weekday_date(_weekday_num(wd_tok), ref, rel, rel is None and _future(text, start, m.end()))
    if part:
        return ("TIME", f"{_iso(d)}T{part}", (_iso(d), _iso(d)))
    return ("DATE", _iso(d), None)


def _h_dayword(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    w = m["w"].lower()
    part = _PARTS.get((m["part"] or "").lower())
    if w == "tonight":
        part = "NI"
    if ref is None:
        return ("TIME" if part else "DATE", None, None)
    d = ref + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w])
    if part:
        return ("TIME", f"{_iso(d)}T{part}", (_iso(d), _iso(d)))
    return ("DATE", _iso(d), None)


def _h_this_part(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    part = _PARTS[m["part"].lower()]
    if ref is None:
        return ("TIME", None, None)
    return ("TIME", f"{_iso(ref)}T{part}", (_iso(ref), _iso(ref)))


def _h_ref(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    w = re.sub(r"\s+", " ", m.group(0).lower())
    if w in ("now", "currently", "at present", "nowadays", "these days", "presently",
             "current"):  # fmt: skip
        return ("DATE", "PRESENT_REF", None)
    if w.endswith("future"):
        return ("DATE", "FUTURE_REF", None)
    return ("DATE", "PAST_REF", None)


def _h_rel_unit(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    """last/this/next/past + week/month/year/quarter/decade/century/weekend."""
    rel = m["rel"].lower()
    unit = m["unit"].lower()
    mod = m["mod"].lower().strip() if m["mod"] else None
    if rel in ("past",):
        # "the past year": an anchored duration, not a calendar unit
        return _anchored(1, unit, ref)
    if ref is None:
        return ("DATE", None, None)
    n = {"last": -1, "previous": -1, "this": 0, "current": 0, "coming": 1, "next": 1}[rel]
    value = _shift(ref, unit, n)
    t, v, interval = _apply_mod(value, mod, ref)
    if mod in ("earlier", "early") and n == 0 and interval is not None and mod == "earlier":
        interval = (interval[0], _iso(ref))
    if mod == "later" and n == 0 and interval is not None:
        interval = (_iso(ref), interval[1])
    return (t, v, interval)


def _anchored(n: int | None, unit: str, ref: date | None) -> _Norm:
    value = _duration(n, unit)
    if ref is None or n is None:
        return ("DURATION", value, None)
    u = _unit_key(unit)
    days = {"day": 1, "week": 7, "fortnight": 14, "weekend": 7}.get(u)
    if days is not None:
        begin = ref - timedelta(days=days * n)
    elif u in ("month", "quarter", "year", "decade", "century", "centurie"):
        months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}.get(u, 1200) * n
        y, mo = _add_months(ref.year, ref.month, -months)
        begin = date(y, mo, min(ref.day, calendar.monthrange(y, mo)[1]))
    else:
        begin = ref
    return ("DURATION", value, (_iso(begin), _iso(ref)))


def _h_duration(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    unit = m["unit"]
    n = _num(m["n"])
    lead = text[start : m.start()].lower().split()
    if unit.lower().startswith("quarter") and "-" in m.group(0) and unit.lower().endswith("s"):
        return None  # "three-quarters" is a fraction
    if any(w in ("past", "last", "previous") for w in lead):
        return _anchored(n, unit, ref)
    return ("DURATION", _duration(n, unit), None)


def _h_plural_vague(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    lead = (m["lead"] or "").lower()
    if "recent" in lead:
        return ("DATE", "PAST_REF", None)
    return ("DURATION", _duration(None, m["unit"]), None)


def _h_ago(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    n = _num(m["n"])
    direction = m["dir"].lower()
    if ref is None:
        return ("DATE", None, None)
    if n is None:
        return ("DATE", "PAST_REF" if direction in ("ago", "earlier", "before") else None, None)
    sign = -1 if direction in ("ago", "earlier", "before") else 1
    if sign < 0:
        return ("DATE", _ago_value(ref, m["unit"], n), None)
    return ("DATE", _ago_value(ref, m["unit"], -n), None)


def _h_year(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    return _apply_mod(m["y"], m["mod"], ref)


def _h_decade(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    d = m["dec"]
    if d.startswith("'"):
        if ref is None:
            return ("DATE", None, None)
        century = ref.year // 100
        dec = int(d[1])
        century -= 1 if dec * 10 > ref.year % 100 else 0
        value = f"{century:02d}{dec}"
    else:
        value = d[:3]
    return _apply_mod(value, m["mod"], ref)


def _h_century(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    if m["nth"]:
        return ("DATE", f"{int(m['nth']) - 1:02d}", None)
    if ref is None:
        return ("DATE", None, None)
    n = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return ("DATE", _century(ref.year // 100 + n), None)


def _h_season(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    s = _SEASONS[m["s"].lower()]
    rel = (m["rel"] or "").lower()
    if m["year"]:
        return _apply_mod(f"{m['year']}-{s}", None, ref)
    if not rel and not m["det"]:
        return None
    if ref is None:
        return ("DATE", None, None)
    cy, cs = _season_of(ref)
    ci = _SEASON_ORDER.index(cs)
    si = _SEASON_ORDER.index(s)
    # the latest such season not after the current one, then shifted by last/next
    y = cy if si <= ci else cy - 1
    if rel == "last":
        y = y - 1 if si == ci else y
    elif rel == "next":
        y = cy + 1 if si <= ci else cy
    elif rel == "this":
        y = cy
    mod = rel if rel in ("early", "late") else None
    return _apply_mod(f"{y:04d}-{s}", mod, ref)


def _h_quarter(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    ordinal = (m["ord"] or "").lower()
    yr = (m["yr"] or m["y2"] or "").lower()
    if not (ordinal or yr or m["the"]) or (m["unit"].lower() == "period" and not ordinal):
        return None
    year: int | None = None
    if yr and yr[:4].isdigit():
        year = int(yr[:4])
    q = _ORDINALS.get(ordinal)
    if q == -1:
        q = None
    if ref is None and year is None:
        return ("DATE", None, None)
    if ref is not None and year is None:
        last_done = _add_months(ref.year, ref.month, -3)
        if yr.startswith("last") or ordinal in ("year-ago", "year-earlier"):
            year = ref.year - 1
        elif q is None:
            # "the quarter", "the latest quarter": the most recently completed one
            year, q = last_done[0], _quarter(last_done[1])
            if ordinal in ("year-ago", "year-earlier"):
                year -= 1
        else:
            year = ref.year if q <= _quarter(ref.month) or yr.startswith("this") else ref.year - 1
        if q is None:
            q = _quarter(last_done[1])
    assert year is not None
    return ("DATE", f"{year:04d}-Q{q}" if q else f"{year:04d}", None)


def _h_half(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    h = 1 if m["ord"].lower() in ("first", "1st") else 2
    if m["year"]:
        return ("DATE", f"{m['year']}-H{h}", None)
    if ref is None:
        return ("DATE", None, None)
    y = ref.year if h == 1 or ref.month > 6 else ref.year - 1
    return ("DATE", f"{y:04d}-H{h}", None)


def _h_the_unit(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    """ "the year" / "the weekend": the current year; the latest weekend not after the ref."""
    if ref is None:
        return ("DATE", None, None)
    if m["unit"].lower() == "year":
        return ("DATE", f"{ref.year:04d}", None)
    # Mon-Thu articles speak of the weekend just gone; Fri-Sun ones of this one
    return ("DATE", _shift(ref, "weekend", 0 if ref.weekday() >= 4 else -1), None)


def _h_year_ago(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    if ref is None:
        return ("DATE", None, None)
    return ("DATE", f"{ref.year - 1:04d}", None)


def _h_time(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    word = (m["word"] or "").lower()
    if word:
        hh, mi = (12, 0) if word in ("noon", "midday") else (0, 0)
    else:
        hh, mi = int(m["h"]), int(m["mi"] or 0)
        ap = (m["ap"] or "").lower().replace(".", "")
        if hh > 23 or mi > 59 or (ap and not 1 <= hh <= 12):
            return None
        if ap == "pm" and hh != 12:
            hh += 12
        elif ap == "am" and hh == 12:
            hh = 0
    if ref is None:
        return ("TIME", None, None)
    return ("TIME", f"{_iso(ref)}T{hh:02d}:{mi:02d}", (_iso(ref), _iso(ref)))


def _h_set(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    g = m.groupdict()
    if g.get("adv"):
        adv = g["adv"].lower()
        unit = {"hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week",
                "monthly": "month", "annually": "year",
                "yearly": "year", "biweekly": "fortnight"}[adv]  # fmt: skip
        return ("SET", _duration(1, unit), None)
    n = _num(g.get("n")) if g.get("n") else 1
    return ("SET", _duration(n, g["unit"]), None)


def _h_holiday(m: re.Match[str], ref: date | None, text: str, start: int) -> _Norm | None:
    key = re.sub(r"\s+", " ", m["hol"].lower()).replace("’", "'")
    fn = _HOLIDAYS.get(key)
    if fn is None:
        return None
    if m["year"]:
        y = int(m["year"])
    elif ref is None:
        return ("DATE", None, None)
    else:
        y = ref.year if fn(ref.year) <= ref + timedelta(days=183) else ref.year - 1
    return ("DATE", _iso(fn(y)), None)


# --- patterns -----------------------------------------------------------------------------

_I = "(?i:{})".format
_PARTS_RX = r"(?i:morning|afternoon|evening|night)"
_REL = r"(?P<rel>(?i:last|this|next|past|previous|coming|current))"
_MOD = r"(?P<mod>(?i:early|late|mid-?|earlier|later|the\s+(?:end|beginning|start|middle)\s+of))"
_NOT_NUM_BEFORE = r"(?<![\d$£€.,/:-])"

# A pattern only runs on a text containing one of its gate strings (a cheap C-speed scan);
# ("lower", ...) gates look in the lower-cased text, the others in the text as written.
_Gate = tuple[str, ...]
_MONTH_GATE: _Gate = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_WEEKDAY_GATE: _Gate = ("onday", "uesday", "ednesday", "hursday", "riday", "aturday", "unday")
_UNIT_GATE: _Gate = ("lower", "second", "minute", "hour", "day", "week", "fortnight", "month",
                     "quarter", "year", "decade", "centur")  # fmt: skip


def _lower(*words: str) -> _Gate:
    return ("lower", *words)


_PATTERNS: list[tuple[re.Pattern[str], _Handler, _Gate]] = [
    (
        _rx(rf"""(?:{_WEEKDAY},?\s+)?(?:{_I("the")}\s+)?(?P<mon>{_MONTH})\s+(?P<day>\d{{1,2}})
            (?:st|nd|rd|th)?\b(?!\s*(?:%|percent|-|:\d))(?:,?\s+(?P<year>{_YEAR})\b)?"""),
        _h_full_date,
        _MONTH_GATE,
    ),
    (
        _rx(rf"""(?:{_WEEKDAY},?\s+)?{_NOT_NUM_BEFORE}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+
            (?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_YEAR})\b)?"""),
        _h_full_date,
        _MONTH_GATE,
    ),
    (
        _rx(rf"""(?:{_MOD}\s*)?(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})\b"""),
        _h_month_year,
        _MONTH_GATE,
    ),
    (
        _rx(r"""(?<![\d-])(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)
            (?:[T\s](?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\d-])"""),
        _h_iso,
        ("-",),
    ),
    (
        _rx(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        _h_slash,
        ("/",),
    ),
    (
        _rx(rf"""(?:{_MOD}\s*|(?P<rel>(?i:last|this|next))\s+)?(?P<mon>{_MONTH_NOT_MAY}|May)
            (?!\s+\d)"""),
        _h_month,
        _MONTH_GATE,
    ),
    (
        _rx(rf"""{_I("the")}\s+(?P<ord>(?i:first|second|third|fourth|last|final|1st|2nd|3rd|4th))
            \s+{_I("week")}\s+of\s+(?P<mon>{_MONTH})(?:,?\s+(?P<year>{_YEAR})\b)?"""),
        _h_week_of,
        _MONTH_GATE,
    ),
    (
        _rx(rf"""(?:(?P<quant>(?i:every|each))\s+)?(?:(?P<mod2>(?i:early|late))\s+)?
            (?:(?P<rel>(?i:last|this|next))\s+)?(?P<wd>{_WEEKDAY})\b
            (?:\s+(?P<part>{_PARTS_RX}))?"""),
        _h_weekday,
        _WEEKDAY_GATE,
    ),
    (
        _rx(rf"""(?:(?i:early|late|earlier|later)\s+)?(?P<w>(?i:today|yesterday|tomorrow|tonight))
            (?:\s+(?P<part>{_PARTS_RX}))?"""),
        _h_dayword,
        _lower("today", "yesterday", "tomorrow", "tonight"),
    ),
    (
        _rx(rf"""(?:(?i:early|late|earlier|later)\s+)?(?i:this)\s+
            (?P<part>{_PARTS_RX})"""),
        _h_this_part,
        _lower("morning", "afternoon", "evening", "night"),
    ),
    (
        _rx(r"""\b(?i:now|currently|nowadays|presently|at\s+present|these\s+days|recently|lately
            |current|recent|the\s+past(?!\s+(?:\d|few|several|two|three|four
            |five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|week|month|year|day
            |decade|century|quarter|hour|minute|half|summer|winter|spring|fall))
            |the\s+(?:near\s+|distant\s+)?future)\b(?!-)"""),
        _h_ref,
        _lower("now", "current", "present", "these days", "recent", "lately", "past", "future"),
    ),
    (
        _rx(rf"""(?:{_MOD}\s*)?(?:{_I("the")}\s+)?{_REL}\s+
            (?P<unit>(?i:week(?:end)?|month|year|quarter|decade|century))\b(?!-)"""),
        _h_rel_unit,
        _lower("last", "this", "next", "past", "previous", "coming", "current"),
    ),
    (
        _rx(rf"""{_NOT_NUM_BEFORE}(?P<n>{_I(_NUM)})[\s-]+
            (?P<unit>{_I(_UNIT)})s?\s+(?P<dir>(?i:ago|earlier|before|later|from\s+now|hence))
            \b"""),
        _h_ago,
        _lower("ago", "earlier", "before", "later", "from now", "hence"),
    ),
    (
        _rx(rf"""{_NOT_NUM_BEFORE}(?P<n>{_I(_NUM)})(?:[\s-]+|(?<=\d))(?P<unit>{_I(_UNIT)})s?\b
            (?!-old|\s+old)"""),
        _h_duration,
        _UNIT_GATE,
    ),
    (
        _rx(r"""(?P<lead>(?i:(?:the\s+)?(?:past|last|next|coming|recent|previous|few)\s+
            |(?<=\bfor\s)|(?<=\bin\s)(?:recent\s+)?))(?P<unit>(?i:(?:second|minute|hour|day|week
            |month|year|decade|centurie)s))\b"""),
        _h_plural_vague,
        _UNIT_GATE,
    ),
    (
        _rx(r"""(?i:the)\s+(?:(?P<adj>(?i:fiscal|full|calendar|entire|whole))\s+)?
            (?P<unit>(?i:year|weekend))\b(?![-'’])"""),
        _h_the_unit,
        _lower("year", "weekend"),
    ),
    (
        _rx(rf"""(?:{_MOD}\s*)?(?:{_I("the")}\s+)?(?P<dec>1[0-9]\d0|20\d0|'\d0)s\b"""),
        _h_decade,
        ("0s",),
    ),
    (
        _rx(rf"""(?:{_I("the")}\s+)?(?:(?P<nth>1\d|2[01])(?:st|nd|rd|th)
            |(?P<rel>(?i:this|last|next)))\s+(?i:century)\b"""),
        _h_century,
        _lower("century"),
    ),
    (
        _rx(rf"""(?:(?P<rel>(?i:last|this|next|early|late))\s+|(?P<det>(?i:the|in))\s+)?
            (?P<s>(?i:spring|summer|fall|autumn|winter))\b(?:,?\s+(?:of\s+)?(?P<year>{_YEAR})\b)?"""),
        _h_season,
        _lower("spring", "summer", "fall", "autumn", "winter"),
    ),
    (
        _rx(rf"""(?:(?P<the>{_I("the")})\s+)?(?:(?P<yr>{_YEAR}(?:'s)?|(?i:this|last|next)\s+year's)\s+)?
            (?:(?i:fiscal|calendar)\s+)?(?P<ord>(?i:first|second|third|fourth|1st|2nd|3rd|4th
            |latest|current|last|previous|year-ago|year-earlier|same|recent|final))?[\s-]*
            (?:(?i:fiscal)\s+)?(?P<unit>(?i:quarter|period))\b(?!s)
            (?:\s+of\s+(?P<y2>{_YEAR})\b)?"""),
        _h_quarter,
        _lower("quarter", "period"),
    ),
    (
        _rx(rf"""(?:{_I("the")}\s+)?(?:(?P<year>{_YEAR})\s+)?(?:(?i:fiscal)\s+)?
            (?P<ord>(?i:first|second|1st|2nd))[\s-]+(?i:half)\b(?:\s+of\s+(?P<y2>{_YEAR}))?"""),
        _h_half,
        _lower("half"),
    ),
    (
        _rx(r"""(?:(?i:the)\s+)?(?i:year-(?:earlier|ago))(?!\s+(?:quarter|period|level))"""),
        _h_year_ago,
        _lower("year-"),
    ),
    (
        _rx(rf"""{_NOT_NUM_BEFORE}(?:(?P<mod>(?i:fiscal|calendar|early|late|mid-?
            |the\s+(?:end|beginning|start|middle)\s+of))\s*)?(?P<y>{_YEAR})\b
            (?!\s*(?:%|percent|[-/]\d|,\d|\.\d|\s*(?:people|shares|troops|members|workers
            |votes|tons|barrels|cars|units|jobs|employees|feet|meters|miles|points)\b))"""),
        _h_year,
        (),
    ),
    (
        _rx(r"""(?<![\d.:$])(?P<h>\d{1,2})(?::(?P<mi>[0-5]\d))?\s*
            (?P<ap>(?i:a\.m\.?|p\.m\.?|am\b|pm\b))(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?
            |(?<![\d.:$])(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?!\d)(?=\s+(?:[ECMP][SD]T|GMT|UTC))
            |\b(?P<word>(?i:noon|midday|midnight))\b"""),
        _h_time,
        _lower("a.m", "p.m", "am", "pm", "noon", "midday", "midnight", ":"),
    ),
    (
        _rx(rf"""(?i:every|each|per)\s+(?:(?P<n>{_I(_NUM)})\s+)?(?P<unit>{_I(_UNIT)})s?\b
            |\b(?P<adv>(?i:hourly|daily|nightly|weekly|biweekly|monthly|annually|yearly))\b"""),
        _h_set,
        _lower(
            "every",
            "each",
            "per",
            "hourly",
            "daily",
            "nightly",
            "weekly",
            "monthly",
            "annually",
            "yearly",
        ),
    ),
    (
        _rx(rf"""(?P<hol>Christmas(?:\s+(?:Day|Eve))?|New\s+Year[’']s\s+(?:Day|Eve)
            |Independence\s+Day|Halloween|Valentine[’']s\s+Day|Thanksgiving(?:\s+Day)?
            |Labor\s+Day|Memorial\s+Day|Easter(?:\s+Sunday)?|Good\s+Friday)(?![a-z])
            (?:,?\s+(?P<year>{_YEAR})\b)?"""),
        _h_holiday,
        _lower(
            "christmas",
            "new year",
            "independence",
            "halloween",
            "valentine",
            "thanksgiving",
            "labor",
            "memorial",
            "easter",
            "good friday",
        ),
    ),
]

# modifiers left of a number phrase, found by searching only just before a core match
_LEFT: dict[_Handler, re.Pattern[str]] = {
    _h_duration: re.compile(
        rf"""(?<![A-Za-z0-9])(?i:(?:(?:the|its|their|his|her)\s+)?(?:(?:past|last|next|first
        |coming|previous|final|latest|following|initial|same|entire|full|whole|preceding)\s+)?
        (?:{_PRE_NUM_MOD}\s+)?)$""",
        _FLAGS,
    ),
    _h_ago: re.compile(rf"(?<![A-Za-z0-9])(?i:{_PRE_NUM_MOD}\s+)?$", _FLAGS),
}
_LEFT_REACH = 40

_RANGE_GAP = re.compile(r"\s*(?:and|to|until|till|through|thru|-|–|—)\s*", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)


def _ref_date(reference: datetime | None) -> date | None:
    # the reference's own local calendar date: a 03:04+10:00 stamp is that local day
    return None if reference is None else reference.date()


def find_times(text: str, reference: datetime | None) -> list[TimeSpan]:
    """Temporal expressions in `text`, normalised against `reference` (publication time)."""
    ref = _ref_date(reference)
    candidates: list[tuple[int, int, _Norm]] = []
    lowered = text.lower()
    for pattern, handler, gate in _PATTERNS:
        if gate:
            hay = lowered if gate[0] == "lower" else text
            if not any(g in hay for g in gate):
                continue
        for m in pattern.finditer(text):
            s, e = m.span()
            left = _LEFT.get(handler)
            if left is not None:
                lm = left.search(text, max(0, s - _LEFT_REACH), s)
                if lm is not None:
                    s = lm.start()
            while e > s and text[e - 1] in " \t\n,-":
                e -= 1
            if e <= s:
                continue
            norm = _resolve(handler, m, ref, text, s)
            if norm is not None:
                candidates.append((s, e, norm))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int, _Norm]] = []
    occupied = bytearray(len(text) + 1)
    for s, e, norm in candidates:
        if any(occupied[s:e]):
            continue
        occupied[s:e] = b"\x01" * (e - s)
        taken.append((s, e, norm))
    taken.sort(key=lambda c: c[0])
    spans = [TimeSpan(s, e, text[s:e], *_checked(t, v, iv)) for s, e, (t, v, iv) in taken]
    return _merge_ranges(text, spans)


def _resolve(
    handler: _Handler, m: re.Match[str], ref: date | None, text: str, start: int
) -> _Norm | None:
    """The handler's reading; unresolved (value None) when its date arithmetic runs off the
    calendar ("yesterday" on 0001-01-01, "next week" on 9999-12-31, "10000 years ago"):
    the expression is still a time expression, only its date cannot be written."""
    try:
        return _dispatch(handler, m, ref, text, start)
    except (OverflowError, ValueError):
        pass
    try:
        # without a reference a handler only names the expression's type
        norm = _dispatch(handler, m, None, text, start)
    except (OverflowError, ValueError):
        return None
    return None if norm is None else (norm[0], None, None)


# a value whose year the calendar cannot hold: "-001", "10000", "0000-12", the decade
# "000" and the century "00" (both hold the year 0), "-1" (a century before that)
_OFF_CALENDAR = re.compile(r"^(?:-|\d{5}|0000(?!\d)|000$|00$)")


def _checked(
    t: TimexType, value: str | None, interval: tuple[str, str] | None
) -> tuple[TimexType, str | None, tuple[str, str] | None]:
    """(type, value, interval) with a value off the calendar unresolved and an interval
    kept only when both its ends are dates (downstream reads them with `fromisoformat`)."""
    if value is not None and _OFF_CALENDAR.match(value):
        return (t, None, None)
    if interval is None:
        interval = _interval_for(t, value)
    if interval is not None:
        try:
            date.fromisoformat(interval[0])
            date.fromisoformat(interval[1])
        except ValueError:
            return (t, value, None)
    return (t, value, interval)


def _dispatch(
    handler: _Handler, m: re.Match[str], ref: date | None, text: str, start: int
) -> _Norm | None:
    if handler is _h_time and m["h2"] is not None:
        hh, mi = int(m["h2"]), int(m["mi2"])
        if ref is None:
            return ("TIME", None, None)
        return ("TIME", f"{_iso(ref)}T{hh:02d}:{mi:02d}", (_iso(ref), _iso(ref)))
    return handler(m, ref, text, start)


def _interval_for(t: TimexType, value: str | None) -> tuple[str, str] | None:
    if t in ("DURATION", "SET"):
        return None
    return value_interval(value)


def _merge_ranges(text: str, spans: list[TimeSpan]) -> list[TimeSpan]:
    """Join "between A and B" / "from A to B" into one DATE span covering both intervals."""
    out: list[TimeSpan] = []
    i = 0
    while i < len(spans):
        a = spans[i]
        if i + 1 < len(spans):
            b = spans[i + 1]
            gap = text[a.end : b.start]
            if (
                a.type == b.type == "DATE"
                and len(gap) <= 12
                and _RANGE_GAP.fullmatch(gap)
                and _RANGE_OPEN.search(text[max(0, a.start - 10) : a.start])
            ):
                value = f"{a.value}/{b.value}" if a.value and b.value else None
                interval = (a.interval[0], b.interval[1]) if a.interval and b.interval else None
                out.append(TimeSpan(a.start, b.end, text[a.start : b.end], "DATE", value, interval))
                i += 2
                continue
        out.append(a)
        i += 1
    return out
