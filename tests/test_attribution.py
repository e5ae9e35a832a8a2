from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import require

from crosswire.claims.attribution import Attribution, find_attributions
from crosswire.claims.nlp import load_nlp

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
POLNEAR_DEV = DATA / "claims_raw" / "polnear" / "data" / "dev"


def attributions(text: str) -> list[Attribution]:
    # sources as PolNeAR writes them ("he", "voted against"); claimants, as the claims
    # stage reads them, are tested in test_claimants_real.py
    return find_attributions(load_nlp()(text), claimants=False)


def by_cue(text: str, cue: str) -> Attribution:
    found = attributions(text)
    matches = [a for a in found if a.cue.text == cue]
    assert matches, f"no cue {cue!r} in {[a.cue.text for a in found]}"
    return matches[0]


def text_of(span: object) -> str | None:
    return None if span is None else span.text  # type: ignore[attr-defined]


def test_spans_are_offsets_into_the_text() -> None:
    text = "In January, the NIS said about 300 North Korean soldiers had died."
    for a in attributions(text):
        for span in (a.cue, a.source, a.content):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_subject_said_that() -> None:
    text = (
        "South Korea's spy agency said Thursday that North Korea appears to have sent "
        "additional troops to Russia after its soldiers deployed on the Russian-Ukraine "
        "fronts suffered heavy casualties."
    )
    a = attributions(text)[0]
    assert a.cue.text.startswith("said")
    assert text_of(a.source) == "South Korea's spy agency"
    assert a.content is not None
    assert a.content.text.startswith("that North Korea appears")
    assert a.content.text.endswith("heavy casualties")


def test_according_to() -> None:
    text = (
        "North Korea has been supplying a vast number of conventional weapons to Russia, "
        "and last fall it sent 10,000 to 12,000 troops to Russia, according to U.S., "
        "South Korean and Ukraine intelligence officials."
    )
    a = by_cue(text, "according to")
    assert text_of(a.source) == "U.S., South Korean and Ukraine intelligence officials"
    assert a.content is not None
    assert "12,000 troops to Russia" in a.content.text
    assert "according" not in a.content.text


def test_said_then_put_the_number_at_and_estimates_were() -> None:
    text = (
        "In January, the NIS said about 300 North Korean soldiers had died and 2,700 had "
        "been injured. Zelenskyy earlier put the number of killed or wounded North Koreans "
        "at 4,000, although U.S. estimates were lower at around 1,200."
    )
    said = by_cue(text, "said")
    assert text_of(said.source) == "the NIS"
    assert said.content is not None and "2,700 had been injured" in said.content.text
    put = next(a for a in attributions(text) if "put" in a.cue.text)
    assert text_of(put.source) == "Zelenskyy"
    assert put.content is not None and put.content.text.endswith("at 4,000")
    estimate = by_cue(text, "estimates were")
    assert text_of(estimate.source) == "U.S."
    assert text_of(estimate.content) == "lower at around 1,200"


def test_citing_gives_via_and_its_own_attribution() -> None:
    text = (
        "Earlier Thursday, South Korea's JoongAng Ilbo newspaper, citing unidentified "
        "sources, reported that an additional 1,000 to 3,000 North Korean soldiers were "
        "deployed to Kursk between January and February."
    )
    reported = by_cue(text, "reported")
    assert text_of(reported.source) == "South Korea's JoongAng Ilbo newspaper"
    assert text_of(reported.via) == "unidentified sources"
    assert reported.content is not None and reported.content.text.startswith("that an additional")
    citing = by_cue(text, "citing")
    assert text_of(citing.source) == "South Korea's JoongAng Ilbo newspaper"
    assert text_of(citing.content) == "unidentified sources"
    assert [a.cue.text for a in attributions(text)] == ["citing", "reported"]


def test_clause_final_told_with_recipient() -> None:
    text = (
        "SEOUL, South Korea (AFP) -- North Korea has sent more soldiers to Russia and "
        "redeployed several to the frontline in Kursk, Seoul’s spy agency told "
        "Agence France-Presse on Thursday."
    )
    told = by_cue(text, "told")
    assert text_of(told.source) == "Seoul’s spy agency"
    assert text_of(told.recipient) == "Agence France-Presse"
    assert told.content is not None and "redeployed several" in told.content.text


