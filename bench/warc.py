"""Crawl archives as input: records/s read from a WARC.gz, articles/s through the pipeline.

The archive is built from the article-extraction benchmark's 91 real pages (read in
place from ../shared/data/extraction), repeated under distinct URLs and record ids,
with what a crawl also holds around them: a request record per page and, per ten
pages, three images, a JSON response, a redirect and a 404 page. Records are gzipped
one member each, at gzip's default level 6, as crawlers write them.

    python bench/warc.py [--pages 5000] [--pipeline-pages 500] [--repeat 3]

Ingest alone reads the big archive (`read_warc_path`, documents counted and dropped:
a 5,000-page crawl is about 1 GB of HTML); the whole pipeline (`pipeline.analyze` with
a SQLite store, as `crosswire analyze` runs it) reads a small one, since it runs at
tens of articles per second. Prints the figures and writes bench/results/warc.json.
The pipeline figure flatters: the 91 pages repeat, so most articles are exact copies,
which dedup links and claims never parse again.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import write_results

from crosswire import pipeline
from crosswire.ingest.warc import read_warc_path
from crosswire.model import InputError
from crosswire.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "extraction"
RESULTS = ROOT / "bench" / "results" / "warc.json"
WARC_DATE = "2024-05-01T12:00:00Z"


def load_pages() -> list[tuple[str, bytes]]:
    """(url, raw page bytes) of the benchmark's pages, in id order."""
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        (gold["url"], gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes()))
        for page_id, gold in sorted(truth.items())
    ]


def _response(
    builder: RecordBuilder, url: str, body: bytes, content_type: str, status: str = "200 OK"
) -> Any:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    return builder.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": WARC_DATE},
    )


def _request(builder: RecordBuilder, url: str) -> Any:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    http = StatusAndHeaders(
        f"GET {path or '/'} HTTP/1.1", [("Host", parts.netloc)], is_http_request=True
    )
    return builder.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)


def write_crawl(path: Path, pages: list[tuple[str, bytes]], n_pages: int, seed: int = 7) -> int:
    """A WARC.gz of `n_pages` pages plus their requests and assets; returns its records."""
    rng = random.Random(seed)
    image = rng.randbytes(20_000)  # compressed image data does not compress again
    builder = RecordBuilder()
    records = 0
    with path.open("wb") as out:

        def put(record: Any) -> None:
            nonlocal records
            member = io.BytesIO()
            WARCWriter(member, gzip=False).write_record(record)
            squeeze = zlib.compressobj(6, zlib.DEFLATED, 31)
            out.write(squeeze.compress(member.getvalue()) + squeeze.flush())
            records += 1

        put(builder.create_warcinfo_record(path.name, {"software": "crosswire bench/warc.py"}))
        for i in range(n_pages):
            url, raw = pages[i % len(pages)]
            url = f"{url}{'&' if '?' in url else '?'}copy={i}"
            site = "{0.scheme}://{0.netloc}".format(urlsplit(url))
            put(_request(builder, url))
            put(_response(builder, url, raw, "text/html; charset=utf-8"))
            if i % 10 in (1, 4, 7):
                put(_response(builder, f"{site}/img/{i}.jpg", image, "image/jpeg"))
            elif i % 10 == 2:
                put(_response(builder, f"{site}/api/{i}", b'{"related": []}', "application/json"))
            elif i % 10 == 5:
                put(_response(builder, f"{site}/r/{i}", b"", "text/html", "301 Moved Permanently"))
            elif i % 10 == 8:
                gone = b"<html><body><p>Not found</p></body></html>"
                put(_response(builder, f"{site}/gone/{i}", gone, "text/html", "404 Not Found"))
    return records


def read_once(path: Path) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    errors = 0
    html_chars = 0
    t = time.perf_counter()
    cpu = time.process_time()
    for item in read_warc_path(path, counts=counts):
        if isinstance(item, InputError):
            errors += 1
        else:
            html_chars += len(item.html or "")
    return {
        "seconds": time.perf_counter() - t,
        "cpu_seconds": time.process_time() - cpu,
        "counts": dict(sorted(counts.items())),
        "errors": errors,
        "html_chars": html_chars,
    }


def analyze_once(path: Path, db: Path) -> dict[str, Any]:
    """The whole pipeline over the archive at PATH into a fresh SQLite store at DB, as
    `crosswire analyze` runs it: what came out and the seconds per stage."""
    store = Store(f"sqlite:///{db}")
    t = time.perf_counter()
    result = pipeline.analyze([path], store=store)
    total = time.perf_counter() - t
    store.close()
    return {
        "articles": len(result.articles),
        "copies": sum(1 for a in result.articles if a.duplicate_of),
        "stories": len(result.stories),
        "errors": len(result.errors),
        "seconds": {k: round(v, 2) for k, v in (result.timings | {"total": total}).items()},
        "articles_per_s": round(len(result.articles) / total, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=5_000)
    parser.add_argument("--pipeline-pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (DATA / "ground-truth.json").is_file():
        print(f"needs the article-extraction pages at {DATA}", file=sys.stderr)
        return 2
    pages = load_pages()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "crawl.warc.gz"
        t = time.perf_counter()
        records = write_crawl(big, pages, args.pages)
        size = big.stat().st_size
        print(
            f"wrote {records:,} records ({args.pages:,} pages, {size / 1e6:.0f} MB gzipped) "
            f"in {time.perf_counter() - t:.1f}s"
        )
        runs = [read_once(big) for _ in range(args.repeat)]
        for r, run in enumerate(runs, start=1):
            print(f"ingest run {r}: {run['counts']['records'] / run['seconds']:,.0f} records/s")
        seconds = statistics.median(run["seconds"] for run in runs)
        first = runs[0]
        ingest = {
            "records": first["counts"]["records"],
            "pages": first["counts"].get("pages", 0),
            "counts": first["counts"],
            "errors": first["errors"],
            "gzipped_mb": round(size / 1e6, 1),
            "html_mchars": round(first["html_chars"] / 1e6, 1),
            "median_s": round(seconds, 2),
            "median_cpu_s": round(statistics.median(run["cpu_seconds"] for run in runs), 2),
            "records_per_s": round(first["counts"]["records"] / seconds, 1),
            "pages_per_s": round(first["counts"].get("pages", 0) / seconds, 1),
            "gzipped_mb_per_s": round(size / 1e6 / seconds, 1),
        }
        big.unlink()

        small = Path(tmp) / "small.warc.gz"
        small_records = write_crawl(small, pages, args.pipeline_pages)
        whole = {
            "pages": args.pipeline_pages,
            "records": small_records,
            "distinct_pages": len(pages),
            **analyze_once(small, Path(tmp) / "bench.db"),
        }
    summary = {
        "machine": f"{platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs",
        "ingest": ingest,
        "pipeline": whole,
    }
    print(
        f"ingest: {ingest['records_per_s']:,.0f} records/s, {ingest['pages_per_s']:,.0f} pages/s, "
        f"{ingest['gzipped_mb_per_s']} MB/s gzipped ({ingest['records']:,} records, "
        f"median of {args.repeat})"
    )
    print(
        f"pipeline: {whole['articles_per_s']} articles/s ({whole['articles']} articles, "
        f"{whole['copies']} copies, {whole['seconds']['total']}s)"
    )
    write_results(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
