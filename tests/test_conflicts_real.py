"""False conflicts a reader of real coverage would catch, run through the claims and compare
stages together: two outlets' sentences in words of our own, each kind of mistake once.

A conflict claims that two reports cannot both be right. These are pairs that can: one
gives where a change started, or another time, or the same length in other units, or
a count of something else.
"""

from __future__ import annotations

from crosswire.claims import extract_claims
from crosswire.compare import compare_story
from crosswire.model import Article, Facet, Story

DAY = "2026-06-12T09:00:00+00:00"


def _story(*texts: str, published: str = DAY) -> Story:
    articles = [
        Article(id=f"a{n}", input=f"a{n}.txt", text=text, outlet=outlet, published=published)
        for n, (text, outlet) in enumerate(
            zip(texts, ("Harbour Herald", "Valley Post", "Metro")[: len(texts)], strict=True)
        )
    ]
    story = Story("s1", "h", [a.id for a in articles])
    extract_claims([story], articles)
    compare_story(story, {a.id: a for a in articles})
    return story


def _facets_with(story: Story, figure: str) -> list[Facet]:
    claims = {c.id: c for c in story.claims}
    found = [
        f
        for f in story.facets
        if any(
            q.text == figure
            for c in f.claims
            for n in f.figures.get(c, ())
            for q in [claims[c].quantities[n]]
        )
    ]
    assert found, f"no facet holds {figure!r}"
    return found


def _no_conflict(story: Story) -> None:
    shown = [(f.label, f.status) for f in story.facets if f.status == "conflicting"]
    assert not shown, shown


def test_a_rate_that_moved_on_is_two_moments_not_a_conflict() -> None:
    story = _story(
        "The jobless rate edged up to 5.4% from 5.1% in May.",
        "The jobless rate rose to 5.4% in June, up from 5.1% a month earlier.",
    )
    _no_conflict(story)
    # "edged up to 5.4%" is where the rate went, not "at most 5.4%"
    claims = {c.id: c for c in story.claims}
    moved = [q for c in claims.values() for q in c.quantities if "5.4%" in q.text]
    assert [(q.text, q.low, q.high) for q in moved] == [("5.4%", 5.4, 5.4)] * 2


def test_a_sentence_in_months_and_one_in_years_agree() -> None:
    story = _story(
        "The former treasurer received a 150-month prison sentence on Friday for fraud.",
        "The former treasurer was sentenced on Friday to 12 and a half years in prison.",
    )
    _no_conflict(story)
    (facet,) = _facets_with(story, "150-month")
    assert facet.status == "agreed"


def test_decades_are_as_round_as_the_years_they_stand_for() -> None:
    story = _story(
        "Pensioners will get the biggest rise in their payments in three decades next year.",
        "It is the largest increase in pension payments in 29 years, the agency said.",
    )
    _no_conflict(story)


def test_a_count_inside_the_phrase_a_casualty_verb_opens_counts_its_own_noun() -> None:
    story = _story(
        "At least 90 people were killed in more than 300 shootings over the holiday weekend,"
        " according to a tally by the archive.",
        "Gun violence killed 104 people across the country over the holiday weekend.",
    )
    claims = {c.id: c for c in story.claims}
    shootings = [q for c in claims.values() for q in c.quantities if q.text == "more than 300"]
    assert [q.kind for q in shootings] == ["shootings"]
    _no_conflict(story)


def test_figures_of_other_times_are_two_moments_not_a_conflict() -> None:
    story = _story(
        "The council's budget was $40 million in 2019.",
        "The council's budget is $52 million, the mayor's office said on Thursday.",
    )
    _no_conflict(story)
    (facet,) = _facets_with(story, "$52 million")
    assert facet.status == "complementary"


def test_a_figure_that_does_not_say_what_it_counts_disputes_nothing() -> None:
    story = _story(
        "The treatment is several capsules twice a day for five days.",
        "Patients swallow four capsules twice a day for five days.",
    )
    _no_conflict(story)


def test_a_real_dispute_of_one_tally_is_still_shown() -> None:
    story = _story(
        "The flooding killed 14 people in the valley on Tuesday, police said.",
        "The flooding killed 23 people in the valley on Tuesday, the regional governor said.",
    )
    (facet,) = _facets_with(story, "14")
    assert facet.status == "conflicting"
