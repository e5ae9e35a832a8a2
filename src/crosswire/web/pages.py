"""The server-rendered pages: story list, story, article, outlet and entity pages.

They work without JavaScript: filters, search, paging and the "what changed since"
picker are GET forms and links, charts are SVG drawn here. Every page is bounded
(stories, claims and facets come a page at a time), so a store of any size gives
pages of the same size.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosswire.model import published_instant
from crosswire.report.view import anchor
from crosswire.store import Store
from crosswire.store import query as sq
from crosswire.web import svg
from crosswire.web.api import (
    Limit,
    Name,
    Page,
    Text,
    Time,
    load_story,
    store_of,
    story_or_redirect,
    with_changes,
)
from crosswire.web.params import clean, list_params, parse_time
from crosswire.web.render import page, path_part
from crosswire.web.story import article_href, build_article_page, build_story_page

router = APIRouter(include_in_schema=False)
OUTLETS_CACHE_S = 30.0
FILTER_OUTLETS = 200


def _filter_outlets(request: Request) -> list[str]:
    """The outlets the filter offers, most stories first; the grouping reads the whole
    outlet index, so it is kept for a few seconds rather than done per page view."""
    cached: tuple[float, list[str]] | None = getattr(request.app.state, "outlets", None)
    now = time.monotonic()
    if cached is None or now - cached[0] > OUTLETS_CACHE_S:
        found = sq.list_outlets(store_of(request), 1, FILTER_OUTLETS)
        cached = (now, sorted(o.name for o in found.items))
        request.app.state.outlets = cached
    return cached[1]


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    q: Text = None,
    outlet: Name = None,
    entity: Name = None,
    since: Time = None,
    until: Time = None,
    has_conflicts: bool = False,
    page_n: Annotated[Page, Query(alias="page")] = 1,
    limit: Limit = 20,
) -> HTMLResponse:
    params = list_params(q, outlet, entity, since, until, has_conflicts, page_n, limit)
    found = sq.search_stories(store_of(request), params.filter(), page_n, limit)
    outlets = _filter_outlets(request)
    if params.outlet and params.outlet not in outlets:
        outlets = sorted([*outlets, params.outlet])
    return page("stories.html", params=params, found=found, outlets=outlets)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: str,
    since: Time = None,
    fpage: Page = 1,
) -> Response:
    moment = parse_time("since", since)
    story = story_or_redirect(request, story_id, base="/stories/")
    if isinstance(story, RedirectResponse):
        return story
    resolved = story_id
    store = store_of(request)
    if moment is not None:
        story = with_changes(store, story, moment)
    members = store.load_articles(story["articles"])
    data = build_story_page(story, members, clean(since), fpage)
    summary = sq.story_summaries(store, [resolved]).get(resolved)
    return page("story.html", p=data, summary=summary, anchor=anchor)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = store_of(request)
    found = store.load_articles([article_id]) if len(article_id) <= 80 else []
    if not found:
        raise HTTPException(404, f"no article {article_id!r}")
    article = found[0]
    story, members = None, []
    if article.story and (loaded := load_story(store, article.story)):
        story = loaded[0]
        members = store.load_articles(story["articles"])
    original = None
    if article.duplicate_of:
        originals = store.load_articles([article.duplicate_of])
        original = originals[0] if originals else None
    data = build_article_page(article, story, members)
    return page("article.html", p=data, original=original, article_href=article_href, anchor=anchor)


def _entity_claims(
    store: Store, story_ids: list[str], name: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The claims of these stories that are by or about the entity NAME, newest first."""
    ids = sq.story_entity_ids(store, story_ids, name)
    found = []
    for story in sq.story_dicts(store, story_ids).values():
        mine = ids.get(story["id"], set())
        for claim in story["claims"]:
            if claim.get("claimant") in mine or mine.intersection(claim.get("entities", [])):
                found.append((claim, story))
    found.sort(key=lambda pair: _instant(pair[0].get("published")), reverse=True)
    return found[:100]


def _instant(published: str | None) -> float:
    moment = published_instant(published)
    return moment.timestamp() if moment else float("-inf")


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(
    request: Request, q: Text = None, page_n: Annotated[Page, Query(alias="page")] = 1
) -> HTMLResponse:
    found = sq.list_outlets(store_of(request), page_n, 50, clean(q))
    return page("names.html", kind="outlets", found=found, q=clean(q) or "")


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request, q: Text = None, page_n: Annotated[Page, Query(alias="page")] = 1
) -> HTMLResponse:
    found = sq.list_entities(store_of(request), page_n, 50, clean(q))
    return page("names.html", kind="entities", found=found, q=clean(q) or "")


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(
    request: Request,
    name: str,
    page_n: Annotated[Page, Query(alias="page")] = 1,
    cpage: Page = 1,
) -> HTMLResponse:
    store = store_of(request)
    if len(name) > 4096 or not sq.outlet_exists(store, name):
        raise HTTPException(404, f"no outlet {name!r} in any story")
    where = sq.StoryFilter(outlet=name)
    stories = sq.search_stories(store, where, page_n, 20)
    claims = sq.outlet_claims(store, name, cpage, 30)
    chart = svg.histogram(sq.story_times(store, where), f"Stories with {name} over time")
    return page(
        "outlet.html",
        name=name,
        stories=stories,
        claims=claims,
        chart=chart,
        article_href=article_href,
        anchor=anchor,
        base=f"/outlets/{path_part(name)}",
    )


@router.get("/entities/{name:path}", response_class=HTMLResponse)
def entity_page(
    request: Request, name: str, page_n: Annotated[Page, Query(alias="page")] = 1
) -> HTMLResponse:
    store = store_of(request)
    names = sq.entity_names(store, name) if len(name) <= 4096 else None
    if names is None:
        raise HTTPException(404, f"no entity called {name!r} in any story")
    where = sq.StoryFilter(entity=name)
    stories = sq.search_stories(store, where, page_n, 20)
    claims = _entity_claims(store, [s.id for s in stories.items], name)
    chart = svg.histogram(sq.story_times(store, where), f"Stories naming {name} over time")
    return page(
        "entity.html",
        name=name,
        names=names,
        stories=stories,
        claims=claims,
        chart=chart,
        article_href=article_href,
        anchor=anchor,
        base=f"/entities/{path_part(name)}",
    )


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return page("docs.html")
