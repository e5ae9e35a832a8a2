"""Properties of stage 2 on arbitrary text: its readers never raise, and what they give
back as read from a line is that line's own text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crosswire.clean import clean_documents
from crosswire.clean.chars import one_line, scrub, scrub_html
from crosswire.clean.metadata import (
    agency_told_in_body,
    author_names,
    canonical_agency,
    credit_line_agency,
    date_line,
    detect_language,
    domain_of,
    implausible,
    normalise_datetime,
    outlet_from_promo,
    parse_byline,
    parse_dateline,
)
from crosswire.clean.text import segment, split_lines
from crosswire.model import RawDoc, published_instant

FAST = settings(max_examples=200, deadline=None)
SLOW = settings(max_examples=100, deadline=None)

# Pieces of the lines the rules look for, so that generated text reaches deep into the
# patterns (datelines, bylines, dates, labels, promo lines) and not only their first byte.
PIECES = [
    "SEOUL",
    "NEW YORK",
    ", South Korea",
    " [US]",
    " (AFP) ",
    "(Reuters)",
    " -- ",
    " — ",
    ": ",
    "By ",
    "By the ",
    "Jane Doe",
    ", Associated Press",
    "Voice of America",
    "Source: Reuters",
    "28 Feb 2025",
    "February 27, 2025",
    "Thu, 27 Feb 2025 18:04:00 +0000",
    "2025-02-27T10:00:00+09:00",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    ", 03:04",
    " 3:04 PM",
    " GMT+10",
    " EST",
    "Updated: ",
    "More Information",
    "Read more:",
    "Top Headlines",
    "Sign up for our daily newsletter",
    "news release to Manila Metro",
    "© 2026 Northgate Post Media Ltd.",
    "told Agence France-Presse",
    " | ",
    "...",
    "…",
    ".",
    "?",
    "»",
    "。",
    "政府周二表示",
    "Die Regierung",
    "The council voted on Tuesday",
    "12,000",
    " ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x85",
    "\u2028",
    "\ufeff",
    "🎉",
]
pieced = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
# any text (control characters included, surrogates not: no decoder produces them
# except JSON escapes, which `scrub` handles), and text built from the pieces above
texts = st.one_of(st.text(), pieced, st.lists(st.one_of(st.text(max_size=5), pieced)).map("".join))
lines = texts.map(lambda text: text.split("\n")[0])


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@FAST
@given(texts, st.booleans())
def test_segment_labels_every_line_and_each_line_is_the_texts_own(text: str, titled: bool) -> None:
    segmented = segment(text, titled=titled)
    source = _normalised(text)
    for line in segmented.lines:
        assert line.text and line.text in source
        assert line.text == line.text.strip()
    assert len(segmented.body) + len(segmented.removed) == len(segmented.lines)
    header = segmented.header
    for found in (header.credit, header.published, header.title, header.outlet):
        assert found is None or found.evidence in source
    if header.byline is not None:
        assert header.byline.evidence in source
        assert header.byline.names in header.byline.evidence


@FAST
@given(texts)
def test_split_lines_keeps_only_text_of_the_input(text: str) -> None:
    source = _normalised(text)
    for line in split_lines(text):
        assert line and line in source and "\n" not in line


@FAST
@given(lines)
def test_a_dateline_is_read_from_the_head_of_its_line(line: str) -> None:
    dateline = parse_dateline(line)
    if dateline is not None:
        assert line.startswith(dateline.evidence)
        assert dateline.place
        assert dateline.agency is None or dateline.agency in dateline.evidence


@FAST
@given(lines)
def test_bylines_credits_and_date_lines_are_read_from_their_line(line: str) -> None:
    byline = parse_byline(line)
    if byline is not None:
        assert byline.evidence == line.strip() and byline.names in line
    credit = credit_line_agency(line)
    if credit is not None:
        assert credit.evidence == line.strip()
    dated = date_line(line)
    if dated is not None:
        assert dated.evidence == line.strip()
        datetime.fromisoformat(dated.value)
    author_names(line)
    canonical_agency(line)
    domain_of(line)


@FAST
@given(texts)
def test_agencies_and_outlets_named_in_text_are_quoted_from_it(text: str) -> None:
    told = agency_told_in_body(text)
    if told is not None:
        assert told.evidence in text
    promo = outlet_from_promo(text.split("\n"))
    if promo is not None:
        assert promo.evidence in text.split("\n") and promo.value in promo.evidence


@SLOW  # dateparser, the last resort, costs milliseconds a call
@given(texts)
def test_a_written_date_becomes_iso_or_nothing(text: str) -> None:
    value = normalise_datetime(text)
    if value is not None:
        datetime.fromisoformat(value)
        implausible(value)  # never raises either


@st.composite
def iso_moments(draw: st.DrawFn) -> str:
    """ISO 8601 strings over the whole calendar, with any offset a zone can have."""
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
    if draw(st.booleans()):
        return moment.date().isoformat()
    minutes = draw(st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59))
    return moment.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()


@FAST
@given(st.one_of(iso_moments(), texts))
@example("0001-01-01T00:00:00+14:00")
@example("9999-12-31T23:59:59-12:00")
def test_published_instants_are_safe_for_date_arithmetic(value: str) -> None:
    moment = published_instant(value)
    if moment is not None:
        utc = moment.astimezone(UTC)
        assert utc - timedelta(days=365) < utc + timedelta(days=365)
    normalised = normalise_datetime(value)
    if normalised is not None and implausible(normalised) is None:
        assert published_instant(normalised) is not None


def _controls(value: str) -> list[str]:
    return [c for c in value if unicodedata.category(c) in ("Cc", "Cs") and c not in "\t\n"]


@FAST
@given(st.one_of(texts, st.text(alphabet=st.characters(codec=None, categories=["Cs", "Cc"]))))
def test_scrubbed_text_holds_no_control_characters(text: str) -> None:
    scrubbed = scrub(text)
    assert _controls(scrubbed) == [] and "\r" not in scrubbed
    assert scrub(scrubbed) == scrubbed
    single = one_line(text)
    assert "\n" not in single and _controls(single) == []
    assert _controls(scrub_html(text)) == []


@SLOW
@given(texts)
def test_cleaning_arbitrary_text_never_fails_inside(text: str) -> None:
    doc = RawDoc(kind="record", input="r", text=text, title=text, outlet=text, published=text)
    articles, errors = clean_documents([doc])
    assert all(not error.error.startswith("could not clean") for error in errors), errors
    for article in articles:
        for value in (article.text, article.title, article.outlet, article.byline):
            assert value is None or _controls(value) == []
        detect_language(article.text)


@SLOW
@given(texts)
def test_cleaning_arbitrary_html_never_fails_inside(text: str) -> None:
    articles, errors = clean_documents([RawDoc(kind="html", input="p.html", html=text)])
    assert all(not error.error.startswith("could not clean") for error in errors), errors
    for article in articles:
        assert _controls(article.text) == []
