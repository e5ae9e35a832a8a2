"""Throughput and peak memory of every stage on a generated 20,000-article corpus.

The corpus is built from real news sentences (ECB+ and AllSides texts read in place
from ../shared/data): an original mixes a few sentences of one real story with others, a
dateline, spread over 60 days and 40 outlets; about half of the articles are copies
of an original as another site republishes it: its own promo, newsletter and teaser
lines glued on, sometimes trimmed or lightly edited. Files are plain text, so the
real ingest path is measured.

    python bench/throughput.py [--articles 20000] [--repeat 3]

Prints a table and writes bench/results/throughput.json. Per-stage peak memory is
the process's peak RSS during that stage (reset between stages via
/proc/self/clear_refs on Linux).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crosswire import pipeline
from crosswire.claims.nlp import parse_processes
from crosswire.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "stories_raw"
RESULTS = ROOT / "bench" / "results" / "throughput.json"
TARGET = 50.0  # articles/s through stages 1-4, the bar on this 2-core machine
WHOLE_TARGET = 15.0  # articles/s for the whole run with claims (issue 3)


def _peak_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_topics() -> list[list[str]]:
    """Sentences grouped by gold story, from the real gold sets."""
    topics: dict[str, list[str]] = {}
    ecb = DATA / "ecbplus" / "ecbplus_docs.jsonl"
    for line in ecb.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sents = [s.strip() for s in rec["text"].split("\n") if len(s.split()) > 6]
        topics.setdefault("ecb" + rec["cluster"], []).extend(sents)
    for path in sorted((DATA / "allsides_neus" / "raw_crawled").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for side in rec.get("news", {}).values():
                for para in side.get("newBody") or []:
                    if len(para.split()) > 6:
                        topics.setdefault(f"as{rec['id']}", []).append(para.strip())
    return [s for s in topics.values() if len(s) >= 6]


PLACES = [
    "LISBON, Portugal",
    "NAIROBI, Kenya",
    "DENVER",
    "OSAKA, Japan",
    "LIMA, Peru",
    "OSLO, Norway",
    "CAIRO",
    "PERTH, Australia",
    "QUEBEC CITY",
    "MANILA",
]


def _stamp(when: datetime) -> str:
    """A date line as aggregators print it above the body ("03 Mar 2026, 14:20 GMT+1")."""
    return when.strftime("%d %b %Y, %H:%M GMT+0")


def original_body(rng: random.Random, topic: list[str], pool: list[str]) -> list[str]:
    """A few sentences of one real story plus sentences from anywhere: originals of one
    topic share a theme without being copies of each other (a pure within-topic sample
    would make most originals near-duplicates of one another)."""
    body = rng.sample(topic, k=min(len(topic), rng.randint(3, 5)))
    return body + rng.sample(pool, k=rng.randint(4, 9))


def trimmed(rng: random.Random, lines: list[str]) -> list[str]:
    """A copy's lines: three times in ten the republishing site cut the end off."""
    if rng.random() < 0.3:
        return lines[: max(3, int(len(lines) * rng.uniform(0.6, 0.9)))]
    return lines