def test_official_from_agency_said() -> None:
    text = (
        "On Thursday, an official from Seoul’s National Intelligence Agency said they had "
        "been “redeployed” there."
    )
    a = by_cue(text, "said")
    assert text_of(a.source) == "an official from Seoul’s National Intelligence Agency"
    assert text_of(a.content) == "they had been “redeployed” there"


def test_quote_before_speaker_keeps_its_marks() -> None:
    a = by_cue("“The exact scale is still being assessed,” the official said.", "said")
    assert text_of(a.source) == "the official"
    assert text_of(a.content) == "“The exact scale is still being assessed,”"


def test_quote_told_journalists() -> None:
    text = "“This is a start, this is a framework agreement,” he told journalists."
    a = by_cue(text, "told")
    assert text_of(a.source) == "he"
    assert text_of(a.recipient) == "journalists"
    assert text_of(a.content) == "“This is a start, this is a framework agreement,”"


def test_inverted_said_the_official() -> None:
    text = "The troops were moved to Kursk last week, said the official."
    a = by_cue(text, "said")
    assert text_of(a.source) == "the official"
    assert text_of(a.content) == "The troops were moved to Kursk last week"


def test_passive_reported_by() -> None:
    text = "The deployment was first reported by the JoongAng Ilbo newspaper."
    a = next(a for a in attributions(text) if "reported" in a.cue.text)
    assert text_of(a.source) == "the JoongAng Ilbo newspaper"
    assert a.cue.text.startswith("was")


def test_agentless_passive_is_not_an_attribution() -> None:
    assert attributions("The exact scale is still being assessed.") == []


def test_said_colon_quote() -> None:
    text = "The minister said: “We will not send troops.”"
    a = by_cue(text, "said:")
    assert text_of(a.source) == "The minister"
    assert text_of(a.content) == "“We will not send troops.”"


def test_nested_attribution_dropped_only_on_request() -> None:
    doc = load_nlp()("The agency said Zelenskyy claimed that 4,000 soldiers were killed.")
    assert [a.cue.text for a in find_attributions(doc)] == ["said", "claimed"]
    assert [a.cue.text for a in find_attributions(doc, nested=False)] == ["said"]


def test_first_person_asides_inside_quotes_are_not_polnear_cues() -> None:
    doc = load_nlp()("“I think we will win,” the senator said.")
    assert [a.cue.text for a in find_attributions(doc, nested=False)] == ["said"]


def test_nyt_double_apostrophe_quotes() -> None:
    text = (
        "''I'm a big fan of Paul,'' he said. "
        "''I don't think anybody gets the nomination without it.''"
    )
    doc = load_nlp()(text)
    found = find_attributions(doc, nested=False)
    # "think" sits inside the second quotation: PolNeAR gives it no attribution of its own
    assert [a.cue.text for a in found] == ["said"]
    assert text_of(found[0].content) == "''I'm a big fan of Paul,''"


def test_source_keeps_the_comma_closing_its_apposition() -> None:
    text = "Michael Briggs, a spokesman for Sanders, said the campaign would continue."
    a = by_cue(text, "said")
    assert text_of(a.source) == "Michael Briggs, a spokesman for Sanders,"
    assert text_of(a.content) == "the campaign would continue"


def test_source_keeps_its_closing_parenthesis() -> None:
    a = by_cue("Sen. Bernie Sanders (I-Vt.) said he will release his medical records.", "said")
    assert text_of(a.source) == "Sen. Bernie Sanders (I-Vt.)"


def test_participle_set_off_by_comma_is_its_own_attribution() -> None:
    doc = load_nlp()(
        "Khalif said some of the rhetoric was patronizing, noting her comments to a radio "
        "host in April."
    )
    assert [a.cue.text for a in find_attributions(doc, nested=False)] == ["said", "noting"]


def test_copula_cue() -> None:
    a = by_cue("Many Republicans are eager to hear Trump's explanation.", "are eager to hear")
    assert text_of(a.source) == "Many Republicans"
    assert text_of(a.content) == "Trump's explanation"


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        (
            "Sanders voted against the Iraq war resolution in 2002.",
            "voted against",
            "Sanders",
            "the Iraq war resolution",
        ),
        (
            "The senator has repeatedly called for a ban on assault weapons.",
            "has repeatedly called for",
            "The senator",
            "a ban on assault weapons",
        ),
        (
            "Clinton expressed concern about the plan.",
            "expressed concern about",
            "Clinton",
            "the plan",
        ),
        ("Most voters want a change in Washington.", "want", "Most voters", None),
    ],
)
def test_learned_non_speech_cues(text: str, cue: str, source: str, content: str | None) -> None:
    a = by_cue(text, cue)
    assert text_of(a.source) == source
    if content is not None:
        assert text_of(a.content) == content


