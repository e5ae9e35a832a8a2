"""What changed in a story since a moment, from the publication times of its claims.

A claim counts as new when its publication time is after `since`; a claim with an
unknown publication time counts as before (we cannot show it is new). Facets are the
story's current facets (rebuilt deterministically, so ids match `compare_story`); the
"before" view of a facet is the same facet restricted to its claims up to `since`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crosswire.compare.facets import build_facets, status_of
from crosswire.model import Story, StoryChanges, published_instant


def _after(published: str | None, since: datetime) -> bool:
    instant = published_instant(published)
    return instant is not None and instant > since


def changes_since(story: Story, since: datetime) -> StoryChanges:
    """New claims, facets, conflicts, revisions and confirmations after `since`.

    A naive `since` is read as UTC.
    """
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    new_ids = {c.id for c in story.claims if _after(c.published, since)}
    old_ids = {c.id for c in story.claims} - new_ids
    changes = StoryChanges(
        since=since.isoformat(), new_claims=[c.id for c in story.claims if c.id in new_ids]
    )
    for build in build_facets(story.id, story.claims):
        facet = build.facet
        if facet is None:
            continue
        before = [i for i in build.infos if i.claim.id in old_ids]
        if not before:
            changes.new_facets.append(facet.id)
        # a facet that is new and already conflicting is a new conflict too (alerts want it)
        if facet.status == "conflicting" and status_of(build, old_ids) != "conflicting":
            changes.new_conflicts.append(facet.id)
        if before and facet.independent_origins > len({i.origin for i in before}):
            changes.new_confirmations.append(facet.id)
        changes.revised.extend(r for r in facet.revisions if _after(r.new_published, since))
    return changes
