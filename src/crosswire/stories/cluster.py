"""Group articles into stories: originals are clustered, copies follow their original.

One fixed configuration serves every corpus: combined similarity (body, lead and
entity TF-IDF cosines), damped by the time between publications, then average linkage
with a fixed threshold over a sparse nearest-neighbour graph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import xxhash

from crosswire.model import Article, Story
from crosswire.stories.features import (
    FeatureWeights,
    published_days,
    similarity_matrix,
    time_array,
)
from crosswire.stories.graph import GraphConfig, neighbour_edges
from crosswire.stories.linkage import average_linkage

HEADLINE_CHARS = 160
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])")
_URL_RE = re.compile(r"^\s*(?:https?\s*:|www\s*\.)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """The one configuration used for every corpus."""

    weights: FeatureWeights = field(default_factory=FeatureWeights)
    graph: GraphConfig = field(default_factory=GraphConfig)
    # minimum mean pairwise similarity for two clusters to be one story
    threshold: float = 0.2


def cluster_stories(articles: Sequence[Article], config: StoryConfig | None = None) -> list[Story]:
    """Group ARTICLES into stories, set `article.story` on each, return the stories.

    Copies (`duplicate_of` set) are not clustered: they join their original's story,
    following chains of copies. Stories come sorted by first publication, then id.
    """
    config = config or StoryConfig()
    roots = resolve_originals(articles)
    unique = {root.id: root for root in roots.values()}
    originals = [unique[article_id] for article_id in sorted(unique)]
    labels, centrality = _cluster_originals(originals, config)
    members: dict[int, list[Article]] = defaultdict(list)
    label_of = {original.id: label for original, label in zip(originals, labels, strict=True)}
    for article in articles:
        members[label_of[roots[article.id].id]].append(article)
    stories = [make_story(group, centrality) for group in members.values()]
    stories.sort(key=lambda story: (sort_time(story.first_published), story.id))
    by_id = _index(articles)
    for story in stories:
        for article_id in story.articles:
            by_id[article_id].story = story.id
    return stories


def resolve_originals(articles: Sequence[Article]) -> dict[str, Article]:
    """Map each article id to the original it copies (itself when it is one).

    A chain ending in an id not among ARTICLES stops at its last present article; a
    cycle of copies is rooted at its smallest id, so no input is lost.
    """
    by_id = _index(articles)
    roots: dict[str, Article] = {}
    for article in articles:
        path = [article.id]
        current = article
        while (target := current.duplicate_of) is not None and target in by_id:
            if target in path:
                current = by_id[min(path[path.index(target) :])]
                break
            current = by_id[target]
            path.append(current.id)
        roots[article.id] = current
    return roots


def _index(articles: Sequence[Article]) -> dict[str, Article]:
    return {article.id: article for article in articles}


def _cluster_originals(
    originals: list[Article], config: StoryConfig
) -> tuple[list[int], dict[str, float]]:
    """Cluster label per original, and each original's summed similarity inside its cluster."""
    if not originals:
        return [], {}
    matrix = similarity_matrix(originals, config.weights)
    sources, targets, weights = neighbour_edges(matrix, time_array(originals), config.graph)
    labels = average_linkage(len(originals), sources, targets, weights, config.threshold)
    centrality: dict[str, float] = {original.id: 0.0 for original in originals}
    for a, b, w in zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=True):
        if labels[a] == labels[b]:
            centrality[originals[a].id] += w
            centrality[originals[b].id] += w
    return labels, centrality


def sort_time(published: str | None) -> float:
    """Sort key: time in days, unknown or unreadable times last."""
    days = published_days(published)
    return math.inf if math.isnan(days) else days


def _article_key(article: Article) -> tuple[float, str]:
    return sort_time(article.published), article.id


def make_story(
    group: Sequence[Article],
    centrality: Mapping[str, float] | None = None,
    story_id: str | None = None,
) -> Story:
    """The story of GROUP: named by its earliest member (unless the stream's index gave
    it its id already), headed by its most central title."""
    group = sorted(group, key=_article_key)
    dated = [a for a in group if not math.isnan(published_days(a.published))]
    return Story(
        id=story_id or "s-" + xxhash.xxh3_64_hexdigest(group[0].id.encode("utf-8")),
        headline=_headline(group, centrality),
        articles=[a.id for a in group],
        first_published=dated[0].published if dated else None,
        last_published=dated[-1].published if dated else None,
    )


def _headline(group: list[Article], centrality: Mapping[str, float] | None) -> str:
    """Title of the most central titled article (earliest on ties), else a first sentence."""
    weight = centrality or {}
    ranked = sorted(group, key=lambda a: -weight.get(a.id, 0.0))  # stable: earliest wins
    for article in ranked:
        if article.title and article.title.strip():
            return " ".join(article.title.split())
    for article in ranked:
        sentence = first_sentence(article.text)
        if sentence:
            return sentence
    return "(untitled story)"


def first_sentence(text: str) -> str:
    """The first sentence of the first line that reads like prose, cut to a headline length."""
    for line in text.splitlines():
        if _URL_RE.match(line) or len(line.split()) < 3:
            continue
        sentence = " ".join(_SENTENCE_END_RE.split(line.strip(), maxsplit=1)[0].split())
        if len(sentence) > HEADLINE_CHARS:
            sentence = sentence[: HEADLINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
        return sentence
    return ""