def test_plain_event_verbs_are_not_cues() -> None:
    assert attributions("The ball rolled down the hill and stopped.") == []


def test_cue_table_ships_with_the_package() -> None:
    from crosswire.claims import attribution

    weights, threshold = attribution._cue_model()
    assert len(weights) > 1000
    assert weights.get("w=said", 0.0) > 0.0
    assert -3.0 < threshold < 3.0


def test_polnear_dev_subset_scores() -> None:
    from crosswire.eval.attribution import evaluate_attribution

    require(POLNEAR_DEV, "PolNeAR dev data")
    lines: list[str] = []
    result = evaluate_attribution(POLNEAR_DEV, echo=lines.append, limit=15)
    assert result["files"] == 15
    assert isinstance(result["gold_attributions"], int) and result["gold_attributions"] > 100
    # full dev exact F1 of cue and source is about 0.70; the floors catch a broken extractor
    scores = {k: v for k, v in result.items() if isinstance(v, float)}
    assert scores["cue_exact_f1"] > 0.65
    assert scores["source_exact_f1"] > 0.65
    assert scores["content_overlap_f1"] > 0.60
    assert any("documents" in line for line in lines)


def test_agreement_scores_annotators_against_each_other(tmp_path: Path) -> None:
    """A text with several annotators' files gives the metric's human ceiling: each
    annotator scored against the other, and the system against each of them."""
    from crosswire.eval.attribution import evaluate_attribution

    text = "The senator said the bill would pass. Critics argued that it was rushed.\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text(text, encoding="utf-8")
    said, argued = text.index("said"), text.index("argued")
    both = (
        f"T1\tCue {said} {said + 4}\tsaid\nT2\tSource 0 11\tThe senator\n"
        f"E1\tCue:T1 Source:T2\n"
        f"T3\tCue {argued} {argued + 6}\targued\nT4\tSource 38 45\tCritics\n"
        f"E2\tCue:T3 Source:T4\n"
    )
    only_said = "\n".join(both.splitlines()[:3]) + "\n"
    (tmp_path / "attributions" / "doc_aaaa.ann").write_text(both, encoding="utf-8")
    (tmp_path / "attributions" / "doc_bbbb.ann").write_text(only_said, encoding="utf-8")

    lines: list[str] = []
    result = evaluate_attribution(tmp_path, echo=lines.append)
    assert result["files"] == 1  # scored once, against the first annotator
    assert result["agreement_documents"] == 1
    # a: 2 cues, b: 1 cue, 1 shared -> F1 2/3 whichever side is gold
    assert result["human_cue_exact_f1"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["system_vs_annotators_cue_exact_f1"] < 1.0
    assert any("several annotators" in line for line in lines)


# ---------------------------------------------------------------- odd inputs


def test_a_line_of_many_colons_is_read_once() -> None:
    # each colon walked back to its line's start and on to its end: a transcript line of
    # 4,000 colons took half a minute
    text = "SMITH: " + " : ".join(["the minister said 5 people died"] * 600) + "."
    found = attributions(text)
    assert sum(a.cue.text == "said" for a in found) >= 550
    for attribution in found:
        for span in (attribution.cue, attribution.source, attribution.content):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_a_sentence_of_hundreds_of_cues_keeps_every_span_exact() -> None:
    text = "Officials said " + " ".join(f"that officer {i} said" for i in range(800))
    text += " 5 people died."
    doc = load_nlp()(text)
    found = find_attributions(doc)
    assert len(found) >= 800
    for attribution in found:
        for span in (attribution.cue, attribution.source, attribution.content):
            if span is not None:
                assert text[span.start : span.end] == span.text


def test_nested_brackets_and_quote_marks_are_spans_like_any_other() -> None:
    text = 'Officials said that "' + "( " * 1000 + "5 people died" + " )" * 1000 + '" today.'
    said = by_cue(text, "said")
    assert said.source is not None and said.source.text == "Officials"
    assert said.content is not None and text[said.content.start : said.content.end] == (
        said.content.text
    )
