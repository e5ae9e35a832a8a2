"""Stage 6, triangulation: facets, their status and origins, per-outlet views, a brief.

`compare_story` fills `Story.facets`, `Story.brief` and `Story.outlets` from the
story's claims (stage 5), and `Story.changes` when given a moment; `changes_since` says
what is new after a moment for a story loaded from the store; `revised_figures` adds to
the facets what an article revised in place changed. The rules
(kind families, tolerance, time and subject matching, status) are in `facets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from crosswire.compare.brief import build_brief
from crosswire.compare.changes import changes_since
from crosswire.compare.facets import build_facets
from crosswire.compare.outlets import claim_outlet, outlet_views
from crosswire.compare.pairs import PairModel
from crosswire.compare.revised import Earlier, carry_revisions, revised_figures
from crosswire.model import Article, Facet, Story

__all__ = [
    "Earlier",
    "carry_revisions",
    "changes_since",
    "compare_stories",
    "compare_story",
    "revised_figures",
]


def compare_story(
    story: Story,
    articles: Mapping[str, Article],
    since: datetime | None = None,
    model: PairModel | None = None,
) -> None:
    """Fill `story.facets`, `story.brief` and `story.outlets` in place, and with
    `since` also `story.changes` (from the same facet builds: no second grouping).
    `model`: pairwise weights other than the shipped ones (cross-validation)."""
    builds = build_facets(story.id, story.claims, model)
    facets: list[Facet] = [b.facet for b in builds if b.facet]
    story.facets = facets
    outlets = {c.id: claim_outlet(c, articles) for c in story.claims}
    story.brief = build_brief(facets, story.claims, outlets)
    story.outlets = outlet_views(story, facets, articles)
    if since is not None:
        story.changes = changes_since(story, since, builds)


def compare_stories(
    stories: Sequence[Story], articles: Sequence[Article], since: datetime | None = None
) -> None:
    by_id = {a.id: a for a in articles}
    for story in stories:
        compare_story(story, by_id, since)
