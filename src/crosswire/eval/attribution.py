"""Score attribution extraction (source, cue, content) against PolNeAR's brat annotations.

The metric is BBC Citron's (`citron/metrics.py`), so figures compare with its published
PARC3 table. Spans are compared as spaCy token ranges of our own parse (a gold character
span becomes the tokens it touches). Exact: a predicted cue is a true positive when some
gold cue has the same token range; a predicted source (content) is a true positive when
some gold attribution has an overlapping cue and the same list of source (content) spans;
a missing source is the empty list, so "no source" on both sides matches. Overlap: tokens
shared by each predicted and each gold span, summed over all pairs, over the summed
predicted (precision) or gold (recall) lengths.

PolNeAR layout: `text/<name>.txt` and `attributions/<name>_<annotator>.ann`; the few
texts annotated by several people are scored once, against the first annotator's file
by name. Those texts also give the ceiling of the metric: every annotator is scored
against every other with the same function (human agreement), and the system against
every annotator of the same texts, so the two figures compare directly.

Gold events (`E` lines) name Cue, Source and Content text-bound annotations;
a discontinuous span ("a b;c d") is kept as its pieces for sources and contents (Citron
keeps span lists) and as its covering span for the cue (Citron's cue is one span).
"""

from __future__ import annotations

import bisect
import itertools
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from crosswire.claims.attribution import Attribution, find_attributions
from crosswire.claims.nlp import load_nlp

_ANNOTATOR_SUFFIX_RE = re.compile(r"_[0-9a-f]{4}$")
_WORST_SHOWN = 5
_BATCH_SIZE = 16
_ROLES = ("cue", "source", "content", "all")

CharSpan = tuple[int, int]
TokSpan = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution; sources and contents as lists of character pieces."""

    cue: CharSpan
    sources: tuple[CharSpan, ...]
    contents: tuple[CharSpan, ...]


@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    # the other annotators' files of the same text, where there are several
    others: tuple[tuple[GoldAttribution, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """An attribution as token ranges, the unit Citron's metric compares."""

    cue: TokSpan
    sources: tuple[TokSpan, ...]
    contents: tuple[TokSpan, ...]


