"""Streaming dedup (`DedupIndex.check_many`) against batch `find_duplicates`.

The corpus is `bench/throughput.py`'s: 20,000 articles built from real news sentences
(../shared/data), originals over 60 days and about half of them republished copies,
read and cleaned by the real ingest and clean stages (not timed here). Then:

- batch: `find_duplicates` over all of them at once;
- one micro-batch: `check_many` of everything on an empty index (must equal batch);
- a stream: `check_many` over micro-batches of 1, 100 and 1,000 articles in
  publication order, with the default 14-day window: articles/s, how many decisions
  equal batch's, B-cubed F1 of its groups against batch's, and the state
  (`json.dumps(to_dict())`) in bytes per stored and per active article.

Runs are interleaved and timed in wall and in CPU seconds of this process; the ratio
to batch is taken on CPU time, which other jobs on the machine disturb least.

    python bench/dedup_stream.py [--articles 20000] [--repeat 3] [--sizes 1,100,1000]

Prints a table and writes bench/results/dedup_stream.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from throughput import DATA, generate, write_results

from crosswire.clean import clean_documents
from crosswire.dedup import CopyDecision, DedupIndex, IndexConfig, find_duplicates
from crosswire.dedup.near import published_key
from crosswire.ingest import read_inputs
from crosswire.model import Article
from crosswire.pipeline import unique_articles

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "dedup_stream.json"
YEAR = 100_000  # articles a year, the scale for a live source

Labels = dict[str, tuple[str | None, float | None]]


def corpus(n_articles: int) -> list[Article]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        generate(folder, n_articles)
        docs, _ = read_inputs([folder])
        articles, _ = clean_documents(docs)
    return unique_articles(articles)


class Clock:
    """Wall and CPU seconds of one run. Other jobs share this machine's two cores, so
    wall time swings by half between runs; the process's CPU time is the steadier
    figure to compare batch and stream by."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def batch(articles: Sequence[Article]) -> dict[str, Any]:
    copies = [replace(a) for a in articles]
    clock = Clock()
    find_duplicates(copies)
    wall, cpu = clock.stop()
    return {
        "wall": wall,
        "cpu": cpu,
        "labels": {a.id: (a.duplicate_of, a.similarity) for a in copies},
    }


def one_batch(articles: Sequence[Article]) -> dict[str, Any]:
    clock = Clock()
    decisions = DedupIndex().check_many(articles)
    wall, cpu = clock.stop()
    return {"wall": wall, "cpu": cpu, "labels": labels(decisions)}


def labels(decisions: Sequence[CopyDecision]) -> Labels:
    return {d.article: (d.duplicate_of, d.similarity) for d in decisions}


def bcubed_f1(found: Labels, gold: Labels) -> float:
    def members(given: Labels) -> dict[str, set[str]]:
        groups: defaultdict[str, set[str]] = defaultdict(set)
        for article, (original, _) in given.items():
            groups[original or article].add(article)
        return {a: g for g in groups.values() for a in g}

    mine, theirs = members(found), members(gold)
    p = sum(len(mine[a] & theirs[a]) / len(mine[a]) for a in gold) / len(gold)
    r = sum(len(mine[a] & theirs[a]) / len(theirs[a]) for a in gold) / len(gold)
    return 2 * p * r / (p + r)


def refines(found: Labels, gold: Labels) -> bool:
    """Every group of FOUND lies inside one group of GOLD: nothing joined wrongly."""
    gold_group = {a: original or a for a, (original, _) in gold.items()}
    seen: dict[str, str] = {}
    for article, (original, _) in found.items():
        if seen.setdefault(original or article, gold_group[article]) != gold_group[article]:
            return False
    return True


def stream(ordered: Sequence[Article], size: int) -> dict[str, Any]:
    index = DedupIndex(IndexConfig())
    decisions: list[CopyDecision] = []
    peak = 0
    clock = Clock()
    for start in range(0, len(ordered), size):
        decisions.extend(index.check_many(ordered[start : start + size]))
        peak = max(peak, index.stored_articles)
    wall, cpu = clock.stop()
    t = time.perf_counter()
    text = json.dumps(index.to_dict(), allow_nan=False)
    dump_s = time.perf_counter() - t
    t = time.perf_counter()
    DedupIndex.from_dict(json.loads(text))
    load_s = time.perf_counter() - t
    return {
        "wall": wall,
        "cpu": cpu,
        "labels": labels(decisions),
        "merges": sum(len(d.merged) for d in decisions),
        "peak_stored": peak,
        "stored": index.stored_articles,
        "active": index.active_articles,
        "texts": index.stored_texts,
        "state_bytes": len(text.encode()),
        "dump_s": dump_s,
        "load_s": load_s,
    }


