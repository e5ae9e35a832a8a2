"""Stage 4: group articles into stories (`cluster_stories`), joined to the stored ones
(`join_stored`)."""

from __future__ import annotations

from crosswire.stories.cluster import StoryConfig, cluster_stories, make_story, resolve_originals
from crosswire.stories.stored import Joined, join_stored

__all__ = [
    "Joined",
    "StoryConfig",
    "cluster_stories",
    "join_stored",
    "make_story",
    "resolve_originals",
]
