"""Latency of the web app over a store of 20,000 stories, under a bounded loopback load.

The store is filled without running the NLP pipeline 20,000 times: examples/corpus is
analyzed once (10 real stories, 50 articles, their claims, facets and entities), then
copied over and over with fresh ids, its times moved (three hours a copy, so the
stories spread over most of a year), its outlets spread over 45 names and a word of
a place list added to each headline, and written through `Store.save_articles` /
`save_stories`: the same rows, search index included, a pipeline run would write.

`crosswire serve` then runs in its own process and CLIENTS threads request, each kind
in turn: story list pages (with and without filters), searches, and story pages.

    python bench/web.py [--stories 20000] [--requests 300] [--clients 4] [--workers 1]
                        [--repeat 3] [--store PATH]   # PATH: filled once, then reused

Prints p50 / p99 per kind (medians over the runs) and writes bench/results/web.json;
the bar is p99 < 200 ms.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import typing
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from crosswire import model, pipeline
from crosswire.model import Article, Story, from_dict, to_plain
from crosswire.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "web.json"
CORPUS = ROOT / "examples" / "corpus"
BAR_MS = 200.0
PLACES = [
    "Lisbon",
    "Oslo",
    "Nairobi",
    "Lima",
    "Kochi",
    "Gdansk",
    "Reykjavik",
    "Santiago",
    "Hanoi",
    "Dakar",
    "Quito",
    "Tunis",
    "Manila",
    "Accra",
    "Bergen",
    "Cusco",
    "Mombasa",
    "Recife",
    "Tromso",
    "Cebu",
    "Arica",
    "Kiel",
    "Porto",
    "Faro",
]
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?")
_ID = re.compile(r"\b([as])-([0-9a-f]{16})\b")


def _shift(text: str, hours: int) -> str:
    def move(match: re.Match[str]) -> str:
        try:
            moment = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
        except ValueError:
            return match.group(0)
        return (moment + timedelta(hours=hours)).isoformat()

    return _ISO.sub(move, text)


def _copy(data: Any, k: int, outlets: dict[str, str]) -> Any:
    """DATA (plain JSON) as copy K: ids, times and outlet names its own."""
    text = json.dumps(data)
    text = _ID.sub(
        lambda m: (
            f"{m.group(1)}-{(int(m.group(2), 16) ^ (k * 0x9E3779B97F4A7C15)) & (2**64 - 1):016x}"
        ),
        text,
    )
    text = _shift(text, 3 * k)
    for old, new in outlets.items():
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    return json.loads(text)


def fill(url: str, stories_wanted: int) -> dict[str, Any]:
    # `from_dict` asks typing for a dataclass's hints on every object it builds, which
    # is most of this loop's time; the hints never change, so ask once per class
    model.get_type_hints = functools.cache(typing.get_type_hints)  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as tmp:
        seed = Store(f"sqlite:///{Path(tmp) / 'seed.db'}")
        pipeline.analyze([CORPUS], store=seed)
        articles, stories = seed.load_articles(), seed.load_stories()
        seed.close()
    plain_articles = [to_plain(a) for a in articles]
    plain_stories = [to_plain(s) for s in stories]
    names = sorted({a.outlet for a in articles if a.outlet})
    store = Store(url)
    started = time.perf_counter()
    copies = -(-stories_wanted // len(stories))
    batch_articles: list[Article] = []
    batch_stories: list[Story] = []
    saved = 0
    for k in range(copies):
        outlets = {name: f"{name} {k % 5}" if k % 5 else name for name in names}
        place = PLACES[k % len(PLACES)]
        for data in plain_articles:
            batch_articles.append(from_dict(Article, _copy(data, k, outlets)))
        for data in plain_stories:
            story = from_dict(Story, _copy(data, k, outlets))
            story.headline = f"{story.headline} ({place})"
            batch_stories.append(story)
        if len(batch_stories) >= 500 or k == copies - 1:
            store.save_articles(batch_articles)
            store.save_stories(batch_stories)
            saved += len(batch_stories)
            batch_articles, batch_stories = [], []
    filled = {
        "stories": store.count("stories"),
        "articles": store.count("articles"),
        "claims": store.count("claims"),
        "fill_s": round(time.perf_counter() - started, 1),
    }
    store.close()
    return filled


def _read_through(path: Path) -> None:
    """Read the store's file once, as a server that has run a while has it in the OS
    cache: on a cold cache (3.4 GB for 20,000 stories) the first read of a story's row
    is a disk read, and that, not the app, was the story page's p99 (one client alone:
    p99 365 ms on first touch, 28 ms on the second)."""
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            with name.open("rb") as handle:
                while handle.read(1 << 24):
                    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def load(base: str, paths: list[str], clients: int) -> list[float]:
    """Request PATHS from CLIENTS threads at once; each request's milliseconds."""
    times: list[float] = []
    lock = threading.Lock()
    queue = list(paths)

    def work() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                t = time.perf_counter()
                reply = client.get(path)
                elapsed = (time.perf_counter() - t) * 1000
                if reply.status_code != 200:
                    raise RuntimeError(f"{path}: {reply.status_code}")
                with lock:
                    times.append(elapsed)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300, help="per kind")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--repeat", type=int, default=3, help="runs; figures are medians")
    parser.add_argument("--store", type=Path, help="SQLite file: filled if new, else reused")
    parser.add_argument(
        "--cold", action="store_true", help="do not read the store's file once before"
    )
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "web.db"
        url = f"sqlite:///{path}"
        if path.exists():
            store = Store(url)
            filled = {t: store.count(t) for t in ("stories", "articles", "claims")}
            store.close()
            print(f"reusing {path}: {filled}", flush=True)
        else:
            print(f"filling a store with {args.stories:,} stories ...", flush=True)
            filled = fill(url, args.stories)
            print(f"  {filled}", flush=True)
        if not args.cold:
            _read_through(path)
        port = _free_port()
        crosswire = Path(sys.executable).with_name("crosswire")
        server = subprocess.Popen(
            [
                str(crosswire),
                "serve",
                "--db",
                url,
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            stdout=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if k != "CROSSWIRE_TOKEN"},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            ids = httpx.get(f"{base}/api/v1/stories", params={"limit": 100, "page": 7}).json()
            outlets = [o["name"] for o in httpx.get(f"{base}/api/v1/outlets").json()["outlets"]]
            story_ids = [s["id"] for s in ids["stories"]]
            for page in rng.sample(range(1, 200), 20):
                found = httpx.get(f"{base}/api/v1/stories", params={"limit": 100, "page": page})
                story_ids += [s["id"] for s in found.json()["stories"]]
            words = [
                "flood",
                "quake",
                "ferry",
                "strike",
                "battery",
                "Mekong",
                "volcano",
                "copper",
                "rail",
                "evacuated",
                "Porto",
                "minister",
                "police said",
                "Lisbon",
                "injured",
            ]
            kinds: dict[str, Callable[[], str]] = {
                "story list": lambda: rng.choice(
                    [
                        f"/?page={rng.randint(1, 200)}",
                        f"/?outlet={rng.choice(outlets)}&page={rng.randint(1, 5)}",
                        "/?has_conflicts=true",
                        f"/?since=2026-0{rng.randint(4, 9)}-01&until=2026-0{rng.randint(4, 9)}-28",
                    ]
                ),
                "search": lambda: (
                    f"/?q={rng.choice(words)}+{rng.choice(PLACES)}"
                    if rng.random() < 0.5
                    else f"/?q={rng.choice(words)}&page={rng.randint(1, 3)}"
                ),
                "story page": lambda: f"/stories/{rng.choice(story_ids)}",
                "api story list": lambda: f"/api/v1/stories?q={rng.choice(words)}&limit=20",
            }
            load(base, [kinds["story list"]() for _ in range(20)], args.clients)  # warm up
            runs: dict[str, list[list[float]]] = {kind: [] for kind in kinds}
            for _ in range(args.repeat):
                for kind, make in kinds.items():
                    paths = [make() for _ in range(args.requests)]
                    runs[kind].append(load(base, paths, args.clients))
            rows = {}
            for kind, timed in runs.items():
                # each figure is the median over the repeats of that figure in one run
                rows[kind] = {
                    "requests": sum(len(times) for times in timed),
                    "p50_ms": round(statistics.median(_p(t, 0.50) for t in timed), 1),
                    "p99_ms": round(statistics.median(_p(t, 0.99) for t in timed), 1),
                    "mean_ms": round(statistics.median(statistics.fmean(t) for t in timed), 1),
                    "max_ms": round(max(max(t) for t in timed), 1),
                    "p99_ms_per_run": [round(_p(t, 0.99), 1) for t in timed],
                }
        finally:
            server.terminate()
            server.wait(15)
    print(f"\n{'kind':<16} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, row in rows.items():
        print(
            f"{kind:<16} {row['requests']:>8} {row['p50_ms']:>8} "
            f"{row['p99_ms']:>8} {row['max_ms']:>8}"
        )
    worst = max(row["p99_ms"] for row in rows.values())
    verdict = "met" if worst < BAR_MS else "NOT met"
    print(f"\nworst p99 {worst} ms: the {BAR_MS:.0f} ms bar is {verdict}")
    RESULTS.write_text(
        json.dumps(
            {
                "machine": f"{platform.machine()} {platform.python_implementation()} "
                f"{platform.python_version()}, {os.cpu_count()} CPUs",
                "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                "settings": {
                    "stories": args.stories,
                    "requests_per_kind_per_run": args.requests,
                    "runs": args.repeat,
                    "clients": args.clients,
                    "backend": f"SQLite (WAL), uvicorn, {args.workers} server process(es)",
                    "os_cache": "cold" if args.cold else "store file read once before",
                },
                "store": filled,
                "latency": rows,
                "bar_p99_ms": BAR_MS,
                "met": worst < BAR_MS,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/api/v1/outlets", timeout=5)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    main()
