"""HTML main-text extraction and its benchmark scorer."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from crosswire.clean.html import extract_html
from crosswire.eval.extraction import (
    evaluate_extraction,
    metrics_from_counts,
    shingle_matching,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
URL = "https://ledger.example.com/world/north-korea-troops"

PARAGRAPHS = [
    "North Korea has sent additional troops to Russia after suffering heavy losses in the"
    " Kursk region, South Korea's National Intelligence Service said on Thursday, citing"
    " intelligence gathered over the past month.",
    "The agency told lawmakers in Seoul that about 300 North Korean soldiers had been killed"
    " and 2,700 injured since the deployment began last fall, figures that could not be"
    " independently verified.",
    "Officials said the reinforcements arrived in January and February and were assigned to"
    " units that had been pulled back from the front line after weeks of intense fighting.",
    "Analysts in Seoul said the move showed how closely Pyongyang and Moscow now cooperate,"
    " and warned that the experience could make the North's army more capable in any future"
    " conflict on the Korean peninsula.",
]
CLUTTER = [
    "Politics",
    "Related stories",
    "Ten things to know about the Kursk offensive",
    "Markets slide as tariffs loom over Asian exporters",
    "Subscribe to our newsletter",
    "All rights reserved",
    "Privacy policy",
    "By Jane Smith",
]
TITLE = "North Korea sends more troops to Russia, Seoul says"


def page(
    head_extra: str = '<meta property="article:published_time" content="2025-02-27T10:30:00+09:00">',
) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{TITLE} | The Daily Ledger</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="author" content="Jane Smith">
{head_extra}
</head>
<body>
<header><nav class="main-nav"><ul>
  <li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
  <li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
</ul></nav></header>
<main>
<article>
  <h1>{TITLE}</h1>
  <p class="byline">By Jane Smith</p>
  {body}
</article>
<aside class="related">
  <h2>Related stories</h2>
  <ul>
    <li><a href="/a1">Ten things to know about the Kursk offensive</a></li>
    <li><a href="/a2">Markets slide as tariffs loom over Asian exporters</a></li>
    <li><a href="/a3">Opinion: why the peninsula is more dangerous than ever</a></li>
  </ul>
</aside>
</main>
<footer class="site-footer">
  <p>Subscribe to our newsletter for the best stories every morning.</p>
  <p>Copyright 2025 The Daily Ledger. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
</footer>
</body>
</html>
"""


# --- extraction ----------------------------------------------------------------------


def test_body_paragraphs_kept_one_per_line_and_clutter_removed() -> None:
    extract = extract_html(page(), url=URL)
    assert extract is not None
    assert extract.text.split("\n") == PARAGRAPHS
    for clutter in CLUTTER:
        assert clutter not in extract.text


def test_metadata_read_from_the_page() -> None:
    extract = extract_html(page(), url=URL)
    assert extract is not None
    assert extract.title == TITLE
    assert extract.sitename == "The Daily Ledger"
    assert extract.author == "Jane Smith"
    assert extract.date == "2025-02-27T10:30:00+09:00"
    assert extract.url == URL
    assert extract.language == "en"


def test_date_without_time_is_not_given_a_fake_midnight() -> None:
    dated_url = "https://ledger.example.com/2025/02/27/north-korea-troops.html"
    extract = extract_html(page(head_extra=""), url=dated_url)
    assert extract is not None
    assert extract.date == "2025-02-27"


def test_json_ld_timestamp_gives_the_offset() -> None:
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "datePublished": "2025-02-27T03:15:00-05:00",
        }
    )
    head = f'<script type="application/ld+json">{json_ld}</script>'
    dated_url = "https://ledger.example.com/2025/02/27/north-korea-troops.html"
    extract = extract_html(page(head_extra=head), url=dated_url)
    assert extract is not None
    assert extract.date == "2025-02-27T03:15:00-05:00"


@pytest.mark.parametrize(
    "html",
    ["", "<html><body></body></html>", "<html><body><nav><a href='/'>Home</a></nav></body></html>"],
)
def test_no_main_text_gives_none(html: str) -> None:
    assert extract_html(html) is None


# --- scorer --------------------------------------------------------------------------


def test_identical_texts_score_one() -> None:
    text = "The cat sat on the mat while the dog slept."
    assert shingle_matching(text, text) == (1.0, 0.0, 0.0)
    assert metrics_from_counts([shingle_matching(text, text)])["f1"] == 1.0


def test_case_and_punctuation_are_ignored() -> None:
    assert shingle_matching("The cat, sat down!", "the CAT sat down") == (1.0, 0.0, 0.0)


def test_disjoint_texts_score_zero() -> None:
    counts = shingle_matching("one two three four five", "six seven eight nine ten")
    assert counts == (0.0, 0.5, 0.5)
    assert metrics_from_counts([counts]) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


def test_partial_overlap_hand_computed() -> None:
    # gold shingles {abcd, bcde}, predicted {abcd, bcdx}: one shared, one extra, one missed
    counts = shingle_matching("a b c d e", "a b c d x")
    assert counts == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    metrics = metrics_from_counts([counts])
    assert metrics["precision"] == pytest.approx(0.5)
    assert metrics["recall"] == pytest.approx(0.5)
    assert metrics["f1"] == pytest.approx(0.5)


def test_shingles_are_counted_as_multisets() -> None:
    # gold holds "a b c d" twice (5 shingles, abcd twice); the prediction only once
    tp, fp, fn = shingle_matching("a b c d a b c d", "a b c d")
    assert (tp, fp, fn) == pytest.approx((0.2, 0.0, 0.8))


def test_texts_under_four_words_are_one_shingle() -> None:
    assert shingle_matching("hello world", "Hello, world.") == (1.0, 0.0, 0.0)
    assert shingle_matching("hello world", "hello there") == (0.0, 0.5, 0.5)


def test_empty_prediction_costs_recall_not_precision() -> None:
    perfect = shingle_matching("a b c d e f", "a b c d e f")
    empty = shingle_matching("a b c d e f", "")
    assert empty == (0.0, 0.0, 1.0)
    metrics = metrics_from_counts([perfect, empty])
    assert metrics["precision"] == 1.0
    assert metrics["recall"] == 0.5
    assert metrics["f1"] == pytest.approx(2 / 3)


def test_evaluate_on_a_tiny_set_counts_a_broken_page_as_empty(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "good.html.gz").write_bytes(gzip.compress(page().encode("utf-8")))
    (tmp_path / "html" / "broken.html.gz").write_bytes(b"this is not gzip")
    truth = {
        "good": {"articleBody": "\n".join(PARAGRAPHS), "url": URL},
        "broken": {"articleBody": "\n".join(PARAGRAPHS), "url": URL},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    lines: list[str] = []
    result = evaluate_extraction(tmp_path, echo=lines.append)
    assert result["pages"] == 2
    assert result["precision"] == 1.0  # the broken page has no prediction to be imprecise
    assert result["recall"] == pytest.approx(0.5)
    assert any("broken" in line and "empty prediction" in line for line in lines)


def test_benchmark_f1_at_least_0_96() -> None:
    path = DATA / "extraction"
    if not (path / "ground-truth.json").is_file():
        pytest.skip(f"article-extraction benchmark not found at {path}")
    result = evaluate_extraction(path, echo=lambda line: None)
    assert result["pages"] == 91
    assert result["f1"] >= 0.96
