"""Learn the attribution cue model shipped as src/crosswire/claims/attribution_cues.json.

Reads PolNeAR's TRAIN split only. Two logistic regressions over sparse features:

- cue heads: every verb or clause-heading copula outside a gold content span is an
  example, positive when it heads a gold cue (the cue token whose syntactic head lies
  outside the cue, verbs first); features are `cue_features`;
- cue growth: walking out from each gold cue's head as the runtime does, one example per
  step, positive when the gold cue takes the next token; features `extension_features`.

Both are fitted on a shuffled 80% of the train documents. On the other 20% the
growth threshold is the one that reproduces most gold cue spans from their heads, and
the head thresholds (verbs, then copulas) the ones that give the best mean of cue and
source exact F1 of the whole extractor, the evaluation's own metric. Then both models
are refitted on all of train. Features seen in fewer than three examples and weights
below 0.1 are dropped, which keeps the table under 1 MB.

    .venv/bin/python scripts/learn_attribution_cues.py [--docbin CACHE.spacy]

`--docbin` caches the parse of train (about two minutes) between runs.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin, Token

from crosswire.claims.attribution import (
    CUES_PATH,
    MAX_CUE_WALK,
    cue_features,
    extension_features,
    grow_cue,
    is_candidate,
    quoted_tokens,
    use_cue_table,
    walk_blocked,
)
from crosswire.claims.nlp import load_nlp
from crosswire.eval.attribution import (
    GoldDocument,
    _gold_quotes,
    _TokenIndex,
    load_polnear,
    score_document,
    sum_tallies,
)

TRAIN = Path(__file__).resolve().parents[2] / "shared/data/claims_raw/polnear/data/train"
SEED = 13
C = 0.3
MIN_COUNT = 3
MIN_WEIGHT = 0.1
EXTEND_C = 1.0
EXTEND_THRESHOLDS = [0.0, 0.5, 1.0]
THRESHOLDS = [round(0.3 + 0.05 * i, 2) for i in range(7)]
HEAD_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.95]


def cue_head(doc: Doc, start: int, end: int) -> Token:
    tokens = list(doc[start:end])
    roots = [t for t in tokens if not start <= t.head.i < end or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in {"VERB", "AUX"}]
    return (verbs or roots or tokens)[0]


Example = tuple[list[list[str]], list[int]]


def examples(doc: Doc, gold: GoldDocument) -> Example:
    """Sparse features and the label of every candidate head outside gold contents."""
    quotes = _gold_quotes(_TokenIndex(doc), gold.attributions)
    heads = {cue_head(doc, *q.cue).i for q in quotes}
    in_content = {i for q in quotes for start, end in q.contents for i in range(start, end)}
    quoted = quoted_tokens(doc)
    features, labels = [], []
    for token in doc:
        if not is_candidate(token) or (token.i in in_content and token.i not in heads):
            continue
        features.append(cue_features(token, token.i in quoted))
        labels.append(int(token.i in heads))
    return features, labels


def walk_examples(doc: Doc, gold: GoldDocument, out: list[tuple[list[str], int]]) -> None:
    """For each gold cue, walk out from its head as the runtime does, recording at every
    step whether the gold cue takes the next token."""
    for quote in _gold_quotes(_TokenIndex(doc), gold.attributions):
        head = cue_head(doc, *quote.cue)
        if not is_candidate(head):
            continue
        sent = head.sent
        for side, step in (("L", -1), ("R", 1)):
            state: tuple[str, ...] = ()
            index = head.i + step
            while len(state) < MAX_CUE_WALK and sent.start <= index < sent.end:
                nxt = doc[index]
                if walk_blocked(head, nxt):
                    break
                takes = quote.cue[0] <= index < quote.cue[1]
                out.append((extension_features(head, side, state, nxt), int(takes)))
                if not takes:
                    break
                state += (nxt.dep_,)
                index += step


def exact_cues(
    docs: list[Doc],
    gold_docs: list[GoldDocument],
    ids: list[int],
    weights: dict[str, float],
    threshold: float,
) -> float:
    """Share of the gold cues of `ids` that the grown span from their head matches."""
    hits = total = 0
    for i in ids:
        for quote in _gold_quotes(_TokenIndex(docs[i]), gold_docs[i].attributions):
            head = cue_head(docs[i], *quote.cue)
            if is_candidate(head):
                total += 1
                hits += grow_cue(head, head.sent, weights, threshold) == quote.cue
    return hits / max(1, total)


def steps(
    docs: list[Doc], gold_docs: list[GoldDocument], part: list[int]
) -> tuple[list[list[str]], list[int]]:
    out: list[tuple[list[str], int]] = []
    for i in part:
        walk_examples(docs[i], gold_docs[i], out)
    return [f for f, _ in out], [y for _, y in out]


def learn_extension(
    docs: list[Doc], gold_docs: list[GoldDocument], order: list[int], cut: int
) -> tuple[dict[str, float], float]:
    """The cue-growing model; its threshold is the one that best matches held-out cues."""
    weights = Model(*steps(docs, gold_docs, order[:cut]), c=EXTEND_C).weights()
    best = (0.0, 0.0)
    for threshold in EXTEND_THRESHOLDS:
        share = exact_cues(docs, gold_docs, order[cut:], weights, threshold)
        print(f"extension threshold {threshold}: {share:.3f} of held-out cue spans exact")
        best = max(best, (share, threshold))
    return weights, best[1]


class Model:
    """Logistic regression over sparse binary features seen at least MIN_COUNT times."""

    def __init__(self, features: list[list[str]], labels: list[int], c: float = C) -> None:
        counts = Counter(f for row in features for f in set(row))
        self.kept = {f for f, n in counts.items() if n >= MIN_COUNT}
        self.vectorizer = DictVectorizer()
        matrix = self.vectorizer.fit_transform(self._dicts(features))
        self.model = LogisticRegression(C=c, max_iter=5000, fit_intercept=False)
        self.model.fit(matrix, labels)

    def _dicts(self, features: list[list[str]]) -> list[dict[str, int]]:
        return [{f: 1 for f in row if f in self.kept} for row in features]

    def weights(self, min_weight: float = MIN_WEIGHT) -> dict[str, float]:
        names = self.vectorizer.get_feature_names_out()
        return {
            name: round(float(w), 3)
            for name, w in zip(names, self.model.coef_[0], strict=True)
            if abs(w) >= min_weight
        }


def learn(docs: list[Doc], gold_docs: list[GoldDocument], ids: list[int]) -> dict[str, Any]:
    """The cue table learned from the documents `ids`: the thresholds are chosen on a
    held-out fifth of them, then the model is refitted on all of them."""
    per_doc = {i: examples(docs[i], gold_docs[i]) for i in ids}
    order = list(ids)
    random.Random(SEED).shuffle(order)
    cut = int(0.8 * len(order))

    def rows(part: list[int]) -> Example:
        return [f for i in part for f in per_doc[i][0]], [y for i in part for y in per_doc[i][1]]

    extend, extend_threshold = learn_extension(docs, gold_docs, order, cut)
    table: dict[str, Any] = {
        "about": "PolNeAR-train cue model; see scripts/learn_attribution_cues.py",
        "threshold": 0.5,
        "head_threshold": 0.95,
        "weights": Model(*rows(order[:cut])).weights(),
        "extend_threshold": extend_threshold,
        "extend": extend,
    }
    # thresholds chosen on what the evaluation scores: exact cue and source F1 of the whole
    # extractor on the held-out documents, verbs first, then the other heads
    for name, grid in (("threshold", THRESHOLDS), ("head_threshold", HEAD_THRESHOLDS)):
        best = (0.0, 0.5)
        for threshold in grid:
            table[name] = threshold
            use_cue_table(table)
            f1 = end_to_end(docs, gold_docs, order[cut:])
            print(f"{name} {threshold:.2f}: mean exact F1 of cue and source {f1:.4f}")
            best = max(best, (f1, threshold))
        table[name] = best[1]
    use_cue_table(None)
    table["weights"] = dict(sorted(Model(*rows(order)).weights().items()))
    table["extend"] = dict(
        sorted(Model(*steps(docs, gold_docs, order), c=EXTEND_C).weights().items())
    )
    return table


def end_to_end(docs: list[Doc], gold_docs: list[GoldDocument], ids: list[int]) -> float:
    """Mean of cue and source exact F1 (the evaluation's metric) over the documents `ids`."""
    totals = sum_tallies(score_document(docs[i], gold_docs[i]).tallies for i in ids)
    f1 = []
    for role in ("cue", "source"):
        t = totals[role]
        f1.append(2 * t.tp / max(1, 2 * t.tp + t.fp + t.fn))
    return sum(f1) / 2


def parse_train(docbin: Path | None) -> tuple[list[Doc], list[GoldDocument]]:
    gold_docs = load_polnear(TRAIN)
    nlp = load_nlp()
    if docbin is not None and docbin.exists():
        docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((g.text for g in gold_docs), batch_size=16))
        if docbin is not None:
            DocBin(docs=docs).to_disk(docbin)
    return docs, gold_docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docbin", type=Path, help="cache of the parsed train split")
    args = parser.parse_args()
    docs, gold_docs = parse_train(args.docbin)
    table = learn(docs, gold_docs, list(range(len(docs))))
    CUES_PATH.write_text(json.dumps(table, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(table['weights'])} weights, {len(table['extend'])} extensions")


if __name__ == "__main__":
    main()
