"""Learn the attribution cue model shipped as src/crosswire/claims/attribution_cues.json.

Reads PolNeAR's TRAIN split only. Every verb outside a gold content span is an example;
it is positive when it heads a gold cue (the cue token whose syntactic head lies outside
the cue, verbs first). A logistic regression over `cue_features` is fitted on 80% of the
train documents, the probability threshold is picked on the other 20% (best head-level
F1), and the model is refitted on all of train with that threshold. Only features seen
in at least three train documents' examples are kept, and near-zero weights are dropped.

    .venv/bin/python scripts/learn_attribution_cues.py [--docbin CACHE.spacy]

`--docbin` caches the parse of train (about two minutes) between runs.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc, DocBin, Token

from crosswire.claims.attribution import (
    _CUES_PATH,
    _MAX_CUE_WALK,
    _quoted_tokens,
    cue_features,
    extension_keys,
    walk_blocked,
)
from crosswire.claims.nlp import load_nlp
from crosswire.eval.attribution import GoldDocument, _gold_quotes, _TokenIndex, load_polnear

TRAIN = Path(__file__).resolve().parents[2] / "shared/data/claims_raw/polnear/data/train"
SEED = 13
C = 0.3
MIN_COUNT = 3
MIN_WEIGHT = 0.05
THRESHOLDS = [round(0.25 + 0.05 * i, 2) for i in range(10)]


def cue_head(doc: Doc, start: int, end: int) -> Token:
    tokens = list(doc[start:end])
    roots = [t for t in tokens if not start <= t.head.i < end or t.head.i == t.i]
    verbs = [t for t in roots if t.pos_ in {"VERB", "AUX"}]
    return (verbs or roots or tokens)[0]


def examples(doc: Doc, gold: GoldDocument) -> tuple[list[list[str]], list[int]]:
    quotes = _gold_quotes(_TokenIndex(doc), gold.attributions)
    heads = {cue_head(doc, *q.cue).i for q in quotes}
    in_content = {i for q in quotes for start, end in q.contents for i in range(start, end)}
    quoted = _quoted_tokens(doc)
    features, labels = [], []
    for token in doc:
        if token.pos_ != "VERB" or (token.i in in_content and token.i not in heads):
            continue
        features.append(cue_features(token, token.i in quoted))
        labels.append(int(token.i in heads))
    return features, labels


def count_extensions(doc: Doc, gold: GoldDocument, counts: dict[str, list[int]]) -> None:
    """For each gold verb cue, walk out from its head as the runtime does, counting at every
    step whether the gold cue takes the next token ([stops, takes])."""
    for quote in _gold_quotes(_TokenIndex(doc), gold.attributions):
        head = cue_head(doc, *quote.cue)
        if head.pos_ != "VERB":
            continue
        sent = head.sent
        for side, step in (("L", -1), ("R", 1)):
            state: tuple[str, ...] = ()
            index = head.i + step
            while len(state) < _MAX_CUE_WALK and sent.start <= index < sent.end:
                nxt = doc[index]
                if walk_blocked(head, nxt):
                    break
                takes = quote.cue[0] <= index < quote.cue[1]
                for key in extension_keys(head, side, state, nxt):
                    counts.setdefault(key, [0, 0])[int(takes)] += 1
                if not takes:
                    break
                state += (nxt.dep_,)
                index += step


def fit(
    features: list[list[str]], labels: list[int]
) -> tuple[DictVectorizer, LogisticRegression, set[str]]:
    counts = Counter(f for row in features for f in set(row))
    kept = {f for f, n in counts.items() if n >= MIN_COUNT}
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([{f: 1 for f in row if f in kept} for row in features])
    model = LogisticRegression(C=C, max_iter=3000, fit_intercept=False)
    model.fit(matrix, labels)
    return vectorizer, model, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docbin", type=Path, help="cache of the parsed train split")
    args = parser.parse_args()
    gold_docs = load_polnear(TRAIN)
    nlp = load_nlp()
    if args.docbin is not None and args.docbin.exists():
        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((g.text for g in gold_docs), batch_size=16))
        if args.docbin is not None:
            DocBin(docs=docs).to_disk(args.docbin)
    per_doc = [examples(doc, gold) for doc, gold in zip(docs, gold_docs, strict=True)]
    order = list(range(len(per_doc)))
    random.Random(SEED).shuffle(order)
    cut = int(0.8 * len(order))

    def rows(ids: list[int]) -> tuple[list[list[str]], list[int]]:
        return [f for i in ids for f in per_doc[i][0]], [y for i in ids for y in per_doc[i][1]]

    train_x, train_y = rows(order[:cut])
    held_x, held_y = rows(order[cut:])
    vectorizer, model, kept = fit(train_x, train_y)
    held = vectorizer.transform([{f: 1 for f in row if f in kept} for row in held_x])
    probability = model.predict_proba(held)[:, 1]
    gold = np.array(held_y) == 1
    best = (0.0, 0.5)
    for threshold in THRESHOLDS:
        predicted = probability >= threshold
        tp = int((predicted & gold).sum())
        precision, recall = tp / max(1, int(predicted.sum())), tp / max(1, int(gold.sum()))
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        print(f"threshold {threshold:.2f}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
        best = max(best, (f1, threshold))
    print(f"held-out head F1 {best[0]:.3f} at threshold {best[1]}")
    all_x, all_y = rows(order)
    vectorizer, model, _ = fit(all_x, all_y)
    weights = {
        name: round(float(w), 3)
        for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w) >= MIN_WEIGHT
    }
    counts: dict[str, list[int]] = {}
    for doc, gold_doc in zip(docs, gold_docs, strict=True):
        count_extensions(doc, gold_doc, counts)
    extend = {k: int(takes > stops) for k, (stops, takes) in counts.items() if stops + takes >= 3}
    table = {
        "about": "PolNeAR-train cue model; see scripts/learn_attribution_cues.py",
        "threshold": best[1],
        "weights": dict(sorted(weights.items())),
        "extend": dict(sorted(extend.items())),
    }
    _CUES_PATH.write_text(json.dumps(table, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(weights)} weights, {len(extend)} extensions written to {_CUES_PATH}")


if __name__ == "__main__":
    main()
