"""Live sources: feeds/s and pages/s through the polite fetcher, articles/s through one
watcher pass, and WARC records/s read and articles/s analyzed.

Sites are real HTTP servers on loopback (tests/loopback.py), one per address 127.0.0.1,
127.0.0.2, ... (Linux routes all of 127/8 to lo), so the fetcher sees `--hosts`
distinct hosts. Feed i is on host i mod H; its entries link to pages of real news text
(ECB+ documents read in place from ../shared/data, repeated under distinct URLs when
there are more pages than documents); every host serves a robots.txt allowing all.

1. Fetching: `Fetcher` alone, in one thread, politeness on (`--delay` seconds between
   the end of one request to a host and the start of the next, one request at a time
   per host). A fresh pass fetches every feed (its links read with `parse_feed`), then
   every page, taking the hosts in turn; the robots.txt the fetcher reads once per host
   before its first page is a request like the others. A second pass over the same
   feeds sends each one's ETag back and gets 304: what an unchanged pass costs.
2. The watcher: one `Watcher.poll()` over a smaller site into a fresh SQLite store,
   politeness on: articles/s end to end, split into time inside `Fetcher.fetch`
   (waiting for a host's turn, and the requests) and the rest (feed parsing, the source
   log, and the analysis stages of the micro-batch).
3. WARC: bench/warc.py's archive (`write_crawl`; `read_once`, `analyze_once`): records/s
   read from a `--warc-pages` crawl, and articles/s through the whole pipeline from a
   `--warc-pipeline-pages` one.

The bound. Each pass is measured against the time the per-host rule alone needs for
the requests the servers saw, in the order they arrived, if a request took no time at
all: a host's next request starts `delay` after its previous one, the first is free
(`politeness_bound`). It is also given for the best order there is (the most requests
any one host got, less one, times the delay: one worker per host could reach it; the
host-interleaved passes of part 1 are in such an order). measured / bound near 1
means the delay sets the pace, not crosswire; the time not spent waiting for a turn is
crosswire plus the loopback server, which runs in this process. The watcher is
sequential today and takes a feed and then its pages, all from one host, so nearly
every request waits the full delay whatever the number of hosts: part 2 reports its
own order's bound and the best order's, and says how far apart they are.

    python bench/fetch.py [--feeds 200] [--entries 10] [--hosts 8] [--delay 0.2] [--repeat 3]

`--repeat` applies to part 1 and to reading the WARC (medians are reported); the two
analysis runs (the watcher's pass, the WARC pipeline) run once. Prints a table and
writes bench/results/fetch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from loopback import LoopbackServer, Reply, Request
from throughput import write_results
from warc import DATA as WARC_DATA
from warc import analyze_once, load_pages, read_once, write_crawl

from crosswire.sources.feeds import parse_feed
from crosswire.sources.fetch import Fetcher, FetchKind, FetchResult
from crosswire.sources.watch import Watcher
from crosswire.store import Store
from crosswire.store.sources import SourceLog

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "stories_raw" / "ecbplus" / "ecbplus_docs.jsonl"
RESULTS = ROOT / "bench" / "results" / "fetch.json"
TIMEOUT_S = 10.0
ROBOTS = b"User-agent: *\nAllow: /\n"
PUBLISHED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PARTS = ("fetch", "watch", "warc")


# ------------------------------------------------------------ the sites


def load_docs() -> list[dict[str, str]]:
    return [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]


def page_html(doc: dict[str, str], outlet: str) -> bytes:
    lines = doc["text"].split("\n")
    title = escape(lines[0][:90])
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>Home | World | Sport | {escape(outlet)}</nav><article><h1>{title}</h1>"
        f"{body}</article><footer>Copyright {escape(outlet)}</footer></body></html>"
    ).encode()


def rss(outlet: str, items: Sequence[tuple[str, dict[str, str]]]) -> bytes:
    """An RSS 2.0 feed of (page URL, document) items, newest first."""
    parts = []
    for n, (url, doc) in enumerate(items):
        lead = doc["text"].split("\n")[0]  # cut before escaping: never inside an entity
        when = format_datetime(PUBLISHED - timedelta(minutes=17 * n), usegmt=True)
        parts.append(
            f"<item><title>{escape(lead[:80])}</title><link>{escape(url)}</link>"
            f"<guid isPermaLink='true'>{escape(url)}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape('<p>' + escape(lead) + '</p>')}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(outlet)}</title><link>https://example.invalid/</link>"
        f"<description>news</description>{''.join(parts)}</channel></rss>"
    ).encode()


class Sites:
    """FEEDS feeds of ENTRIES entries over HOSTS loopback servers, 127.0.0.1 onwards:
    feed i is on host i mod HOSTS, with an ETag its server answers 304 to; entry j of
    feed i links to a page of DOCS[(i * ENTRIES + j) mod len(DOCS)]."""

    def __init__(self, hosts: int, feeds: int, entries: int, docs: Sequence[dict[str, str]]):
        self.servers = [LoopbackServer(f"127.0.0.{k + 1}") for k in range(hosts)]
        self.n_feeds = feeds
        self.entries = entries
        self.docs = docs

    def __enter__(self) -> Sites:
        for server in self.servers:
            server.start()
            server.route("/robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
        for i in range(self.n_feeds):
            server = self.server(i)
            outlet = self.outlet(i)
            items = []
            for j in range(self.entries):
                doc = self.docs[(i * self.entries + j) % len(self.docs)]
                path = f"/news/{i:04d}/{j:03d}-{doc['doc_id'].removesuffix('.xml')}.html"
                server.route(path, Reply.html(page_html(doc, outlet)))
                items.append((server.url(path), doc))
            server.route(f"/feeds/{i:04d}.xml", _feed_route(rss(outlet, items), f'"f{i}-v1"'))
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.stop()

    def server(self, i: int) -> LoopbackServer:
        return self.servers[i % len(self.servers)]

    def outlet(self, i: int) -> str:
        return f"Loopback Daily {i % len(self.servers) + 1}"

    def feed_url(self, i: int) -> str:
        return self.server(i).url(f"/feeds/{i:04d}.xml")

    def log(self, since: float) -> list[Request]:
        """Every request the servers got from `since` (time.monotonic()), in arrival order,
        each with its server's address in `headers["host"]`."""
        seen = [r for server in self.servers for r in server.requests() if r.time >= since]
        return sorted(seen, key=lambda r: r.time)


