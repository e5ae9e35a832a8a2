"""Union-find over 0..n-1, for the stages that merge things transitively (copies, names)."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets with path halving; the smaller index is always the root, so the
    grouping (and which member represents it) does not depend on union order."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
