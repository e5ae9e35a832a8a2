"""Who a figure's claimant is, as a reader of the report sees it: the one who said it.

Hand-written cases for the claims stage: a subject that merely precedes a verb is no
claimant, pronouns and relative pronouns stand for who they name (or, naming no one,
leave the figure to the outlet), and a bare weekday in a sentence about the future is
the coming one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crosswire.claims import extract_claims
from crosswire.claims.attribution import find_attributions
from crosswire.claims.nlp import load_nlp
from crosswire.claims.timex import find_times
from crosswire.model import Article, Claim, Story

OUTLET = "Harbour Gazette"


def _claim_of(text: str, figure: str, within: str = "") -> Claim:
    article = Article(
        id="c1",
        input="c1.txt",
        text=text,
        outlet=OUTLET,
        published="2026-03-04T09:00:00+00:00",
    )
    story = Story("s1", "h", ["c1"])
    extract_claims([story], [article])
    for claim in story.claims:
        if within not in claim.text:
            continue
        if any(q.text in figure or figure in q.text for q in claim.quantities):
            return claim
    raise AssertionError(f"no claim carries {figure!r}")


def _claimant(text: str, figure: str, within: str = "") -> str | None:
    """The claimant a reader sees for `figure` (in the sentence holding `within`); None
    when it is the outlet's own."""
    claim = _claim_of(text, figure, within)
    if (claim.origin or "").startswith("outlet:"):
        return None
    return claim.claimant_name or claim.claimant


# ---------------------------------------------------------------- not a claimant


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Shares in the shipping firm dropped 8 percent on Monday in early trading.", "percent"),
        ("The port city has 40,000 registered taxis, more than any rival in the region.", "000"),
        ("The senator voted against the 12 amendments offered by the minority.", "12"),
        ("The council released a 90-page plan for the waterfront on Thursday.", "90"),
    ],
)
def test_the_subject_of_a_verb_of_doing_is_no_claimant(text: str, figure: str) -> None:
    assert _claimant(text, figure) is None


def test_a_demonstrative_subject_is_no_claimant() -> None:
    text = (
        "Divers found the wreck in the bay last spring. That prompted a dispute with "
        "salvagers, with some arguing that 30 tonnes of cargo still lay in the hold."
    )
    assert _claimant(text, "30") != "That"


# ---------------------------------------------------------------- relative pronouns


def test_a_relative_pronoun_stands_for_its_noun() -> None:
    text = (
        "The marina plan was welcomed by the Harbour Users Association, which estimated "
        "that 1,200 boats moor there each summer."
    )
    assert _claimant(text, "1,200") == "Harbour Users Association"


def test_a_relative_pronoun_after_a_passive_stands_for_its_noun() -> None:
    text = (
        "The plan was backed by the Dockside Trust, which said the repairs would cost $3 million."
    )
    assert _claimant(text, "$3 million") == "Dockside Trust"


# ---------------------------------------------------------------- personal pronouns


def test_it_is_the_body_the_text_was_about() -> None:
    text = (
        "The Lakeside Water Authority inspected the dam on Monday after heavy rain. "
        "It said repairs would cost about $4 million."
    )
    assert _claimant(text, "$4 million") == "Lakeside Water Authority"


def test_it_is_a_named_subject_not_a_nearer_name_in_an_object() -> None:
    text = (
        "The harbour commission asked the ministries of Transport and Finance for money "
        "last year.\nIt said 45 berths would need new pilings."
    )
    claimant = _claimant(text, "45")
    assert claimant is not None and "harbour commission" in claimant


def test_they_is_the_plural_subject_before() -> None:
    text = (
        "Police divers searched the flooded quarry for two days. "
        "They said 14 cars had been pulled from the water."
    )
    assert _claimant(text, "14") == "Police divers"


def test_she_is_the_person_named_before() -> None:
    text = (
        "Mayor Ines Carvalho visited the shelter at the sports hall on Tuesday. "
        "She said 200 families had spent the night there."
    )
    assert _claimant(text, "200") == "Ines Carvalho"