def _feed_route(body: bytes, etag: str) -> Any:
    def reply(request: Request) -> Reply:
        if request.header("if-none-match") == etag:
            return Reply(status=304, body=b"", content_type=None, headers={"ETag": etag})
        return Reply.xml(body, headers={"ETag": etag})

    return reply


def _host(request: Request) -> str:
    return (request.header("host") or "").rsplit(":", 1)[0]


# ------------------------------------------------------------ the bound


def politeness_bound(hosts: Sequence[str], delay: float) -> float:
    """Seconds the per-host rule alone needs for requests to HOSTS in this order, one at
    a time, if each took no time: a host's next request starts DELAY after its previous
    one ends; a host's first request does not wait."""
    now = 0.0
    last: dict[str, float] = {}
    for host in hosts:
        if host in last:
            now = max(now, last[host] + delay)
        last[host] = now
    return now


def best_order_bound(hosts: Sequence[str], delay: float) -> float:
    """The same for the best order of the same requests: the busiest host's chain."""
    return max(((n - 1) * delay for n in Counter(hosts).values()), default=0.0)


class Waits:
    """The fetcher's `sleep`: sleeps, and adds up the seconds spent waiting for turns."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, seconds: float) -> None:
        t = time.perf_counter()
        time.sleep(seconds)
        self.seconds += time.perf_counter() - t
        self.count += 1


class TimedFetcher(Fetcher):
    """A Fetcher that adds up the seconds spent inside `fetch` (waits included)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.seconds = 0.0
        self.calls = 0

    def fetch(
        self,
        url: str,
        *,
        kind: FetchKind = "page",
        etag: str | None = None,
        last_modified: str | None = None,
        previous_hash: str | None = None,
    ) -> FetchResult:
        t = time.perf_counter()
        try:
            return super().fetch(
                url,
                kind=kind,
                etag=etag,
                last_modified=last_modified,
                previous_hash=previous_hash,
            )
        finally:
            self.seconds += time.perf_counter() - t
            self.calls += 1


