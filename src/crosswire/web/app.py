"""The web app: FastAPI over one store, pages and `/api/v1` side by side.

`create_app` opens the store (migrating it to the schema the search needs) and wires
the routes, the packaged assets (the app's CSS and JS, the report's CSS, Swagger UI's
files from the swagger-ui-bundle package: nothing comes from a CDN) and the guards of
`security.py`. FastAPI's own docs page loads Swagger UI from a CDN, so it is off and
`/docs` is a page of ours over the packaged files.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from crosswire.notify.routes import router_for
from crosswire.store import Store
from crosswire.web import api, pages
from crosswire.web.openapi30 import downgrade
from crosswire.web.render import page
from crosswire.web.security import Guard

DEFAULT_MAX_BODY = 2 * 1024 * 1024  # a long article's HTML page is a few hundred KB
_STATIC = Path(__file__).with_name("static")


def create_app(
    store_url: str,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The app over the store at STORE_URL. With TOKEN, writes need it as a bearer
    token; ALLOWED_HOSTS (Host header names) stops DNS rebinding of a loopback server."""
    store = Store(store_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="crosswire",
        summary="Stories from many outlets, their claims cross-checked.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.token = token
    app.state.max_body = max_body
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(router_for(lambda: store))
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path))
    app.mount("/static", StaticFiles(directory=_STATIC))

    @app.get("/openapi-3.0.json", include_in_schema=False)
    def openapi_30() -> JSONResponse:
        return JSONResponse(downgrade(app.openapi()))

    @app.get("/report.css", include_in_schema=False)
    def report_css() -> Response:
        css = files("crosswire.report").joinpath("templates/report.css").read_bytes()
        return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return page("error.html", exc.status_code, status=exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        if _wants_json(request):
            return JSONResponse({"detail": problems}, 422)
        return page("error.html", 422, status=422, message=problems)

    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    # added last, so outermost: a refused host or an oversized body get its headers too
    app.add_middleware(Guard, max_body=max_body)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"
