"""Score the temporal tagger (`crosswire.claims.timex.find_times`) on TimeML gold.

Reads every `*.tml` file under `path` (e.g. TempEval-3 Training: TBAQ-cleaned/TimeBank and
AQUAINT). The text is the character content of <TEXT> with its tags removed; gold spans are
the TIMEX3 elements inside it, the reference time is the DCT TIMEX3 (CREATION_TIME).

Metrics follow the TempEval-3 scorer: strict span P/R/F1 (exact offsets), relaxed span P/R/F1
(any overlap, one-to-one greedy matching by overlap size), value accuracy and type accuracy
over relaxed matches, and value F1 (a relaxed match with the same value counts as a TP for
both precision and recall).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from crosswire.claims.timex import TimeSpan, find_times

_WORST_SHOWN = 10


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None


@dataclass(slots=True)
class Document:
    name: str
    corpus: str
    text: str
    dct: datetime | None
    gold: list[GoldTimex] = field(default_factory=list)


def parse_dct(value: str | None) -> datetime | None:
    """The DCT value as a naive datetime ("1998-01-08", "19980108", "1998-01-08T12:00")."""
    if not value:
        return None
    v = value.strip()
    if len(v) == 8 and v.isdigit():
        v = f"{v[:4]}-{v[4:6]}-{v[6:]}"
    try:
        return datetime.fromisoformat(v)
    except ValueError:
        try:
            return datetime.fromisoformat(v[:10])
        except ValueError:
            return None


def read_tml(path: Path, corpus: str = "") -> Document:
    """Plain text of <TEXT> with its TIMEX3 spans, and the document creation time."""
    root = ET.parse(path).getroot()
    dct_el = root.find(".//DCT/TIMEX3")
    if dct_el is None:
        dct_el = next(
            (t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"),
            None,
        )
    dct = parse_dct(dct_el.get("value")) if dct_el is not None else None
    text_el = root.find(".//TEXT")
    doc = Document(path.name, corpus, "", dct)
    if text_el is None:
        return doc
    parts: list[str] = []
    length = 0

    def walk(el: ET.Element) -> None:
        nonlocal length
        start = length
        if el.text:
            parts.append(el.text)
            length += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            surface = "".join(el.itertext())
            doc.gold.append(GoldTimex(start, length, surface, el.get("type", ""), el.get("value")))

    walk(text_el)
    doc.text = "".join(parts)
    return doc


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match_relaxed(gold: list[GoldTimex], pred: list[TimeSpan]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs of overlapping spans, largest overlap first."""
    pairs = [
        (_overlap((g.start, g.end), (p.start, p.end)), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if _overlap((g.start, g.end), (p.start, p.end)) > 0
    ]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate_time(
    path: Path, echo: Callable[[str], None] = print
) -> dict[str, float | int | dict[str, int]]:
    """Run `find_times` over every TimeML file under `path` and score it against TIMEX3 gold."""
    files = sorted(path.rglob("*.tml"))
    n_gold = n_pred = strict_tp = relaxed_tp = value_ok = type_ok = 0
    per_corpus: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    false_alarms: Counter[str] = Counter()
    wrong_values: Counter[str] = Counter()
    seconds = 0.0
    for file in files:
        corpus = file.parent.name
        doc = read_tml(file, corpus)
        started = time.perf_counter()
        pred = find_times(doc.text, doc.dct)
        seconds += time.perf_counter() - started
        per_corpus[corpus] += 1
        n_gold += len(doc.gold)
        n_pred += len(pred)
        gold_spans = {(g.start, g.end) for g in doc.gold}
        strict_tp += sum((p.start, p.end) in gold_spans for p in pred)
        pairs = match_relaxed(doc.gold, pred)
        relaxed_tp += len(pairs)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g, p = doc.gold[gi], pred[pi]
            if g.value == p.value:
                value_ok += 1
            else:
                wrong_values[f"{g.text!r} gold={g.value} ours={p.value}"] += 1
            type_ok += g.type == p.type
        for gi, g in enumerate(doc.gold):
            if gi not in matched_g:
                misses[g.text.lower()] += 1
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                false_alarms[p.text.lower()] += 1
    sp, sr, sf = _prf(strict_tp, n_pred, n_gold)
    rp, rr, rf = _prf(relaxed_tp, n_pred, n_gold)
    _, _, vf = _prf(value_ok, n_pred, n_gold)
    result: dict[str, float | int | dict[str, int]] = {
        "strict_precision": round(sp, 4),
        "strict_recall": round(sr, 4),
        "strict_f1": round(sf, 4),
        "relaxed_precision": round(rp, 4),
        "relaxed_recall": round(rr, 4),
        "relaxed_f1": round(rf, 4),
        "value_accuracy": round(value_ok / relaxed_tp, 4) if relaxed_tp else 0.0,
        "value_f1": round(vf, 4),
        "type_accuracy": round(type_ok / relaxed_tp, 4) if relaxed_tp else 0.0,
        "files": len(files),
        "gold": n_gold,
        "predicted": n_pred,
        "per_corpus_files": dict(per_corpus),
        "seconds": round(seconds, 4),
    }
    for corpus, count in sorted(per_corpus.items()):
        echo(f"{corpus}: {count} files")
    for title, counter in (
        ("missed gold", misses),
        ("false alarms", false_alarms),
        ("wrong values", wrong_values),
    ):
        echo(f"top {_WORST_SHOWN} {title}:")
        for text, count in counter.most_common(_WORST_SHOWN):
            echo(f"  {count:3d}  {text}")
    echo(
        f"{len(files)} files  gold={n_gold} predicted={n_pred}  strict F1={sf:.4f}"
        f"  relaxed F1={rf:.4f} (P={rp:.4f} R={rr:.4f})  value F1={vf:.4f}"
        f"  type acc={result['type_accuracy']}  {seconds:.2f}s in find_times"
    )
    return result