@contextmanager
def measured(waits: Waits, out: dict[str, float]) -> Iterator[None]:
    """Wall, waiting and process CPU seconds of the block, into OUT."""
    t, w, cpu = time.perf_counter(), waits.seconds, time.process_time()
    yield
    out["seconds"] = time.perf_counter() - t
    out["waiting_s"] = waits.seconds - w
    out["cpu_s"] = time.process_time() - cpu


def _phase(
    numbers: dict[str, float], log: Sequence[Request], delay: float, items: int, unit: str
) -> dict[str, float | None]:
    hosts = [_host(r) for r in log]
    bound = politeness_bound(hosts, delay)
    working = numbers["seconds"] - numbers["waiting_s"]
    return {
        unit: items,
        "requests": len(log),
        "seconds": numbers["seconds"],
        f"{unit}_per_s": items / numbers["seconds"],
        "bound_s": bound,
        "ratio_to_bound": numbers["seconds"] / bound if bound else None,
        "best_order_bound_s": best_order_bound(hosts, delay),
        "waiting_s": numbers["waiting_s"],
        "not_waiting_s": working,
        "not_waiting_ms_per_request": 1000 * working / max(len(log), 1),
        "cpu_s": numbers["cpu_s"],
    }


# ------------------------------------------------------------ part 1: fetching


def fetch_once(args: argparse.Namespace, docs: Sequence[dict[str, str]]) -> dict[str, Any]:
    """A fresh pass (feeds, then pages host by host in turn) and an unchanged one, with
    a new Fetcher and new servers."""
    waits = Waits()
    fresh_feeds: dict[str, float] = {}
    fresh_pages: dict[str, float] = {}
    unchanged: dict[str, float] = {}
    failed: Counter[str] = Counter()
    with (
        Sites(args.hosts, args.feeds, args.entries, docs) as sites,
        Fetcher(
            min_host_delay=args.delay, timeout=TIMEOUT_S, allow_private=True, sleep=waits
        ) as fetcher,
    ):
        start = time.monotonic()
        validators: list[tuple[str, FetchResult]] = []
        queues: dict[str, deque[str]] = {}
        with measured(waits, fresh_feeds):
            for i in range(args.feeds):
                url = sites.feed_url(i)
                result = fetcher.fetch(url, kind="feed")
                if not result.ok or result.body is None:
                    failed[f"feed {result.error}"] += 1
                    continue
                validators.append((url, result))
                for entry in parse_feed(result.body, result.final_url, result.content_type).entries:
                    if entry.url:
                        queues.setdefault(urlsplit(entry.url).netloc, deque()).append(entry.url)
        pages_from = time.monotonic()
        pages = page_bytes = 0
        with measured(waits, fresh_pages):
            while any(queues.values()):
                for queue in queues.values():  # the hosts in turn
                    if queue:
                        result = fetcher.fetch(queue.popleft(), kind="page")
                        if result.ok and result.body is not None:
                            pages += 1
                            page_bytes += len(result.body)
                        else:
                            failed[f"page {result.error}"] += 1
        waits_fresh = waits.count
        time.sleep(args.delay)  # untimed: every host's turn is free when the next pass starts
        again_from = time.monotonic()
        not_modified = 0
        with measured(waits, unchanged):
            for url, before in validators:
                result = fetcher.fetch(
                    url,
                    kind="feed",
                    etag=before.etag,
                    last_modified=before.last_modified,
                    previous_hash=before.body_hash,
                )
                if result.ok and result.status == 304:
                    not_modified += 1
                else:
                    failed[f"unchanged feed status {result.status} {result.error}"] += 1
        log = sites.log(start)
    feeds_log = [r for r in log if r.time < pages_from]
    pages_log = [r for r in log if pages_from <= r.time < again_from]
    again_log = [r for r in log if r.time >= again_from]
    whole = {key: fresh_feeds[key] + fresh_pages[key] for key in ("seconds", "waiting_s", "cpu_s")}
    fresh = _phase(whole, feeds_log + pages_log, args.delay, len(validators) + pages, "items")
    return {
        "fresh_feeds": _phase(fresh_feeds, feeds_log, args.delay, len(validators), "feeds"),
        "fresh_pages": _phase(fresh_pages, pages_log, args.delay, pages, "pages")
        | {"robots_requests": sum(1 for r in pages_log if r.path == "/robots.txt")},
        "fresh_pass": fresh | {"turn_waits": waits_fresh},
        "unchanged_feeds": _phase(unchanged, again_log, args.delay, not_modified, "feeds")
        | {"answered_304": not_modified},
        "page_kb_mean": page_bytes / max(pages, 1) / 1000,
        "failed": dict(failed),
    }


