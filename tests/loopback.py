"""A real HTTP server on loopback for tests that fetch: routes, replies, a request log.

    with LoopbackServer() as server:
        server.route("/feed.xml", Reply.xml(FEED))
        server.route("/page", lambda request: Reply.html(pages[request.header("x-n")]))
        fetcher.fetch(server.url("/feed.xml"), kind="feed")
        assert server.requests("/feed.xml")[0].header("user-agent").startswith("crosswire/")

GET and POST are answered; a POST body is kept on its `Request` (`posted` reads the
JSON ones). A route is a `Reply` (served as is, every time) or a function of the `Request` that
returns one (conditional GETs, counters, content that changes between requests);
`route` again replaces it. Every request is recorded with its headers and the
`time.monotonic()` it arrived, and the bytes of body written per path are counted, so a
test can tell that a client hung up early. A body may be an iterable of chunks, sent
with chunked encoding (or raw after a declared `length`) and `chunk_delay` apart.
Only 127.0.0.1 (or another loopback address) is ever bound; port 0 picks a free port.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as sent, query included
    headers: dict[str, str]  # names lowercase
    time: float  # time.monotonic() when the request's headers had arrived
    body: bytes = b""  # what a POST sent (at most MAX_POST bytes of it)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunk_delay: float = 0.0  # seconds between the chunks of an iterable body
    length: int | None = None  # Content-Length to declare for an iterable body

    @classmethod
    def html(cls, text: str | bytes, **kw: Any) -> Reply:
        return cls(body=text.encode() if isinstance(text, str) else text, **kw)

    @classmethod
    def xml(cls, text: str | bytes, content_type: str = "application/rss+xml", **kw: Any) -> Reply:
        body = text.encode() if isinstance(text, str) else text
        return cls(body=body, content_type=content_type, **kw)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, content_type=None, headers={"Location": location})

    @classmethod
    def error(cls, status: int, **kw: Any) -> Reply:
        return cls(status=status, body=f"error {status}".encode(), content_type="text/plain", **kw)


Route = Reply | Callable[[Request], Reply]
MAX_POST = 4_000_000  # bytes of a POST body kept; a test posts far less
NOT_FOUND = Reply.error(404)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, as real servers do
    server: _Server

    def do_GET(self) -> None:
        self._answer("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer("POST", self.rfile.read(min(length, MAX_POST)))

    def _answer(self, method: str, body: bytes) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(method, self.path, headers, time.monotonic(), body)
        path = urlsplit(self.path).path
        route = owner.record(request, path)
        reply = route(request) if callable(route) else route
        owner.enter()
        try:
            self._send(reply, owner, path)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True  # the client hung up: what caps are for
        finally:
            owner.leave()

    def _send(self, reply: Reply, owner: LoopbackServer, path: str) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        chunked = False
        if isinstance(reply.body, bytes):
            self.send_header("Content-Length", str(len(reply.body)))
        elif reply.length is not None:
            self.send_header("Content-Length", str(reply.length))
        else:
            self.send_header("Transfer-Encoding", "chunked")
            chunked = True
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        chunks = [reply.body] if isinstance(reply.body, bytes) else reply.body
        for i, chunk in enumerate(chunks):
            if i and reply.chunk_delay:
                time.sleep(reply.chunk_delay)
            if not chunk:
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            owner.count_sent(path, len(chunk))
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a test run's output is for failures


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping must not hold the test run
    owner: LoopbackServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # clients that hang up mid-reply are the point of several tests; a bug in a test's
        # handler is not, and is printed (pytest shows it with the failure)
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class LoopbackServer:
    """An HTTP/1.1 server in a thread on `host` (loopback), for one test or a module."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._lock = threading.Lock()
        self._routes: dict[str, Route] = {}
        self._requests: list[Request] = []
        self._sent: dict[str, int] = {}
        self._active = 0
        self.max_active = 0  # most requests in progress at once
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> LoopbackServer:
        server = _Server((self.host, 0), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # addresses
    @property
    def port(self) -> int:
        assert self._server is not None, "start the server first"
        return int(self._server.server_address[1])

    def url(self, path: str = "/", host: str | None = None) -> str:
        """`http://<host>:<port><path>`; `host` defaults to the bound address (another
        name, e.g. "localhost", reaches the same server through the resolver)."""
        return f"http://{host or self.host}:{self.port}{path}"

    # content
    def route(self, path: str, reply: Route) -> None:
        with self._lock:
            self._routes[path] = reply

    # what happened
    def requests(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self._requests if path is None or urlsplit(r.path).path == path]

    def posted(self, path: str) -> list[Any]:
        """The JSON bodies POSTed to `path`, in arrival order."""
        return [json.loads(r.body) for r in self.requests(path) if r.method == "POST"]

    def sent(self, path: str) -> int:
        """Body bytes written to clients for `path` so far."""
        with self._lock:
            return self._sent.get(path, 0)

    # called by the handler threads
    def record(self, request: Request, path: str) -> Route:
        with self._lock:
            self._requests.append(request)
            return self._routes.get(path, NOT_FOUND)

    def count_sent(self, path: str, n: int) -> None:
        with self._lock:
            self._sent[path] = self._sent.get(path, 0) + n

    def enter(self) -> None:
        with self._lock:
            self._active += 1
            self.max_active = max(self.max_active, self._active)

    def leave(self) -> None:
        with self._lock:
            self._active -= 1
