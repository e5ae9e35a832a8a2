"""Command line for the web app and JSON API: `crosswire serve`."""

from __future__ import annotations

import gc
import ipaddress
import json
import os
from typing import TYPE_CHECKING, Annotated

import typer

from crosswire.cli import _echo, _open_store, _usage_error, app

if TYPE_CHECKING:
    from fastapi import FastAPI

_DB_HELP = "Store URL (sqlite:///file.db, postgresql://...). Default: per-user."
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="CROSSWIRE_TOKEN",
            help="Bearer token that writes (POST /api/v1/articles) must carry; "
            "required to listen on anything but loopback.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Server processes (pages render on one core each).")
    ] = 1,
) -> None:
    """Serve the stories as web pages and a JSON API (/api/v1, docs at /docs).

    Listens on 127.0.0.1 unless told otherwise; on any other address it refuses to
    start without --token (or $CROSSWIRE_TOKEN), since anyone who can reach it could
    otherwise add articles.
    """
    import uvicorn

    from crosswire.web import create_app

    if not 0 <= port <= 65535:
        _usage_error(f"--port {port}: give 0-65535")
    loopback = is_loopback(host)
    if not loopback and not token:
        _usage_error(
            f"--host {host} is reachable from other machines: give --token (or set "
            "$CROSSWIRE_TOKEN) so that only its holders can add articles"
        )
    if token is not None and len(token) < 16:
        _usage_error("--token: use at least 16 characters")
    if not 1 <= workers <= 64:
        _usage_error(f"--workers {workers}: give 1-64")
    _open_store(db).close()  # a bad --db is a usage error before the server starts
    from crosswire.store import default_url

    # on loopback only loopback names are served: a page elsewhere cannot rebind a
    # name of its own to this server and read it
    allowed = sorted({*LOOPBACK_NAMES, host}) if loopback else None
    shown = f"[{host}]" if ":" in host else host
    _echo(f"crosswire serving on http://{shown}:{port}/ (API docs at /docs); Ctrl-C stops")
    if workers > 1:
        # each worker process builds its own app (and store connection) from the
        # environment it inherits; the listening socket is shared
        os.environ[APP_ENV] = json.dumps(
            {"db": db or default_url(), "token": token, "allowed": allowed}
        )
        uvicorn.run(
            f"{__name__}:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            server_header=False,
        )
        return
    web = create_app(db or default_url(), token=token, allowed_hosts=allowed)
    _freeze()
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)


APP_ENV = "CROSSWIRE_SERVE_APP"


def app_from_env() -> FastAPI:
    """The app a worker process serves, as `serve --workers N` configured it."""
    from crosswire.web import create_app

    config = json.loads(os.environ[APP_ENV])
    web = create_app(config["db"], token=config["token"], allowed_hosts=config["allowed"])
    _freeze()
    return web


def _freeze() -> None:
    # what is loaded now (the app, its templates) lives as long as the server: the
    # collector need not walk it on every collection a page's view models set off
    gc.collect()
    gc.freeze()
