"""Stage 3, deduplicate: exact copies by content hash, near copies by MinHash + LSH.

Copies are grouped (union-find over matching pairs) and every group gets one
original: the earliest published, then the one whose outlet is the credited
original source (AFP's own copy of an AFP story), then the smallest id. Every other
member points at it with `duplicate_of` and its exact shingle similarity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xxhash
from numpy.typing import NDArray
from rensa import RMinHash, RMinHashLSH

from crosswire.model import Article, published_instant
from crosswire.unionfind import UnionFind

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupConfig:
    shingle: int = 5
    # 3 rows a band: a trimmed copy at Jaccard 0.5 is missed with p ~ 0.5%, at 0.4 with
    # p ~ 7%, while unrelated pairs (Jaccard ~0.01) almost never become candidates.
    num_perm: int = 120
    num_bands: int = 40
    lsh_threshold: float = 0.5
    # A copy either shares most shingles with its original (light edits), or is a
    # trimmed republication that the original almost wholly contains.
    min_jaccard: float = 0.7
    min_containment: float = 0.85
    min_shingles: int = 20  # below this, containment is meaningless (a one-line blurb)
    seed: int = 7


def normalize(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content_hash(text: str) -> str:
    """Hash of normalized text: equal for copies differing only in case, spacing, punctuation."""
    return xxhash.xxh3_64_hexdigest(" ".join(normalize(text)).encode())


def shingles(tokens: Sequence[str], k: int) -> list[str]:
    if len(tokens) < k:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)]


def hash_set(grams: Sequence[str]) -> NDArray[np.uint64]:
    """Sorted unique 64-bit hashes: 8 bytes a shingle instead of a Python string."""
    return np.unique(
        np.fromiter((xxhash.xxh3_64_intdigest(g.encode()) for g in grams), dtype=np.uint64)
    )


def published_key(published: str | None) -> float:
    """Sortable timestamp; unknown times sort last, date-only values as midnight UTC."""
    moment = published_instant(published)
    return float("inf") if moment is None else moment.timestamp()


def sketch(text: str, cfg: DedupConfig) -> tuple[str, list[str], NDArray[np.uint64]]:
    """Content hash, shingles and their hash set of one text: what both the batch and
    the streaming index (`dedup/index.py`) compute per article, so they cannot drift."""
    tokens = normalize(text)
    digest = xxhash.xxh3_64_hexdigest(" ".join(tokens).encode())
    grams = shingles(tokens, cfg.shingle)
    return digest, grams, hash_set(grams)


def minhash(grams: Sequence[str], cfg: DedupConfig) -> RMinHash:
    mh = RMinHash(num_perm=cfg.num_perm, seed=cfg.seed)
    mh.update(grams)
    return mh


def overlap(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> tuple[float, float]:
    """Exact Jaccard of two shingle hash sets, and the share of the smaller one contained."""
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    smaller = min(len(a), len(b))
    return (inter / union if union else 0.0), (inter / smaller if smaller else 0.0)


def is_copy(a: NDArray[np.uint64], b: NDArray[np.uint64], cfg: DedupConfig) -> bool:
    """The verification of an LSH candidate pair."""
    jaccard, containment = overlap(a, b)
    return jaccard >= cfg.min_jaccard or containment >= cfg.min_containment


def original_rank(article: Article) -> tuple[float, int, str]:
    """Which member of a group is its original: the smallest of these keys (earliest
    published, then the credited source's own copy, then the smallest id)."""
    own = (
        article.original_source is not None
        and article.outlet is not None
        and article.original_source.casefold() == article.outlet.casefold()
    )
    return (published_key(article.published), 0 if own else 1, article.id)


def find_duplicates(articles: Sequence[Article], config: DedupConfig | None = None) -> int:
    """Set `duplicate_of` and `similarity` on every copy; return the number of copies."""
    cfg = config or DedupConfig()
    n = len(articles)
    uf = UnionFind(n)
    sets: list[NDArray[np.uint64]] = []
    by_hash: dict[str, int] = {}
    lsh = RMinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm, num_bands=cfg.num_bands)
    for i, article in enumerate(articles):
        digest, grams, sh = sketch(article.text, cfg)
        sets.append(sh)
        if digest in by_hash:
            uf.union(by_hash[digest], i)
            continue
        by_hash[digest] = i
        if len(sh) < cfg.min_shingles:
            continue
        mh = minhash(grams, cfg)
        for j in sorted(lsh.query(mh)):
            if is_copy(sh, sets[j], cfg):
                uf.union(i, j)
        lsh.insert(i, mh)

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(uf.find(i), []).append(i)
    copies = 0
    for members in groups.values():
        for i in members:
            articles[i].duplicate_of = None
            articles[i].similarity = None
        if len(members) < 2:
            continue
        original = min(members, key=lambda i: original_rank(articles[i]))
        for i in members:
            if i == original:
                continue
            jaccard, _ = overlap(sets[i], sets[original])
            articles[i].duplicate_of = articles[original].id
            articles[i].similarity = round(jaccard, 4)
            copies += 1
    return copies