@pytest.mark.parametrize(
    "text",
    [
        "It said 300 jobs would go at the plant by the end of the year.",
        "They told reporters that 12 homes had burned down overnight.",
    ],
)
def test_a_pronoun_naming_no_one_leaves_the_figure_to_the_outlet(text: str) -> None:
    assert _claimant(text, "300" if "300" in text else "12") is None


# ---------------------------------------------------------------- names


def test_the_name_after_a_role_noun_is_the_claimant() -> None:
    text = "Union lawyer Marta Kowalski said 85 dockers had signed the complaint."
    claimant = _claimant(text, "85")
    assert claimant is not None and "Kowalski" in claimant
    assert "Union" not in claimant


def test_a_speaker_after_a_parenthesis_is_not_the_one_before() -> None:
    text = (
        "Sen. Ada Lind (D-Ore.) praised the plan, Sen. Tom Berg (R-Utah) predicted that "
        "60 senators would back it, and the leader said nothing."
    )
    claimant = _claimant(text, "60")
    assert claimant is not None and "Berg" in claimant


def test_a_survey_framing_its_sentence_is_the_claimant() -> None:
    text = "In the survey, 43 percent of nurses reported working unpaid overtime every week."
    claimant = _claimant(text, "43 percent")
    assert claimant is not None and "survey" in claimant


def test_a_label_before_a_colon_is_not_the_speaker() -> None:
    text = (
        'UPDATE: Port director Hal Rivera said in a statement, "We expect 2,000 containers '
        'a day by summer."'
    )
    claimant = _claimant(text, "2,000")
    assert claimant is not None and "Rivera" in claimant


# ---------------------------------------------------------------- spans behind them


def _attributions(text: str) -> dict[str, tuple[str | None, str | None]]:
    found = find_attributions(load_nlp()(text))
    return {
        a.cue.text: (
            None if a.source is None else a.source.text,
            None if a.content is None else a.content.text,
        )
        for a in found
    }


def test_an_as_aside_reports_the_clause_it_is_set_off_from() -> None:
    found = _attributions(
        "Catches have declined, and, as the ministry noted, exports fell 9 percent."
    )
    assert found["noted"] == ("the ministry", "exports fell 9 percent")


def test_the_phrase_completing_an_estimate_is_its_content() -> None:
    _, content = _attributions("The Dockside Trust estimated the repairs at $3 million.")[
        "estimated"
    ]
    assert content is not None and content.endswith("$3 million")


def test_a_quotation_of_several_clauses_is_one_content() -> None:
    text = "“The yard is full, we turn ships away, and the wait is 11 days,” the manager said."
    source, content = _attributions(text)["said"]
    assert source == "the manager"
    assert content is not None and "11 days" in content


def test_a_that_clause_after_in_a_statement_is_the_content() -> None:
    text = "The operator said in a statement that 16 cranes were idle because of the strike."
    _, content = _attributions(text)["said in a statement"]
    assert content is not None and "16 cranes" in content


def test_the_polnear_reading_keeps_sources_as_written() -> None:
    doc = load_nlp()("“We will not sign,” he told reporters.")
    (told,) = find_attributions(doc, claimants=False)
    assert told.source is not None and told.source.text == "he"
    (claimed,) = find_attributions(doc)
    assert claimed.source is None  # no one named before him


# ---------------------------------------------------------------- future weekdays

# a Wednesday
PUBLISHED = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("The council will vote on the harbour budget on Tuesday.", "2026-03-10"),
        ("The ferry service is expected to resume its full timetable on Monday.", "2026-03-09"),
        ("Talks between the port and the union are set to restart Friday.", "2026-03-06"),
        ("On Tuesday, the committee will hear from the harbour master.", "2026-03-10"),
        ("The council voted on the harbour budget on Tuesday.", "2026-03-03"),
        ("On Monday, officials said 40 boats had been damaged.", "2026-03-02"),
        ("The mayor will decide on the budget that passed Tuesday.", "2026-03-03"),
    ],
)
def test_a_weekday_in_a_sentence_about_the_future_is_the_coming_one(text: str, day: str) -> None:
    (weekday,) = [t for t in find_times(text, PUBLISHED) if t.text.endswith("day")]
    assert weekday.value == day


