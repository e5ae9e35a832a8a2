"""What every response carries and every request is held to.

- A strict Content-Security-Policy: scripts and styles only from this server's own
  files (no inline script, no eval), nothing from anywhere else, no framing. The API
  docs page allows inline styles only, which Swagger UI sets on its elements.
- Request bodies are capped: a declared Content-Length over the cap is refused with
  413 before the body is read; the submission route counts what it reads as well, for
  a chunked body that declares nothing.
- Writes need `Authorization: Bearer <token>` when the app has a token, and a write
  from a page of another origin is refused whatever the token: a browser sends a
  cross-site text/plain POST without asking first, so an open loopback server could
  otherwise be fed articles by any web page its user visits.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class Guard:
    """Pure ASGI (no per-request task as BaseHTTPMiddleware makes): headers out,
    oversized bodies refused."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            if declared.isdigit() and int(declared) <= DRAIN_MAX:
                await _drain(receive)
            await _too_large(send, self.max_body)
            return
        csp = DOCS_CSP if scope.get("path") == "/docs" else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.extend(h for h in HEADERS if h[0] not in names)
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", csp.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").strip()
    return None


# A refused body up to this size is read (and dropped) before the 413 goes out: a server
# that closes while the client is still sending makes the client's kernel see a reset,
# and the client reports "connection reset", not the 413 (a flaky test showed it).
# Past it, the answer goes out at once and the client may see the reset.
DRAIN_MAX = 16 * 1024 * 1024


async def _drain(receive: Receive) -> None:
    read = 0
    while read <= DRAIN_MAX:
        message = await receive()
        if message["type"] != "http.request":
            return  # the client hung up
        read += len(message.get("body", b""))
        if not message.get("more_body"):
            return


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail":"request body over the {limit:,}-byte limit"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *HEADERS,
                (b"content-security-policy", CSP.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes LIMIT bytes."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await request.receive()
        if message["type"] != "http.request":
            raise HTTPException(400, "the client hung up before the body ended")
        chunk = message.get("body", b"")
        more = bool(message.get("more_body"))
        size += len(chunk)
        if size > limit:
            if more:  # the rest is read and dropped, so the client reads the 413
                await _drain(request.receive)
            raise HTTPException(413, f"request body over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def check_write(request: Request, token: str | None) -> None:
    """Refuse a write without the token (when there is one) or from another origin."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        own = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != own.lower():
            raise HTTPException(403, "writes from pages of another origin are refused")
    elif origin == "null" or request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "writes from pages of another origin are refused")
    if token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        value.strip().encode(), token.encode()
    ):
        raise HTTPException(
            401,
            "this server takes writes only with 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
