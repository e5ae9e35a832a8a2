"""What the streaming story stage decides, and how it is configured.

`StoryIndex.assign` returns an `Assignment`; a caller applies it: sets `article.story`,
renames every article of a `Merge.replaced` story to `Merge.survivor` (and keeps the
alias, as the store's `story_aliases` does), puts the articles of each `Move` in its
target story, and marks `retired` stories final.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import xxhash

from crosswire.model import Article
from crosswire.stories.cluster import sort_time
from crosswire.stories.features import FeatureWeights
from crosswire.stories.graph import GraphConfig


@dataclass(frozen=True, slots=True)
class StreamConfig:
    """One configuration for every corpus; the similarity parts are the batch's."""

    weights: FeatureWeights = field(default_factory=FeatureWeights)
    # grace, decay and edge floor as in batch; the active window is their reach
    graph: GraphConfig = field(default_factory=GraphConfig)
    threshold: float = 0.2
    # measured (stream B-cubed F1 ECB+ / AllSides, merges made): 0.2: 0.872 / 0.870
    # (19 / 18), 0.25: 0.878 / 0.871 (3 / 3), 0.3 and up: 0.871 / 0.870 (none)
    merge_threshold: float = 0.25
    # a story that gains an original checks its members again while it has at most this
    # many (each check is one query of the index): past it, one more member does not
    # change who belongs, and a large story's check would cost more than its arrival
    refine_max: int = 32
    idle_originals: int = 20_000
    # member norms are recomputed with the current IDF when the originals grow this much
    refresh_growth: float = 1.1
    max_terms: int = 2_000_000

    def window_days(self) -> float:
        return self.graph.reach_days()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StreamConfig:
        rest = {k: v for k, v in data.items() if k not in ("weights", "graph")}
        return cls(FeatureWeights(**data["weights"]), GraphConfig(**data["graph"]), **rest)


@dataclass(frozen=True, slots=True)
class Merge:
    """Story REPLACED is part of SURVIVOR from now on; its old id resolves to SURVIVOR."""

    survivor: str
    replaced: str
    # mean edge weight between the two stories when they merged
    score: float


@dataclass(frozen=True, slots=True)
class Move:
    """An original placed earlier (ARTICLES: it and its copies) is nearer another active
    story now that its own has grown: it leaves SOURCE for TARGET."""

    articles: tuple[str, ...]
    source: str
    target: str
    # mean edge weight to the target, and to the rest of the source, when it moved
    score: float
    left: float


@dataclass(frozen=True, slots=True)
class Assignment:
    """What `StoryIndex.assign` decided for one article."""

    article: str
    # the story the article is in after this decision (after any merges)
    story: str
    # mean edge weight to the story it joined; 0.0 when it started one, 1.0 for a copy
    score: float
    new: bool = False
    copy_of: str | None = None
    # the article was already in the index: nothing changed
    repeated: bool = False
    merges: tuple[Merge, ...] = ()
    # members of the story this article joined that moved to another story, in order
    moves: tuple[Move, ...] = ()
    # stories that left the active window at this arrival (final from now on)
    retired: tuple[str, ...] = ()


def story_id(founder: str) -> str:
    return "s-" + xxhash.xxh3_64_hexdigest(founder.encode("utf-8"))


def publication_order(articles: Sequence[Article]) -> list[int]:
    """Indices of ARTICLES in the order a stream takes them: publication time (undated
    last, then id), except that a copy comes right after the original it copies when
    both are here (at the later of the two times), so it can follow it. Taking every
    original first and every copy after them let the clock run past the originals'
    window, and a copy that found its original retired started a story of its own."""
    by_id = {a.id: a for a in articles}

    def key(article: Article) -> tuple[float, int, str]:
        seen = {article.id}
        when = sort_time(article.published)
        steps = 0
        node = article
        while (target := node.duplicate_of) in by_id and target not in seen:
            node = by_id[target]
            seen.add(target)
            when = max(when, sort_time(node.published))
            steps += 1
        return when, steps, article.id

    keys = [key(a) for a in articles]
    return sorted(range(len(articles)), key=keys.__getitem__)
