"""Average-linkage agglomerative clustering over a sparse similarity graph.

Average linkage (UPGMA) merges the two clusters whose mean pairwise similarity is
highest, until no pair reaches the threshold. Unlike single linkage it does not chain
"earthquake A ~ earthquake report ~ earthquake B" into one story. Pairs without an
edge count as similarity 0, which is what the edge floor of the graph approximates.
A heap with version stamps keeps it O(E log E) instead of the O(n^2) of a dense
implementation.
"""

from __future__ import annotations

import heapq

from crosswire.stories.features import FloatArray
from crosswire.stories.graph import IntArray

# (negated mean similarity, cluster a, cluster b, version of a, version of b)
_HeapEntry = tuple[float, int, int, int, int]


class _Clusters:
    """Mutable cluster state: sizes, summed similarities to neighbours, versions."""

    def __init__(self, n: int) -> None:
        self.size = [1] * n
        self.links: list[dict[int, float]] = [{} for _ in range(n)]
        self.version = [0] * n
        self.parent = list(range(n))

    def mean(self, a: int, b: int) -> float:
        return self.links[a][b] / (self.size[a] * self.size[b])

    def merge(self, a: int, b: int) -> int:
        """Fold the smaller of A and B into the larger; return the survivor."""
        keep, gone = (a, b) if len(self.links[a]) >= len(self.links[b]) else (b, a)
        keep_links = self.links[keep]
        keep_links.pop(gone, None)
        for neighbour, total in self.links[gone].items():
            if neighbour == keep:
                continue
            other = self.links[neighbour]
            del other[gone]
            merged = keep_links.get(neighbour, 0.0) + total
            keep_links[neighbour] = merged
            other[keep] = merged
        self.links[gone] = {}
        self.size[keep] += self.size[gone]
        self.size[gone] = 0
        self.version[keep] += 1
        self.version[gone] += 1
        self.parent[gone] = keep
        return keep

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item


def average_linkage(
    n: int, sources: IntArray, targets: IntArray, weights: FloatArray, threshold: float
) -> list[int]:
    """Cluster label per item (the smallest member index of its cluster)."""
    clusters = _Clusters(n)
    heap: list[_HeapEntry] = []
    for a, b, w in zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=True):
        if a == b:
            continue
        total = clusters.links[a].get(b, 0.0) + w
        clusters.links[a][b] = total
        clusters.links[b][a] = total
    for a in range(n):
        for b, total in clusters.links[a].items():
            if a < b and total >= threshold:
                heap.append((-total, a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if clusters.version[a] != version_a or clusters.version[b] != version_b:
            continue  # stale: one side has merged since this entry was pushed
        keep = clusters.merge(a, b)
        for neighbour in clusters.links[keep]:
            mean = clusters.mean(keep, neighbour)
            if mean >= threshold:
                low, high = min(keep, neighbour), max(keep, neighbour)
                heapq.heappush(
                    heap, (-mean, low, high, clusters.version[low], clusters.version[high])
                )
    roots = [clusters.root(item) for item in range(n)]
    smallest: dict[int, int] = {}
    for item, root in enumerate(roots):
        smallest.setdefault(root, item)
    return [smallest[root] for root in roots]
