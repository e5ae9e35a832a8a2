"""Score facets (stage 6) against a gold key of comparable claims.

Gold JSON: `{"facets": [{"label", "status", "claims": [{"article", "quote"}]}]}` where
`article` is an input path (relative to the corpus, JSONL records as `file#id`) or an
article id, and `quote` a substring of the claim sentence. Each gold reference is
matched to the first claim (story order) of that article whose text contains the quote
(whitespace- and case-insensitive); an unmatched reference stays an item of its own.

Metrics: pairwise precision / recall / F1 over pairs of gold references (a pair is
gold-positive when both sit in one gold facet, predicted-positive when their claims
share a predicted facet), and status accuracy over gold facets: the status of the
predicted facet holding most of the gold facet's matched claims (ties: the earlier
facet) against the gold status; a gold facet with no matched claim counts as wrong.
Conflict precision: facets shown as conflicting whose gold facet (by most of their
matched claims) is conflicting, a facet holding no gold claim counting as false;
conflict recall: gold conflicting facets whose predicted facet is conflicting.
A folder of gold figure mentions is scored by `crosswire.eval.figures` instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosswire.model import Article, Claim, Facet, Story

_WORST_SHOWN = 5


@dataclass(slots=True)
class GoldClaim:
    article: str
    quote: str


@dataclass(slots=True)
class GoldFacet:
    label: str
    status: str
    claims: list[GoldClaim] = field(default_factory=list)


def load_gold_facets(path: Path) -> list[GoldFacet]:
    """Gold facets from a JSON file in the format above."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        GoldFacet(
            label=str(item.get("label", "")),
            status=str(item.get("status", "")),
            claims=[GoldClaim(str(c["article"]), str(c["quote"])) for c in item.get("claims", [])],
        )
        for item in data.get("facets", [])
    ]


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _matches_article(ref: str, claim: Claim, inputs: Mapping[str, str]) -> bool:
    if claim.article == ref:
        return True
    source = inputs.get(claim.article)
    return source is not None and (source == ref or source.endswith("/" + ref))


def match_claims(
    claims: Sequence[Claim], gold: Sequence[GoldFacet], inputs: Mapping[str, str] | None = None
) -> list[list[str | None]]:
    """For each gold facet, the claim id each of its references matches (None if none)."""
    inputs = inputs or {}
    out: list[list[str | None]] = []
    for facet in gold:
        row: list[str | None] = []
        for ref in facet.claims:
            quote = _norm(ref.quote)
            found = next(
                (
                    c.id
                    for c in claims
                    if _matches_article(ref.article, c, inputs) and quote in _norm(c.text)
                ),
                None,
            )
            row.append(found)
        out.append(row)
    return out


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_facets(
    predicted: Sequence[Facet],
    claims: Sequence[Claim],
    gold: Sequence[GoldFacet],
    inputs: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Pairwise F1 of the grouping and status accuracy; `inputs` maps article id -> input."""
    matched = match_claims(claims, gold, inputs)
    facets_of: dict[str, set[int]] = {}
    for n, facet in enumerate(predicted):
        for claim_id in facet.claims:
            facets_of.setdefault(claim_id, set()).add(n)
    # pairs of distinct claims: a sentence carrying figures of two facets is listed in
    # both, so "same facet" means "share at least one facet", on both sides
    gold_of: dict[str, set[int]] = {}
    for g, row in enumerate(matched):
        for k, cid in enumerate(row):
            gold_of.setdefault(cid if cid is not None else f"unmatched:{g}:{k}", set()).add(g)
    items = sorted(gold_of)
    tp = fp = fn = 0
    for i, claim_a in enumerate(items):
        for claim_b in items[i + 1 :]:
            same_gold = bool(gold_of[claim_a] & gold_of[claim_b])
            same_pred = bool(facets_of.get(claim_a, set()) & facets_of.get(claim_b, set()))
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    precision, recall, f1 = _f1(tp, fp, fn)

    correct = 0
    errors: list[dict[str, Any]] = []
    statuses: list[str | None] = []
    for gold_facet, row in zip(gold, matched, strict=True):
        votes: Counter[int] = Counter(n for cid in row if cid for n in facets_of.get(cid, ()))
        status = None
        if votes:
            best = min(votes, key=lambda n: (-votes[n], n))
            status = predicted[best].status
        statuses.append(status)
        if status == gold_facet.status:
            correct += 1
        else:
            errors.append(
                {"label": gold_facet.label, "gold": gold_facet.status, "predicted": status}
            )
    # conflicts: every facet shown as conflicting against the gold facet most of its
    # matched claims belong to (none: a false conflict), and every gold conflict
    gold_votes: dict[int, Counter[int]] = {}
    for g, row in enumerate(matched):
        for cid in row:
            for n in facets_of.get(cid, ()) if cid else ():
                gold_votes.setdefault(n, Counter())[g] += 1
    shown = [n for n, f in enumerate(predicted) if f.status == "conflicting"]
    true_shown = 0
    for n in shown:
        tally = gold_votes.get(n)
        if tally and gold[min(tally, key=lambda g: (-tally[g], g))].status == "conflicting":
            true_shown += 1
    gold_conflicts = [g for g, f in enumerate(gold) if f.status == "conflicting"]
    found = sum(1 for g in gold_conflicts if statuses[g] == "conflicting")
    references = sum(len(row) for row in matched)
    return {
        "conflict_precision": round(true_shown / len(shown), 4) if shown else 1.0,
        "conflict_recall": round(found / len(gold_conflicts), 4) if gold_conflicts else 1.0,
        "pairwise_f1": round(f1, 4),
        "pairwise_precision": round(precision, 4),
        "pairwise_recall": round(recall, 4),
        "status_accuracy": round(correct / len(gold), 4) if gold else 1.0,
        "gold_facets": len(gold),
        "gold_claims": references,
        "matched_claims": sum(1 for row in matched for cid in row if cid),
        "status_errors": errors,
    }


def score_stories(
    stories: Sequence[Story], articles: Sequence[Article], gold: Sequence[GoldFacet]
) -> dict[str, Any]:
    """`score_facets` over all stories at once, gold references given as input paths."""
    inputs = {a.id: a.input.replace("\\", "/") for a in articles}
    facets = [f for s in stories for f in s.facets]
    claims = [c for s in stories for c in s.claims]
    return score_facets(facets, claims, gold, inputs)


def evaluate_facets(path: Path, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Analyze the corpus beside a gold file and score its facets.

    `path` is the gold JSON; the corpus is the folder its optional `"corpus"` key names
    (relative to the file), else `corpus/` beside it.
    """
    from crosswire.pipeline import analyze

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    corpus = Path(path).parent / str(data.get("corpus", "corpus"))
    gold = load_gold_facets(path)
    run = analyze([corpus])
    result = score_stories(run.stories, run.articles, gold)
    for error in result["status_errors"][:_WORST_SHOWN]:
        echo(f"  status {error['predicted']} != gold {error['gold']}: {error['label']}")
    echo(
        f"{result['gold_facets']} gold facets, {result['matched_claims']}/{result['gold_claims']}"
        f" claims matched  pairwise F1={result['pairwise_f1']:.4f}"
        f"  status accuracy={result['status_accuracy']:.4f}"
    )
    return result