def write_results(summary: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


def generate(folder: Path, n_articles: int, seed: int = 13) -> int:
    rng = random.Random(seed)
    topics = load_topics()
    pool = [sentence for topic in topics for sentence in topic]
    outlets = [f"Outlet {i:02d} News" for i in range(40)]
    clutter = {
        o: [
            f"Get the {o} morning briefing in your inbox, free every weekday.",
            f"Share your community news with {o}: send us your press release.",
            f"{o} is an independent news site. Support local journalism today.",
        ]
        for o in outlets
    }
    start = datetime(2026, 1, 1, tzinfo=UTC)
    originals: list[tuple[datetime, str]] = []
    n_orig = n_articles // 2
    for i in range(n_orig):
        body = original_body(rng, topics[i % len(topics)], pool)
        when = start + timedelta(days=rng.randint(0, 59), minutes=rng.randint(0, 1439))
        text = f"{rng.choice(PLACES)} -- " + "\n".join(body)
        originals.append((when, text))
        outlet = outlets[i % len(outlets)]
        (folder / f"o{i % 40:02d}").mkdir(exist_ok=True)
        (folder / f"o{i % 40:02d}" / f"o{i:05d}.txt").write_text(
            f"{_stamp(when)}\n{text}", encoding="utf-8"
        )
    for j in range(n_articles - n_orig):
        when, text = originals[rng.randrange(n_orig)]
        when += timedelta(minutes=rng.randint(5, 48 * 60))
        lines = trimmed(rng, text.split("\n"))
        if rng.random() < 0.3:
            k = rng.randrange(len(lines))
            lines[k] = lines[k].replace(" said ", " says ")
        k = rng.randrange(len(outlets))
        outlet = outlets[k]
        teasers = [t[1][:90] + "..." for t in rng.sample(originals, 4)]
        page = [
            _stamp(when),
            *lines,
            *clutter[outlet],
            "More Information" + teasers[0],
            *teasers[1:],
        ]
        (folder / f"o{k:02d}").mkdir(exist_ok=True)
        (folder / f"o{k:02d}" / f"c{j:05d}.txt").write_text("\n".join(page), encoding="utf-8")
    return n_articles


class _Meter(pipeline.Progress):
    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self._current: str | None = None

    def stage(self, name: str, total: int | None) -> None:
        self._close()
        self._current = name
        _peak_reset()

    def _close(self) -> None:
        if self._current is not None:
            self.peaks[self._current] = _peak_mb()

    def finish(self) -> None:
        self._close()
        self._current = None


def _pair_model_seconds(stories: list[Any]) -> tuple[float, float]:
    """The learned pairwise decision's share of compare, timed again on the run's own
    stories: its features (the encoder's vectors included), blocking, scoring and
    linkage (`compare/pairs.py`); and, of that, the encoder's own share: the vectors of
    every figure's words (`compare/encoder.py`, its table already loaded)."""
    from crosswire.compare import encoder, facets, pairs

    t = time.perf_counter()
    mentions = []
    for story in stories:
        infos = [i for i in facets.claim_infos(story.claims) if i.root == i.claim.id]
        found = [m for i in infos for m in facets.mentions_of(i)]
        mentions.extend(found)
        pairs.cluster(facets.sides_of(found))
    pair_s = time.perf_counter() - t
    windows = [facets._window(m) for m in mentions]
    t = time.perf_counter()
    encoder.default_encoder().encode(windows, facets._STOP)
    return pair_s, time.perf_counter() - t


def run_once(folder: Path, db: Path) -> dict[str, Any]:
    meter = _Meter()
    store = Store(f"sqlite:///{db}")
    t0 = time.perf_counter()
    result = pipeline.analyze([folder], store=store, progress=meter)
    total = time.perf_counter() - t0
    meter.finish()
    store.close()
    pair_s, encoder_s = _pair_model_seconds(result.stories)
    return {
        "pair_model_s": pair_s,
        "encoder_s": encoder_s,
        # the parse processes' own peak (the largest of them; the stage rows are this one's)
        "parse_process_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "articles": len(result.articles),
        "copies": sum(1 for a in result.articles if a.duplicate_of),
        "stories": len(result.stories),
        "errors": len(result.errors),
        "seconds": result.timings | {"total": total},
        "peak_mb": meter.peaks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"needs the gold data at {DATA}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        t = time.perf_counter()
        n = generate(corpus, args.articles)
        print(f"generated {n} articles in {time.perf_counter() - t:.1f}s")
        runs = []
        for r in range(args.repeat):
            res = run_once(corpus, Path(tmp) / f"bench{r}.db")
            runs.append(res)
            print(f"run {r + 1}: {res['articles'] / res['seconds']['total']:.1f} articles/s total")
    n_in = runs[0]["articles"]
    stages = [*pipeline.STAGES, "total"]
    table: dict[str, dict[str, float]] = {}
    for stage in stages:
        secs = [r["seconds"][stage] for r in runs if stage in r["seconds"]]
        if not secs:
            continue
        med = statistics.median(secs)
        peaks = [r["peak_mb"].get(stage, 0.0) for r in runs]
        table[stage] = {
            "median_s": round(med, 2),
            "articles_per_s": round(n_in / med, 1) if med else float("inf"),
            "peak_rss_mb": round(
                max(peaks) if stage != "total" else max(max(r["peak_mb"].values()) for r in runs), 1
            ),
        }
    pair_s = statistics.median(r["pair_model_s"] for r in runs)
    encoder_s = statistics.median(r["encoder_s"] for r in runs)
    s14 = sum(table[s]["median_s"] for s in ("ingest", "clean", "dedup", "stories"))
    summary = {
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}",
        "articles": n_in,
        "copies_found": runs[0]["copies"],
        "stories": runs[0]["stories"],
        "repeat": args.repeat,
        "stages": table,
        "pair_model_in_compare_s": round(pair_s, 2),
        "encoder_in_pair_model_s": round(encoder_s, 2),
        "parse_processes": parse_processes(),
        "parse_process_peak_rss_mb": round(max(r["parse_process_peak_mb"] for r in runs), 1),
        "stages_1_4_articles_per_s": round(n_in / s14, 1),
        "ratio_vs_target_50_per_s": round(n_in / s14 / TARGET, 2),
        "whole_run_articles_per_s": table["total"]["articles_per_s"],
        "ratio_vs_target_15_per_s_whole_run": round(
            table["total"]["articles_per_s"] / WHOLE_TARGET, 2
        ),
    }
    print(f"\n{'stage':<8} {'median s':>9} {'articles/s':>11} {'peak RSS MB':>12}")
    for stage, row in table.items():
        print(
            f"{stage:<8} {row['median_s']:>9.2f} {row['articles_per_s']:>11.1f} "
            f"{row['peak_rss_mb']:>12.1f}"
        )
    print(
        f"  of compare, the pair model (features, scoring, linkage): {pair_s:.2f} s, "
        f"{n_in / pair_s if pair_s else float('inf'):.0f} articles/s"
    )
    print(
        f"  of which the figure encoder (word-piece vectors): {encoder_s:.2f} s, "
        f"{n_in / encoder_s if encoder_s else float('inf'):.0f} articles/s"
    )
    print(
        f"  claims parsed by {summary['parse_processes']} process(es) "
        f"(CROSSWIRE_PARSE_PROCESSES); each parse process's peak RSS: "
        f"{summary['parse_process_peak_rss_mb']} MB"
    )
    print(
        f"\nstages 1-4: {summary['stages_1_4_articles_per_s']} articles/s "
        f"({summary['ratio_vs_target_50_per_s']}x the 50/s target); "
        f"{summary['copies_found']} copies found, {summary['stories']} stories"
    )
    print(
        f"whole run: {summary['whole_run_articles_per_s']} articles/s "
        f"({summary['ratio_vs_target_15_per_s_whole_run']}x the 15/s target)"
    )
    write_results(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
