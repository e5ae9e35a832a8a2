"""Property tests: the claim readers take any text without raising, and every span they
return is exactly the text it claims to cover.

Texts come from `st.text()` (control characters, combining marks, right-to-left scripts,
surrogate-free unicode), from soups of digits and punctuation, and from runs of news
vocabulary (number words, months, modifiers, currency signs) that drive the readers deep
into their grammars. The spaCy pipeline is loaded once for the module.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st

from crosswire.claims import extract_claims
from crosswire.claims.attribution import find_attributions
from crosswire.claims.entities import find_descriptors
from crosswire.claims.nlp import load_nlp
from crosswire.claims.numbers import find_number_atoms, find_numbers, quantity_kinds
from crosswire.claims.timex import find_times
from crosswire.model import Article, Story

NLP = load_nlp()

_VOCAB = [
    *[
        "one",
        "two",
        "three",
        "twenty-one",
        "hundred",
        "thousand",
        "million",
        "billion",
        "half",
        "quarter",
        "third",
        "a",
        "an",
        "and",
    ],
    *[
        "dozens",
        "hundreds",
        "thousands",
        "of",
        "several",
        "few",
        "nearly",
        "about",
        "more",
        "than",
        "at",
        "least",
        "up",
        "to",
        "between",
    ],
    *[
        "to",
        "or",
        "-",
        "–",
        "—",
        ",",
        ".",
        ";",
        ":",
        "%",
        "$",
        "€",
        "£",
        "US$",
        "percent",
        "per",
        "cent",
        "bn",
        "m",
        "k",
        "1.5bn",
        "5k",
        "10,000",
        "1,2",
        "0.5",
        "1/2",
        "½",
    ],
    *[
        "January",
        "Feb.",
        "May",
        "Tuesday",
        "today",
        "tomorrow",
        "yesterday",
        "last",
        "next",
        "this",
        "week",
        "month",
        "year",
    ],
    *[
        "decade",
        "century",
        "ago",
        "later",
        "earlier",
        "the",
        "1990s",
        "'90s",
        "2025",
        "9999",
        "0001",
        "0",
        "10000",
        "1e999",
        "1e308",
    ],
    *[
        "said",
        "told",
        "according",
        "killed",
        "injured",
        "people",
        "soldiers",
        '"',
        "“",
        "”",
        "(",
        ")",
        "[",
        "]",
        "\n",
        "\n\n",
    ],
    "magnitude",
    "death toll",
    " ",
    "  ",
    "\t",
    "\u0301",
    "\u200f",
    "مرحبا",
    "שלום",
    "٣",
    "１２",
]
news_soup = st.lists(st.sampled_from(_VOCAB), max_size=40).map(" ".join)
digit_soup = st.from_regex(r"[0-9 ,.\-/:%$€£a-z]{0,80}", fullmatch=True)
texts = st.one_of(st.text(max_size=200), news_soup, digit_soup)

_REFERENCES = [
    None,
    datetime(2025, 2, 28, 3, 4, tzinfo=timezone(timedelta(hours=10))),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))),
    datetime(1, 1, 1),
    datetime(9999, 12, 31),
]

SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(texts)
# a digit string too long for a float read as infinity, and int(inf) raised
@example("1" * 400 + " people")
@example("9e999 dollars")
def test_numbers_never_raise_and_cover_their_text(text: str) -> None:
    spans = find_numbers(text)
    last_end = 0
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.start >= last_end  # in order, never overlapping
        last_end = span.end
        for bound in (span.low, span.high):
            assert bound is None or math.isfinite(bound)
    assert len(quantity_kinds(text, spans)) == len(spans)
    for atom in find_number_atoms(text):
        assert text[atom.start : atom.end] == atom.text


@SETTINGS
@given(texts, st.sampled_from(_REFERENCES))
# date arithmetic off the calendar: OverflowError from "yesterday" on 0001-01-01
@example("It happened yesterday, on Tuesday, last week.", _REFERENCES[2])
@example("It happens tomorrow, next week, next decade.", _REFERENCES[3])
def test_times_never_raise_and_cover_their_text(text: str, reference: datetime | None) -> None:
    for span in find_times(text, reference):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
        if span.interval is not None:
            start, end = map(date.fromisoformat, span.interval)
            assert start <= end or span.type == "DATE"


@SETTINGS
@given(texts)
@example("SMITH: " + " : ".join(["officials said 5 people died"] * 20))
@example('He said "" " “ ( ( ( 5 ) ) ) ” she said:')
def test_attributions_never_raise_and_cover_their_text(text: str) -> None:
    doc = NLP(text)
    for attribution in find_attributions(doc) + find_attributions(doc, nested=False):
        for span in (
            attribution.cue,
            attribution.source,
            attribution.content,
            attribution.recipient,
            attribution.via,
        ):
            if span is not None:
                assert doc.text[span.start : span.end] == span.text


@SETTINGS
@given(texts)
def test_descriptors_are_inside_the_text(text: str) -> None:
    for start, end in find_descriptors(text):
        assert 0 <= start < end <= len(text)


@settings(max_examples=40, deadline=None)
@given(texts, st.sampled_from(["2025-02-27T10:00:00+00:00", "0001-01-01T00:00:00+14:00", None]))
def test_the_claims_stage_keeps_offsets_exact(text: str, published: str | None) -> None:
    article = Article(id="a", input="a.txt", text=text, outlet="X", published=published)
    story = Story(id="s", headline="h", articles=["a"])
    extract_claims([story], [article])
    for claim in story.claims:
        assert text[claim.start : claim.end] == claim.text
        for quantity in claim.quantities:
            assert text[quantity.start : quantity.end] == quantity.text
        if claim.time is not None:
            # the stage keeps only times it could date, with both ends real dates
            assert claim.time.start is not None and claim.time.end is not None
            date.fromisoformat(claim.time.start)
            date.fromisoformat(claim.time.end)
