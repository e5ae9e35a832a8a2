"""Clutter removal from already-flattened article text, one line at a time.

Aggregators glue their furniture onto the wire copy they republish: the outlet and
date as lines above the article, promo and newsletter blurbs, "submit your news"
lines, a section label run together with the first of a list of teasers for other
stories ("More InformationTOKYO, Japan: Foxconn ..."), each teaser cut off with "...".
`segment` labels every line by rules that need only the page itself; the batch-level
signal (lines a site repeats on many pages) is applied afterwards by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosswire.clean.metadata import (
    Byline,
    Found,
    canonical_agency,
    credit_line_agency,
    date_line,
    parse_byline,
    starts_with_dateline,
)
from crosswire.clean.wires import is_photo_caption, read_trailer, split_glued_trailer

# lines longer than this are paragraphs, whatever words they contain
MAX_CLUTTER_CHARS = 300
# the header (outlet, date, byline, title above the article) is at most this many lines
MAX_HEADER_LINES = 5
# a wire story's dateline opens the article within this many lines of the header; what
# sits above it there (a photo caption, a gallery counter) is not the story
MAX_LINES_BEFORE_DATELINE = 4
# a header line is short; a longer one is the article's first paragraph
MAX_HEADER_WORDS = 20
# an outlet name written as a header line is a few capitalised words
MAX_OUTLET_WORDS = 4

SECTION_LABELS = (
    "more information",
    "more stories",
    "more news",
    "related",
    "related stories",
    "related articles",
    "related news",
    "related coverage",
    "read more",
    "read also",
    "also read",
    "see also",
    "top stories",
    "latest news",
    "latest stories",
    "recommended",
    "recommended stories",
    "trending",
    "trending now",
    "most popular",
    "most read",
    "you may also like",
    "advertisement",
    "share this",
    "share this article",
    "comments",
)
_LABEL_ALTERNATION = "|".join(
    re.escape(label) for label in sorted(SECTION_LABELS, key=len, reverse=True)
)
_GLUED_LABEL_RE = re.compile(rf"^(?P<label>{_LABEL_ALTERNATION}):?(?=[A-Z0-9(“\"])", re.IGNORECASE)
# a capitalised phrase glued to a dateline in capitals: "Top HeadlinesSEOUL, South Korea: ..."
_GLUED_DATELINE_RE = re.compile(
    r"^(?P<label>[A-Z][a-z]+(?: [A-Za-z][a-z]+){0,3}[a-z])(?=[A-Z]{2,})"
)

# Each promo rule runs only when its trigger words occur in the lower-cased line: an
# unanchored regex costs microseconds per line, a substring test a fraction of that.
_PROMO_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (trigger, re.compile(pattern))
    for triggers, pattern in (
        (
            ("daily ", "weekly "),
            r"\b(?:daily|weekly) (?:dose|digest|newsletter|briefing|e-?mail)\b",
        ),
        (
            ("sign up", "subscribe"),
            r"\b(?:sign up|subscribe)\b.{0,80}\b(?:newsletter|our (?:\w+ )?e-?mail|alerts|inbox)\b",
        ),
        (("newsletter",), r"\bnewsletter\b.{0,80}\b(?:sign up|subscribe|inbox|free)\b"),
        (
            ("submit",),
            r"\bsubmit(?:ting)?\s+(?:a\s+|your\s+)?(?:news|story|stories|press release)",
        ),
        (("release to",), r"\b(?:news|press) release to\b"),
        (("publish",), r"^publish news of your\b"),
        (("follow us",), r"\bfollow us on\b"),
        (("here",), r"^(?:click|tap) here\b"),
        (("rights reserved",), r"\ball rights reserved\b"),
        (("©", "(c)", "copyright"), r"^(?:©|\(c\)\s*\d{4}|copyright\s+(?:©\s*)?\d{4})"),
        (("download",), r"\bdownload (?:our|the) (?:free )?app\b"),
        (
            ("share", "tweet", "mail", "print"),
            r"^(?:share|tweet|e-?mail|print)(?: this)?(?: article| story)?$",
        ),
        (("share",), r"^share (?:this|on)\b[^.!?]{0,100}$"),
        (("subscribe",), r"^subscribe (?:to|now|today)\b"),
        (("cancel anytime",), r"\bcancel anytime\b"),
        (("read", "see"), r"^(?:read|see) (?:more|also|the full story)\b.{0,100}$"),
        (("cookies",), r"\bthis (?:website|site) uses cookies\b"),
    )
    for trigger in triggers
)
# teasers are cut off with "...", "…", and on some sites a sloppy ".."
_ELLIPSIS_RE = re.compile(r"(?:\.\.|…)\s*$")
# a bar of short links ("Facebook | X | WhatsApp | Email")
_LINK_BAR_RE = re.compile(r"^[^|.!?]{1,40}(?:\|[^|.!?]{1,40}){2,}$")
# a label with a few more words: "Trending on ValleyCourier.com", "Related: Ukraine"
MAX_LABEL_WORDS = 5
# how sentences end across scripts: a first paragraph in Spanish («...»), German
# („...“), Chinese or Japanese (。), Hindi (।), Arabic or Urdu (؟ ۔) is running text
# too, and must not be taken for a headline because it lacks an English full stop
_PARAGRAPH_END_RE = re.compile("[.!?\"”“’')\\]»«。．！？｡」』）】।॥؟۔։።፧။។]$")
_OUTLET_WORD_RE = re.compile(r"^(?:[A-Z][\w&'’.-]*|of|the|and|de|la|du|el|für|&)$")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the page and why it was removed (None: article body)."""

    text: str
    reason: str | None = None


