"""The report stage: report.json follows the contract; report.md/html and the story pages
are readable and safe, and every link in them lands."""

from __future__ import annotations

import json
import os
import random
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from lxml import html as lxml_html

from crosswire.model import (
    Article,
    ArticleRevision,
    BriefSentence,
    Claim,
    Derived,
    Entity,
    Facet,
    InputError,
    Origin,
    OutletView,
    Provenance,
    Quantity,
    Revision,
    Story,
    StoryChanges,
    TimeRef,
)
from crosswire.report import (
    build_report,
    render_html,
    render_markdown,
    render_story_html,
    render_story_markdown,
    validate_report,
    write_reports,
)

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
        message = f"shared contract not found at {CONTRACT} (repo not cloned beside shared/)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
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
            "background": False,
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


def test_write_reports_returns_the_three_files_and_the_story_pages(
    written: dict[str, Path],
) -> None:
    assert set(written) == {"json", "md", "html", "stories"}
    assert [p.name for p in written.values()] == [
        "report.json",
        "report.md",
        "report.html",
        "stories",
    ]
    # nothing half-written or temporary is left beside them
    assert sorted(p.name for p in written["json"].parent.iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
        "stories",
    ]
    # each story has an .html and an .md page of one name
    assert sorted(p.name for p in written["stories"].iterdir()) == [
        "story-s-floods.html",
        "story-s-floods.md",
        "story-s-troops.html",
        "story-s-troops.md",
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
    pages = sorted(p.name for p in first["stories"].iterdir())
    assert pages == sorted(p.name for p in second["stories"].iterdir())
    for name in pages:
        assert (first["stories"] / name).read_bytes() == (second["stories"] / name).read_bytes()


def test_markdown_for_a_person(written: dict[str, Path]) -> None:
    text = written["md"].read_text(encoding="utf-8")
    summary = text.split("## Stories")[0]
    assert "| Stories | 2 |" in summary and "| Input errors | 1 |" in summary
    # report.md is the table of stories: each row opens the story's own page
    assert (
        "| [North Korea sends more troops to Russia](stories/story-s-troops.md) | 2 |"
        " AFP, Big News Network |" in text
    )
    assert "| [Floods close roads](stories/story-s-floods.md) | 1 | Voice of America |" in text
    assert ERROR_REASON in text
    assert "## North Korea sends more troops to Russia" not in text
    assert "## Article details" not in text  # every article is in a story
    troops = (written["stories"] / "story-s-troops.md").read_text(encoding="utf-8")
    assert troops.startswith("[All stories](../report.md) · crosswire report generated")
    assert "\n## North Korea sends more troops to Russia\n" in troops
    assert "copy of [AFP](#article-a-afp) (similarity 0.97)" in troops
    assert "More InformationTOKYO, Japan: Japan's exports rise" in troops
    assert "Voice of America" not in troops and "Floods close roads" not in troops
    floods = (written["stories"] / "story-s-floods.md").read_text(encoding="utf-8")
    assert "\n## Floods close roads\n" in floods and "Voice of America" in floods
    assert "AFP" not in floods
    for shown in (text, troops, floods):
        assert "<script>" not in shown
    check_markdown_links(written["md"].parent)


def test_markdown_pipes_do_not_break_table_cells(report: dict[str, Any]) -> None:
    text = render_story_markdown(report, 0)
    row = next(line for line in text.splitlines() if "alert" in line and line.startswith("|"))
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    assert len(cells) == 5, row
    assert "\\| Kursk" in cells[1]


def test_markdown_omits_empty_claim_and_facet_sections(report: dict[str, Any]) -> None:
    floods = render_story_markdown(report, 1).split("## Floods close roads")[1]
    assert "### Articles" in floods
    assert "Claims" not in floods and "Facets" not in floods


def _page(written: dict[str, Path]) -> Any:
    """report.html: the table of stories, articles in no story, errors."""
    return lxml_html.fromstring(written["html"].read_bytes())


def _story_page(written: dict[str, Path], story_id: str) -> Any:
    return lxml_html.fromstring((written["stories"] / f"story-{story_id}.html").read_bytes())


def _pages(written: dict[str, Path]) -> list[Any]:
    return [_page(written), *(_story_page(written, s) for s in ("s-troops", "s-floods"))]


def test_html_escapes_script_in_titles(written: dict[str, Path]) -> None:
    pages = _pages(written)
    assert all(page.xpath("//script") == [] for page in pages)
    titles = [
        a.text_content() for p in pages for a in p.xpath("//table[@class='articles']//td[2]/a")
    ]
    assert EVIL_TITLE in titles


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    for page in _pages(written):
        assert page.xpath("//link | //script | //*[@src] | //iframe") == []
        assert "font" in page.xpath("string(//head/style)")
        hrefs = page.xpath("//a/@href")
        assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "https://www.bignewsnetwork.com/news/1" in _story_page(written, "s-troops").xpath(
        "//a/@href"
    )


def test_html_links_resolve_within_the_pages(written: dict[str, Path]) -> None:
    page = _page(written)
    story_links = page.xpath("//table[@class='stories']//a")
    assert [a.text_content() for a in story_links] == [
        "North Korea sends more troops to Russia",
        "Floods close roads",
    ]
    # each row opens its story's own page, and that page links back
    target = written["html"].parent / story_links[0].get("href")
    story = lxml_html.fromstring(target.read_bytes())
    assert story.xpath("//header//a/@href") == ["../report.html"]
    section = story.xpath("//section[@class='story']")[0]
    assert section.xpath("string(.//h2)") == "North Korea sends more troops to Russia"
    outlets = [td.text_content() for td in section.xpath(".//table[@class='articles']//td[1]")]
    assert outlets == ["AFP", "Big News Network"]
    for one in _pages(written):
        ids = set(one.xpath("//@id"))
        internal = [h[1:] for h in one.xpath("//a/@href") if h.startswith("#")]
        assert all(target in ids for target in internal), set(internal) - ids
    assert sorted(p.name for p in written["stories"].glob("*.html")) == [
        "story-s-floods.html",
        "story-s-troops.html",
    ]


def test_html_marks_duplicates_with_their_original(written: dict[str, Path]) -> None:
    page = _story_page(written, "s-troops")
    copy_row = page.xpath("//section[@id='story-s-troops']//tr[@class='copy']")[0]
    cell = copy_row.xpath("./td[5]")[0]
    assert " ".join(cell.text_content().split()) == "copy of AFP (similarity 0.97)"
    assert cell.xpath("./a/@href") == ["#article-a-afp"]


def test_html_shows_removed_clutter_collapsed(written: dict[str, Path]) -> None:
    page = _story_page(written, "s-troops")
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
    page = _story_page(written, "s-troops")
    troops = page.get_element_by_id("story-s-troops")
    assert troops.xpath(".//h3/text()") == [
        "Facets",
        "Entities",
        "Articles",
        "Article texts and claims",
    ]
    status = troops.xpath(".//table[@class='facets']//span[contains(@class, 'status')]/text()")
    assert status == ["single source"]
    claim = page.get_element_by_id("claim-c1")
    assert claim.tag == "mark"
    assert claim.text_content().startswith("More than 10,000 soldiers were sent")
    note = page.get_element_by_id("about-claim-c1").text_content()
    assert "National Intelligence Service" in note and "≥ 10,000 troops" in note
    floods = _story_page(written, "s-floods").get_element_by_id("story-s-floods")
    assert floods.xpath(".//h3/text()") == ["Articles", "Article texts"]


# A cross-checked story as stages 5 and 6 leave it: two outlets, a conflict between two
# independent origins, a revised and a derived figure, a brief, exclusives, changes.
A1_TEXT = (
    "SEOUL (AFP) -- More than 10,000 soldiers were sent, the NIS said. "
    "About 300 died and 2,700 were injured, it said.\n"
)
A2_TEXT = (
    "Ukraine said 12,000 troops were sent. "
    'A post read <script>alert(1)</script> & "more" | here, officials said.\n'
)


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def _claim(claim_id: str, article: str, text: str, sentence: str, **extra: Any) -> Claim:
    start, end = _span(text, sentence)
    return Claim(id=claim_id, article=article, text=sentence, start=start, end=end, **extra)


def _rich_inputs() -> tuple[list[Article], list[Story]]:
    afp = Article(
        id="a1",
        input="afp.txt",
        text=A1_TEXT,
        outlet="AFP",
        title="Troops sent",
        published="2025-02-27T10:00:00+09:00",
        story="s1",
    )
    voa = Article(
        id="a2",
        input="voa.txt",
        text=A2_TEXT,
        outlet="Voice of America",
        title="Ukraine: 12,000",
        published="2025-02-27T12:00:00+00:00",
        story="s1",
    )
    more = Quantity(text="More than 10,000", low=10000, high=None, kind="troops", approximate=True)
    twelve = Quantity(text="12,000", low=12000, high=12000, kind="troops")
    c1 = _claim(
        "c1",
        "a1",
        A1_TEXT,
        "More than 10,000 soldiers were sent, the NIS said.",
        claimant="e-nis",
        claimant_name="National Intelligence Service",
        via=["NIS", "AFP"],
        cue="said",
        hedged=True,
        hedge="more than",
        quantities=[more],
        outlet="AFP",
    )
    c2 = _claim(
        "c2",
        "a1",
        A1_TEXT,
        "About 300 died and 2,700 were injured, it said.",
        claimant="e-nis",
        quantities=[
            Quantity(text="About 300", low=300, high=300, kind="killed", approximate=True),
            Quantity(text="2,700", low=2700, high=2700, kind="injured"),
        ],
        outlet="AFP",
    )
    c3 = _claim(
        "c3",
        "a2",
        A2_TEXT,
        "Ukraine said 12,000 troops were sent.",
        claimant_name="Ukraine",
        quantities=[twelve],
        outlet="Voice of America",
    )
    # a second claim on the very same sentence: its mark nests inside the first one's
    c4 = _claim("c4", "a2", A2_TEXT, "Ukraine said 12,000 troops were sent.", outlet="VOA")
    evil = 'A post read <script>alert(1)</script> & "more" | here, officials said.'
    c5 = _claim("c5", "a2", A2_TEXT, evil, claimant_name="officials <b>", outlet="VOA")
    # offsets that do not match the text: never marked at the wrong words
    c6 = Claim(id="c6", article="a2", text="A sentence not in the text.", start=0, end=10)
    # a claim of an article this report does not hold
    c7 = Claim(id="c7", article="a-gone", text="Gone but cited.", start=0, end=15, outlet="X")
    facets = [
        Facet(
            id="f2",
            label="casualties | January",
            claims=["c2"],
            status="single-source",
            independent_origins=1,
            kind="casualties",
            derived=[
                Derived(
                    text="about 3,000 casualties",
                    low=3000,
                    high=None,
                    kind="casualties",
                    claims=["c2"],
                    note="derived: e-nis's About 300 killed plus 2,700 injured (claims c2)",
                )
            ],
        ),
        Facet(
            id="f1",
            label="troops sent",
            claims=["c1", "c3"],
            status="conflicting",
            independent_origins=2,
            kind="troops",
            origins=[
                Origin(
                    name="e-nis",
                    claims=["c1"],
                    first_claim="c1",
                    first_outlet="AFP",
                    first_published="2025-02-27T10:00:00+09:00",
                    repeated_by=["Big News Network", "Manila Metro"],
                    label="National Intelligence Service",
                ),
                Origin(
                    name="Ukraine",
                    claims=["c3"],
                    first_claim="c3",
                    first_outlet="Voice of America",
                    first_published="2025-02-27T12:00:00+00:00",
                ),
            ],
            revisions=[
                Revision(
                    origin="e-nis",
                    old_claim="c1",
                    new_claim="c3",
                    old_value="12",
                    new_value="17",
                    old_published="2025-02-27T10:00:00+09:00",
                    new_published="2025-02-27T12:00:00+00:00",
                )
            ],
        ),
        Facet(id="f3", label="agreed thing", claims=["c1"], status="agreed", independent_origins=2),
    ]
    story = Story(
        id="s1",
        headline="North Korea sends troops",
        articles=["a1", "a2"],
        entities=[
            Entity(
                id="e-nis",
                name="National Intelligence Service",
                type="ORG",
                aliases=["NIS", "Seoul’s spy agency"],
                articles=["a1"],
            ),
        ],
        claims=[c1, c2, c3, c4, c5, c6, c7],
        facets=facets,
        brief=[
            BriefSentence(
                text="Seoul says more than 10,000 troops went; Kyiv says 12,000.",
                claims=["c1", "c3"],
            ),
        ],
        outlets=[
            OutletView(
                outlet="AFP", articles=["a1"], exclusive_claims=["c2"], exclusive_entities=["e-nis"]
            ),
            OutletView(
                outlet="Voice of America",
                articles=["a2"],
                exclusive_claims=["c5"],
                missing_facets=["f2"],
            ),
        ],
        changes=StoryChanges(
            since="2025-02-27T00:00:00+00:00",
            new_claims=["c3", "c4"],
            new_facets=["f1", "f3"],
            new_conflicts=["f1"],
            revised=list(facets[1].revisions),
            new_confirmations=["f3"],
        ),
    )
    return [afp, voa], [story]


@pytest.fixture
def rich() -> dict[str, Any]:
    articles, stories = _rich_inputs()
    return build_report(articles, stories, [], GENERATED_AT)


@pytest.fixture
def rich_page(rich: dict[str, Any]) -> Any:
    return lxml_html.fromstring(render_story_html(rich, 0))


def _words(element: Any) -> str:
    return " ".join(element.text_content().split())


def test_rich_report_still_validates(rich: dict[str, Any]) -> None:
    _contract()
    assert validate_report(rich, CONTRACT) == []


def test_conflicting_facet_row_is_marked_and_listed_first(rich_page: Any) -> None:
    rows = rich_page.xpath("//table[@class='facets']/tbody/tr")
    assert [row.get("id") for row in rows] == ["facet-f1", "facet-f3", "facet-f2"]
    conflict = rows[0]
    assert "facet-conflicting" in conflict.get("class")
    assert conflict.xpath("string(.//span[contains(@class,'status')])") == "conflict"
    assert conflict.xpath("string(th[@scope='row'])").startswith("troops sent")
    assert "facet-agreed" in rows[1].get("class")
    assert "facet-single-source" in rows[2].get("class")
    assert rows[0].xpath("string(td[@class='num'])") == "2"


def test_facet_values_per_origin_with_first_and_repeats(rich_page: Any) -> None:
    origins = rich_page.get_element_by_id("facet-f1").xpath(".//ul[@class='origins']/li")
    nis, ukraine = (_words(li) for li in origins)
    assert nis.startswith("National Intelligence Service: “More than 10,000”")
    assert "first: AFP, 2025-02-27 10:00 +09:00" in nis
    assert "repeated by Big News Network, Manila Metro" in nis
    assert ukraine.startswith("Ukraine: “12,000”") and "repeated by" not in ukraine
    # the value links to its claim sentence
    assert origins[0].xpath(".//sup[@class='cite']/a/@href") == ["#claim-c1"]


def test_revisions_and_derived_values_are_labelled(rich_page: Any) -> None:
    revision = _words(rich_page.get_element_by_id("facet-f1").xpath(".//ul[@class='revisions']")[0])
    assert "revised National Intelligence Service: 12 → 17" in revision
    assert "(revised, 2025-02-27 10:00 +09:00 → 2025-02-27 12:00 UTC)" in revision
    derived = rich_page.get_element_by_id("facet-f2").xpath(".//ul[@class='derived']/li")[0]
    assert derived.xpath("string(span[contains(@class,'badge-derived')])") == "derived"
    # the note names the entity, not its id, and the claim by its number
    assert "National Intelligence Service's About 300 killed" in _words(derived)
    assert "(claims #2)" in _words(derived)


def test_claim_anchors_mark_the_exact_sentence_in_the_article_text(
    rich: dict[str, Any], rich_page: Any
) -> None:
    texts = {a["id"]: a["text"] for a in rich["articles"]}
    for claim in rich["stories"][0]["claims"]:
        if claim["id"] in ("c6", "c7"):
            continue
        mark = rich_page.get_element_by_id(f"claim-{claim['id']}")
        assert mark.tag == "mark"
        own_text = "".join(mark.xpath(".//text()[not(ancestor::sup)]"))
        assert own_text == texts[claim["article"]][claim["start"] : claim["end"]].strip()
        article = mark.xpath("ancestor::article[1]")[0]
        assert article.get("id") == f"text-{claim['article']}"
    # two claims on one sentence: one mark inside the other, both reachable, and
    # their numbers after the sentence read in order
    assert rich_page.get_element_by_id("claim-c3").getparent().get("id") == "claim-c4"
    sentence = rich_page.get_element_by_id("claim-c4")
    numbers = sentence.xpath(".//sup/a/text()") + sentence.xpath(
        "following-sibling::sup[1]/a/text()"
    )
    assert numbers == ["3", "4"]
    # the whole text survives the marking, word for word
    body = rich_page.get_element_by_id("text-a2").xpath(".//div[@class='body']")[0]
    assert "".join(body.xpath(".//text()[not(ancestor::sup)]")) == A2_TEXT


def test_claim_with_bad_offsets_is_not_marked_but_still_linkable(rich_page: Any) -> None:
    target = rich_page.get_element_by_id("claim-c6")
    assert target.tag == "li"
    assert "not found at its place in the article text" in _words(target)
    assert not any(m.get("id") == "claim-c6" for m in rich_page.xpath("//mark"))
    gone = rich_page.get_element_by_id("claim-c7")
    assert gone.tag == "li" and "Gone but cited." in _words(gone)
    assert gone.xpath("string(preceding::h4[1])") == "Claims from articles not shown in this story"


def test_brief_cites_claims_that_resolve_to_marked_sentences(rich_page: Any) -> None:
    brief = rich_page.xpath("//p[@class='brief']")[0]
    assert "Seoul says more than 10,000 troops went" in _words(brief)
    hrefs = brief.xpath(".//sup[@class='cite']/a/@href")
    assert hrefs == ["#claim-c1", "#claim-c3"]
    assert [rich_page.get_element_by_id(h[1:]).tag for h in hrefs] == ["mark", "mark"]
    assert brief.xpath(".//sup[@class='cite']/a/text()") == ["1", "3"]


def test_every_internal_link_lands_and_ids_are_unique(rich_page: Any) -> None:
    ids = rich_page.xpath("//@id")
    assert len(ids) == len(set(ids))
    targets = {h[1:] for h in rich_page.xpath("//a/@href") if h.startswith("#")}
    assert targets <= set(ids), targets - set(ids)


def test_exclusives_and_omissions_under_the_right_outlet(rich_page: Any) -> None:
    cards = {
        card.xpath("string(h4)"): card
        for card in rich_page.xpath("//div[@class='sources']/section[@class='outlet']")
    }
    assert list(cards) == ["AFP", "Voice of America"]
    afp, voa = cards["AFP"], cards["Voice of America"]
    assert afp.xpath(".//ul[@class='exclusive']//a/@href") == ["#claim-c2"]
    assert "About 300 died" in _words(afp.xpath(".//ul[@class='exclusive']")[0])
    assert "National Intelligence Service" in afp.xpath("string(.//p[@class='exclusive-entities'])")
    assert afp.xpath(".//ul[@class='missing']") == []
    assert voa.xpath(".//ul[@class='exclusive']//a/@href") == ["#claim-c5"]
    assert voa.xpath(".//ul[@class='missing']//a/@href") == ["#facet-f2"]
    assert afp.xpath(".//ul[@class='outlet-articles']//a/@href") == ["#text-a1"]


def test_claim_note_shows_claimant_chain_hedge_and_quantity(rich_page: Any) -> None:
    note = rich_page.get_element_by_id("about-claim-c1")
    words = _words(note)
    assert "claimant National Intelligence Service" in words
    assert "via NIS → AFP" in words and "cue “said”" in words
    assert note.xpath("string(.//span[contains(@class,'badge-hedged')])") == "hedged: more than"
    assert "“More than 10,000” (≥ 10,000 troops, approximate)" in words
    assert note.xpath(".//a[@class='jump']/@href") == ["#claim-c1"]
    # the [n] after the marked sentence leads to this note
    assert rich_page.xpath("//mark[@id='claim-c1']/following-sibling::sup[1]/a/@href") == [
        "#about-claim-c1"
    ]
    assert rich_page.xpath("//mark[@id='claim-c2']/@class") == ["claim"]
    assert "in-conflict" in rich_page.xpath("//mark[@id='claim-c1']/@class")[0]


def test_article_text_is_escaped_not_markup(rich_page: Any) -> None:
    assert rich_page.xpath("//script") == []
    mark = rich_page.get_element_by_id("claim-c5")
    assert '<script>alert(1)</script> & "more" | here' in mark.text_content()
    assert "officials <b>" in _words(rich_page.get_element_by_id("about-claim-c5"))
    assert rich_page.xpath("//b") == []


def test_entities_listed_with_aliases(rich_page: Any) -> None:
    rows = rich_page.xpath("//table[@class='entities']/tbody/tr")
    assert [[_words(cell) for cell in row] for row in rows] == [
        ["National Intelligence Service", "ORG", "NIS; Seoul’s spy agency", "1"]
    ]


def test_changes_since_list_conflicts_revisions_confirmations(rich_page: Any) -> None:
    story = rich_page.get_element_by_id("story-s1")
    heading = [h for h in story.xpath(".//h3/text()") if h.startswith("What changed")]
    assert heading == ["What changed since 2025-02-27 00:00 UTC"]
    items = [_words(li) for li in story.xpath(".//ul[@class='changes']/li")]
    assert items[0].startswith("new conflict troops sent")
    assert items[1].startswith("revised National Intelligence Service: 12 → 17")
    assert items[2].startswith("new confirmation agreed thing")
    # f1 is already listed as the new conflict; only f3 remains a "new facet"
    assert items[3] == "new facet agreed thing agreed"
    assert items[4] == "2 new claims in Voice of America"


def test_markdown_carries_brief_facets_exclusives_and_changes(rich: dict[str, Any]) -> None:
    text = render_story_markdown(rich, 0)
    story = text.split("## North Korea sends troops")[1]
    assert (
        "- Seoul says more than 10,000 troops went; Kyiv says 12,000. "
        "[#1](#claim-c1) [#3](#claim-c3)" in story
    )
    for target in ("claim-c1", "claim-c3", "facet-f1", "facet-f2"):
        assert f'<a id="{target}"></a>' in story
    row = next(line for line in story.splitlines() if 'id="facet-f1"' in line)
    cells = re.split(r"(?<!\\)\|", row.strip())[1:-1]
    assert len(cells) == 4 and cells[1].strip() == "**conflict**"
    assert "**National Intelligence Service**: “More than 10,000” [#1](#claim-c1)" in cells[2]
    assert "repeated by Big News Network, Manila Metro" in cells[2]
    assert "revised: National Intelligence Service: 12 → 17" in cells[2]
    # a pipe in a facet label stays inside its cell
    f2 = next(line for line in story.splitlines() if 'id="facet-f2"' in line)
    assert len(re.split(r"(?<!\\)\|", f2.strip())[1:-1]) == 4
    sources = story.split("### Sources side by side")[1].split("###")[0]
    afp, voa = sources.split("- **Voice of America**")
    assert "Only here (1): [#2](#claim-c2)" in afp and "Names only here: National" in afp
    assert "Leaves out: [casualties \\| January](#facet-f2)" in voa
    changes = story.split("### What changed since 2025-02-27 00:00 UTC")[1].split("###")[0]
    assert "- **New conflict:** [troops sent](#facet-f1)" in changes
    assert "- **Revised:** National Intelligence Service: 12 → 17" in changes
    assert "<script>" not in text and "\\<script\\>" in text


def test_story_without_changes_has_no_changes_section(report: dict[str, Any]) -> None:
    for index in (0, 1):
        assert "What changed" not in render_story_markdown(report, index)
    assert "What changed" not in render_story_html(report, 0)


def test_rich_report_renders_the_same_bytes_twice() -> None:
    first = _rich_inputs()
    second = _rich_inputs()
    one = build_report(*first, [], GENERATED_AT)
    two = build_report(list(reversed(second[0])), second[1], [], GENERATED_AT)
    assert render_html(one) == render_html(two)
    assert render_story_html(one, 0) == render_story_html(two, 0)
    assert render_markdown(one) == render_markdown(two)
    assert render_story_markdown(one, 0) == render_story_markdown(two, 0)


def test_a_facet_shows_only_the_figures_it_compares() -> None:
    # a bug: a sentence giving a death toll and an injury count showed both figures in
    # each facet it sat in ("SNPC: 'Three', 'one', 'about 10,500'" under deaths)
    articles, stories = _rich_inputs()
    (story,) = stories
    injuries = next(f for f in story.facets if f.id == "f2")
    injuries.origins = [
        Origin(
            name="e-nis", claims=["c2"], first_claim="c2", first_outlet="AFP", first_published=None
        )
    ]
    injuries.figures = {"c2": [1]}
    page = lxml_html.fromstring(
        render_story_html(build_report(articles, stories, [], GENERATED_AT), 0)
    )
    (origin,) = page.get_element_by_id("facet-f2").xpath(".//ul[@class='origins']/li")
    assert "“2,700”" in _words(origin)
    assert "About 300" not in _words(origin)


def test_a_background_figure_is_labelled_in_its_claim_note() -> None:
    articles, stories = _rich_inputs()
    (story,) = stories
    c2 = next(c for c in story.claims if c.id == "c2")
    c2.quantities[0].background = True
    page = lxml_html.fromstring(
        render_story_html(build_report(articles, stories, [], GENERATED_AT), 0)
    )
    words = _words(page.get_element_by_id("about-claim-c2"))
    assert "“About 300” (300 killed, approximate, of an earlier event: not compared)" in words
    assert "“2,700” (2,700 injured)" in words


def test_a_revised_article_shows_what_changed_in_every_report(tmp_path: Path) -> None:
    diff = "--- before\n+++ after\n@@ -1 +1 @@\n-Seven <b>votes</b> to two.\n+Six votes to three."
    revised = Article(
        id="a-rev",
        input="https://desk.example/vote",
        text="Six votes to three.",
        outlet="Desk",
        revisions=[ArticleRevision("2026-12-01T10:00:00+00:00", diff)],
    )
    report = build_report([revised], [], [], datetime(2026, 12, 1, tzinfo=UTC))
    _contract()
    assert validate_report(report, CONTRACT) == []
    assert report["articles"][0]["revisions"] == [{"at": "2026-12-01T10:00:00+00:00", "diff": diff}]
    written = write_reports(report, tmp_path / "out")
    page = lxml_html.fromstring(written["html"].read_text(encoding="utf-8"))
    (shown,) = page.xpath("//pre[@class='diff']")
    assert "-Seven <b>votes</b> to two." in shown.text_content()  # as text, not markup
    assert page.xpath("//pre[@class='diff']//b") == []
    markdown = written["md"].read_text(encoding="utf-8")
    assert "+Six votes to three." in markdown and "<b>" not in markdown


def test_an_article_url_that_does_not_parse_is_shown_not_linked() -> None:
    # a bug: the report's link check let urlsplit's ValueError end the whole report
    odd = Article(
        id="a-odd", input="odd.txt", text="A harbour note.", outlet="Desk", url="http://[harbour"
    )
    report = build_report([odd], [], [], GENERATED_AT)
    page = lxml_html.fromstring(render_html(report))
    assert "http://[harbour" in page.text_content()
    assert "http://[harbour" not in page.xpath("//a/@href")


# a link is `](target)`; one whose `]` is escaped is article text shown as is
_MD_LINK = re.compile(r"(?<!\\)\]\(([^()\s]*)\)")
_MD_ANCHOR = re.compile(r'(?<!\\)<a id="([^"]+)"></a>')


def check_markdown_links(out_dir: Path) -> list[str]:
    """Every link in report.md and the story pages, as `file: target`, after asserting
    that each lands on a file of the report and, given a fragment, on an anchor in it."""
    root = out_dir.resolve()
    files = [root / "report.md", *sorted((root / "stories").glob("*.md"))]
    anchors: dict[Path, set[str]] = {}
    links: list[str] = []
    dangling: list[str] = []
    for path in files:
        for target in _MD_LINK.findall(path.read_text(encoding="utf-8")):
            links.append(f"{path.relative_to(root)}: {target}")
            name, _, fragment = target.partition("#")
            goal = (path.parent / name).resolve() if name else path
            if goal not in files:
                dangling.append(links[-1])
                continue
            if goal not in anchors:
                anchors[goal] = set(_MD_ANCHOR.findall(goal.read_text(encoding="utf-8")))
            if fragment and fragment not in anchors[goal]:
                dangling.append(links[-1])
    assert dangling == [], dangling
    return links


class _HrefsAndIds(HTMLParser):
    """A page's link targets and element ids, as a browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            elif name == "href" and value is not None:
                self.hrefs.append(value)


def _hrefs_and_ids(path: Path) -> _HrefsAndIds:
    parser = _HrefsAndIds()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_html_links(out_dir: Path) -> list[str]:
    """Every link in report.html and the story pages but those to the web, as `file:
    target`, after asserting that each lands on a file of the report and, given a
    fragment, on an element id in it; and that no page repeats an id."""
    root = out_dir.resolve()
    files = [root / "report.html", *sorted((root / "stories").glob("*.html"))]
    pages = {path: _hrefs_and_ids(path) for path in files}
    links: list[str] = []
    dangling: list[str] = []
    for path, page in pages.items():
        repeated = {i for i in page.ids if page.ids.count(i) > 1}
        assert not repeated, (path.relative_to(root), repeated)
        for target in page.hrefs:
            parts = urlsplit(target)
            if parts.scheme in ("http", "https"):
                continue  # an article's own URL: not the report's to check
            links.append(f"{path.relative_to(root)}: {target}")
            goal = (path.parent / parts.path).resolve() if parts.path else path
            # another scheme (javascript:, data:) or host, or a file not of the report
            elsewhere = bool(parts.scheme or parts.netloc or parts.query) or goal not in pages
            if elsewhere or (parts.fragment and parts.fragment not in pages[goal].ids):
                dangling.append(links[-1])
    assert dangling == [], dangling
    return links


# Articles whose links cross files: a copy in another story than its original, an
# article in two stories, copies to and from articles in no story, a claim and an
# outlet's article that live in another story, a claim of an article not in the report.
# A title carries Markdown link syntax, which must stay text.
CROSS_TITLE = "Evil](#nowhere) [x](../../etc/passwd) <script>"


def _cross_report() -> dict[str, Any]:
    def article(article_id: str, story: str | None, **extra: Any) -> Article:
        fields: dict[str, Any] = {
            "input": f"{article_id}.txt",
            "text": f"{article_id}: Forty boats sank, the port said.",
            "outlet": f"Outlet {article_id}",
            "title": f"About {article_id}",
            "published": "2025-02-27T10:00:00+00:00",
            "story": story,
        }
        return Article(id=article_id, **{**fields, **extra})

    articles = [
        article("a-orig", "s-one", title=CROSS_TITLE),
        article("a-both", "s-one"),
        article("a-late", "s-one", duplicate_of="a-solo", similarity=0.91),
        article("a-copy", "s-two", duplicate_of="a-orig", similarity=0.95),
        article("a-lone", None, duplicate_of="a-orig", similarity=0.93),
        article("a-solo", None),
    ]
    sentence = "Forty boats sank, the port said."
    claims = [
        _claim("c1", "a-orig", articles[0].text, sentence, outlet="Outlet a-orig"),
        _claim("c2", "a-copy", articles[3].text, sentence, outlet="Outlet a-copy"),
        Claim(id="c3", article="a-gone", text="Gone.", start=0, end=5),
    ]
    one = Story(
        id="s-one",
        headline="Boats sink",
        articles=["a-orig", "a-both", "a-late"],
        claims=claims,
        facets=[
            Facet(
                id="f1",
                label="boats sunk",
                claims=["c1", "c2"],
                status="agreed",
                independent_origins=1,
            )
        ],
        brief=[BriefSentence(text="Forty boats sank.", claims=["c1", "c2"])],
        outlets=[OutletView(outlet="Outlet a-copy", articles=["a-copy"], exclusive_claims=["c2"])],
        changes=StoryChanges(since="2025-02-27T00:00:00+00:00", new_claims=["c2"]),
    )
    two = Story(id="s-two", headline="Port closes", articles=["a-copy", "a-both"])
    return build_report(articles, [one, two], [], GENERATED_AT)


def test_every_markdown_link_lands_in_the_file_that_holds_its_target(tmp_path: Path) -> None:
    written = write_reports(_cross_report(), tmp_path / "out")
    links = check_markdown_links(tmp_path / "out")
    # the links that cross files point at the one holding the target, not at "#x" here
    for expected in (
        "report.md: stories/story-s-one.md",
        "report.md: stories/story-s-one.md#article-a-orig",  # a-lone copies a story's article
        "stories/story-s-two.md: story-s-one.md#article-a-orig",  # a copy in another story
        "stories/story-s-one.md: ../report.md#article-a-solo",  # a-late copies a-solo
        "stories/story-s-one.md: story-s-two.md#article-a-copy",  # claim c2, sources, changes
        "stories/story-s-one.md: #claim-c2",
        "stories/story-s-one.md: #article-a-both",
        "stories/story-s-two.md: #article-a-both",  # in both stories: detailed on both pages
        "stories/story-s-one.md: ../report.md",
    ):
        assert expected in links, expected
    one = (written["stories"] / "story-s-one.md").read_text(encoding="utf-8")
    assert "a-gone: “Gone.”" in one  # an article not in the report is named, not linked
    assert "Evil\\](#nowhere) \\[x\\](../../etc/passwd) \\<script\\>" in one
    assert "<script>" not in one
    two = (written["stories"] / "story-s-two.md").read_text(encoding="utf-8")
    assert two.count('<a id="article-a-both"></a>') == 1


def test_every_html_link_lands_in_the_file_that_holds_its_target(tmp_path: Path) -> None:
    written = write_reports(_cross_report(), tmp_path / "out")
    links = check_html_links(tmp_path / "out")
    for expected in (
        "report.html: stories/story-s-one.html",
        "report.html: stories/story-s-one.html#article-a-orig",  # a-lone copies a-orig
        "report.html: #article-a-solo",  # in no story: detailed beside the table
        "stories/story-s-two.html: story-s-one.html#article-a-orig",  # a copy in another story
        "stories/story-s-one.html: ../report.html#article-a-solo",  # a-late copies a-solo
        "stories/story-s-one.html: story-s-two.html#text-a-copy",  # sources and changes
        "stories/story-s-two.html: story-s-one.html",  # a-both's story, from s-two's page
        "stories/story-s-one.html: #story-s-one",
        "stories/story-s-one.html: #claim-c2",
        "stories/story-s-one.html: #text-a-both",
        "stories/story-s-two.html: #text-a-both",  # in both stories: its text on both pages
        "stories/story-s-two.html: #article-a-both",
        "stories/story-s-one.html: ../report.html",
    ):
        assert expected in links, expected
    one = lxml_html.fromstring((written["stories"] / "story-s-one.html").read_bytes())
    # the title's link syntax and markup stay text: one link, to the article's details
    titled = [a for a in one.xpath("//a") if a.text_content() == CROSS_TITLE]
    assert [a.get("href") for a in titled] == ["#article-a-orig"]
    assert one.xpath("//script") == []
    # a claim of an article not in the report: its note is the target of its links
    assert "Gone." in one.get_element_by_id("claim-c3").text_content()


def test_the_example_reports_links_all_land(
    written: dict[str, Path], rich: dict[str, Any], tmp_path: Path
) -> None:
    assert check_markdown_links(written["md"].parent)
    assert check_html_links(written["html"].parent)
    write_reports(rich, tmp_path / "rich")
    links = check_markdown_links(tmp_path / "rich")
    assert "stories/story-s1.md: #facet-f2" in links
    assert "stories/story-s1.html: #facet-f2" in check_html_links(tmp_path / "rich")


def test_story_sections_and_details_are_on_the_story_pages_only(rich: dict[str, Any]) -> None:
    table = render_markdown(rich)
    page = render_story_markdown(rich, 0)
    for claim in rich["stories"][0]["claims"]:
        text = " ".join(str(claim["text"]).split()[:3])  # words no escaping touches
        assert text not in table and text in page, text
    assert "claim-" not in table and "facet-" not in table and "article-a1" not in table
    assert '<a id="article-a1"></a>' in page and '<a id="article-a2"></a>' in page


def _stories_with_claims(count: int, claims: int) -> dict[str, Any]:
    articles, stories = [], []
    for n in range(count):
        text = " ".join(f"Sentence {k} of story {n} says {k} ships sank." for k in range(claims))
        articles.append(
            Article(id=f"a{n}", input=f"a{n}.txt", text=text, outlet="Desk", story=f"s{n}")
        )
        story_claims = [
            _claim(f"c{n}-{k}", f"a{n}", text, f"Sentence {k} of story {n} says {k} ships sank.")
            for k in range(claims)
        ]
        stories.append(
            Story(id=f"s{n}", headline=f"Ships {n}", articles=[f"a{n}"], claims=story_claims)
        )
    return build_report(articles, stories, [], GENERATED_AT)


def test_report_md_does_not_grow_with_the_stories_claims(tmp_path: Path) -> None:
    few = render_markdown(_stories_with_claims(1, 1))
    many = render_markdown(_stories_with_claims(1, 200))
    assert few == many  # a story's claims live on its page alone
    assert "ships sank" not in many
    # each further story adds its one row to the table, nothing else but the counts
    lines = {n: render_markdown(_stories_with_claims(n, 20)).splitlines() for n in (1, 20)}
    added = [line for line in lines[20] if line not in lines[1]]
    rows = [line for line in added if line.startswith("| [Ships ")]
    assert len(rows) == 19
    assert set(added) - set(rows) == {"| Stories | 20 |", "| Articles | 20 |", "| Inputs | 20 |"}
    written = write_reports(_stories_with_claims(20, 20), tmp_path / "out")
    assert len(list(written["stories"].glob("*.md"))) == 20
    assert all(
        "ships sank" in page.read_text(encoding="utf-8") for page in written["stories"].glob("*.md")
    )


def test_a_run_with_fewer_stories_leaves_no_page_of_the_last(
    report: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    write_reports(report, out)
    floods_only = build_report(
        [a for a in _articles() if a.story == "s-floods"],
        [s for s in _stories() if s.id == "s-floods"],
        [],
        GENERATED_AT,
    )
    written = write_reports(floods_only, out)
    assert sorted(p.name for p in written["stories"].iterdir()) == [
        "story-s-floods.html",
        "story-s-floods.md",
    ]
    assert "story-s-troops" not in written["md"].read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [
        "report.html",
        "report.json",
        "report.md",
        "stories",
    ]
    check_markdown_links(out)
    check_html_links(out)


def test_a_story_page_that_fails_leaves_the_last_report_whole(
    report: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_reports(report, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    from crosswire.report import write as write_module

    rendered = write_module.story_markdown_chunks

    def fails_on_the_second(view: Any, story: Any) -> Any:
        if story.anchor == "story-s-floods":
            raise RuntimeError("boom")
        return rendered(view, story)

    monkeypatch.setattr(write_module, "story_markdown_chunks", fails_on_the_second)
    changed = build_report(_articles(), _stories(), [], datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(RuntimeError, match="boom"):
        write_reports(changed, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no new report.md beside old pages, no half-written folder
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["report.html", "report.json", "report.md", "stories"]
    )
