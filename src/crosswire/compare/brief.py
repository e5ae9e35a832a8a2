"""A short extractive brief: claim sentences, verbatim, with the claims they rest on.

Facets are taken in this order: agreed facets by independent origins (then outlets
carrying them), then conflicting, then complementary ones; single-source facets only
fill the brief up to `MIN_SENTENCES`, most widely carried first. For each facet the
sentence is an original's (never a copy's when an original exists) that covers most
of the facet's origins, not revised since by its origin, newest first (a developing
story's latest figure; unknown times last); a conflict whose sentence shows one origin
gets a second sentence from another origin. Every `BriefSentence.text` equals a claim's
text, so every figure in it traces to an article offset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crosswire.model import BriefSentence, Claim, Facet, published_instant

MIN_SENTENCES = 3
MAX_SENTENCES = 6
_RANK = {"agreed": 0, "conflicting": 1, "complementary": 2, "single-source": 3}


def _sentence_key(claim: Claim) -> tuple[str, str]:
    return (claim.article, claim.text)


def build_brief(
    facets: Sequence[Facet], claims: Sequence[Claim], outlets: Mapping[str, str] | None = None
) -> list[BriefSentence]:
    """Brief sentences in order of importance; `outlets` maps claim id to outlet."""
    by_id = {c.id: c for c in claims}
    order = {c.id: i for i, c in enumerate(claims)}
    outlet_of = outlets or {c.id: c.outlet or c.article for c in claims}
    sentences: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        sentences.setdefault(_sentence_key(claim), []).append(claim.id)
    origin_of = {c: o.name for f in facets for o in f.origins for c in o.claims}

    def carried(facet: Facet) -> int:
        return len({outlet_of.get(c, "") for c in facet.claims})

    ranked = sorted(
        enumerate(facets),
        key=lambda p: (_RANK[p[1].status], -p[1].independent_origins, -carried(p[1]), p[0]),
    )
    used: set[str] = set()  # texts: a copy's sentence never repeats its original's
    brief: list[BriefSentence] = []

    def pick(facet: Facet, exclude: set[str]) -> set[str]:
        """Add the best sentence for `facet` whose origins are not all in `exclude`."""
        best: tuple[tuple[bool, int, bool, bool, float, int], tuple[str, str]] | None = None
        superseded = {r.old_claim for r in facet.revisions}
        members = set(facet.claims)
        # the claims of one sentence share what it covers: a sentence of a thousand
        # claimants is looked at once, not once per claim
        covering: dict[tuple[str, str], set[str]] = {}
        for claim_id in facet.claims:
            claim = by_id.get(claim_id)
            if claim is None or claim.text in used:
                continue
            key = _sentence_key(claim)
            if key not in covering:
                covering[key] = {origin_of.get(c, "") for c in sentences[key] if c in members}
            covered = covering[key]
            if exclude and covered <= exclude:
                continue
            instant = published_instant(claim.published)
            score = (
                claim.copy_of is not None,
                -len(covered),
                claim_id in superseded,
                instant is None,
                -instant.timestamp() if instant else 0.0,
                order[claim_id],
            )
            if best is None or score < best[0]:
                best = (score, key)
        if best is None:
            return set()
        key = best[1]
        used.add(key[1])
        brief.append(BriefSentence(text=key[1], claims=list(sentences[key])))
        return covering[key]

    for _, facet in ranked:
        if len(brief) >= MAX_SENTENCES:
            break
        if facet.status == "single-source" and len(brief) >= MIN_SENTENCES:
            break
        covered = pick(facet, set())
        if facet.status == "conflicting" and len(covered) < 2 and len(brief) < MAX_SENTENCES:
            pick(facet, covered)
    return brief