def test_a_figure_framing_the_speaker_is_the_outlets_not_the_speakers() -> None:
    text = "A three-term mayor, Rosa Ortiz said the city would hire 200 officers next year."
    assert _claimant(text, "three-term") is None
    claimant = _claimant(text, "200")
    assert claimant is not None and "Ortiz" in claimant


# ---------------------------------------------------------------- quotations


@pytest.mark.parametrize(
    ("text", "figure", "speaker"),
    [
        # named after the first quoted sentence, the speaker holds the run that follows
        (
            "“The harbour plan is a disaster for the town,” Ortiz said. "
            "“It will cost at least 4,000 jobs over a decade.”",
            "4,000",
            "Ortiz",
        ),
        # named before a quotation that runs over a sentence break
        (
            "The union issued a statement, noting, “Strikingly, the city . . . pays its "
            "drivers 12 percent less than the rest of the region.”",
            "12 percent",
            "union",
        ),
        # named in a sentence of its own after the quotation
        (
            "“If the council cannot find 30 votes for the plan, could any plan pass with "
            "30 or more votes?” Council Leader Maria Ortiz asked on Tuesday.",
            "30 or more",
            "Maria Ortiz",
        ),
        # a paragraph that is all quotation continues the speaker the one before ended on
        (
            "Then there was Senator Jan Novak's response. He accused the mayor of "
            "wrecking the port.\n“This is about more than 800 families who are being "
            "held hostage by a mayor who closed the harbour.”",
            "800",
            "Jan Novak",
        ),
        # a line break starts a sentence: the cue after it is not inside the quotation
        (
            "“We cannot afford to wait,” the mayor said. “It will only get worse.”\n"
            "Rosa Ortiz, speaking from the town hall on Sunday, said the flood in which "
            "12 people were killed is being investigated.",
            "12",
            "Rosa Ortiz",
        ),
    ],
)
def test_a_quotation_belongs_to_the_speaker_named_for_it(
    text: str, figure: str, speaker: str
) -> None:
    claimant = _claimant(text, figure)
    assert claimant is not None and speaker in claimant


def test_an_unattributed_quotation_stays_the_outlets_past_a_paragraph_break() -> None:
    text = "“We lost 40 boats in one night.”\nThe mayor said the port would reopen on Monday."
    assert _claimant(text, "40") is None


# ---------------------------------------------------------------- who a role speaks for


@pytest.mark.parametrize(
    ("text", "figure", "shown"),
    [
        (
            "U.S. officials said this week that the navy is making plans to pull all "
            "2,000 sailors out of the port.",
            "2,000",
            "U.S. officials",
        ),
        (
            "The lawyer for Mrs. Ortiz, David Kendall, said that her staff had sorted "
            "roughly 60,000 emails.",
            "60,000",
            "David Kendall",
        ),
        (
            "Police officials said the gunman had pledged allegiance to the Islamic State, "
            "and they said he had twice been investigated.",
            "twice",
            "Police officials",
        ),
    ],
)
def test_a_role_is_shown_as_written_and_a_name_in_it_is_not_the_speaker(
    text: str, figure: str, shown: str
) -> None:
    assert _claimant(text, figure) == shown


def test_a_figure_in_who_speaks_is_the_outlets() -> None:
    text = (
        "Mayor Rosa Ortiz, Deputy Mayor Jan Novak and 18 members of the harbour board "
        "called on the minister to cancel the contract for 40 new cranes."
    )
    assert _claimant(text, "18") is None
    claimant = _claimant(text, "40")
    assert claimant is not None and "Ortiz" in claimant


def test_an_age_after_a_name_at_the_end_of_a_sentence_is_no_figure() -> None:
    text = "“We are asking to pay the rent,” said welder Tomasz Nowak, 52."
    with pytest.raises(AssertionError, match="no claim carries"):
        _claim_of(text, "52")


