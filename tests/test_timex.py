"""Temporal expression tagging and normalisation against a fixed publication time.

The reference 2025-02-28T03:04+10:00 is a Friday in its own time zone (Thursday in UTC);
calendar resolution uses the reference's local date, so "today" is 2025-02-28.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crosswire.claims.timex import TimeSpan, find_times

REF = datetime(2025, 2, 28, 3, 4, tzinfo=timezone(timedelta(hours=10)))
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TEMPEVAL_TRAINING = DATA / "claims_raw" / "tempeval3" / "Training"


def one(text: str, reference: datetime | None = REF) -> TimeSpan:
    spans = find_times(text, reference)
    assert len(spans) == 1, spans
    span = spans[0]
    assert text[span.start : span.end] == span.text
    return span


@pytest.mark.parametrize(
    ("sentence", "span_text", "value", "interval"),
    [
        ("The minister said Thursday that", "Thursday", "2025-02-27", ("2025-02-27",) * 2),
        ("The firm met on Friday.", "Friday", "2025-02-28", ("2025-02-28",) * 2),
        ("Sales slumped last fall.", "last fall", "2024-FA", ("2024-09-01", "2024-11-30")),
        ("It happened in January.", "January", "2025-01", ("2025-01-01", "2025-01-31")),
        ("It started in December.", "December", "2024-12", ("2024-12-01", "2024-12-31")),
        ("They met on Feb. 7 in Paris.", "Feb. 7", "2025-02-07", ("2025-02-07",) * 2),
        ("Output fell last year.", "last year", "2024", ("2024-01-01", "2024-12-31")),
        ("Output rose this year.", "this year", "2025", ("2025-01-01", "2025-12-31")),
        (
            "Earlier this month, he quit.",
            "Earlier this month",
            "2025-02",
            ("2025-02-01", "2025-02-28"),
        ),
        ("Talks resume in mid-January.", "mid-January", "2025-01", ("2025-01-11", "2025-01-20")),
        ("He left late last year.", "late last year", "2024", ("2024-09-01", "2024-12-31")),
        ("It rained yesterday.", "yesterday", "2025-02-27", ("2025-02-27",) * 2),
        ("It is sunny today.", "today", "2025-02-28", ("2025-02-28",) * 2),
        ("The vote was last week.", "last week", "2025-W08", ("2025-02-17", "2025-02-23")),
        ("Prices rose last month.", "last month", "2025-01", ("2025-01-01", "2025-01-31")),
        ("Rates rise next month.", "next month", "2025-03", ("2025-03-01", "2025-03-31")),
        ("He was jailed two years ago.", "two years ago", "2023", ("2023-01-01", "2023-12-31")),
        (
            "Profit fell in the third quarter.",
            "the third quarter",
            "2024-Q3",
            ("2024-07-01", "2024-09-30"),
        ),
        ("Born in the 1990s.", "the 1990s", "199", ("1990-01-01", "1999-12-31")),
        ("Built in 2024.", "2024", "2024", ("2024-01-01", "2024-12-31")),
        ("Revenue in fiscal 2025 grew.", "fiscal 2025", "2025", ("2025-01-01", "2025-12-31")),
        ("Signed Feb. 7, 2025 in Rome.", "Feb. 7, 2025", "2025-02-07", ("2025-02-07",) * 2),
        ("Signed 7 February 2025 in Rome.", "7 February 2025", "2025-02-07", ("2025-02-07",) * 2),
        ("Filed 2025-02-07 in court.", "2025-02-07", "2025-02-07", ("2025-02-07",) * 2),
        ("Filed 02/07/2025 in court.", "02/07/2025", "2025-02-07", ("2025-02-07",) * 2),
        (
            "Opened in the summer of 2023.",
            "the summer of 2023",
            "2023-SU",
            ("2023-06-01", "2023-08-31"),
        ),
    ],
)
def test_dates_resolve_against_publication_time(
    sentence: str, span_text: str, value: str, interval: tuple[str, str]
) -> None:
    span = one(sentence)
    assert (span.text, span.type, span.value, span.interval) == (
        span_text,
        "DATE",
        value,
        interval,
    )


def test_first_week_of_month_is_the_month_with_a_seven_day_interval() -> None:
    span = one("Troops arrived in the first week of February.")
    assert span.text == "the first week of February"
    assert span.value == "2025-02"
    assert span.interval == ("2025-02-01", "2025-02-07")


def test_between_two_months_is_one_range() -> None:
    span = one("Prices rose between January and February.")
    assert span.text == "January and February"  # TimeML: leading "between" stays out
    assert span.value == "2025-01/2025-02"
    assert span.interval == ("2025-01-01", "2025-02-28")


def test_from_month_to_month_is_one_range() -> None:
    span = one("Floods lasted from March to May.")
    assert span.interval == ("2024-03-01", "2024-05-31")


@pytest.mark.parametrize(
    ("sentence", "span_text", "value"),
    [
        ("Police arrived at 3 p.m. to the scene.", "3 p.m.", "2025-02-28T15:00"),
        ("The blast came at 10:30 a.m. local time.", "10:30 a.m.", "2025-02-28T10:30"),
        ("They meet at noon.", "noon", "2025-02-28T12:00"),
        ("Shots were fired Friday night.", "Friday night", "2025-02-28TNI"),
        ("He spoke this morning.", "this morning", "2025-02-28TMO"),
        ("She speaks tonight.", "tonight", "2025-02-28TNI"),
    ],
)
def test_times_take_the_reference_date(sentence: str, span_text: str, value: str) -> None:
    span = one(sentence)
    assert (span.text, span.type, span.value) == (span_text, "TIME", value)
    assert span.interval == ("2025-02-28", "2025-02-28")


@pytest.mark.parametrize(
    ("sentence", "span_text", "value"),
    [
        ("He served for three years.", "three years", "P3Y"),
        ("The siege lasted two weeks.", "two weeks", "P2W"),
        ("Rescuers searched for 48 hours.", "48 hours", "PT48H"),
        ("A five-year plan.", "five-year", "P5Y"),
    ],
)
def test_durations(sentence: str, span_text: str, value: str) -> None:
    span = one(sentence)
    assert (span.text, span.type, span.value, span.interval) == (
        span_text,
        "DURATION",
        value,
        None,
    )


def test_anchored_durations_end_at_the_reference() -> None:
    span = one("Crime rose over the past decade.")
    assert (span.text, span.type, span.value) == ("the past decade", "DURATION", "P10Y")
    assert span.interval == ("2015-02-28", "2025-02-28")
    assert one("Prices doubled in the past three years.").text == "the past three years"


@pytest.mark.parametrize(
    ("sentence", "span_text", "value"),
    [
        ("Inspections happen every week.", "every week", "P1W"),
        ("The paper is published weekly.", "weekly", "P1W"),
        ("Figures are released annually.", "annually", "P1Y"),
        ("He runs daily.", "daily", "P1D"),
    ],
)
def test_sets(sentence: str, span_text: str, value: str) -> None:
    span = one(sentence)
    assert (span.text, span.type, span.value, span.interval) == (span_text, "SET", value, None)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The plant is now closed.", "PRESENT_REF"),
        ("It is currently shut.", "PRESENT_REF"),
        ("He recently resigned.", "PAST_REF"),
        ("Mistakes were made in the past.", "PAST_REF"),
        ("Nobody knows the future.", "FUTURE_REF"),
    ],
)
def test_vague_references(sentence: str, value: str) -> None:
    span = one(sentence)
    assert (span.type, span.value, span.interval) == ("DATE", value, None)


@pytest.mark.parametrize(
    "sentence",
    ["He said Thursday that", "Sales fell last year.", "It happened in January.",
     "Rain is due tomorrow.", "Profit fell in the third quarter.", "They met on Feb. 7."],
)  # fmt: skip
def test_relative_expressions_without_reference_are_unresolved(sentence: str) -> None:
    span = one(sentence, None)
    assert span.value is None
    assert span.interval is None


def test_absolute_expressions_resolve_without_reference() -> None:
    assert one("Signed Feb. 7, 2025 in Rome.", None).value == "2025-02-07"
    assert one("Built in 2024.", None).interval == ("2024-01-01", "2024-12-31")
    assert one("Filed 2025-02-07.", None).value == "2025-02-07"


def test_naive_reference_and_weekday_on_the_reference_day() -> None:
    thursday = datetime(2025, 2, 27, 18, 0)
    assert one("The court ruled Thursday.", thursday).value == "2025-02-27"
    assert one("The court ruled last Thursday.", thursday).value == "2025-02-20"


def test_local_date_of_an_aware_reference_is_used_not_utc() -> None:
    # 03:04 at +10:00 is still the 27th in UTC; "today" must be the local 28th
    assert one("It is sunny today.").value == "2025-02-28"


def test_modal_may_and_money_are_not_times() -> None:
    assert find_times("May I ask? He may go. It cost $2025 and 1,999 votes.", REF) == []
    assert one("The law took effect in May.").value == "2024-05"


def test_offsets_index_the_original_text() -> None:
    text = "Stocks fell 3% on Tuesday, after a rally in the second quarter of 2024."
    spans = find_times(text, REF)
    assert [(s.text, s.value) for s in spans] == [
        ("Tuesday", "2025-02-25"),
        ("the second quarter of 2024", "2024-Q2"),
    ]
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_tempeval3_training_relaxed_f1() -> None:
    if not TEMPEVAL_TRAINING.is_dir():
        pytest.skip("TempEval-3 training data not available")
    from crosswire.eval.time import evaluate_time

    lines: list[str] = []
    result = evaluate_time(TEMPEVAL_TRAINING, echo=lines.append)
    assert result["files"] == 257
    assert isinstance(result["relaxed_f1"], float)
    assert result["relaxed_f1"] >= 0.85
    assert isinstance(result["strict_f1"], float) and result["strict_f1"] >= 0.75
    assert isinstance(result["value_f1"], float) and result["value_f1"] >= 0.70
    assert any("relaxed F1" in line for line in lines)


# ---------------------------------------------------------------- edges of the calendar

EARLIEST = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12)))
EDGE_TEXT = (
    "It happened on Tuesday, next week, last year, in January, tomorrow, yesterday, "
    "next month, the next decade, the last century, the 40th day, three days ago, "
    "3000 days from now, 10000 years ago, the past 10000 years, next winter, the weekend, "
    "on December 31, 9999, in the year 10000 and in year 0."
)


@pytest.mark.parametrize("reference", [EARLIEST, LATEST, None, datetime(1, 1, 1)])
def test_relative_times_at_the_calendar_edges_never_raise(reference: datetime | None) -> None:
    spans = find_times(EDGE_TEXT, reference)
    texts = {s.text for s in spans}
    # the expressions are all still found; only what cannot be dated loses its date
    assert {"Tuesday", "next week", "last year", "tomorrow", "yesterday"} <= texts
    for span in spans:
        assert EDGE_TEXT[span.start : span.end] == span.text
        if span.interval is not None:
            start, end = (date.fromisoformat(d) for d in span.interval)
            assert start <= end


def test_a_date_off_the_calendar_is_kept_unresolved() -> None:
    # "yesterday" on 0001-01-01 and "tomorrow" on 9999-12-31 have no date to name
    (yesterday,) = find_times("It was yesterday.", EARLIEST)
    assert (yesterday.text, yesterday.value, yesterday.interval) == ("yesterday", None, None)
    (tomorrow,) = find_times("It is due tomorrow.", LATEST)
    assert (tomorrow.text, tomorrow.value, tomorrow.interval) == ("tomorrow", None, None)
    (anchored,) = find_times("The past 10000 years were warm.", datetime(3, 6, 1))
    assert anchored.type == "DURATION" and anchored.interval is None


def test_dates_at_the_calendar_edges_that_exist_are_still_resolved() -> None:
    assert one("It was yesterday.", LATEST).value == "9999-12-30"
    assert one("It was last year.", LATEST).value == "9998"
    assert one("It opens next year.", EARLIEST).value == "0002"


def test_a_decade_or_century_off_the_calendar_is_not_misread_as_a_year() -> None:
    # 9990-9999 + 1 decade was written "1000": the year 1000
    assert one("It will change in the next decade.", LATEST).value is None
    assert one("It will change in the next century.", LATEST).value is None
    assert one("It changed in the last decade.", LATEST).value == "998"
    # the decade and century holding the year 0 have no interval
    assert one("It changed in the last decade.", datetime(5, 1, 1)).interval is None
