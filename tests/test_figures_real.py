"""Figures as a reader of real news meets them: vote tallies, lengths of time, shares,
multiplicatives, and the numbers that are no figure at all (ages, addresses, event names).

Each case is written here in its own words; what is asserted is what the claims stage hands
to the compare stage (a `Quantity`'s text, interval, unit and kind).
"""

from __future__ import annotations

import time

import pytest

from crosswire.claims import extract_claims
from crosswire.claims.numbers import NumberSpan, find_figures, find_numbers, quantity_kinds
from crosswire.model import Article, Quantity, Story

Seen = tuple[str, float | None, float | None, str | None, str | None]


def seen(text: str) -> list[Seen]:
    """(text, low, high, unit, kind) of every figure `find_figures` reads in `text`."""
    spans = find_figures(text)
    return [
        (s.text, s.low, s.high, s.unit, kind)
        for s, (kind, _) in zip(spans, quantity_kinds(text, spans), strict=True)
    ]


def only(text: str) -> NumberSpan:
    spans = find_figures(text)
    assert len(spans) == 1, spans
    return spans[0]


def quantities(text: str) -> list[Quantity]:
    """The quantities of the claims the full stage makes of a one-article story."""
    article = Article(
        id="a1",
        input="a1.txt",
        text=text,
        outlet="Gazette",
        published="2026-03-05T10:00:00+00:00",
    )
    story = Story("s1", "h", ["a1"])
    extract_claims([story], [article])
    found = [q for c in story.claims for q in c.quantities]
    for q in found:
        assert text[q.start : q.end] == q.text
    return found


# ---------------------------------------------------------------- vote tallies


@pytest.mark.parametrize(
    ("text", "yes", "no"),
    [
        ("The Senate voted 88-11 on Thursday to confirm the nominee.", "88", "11"),
        ("The council approved the budget in a 7-2 vote.", "7", "2"),
        ("The House passed the bill 228-199 after a long debate.", "228", "199"),
        ("The motion carried by a vote of 30 to 12.", "30", "12"),
        ("The chamber approved the plan 61 to 37 late on Monday.", "61", "37"),
        ("The court issued a 6-3 decision striking the law down.", "6", "3"),
        ("The treaty cleared the assembly by 310 votes to 118.", "310", "118"),
        ("The judge was confirmed 87-9 two years later.", "87", "9"),
        # the smaller side first: read as a range "44-56" before, now a tally
        ("The amendment fell short by a vote of 44-56.", "44", "56"),
    ],
)
def test_a_tally_gives_one_figure_per_side(text: str, yes: str, no: str) -> None:
    first, second = find_figures(text)[:2]
    assert (first.text, first.low, first.high, first.kind) == (
        yes,
        float(yes),
        float(yes),
        "votes for",
    )
    assert (second.text, second.low, second.kind) == (no, float(no), "votes against")
    assert text[first.start : first.end] == yes and text[second.start : second.end] == no
    assert first.unit is None and second.unit is None


def test_a_tally_in_a_short_sentence_is_still_a_claim() -> None:
    # a sentence of four words was no claim (five were needed), so its figures were lost
    text = (
        "Senators argued for hours over the measure before the roll call.\n\n"
        "The final tally was 62-38. The leader called the result a clear mandate."
    )
    tally = [(q.text, q.low, q.kind) for q in quantities(text)]
    assert tally == [("62", 62, "votes for"), ("38", 38, "votes against")]


def test_the_stage_hands_tally_sides_over_with_their_own_offsets() -> None:
    text = "Lawmakers voted 234-193 on Friday to send the package to the governor."
    found = quantities(text)
    assert [(q.text, q.kind, q.subject) for q in found] == [
        ("234", "votes for", None),
        ("193", "votes against", None),
    ]
    assert text[found[0].start : found[1].end] == "234-193"


def test_votes_named_by_side() -> None:
    assert seen("The resolution passed with 52 in favor and 47 against.") == [
        ("52", 52, 52, None, "votes for"),
        ("47", 47, 47, None, "votes against"),
    ]


def test_a_game_score_has_two_sides_that_are_not_votes() -> None:
    assert [s.kind for s in find_figures("United won 2-1 at home on Saturday.")] == [
        "score for",
        "score against",
    ]
    assert [s.kind for s in find_figures("It was a 3-0 victory for the visitors.")] == [
        "score for",
        "score against",
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high"),
    [
        ("Forecasters expect 10-15 inches of snow by morning.", "10-15", 10, 15),
        ("The committee voted to study 20 to 30 proposals this year.", "20 to 30", 20, 30),
        ("The board approved raises of 3-5 percent for staff.", "3-5 percent", 3, 5),
    ],
)
def test_a_range_near_a_vote_word_stays_a_range(
    text: str, phrase: str, low: float, high: float
) -> None:
    span = only(text)
    assert (span.text, span.low, span.high) == (phrase, low, high)
    assert span.kind is None


