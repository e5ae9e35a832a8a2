"""The Atom feeds over HTTP, as a FastAPI router the web app includes.

    app.include_router(router_for(lambda: store))

`get_store` is a FastAPI dependency: a plain function returning the app's `Store`, or
a generator that yields one and closes it afterwards. The links in a feed are built
from the request's base URL, so they follow the host and root path it is served at.
"""

# no `from __future__ import annotations`: FastAPI reads the endpoints' annotations at
# run time, and the store dependency in them is local to `router_for`
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from crosswire.notify.alerts import NAME_RE
from crosswire.notify.atom import CONTENT_TYPE, UnknownWatchList, stories_feed, watchlist_feed
from crosswire.store import Store


class AtomResponse(Response):
    media_type = CONTENT_TYPE


def router_for(get_store: Callable[..., Any]) -> APIRouter:
    router = APIRouter(tags=["feeds"])

    @router.get(
        "/feeds/stories.atom",
        response_class=AtomResponse,
        summary="Atom feed of new and updated stories",
        responses={200: {"content": {"application/atom+xml": {}}}},
    )
    def stories_atom(request: Request, store: Annotated[Store, Depends(get_store)]) -> AtomResponse:
        return AtomResponse(stories_feed(store, _base(request)))

    @router.get(
        "/feeds/watch/{name}.atom",
        response_class=AtomResponse,
        summary="Atom feed of one watch list's alerts",
        responses={
            200: {"content": {"application/atom+xml": {}}},
            404: {"description": "no watch list of that name"},
        },
    )
    def watchlist_atom(
        name: str, request: Request, store: Annotated[Store, Depends(get_store)]
    ) -> AtomResponse:
        if NAME_RE.fullmatch(name) is None:
            raise HTTPException(status_code=404, detail="no watch list of that name")
        try:
            return AtomResponse(watchlist_feed(store, name, _base(request)))
        except UnknownWatchList:
            raise HTTPException(status_code=404, detail="no watch list of that name") from None

    return router


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")
