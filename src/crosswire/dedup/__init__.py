"""Stage 3, deduplicate: exact and near-duplicate copies point at their original.

`find_duplicates` marks the copies of one batch; `DedupIndex` decides for a stream,
against an index of the active window, with the same criterion."""

from crosswire.dedup.index import CopyDecision, DedupIndex, IndexConfig
from crosswire.dedup.near import DedupConfig, content_hash, find_duplicates

__all__ = [
    "CopyDecision",
    "DedupConfig",
    "DedupIndex",
    "IndexConfig",
    "content_hash",
    "find_duplicates",
]
