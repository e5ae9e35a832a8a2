"""Score HTML main-text extraction against the article-extraction benchmark's gold.

The metric is the one of Scrapinghub/Zyte's article-extraction-benchmark (its
`evaluate.py`), so figures compare with the published table: lower-cased `\\w+`
tokens, word 4-gram shingles counted as multisets, per page TP/FP/FN normalised to
sum to 1 (long pages weigh no more than short ones), precision and recall each
averaged over the pages where they are defined, F1 from the two averages.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trafilatura.utils import decode_file

from crosswire.clean.html import extract_html

NGRAM_N = 4
_TOKEN_RE = re.compile(r"\w+")
_WORST_SHOWN = 5

TpFpFn = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's normalised counts, with what a person needs to find the page."""

    page_id: str
    url: str
    counts: TpFpFn
    seconds: float = 0.0  # time spent in extract_html alone
    error: str | None = None

    @property
    def f1(self) -> float:
        tp, fp, fn = self.counts
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn > 0 else 1.0


def shingles(text: str, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    """Word n-gram multiset of `text`; a text shorter than n words is one short shingle."""
    tokens = _TOKEN_RE.findall(text.lower())
    # max(1, ...) keeps texts of 1..n-1 tokens as a single shingle, as the benchmark does
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(gram for gram in grams if gram)


def shingle_matching(true: str, pred: str, n: int = NGRAM_N) -> TpFpFn:
    """TP/FP/FN over shingle multisets, normalised to sum to 1 (all zero when both are empty)."""
    true_counts = shingles(true, n)
    pred_counts = shingles(pred, n)
    tp = float(sum((true_counts & pred_counts).values()))
    fp = float(sum((pred_counts - true_counts).values()))
    fn = float(sum((true_counts - pred_counts).values()))
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics_from_counts(counts: list[TpFpFn]) -> dict[str, float]:
    """Macro precision and recall over pages, F1 of the two averages.

    As in the benchmark, a page with an empty prediction has no precision (it is left
    out of that average) but scores recall 0; a page with an empty gold has no recall.
    """
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    total = precision + recall
    f1 = 2 * precision * recall / total if total > 0 else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def load_ground_truth(path: Path) -> dict[str, dict[str, str]]:
    with (path / "ground-truth.json").open(encoding="utf-8") as f:
        data: dict[str, dict[str, str]] = json.load(f)
    return data


def read_page(path: Path, page_id: str) -> str:
    """The page's HTML as text; the benchmark's files are gzipped, in several encodings."""
    raw = gzip.decompress((path / "html" / f"{page_id}.html.gz").read_bytes())
    decoded: str = decode_file(raw)
    return decoded


def score_page(path: Path, page_id: str, gold: dict[str, str]) -> PageScore:
    """Extract one page and score it; an unreadable page scores as an empty prediction."""
    truth, url = gold.get("articleBody", ""), gold.get("url", "")
    try:
        html = read_page(path, page_id)
        started = time.perf_counter()
        extract = extract_html(html, url=url or None)
        seconds = time.perf_counter() - started
    except Exception as exc:  # one broken page must not stop the evaluation
        error = f"{type(exc).__name__}: {exc}"
        return PageScore(page_id, url, shingle_matching(truth, ""), error=error)
    if extract is None:
        return PageScore(page_id, url, shingle_matching(truth, ""), seconds, "no main text found")
    return PageScore(page_id, url, shingle_matching(truth, extract.text), seconds)


def _echo_report(
    scores: list[PageScore], result: dict[str, float], echo: Callable[[str], None]
) -> None:
    for score in scores:
        if score.error is not None:
            echo(f"empty prediction {score.page_id[:12]} {score.url}: {score.error}")
    echo(f"worst {min(_WORST_SHOWN, len(scores))} pages by F1:")
    for score in sorted(scores, key=lambda s: (s.f1, s.page_id))[:_WORST_SHOWN]:
        tp, fp, fn = score.counts
        counts = f"tp={tp:.2f} fp={fp:.2f} fn={fn:.2f}"
        echo(f"  F1 {score.f1:.3f}  {counts}  {score.page_id[:12]} {score.url}")
    echo(
        f"{int(result['pages'])} pages  F1={result['f1']:.4f}  precision={result['precision']:.4f}"
        f"  recall={result['recall']:.4f}  {result['pages_per_s']:.1f} pages/s"
    )


def evaluate_extraction(path: Path, echo: Callable[[str], None] = print) -> dict[str, float]:
    """Run `extract_html` over every page of the gold set at `path` and score it.

    `path` holds `html/<id>.html.gz` and `ground-truth.json` (`{id: {articleBody, url}}`).
    Returns f1, precision, recall, pages and pages_per_s (time in `extract_html` only,
    not reading or scoring).
    """
    ground_truth = load_ground_truth(path)
    scores = [score_page(path, page_id, ground_truth[page_id]) for page_id in sorted(ground_truth)]
    result = metrics_from_counts([s.counts for s in scores])
    seconds = sum(s.seconds for s in scores)
    result["pages"] = float(len(scores))
    result["pages_per_s"] = len(scores) / seconds if seconds > 0 else 0.0
    _echo_report(scores, result, echo)
    return result
