"""Stage 4: group articles into stories. The pipeline runs the story index
(`StoryIndex`, its state kept in the store) over each run and applies its decisions
(`place_articles`); `cluster_stories` is the batch clustering it is measured against."""

from __future__ import annotations

from crosswire.stories.assignment import (
    Assignment,
    Merge,
    Move,
    StreamConfig,
    publication_order,
    story_id,
)
from crosswire.stories.cluster import (
    StoryConfig,
    cluster_stories,
    make_story,
    resolve_originals,
    sort_time,
)
from crosswire.stories.placed import Placed, place_articles
from crosswire.stories.stream import StoryIndex

__all__ = [
    "Assignment",
    "Merge",
    "Move",
    "Placed",
    "StoryConfig",
    "StoryIndex",
    "StreamConfig",
    "cluster_stories",
    "make_story",
    "place_articles",
    "publication_order",
    "resolve_originals",
    "sort_time",
    "story_id",
]
