"""Stage 3: copies point at their original; different reports of one event stay apart."""

from __future__ import annotations

import random
from pathlib import Path

from crosswire.dedup import content_hash, find_duplicates
from crosswire.model import Article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

WIRE = """LISBON, Portugal (CPA) -- Portugal's civil protection agency said on Tuesday that more than 2,000 people had been moved from homes along the Tagus after two days of heavy rain.
The agency said 14 municipalities had opened emergency shelters and that schools in the district of Santarem would stay closed until Thursday.
"The river is still rising and we expect the peak overnight," agency commander Rui Matos told reporters in Lisbon.
Meteorologists forecast another 60 millimetres of rain by Wednesday evening, with the heaviest falls inland.
The national railway operator suspended services between Entroncamento and Abrantes after water covered the tracks near Constancia.
Farmers' associations warned that flooded rice fields could lose most of this season's crop, although no estimate of the damage was yet available.
The government said it would ask the European Union for help from its solidarity fund if losses exceeded the threshold for a major disaster."""

OTHER = """SANTAREM, Portugal -- Rescue teams in Santarem worked through the night on Tuesday to reach villages cut off by the swollen Tagus, the mayor said.
"We have people on roofs in two parishes and boats are the only way in," Mayor Ana Pires said in an interview, adding that about 300 volunteers had joined firefighters.
Local shops sold out of sandbags by midday and the town council opened its sports hall to families who had left their homes.
The mayor said the town had not seen water this high since the winter of 1979, when the river reached the steps of the old market."""


def art(aid: str, text: str, published: str | None, **kw: str) -> Article:
    return Article(id=aid, input=f"{aid}.txt", text=text, published=published, **kw)


def test_exact_copy_with_other_spacing_and_case_is_a_duplicate_of_the_earliest() -> None:
    later = art("b", WIRE.upper().replace("\n", "\n\n"), "2026-03-03T12:00:00+00:00")
    first = art("a", WIRE, "2026-03-03T09:30:00+01:00")
    assert content_hash(later.text) == content_hash(first.text)
    assert find_duplicates([later, first]) == 1
    assert later.duplicate_of == "a" and later.similarity == 1.0
    assert first.duplicate_of is None


def test_trimmed_republication_with_site_edits_is_a_copy() -> None:
    lines = WIRE.split("\n")
    trimmed = "\n".join(lines[:4]).replace("told reporters in Lisbon", "said")
    original = art("orig", WIRE, "2026-03-03T08:00:00Z")
    copy = art("copy", trimmed, "2026-03-03T10:00:00Z")
    find_duplicates([copy, original])
    assert copy.duplicate_of == "orig"
    assert copy.similarity is not None and 0.3 < copy.similarity < 0.9


def test_another_report_on_the_same_event_is_not_a_copy() -> None:
    a = art("wire", WIRE, "2026-03-03T08:00:00Z")
    b = art("local", OTHER, "2026-03-03T09:00:00Z")
    assert find_duplicates([a, b]) == 0
    assert a.duplicate_of is None and b.duplicate_of is None


def test_on_equal_times_the_agencys_own_copy_is_the_original() -> None:
    site = art("a-site", WIRE, "2026-03-03T08:00:00Z", outlet="Harbor Ledger")
    agency = art("z-agency", WIRE, "2026-03-03T08:00:00Z", outlet="CPA", original_source="CPA")
    find_duplicates([site, agency])
    assert site.duplicate_of == "z-agency" and agency.duplicate_of is None


def test_unknown_publication_time_never_wins_over_a_known_one() -> None:
    undated = art("a", WIRE, None)
    dated = art("b", WIRE, "2026-03-05")
    find_duplicates([undated, dated])
    assert undated.duplicate_of == "b"


def test_result_does_not_depend_on_input_order() -> None:
    texts = [WIRE, WIRE.replace("Tuesday", "Tuesday evening"), OTHER, WIRE[:900]]
    times = ["2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z", None, "2026-03-04T00:00:00Z"]
    expected = None
    for seed in range(5):
        arts = [art(f"x{i}", t, p) for i, (t, p) in enumerate(zip(texts, times, strict=True))]
        random.Random(seed).shuffle(arts)
        find_duplicates(arts)
        got = sorted((a.id, a.duplicate_of, a.similarity) for a in arts)
        expected = expected or got
        assert got == expected
    assert expected is not None
    assert [d for _, d, _ in expected] == [None, "x0", None, "x0"]


def test_the_two_seed_articles_are_not_copies_of_each_other() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    arts = [art(f"s{i}", t, None) for i, t in enumerate(texts)]
    assert find_duplicates(arts) == 0
