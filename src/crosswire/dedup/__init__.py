"""Stage 3, deduplicate: exact and near-duplicate copies point at their original."""

from crosswire.dedup.near import DedupConfig, content_hash, find_duplicates

__all__ = ["DedupConfig", "content_hash", "find_duplicates"]
