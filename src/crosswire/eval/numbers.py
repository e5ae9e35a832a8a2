"""Score the quantity recognizer (`crosswire.claims.numbers`) against public test suites.

Suites (found under `path`, or `path` is one of these files):
- Microsoft Recognizers-Text `NumberModel.json`: every bare number ("one hundred and six",
  "1,234.56", "two thirds").  Scored with `find_number_atoms`, which is that model's reading.
- Recognizers-Text `NumberRangeModel.json`: bounds and ranges ("more than 30", "between 20 and
  30"), gold values written as intervals "[20,30)", "(30,)".  Scored with `find_numbers`,
  keeping the spans that name an interval (or an explicit "equal to N").
- quantulum3 `quantities.json`: numbers with physical units; we do not read physical units,
  so a predicted span matches a gold surface when it equals it or is the surface's leading
  number ("4,000" for "4,000 km").  Ranges are compared by midpoint, as quantulum3 resolves
  "3 to 4 L" to 3.5.

A case scores exact when the set of (span text, value) predicted equals the gold set, value
when the sets of values are equal.  Text is compared lower-cased with runs of spaces
collapsed, after dropping approximation words ("about", "some"), which neither suite puts
inside a number.

Range convention: Recognizers-Text resolves an explicit range "between 20 and 30", "20-30",
"from 20 to 30", "20 through 30" as half-open [20,30); crosswire reads it as closed [20,30]
(news figures "10,000 to 12,000 troops" include both ends).  `exact_accuracy` maps our explicit
ranges to their half-open notation (what the gold says); `exact_accuracy_closed` writes them
as we mean them, so those cases count as misses.  Bounds ("more than", "at most") carry
their inclusiveness in both readings.

Cases flagged `NotSupported`/`NotSupportedByDesign` for "dotnet" (the reference
implementation itself) are skipped and counted; flags for the other ports (python, java,
javascript) say nothing about the gold, so those cases are scored and only counted.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from crosswire.claims.numbers import NumberSpan, find_number_atoms, find_numbers

_FILES = ("NumberModel.json", "NumberRangeModel.json", "quantities.json")
_KNOWN_DIRS = (
    ".",
    "Specs/Number/English",
    "recognizers_text/Specs/Number/English",
    "claims_raw/recognizers_text/Specs/Number/English",
    "data/claims_raw/recognizers_text/Specs/Number/English",
    "quantulum3",
    "claims_raw/quantulum3",
    "data/claims_raw/quantulum3",
)
_MAX_DEPTH = 7
_WORST_SHOWN = 5

_APPROX_PREFIX_RE = re.compile(
    r"^(?:(?:about|around|roughly|approximately|approx\.|some|an\s+estimated|estimated|"
    r"close\s+to|circa|an\s+additional|another|a\s+further|an\s+extra|additional|"
    r"a\s+total\s+of|just|well)\s+)+",
    re.IGNORECASE,
)
_COMPARATOR_RE = re.compile(
    r"than|least|most|up\s+to|many|much|over|above|below|under|exceed|surpass|excess|"
    r"minimum|maximum|equal|exactly|[<>=≤≥]|or\s+(?:more|less|fewer)|plus",
    re.IGNORECASE,
)
_EQUAL_RE = re.compile(r"\bequal|\bexactly\b", re.IGNORECASE)
_WS = re.compile(r"\s+")
_FROM_RE = re.compile(r"^from\s+")

Interval = tuple[str, float | None, float | None, str]
Metrics = dict[str, Any]


def _norm_text(text: str) -> str:
    return _WS.sub(" ", _APPROX_PREFIX_RE.sub("", text.strip())).lower()


def _num(value: float | None) -> float | None:
    if value is None:
        return None
    return float(f"{value:.6g}")


def _parse_interval(value: str) -> Interval:
    value = value.strip()
    lo_s, hi_s = value[1:-1].split(",")
    low = _num(float(lo_s)) if lo_s.strip() else None
    high = _num(float(hi_s)) if hi_s.strip() else None
    return (value[0], low, high, value[-1])


def _is_explicit_range(span: NumberSpan) -> bool:
    return (
        span.low is not None
        and span.high is not None
        and span.low != span.high
        and _COMPARATOR_RE.search(span.text) is None
    )


def _interval(span: NumberSpan, theirs: bool) -> Interval:
    left = "[" if span.low is not None and span.low_inclusive else "("
    right = "]" if span.high is not None and span.high_inclusive else ")"
    if theirs and _is_explicit_range(span):
        right = ")"
    return (left, _num(span.low), _num(span.high), right)


def _is_range_like(span: NumberSpan) -> bool:
    return span.low != span.high or _EQUAL_RE.search(span.text) is not None


def find_suite_files(path: Path) -> dict[str, Path]:
    """The suite files at or under `path`: known layouts first, then a depth-limited walk."""
    if path.is_file():
        return {path.name: path} if path.name in _FILES else {}
    found: dict[str, Path] = {}
    for rel in _KNOWN_DIRS:
        for name in _FILES:
            candidate = path / rel / name
            if name not in found and candidate.is_file():
                found[name] = candidate
    if len(found) == len(_FILES):
        return found
    base_depth = len(path.parts)
    for root, dirs, files in os.walk(path):
        if len(Path(root).parts) - base_depth >= _MAX_DEPTH:
            dirs.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in _FILES:
            if name in files and name not in found:
                found[name] = Path(root) / name
        if len(found) == len(_FILES):
            break
    return found


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as f:
        data: list[dict[str, Any]] = json.load(f)
    return data


def _flags(case: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for key in ("NotSupported", "NotSupportedByDesign"):
        out.update(p.strip().lower() for p in str(case.get(key, "")).split(",") if p.strip())
    return out


def _score_sets(
    rows: Iterable[tuple[str, set[Any], set[Any], set[Any], set[Any]]],
) -> tuple[int, int, int, list[str]]:
    cases = exact = values = 0
    errors: list[str] = []
    for label, gold, pred, gold_values, pred_values in rows:
        cases += 1
        if gold == pred:
            exact += 1
        elif len(errors) < 200:
            errors.append(f"{label!r}: gold {sorted(gold, key=str)} got {sorted(pred, key=str)}")
        if gold_values == pred_values:
            values += 1
    return cases, exact, values, errors


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def evaluate_recognizers(cases: list[dict[str, Any]], ranges: bool) -> tuple[Metrics, list[str]]:
    """Score one Recognizers-Text spec (`ranges` for NumberRangeModel, else NumberModel)."""
    skipped = flagged = 0
    kept: list[dict[str, Any]] = []
    for case in cases:
        flags = _flags(case)
        if "dotnet" in flags:
            skipped += 1
            continue
        flagged += bool(flags)
        kept.append(case)

    def gold_set(case: dict[str, Any]) -> set[Any]:
        out: set[Any] = set()
        for r in case["Results"]:
            value = r["Resolution"]["value"]
            parsed = _parse_interval(value) if ranges else _num(float(value))
            out.add((_norm_text(r["Text"]), parsed))
        return out

    def pred_set(text: str, theirs: bool) -> set[Any]:
        if not ranges:
            return {(_norm_text(s.text), _num(s.low)) for s in find_number_atoms(text)}
        return {
            (_norm_text(s.text), _interval(s, theirs))
            for s in find_numbers(text)
            if _is_range_like(s)
        }

    def rows(theirs: bool) -> Iterable[tuple[str, set[Any], set[Any], set[Any], set[Any]]]:
        for case in kept:
            gold = gold_set(case)
            pred = pred_set(case["Input"], theirs)
            yield (
                case["Input"],
                gold,
                pred,
                {v for _, v in gold},
                {v for _, v in pred},
            )

    n, exact, values, errors = _score_sets(rows(theirs=True))
    metrics: Metrics = {
        "cases": n,
        "exact_accuracy": _ratio(exact, n),
        "value_accuracy": _ratio(values, n),
        "skipped_not_supported_dotnet": skipped,
        "flagged_not_supported_other_ports": flagged,
    }
    if ranges:
        _, exact_c, values_c, _ = _score_sets(rows(theirs=False))
        metrics["exact_accuracy_closed"] = _ratio(exact_c, n)
        metrics["value_accuracy_closed"] = _ratio(values_c, n)
    return metrics, errors


_QUANTULUM_UNITS = {
    "dollar": "USD",
    "euro": "EUR",
    "pound sterling": "GBP",
    "yen": "JPY",
    "percentage": "%",
    "dimensionless": None,
}


def _midpoint(span: NumberSpan) -> float | None:
    if span.low is not None and span.high is not None:
        return _num((span.low + span.high) / 2)
    return _num(span.low if span.low is not None else span.high)


def _surface_matches(pred: str, gold: str) -> bool:
    if pred == gold:
        return True
    # our span is the leading number of a surface that goes on with a unit we do not read
    return gold.startswith(pred) and not gold[len(pred) : len(pred) + 1].isdigit()


def evaluate_quantulum(cases: list[dict[str, Any]]) -> tuple[Metrics, list[str]]:
    """Score quantulum3's `quantities.json`: surface + value, and currency/percent units."""
    n = exact = values = 0
    unit_total = unit_ok = 0
    errors: list[str] = []
    for case in cases:
        text = case["req"]
        gold = [(_norm_text(r["surface"]), _num(float(r["value"])), r["unit"]) for r in case["res"]]
        # quantulum3 leaves "from" out of "from 7 to 10" (it keeps "between")
        preds = [
            (_FROM_RE.sub("", _norm_text(s.text)), _midpoint(s), s) for s in find_numbers(text)
        ]
        n += 1
        used: set[int] = set()
        matched = 0
        for g_text, g_value, g_unit in gold:
            for j, (p_text, p_value, span) in enumerate(preds):
                if j in used or p_value != g_value or not _surface_matches(p_text, g_text):
                    continue
                used.add(j)
                matched += 1
                if g_unit in _QUANTULUM_UNITS:
                    unit_total += 1
                    unit_ok += _QUANTULUM_UNITS[g_unit] == (
                        None if span.unit == "fraction" else span.unit
                    )
                break
        if matched == len(gold) and len(used) == len(preds):
            exact += 1
        elif len(errors) < 200:
            errors.append(
                f"{text!r}: gold {[(g[0], g[1]) for g in gold]} got {[(p[0], p[1]) for p in preds]}"
            )
        if sorted(g[1] or 0.0 for g in gold) == sorted(p[1] or 0.0 for p in preds):
            values += 1
    metrics: Metrics = {
        "cases": n,
        "exact_accuracy": _ratio(exact, n),
        "value_accuracy": _ratio(values, n),
        "unit_accuracy_on_matched": _ratio(unit_ok, unit_total),
        "unit_matched": unit_total,
    }
    return metrics, errors


