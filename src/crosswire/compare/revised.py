"""Figures an article changed in place: each facet says the old value and the new.

A feed entry or page edited after publication is one article whose text was replaced
(`Article.revised`); its claims are read again from the new text and the old ones are
gone. What a reader must still see is that the outlet changed a figure: "7 to 2" became
"6 to 3", and when. Each earlier claim of the article is lined up with the new claim
whose sentence reads most like it (difflib ratio at least `SAME_SENTENCE`: a sentence
whose figure was corrected still reads as itself), their figures in order; a figure
whose words changed is a `Revision` on the facet that holds the new claim, from the
time the old text stood (`since`) to the revision's time (`at`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from crosswire.model import Claim, Revision, Story

# how alike two sentences must read to be one sentence before and after an edit
SAME_SENTENCE = 0.6


@dataclass(frozen=True, slots=True)
class Earlier:
    """An article's claims as they stood before its revision, and since when."""

    claims: Sequence[Claim]
    since: str | None


def revised_figures(story: Story, earlier: Mapping[str, Earlier], at: str) -> int:
    """Add a `Revision` to STORY's facets for every figure its revised articles changed
    (EARLIER: article id -> its claims before); returns how many were added."""
    facet_of = {claim_id: facet for facet in story.facets for claim_id in facet.claims}
    current: defaultdict[str, list[Claim]] = defaultdict(list)
    for claim in story.claims:
        current[claim.article].append(claim)
    added = 0
    for article, before in earlier.items():
        news = current.get(article, [])
        for old in before.claims:
            new = _same_sentence(old, news)
            if new is None or new.id not in facet_of:
                continue
            facet = facet_of[new.id]
            for was, now in zip(old.quantities, new.quantities, strict=False):
                if (was.low, was.high, was.unit) == (now.low, now.high, now.unit):
                    continue  # the same figure, perhaps in other words
                facet.revisions.append(
                    Revision(
                        origin=new.origin or new.claimant or "",
                        old_claim=old.id,
                        new_claim=new.id,
                        old_value=was.text,
                        new_value=now.text,
                        old_published=before.since,
                        new_published=at,
                    )
                )
                added += 1
    return added


def _same_sentence(old: Claim, candidates: Sequence[Claim]) -> Claim | None:
    best, score = None, SAME_SENTENCE
    for claim in candidates:
        ratio = SequenceMatcher(None, old.text, claim.text).ratio()
        if ratio >= score:
            best, score = claim, ratio
    return best


def carry_revisions(story: Story, stored: Sequence[Revision]) -> int:
    """Put back the edits STORED facets showed that comparing STORY again dropped.

    A revision by an edit is found once, when the edited text arrives: its old claims
    are gone from the store after that. When the story is compared again (an article
    joined it) its facets are rebuilt from the claims, and an edit's revision is kept
    only by carrying it over, onto the facet that now holds its new claim. Revisions
    between two claims the story still has are rebuilt by the comparison itself.
    Returns how many were carried."""
    facet_of = {claim_id: facet for facet in story.facets for claim_id in facet.claims}
    current = {claim.id for claim in story.claims}
    shown = {revision_key(r) for facet in story.facets for r in facet.revisions}
    carried = 0
    for revision in stored:
        facet = facet_of.get(revision.new_claim)
        if facet is None or revision_key(revision) in shown or not _an_edit(revision, current):
            continue
        facet.revisions.append(revision)
        shown.add(revision_key(revision))
        carried += 1
    return carried


def revision_key(revision: Revision) -> tuple[str, str, str, str]:
    """What makes two revisions one: the same claims and values (wherever shown)."""
    return (revision.old_claim, revision.new_claim, revision.old_value, revision.new_value)


def _an_edit(revision: Revision, current: set[str]) -> bool:
    """An article's own edit: both claims are the article's ("a1-c3"), and the old one
    is gone or is the new one's id (the sentence kept its place)."""
    same_article = revision.old_claim.rsplit("-c", 1)[0] == revision.new_claim.rsplit("-c", 1)[0]
    return same_article and (
        revision.old_claim == revision.new_claim or revision.old_claim not in current
    )