def _median(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Key by key, the median of numbers (rounded) and the first run's other values."""
    out: dict[str, Any] = {}
    for key, first in runs[0].items():
        if isinstance(first, dict):
            out[key] = _median([r[key] for r in runs]) if first else {}
        elif isinstance(first, bool) or not isinstance(first, int | float):
            out[key] = first
        else:
            value = statistics.median(r[key] for r in runs)
            out[key] = (
                int(value) if isinstance(first, int) and value == int(value) else round(value, 3)
            )
    return out


# ------------------------------------------------------------ part 2: the watcher


def watch_once(
    args: argparse.Namespace, docs: Sequence[dict[str, str]], tmp: Path
) -> dict[str, Any]:
    """One pass of a Watcher over WATCH_FEEDS new feeds into a fresh SQLite store."""
    n = args.watch_feeds * args.watch_entries
    chosen = random.Random(11).sample(list(docs), min(n, len(docs)))
    waits = Waits()
    with Sites(args.hosts, args.watch_feeds, args.watch_entries, chosen) as sites:
        store = Store(f"sqlite:///{tmp / 'watch.db'}")
        SourceLog(store).add_feeds(
            {sites.feed_url(i): sites.outlet(i) for i in range(args.watch_feeds)}
        )
        fetcher = TimedFetcher(
            min_host_delay=args.delay, timeout=TIMEOUT_S, allow_private=True, sleep=waits
        )
        watcher = Watcher(store, fetcher, interval=900.0, rng=lambda: 0.5)
        start = time.monotonic()
        numbers: dict[str, float] = {}
        with measured(waits, numbers):
            stats = watcher.poll()
        store.close()
        fetcher.close()
        log = sites.log(start)
    hosts = [_host(r) for r in log]
    total = numbers["seconds"]
    fetch_s = fetcher.seconds
    analysis = total - fetch_s
    stages = {k: round(v, 2) for k, v in watcher.timings.items()}
    bound = politeness_bound(hosts, args.delay)
    best = best_order_bound(hosts, args.delay)
    return {
        "feeds": args.watch_feeds,
        "entries_per_feed": args.watch_entries,
        "feeds_fetched": stats.feeds_fetched,
        "entries_new": stats.entries_new,
        "pages_fetched": stats.pages_fetched,
        "articles": stats.articles,
        "new_articles": stats.new_articles,
        "errors": len(stats.errors),
        "error_messages": [f"{e.input}: {e.error}" for e in stats.errors[:5]],
        "requests": len(log),
        "seconds": round(total, 2),
        "articles_per_s": round(stats.articles / total, 2),
        "fetch": {
            "seconds": round(fetch_s, 2),
            "share": round(fetch_s / total, 3),
            "waiting_s": round(waits.seconds, 2),
            "requests_s": round(fetch_s - waits.seconds, 2),
            "bound_s": round(bound, 2),
            "ratio_to_bound": round(fetch_s / bound, 3) if bound else None,
            "best_order_bound_s": round(best, 2),
            "own_order_over_best_order": round(bound / best, 1) if best else None,
        },
        "rest": {
            "seconds": round(analysis, 2),
            "share": round(analysis / total, 3),
            "stages_s": stages,
            "outside_stages_s": round(analysis - sum(watcher.timings.values()), 2),
            "articles_per_s": round(stats.articles / analysis, 2),
        },
        "cpu_s": round(numbers["cpu_s"], 2),
    }


# ------------------------------------------------------------ part 3: WARC


def warc_part(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """bench/warc.py's crawl: read `--repeat` times, and a small one analyzed once."""
    pages = load_pages()
    big = tmp / "crawl.warc.gz"
    t = time.perf_counter()
    written_records = write_crawl(big, pages, args.warc_pages)
    written = time.perf_counter() - t
    size = big.stat().st_size
    runs = [read_once(big) for _ in range(args.repeat)]
    big.unlink()
    seconds = statistics.median(run["seconds"] for run in runs)
    counts = runs[0]["counts"]
    read = {
        "pages": args.warc_pages,
        "records": counts["records"],
        "records_written": written_records,
        "counts": counts,
        "errors": runs[0]["errors"],
        "gzipped_mb": round(size / 1e6, 1),
        "write_s": round(written, 1),
        "median_s": round(seconds, 2),
        "median_cpu_s": round(statistics.median(run["cpu_seconds"] for run in runs), 2),
        "records_per_s": round(counts["records"] / seconds, 1),
        "pages_per_s": round(counts.get("pages", 0) / seconds, 1),
        "gzipped_mb_per_s": round(size / 1e6 / seconds, 1),
    }
    small = tmp / "small.warc.gz"
    small_records = write_crawl(small, pages, args.warc_pipeline_pages)
    whole = {
        "pages": args.warc_pipeline_pages,
        "records": small_records,
        "distinct_pages": len(pages),
        **analyze_once(small, tmp / "warc.db"),
    }
    return {"read": read, "pipeline": whole}


# ------------------------------------------------------------ the report


def _print_fetch(fetch: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\n1. fetching: {args.feeds} feeds x {args.entries} entries over {args.hosts} "
        f"hosts, delay {args.delay:g} s, Fetcher in one thread, median of {args.repeat}"
    )
    print(
        f"{'pass':<22} {'requests':>8} {'seconds':>8} {'per s':>13} {'bound s':>8} "
        f"{'ratio':>6} {'waiting s':>9} {'ms/req not waiting':>19}"
    )
    rows = [
        ("fresh: feeds", fetch["fresh_feeds"], "feeds"),
        ("fresh: pages + robots", fetch["fresh_pages"], "pages"),
        ("fresh: whole pass", fetch["fresh_pass"], "items"),
        ("unchanged: feeds, 304", fetch["unchanged_feeds"], "feeds"),
    ]
    for name, row, unit in rows:
        rate = f"{row[f'{unit}_per_s']:.1f} {unit}"
        ratio = "-" if row["ratio_to_bound"] is None else f"{row['ratio_to_bound']:.3f}"
        print(
            f"{name:<22} {row['requests']:>8} {row['seconds']:>8.2f} {rate:>13} "
            f"{row['bound_s']:>8.2f} {ratio:>6} {row['waiting_s']:>9.2f} "
            f"{row['not_waiting_ms_per_request']:>19.2f}"
        )
    if fetch["failed_all_runs"]:
        print(f"  failures, all runs: {fetch['failed_all_runs']}")


def _print_watch(watch: dict[str, Any], args: argparse.Namespace) -> None:
    fetch, rest = watch["fetch"], watch["rest"]
    print(
        f"\n2. watcher: one poll, {watch['feeds']} feeds x {watch['entries_per_feed']} "
        f"entries over {args.hosts} hosts, delay {args.delay:g} s, fresh SQLite store, one run"
    )
    print(
        f"  {watch['articles']} articles ({watch['pages_fetched']} pages, {watch['requests']} "
        f"requests, {watch['errors']} errors) in {watch['seconds']:.1f} s: "
        f"{watch['articles_per_s']:.2f} articles/s end to end"
    )
    print(
        f"  in fetch: {fetch['seconds']:.1f} s ({fetch['share']:.0%}), of which waiting for "
        f"turns {fetch['waiting_s']:.1f} s; bound for its order {fetch['bound_s']:.1f} s "
        f"(ratio {fetch['ratio_to_bound']}), best order {fetch['best_order_bound_s']:.1f} s"
    )
    stages = ", ".join(f"{k} {v:.1f}" for k, v in rest["stages_s"].items())
    print(
        f"  the rest: {rest['seconds']:.1f} s ({rest['share']:.0%}, "
        f"{rest['articles_per_s']:.1f} articles/s): {stages}, outside the stages "
        f"{rest['outside_stages_s']:.1f}"
    )


def _print_warc(warc: dict[str, Any], args: argparse.Namespace) -> None:
    read, whole = warc["read"], warc["pipeline"]
    print(
        f"\n3. WARC: read {read['records']:,} records ({read['pages']:,} pages, "
        f"{read['gzipped_mb']} MB gzipped), median of {args.repeat}: "
        f"{read['records_per_s']:,.0f} records/s, {read['pages_per_s']:,.0f} pages/s"
    )
    print(
        f"  analyzed {whole['articles']} articles from {whole['pages']} pages "
        f"({whole['copies']} copies), one run: {whole['articles_per_s']} articles/s "
        f"({whole['seconds']['total']} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.2, help="min_host_delay, seconds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--watch-feeds", type=int, default=20)
    parser.add_argument("--watch-entries", type=int, default=10)
    parser.add_argument("--warc-pages", type=int, default=5_000)
    parser.add_argument("--warc-pipeline-pages", type=int, default=500)
    parser.add_argument("--parts", default=",".join(PARTS), help="of " + ",".join(PARTS))
    parser.add_argument("--note", default="", help="stored in the results (machine load...)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown parts {sorted(unknown)}")
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be 1 to 254 (127.0.0.1 onwards)")
    if not ECB.is_file() or ("warc" in parts and not (WARC_DATA / "ground-truth.json").is_file()):
        print(f"needs the ECB+ documents at {ECB} and the pages at {WARC_DATA}", file=sys.stderr)
        return 2
    load = os.getloadavg()
    docs = load_docs()
    summary: dict[str, Any] = {
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs",
        "load_average_at_start": [round(x, 2) for x in load],
        "note": args.note,
        "settings": {
            "feeds": args.feeds,
            "entries_per_feed": args.entries,
            "hosts": args.hosts,
            "min_host_delay_s": args.delay,
            "timeout_s": TIMEOUT_S,
            "watch_feeds": args.watch_feeds,
            "watch_entries_per_feed": args.watch_entries,
            "warc_pages": args.warc_pages,
            "warc_pipeline_pages": args.warc_pipeline_pages,
        },
        "repeat": {
            "fetch": args.repeat,
            "watch": 1,
            "warc_read": args.repeat,
            "warc_pipeline": 1,
            "statistic": "median over the runs",
        },
        "bound": "seconds the per-host rule alone needs for the requests the servers saw, "
        "in their arrival order, if each took no time (a host's requests min_host_delay "
        "apart, its first free); best_order_bound_s: the busiest host's requests less one, "
        "times the delay",
    }
    print(
        f"load average {load[0]:.2f}; {len(docs)} ECB+ documents; parts: {', '.join(parts)}",
        flush=True,
    )
    if "fetch" in parts:
        runs = []
        for r in range(args.repeat):
            runs.append(fetch_once(args, docs))
            row = runs[-1]["fresh_pass"]
            print(
                f"fetch run {r + 1}: fresh pass {row['seconds']:.1f} s "
                f"(bound {row['bound_s']:.1f} s), unchanged pass "
                f"{runs[-1]['unchanged_feeds']['seconds']:.2f} s",
                flush=True,
            )
        failed: Counter[str] = Counter()
        for run in runs:
            failed.update(run.pop("failed"))
        summary["fetch"] = _median(runs) | {"failed_all_runs": dict(failed)}
    with tempfile.TemporaryDirectory() as tmp:
        if "watch" in parts:
            summary["watch"] = watch_once(args, docs, Path(tmp))
            print(f"watch: {summary['watch']['seconds']:.1f} s", flush=True)
        if "warc" in parts:
            summary["warc"] = warc_part(args, Path(tmp))
    if "fetch" in summary:
        _print_fetch(summary["fetch"], args)
    if "watch" in summary:
        _print_watch(summary["watch"], args)
    if "warc" in summary:
        _print_warc(summary["warc"], args)
    write_results(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
