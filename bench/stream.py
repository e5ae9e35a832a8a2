"""Articles fed in publication order into one store, micro-batch by micro-batch.

The engine as a live source drives it (`pipeline.process_batches`): each micro-batch
goes through clean, dedup, stories (the story index, its state in the store), claims
and compare, and is committed before the next. The articles are built as
bench/throughput.py builds them (real ECB+ and AllSides sentences from ../shared/data,
40 outlets, about half of them copies of an original), spread over a year instead of
60 days. Memory must be bounded by the active window, not by what the store holds, and
throughput must not fall as the store grows.

    python bench/stream.py [--articles 100000] [--batch 500]
        [--checkpoints 10000,25000,50000,100000]

Feeding stops at the last checkpoint, so `--checkpoints 10000` measures the first
10,000 articles of the year-long 100,000 (the same density as the full run).

At each checkpoint it prints articles/s over the segment since the last one, the
cumulative rate, peak RSS over the segment (/proc/self/clear_refs resets it on Linux),
the story index's active size and each stage's seconds in the segment; it writes
bench/results/stream.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import (
    DATA,
    PLACES,
    _peak_mb,
    _peak_reset,
    _stamp,
    load_topics,
    original_body,
    trimmed,
    write_results,
)

from crosswire import pipeline
from crosswire.claims.nlp import parse_processes
from crosswire.model import RawDoc
from crosswire.store import Store
from crosswire.stories import StoryIndex

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "stream.json"
DAYS = 365


def articles_in_time_order(n: int, seed: int = 13) -> Iterator[RawDoc]:
    """N articles over a year, in publication order: originals as throughput.py writes
    them, each copy published 5 minutes to 2 days after an original of the last days."""
    rng = random.Random(seed)
    topics = load_topics()
    pool = [sentence for topic in topics for sentence in topic]
    outlets = [f"Outlet {i:02d} News" for i in range(40)]
    clutter = {
        o: [
            f"Get the {o} morning briefing in your inbox, free every weekday.",
            f"Share your community news with {o}: send us your press release.",
        ]
        for o in outlets
    }
    start = datetime(2026, 1, 1, tzinfo=UTC)
    step = timedelta(days=DAYS) / max(1, n)
    recent: list[tuple[datetime, str]] = []
    for i in range(n):
        when = start + step * i
        if i % 2 == 0 or not recent:
            body = original_body(rng, topics[(i // 2) % len(topics)], pool)
            text = f"{rng.choice(PLACES)} -- " + "\n".join(body)
            recent.append((when, text))
            recent = [(t, x) for t, x in recent if when - t < timedelta(days=2)]
            page = f"{_stamp(when)}\n{text}"
            folder = f"o{(i // 2) % 40:02d}"
        else:
            _, text = rng.choice(recent)
            lines = trimmed(rng, text.split("\n"))
            outlet = rng.choice(outlets)
            page = "\n".join([_stamp(when), *lines, *clutter[outlet]])
            folder = f"o{outlets.index(outlet):02d}"
        yield RawDoc(input=f"{folder}/a{i:06d}.txt", kind="text", text=page, group=folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--checkpoints", default="10000,25000,50000,100000")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"needs the gold data at {DATA}", file=sys.stderr)
        return 2
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if int(c) <= args.articles)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'stream.db'}")
        docs = articles_in_time_order(args.articles)
        fed = [0]

        # feeding stops at the last checkpoint: the first 10,000 of a year of 100,000
        # articles are as dense as the full run's, so a short run compares like for like
        last = checkpoints[-1] if checkpoints else args.articles

        def batches() -> Iterator[list[RawDoc]]:
            while fed[0] < last and (
                batch := [d for _, d in zip(range(args.batch), docs, strict=False)]
            ):
                fed[0] += len(batch)
                yield batch

        timings: dict[str, float] = {}
        t0 = segment_t = time.perf_counter()
        segment_start = 0
        segment_timings: dict[str, float] = {}
        _peak_reset()
        results = pipeline.process_batches(
            batches(), store, ["bench/stream"], pipeline.Progress(), timings
        )
        for _ in results:
            if not checkpoints or fed[0] < checkpoints[0]:
                continue
            now = time.perf_counter()
            at = checkpoints.pop(0)
            index = StoryIndex.from_dict(store.load_state(pipeline.STORY_STATE) or {})
            row = {
                "articles": fed[0],
                "segment_articles_per_s": round((fed[0] - segment_start) / (now - segment_t), 1),
                "articles_per_s": round(fed[0] / (now - t0), 1),
                "segment_peak_rss_mb": round(_peak_mb(), 1),
                "active_stories": index.active_stories,
                "active_originals": index.active_originals,
                "stored_articles": store.count("articles"),
                # each stage's seconds in this segment: what grows when the rate falls
                "segment_stage_seconds": {
                    k: round(v - segment_timings.get(k, 0.0), 1) for k, v in timings.items()
                },
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            del index
            segment_t, segment_start = time.perf_counter(), fed[0]
            segment_timings = dict(timings)
            _peak_reset()
            _ = at
        store.close()
    summary = {
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}",
        "batch": args.batch,
        "parse_processes": parse_processes(),
        "checkpoints": rows,
        "stage_seconds": {k: round(v, 1) for k, v in timings.items()},
    }
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        summary["rss_last_vs_second"] = round(
            last["segment_peak_rss_mb"] / rows[1]["segment_peak_rss_mb"], 3
        )
        summary["rate_last_vs_first"] = round(
            last["segment_articles_per_s"] / first["segment_articles_per_s"], 3
        )
    write_results(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