@pytest.mark.parametrize(
    "text",
    [
        "The diner stays open 24/7 for truckers on the interstate.",
        "Airport security was tightened after 9/11 across the country.",
        "The 9-11 commission published its findings in a thick report.",
        "Congress voted after 9-11 to create a new department.",
    ],
)
def test_numbers_that_name_an_event_or_a_habit_are_no_figure(text: str) -> None:
    assert find_figures(text) == []


def test_a_slash_between_small_numbers_can_still_be_a_share() -> None:
    span = only("Roughly 3/4 of the members agreed.")
    assert (span.low, span.high, span.unit) == (75, 75, "%")


# ---------------------------------------------------------------- lengths of time


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high", "kind"),
    [
        ("The strike lasted 40 days.", "40 days", 40, 40, "duration"),
        ("Talks resumed six weeks later in the capital.", "six weeks", 42, 42, "duration"),
        ("A three-year audit found no wrongdoing.", "three-year", 1095, 1095, "audit"),
        ("She is a 15-year veteran of the force.", "15-year", 5475, 5475, "veteran"),
        ("He was handed a 30-day suspension.", "30-day", 30, 30, "suspension"),
        (
            "It has been two-and-a-half months since the fire.",
            "two-and-a-half months",
            75,
            75,
            "duration",
        ),
        (
            "The mayor asked for four more years in office.",
            "four more years",
            1460,
            1460,
            "duration",
        ),
        ("The family farmed the land for 85 years.", "85 years", 31025, 31025, "duration"),
        ("Witnesses spoke during five days of hearings.", "five days", 5, 5, "hearings"),
        ("The plant shut for a decade.", "a decade", 3650, 3650, "duration"),
        ("The price doubled a week ago.", None, None, None, None),
    ],
)
def test_durations_are_in_days(
    text: str,
    phrase: str | None,
    low: float | None,
    high: float | None,
    kind: str | None,
) -> None:
    spans = find_figures(text)
    if phrase is None:
        assert spans == []  # "a week ago" says when, not how long
        return
    (span,) = spans
    assert (span.text, span.low, span.high, span.unit, span.kind) == (
        phrase,
        low,
        high,
        "days",
        kind,
    )


def test_hours_stay_hours() -> None:
    assert seen("Guards would need 40 to 60 hours of training.") == [
        ("40 to 60 hours", 40, 60, "hours", "training")
    ]
    assert seen("Nurses worked a 12- to 16-hour shift.") == [
        ("12- to 16-hour", 12, 16, "hours", "shift")
    ]
    assert seen("The vote came after about an hour of debate.") == [
        ("about an hour", 1, 1, "hours", "debate")
    ]


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high"),
    [
        ("The unrest has gone on for more than a week.", "more than a week", 7, None),
        ("He has served for over 20 years.", "over 20 years", 7300, None),
        ("The search took less than a day.", "less than a day", None, 1),
        ("Rescuers worked for almost two weeks.", "almost two weeks", 12.6, 14),
    ],
)
def test_a_bounded_duration_keeps_its_bound(
    text: str, phrase: str, low: float | None, high: float | None
) -> None:
    span = only(text)
    assert (span.text, span.low, span.high, span.unit) == (phrase, low, high, "days")


def test_over_a_stretch_of_time_is_during_it_not_more_than_it() -> None:
    span = only("The talks were spread over three days.")
    assert (span.text, span.low, span.high) == ("three days", 3, 3)


def test_a_running_day_count_is_a_duration_but_other_ordinals_are_not() -> None:
    assert seen("The walkout entered its 21st day of the strike on Monday.") == [
        ("21st day", 21, 21, "days", "strike")
    ]
    assert seen("Crowds gathered for a second straight day.") == [
        ("second straight day", 2, 2, "days", "duration")
    ]
    assert find_figures("Children went back on the first day of school.") == []
    assert find_figures("The candidates met for the third debate, the first time in years.") == []


def test_half_a_unit_more_is_part_of_the_duration() -> None:
    assert seen("The inquiry has gone on for more than a year and a half.") == [
        ("more than a year and a half", 547.5, None, "days", "duration")
    ]
    assert seen("The hearing took two years and a half.") == [
        ("two years and a half", 912.5, 912.5, "days", "duration")
    ]
    # no share of anything: "and a half" after a unit with no number of its own
    assert find_figures("He spoke for the first hour and a half of the rally.") == []


def test_the_noun_a_duration_is_of_ends_with_its_phrase() -> None:
    assert seen("She left for a nine-day foreign trip without aides.") == [
        ("nine-day", 9, 9, "days", "trip")
    ]
    assert seen("He must release at least 10 years of tax returns — all of them.") == [
        ("at least 10 years", 3650, None, "days", "returns")
    ]


def test_decades_is_a_vague_length_of_time() -> None:
    span = only("She brought decades of experience to the post.")
    assert (span.low, span.high, span.approximate, span.unit, span.kind) == (
        7300,
        None,
        True,
        "days",
        "experience",
    )


def test_a_duration_reaches_the_claim_as_days() -> None:
    (q,) = quantities("Prosecutors said the inquiry had run for more than two years.")
    assert (q.text, q.low, q.high, q.unit, q.kind) == (
        "more than two years",
        730,
        None,
        "days",
        "duration",
    )


