"""The report stage: report.json follows the contract; report.md/html are readable and safe."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from lxml import html as lxml_html

from crosswire.model import (
    Article,
    Claim,
    Entity,
    Facet,
    InputError,
    Provenance,
    Quantity,
    Story,
    TimeRef,
)
from crosswire.report import build_report, render_markdown, validate_report, write_reports

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract" / "report.schema.json"
GENERATED_AT = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
EVIL_TITLE = "N. Korea <script>alert('x')</script> troops | Kursk"
CLUTTER = "More InformationTOKYO, Japan: Japan's exports rise"
ERROR_REASON = "not valid UTF-8 (byte 0xff at offset 12)"


def _articles() -> list[Article]:
    afp = Article(
        id="a-afp",
        input="seeds/000_eb1e12cddd718c5a.txt",
        text=(
            "SEOUL, South Korea (AFP) -- More than 10,000 soldiers were sent, "
            "Seoul’s spy agency said."
        ),
        outlet="AFP",
        original_source="AFP",
        title=EVIL_TITLE,
        published="2025-02-27T10:00:00+09:00",
        dateline="SEOUL, South Korea",
        language="en",
        removed=[CLUTTER, "Subscribe to our newsletter"],
        provenance={
            "original_source": Provenance("credit-line", 0.95, "(AFP)"),
            "dateline": Provenance("dateline", 0.9, "SEOUL, South Korea (AFP) --"),
        },
        story="s-troops",
        url="javascript:alert(1)",
    )
    copy = Article(
        id="a-bnn",
        input="seeds/002_843d403538b901ef.txt",
        text="SEOUL, South Korea -- More than 10,000 soldiers were sent.",
        outlet="Big News Network",
        original_source="AFP",
        title="North Korea sends more troops to Russia",
        published="2025-02-27T02:00:00Z",
        language="en",
        duplicate_of="a-afp",
        similarity=0.9712,
        story="s-troops",
        url="https://www.bignewsnetwork.com/news/1",
    )
    other = Article(
        id="a-voa",
        input="feeds/voa.xml#7",
        text="Flooding closed roads in the north.",
        outlet="Voice of America",
        title="Floods close roads",
        published="2025-02-28T08:00:00-05:00",
        language="en",
        story="s-floods",
    )
    return [copy, other, afp]


def _stories() -> list[Story]:
    quantity = Quantity(
        text="more than 10,000", low=10000, high=None, kind="troops", approximate=True
    )
    claim = Claim(
        id="c1",
        article="a-afp",
        text="More than 10,000 soldiers were sent, Seoul’s spy agency said.",
        start=28,
        end=89,
        claimant="e-nis",
        claimant_name="National Intelligence Service",
        via=["NIS", "AFP"],
        cue="said",
        hedged=True,
        quantities=[quantity],
        time=TimeRef(text="last year", start="2024-01-01", end="2024-12-31"),
    )
    facet = Facet(
        id="f1", label="troops sent", claims=["c1"], status="single-source", independent_origins=1
    )
    nis = Entity(
        id="e-nis",
        name="National Intelligence Service",
        type="ORG",
        aliases=["NIS", "Seoul’s spy agency"],
        articles=["a-afp"],
    )
    troops = Story(
        id="s-troops",
        headline="North Korea sends more troops to Russia",
        articles=["a-bnn", "a-afp"],
        entities=[nis],
        claims=[claim],
        facets=[facet],
    )
    floods = Story(
        id="s-floods",
        headline="Floods close roads",
        articles=["a-voa"],
        first_published="2025-02-28T08:00:00-05:00",
        last_published="2025-02-28T08:00:00-05:00",
    )
    return [floods, troops]


def _errors() -> list[InputError]:
    return [InputError(input="broken/page.html", error=ERROR_REASON)]


@pytest.fixture
def report() -> dict[str, Any]:
    return build_report(_articles(), _stories(), _errors(), GENERATED_AT)


@pytest.fixture
def written(report: dict[str, Any], tmp_path: Path) -> dict[str, Path]:
    return write_reports(report, tmp_path / "out")


def _contract() -> dict[str, Any]:
    if not CONTRACT.exists():
        pytest.skip(f"shared contract not found at {CONTRACT} (repo not cloned beside shared/)")
    schema: dict[str, Any] = json.loads(CONTRACT.read_text(encoding="utf-8"))
    return schema


def test_report_validates_against_shared_contract(report: dict[str, Any]) -> None:
    validator = Draft202012Validator(_contract())
    assert [e.message for e in validator.iter_errors(report)] == []
    assert validate_report(report, CONTRACT) == []


def test_report_written_to_disk_still_validates(written: dict[str, Path]) -> None:
    _contract()
    loaded = json.loads(written["json"].read_text(encoding="utf-8"))
    assert validate_report(loaded, CONTRACT) == []
    assert list(Draft202012Validator(_contract()).iter_errors(loaded)) == []


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda r: r.pop("errors"), "'errors' is a required property"),
        (lambda r: r["articles"][0].pop("removed"), "'removed' is a required property"),
        (lambda r: r["stories"][0]["facets"][0].update(status="confirmed"), "is not one of"),
        (lambda r: r.update(schema="crosswire.report/2"), "was expected"),
        (lambda r: r.update(generated_at="yesterday"), "is not a 'date-time'"),
        (lambda r: r["stories"][0]["claims"][0].update(start="28"), "is not of type 'integer'"),
    ],
    ids=["no-errors", "no-removed", "bad-status", "wrong-schema", "bad-time", "string-offset"],
)
def test_invalid_reports_are_rejected(report: dict[str, Any], breakage: Any, expected: str) -> None:
    _contract()
    breakage(report)
    messages = validate_report(report, CONTRACT)
    assert messages, "a broken report passed validation"
    assert any(expected in message for message in messages), messages


def test_articles_ordered_by_story_then_instant_then_id(report: dict[str, Any]) -> None:
    # the troops story starts 01:00Z (10:00+09:00), before the floods story, and its
    # AFP original (01:00Z) precedes the copy (02:00Z) although "02:00Z" < "10:00+09" as text
    assert [s["id"] for s in report["stories"]] == ["s-troops", "s-floods"]
    assert [a["id"] for a in report["articles"]] == ["a-afp", "a-bnn", "a-voa"]
    assert report["stories"][0]["articles"] == ["a-afp", "a-bnn"]


def test_story_span_filled_from_its_articles(report: dict[str, Any]) -> None:
    troops = report["stories"][0]
    assert troops["first_published"] == "2025-02-27T10:00:00+09:00"
    assert troops["last_published"] == "2025-02-27T02:00:00Z"


def test_summary_counts(report: dict[str, Any]) -> None:
    assert report["summary"] == {
        "inputs": 4,
        "articles": 3,
        "unique_articles": 2,
        "duplicates": 1,
        "outlets": 3,
        "stories": 2,
        "errors": 1,
    }
    assert report["generated_at"] == "2025-03-01T12:30:00Z"


def test_provenance_and_claims_serialised_in_full(report: dict[str, Any]) -> None:
    afp = report["articles"][0]
    assert afp["provenance"]["original_source"] == {
        "source": "credit-line",
        "confidence": 0.95,
        "evidence": "(AFP)",
    }
    claim = report["stories"][0]["claims"][0]
    assert claim["quantities"] == [
        {
            "text": "more than 10,000",
            "low": 10000,
            "high": None,
            "approximate": True,
            "unit": None,
            "kind": "troops",
            "subject": None,
            "start": 0,
            "end": 0,
        }
    ]
    assert claim["time"] == {
        "text": "last year",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "value": None,
    }
    assert claim["via"] == ["NIS", "AFP"] and claim["hedged"] is True
    assert report["stories"][0]["entities"][0]["aliases"] == ["NIS", "Seoul’s spy agency"]
    assert report["stories"][0]["facets"][0]["independent_origins"] == 1


def test_naive_generated_at_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_report(_articles(), _stories(), _errors(), datetime(2025, 3, 1))


def test_write_reports_returns_the_three_files(written: dict[str, Path]) -> None:
    assert set(written) == {"json", "md", "html"}
    assert [p.name for p in written.values()] == ["report.json", "report.md", "report.html"]
    # nothing half-written or temporary is left beside them
    assert sorted(p.name for p in written["json"].parent.iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
    ]
    raw = written["json"].read_text(encoding="utf-8")
    assert "Seoul’s spy agency" in raw, "non-ASCII text must be written as is"
    assert raw.startswith('{\n  "schema": "crosswire.report/1"')


def test_same_input_gives_byte_identical_files(tmp_path: Path) -> None:
    first = write_reports(
        build_report(_articles(), _stories(), _errors(), GENERATED_AT), tmp_path / "one"
    )
    articles, stories = _articles(), _stories()
    random.Random(7).shuffle(articles)
    stories.reverse()
    second = write_reports(
        build_report(articles, stories, _errors(), GENERATED_AT), tmp_path / "two"
    )
    for kind in ("json", "md", "html"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind


def test_markdown_for_a_person(written: dict[str, Path]) -> None:
    text = written["md"].read_text(encoding="utf-8")
    summary = text.split("## Stories")[0]
    assert "| Stories | 2 |" in summary and "| Input errors | 1 |" in summary
    assert "## North Korea sends more troops to Russia" in text
    for outlet in ("AFP", "Big News Network", "Voice of America"):
        assert outlet in text
    assert "copy of [AFP](#article-a-afp) (similarity 0.97)" in text
    assert ERROR_REASON in text
    assert "More InformationTOKYO, Japan: Japan's exports rise" in text
    assert "<script>" not in text


def test_markdown_pipes_do_not_break_table_cells(report: dict[str, Any]) -> None:
    text = render_markdown(report)
    row = next(line for line in text.splitlines() if "alert" in line and line.startswith("|"))
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    assert len(cells) == 5, row
    assert "\\| Kursk" in cells[1]


def test_markdown_omits_empty_claim_and_facet_sections(report: dict[str, Any]) -> None:
    floods = render_markdown(report).split("## Floods close roads")[1].split("\n## ")[0]
    assert "### Articles" in floods
    assert "Claims" not in floods and "Facets" not in floods


def _page(written: dict[str, Path]) -> Any:
    return lxml_html.fromstring(written["html"].read_bytes())


def test_html_escapes_script_in_titles(written: dict[str, Path]) -> None:
    page = _page(written)
    assert page.xpath("//script") == []
    titles = [a.text_content() for a in page.xpath("//table[@class='articles']//td[2]/a")]
    assert EVIL_TITLE in titles


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    page = _page(written)
    assert page.xpath("//link | //script | //*[@src] | //iframe") == []
    assert "font" in page.xpath("string(//head/style)")
    hrefs = page.xpath("//a/@href")
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "https://www.bignewsnetwork.com/news/1" in hrefs


def test_html_links_resolve_within_the_page(written: dict[str, Path]) -> None:
    page = _page(written)
    ids = set(page.xpath("//@id"))
    internal = [h[1:] for h in page.xpath("//a/@href") if h.startswith("#")]
    assert internal and all(target in ids for target in internal), set(internal) - ids
    story_links = page.xpath("//table[@class='stories']//a")
    assert [a.text_content() for a in story_links] == [
        "North Korea sends more troops to Russia",
        "Floods close roads",
    ]
    section = page.get_element_by_id(story_links[0].get("href")[1:])
    assert section.xpath("string(.//h2)") == "North Korea sends more troops to Russia"
    outlets = [td.text_content() for td in section.xpath(".//table[@class='articles']//td[1]")]
    assert outlets == ["AFP", "Big News Network"]


def test_html_marks_duplicates_with_their_original(written: dict[str, Path]) -> None:
    page = _page(written)
    copy_row = page.xpath("//section[@id='story-s-troops']//tr[@class='copy']")[0]
    cell = copy_row.xpath("./td[5]")[0]
    assert " ".join(cell.text_content().split()) == "copy of AFP (similarity 0.97)"
    assert cell.xpath("./a/@href") == ["#article-a-afp"]


def test_html_shows_removed_clutter_collapsed(written: dict[str, Path]) -> None:
    page = _page(written)
    afp = page.get_element_by_id("article-a-afp")
    details = afp.xpath(".//details[@class='removed']")[0]
    assert details.get("open") is None
    assert details.xpath("string(summary)") == "Removed as clutter (2 blocks)"
    assert details.xpath("./ol/li/text()") == [CLUTTER, "Subscribe to our newsletter"]
    copy = page.get_element_by_id("article-a-bnn")
    assert copy.xpath(".//details[@class='removed']") == []


def test_html_lists_input_errors(written: dict[str, Path]) -> None:
    page = _page(written)
    rows = page.xpath("//section[@id='errors']//tbody/tr")
    assert [[td.text_content() for td in row.xpath("td")] for row in rows] == [
        ["broken/page.html", ERROR_REASON]
    ]


def test_html_claims_and_facets_only_where_present(written: dict[str, Path]) -> None:
    page = _page(written)
    troops = page.get_element_by_id("story-s-troops")
    assert troops.xpath(".//h3/text()") == ["Articles", "Facets", "Claims"]
    status = troops.xpath(".//table[@class='facets']//span[contains(@class, 'status')]/text()")
    assert status == ["single-source"]
    claim = page.get_element_by_id("claim-c1")
    assert "more than 10,000" in claim.text_content()
    assert "National Intelligence Service" in claim.text_content()
    floods = page.get_element_by_id("story-s-floods")
    assert floods.xpath(".//h3/text()") == ["Articles"]