def timing(runs: Sequence[dict[str, Any]], n: int) -> dict[str, float]:
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    return {
        "median_s": round(wall, 2),
        "median_cpu_s": round(cpu, 2),
        "articles_per_s": round(n / wall, 1),
        "articles_per_cpu_s": round(n / cpu, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"needs the gold data at {DATA}", file=sys.stderr)
        return 2
    t = time.perf_counter()
    articles = corpus(args.articles)
    n = len(articles)
    print(f"generated, read and cleaned {n} articles in {time.perf_counter() - t:.1f}s")
    ordered = sorted(articles, key=lambda a: (published_key(a.published), a.id))
    sizes = [int(s) for s in args.sizes.split(",")]
    # interleaved, so a change in the machine's load touches every variant alike
    batch_runs: list[dict[str, Any]] = []
    one_runs: list[dict[str, Any]] = []
    stream_runs: dict[int, list[dict[str, Any]]] = {size: [] for size in sizes}
    for r in range(args.repeat):
        batch_runs.append(batch(articles))
        one_runs.append(one_batch(articles))
        for size in sizes:
            stream_runs[size].append(stream(ordered, size))
        print(
            f"run {r + 1}: batch {batch_runs[-1]['cpu']:.2f} cpu s, "
            + ", ".join(f"stream/{k} {v[-1]['cpu']:.2f}" for k, v in stream_runs.items())
        )
    expected = batch_runs[0]["labels"]
    copies = sum(1 for original, _ in expected.values() if original)
    batch_row = timing(batch_runs, n) | {"copies_found": copies}
    one_row = timing(one_runs, n) | {"equal_to_batch": one_runs[0]["labels"] == expected}
    one_row["cpu_vs_batch"] = round(batch_row["median_cpu_s"] / one_row["median_cpu_s"], 2)

    rows: dict[str, dict[str, Any]] = {}
    for size, runs in stream_runs.items():
        last = runs[-1]
        found = last["labels"]
        row = timing(runs, n)
        rows[str(size)] = row | {
            "cpu_vs_batch": round(batch_row["median_cpu_s"] / row["median_cpu_s"], 2),
            "copies_found": sum(1 for original, _ in found.values() if original),
            "decisions_equal_to_batch": sum(found[a] == expected[a] for a in expected),
            "bcubed_f1_vs_batch": round(bcubed_f1(found, expected), 4),
            "groups_inside_batch_groups": refines(found, expected),
            "merged_groups": last["merges"],
            "peak_stored_articles": last["peak_stored"],
            "stored_articles_at_end": last["stored"],
            "active_articles_at_end": last["active"],
            "distinct_texts_at_end": last["texts"],
            "state_bytes_at_end": last["state_bytes"],
            "state_bytes_per_stored_article": round(last["state_bytes"] / last["stored"]),
            "state_bytes_per_active_article": round(last["state_bytes"] / last["active"]),
            "state_dump_s": round(last["dump_s"], 3),
            "state_load_s": round(last["load_s"], 3),
        }
    per_active = rows[next(iter(rows))]["state_bytes_per_active_article"]
    window = IndexConfig().window_days
    year_active = YEAR * window / 365
    summary = {
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}",
        "articles": n,
        "repeat": args.repeat,
        "window_days": window,
        "batch": batch_row,
        "one_micro_batch": one_row,
        "stream_by_micro_batch_size": rows,
        "year_of_news": {
            "articles_per_year": YEAR,
            "active_articles_in_window": round(year_active),
            "state_mb": round(year_active * per_active / 1e6, 1),
        },
    }
    print(
        f"\nbatch find_duplicates: {batch_row['median_cpu_s']:.2f} cpu s "
        f"({batch_row['median_s']:.2f} s wall), {batch_row['articles_per_cpu_s']:.0f} "
        f"articles per cpu s, {copies} copies"
    )
    print(
        f"one micro-batch on an empty index: {one_row['median_cpu_s']:.2f} cpu s, "
        f"{one_row['cpu_vs_batch']}x batch, equal to batch: {one_row['equal_to_batch']}"
    )
    print(
        f"\n{'batch':>6} {'cpu s':>6} {'wall s':>7} {'art/cpu s':>10} {'x batch':>8} "
        f"{'= batch':>8} {'B3 F1':>7} {'merged':>7} {'stored':>7} {'B/active':>9}"
    )
    for size, row in rows.items():
        print(
            f"{size:>6} {row['median_cpu_s']:>6.2f} {row['median_s']:>7.2f} "
            f"{row['articles_per_cpu_s']:>10.0f} {row['cpu_vs_batch']:>8.2f} "
            f"{row['decisions_equal_to_batch']:>8} {row['bcubed_f1_vs_batch']:>7.4f} "
            f"{row['merged_groups']:>7} {row['stored_articles_at_end']:>7} "
            f"{row['state_bytes_per_active_article']:>9}"
        )
    year = summary["year_of_news"]
    print(
        f"\na year of news ({YEAR} articles) keeps ~{year['active_articles_in_window']} "
        f"articles in a {window:g}-day window: ~{year['state_mb']} MB of state"
    )
    write_results(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
