"""Stage 4: group articles into stories (see `cluster_stories`)."""

from __future__ import annotations

from crosswire.stories.cluster import StoryConfig, cluster_stories, resolve_originals

__all__ = ["StoryConfig", "cluster_stories", "resolve_originals"]
