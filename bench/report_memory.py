"""Peak memory of writing report.json / .md / .html as the corpus grows.

The example corpus is analyzed once; its report is then replicated k times (fresh
article, story and claim ids, so nothing is shared) into reports of 50 x k articles,
and each is written in a fresh subprocess: its RSS with the report loaded, then its
peak RSS during `write_reports` (peak reset through /proc/self/clear_refs, Linux).
The figure that matters is the writer's own share, the difference, per article.

    python bench/report_memory.py [--scales 20,80,320] [--repeat 3]

Prints a table and writes bench/results/report_memory.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "report_memory.json"


def base_report() -> dict[str, Any]:
    from crosswire import pipeline

    result = pipeline.analyze([ROOT / "examples" / "corpus"])
    return result.report


def replicate(report: dict[str, Any], k: int) -> dict[str, Any]:
    """K copies of REPORT whose ids never collide (text keeps its length)."""
    text = json.dumps({"stories": report["stories"], "articles": report["articles"]})
    ids = sorted(
        {a["id"] for a in report["articles"]} | {s["id"] for s in report["stories"]},
        key=len,
        reverse=True,
    )
    stories: list[Any] = []
    articles: list[Any] = []
    for n in range(k):
        copy = text
        for old in ids:
            copy = copy.replace(old, f"{old[:-4]}{n:04x}")
        part = json.loads(copy)
        stories.extend(part["stories"])
        articles.extend(part["articles"])
    return {**report, "stories": stories, "articles": articles}


def child(path: str, out: str) -> None:
    from crosswire.report import write_reports

    report = json.loads(Path(path).read_text(encoding="utf-8"))
    gc.collect()
    # reset the peak (VmHWM) to the current RSS, so the peak read after is the write's
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    write_reports(report, Path(out))
    after = _status_kb("VmHWM")
    print(json.dumps({"before_kb": before, "after_kb": after}))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="20,80,320")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = base_report()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in (int(x) for x in args.scales.split(",")):
            report = replicate(base, k)
            path = Path(tmp) / f"r{k}.json"
            path.write_text(json.dumps(report), encoding="utf-8")
            runs = []
            for _ in range(args.repeat):
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), str(Path(tmp) / "out")],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            writer_mb = statistics.median((r["after_kb"] - r["before_kb"]) / 1024 for r in runs)
            peak_mb = statistics.median(r["after_kb"] / 1024 for r in runs)
            n = len(report["articles"])
            rows.append(
                {
                    "articles": n,
                    "report_json_mb": round(path.stat().st_size / 2**20, 1),
                    "peak_rss_mb": round(peak_mb, 1),
                    "writer_mb": round(writer_mb, 1),
                    "writer_kb_per_article": round(writer_mb * 1024 / n, 2),
                }
            )
            print(rows[-1], flush=True)
    result = {
        "bench": "report_memory",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "repeat": args.repeat,
        "statistic": "median",
        "rows": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