@dataclass(slots=True)
class Tally:
    """Running exact counts and overlap sums for one role (cue, source or content)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    overlap: int = 0
    predicted_tokens: int = 0
    gold_tokens: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.overlap += other.overlap
        self.predicted_tokens += other.predicted_tokens
        self.gold_tokens += other.gold_tokens


@dataclass(slots=True)
class DocScore:
    name: str
    gold: int
    predicted: int
    tallies: dict[str, Tally] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    # on a text with several annotators: each against each other, and the system
    # against each of them
    human: dict[str, Tally] | None = None
    system: dict[str, Tally] | None = None


def sum_tallies(tallies: Iterable[dict[str, Tally]]) -> dict[str, Tally]:
    """Per-role tallies added up (documents, annotator pairs)."""
    total = {role: Tally() for role in _ROLES}
    for tally in tallies:
        for role, t in tally.items():
            total[role].add(t)
    return total


def _parse_spans(field_text: str) -> tuple[CharSpan, ...]:
    pieces = []
    for piece in field_text.split(";"):
        start, end = piece.split()
        pieces.append((int(start), int(end)))
    return tuple(sorted(pieces))


def parse_ann(ann_text: str) -> tuple[GoldAttribution, ...]:
    """Attributions of one brat `.ann` file; events without a cue are dropped."""
    spans: dict[str, tuple[CharSpan, ...]] = {}
    events: list[dict[str, str]] = []
    for line in ann_text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            _label, _, offsets = parts[1].partition(" ")
            try:
                spans[parts[0]] = _parse_spans(offsets)
            except ValueError:  # a malformed offset field: skip that annotation only
                continue
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    gold = []
    for event in events:
        cue_pieces = spans.get(event.get("Cue", ""))
        if not cue_pieces:
            continue
        cue = (cue_pieces[0][0], cue_pieces[-1][1])
        sources = spans.get(event.get("Source", ""), ())
        pieces = [spans.get(event.get(role, ""), ()) for role in ("Content", "Content2")]
        contents = tuple(sorted(piece for role_pieces in pieces for piece in role_pieces))
        gold.append(GoldAttribution(cue, sources, contents))
    gold.sort(key=lambda g: g.cue)
    return tuple(gold)


def load_polnear(path: Path, limit: int | None = None) -> list[GoldDocument]:
    """The documents of one PolNeAR compartment (`path` holds text/ and attributions/)."""
    files: dict[str, list[Path]] = {}
    for ann in sorted((path / "attributions").glob("*.ann")):
        files.setdefault(_ANNOTATOR_SUFFIX_RE.sub("", ann.stem), []).append(ann)
    docs: list[GoldDocument] = []
    for name, anns in files.items():
        text_path = path / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        first, *others = (parse_ann(a.read_text(encoding="utf-8")) for a in anns)
        text = text_path.read_text(encoding="utf-8")
        docs.append(GoldDocument(name, text, first, tuple(others)))
        if limit is not None and len(docs) >= limit:
            break
    return docs


class _TokenIndex:
    """Maps character spans onto the tokens of a parsed document."""

    def __init__(self, doc: Doc) -> None:
        self.starts = [t.idx for t in doc]
        self.ends = [t.idx + len(t.text) for t in doc]
        self.text = doc.text

    def tokens(self, span: CharSpan) -> TokSpan | None:
        start, end = span
        # brat spans sometimes take a neighbouring space; it belongs to no token
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            return None
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return (first, last) if first < last else None

    def many(self, spans: Iterable[CharSpan]) -> tuple[TokSpan, ...]:
        return tuple(t for t in (self.tokens(s) for s in spans) if t is not None)


def _gold_quotes(index: _TokenIndex, gold: Sequence[GoldAttribution]) -> list[Quote]:
    quotes = []
    for g in gold:
        cue = index.tokens(g.cue)
        if cue is not None:
            quotes.append(Quote(cue, index.many(g.sources), index.many(g.contents)))
    return quotes


def _predicted_quotes(index: _TokenIndex, predicted: Sequence[Attribution]) -> list[Quote]:
    quotes = []
    for a in predicted:
        cue = index.tokens((a.cue.start, a.cue.end))
        if cue is None:
            continue
        sources = () if a.source is None else index.many([(a.source.start, a.source.end)])
        contents = () if a.content is None else index.many([(a.content.start, a.content.end)])
        quotes.append(Quote(cue, sources, contents))
    return quotes


def _overlapping(a: TokSpan, b: TokSpan) -> bool:
    # Citron's test, `<=` included: spans that touch count as overlapping
    return a[0] <= b[1] and a[1] > b[0]


def _overlap(a: TokSpan, b: TokSpan) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _length(spans: Iterable[TokSpan]) -> int:
    return sum(end - start for start, end in spans)


def _role_spans(quote: Quote, role: str) -> tuple[TokSpan, ...]:
    if role == "cue":
        return (quote.cue,)
    return quote.sources if role == "source" else quote.contents


def _matches(p: Quote, g: Quote, role: str) -> bool:
    if role == "cue":
        return p.cue == g.cue
    return _overlapping(p.cue, g.cue) and _role_spans(p, role) == _role_spans(g, role)


def score_quotes(predicted: Sequence[Quote], gold: Sequence[Quote]) -> dict[str, Tally]:
    """Citron's exact counts and overlap sums for cue, source and content."""
    tallies: dict[str, Tally] = {}
    for role in ("cue", "source", "content"):
        t = Tally()
        for p in predicted:
            if any(_matches(p, g, role) for g in gold):
                t.tp += 1
            else:
                t.fp += 1
            t.predicted_tokens += _length(_role_spans(p, role))
            t.overlap += sum(
                _overlap(ps, gs)
                for g in gold
                for ps in _role_spans(p, role)
                for gs in _role_spans(g, role)
            )
        t.fn = sum(1 for g in gold if not any(_matches(p, g, role) for p in predicted))
        t.gold_tokens = sum(_length(_role_spans(g, role)) for g in gold)
        tallies[role] = t
    all_tally = Tally()
    for p in predicted:
        if any(p == g for g in gold):
            all_tally.tp += 1
        else:
            all_tally.fp += 1
    all_tally.fn = sum(1 for g in gold if g not in predicted)
    tallies["all"] = all_tally
    return tallies


def _prf(tp: float, predicted: float, actual: float) -> tuple[float, float, float]:
    precision = tp / predicted if predicted > 0 else 0.0
    recall = tp / actual if actual > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def _describe(doc: Doc, quote: Quote) -> str:
    cue = doc[quote.cue[0] : quote.cue[1]]
    sentence = cue.sent.text.strip().replace("\n", " ")
    return f"[{cue.text}] in: {sentence[:140]}"


def score_document(doc: Doc, gold_doc: GoldDocument) -> DocScore:
    index = _TokenIndex(doc)
    gold = _gold_quotes(index, gold_doc.attributions)
    predicted = _predicted_quotes(index, find_attributions(doc, nested=False))
    score = DocScore(gold_doc.name, len(gold), len(predicted), score_quotes(predicted, gold))
    if gold_doc.others:
        annotators = [gold, *(_gold_quotes(index, o) for o in gold_doc.others)]
        score.human = sum_tallies(
            score_quotes(a, b) for a, b in itertools.permutations(annotators, 2)
        )
        score.system = sum_tallies(score_quotes(predicted, a) for a in annotators)
    gold_cues = {g.cue for g in gold}
    predicted_cues = {p.cue for p in predicted}
    score.missed = [_describe(doc, g) for g in gold if g.cue not in predicted_cues]
    score.spurious = [_describe(doc, p) for p in predicted if p.cue not in gold_cues]
    return score


