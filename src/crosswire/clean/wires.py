"""What wire copy carries around its own text: photo captions, credit trailers.

A page that republishes a wire story often puts the photo's caption above the
dateline ("A man walks past ... REUTERS/Jane Roe"), and the wire ends its copy with
who reported and edited it ("Reporting by ...; Editing by ..."). Neither is part of
the story: a caption read as the lead makes the article open with a picture's
description, and a trailer's names are not claims. Trailers also say whose copy it is,
since each agency writes them its own way (`TRAILER_STYLES`).

Rules look at one line at a time and only at its ends, with bounded patterns: they run
on every line of every article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosswire.clean.metadata import AGENCY_ALIASES, Found, canonical_agency

# a caption or a trailer is a line, not a paragraph
MAX_WIRE_LINE_CHARS = 300
# a photo credit sits in the last few dozen characters of its caption
_CREDIT_TAIL_CHARS = 120

_PHOTO_AGENCIES = r"(?:AP|AFP|EPA|Reuters|REUTERS|Xinhua|Anadolu|ANSA|dpa|PA|UPI|Kyodo|Yonhap)"
_NAME = r"[A-Z][\w.'’ -]{1,40}"
# Credits that end a caption. Every one is anchored at the line's end, and a credit
# ends without a full stop: a paragraph that mentions "a photo by her son" or "Getty
# Images" goes on after it, or ends as a sentence.
_CAPTION_END_RE = re.compile(
    r"(?:"
    # "REUTERS/Jane Roe", "REUTERS/Jane Roe/File Photo", "Jane Roe/AFP"
    rf"\bREUTERS/{_NAME}(?:/File Photo)?|/(?:AFP|AP|EPA|Xinhua|Reuters|REUTERS)"
    # "(AP Photo/Jane Roe)", "AFP Photo/Jane ROE"
    rf"|\b{_PHOTO_AGENCIES} Photo(?:/[^()\n]{{1,60}})?"
    # "(Photo: Jane Roe)", "Photo by Jane Roe", "photos © Site, 2018", "Credit: Site";
    # a full stop inside a credit only ends an initial ("F. Roe") or sits in "U.S."
    r"|\b(?i:photo|picture|image|credit)s?\s*+(?::|by|©)\s*+(?:[^\W\d_]|@)"
    r"(?:[^()\n.!?]|(?<=\b[A-Z])\.|\.(?=\S)){0,60}[^()\n.!?\"”]"
    # "via Getty Images", "(File photo)"
    r"|\bGetty Images|\bFile [Pp]hoto"
    r")\)?\s*$"
)
# Reuters and others open a caption with what kind of picture it is
_CAPTION_START_RE = re.compile(r"^(?:FILE PHOTO|PHOTO|File photo|Photo)\s*:")
# a caption is one sentence: "Photo: Jane RoeIn light of the outbreak, ... . The"
# is a caption glued to a paragraph, which must not be lost with it
_NEXT_SENTENCE_RE = re.compile(r"[.!?]\s+[A-Z]|[a-z][A-Z][a-z]")


def is_photo_caption(line: str) -> bool:
    """Whether a line is a photo's caption: it ends with, or opens as, a photo credit."""
    if len(line) > MAX_WIRE_LINE_CHARS:
        return False
    if _CAPTION_END_RE.search(line[-_CREDIT_TAIL_CHARS:]):
        return True
    return bool(_CAPTION_START_RE.match(line)) and _NEXT_SENTENCE_RE.search(line) is None


# --- trailers ------------------------------------------------------------------------

# the jobs a wire's trailer credits, each followed by "by" and names
_ROLES = (
    r"(?:additional\s+)?(?:reporting|editing|edited|writing|written|compiled|compiling"
    r"|research|graphics|translation|translated|production|produced|fact-?checking)"
)
_ROLE_PART_RE = re.compile(rf"^{_ROLES}\s+by\s+\S", re.IGNORECASE)
# where one role's part ends and the next begins: "...; Editing by", "..., editing by"
_ROLE_SPLIT_RE = re.compile(rf"[;,]\s*(?={_ROLES}\s+by\b)", re.IGNORECASE)
# a single unbracketed part this long that ends as a sentence is body ("Reporting by the
# Times showed that ..."); a trailer's names and places are fewer words
_MAX_SENTENCE_LIKE_ROLE_WORDS = 10

