"""What each outlet alone carries and what it leaves out.

An outlet's claim is exclusive when no other outlet has a claim in the same facet (so a
detail only one outlet printed, even from a source others also quote on other points);
in a facet of figures, when no other outlet gives a compatible value or repeats its
origin (so one outlet's casualty figure stays its own beside another's different one).
An entity is exclusive when only this outlet's articles (per `Entity.articles`, else
per the claims that mention it) name it. A facet is missing from an outlet when at
least two of the story's other outlets, and more than half of them, carry it.
An article is credited to its outlet, else to the wire it credits (`outlet_of`), as its
claims are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from crosswire.compare.facets import Spans, family_of, interval, unit_of
from crosswire.model import Article, Claim, Facet, OutletView, Story, outlet_of

UNKNOWN_OUTLET = "unknown"


def article_outlet(article: Article | None) -> str:
    if article is None:
        return UNKNOWN_OUTLET
    return outlet_of(article)


def claim_outlet(claim: Claim, articles: Mapping[str, Article]) -> str:
    return claim.outlet or article_outlet(articles.get(claim.article))


def _unmatched(members: Sequence[Claim], articles: Mapping[str, Article]) -> list[Claim]:
    """The claims of a facet no claim of another outlet matches: none repeats its origin
    and none gives a compatible value of its kind (`claims_agree`).

    Each figure is checked against the values of its kind from all outlets minus those of
    its own outlet (counts of overlapping intervals), not against every other claim."""
    outlets = [claim_outlet(claim, articles) for claim in members]
    origin_outlets: dict[str | None, set[str]] = defaultdict(set)
    values: dict[tuple[object, str | None], Spans] = defaultdict(Spans)
    own_values: dict[tuple[object, str | None, str], Spans] = defaultdict(Spans)
    for claim, outlet in zip(members, outlets, strict=True):
        origin_outlets[claim.origin].add(outlet)
        for q in claim.quantities:
            family = family_of(q)
            if family is not None:
                values[(family, unit_of(q))].add(interval(q))
                own_values[(family, unit_of(q), outlet)].add(interval(q))
    out = []
    for claim, outlet in zip(members, outlets, strict=True):
        if origin_outlets[claim.origin] - {outlet}:
            continue
        agreeing = False
        for q in claim.quantities:
            family = family_of(q)
            if family is None:
                continue
            span = interval(q)
            key = (family, unit_of(q))
            elsewhere = values[key].overlapping(span) - own_values[(*key, outlet)].overlapping(span)
            if elsewhere > 0:
                agreeing = True
                break
        if not agreeing:
            out.append(claim)
    return out


def outlet_views(
    story: Story, facets: Sequence[Facet], articles: Mapping[str, Article]
) -> list[OutletView]:
    """One view per outlet of the story, sorted by outlet name."""
    outlet_articles: dict[str, list[str]] = defaultdict(list)
    article_to_outlet: dict[str, str] = {}
    for article_id in story.articles:
        outlet = article_outlet(articles.get(article_id))
        outlet_articles[outlet].append(article_id)
        article_to_outlet[article_id] = outlet
    claims = {c.id: c for c in story.claims}
    for claim in story.claims:
        outlet = claim_outlet(claim, articles)
        article_to_outlet.setdefault(claim.article, outlet)
        if claim.article not in outlet_articles[outlet]:
            outlet_articles[outlet].append(claim.article)

    facet_outlets: dict[str, set[str]] = {}
    exclusive: dict[str, set[str]] = defaultdict(set)
    for facet in facets:
        carried = {claim_outlet(claims[c], articles) for c in facet.claims if c in claims}
        facet_outlets[facet.id] = carried
        if len(carried) == 1:
            exclusive[next(iter(carried))].update(facet.claims)
        elif facet.kind is not None:
            # in a facet of figures, another outlet carries a claim only when it gives a
            # compatible value or repeats the same origin: NIS's 300 dead is VOA's alone
            # even if AFP prints another casualty figure
            members = [claims[c] for c in facet.claims if c in claims]
            for claim in _unmatched(members, articles):
                exclusive[claim_outlet(claim, articles)].add(claim.id)
    faceted = {c for facet in facets for c in facet.claims}
    for claim in story.claims:
        if claim.id not in faceted:  # a lone sentence no other claim lines up with
            exclusive[claim_outlet(claim, articles)].add(claim.id)

    entity_outlets: dict[str, set[str]] = defaultdict(set)
    for entity in story.entities:
        for article_id in entity.articles:
            if article_id in article_to_outlet:
                entity_outlets[entity.id].add(article_to_outlet[article_id])
    for claim in story.claims:
        for entity_id in claim.entities:
            entity_outlets[entity_id].add(claim_outlet(claim, articles))

    order = {c.id: i for i, c in enumerate(story.claims)}
    views = []
    for outlet in sorted(outlet_articles):
        others = len(outlet_articles) - 1
        missing = [
            f.id
            for f in facets
            if outlet not in facet_outlets[f.id]
            and len(facet_outlets[f.id]) >= 2
            and 2 * len(facet_outlets[f.id]) > others
        ]
        views.append(
            OutletView(
                outlet=outlet,
                articles=outlet_articles[outlet],
                exclusive_claims=sorted(exclusive[outlet], key=lambda c: order.get(c, 0)),
                exclusive_entities=sorted(e for e, o in entity_outlets.items() if o == {outlet}),
                missing_facets=missing if others >= 2 else [],
            )
        )
    return views