def _metrics(totals: dict[str, Tally]) -> dict[str, float]:
    result: dict[str, float] = {}
    for role in ("source", "cue", "content", "all"):
        t = totals[role]
        p, r, f = _prf(t.tp, t.tp + t.fp, t.tp + t.fn)
        result |= {f"{role}_exact_precision": p, f"{role}_exact_recall": r, f"{role}_exact_f1": f}
        if role == "all":
            continue
        p, r, f = _prf(t.overlap, t.predicted_tokens, t.gold_tokens)
        result |= {
            f"{role}_overlap_precision": p,
            f"{role}_overlap_recall": r,
            f"{role}_overlap_f1": f,
        }
    return {key: round(value, 4) for key, value in result.items()}


def evaluate_attribution(
    path: Path, echo: Callable[[str], None] = print, limit: int | None = None
) -> dict[str, float | int | dict[str, float]]:
    """Run `find_attributions` over a PolNeAR compartment at `path` and score it.

    `limit` keeps the first `limit` documents by name (all by default). Returns exact and
    overlap precision/recall/F1 per role (source, cue, content; `all` = exact on all
    three), document and attribution counts, and docs_per_s (parse plus extraction).
    """
    gold_docs = load_polnear(path, limit)
    nlp = load_nlp()
    scores: list[DocScore] = []
    started = time.perf_counter()
    texts = (g.text for g in gold_docs)
    for doc, gold_doc in zip(nlp.pipe(texts, batch_size=_BATCH_SIZE), gold_docs, strict=True):
        scores.append(score_document(doc, gold_doc))
    seconds = time.perf_counter() - started
    metrics = _metrics(sum_tallies(s.tallies for s in scores))
    _echo_report(scores, metrics, echo)
    result: dict[str, float | int | dict[str, float]] = dict(metrics)
    result |= {
        "files": len(scores),
        "gold_attributions": sum(s.gold for s in scores),
        "predicted_attributions": sum(s.predicted for s in scores),
        "docs_per_s": round(len(scores) / seconds, 2) if seconds > 0 else 0.0,
    }
    shared = [(s.human, s.system) for s in scores if s.human is not None and s.system is not None]
    if shared:
        human = _metrics(sum_tallies(h for h, _ in shared))
        system = _metrics(sum_tallies(p for _, p in shared))
        result["agreement_documents"] = len(shared)
        for role in ("cue", "source", "content"):
            key = f"{role}_exact_f1"
            result[f"human_{key}"] = human[key]
            result[f"system_vs_annotators_{key}"] = system[key]
        echo(
            f"{len(shared)} documents with several annotators: exact F1 annotator vs annotator"
            f" cue={human['cue_exact_f1']:.4f} source={human['source_exact_f1']:.4f};"
            f" system vs each annotator cue={system['cue_exact_f1']:.4f}"
            f" source={system['source_exact_f1']:.4f}"
        )
    return result


def _echo_report(
    scores: list[DocScore], metrics: dict[str, float], echo: Callable[[str], None]
) -> None:
    def cue_f1(s: DocScore) -> float:
        t = s.tallies["cue"]
        return _prf(t.tp, t.tp + t.fp, t.tp + t.fn)[2]

    echo(f"worst {min(_WORST_SHOWN, len(scores))} documents by cue exact F1:")
    for s in sorted(scores, key=lambda s: (cue_f1(s), s.name))[:_WORST_SHOWN]:
        echo(f"  cue F1 {cue_f1(s):.3f}  gold={s.gold} predicted={s.predicted}  {s.name}")
    missed = [m for s in scores for m in s.missed]
    spurious = [m for s in scores for m in s.spurious]
    echo(f"{len(missed)} gold cues missed, e.g.:")
    for line in missed[:: max(1, len(missed) // _WORST_SHOWN)][:_WORST_SHOWN]:
        echo(f"  {line}")
    echo(f"{len(spurious)} predicted cues not in gold, e.g.:")
    for line in spurious[:: max(1, len(spurious) // _WORST_SHOWN)][:_WORST_SHOWN]:
        echo(f"  {line}")
    echo(
        f"{len(scores)} documents  exact F1 source={metrics['source_exact_f1']:.4f}"
        f" cue={metrics['cue_exact_f1']:.4f} content={metrics['content_exact_f1']:.4f}"
        f"  overlap F1 content={metrics['content_overlap_f1']:.4f}"
    )