# an agency a trailer names as the one it reports for ("Reporting by Jane Roe for AFP");
# a bare "PA" could be Pennsylvania in "Reporting by Jane Roe in Erie, PA"
_AGENCY_NAMED_RE = re.compile(
    r"\b(?:for|from|with|by)\s+(?:the\s+)?(?P<agency>"
    + "|".join(re.escape(alias) for alias in sorted(AGENCY_ALIASES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_EDITING_RE = re.compile(r"\bediting\s+by\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TrailerStyle:
    """A shape of trailer line and the agency whose house style it is (None: several use it)."""

    pattern: re.Pattern[str]
    agency: str | None


# Trailer shapes other than the role list. Each agency writes its own: a line in one of
# these shapes says whose copy the article is even when the dateline was cut.
TRAILER_STYLES: tuple[TrailerStyle, ...] = (
    # Reuters' footer under its copy
    TrailerStyle(
        re.compile(r"^Our Standards:\s*The Thomson Reuters Trust Principles\.?$"), "Reuters"
    ),
    # Bloomberg's
    TrailerStyle(re.compile(r"^[-—–]+\s*With assistance from\s+[A-Z][^\n]{1,200}$"), "Bloomberg"),
    TrailerStyle(
        re.compile(r"^To contact the (?:reporters?|editors?)\b[^\n]{0,40}\bon this story\b"),
        "Bloomberg",
    ),
    TrailerStyle(re.compile(r"^To contact the editors? responsible for this story\b"), "Bloomberg"),
    # "Associated Press writer Jane Roe in Paris contributed to this report.": the AP
    # credits its own staff this way
    TrailerStyle(
        re.compile(
            r"^(?:The\s+)?Associated Press (?:writers?|reporters?|correspondents?|"
            r"journalists?|videographers?|photographers?)\b[^\n]{1,200}?\bcontributed\b"
            r"[^\n]{0,40}$"
        ),
        "AP",
    ),
    # "The Associated Press contributed to this report." under an outlet's own story:
    # the wire helped, the copy is not the wire's
    TrailerStyle(
        re.compile(
            r"^(?:Material from\s+|Information from\s+)?(?:The\s+)?[A-Z][\w.'’-]*"
            r"(?:\s+[A-Z][\w.'’-]*){0,3}\s+contributed to this (?:report|story|article)\.?$"
        ),
        None,
    ),
)


@dataclass(frozen=True, slots=True)
class Trailer:
    """A wire's trailer line and the agency it credits, if it says."""

    agency: str | None
    evidence: str


def read_trailer(line: str) -> Trailer | None:
    """The credit trailer a line is ("Reporting by Jane Roe; Editing by Sam Poe"), or None.

    Role lists ("Reporting by", "Writing by", "Compiled by", bracketed or not) credit
    Reuters when they hold an editing role, the part of its house style others do
    not copy; an agency named inside the trailer wins over that.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_WIRE_LINE_CHARS:
        return None
    for style in TRAILER_STYLES:
        if style.pattern.match(stripped):
            return Trailer(style.agency, stripped)
    if " by " not in stripped.casefold() or not _is_role_list(stripped):
        return None
    named = _AGENCY_NAMED_RE.search(stripped)
    agency = None
    if named is not None and _written_as_agency(named.group("agency")):
        agency = canonical_agency(named.group("agency"))
    if agency is None and _EDITING_RE.search(stripped):
        agency = "Reuters"
    return Trailer(agency, stripped)


def _written_as_agency(name: str) -> bool:
    # acronyms in capitals only: "pa" or "ap" inside a name is not the agency
    return len(name) > 4 or name.isupper() or name == "dpa"


def _is_role_list(line: str) -> bool:
    bracketed = line.startswith("(") and line.endswith(")")
    # "*Writing by ...", "- Compiled by ...", "(Reporting by ...)"
    inner = line.strip("()").lstrip("*-—– ").strip()
    parts = _ROLE_SPLIT_RE.split(inner)
    if not all(_ROLE_PART_RE.match(part.strip()) for part in parts):
        return False
    if bracketed or len(parts) > 1:
        return True
    sentence_like = inner.endswith((".", "!", "?"))
    return not sentence_like or len(inner.split()) <= _MAX_SENTENCE_LIKE_ROLE_WORDS


# a trailer glued to the end of the last paragraph: 'he said. (Reporting by ...)'
_GLUED_TRAILER_START_RE = re.compile(rf"[.!?\"”’)]\s++(?=\({_ROLES}\s+by\b)", re.IGNORECASE)


def split_glued_trailer(line: str) -> list[str]:
    """["...he said.", "(Reporting by ...)"] for a paragraph that ends with its trailer."""
    if not line.endswith(")") or " by " not in line[-MAX_WIRE_LINE_CHARS:]:
        return [line]
    match = _GLUED_TRAILER_START_RE.search(line, max(0, len(line) - MAX_WIRE_LINE_CHARS))
    if match is None:
        return [line]
    head, tail = line[: match.start() + 1].strip(), line[match.end() :].strip()
    if not head or read_trailer(tail) is None:
        return [line]
    return [head, tail]


def trailer_credit(lines: list[str]) -> Found | None:
    """The agency the first crediting trailer among `lines` names, with the line."""
    for line in lines:
        trailer = read_trailer(line)
        if trailer is not None and trailer.agency is not None:
            return Found(trailer.agency, trailer.evidence)
    return None