def evaluate_numbers(path: Path, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Score the recognizer on the suites at `path`; headline keys are NumberRange's when
    it is among them."""
    files = find_suite_files(path)
    if not files:
        raise FileNotFoundError(
            f"no NumberModel.json, NumberRangeModel.json or quantities.json in {path}"
        )
    result: dict[str, Any] = {}
    suites: list[tuple[str, str, Callable[[list[dict[str, Any]]], tuple[Metrics, list[str]]]]] = [
        ("NumberRangeModel.json", "number_range", lambda c: evaluate_recognizers(c, True)),
        ("NumberModel.json", "number", lambda c: evaluate_recognizers(c, False)),
        ("quantities.json", "quantulum3", evaluate_quantulum),
    ]
    for filename, key, scorer in suites:
        if filename not in files:
            continue
        metrics, errors = scorer(_load(files[filename]))
        result[key] = metrics
        echo(
            f"{key}: {metrics['cases']} cases from {files[filename]}, "
            f"exact {metrics['exact_accuracy']:.4f}, value {metrics['value_accuracy']:.4f}"
        )
        for line in errors[:_WORST_SHOWN]:
            echo(f"  miss {line}")
    if "number_range" in result:
        nr = result["number_range"]
        result["exact_accuracy"] = nr["exact_accuracy"]
        result["value_accuracy"] = nr["value_accuracy"]
        result["exact_accuracy_closed"] = nr["exact_accuracy_closed"]
    for key in ("number", "quantulum3"):
        if key in result:
            result[f"{key}_exact_accuracy"] = result[key]["exact_accuracy"]
            result[f"{key}_value_accuracy"] = result[key]["value_accuracy"]
            # the headline keys always exist: NumberRange's when scored, else the first suite's
            result.setdefault("exact_accuracy", result[key]["exact_accuracy"])
            result.setdefault("value_accuracy", result[key]["value_accuracy"])
    return result
