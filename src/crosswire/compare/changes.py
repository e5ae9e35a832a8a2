"""What changed in a story since a moment, from the publication times of its claims.

A claim counts as new when its publication time is after `since`; a claim with an
unknown publication time counts as before (we cannot show it is new). Facets are the
story's current facets (rebuilt deterministically, so ids match `compare_story`); the
"before" view of a facet is the same facet restricted to its claims up to `since`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from crosswire.compare.facets import FacetBuild, build_facets, status_of
from crosswire.compare.revised import carry_revisions
from crosswire.model import Story, StoryChanges, published_instant


def _after(published: str | None, since: datetime) -> bool:
    instant = published_instant(published)
    return instant is not None and instant > since


def changes_since(
    story: Story, since: datetime, builds: Sequence[FacetBuild] | None = None
) -> StoryChanges:
    """New claims, facets, conflicts, revisions and confirmations after `since`.

    A naive `since` is read as UTC. `builds` are the story's facet builds when the
    caller has just made them (`compare_story`); otherwise they are rebuilt from the
    story's claims (a story loaded from the store).
    """
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    new_ids = {c.id for c in story.claims if _after(c.published, since)}
    old_ids = {c.id for c in story.claims} - new_ids
    changes = StoryChanges(
        since=since.isoformat(), new_claims=[c.id for c in story.claims if c.id in new_ids]
    )
    if builds is None:
        builds = build_facets(story.id, story.claims)
        # an article's own edits are not in its claims any more: the stored facets keep them
        rebuilt = [b.facet for b in builds if b.facet is not None]
        carry_revisions(
            replace(story, facets=rebuilt), [r for f in story.facets for r in f.revisions]
        )
    for build in builds:
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
