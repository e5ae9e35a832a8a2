"""Quantity recognizer: phrase types, seed sentences, exclusions, and the public test suites."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crosswire.claims.numbers import (
    NumberSpan,
    find_number_atoms,
    find_numbers,
    quantity_kind,
    quantity_kinds,
)
from crosswire.eval.numbers import evaluate_numbers

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SPECS = DATA / "claims_raw" / "recognizers_text" / "Specs" / "Number" / "English"
QUANTULUM = DATA / "claims_raw" / "quantulum3"


def one(text: str) -> NumberSpan:
    spans = find_numbers(text)
    assert len(spans) == 1, spans
    return spans[0]


def texts(text: str) -> list[str]:
    return [s.text for s in find_numbers(text)]


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("They counted 10,000 votes.", "10,000", 10000),
        ("The rate rose 1.5 points.", "1.5", 1.5),
        ("Some 1.2 million people fled.", "Some 1.2 million", 1.2e6),
        ("Exports reached 3 billion last year.", "3 billion", 3e9),
        ("There are two million residents.", "two million", 2e6),
        ("He found five bodies.", "five", 5),
        ("She is twenty-one.", "twenty-one", 21),
        ("They fired three hundred shells.", "three hundred", 300),
        ("A dozen villages burned.", "A dozen", 12),
        ("It came to one hundred and twenty dollars.", "one hundred and twenty dollars", 120),
        ("They walked two and a half miles.", "two and a half", 2.5),
    ],
)
def test_plain_numbers(text: str, phrase: str, value: float) -> None:
    span = one(text)
    assert span.text == phrase
    assert span.low == pytest.approx(value)
    assert span.high == pytest.approx(value)
    assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    ("text", "value"),
    [("a third of voters", 1 / 3), ("two-thirds of the seats", 2 / 3), ("half of the homes", 0.5)],
)
def test_fractions(text: str, value: float) -> None:
    span = find_numbers(text)[0]
    assert span.unit == "fraction"
    assert span.low == pytest.approx(value)


def test_one_in_five_is_a_proportion() -> None:
    span = one("One in five adults smoke.")
    assert (span.text, span.unit) == ("One in five", "fraction")
    assert span.low == pytest.approx(0.2)


@pytest.mark.parametrize("text", ["15%", "15 percent", "15 per cent"])
def test_percentages(text: str) -> None:
    span = one(f"Turnout fell {text} in the city.")
    assert (span.text, span.unit, span.low) == (text, "%", 15)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("$1.2 billion", "USD", 1.2e9),
        ("US$5m", "USD", 5e6),
        ("€300", "EUR", 300),
        ("5 million euros", "EUR", 5e6),
        ("1,000 won", "KRW", 1000),
        ("£20", "GBP", 20),
        ("1.5bn roubles", "RUB", 1.5e9),
    ],
)
def test_money(text: str, unit: str, value: float) -> None:
    span = one(f"The deal is worth {text}, officials said.")
    assert (span.text, span.unit) == (text, unit)
    assert span.low == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high"),
    [
        ("it sent 10,000 to 12,000 troops", "10,000 to 12,000", 10000, 12000),
        ("it sent 10,000-12,000 troops", "10,000-12,000", 10000, 12000),
        ("between 20 and 30 people", "between 20 and 30", 20, 30),
        ("from 5 to 10 years", "from 5 to 10", 5, 10),
        ("an additional 1,000 to 3,000 soldiers", "an additional 1,000 to 3,000", 1000, 3000),
        ("$1 to $2 billion in aid", "$1 to $2 billion", 1e9, 2e9),
        ("1.5 to 2 million voters", "1.5 to 2 million", 1.5e6, 2e6),
    ],
)
def test_ranges_are_closed(text: str, phrase: str, low: float, high: float) -> None:
    span = one(text)
    assert span.text == phrase
    assert span.low == pytest.approx(low)
    assert span.high == pytest.approx(high)
    assert span.low_inclusive and span.high_inclusive


@pytest.mark.parametrize(
    ("phrase", "low", "high", "low_inc", "high_inc"),
    [
        ("more than 10,000", 10000, None, False, True),
        ("over 500", 500, None, False, True),
        ("above 40", 40, None, False, True),
        ("in excess of 100", 100, None, False, True),
        ("at least 5", 5, None, True, True),
        ("no fewer than 12", 12, None, True, True),
        ("300 or more", 300, None, True, True),
        ("less than 20", None, 20, True, False),
        ("fewer than 20", None, 20, True, False),
        ("under 18", None, 18, True, False),
        ("up to 700", None, 700, True, True),
        ("at most 9", None, 9, True, True),
        ("as many as 40", None, 40, True, True),
        ("no more than 8", None, 8, True, True),
    ],
)
def test_bounds(
    phrase: str, low: float | None, high: float | None, low_inc: bool, high_inc: bool
) -> None:
    span = one(f"Officials said {phrase} people were hurt.")
    assert span.text == phrase
    assert (span.low, span.high) == (low, high)
    assert (span.low_inclusive, span.high_inclusive) == (low_inc, high_inc)


@pytest.mark.parametrize(
    "phrase",
    ["about 300", "around 1,200", "roughly 50", "approximately 7", "some 400", "an estimated 900"],
)
def test_approximations(phrase: str) -> None:
    span = one(f"Police said {phrase} people attended.")
    value = float(phrase.split()[-1].replace(",", ""))
    assert (span.text, span.low, span.high, span.approximate) == (phrase, value, value, True)


@pytest.mark.parametrize("word", ["nearly", "almost"])
def test_nearly_is_just_below_its_figure(word: str) -> None:
    # a bug: an open lower bound let "nearly 500" agree with "about 400"
    span = one(f"{word} 300 people died")
    assert (span.low, span.high, span.approximate) == (270, 300, True)


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        ("several", 3, 9),
        ("a few", 2, 5),
        ("dozens of", 24, 99),
        ("hundreds of", 200, 999),
        ("thousands of", 2000, 9999),
        ("tens of thousands of", 20000, 99999),
        ("millions of", 2e6, 9999999),
    ],
)
def test_vague_amounts(phrase: str, low: float, high: float) -> None:
    span = one(f"Witnesses saw {phrase} people in the square.")
    assert (span.text, span.low, span.high, span.approximate) == (phrase, low, high, True)


@pytest.mark.parametrize(
    "text",
    [
        "The vote was held in 2024.",
        "By 2025 the plan was dead.",
        "The talks began on Feb. 7 in Geneva.",
        "It happened on 7 February.",
        "The report is due March 3, 2026.",
        "The blast came at 3:04 local time.",
        "The meeting starts at 10 a.m. sharp.",
        "It was the first time; he came 3rd.",
        "An F-16 and a MiG-29 flew over; flight MH17 was lost.",
        "One of the men said no one saw the one who fired.",
        "It was his second half goal.",
    ],
)
def test_exclusions(text: str) -> None:
    assert find_numbers(text) == []


def test_year_after_a_modifier_is_a_count() -> None:
    assert texts("more than 2000 people marched") == ["more than 2000"]


def test_bound_pair_and_comparator_chain() -> None:
    span = one("The number is above 1000 and below 1500")
    assert (span.text, span.low, span.high) == ("above 1000 and below 1500", 1000, 1500)
    assert (span.low_inclusive, span.high_inclusive) == (False, False)
    assert texts("His score is 200 or greater than 190") == ["200", "greater than 190"]


def test_atoms_are_the_bare_numbers() -> None:
    atoms = find_number_atoms("It cost $20, between 5 and 10 more.")
    assert [(a.text, a.low) for a in atoms] == [("20", 20), ("5", 5), ("10", 10)]


# ---------------------------------------------------------------- what is counted

NIS = "the NIS said about 300 North Korean soldiers had died and 2,700 had been injured"
ZEL = (
    "Zelenskyy earlier put the number of killed or wounded North Koreans at 4,000, "
    "although U.S. estimates were lower at around 1,200"
)


def kinds(text: str) -> list[tuple[str, tuple[str | None, str | None]]]:
    return [(s.text, quantity_kind(text, s)) for s in find_numbers(text)]


def test_seed_sentences_kinds() -> None:
    assert kinds(NIS) == [
        ("about 300", ("killed", "North Korean soldiers")),
        ("2,700", ("injured", "North Korean soldiers")),
    ]
    assert kinds(ZEL) == [
        ("4,000", ("killed or wounded", "North Koreans")),
        ("around 1,200", ("killed or wounded", "North Koreans")),
    ]
    assert kinds("last fall it sent 10,000 to 12,000 troops to Russia") == [
        ("10,000 to 12,000", ("troops", "troops"))
    ]
    assert kinds("more than 10,000 soldiers from the reclusive state were sent to Russia") == [
        ("more than 10,000", ("troops", "soldiers"))
    ]
    assert kinds("an additional 1,000 to 3,000 North Korean soldiers were deployed to Kursk") == [
        ("an additional 1,000 to 3,000", ("troops", "North Korean soldiers"))
    ]
    assert kinds("Russian artillery killed at least five people") == [
        ("at least five", ("killed", "people"))
    ]
    assert kinds("police arrested 42 protesters") == [("42", ("arrested", "protesters"))]


def test_kind_from_unit_and_head_noun() -> None:
    assert kinds("The fund lost $1.2 billion") == [("$1.2 billion", ("money", None))]
    assert kinds("Turnout was 61%") == [("61%", ("percent", None))]
    assert kinds("The storm destroyed 300 homes") == [("300", ("homes", "homes"))]


# ---------------------------------------------------------------- speed and suites


def test_fast_on_an_article() -> None:
    article = (NIS + ". " + ZEL + ". The strike on Feb. 7 killed 12 people and injured 40. ") * 16
    find_numbers(article)
    started = time.perf_counter()
    for _ in range(20):
        find_numbers(article)
    per_call = (time.perf_counter() - started) / 20
    assert per_call < 0.02, per_call


def test_no_catastrophic_backtracking() -> None:
    hostile = "one two three four five six seven eight nine " * 400 + "1,000," * 400
    started = time.perf_counter()
    find_numbers(hostile)
    assert time.perf_counter() - started < 1.0


def test_eval_on_the_public_suites() -> None:
    if not (SPECS / "NumberRangeModel.json").is_file():
        pytest.skip("Recognizers-Text specs not available")
    lines: list[str] = []
    result = evaluate_numbers(DATA / "claims_raw", echo=lines.append)
    assert result["exact_accuracy"] >= 0.85
    assert result["number_range"]["cases"] > 80
    assert result["number"]["exact_accuracy"] >= 0.7
    assert result["exact_accuracy_closed"] < result["exact_accuracy"]
    if (QUANTULUM / "quantities.json").is_file():
        assert result["quantulum3"]["cases"] > 100
    assert any(line.startswith("number_range:") for line in lines)


def test_eval_accepts_a_single_file() -> None:
    if not (SPECS / "NumberRangeModel.json").is_file():
        pytest.skip("Recognizers-Text specs not available")
    result = evaluate_numbers(SPECS / "NumberRangeModel.json", echo=lambda _: None)
    assert set(result) >= {"number_range", "exact_accuracy", "value_accuracy"}
    assert "number" not in result


def test_casualty_verb_before_soldiers_wins_over_troops() -> None:
    # a bug: "killed several North Korean soldiers" was counted as troops sent
    text = "Ukraine has previously said it captured or killed several North Korean soldiers."
    (span,) = find_numbers(text)
    assert quantity_kind(text, span) == ("killed", "North Korean soldiers")


def test_a_death_toll_that_moves_counts_the_killed() -> None:
    # a bug: "the death toll from the quake rose to 14" had no kind, so it joined no facet
    text = "The death toll from the quake rose to 14 on Friday."
    (span,) = find_numbers(text)
    assert quantity_kind(text, span)[0] == "killed"


@pytest.mark.parametrize(
    "text",
    [
        "A magnitude 6.2 earthquake struck southern Peru before dawn on Wednesday.",
        "A 7.1-magnitude quake hit the coast.",
        "The quake had a magnitude of 5.4.",
        "The National Seismic Service put the magnitude at 5.9.",
        "The institute measured the quake at magnitude 6.2 and placed its epicentre nearby.",
    ],
)
def test_an_earthquake_magnitude_is_its_own_kind(text: str) -> None:
    # a bug: "magnitude 6.2 earthquake struck southern Peru" was counted as "peru"
    (span,) = find_numbers(text)
    assert quantity_kind(text, span)[0] == "magnitude"


@pytest.mark.parametrize(
    "text",
    [
        "A magnitude 5.1 aftershock followed the magnitude 6.2 quake.",
        "The magnitude 6.2 quake was followed by dozens of aftershocks, the largest of"
        " magnitude 5.1.",
    ],
)
def test_an_aftershock_magnitude_is_not_the_quakes(text: str) -> None:
    spans = {text[s.start : s.end]: s for s in find_numbers(text)}
    assert quantity_kind(text, spans["5.1"])[0] == "aftershock magnitude"
    assert quantity_kind(text, spans["6.2"])[0] == "magnitude"


def test_a_bare_figure_after_a_magnitude_is_a_magnitude() -> None:
    text = "The ISP measured the quake at magnitude 6.2, while other agencies put it at 6.0."
    assert [quantity_kind(text, s)[0] for s in find_numbers(text)] == ["magnitude"] * 2


def test_a_death_toll_after_a_decimal_figure_counts_the_killed() -> None:
    # a bug: the "." of "6.2" hid the death toll, so 17 took the quake's words as its kind
    text = "The death toll from the magnitude 6.2 quake stood at 17 on Thursday."
    magnitude, toll = find_numbers(text)
    assert quantity_kind(text, magnitude)[0] == "magnitude"
    assert quantity_kind(text, toll) == ("killed", None)


@pytest.mark.parametrize(
    ("text", "kind", "counted"),
    [
        ("Between 2,100 and 2,400 workers stayed away from the shipyard.", "people", "workers"),
        ("A magnitude 6 quake and 3 aftershocks struck the coast.", "aftershocks", "aftershocks"),
        ("About 40 armed men attacked the convoy.", "people", "armed men"),
        ("The storm killing 12 people swept the coast.", "killed", "people"),
    ],
)
def test_a_verb_after_the_counted_noun_ends_it(text: str, kind: str, counted: str) -> None:
    span = find_numbers(text)[-1]
    assert quantity_kind(text, span) == (kind, counted)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "The ferry carried more than 80 people, well above its licensed capacity of 50.",
            "capacity",
        ),
        ("Officials gave a death toll of 11 on Thursday.", "killed"),
    ],
)
def test_the_noun_before_of_says_what_a_figure_is(text: str, kind: str) -> None:
    # a bug: "capacity of 50" took "people" from the figure before it
    span = find_numbers(text)[-1]
    assert quantity_kind(text, span)[0] == kind


def test_a_fraction_of_a_period_is_a_duration_not_a_count() -> None:
    # a bug: "a quarter of a century" took "residents" from the figure before it
    text = "Between 8,000 and 9,000 residents left as the river reached its highest level in a quarter of a century."
    first, second = find_numbers(text)
    assert quantity_kind(text, first) == ("people", "residents")
    assert quantity_kind(text, second)[0] == "century"


# ---------------------------------------------------------------- odd inputs


def test_a_number_too_long_for_a_float_is_no_figure() -> None:
    # a 400-digit number read as infinity, and int(infinity) raised OverflowError
    text = "1" * 400 + " people fled, then 9e999 more, and 5 were hurt."
    assert [s.text for s in find_numbers(text)] == ["5"]
    assert [s.text for s in find_number_atoms(text)] == ["5"]


def test_hundreds_of_figures_in_one_sentence_are_all_read() -> None:
    # every figure inherits what it counts from the one before: read one by one this was
    # a parse of the text before each figure, then of the text before that, ... (cubic:
    # 200 figures took 28 s)
    figures = ", ".join(str(i) for i in range(5001, 7000))
    text = f"Officials said {figures} and 7000 people died."
    spans = find_numbers(text)
    assert len(spans) == 2000
    kinds = quantity_kinds(text, spans)
    assert kinds[-1] == ("killed", "people")
    assert kinds[:3] == [(None, None)] * 3


def test_reading_all_figures_at_once_matches_reading_each() -> None:
    text = (
        "In January, the NIS said about 300 North Korean soldiers had died and 2,700 had "
        "been injured. U.S. estimates were lower at around 1,200, and the magnitude 6.2 "
        "quake left 17 dead, a third of them children; $1.2 billion and 15% were pledged."
    )
    spans = find_numbers(text)
    assert quantity_kinds(text, spans) == [quantity_kind(text, s) for s in spans]


def test_many_vague_amounts_with_figures_among_them() -> None:
    # each figure was checked against every vague amount ("hundreds of")
    text = ", ".join(f"hundreds of people and {i} others" for i in range(3000, 15000))
    spans = find_numbers(text)
    assert len(spans) == 24000
    assert spans[0].text == "hundreds of" and spans[1].text == "3000"


def test_whitespace_after_a_figure_is_read_in_linear_time() -> None:
    # "\s*-?\s*magnitude" backtracked over a run of spaces once per figure kind read
    text = "about 5" + " " * 80000 + "people"
    (span,) = find_numbers(text)
    assert quantity_kinds(text, [span]) == [quantity_kind(text, span)]


@pytest.mark.parametrize(
    ("text", "phrase", "low", "high"),
    [
        # "-and-" joins a number as " and " does
        ("They waited two-and-a-half hours.", "two-and-a-half", 2.5, 2.5),
        # a suspended hyphen: "12- to 16-hour" is one range
        ("Crews worked 12- to 16-hour shifts.", "12- to 16", 12, 16),
        ("One-hundred people applied.", "One-hundred", 100, 100),
        # the preposition before a bound is the verb's, not the figure's
        ("They talked about more than 500 jobs.", "more than 500", 500, None),
        ("She turned over roughly 40 boxes.", "roughly 40", 40, 40),
        ("Only one bridge stayed open.", "one", 1, 1),
        # "19 Sept. 11 hijackers": the month's own day follows, so 19 is no day of it
        ("Fifteen of the 19 Sept. 11 hijackers were Saudi.", "19", 19, 19),
    ],
)
def test_number_phrases_read_in_news(
    text: str, phrase: str, low: float, high: float | None
) -> None:
    span = next(s for s in find_numbers(text) if s.text == phrase)
    assert (span.low, span.high) == (low, high)


def test_a_hyphenated_ratio_and_a_vague_amount_of_money() -> None:
    (ratio,) = find_numbers("Doctors saw a one-in-four chance.")
    assert (ratio.text, ratio.low, ratio.unit) == ("one-in-four", 0.25, "fraction")
    (money,) = find_numbers("The plan would cost millions of dollars.")
    assert (money.text, money.unit) == ("millions of dollars", "USD")
    (share,) = find_numbers("Officials said 80-plus percent agreed.")
    assert (share.text, share.low, share.high, share.unit) == ("80-plus percent", 80, None, "%")
    # a mixed number is a number, not a share
    (mixed,) = find_numbers("They walked two and a half miles.")
    assert mixed.unit is None
