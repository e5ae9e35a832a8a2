"""Stage 2 on wire copy as outlets print it: captions above the dateline, wire credits in
the lead, and the trailer a wire puts under its text.

The texts are written for these tests in the shapes real pages have (a caption with a
"REUTERS/Name" credit, "April 29 (UPI) --", "(Reporting by ...; Editing by ...)").
"""

from __future__ import annotations

import pytest

from crosswire.clean import canonical_agency, clean_document
from crosswire.clean.metadata import read_dateline
from crosswire.model import Article, RawDoc

LEAD = "A fire damaged the old ferry terminal on Monday, the harbour authority said."
SECOND = "Nobody was hurt, and ferries to the islands ran from the new pier instead."
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report: the harbour authority will publish its findings on "
    "the damage, the cost of repairs and how long the works will take next month.</p>"
    for n in range(8)
)


def _text(text: str) -> Article:
    return clean_document(RawDoc(kind="text", input="wire.txt", text=text))


def _html(body: str, title: str = "Harbour fire damages ferry terminal") -> Article:
    html = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}{PARAGRAPHS}</article></body></html>"
    )
    return clean_document(RawDoc(kind="html", input="page.html", html=html))


# --- captions ------------------------------------------------------------------------


def test_a_photo_caption_above_the_dateline_is_clutter_not_the_lead() -> None:
    caption = "Smoke rises over the old ferry terminal in the port district REUTERS/Ana Silva"
    article = _text(
        f"{caption}\nLISBON, May 4 (Reuters) - {LEAD}\n{SECOND}",
    )
    assert article.text.split("\n")[0] == f"LISBON, May 4 (Reuters) - {LEAD}"
    assert caption in article.removed
    assert article.title != caption
    assert (article.dateline, article.original_source) == ("LISBON", "Reuters")


def test_an_uncredited_caption_between_headline_and_dateline_is_clutter() -> None:
    article = _html(
        "<p>Smoke rises over the old ferry terminal in the port district</p>"
        f"<p>LISBON (AP) — {LEAD}</p>"
    )
    assert article.title == "Harbour fire damages ferry terminal"
    assert article.text.startswith(f"LISBON (AP) — {LEAD}")
    assert "Smoke rises over the old ferry terminal in the port district" in article.removed
    assert (article.dateline, article.original_source) == ("LISBON", "AP")


def test_in_plain_text_the_headline_stays_the_title_and_the_caption_goes() -> None:
    article = _text(
        "Harbour fire damages ferry terminal\n"
        "Firefighters at the terminal on Monday. (AP Photo/Rui Costa)\n"
        f"LISBON (AP) — {LEAD}\n{SECOND}"
    )
    assert article.title == "Harbour fire damages ferry terminal"
    assert article.text.split("\n") == [f"LISBON (AP) — {LEAD}", SECOND]
    assert "Firefighters at the terminal on Monday. (AP Photo/Rui Costa)" in article.removed


@pytest.mark.parametrize(
    "caption",
    [
        "Firefighters at the terminal on Monday. (AP Photo/Rui Costa)",
        "A ferry leaves the new pier. REUTERS/Ana Silva/File Photo",
        "The terminal in 2019 (Photo: Rui Costa)",
        "Passengers wait at the pier (Photo by Ana Silva/Getty Images)",
        "FILE PHOTO: The old ferry terminal in the port district",
        "The pier at dusk. Jane Roe/AFP",
    ],
)
def test_a_credited_photo_caption_inside_the_article_is_removed(caption: str) -> None:
    article = _text(f"LISBON (AP) — {LEAD}\n{caption}\n{SECOND}")
    assert article.text.split("\n") == [f"LISBON (AP) — {LEAD}", SECOND]
    assert caption in article.removed


@pytest.mark.parametrize(
    "paragraph",
    [
        "The authority bought the pictures of the fire from Getty Images.",
        "She posted a photo by the pier on Monday.",
        "Photo: the word the mayor used, twice. Then he left the room.",
    ],
)
def test_paragraphs_that_mention_photos_are_kept(paragraph: str) -> None:
    article = _text(f"LISBON (AP) — {LEAD}\n{paragraph}\n{SECOND}")
    assert paragraph in article.text.split("\n")


