"""Stage 4: group articles into stories, in batch (`cluster_stories`, joined to the stored
ones by `join_stored`) or one article at a time (`StoryIndex`)."""

from __future__ import annotations

from crosswire.stories.assignment import (
    Assignment,
    Merge,
    StreamConfig,
    publication_order,
    story_id,
)
from crosswire.stories.cluster import StoryConfig, cluster_stories, make_story, resolve_originals
from crosswire.stories.stored import Joined, join_stored
from crosswire.stories.stream import StoryIndex

__all__ = [
    "Assignment",
    "Joined",
    "Merge",
    "StoryConfig",
    "StoryIndex",
    "StreamConfig",
    "cluster_stories",
    "join_stored",
    "make_story",
    "publication_order",
    "resolve_originals",
    "story_id",
]