# ---------------------------------------------------------------- shares and ratios


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Doctors gave him a one-in-five chance of walking again.", "one-in-five", 20),
        ("Exit polls said 2 in 3 voters backed the plan.", "2 in 3", 66.67),
        ("Three-quarters of the members stayed home.", "Three-quarters", 75),
        ("The measure needs two-thirds of the chamber.", "two-thirds", 66.67),
        ("Half of the workers walked out.", "Half", 50),
        ("The bill needs three-fifths of the Senate.", "three-fifths", 60),
    ],
)
def test_a_share_is_a_percentage(text: str, phrase: str, value: float) -> None:
    span = only(text)
    assert (span.text, span.low, span.high, span.unit, span.kind) == (
        phrase,
        value,
        value,
        "%",
        "percent",
    )


def test_a_share_keeps_what_it_is_a_share_of() -> None:
    assert only("The measure needs two-thirds of the Senate to pass.").counted == "Senate"


def test_the_number_model_still_reads_shares_as_proportions() -> None:
    # Recognizers-Text scores `find_numbers`: the claims' percentage is a reading on top
    (span,) = find_numbers("a one-in-four chance")
    assert (span.low, span.unit) == (0.25, "fraction")


# ---------------------------------------------------------------- spelled-out and vague


def test_multiplicatives_and_counts_in_words() -> None:
    assert seen("He had been questioned twice by agents.") == [("twice", 2, 2, None, "times")]
    assert seen("Output rose in a two-fold jump.") == [("two", 2, 2, None, "times")]
    assert seen("A dozen firefighters fought the blaze.") == [
        ("A dozen", 12, 12, None, "firefighters")
    ]
    assert seen("A grand jury returned a nine-count indictment.") == [("nine", 9, 9, None, "count")]
    assert seen("The speech was a 40-word pledge.") == [("40", 40, 40, None, "word")]


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high"),
    [
        ("Police were called several times that night.", "several", 3, None),
        ("Dozens of lawmakers stayed away.", "Dozens of", 24, None),
        ("Scores of residents were hurt.", "Scores of", 40, None),
        ("Hundreds of thousands of people marched.", "Hundreds of thousands of", 200_000, None),
        ("A few cars were damaged.", "A few", 2, 5),
    ],
)
def test_vague_amounts_are_open_above_unless_they_say_small(
    text: str, phrase: str, low: float, high: float | None
) -> None:
    span = only(text)
    assert (span.text, span.low, span.high, span.approximate) == (phrase, low, high, True)


def test_a_vague_amount_of_money_names_its_currency() -> None:
    span = only("The wall would cost billions of dollars, he said.")
    assert (span.text, span.unit, span.low) == ("billions of dollars", "USD", 2e9)


def test_a_bound_then_its_unit() -> None:
    span = only("Officials said 80-plus percent of homes lost power.")
    assert (span.text, span.low, span.high, span.unit) == ("80-plus percent", 80, None, "%")


# ---------------------------------------------------------------- numbers that are no figure


@pytest.mark.parametrize(
    "text",
    [
        "A 33-year-old nurse was among those hurt.",
        "The victim, aged 61, was taken to hospital.",
        "Jones, 52, was charged with fraud on Monday.",
        "Her son is nine years old and lives with her.",
        "The law was passed in 2019 before the 2020 election.",
        "The hearing is set for March 3 in the county court.",
        "Protesters gathered outside 1400 Elm Street downtown.",
        "In one case, a driver waited for hours.",
        "The two nations signed a trade pact.",
        "One of them said the plan had failed.",
        "Voters were offered a one-time payment.",
        "His best one-liners drew laughs.",
    ],
)
def test_numbers_that_are_no_figure(text: str) -> None:
    assert find_figures(text) == [], find_figures(text)


def test_counts_near_the_non_figures_are_kept() -> None:
    assert seen("Two nations signed a trade pact.") == [("Two", 2, 2, None, "nations")]
    assert [s.text for s in find_figures("Only one senator objected to the plan.")] == ["one"]
    assert seen("One-hundred candidates filed papers.") == [
        ("One-hundred", 100, 100, None, "candidates")
    ]
    assert [s.text for s in find_figures("Jones, 52, and 14 others were charged.")] == [
        "52",
        "14",
    ]
    assert [s.text for s in find_figures("Fifteen of the 19 Sept. 11 hijackers were Saudi.")] == [
        "Fifteen",
        "19",
    ]


# ---------------------------------------------------------------- hostile text


@pytest.mark.parametrize(
    "text",
    [
        "the " + " " * 50_000 + "3rd day",
        "over " * 20_000 + "a week",
        "voted " + "1-2, " * 5_000,
        "Smith, 45, " * 5_000,
        "two-and-" * 10_000 + "a-half",
        "9/11 " * 10_000,
    ],
)
def test_pathological_text_stays_fast(text: str) -> None:
    started = time.perf_counter()
    find_figures(text)
    assert time.perf_counter() - started < 2.0