def test_a_paragraph_above_the_dateline_is_kept_with_the_lines_around_it() -> None:
    note = "Editor's note: this story was updated with the authority's statement."
    article = _html(f"<p>{note}</p><p>Short deck line</p><p>LISBON (AP) — {LEAD}</p>")
    assert article.text.startswith(f"{note}\nShort deck line\nLISBON (AP) — {LEAD}")


# --- wire credits in the lead --------------------------------------------------------


def test_a_lead_with_date_and_agency_but_no_place_credits_the_agency() -> None:
    article = _text(f"April 29 (UPI) — {LEAD}\n{SECOND}")
    assert article.original_source == "UPI"
    assert article.provenance["original_source"].source == "dateline"
    assert article.dateline is None  # no place is named, none is made up
    assert article.text.startswith(f"April 29 (UPI) — {LEAD}")


def test_a_reuters_dateline_with_a_date_credits_reuters_and_gives_the_place() -> None:
    article = _text(f"WASHINGTON, April 30 (Reuters) - {LEAD}\n{SECOND}")
    assert article.original_source == "Reuters"
    assert article.dateline == "WASHINGTON"


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("April 29 (UPI) — The council voted", None, "UPI"),
        ("Feb. 20 (UPI) -- The singer performed", None, "UPI"),
        ("20 février (UPI) – Le chanteur", None, "UPI"),
        ("(Bloomberg) -- Officials said on Monday", None, "Bloomberg"),
        ("(Reuters) - The island will relax", None, "Reuters"),
        ("WASHINGTON, April 30 (Reuters) - The Senate", "WASHINGTON", "Reuters"),
        ("LONDON, Jan 1 (Reuters) - The driver", "LONDON", "Reuters"),
        ("BERLIN, Feb. 10 (Xinhua) -- The leader", "BERLIN", "Xinhua"),
        ("Roma, 26 de febrero (EFE) .- Los contagios", "Roma", "EFE"),
        ("Bogotá, 5 ene (EFE).- El Gobierno", "Bogotá", "EFE"),
        ("Bagdad/Washington (dpa) - Die Botschaft", "Bagdad/Washington", "dpa"),
        ("TOKYO (Kyodo) -- The government", "TOKYO", "Kyodo"),
        ("SEOUL, Dec. 3 (Yonhap) -- The ministry", "SEOUL", "Yonhap"),
        ("ROMA (ANSA) - Il governo", "ROMA", "ANSA"),
    ],
)
def test_datelines_of_the_wires(line: str, place: str | None, agency: str) -> None:
    dateline = read_dateline(line)
    assert dateline is not None
    assert (dateline.place, dateline.agency) == (place, agency)


@pytest.mark.parametrize(
    "line",
    [
        "(Tuesday) - the council met",  # not an agency
        "(in Rome) - the talks resumed",
        "April 29 (Harbor Ledger) — a paper, not a wire, and no place",
        "President Trump said: the deal is done.",
    ],
)
def test_brackets_that_are_no_wire_credit_are_no_dateline(line: str) -> None:
    assert read_dateline(line) is None


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Bloomberg", "Bloomberg"),
        ("Bloomberg News", "Bloomberg"),
        ("ANSA", "ANSA"),
        ("PA Media", "PA Media"),
        ("Press Association", "PA Media"),
        ("Deutsche Presse-Agentur", "dpa"),
        ("Agencia EFE", "EFE"),
        ("Xinhua News Agency", "Xinhua"),
        ("Kyodo News", "Kyodo"),
        ("Yonhap News Agency", "Yonhap"),
        ("United Press International", "UPI"),
    ],
)
def test_the_wires_are_known_by_their_usual_names(written: str, canonical: str) -> None:
    assert canonical_agency(written) == canonical


# --- trailers ------------------------------------------------------------------------