def test_a_source_the_parser_runs_to_the_end_of_the_sentence_keeps_its_noun() -> None:
    # the parser reads "a UNESCO-listed district" as in apposition to "footage", and the
    # trimmed source came out empty: the whole article's claims were lost to an IndexError
    text = (
        "Aerial footage showed the harbour front of the old town, a UNESCO-listed district "
        "popular with visitors, under more than a metre of water, with cars and boats "
        "drifting along the quay."
    )
    article = Article(id="f1", input="f1.txt", text=text, outlet=OUTLET, published=None)
    story = Story("s1", "h", ["f1"])
    extract_claims([story], [article])
    (claim,) = story.claims
    assert claim.claimant_name == "Aerial footage"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_persons_attorney_is_not_the_person(apostrophe: str) -> None:
    # the small model tags a lone surname before "'s" as an organisation; the story's
    # full name says it is a person, and the attorney speaks for them but is not them
    text = (
        "Marta Velez was dismissed by the board on Friday. "
        f"Velez{apostrophe}s attorney said the board had ignored a 30-day review period."
    )
    assert _claimant(text, "30-day") == f"Velez{apostrophe}s attorney"


def test_what_a_passive_cue_is_about_is_not_its_speaker() -> None:
    # "which had been criticized" names what was criticized, not who criticized it; the
    # figure is given "by saying", and who does the backing up says it
    text = (
        "The harbour master tried to defend the ruling, which had been sharply criticized "
        "last spring, by saying that 70 percent of the moorings stood empty."
    )
    assert _claimant(text, "70 percent") == "The harbour master"


def test_by_saying_is_said_by_the_subject_of_the_verb_it_completes() -> None:
    text = "The treasurer defended the levy by saying that 15 percent of it funds the ferry."
    assert _claimant(text, "15 percent") == "The treasurer"


# ---------------------------------------------------------------- the writer's framing


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        (
            "The harbour master said on Monday that the pier was safe again, though a ferry "
            "had struck it nine days earlier.",
            "nine days",
        ),
        (
            "Fishermen say they are still waiting for compensation 20 years after the spill "
            "that closed the bay.",
            "20 years",
        ),
        (
            "The mayor said the quay would reopen within a month after six weeks of repairs "
            "and dredging.",
            "six weeks",
        ),
    ],
)
def test_a_time_distance_outside_a_quotation_is_the_writers(text: str, figure: str) -> None:
    # "nine days earlier" counts from the writer's now; the speaker dated nothing
    assert _claimant(text, figure) is None


def test_a_time_distance_inside_a_quotation_stays_the_speakers() -> None:
    text = (
        "“After three years of delays, the quay is finally open,” said harbour master Ines Fonseca."
    )
    assert _claimant(text, "three years") == "Ines Fonseca"


def test_a_figure_in_the_circumstances_of_speaking_is_the_writers() -> None:
    text = (
        "Opposition councillors called on Wednesday for the port director to resign after "
        "inspectors found 14 cracked moorings."
    )
    assert _claimant(text, "14") is None


def test_a_definite_figure_the_outlet_gave_before_is_no_new_claim() -> None:
    text = (
        "The club was fined 45,000 euros in March for crowd trouble. "
        "Its chairman, Rui Almeida, promised to pay the 45,000 euros from his own pocket."
    )
    assert _claimant(text, "45,000", within="promised") is None


def test_the_title_before_a_name_resolves_later_mentions() -> None:
    text = (
        "Ferry operator lawyer Marta Quintas said the company would appeal. "
        "The fine of 2 million euros was out of all proportion, the lawyer said."
    )
    assert _claimant(text, "2 million") == "Marta Quintas"


def test_a_colon_introduces_the_speaker_of_the_quotation_that_follows() -> None:
    text = (
        "Four years ago, Mayor Paulo Reis made the same promise to voters:\n\n"
        "“We will build 3,000 homes by the river before the next election.”"
    )
    assert _claimant(text, "3,000") == "Paulo Reis"


@pytest.mark.parametrize(
    "text",
    [
        "Fishermen disputed claims by the harbour board that only 40 berths were damaged.",
        "Fishermen disputed the claim from the harbour board that only 40 berths were damaged.",
        "Fishermen contradicted statements made by the harbour board that only 40 berths "
        "were damaged.",
    ],
)
def test_the_maker_named_after_a_claim_noun_is_its_claimant(text: str) -> None:
    assert _claimant(text, "40") == "the harbour board"
