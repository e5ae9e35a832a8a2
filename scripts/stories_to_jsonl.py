"""Convert the story gold sets to crosswire's eval JSONL, or time clustering at scale.

    python scripts/stories_to_jsonl.py OUTDIR           # writes ecbplus.jsonl, allsides.jsonl, ...
    python scripts/stories_to_jsonl.py --bench [N]      # clusters N synthetic originals + copies

Reads ../shared/data/stories_raw beside the repository (or STORIES_RAW_DIR).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from crosswire.eval.stories import gold_sets, time_clustering, write_jsonl

DEFAULT_RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories_raw"


def main(argv: list[str]) -> int:
    raw = Path(os.environ.get("STORIES_RAW_DIR", DEFAULT_RAW))
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    sets = gold_sets(raw)
    if not sets:
        print(f"error: no gold sets under {raw}", file=sys.stderr)
        return 2
    if argv[0] == "--bench":
        originals = int(argv[1]) if len(argv) > 1 else 10_000
        records = sets.get("ecbplus", []) + sets.get("allsides", [])
        print(json.dumps(time_clustering(records, originals)))
        return 0
    outdir = Path(argv[0])
    outdir.mkdir(parents=True, exist_ok=True)
    for name, records in sets.items():
        count = write_jsonl(records, outdir / f"{name}.jsonl")
        print(f"{outdir / name}.jsonl: {count} records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