def test_a_reporting_and_editing_trailer_is_removed_and_credits_reuters() -> None:
    trailer = "Reporting by Ana Silva; Additional reporting by Rui Costa; Editing by Tom Berg"
    # the outlet cut the dateline: the trailer alone says whose copy this is
    article = _text(f"{LEAD}\n{SECOND}\n{trailer}")
    assert article.text.split("\n") == [LEAD, SECOND]
    assert "Reporting by" not in article.text
    assert trailer in article.removed
    assert article.original_source == "Reuters"
    assert article.provenance["original_source"].source == "trailer-line"


def test_the_dateline_credit_wins_over_the_trailer() -> None:
    article = _text(f"PARIS (AFP) - {LEAD}\n{SECOND}\n(Writing by Ana Silva; Editing by Tom Berg)")
    assert article.original_source == "AFP"
    assert article.text.split("\n") == [f"PARIS (AFP) - {LEAD}", SECOND]


def test_a_trailer_glued_to_the_last_paragraph_is_cut_off_it() -> None:
    article = _text(
        f"LISBON, May 4 (Reuters) - {LEAD}\n"
        "“We will rebuild it,” the mayor said. (Reporting by Ana Silva, editing by Tom Berg)"
    )
    assert article.text.split("\n")[-1] == "“We will rebuild it,” the mayor said."
    assert "(Reporting by Ana Silva, editing by Tom Berg)" in article.removed


@pytest.mark.parametrize(
    "trailer",
    [
        "(Reporting by Ana Silva in Lisbon and Rui Costa in Porto; Editing by Tom Berg)",
        "(Reporting by Ana Silva)",
        "Writing by Ana Silva; editing by Tom Berg",
        "Compiled by Ana Silva",
        "(Compiled by Ana Silva)",
        "- Compiled by Ana Silva",
        "*Writing by Ana Silva",
        "Additional reporting by Rui Costa",
        "Associated Press writer Rui Costa in Porto contributed to this report.",
        "The Associated Press contributed to this report.",
        "--With assistance from Rui Costa.",
        "To contact the reporter on this story: Ana Silva in Lisbon at asilva@example.com",
    ],
)
def test_trailer_lines_are_not_article_text(trailer: str) -> None:
    article = _text(f"LISBON (AP) — {LEAD}\n{SECOND}\n{trailer}")
    assert article.text.split("\n") == [f"LISBON (AP) — {LEAD}", SECOND]
    assert trailer in article.removed


@pytest.mark.parametrize(
    ("trailer", "agency"),
    [
        ("Associated Press writer Rui Costa in Porto contributed to this report.", "AP"),
        ("--With assistance from Rui Costa.", "Bloomberg"),
        ("(Reporting by Ana Silva for AFP; Editing by Tom Berg)", "AFP"),
    ],
)
def test_a_trailer_in_an_agencys_house_style_credits_that_agency(trailer: str, agency: str) -> None:
    article = _text(f"{LEAD}\n{SECOND}\n{trailer}")
    assert article.original_source == agency


def test_a_trailer_that_says_nothing_of_the_wire_credits_none() -> None:
    # an outlet's own story with wire help, or a compiler's name: whose copy is unknown
    article = _text(f"{LEAD}\n{SECOND}\nThe Associated Press contributed to this report.")
    assert article.original_source is None
    assert _text(f"{LEAD}\n{SECOND}\nCompiled by Ana Silva").original_source is None


@pytest.mark.parametrize(
    "paragraph",
    [
        "Reporting by the Harbor Ledger last year showed the terminal had failed two inspections.",
        "Editing by committee, the mayor said, had left the plan without a budget.",
    ],
)
def test_sentences_that_open_with_reporting_by_are_kept(paragraph: str) -> None:
    article = _text(f"{LEAD}\n{paragraph}\n{SECOND}")
    assert article.text.split("\n") == [LEAD, paragraph, SECOND]


def test_a_place_in_a_trailer_is_not_taken_for_an_agency() -> None:
    article = _text(f"{LEAD}\n{SECOND}\n(Reporting by Ana Silva in Erie, PA; Editing by Tom Berg)")
    assert article.original_source == "Reuters"