@dataclass(slots=True)
class Header:
    """Metadata read from the lines above the article."""

    credit: Found | None = None
    published: Found | None = None
    byline: Byline | None = None
    title: Found | None = None
    outlet: Found | None = None


@dataclass(slots=True)
class Segmented:
    """A page's lines, each labelled, and what its header said."""

    lines: list[Line]
    header: Header = field(default_factory=Header)

    @property
    def body(self) -> list[str]:
        return [line.text for line in self.lines if line.reason is None]

    @property
    def removed(self) -> list[str]:
        return [line.text for line in self.lines if line.reason is not None]


def split_lines(text: str) -> list[str]:
    """Non-empty stripped lines, with run-together labels split from what follows them."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = raw.strip()
        if stripped:
            for piece in split_glued_label(stripped):
                lines.extend(split_glued_trailer(piece))
    return lines


def split_glued_label(line: str) -> list[str]:
    """["More Information", "TOKYO, Japan: ..."] for "More InformationTOKYO, Japan: ..."."""
    match = _GLUED_LABEL_RE.match(line)
    if match is None:
        match = _GLUED_DATELINE_RE.match(line)
        if match is None or not starts_with_dateline(line[match.end() :]):
            return [line]
    rest = line[match.end() :].strip()
    return [match.group("label"), rest] if rest else [line]


def is_paragraph(line: str) -> bool:
    """Whether a line reads as running text rather than a label, name or date."""
    # Chinese and Japanese put no spaces between words, so the word count says nothing
    # there: a line that is long, or that holds a full stop with more text after it (two
    # sentences; headlines have one), is running text too.
    return (
        len(line) > MAX_CLUTTER_CHARS
        or bool(_PARAGRAPH_END_RE.search(line))
        or len(line.split()) > MAX_HEADER_WORDS
        or "。" in line[:-1]
    )


def clutter_reason(line: str) -> str | None:
    """Why a line is site clutter by itself ("promo", "label"), or None."""
    if len(line) > MAX_CLUTTER_CHARS:
        return None
    if is_label(line):
        return "label"
    if _LINK_BAR_RE.match(line):
        return "links"
    lowered = line.casefold()
    for trigger, pattern in _PROMO_RULES:
        if trigger in lowered and pattern.search(lowered):
            return "promo"
    if read_trailer(line) is not None:
        return "trailer"
    if is_photo_caption(line):
        return "caption"
    return None


def is_label(line: str) -> bool:
    """Whether a line is a section label: "More Information", "Trending on Site.com"."""
    folded = line.casefold().rstrip(": ")
    if folded in SECTION_LABELS:
        return True
    if len(folded.split()) > MAX_LABEL_WORDS or _PARAGRAPH_END_RE.search(line):
        return False
    return any(folded.startswith(label + " ") for label in SECTION_LABELS)


def segment(text: str, *, titled: bool = False) -> Segmented:
    """Label every line of flattened text: header metadata, clutter, or body.

    `titled` says the title is already known (an HTML page's), so no header line is
    taken for a title or an outlet name: in extracted main text such a short first
    line is a subheading or a lede, which is body.
    """
    lines = split_lines(text)
    header, header_lines = read_header(lines, titled=titled)
    labelled = header_lines + [
        Line(line, clutter_reason(line)) for line in lines[len(header_lines) :]
    ]
    _mark_teasers(labelled, first_body=len(header_lines))
    _mark_link_lists(labelled)
    _mark_lines_before_dateline(labelled, first_body=len(header_lines))
    return Segmented(labelled, header)


def read_header(lines: list[str], *, titled: bool = False) -> tuple[Header, list[Line]]:
    """The metadata lines above the article: credit, date, byline, title or outlet."""
    header = Header()
    taken: list[Line] = []
    for line in lines[:MAX_HEADER_LINES]:
        if starts_with_dateline(line) or (is_paragraph(line) and not parse_byline(line)):
            break
        reason = _header_field(header, line, titled=titled)
        if reason is None:
            break
        taken.append(Line(line, reason))
    return header, taken


def _header_field(header: Header, line: str, *, titled: bool) -> str | None:
    """Store what `line` says in `header` and return its kind, or None if it says nothing."""
    credit = credit_line_agency(line)
    if credit is not None and header.credit is None:
        header.credit = credit
        return "header-credit"
    published = date_line(line) if header.published is None else None
    if published is not None:
        header.published = published
        return "header-date"
    byline = parse_byline(line)
    if byline is not None and header.byline is None:
        header.byline = byline
        return "header-byline"
    if is_photo_caption(line):
        # a picture's caption above the story is never its title
        return "caption"
    if titled:
        return None
    if _looks_like_outlet(line) and header.title is None:
        if header.outlet is None:
            header.outlet = Found(line, line)
            return "header-outlet"
        # a second name-like line under the outlet is its section ("World News")
        return "header-section"
    if header.title is None and not _PARAGRAPH_END_RE.search(line):
        header.title = Found(line, line)
        return "header-title"
    return None


def _looks_like_outlet(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= MAX_OUTLET_WORDS
        and all(_OUTLET_WORD_RE.match(word) for word in words)
        and canonical_agency(line) is None
    )


def _mark_teasers(lines: list[Line], first_body: int) -> None:
    """Label as teasers the cut-off lines that tease other stories.

    A line ending in "..." is a teaser when it opens with a dateline (unless it opens
    the article itself), sits in a run of such lines, or follows removed clutter.
    """
    cut = [
        len(line.text) <= MAX_CLUTTER_CHARS and bool(_ELLIPSIS_RE.search(line.text))
        for line in lines
    ]
    for index in range(first_body, len(lines)):
        line = lines[index]
        if line.reason is not None or not cut[index]:
            continue
        in_run = (index > first_body and cut[index - 1]) or (
            index + 1 < len(lines) and cut[index + 1]
        )
        after_clutter = index > first_body and lines[index - 1].reason is not None
        dateline_teaser = index > first_body and starts_with_dateline(line.text)
        if in_run or after_clutter or dateline_teaser:
            lines[index] = Line(line.text, "teaser")


def _mark_link_lists(lines: list[Line]) -> None:
    """Label as teasers the headlines listed under a section label ("Read more:").

    Headlines have no closing punctuation, which tells them from the article's next
    paragraph should a label ever sit inside the body.
    """
    in_list = False
    for index, line in enumerate(lines):
        if line.reason == "label":
            in_list = True
        elif in_list and line.reason is None and not is_paragraph(line.text):
            lines[index] = Line(line.text, "teaser")
        elif line.reason is None:
            in_list = False


def _mark_lines_before_dateline(lines: list[Line], first_body: int) -> None:
    """Label as captions the short lines between the header and a wire's dateline.

    The dateline opens the wire's text, so a line above it that does not end as a
    sentence is the page's, not the story's: a photo caption without a credit, "1 / 1
    Back to Gallery". A paragraph above the dateline means the page is not laid out
    that way (an editor's note, a lead the site wrote itself), and nothing is labelled.
    """
    end = min(len(lines), first_body + MAX_LINES_BEFORE_DATELINE + 1)
    for index in range(first_body, end):
        line = lines[index]
        if line.reason is not None:
            continue
        if starts_with_dateline(line.text):
            for before in range(first_body, index):
                if lines[before].reason is None:
                    lines[before] = Line(lines[before].text, "caption")
            return
        if is_paragraph(line.text):
            return
