"""The JSON API, `/api/v1`: the report contract's objects, straight from the store.

A story id that was merged into another answers with a 308 to the id that holds its
members now, so links and bookmarks to it keep working.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from crosswire.report.build import article_to_dict, story_to_dict
from crosswire.store import Store
from crosswire.store import query as sq
from crosswire.web import models, submit
from crosswire.web.params import MAX_LIMIT, MAX_PAGE, list_params, parse_time
from crosswire.web.security import check_write, read_body

router = APIRouter(prefix="/api/v1")

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1 is the first page")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Text = Annotated[str | None, Query(max_length=sq.MAX_QUERY_CHARS)]
Name = Annotated[str | None, Query(max_length=submit.MAX_FIELD_CHARS)]
# the pages take these as text (a form sends "" for an empty field); the API as
# typed values, so its OpenAPI document says what a time is
Time = Annotated[str | None, Query(max_length=40)]
ApiTime = Annotated[
    date | datetime | None,
    Query(description="ISO 8601 date or date-time; without an offset, UTC"),
]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": models.Problem}}
_BAD: dict[int | str, dict[str, Any]] = {422: {"model": models.Problem}}


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _summary_json(s: sq.StorySummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "headline": s.headline,
        "first_published": s.first_published,
        "last_published": s.last_published,
        "updated_at": s.updated_at,
        "article_count": s.articles,
        "outlets": s.outlets,
        "independent_origins": s.origins,
        "conflicts": s.conflicts,
        "facet_count": s.facets,
        "claim_count": s.claims,
        "url": f"/api/v1/stories/{quote(s.id, safe='')}",
        "html_url": f"/stories/{quote(s.id, safe='')}",
    }


def _paged(page: sq.Page[Any]) -> dict[str, Any]:
    return {"page": page.page, "limit": page.limit, "total": page.total, "pages": page.pages}


def load_story(store: Store, story_id: str) -> tuple[dict[str, Any], str] | None:
    """The story now holding STORY_ID's members, as the contract's object, and its id;
    None if never stored."""
    if len(story_id) > 80:
        return None
    resolved = store.resolve_story(story_id)
    if resolved is None:
        return None
    found = sq.story_dicts(store, [resolved]).get(resolved)
    return (found, resolved) if found is not None else None


def with_changes(store: Store, story: dict[str, Any], since: datetime) -> dict[str, Any]:
    """STORY with what changed in it after SINCE (compare's rules, on its claims)."""
    from crosswire.compare import changes_since
    from crosswire.model import to_plain

    loaded = store.load_stories([story["id"]])
    if loaded:
        story = {**story, "changes": to_plain(changes_since(loaded[0], since))}
    return story


def story_or_redirect(
    request: Request, story_id: str, tail: str = "", base: str = "/api/v1/stories/"
) -> dict[str, Any] | RedirectResponse:
    """The story as the contract's object, or a 308 to BASE + its id now (+ TAIL, and
    the request's query) when STORY_ID was merged into it; 404 if never stored."""
    found = load_story(store_of(request), story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    story, resolved = found
    if resolved != story_id:
        url = f"{base}{quote(resolved, safe='')}{tail}"
        if request.url.query:
            url += f"?{request.url.query}"
        return RedirectResponse(url, status_code=308)
    return story


@router.get(
    "/stories",
    tags=["stories"],
    response_model=None,
    responses={200: {"model": models.StoryList}, **_BAD},
)
def list_stories(
    request: Request,
    q: Annotated[Text, Query(description="words in headlines, claims or entity names")] = None,
    outlet: Name = None,
    entity: Annotated[Name, Query(description="an entity's name or alias")] = None,
    since: ApiTime = None,
    until: ApiTime = None,
    has_conflicts: bool = False,
    page: Page = 1,
    limit: Limit = 20,
    full: Annotated[bool, Query(description="whole story objects, not summaries")] = False,
) -> JSONResponse:
    """Stories, most recently published first, searched and filtered."""
    params = list_params(q, outlet, entity, since, until, has_conflicts, page, limit)
    store = store_of(request)
    found = sq.search_stories(store, params.filter(), page, limit)
    if full and found.items:
        by_id = sq.story_dicts(store, [s.id for s in found.items])
        items = [by_id[s.id] for s in found.items if s.id in by_id]
    else:
        items = [_summary_json(s) for s in found.items]
    return JSONResponse({**_paged(found), "stories": items})


@router.get(
    "/stories/{story_id}",
    tags=["stories"],
    response_model=None,
    responses={
        200: {"model": models.Story},
        308: {"description": "merged: the id now"},
        **_NOT_FOUND,
        **_BAD,
    },
)
def get_story(request: Request, story_id: str, since: ApiTime = None) -> Any:
    """One story as the report gives it; with `since`, what changed after that time."""
    moment = parse_time("since", since)
    story = story_or_redirect(request, story_id)
    if isinstance(story, RedirectResponse):
        return story
    if moment is not None:
        story = with_changes(store_of(request), story, moment)
    return JSONResponse(story)


@router.get(
    "/stories/{story_id}/claims",
    tags=["stories"],
    response_model=None,
    responses={200: {"model": models.StoryClaims}, **_NOT_FOUND},
)
def get_claims(request: Request, story_id: str, article: Name = None) -> Any:
    """A story's claims, each pointing at its sentence; `article` narrows to one."""
    story = story_or_redirect(request, story_id, "/claims")
    if isinstance(story, RedirectResponse):
        return story
    items = story["claims"]
    if article:
        items = [c for c in items if c["article"] == article]
    return JSONResponse({"story": story["id"], "claims": items})


@router.get(
    "/stories/{story_id}/facets",
    tags=["stories"],
    response_model=None,
    responses={200: {"model": models.StoryFacets}, **_NOT_FOUND},
)
def get_facets(
    request: Request,
    story_id: str,
    status: Annotated[
        str | None, Query(pattern="^(agreed|conflicting|complementary|single-source)$")
    ] = None,
) -> Any:
    """A story's facets: figures lined up across outlets, with their status."""
    story = story_or_redirect(request, story_id, "/facets")
    if isinstance(story, RedirectResponse):
        return story
    items = story["facets"]
    if status:
        items = [f for f in items if f["status"] == status]
    return JSONResponse({"story": story["id"], "facets": items})


@router.get(
    "/articles/{article_id}",
    tags=["articles"],
    response_model=None,
    responses={200: {"model": models.Article}, **_NOT_FOUND},
)
def get_article(request: Request, article_id: str) -> JSONResponse:
    """One article: clean text, removed clutter, metadata with provenance, revisions."""
    found = store_of(request).load_articles([article_id]) if len(article_id) <= 80 else []
    if not found:
        raise HTTPException(404, f"no article {article_id!r}")
    return JSONResponse(article_to_dict(found[0]))


@router.get(
    "/entities",
    tags=["entities and outlets"],
    response_model=None,
    responses={200: {"model": models.EntityList}, **_BAD},
)
def get_entities(
    request: Request, q: Text = None, page: Page = 1, limit: Limit = 50
) -> JSONResponse:
    """Entity names across stories, most stories first; `q` narrows to names holding it."""
    found = sq.list_entities(store_of(request), page, limit, q)
    items = [
        {
            "name": e.name,
            "type": e.type,
            "stories": e.stories,
            "html_url": f"/entities/{quote(e.name, safe='')}",
        }
        for e in found.items
    ]
    return JSONResponse({**_paged(found), "entities": items})


@router.get(
    "/outlets",
    tags=["entities and outlets"],
    response_model=None,
    responses={200: {"model": models.OutletList}, **_BAD},
)
def get_outlets(
    request: Request, q: Text = None, page: Page = 1, limit: Limit = 50
) -> JSONResponse:
    """Outlets, most stories first, with how many stories and articles each has."""
    found = sq.list_outlets(store_of(request), page, limit, q)
    items = [
        {
            "name": o.name,
            "stories": o.stories,
            "articles": o.articles,
            "html_url": f"/outlets/{quote(o.name, safe='')}",
        }
        for o in found.items
    ]
    return JSONResponse({**_paged(found), "outlets": items})


@router.get(
    "/changes",
    tags=["stories"],
    response_model=None,
    responses={200: {"model": models.ChangeList}, **_BAD},
)
def get_changes(
    request: Request,
    since: Annotated[
        date | datetime, Query(description="ISO 8601 date or date-time; without an offset, UTC")
    ],
    page: Page = 1,
    limit: Limit = 20,
) -> JSONResponse:
    """Per story with an article after `since`: new claims, facets, conflicts, revised
    figures, new independent confirmations."""
    from crosswire.compare import changes_since
    from crosswire.model import to_plain

    moment = parse_time("since", since)
    if moment is None:
        raise HTTPException(422, "since: give a time (2026-03-03T12:00Z)")
    store = store_of(request)
    found = sq.stories_changed_since(store, moment.timestamp(), page, limit)
    loaded = {s.id: s for s in store.load_stories([s.id for s in found.items])}
    items = [
        {
            "id": s.id,
            "headline": loaded[s.id].headline,
            "changes": to_plain(changes_since(loaded[s.id], moment)),
        }
        for s in found.items
        if s.id in loaded
    ]
    return JSONResponse({**_paged(found), "since": moment.isoformat(), "stories": items})


_SUBMIT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": submit.ArticleIn.model_json_schema()},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/articles",
    tags=["articles"],
    response_model=None,
    status_code=201,
    openapi_extra=_SUBMIT_BODY,
    responses={
        200: {"model": models.Submitted, "description": "already stored: nothing changed"},
        201: {"model": models.Submitted, "description": "stored (or a revision stored)"},
        400: {"model": models.Problem},
        401: {"model": models.Problem},
        403: {"model": models.Problem},
        413: {"model": models.Problem},
        415: {"model": models.Problem},
        422: {"model": models.Problem},
    },
)
async def post_article(
    request: Request,
    url: Name = None,
    outlet: Name = None,
    published: Annotated[str | None, Query(max_length=64)] = None,
    title: Name = None,
) -> JSONResponse:
    """Analyze one article into the store: a JSON record (the fields of a JSONL input)
    or a text/plain or text/html body with `url`, `outlet`, `published`, `title`.
    The same content gives the same article id, and posting it again changes nothing."""
    check_write(request, request.app.state.token)
    body = await read_body(request, request.app.state.max_body)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "application/json" or kind.endswith("+json"):
            if any((url, outlet, published, title)):
                raise submit.Rejected(422, "with a JSON body, give the fields in the JSON")
            record = submit.parse_json(body)
        elif kind in ("text/plain", "text/html"):
            fields = {"url": url, "outlet": outlet, "published": published, "title": title}
            record = submit.parse_body(body, request.headers["content-type"], fields)
        else:
            raise submit.Rejected(415, "send application/json (a record), text/plain or text/html")
        doc = submit.to_doc(record)
        store = store_of(request)
        outcome = await run_in_threadpool(submit.submit, store, doc)
    except submit.Rejected as exc:
        raise HTTPException(exc.status, exc.message) from None
    story = None
    if outcome.story is not None:
        story = story_to_dict(outcome.story, store.load_articles(outcome.story.articles))
    status = 201 if outcome.created or outcome.revised else 200
    return JSONResponse(submit.outcome_json(outcome, story), status_code=status)
