"""Live sources, step one: one polite, bounded, checked HTTP GET per call.

`Fetcher.fetch` decides whether a URL may be fetched, fetches it, and says what came
back; parsing feeds and scheduling them is left to the callers. It never raises for
what the network or a server does: a `FetchResult` carries an error kind a scheduler
can act on (see `backoff`) and a message a person understands.

Decisions and the lessons behind them:

- "Has it changed?" is answered twice: by the server (ETag / If-None-Match,
  Last-Modified / If-Modified-Since, 304) and by a hash of the body. Servers get
  validators wrong both ways: the same ETag for changed content (Miniflux grew a
  per-feed "ignore HTTP cache" switch for those) and a fresh ETag or date on every
  request for the same bytes. Media Cloud's rss-fetcher counts `same_hash` fetches for
  the second kind. So a 304 or a body whose xxh3-128 equals `previous_hash` is
  `not_modified`, and validators are sent but never trusted to skip a changed body.
- Politeness per host, inside the Fetcher: one request at a time and at least
  `min_host_delay` between the end of one request and the start of the next, shared by
  every thread. A 429 or 5xx with Retry-After is honoured for the URL that got it
  (`retry_after`, which the caller turns into that feed's next fetch through
  `backoff.failure_delay`), not for the whole host: one section feed's rate limit, or
  one broken feed's 503, must not stall every other feed of a site (FreshRSS users
  needed an extension to escape host-wide lockouts).
- robots.txt (RFC 9309) is honoured for article pages, fetched once per origin and kept
  `ROBOTS_TTL`; feeds are published to be polled, so they are not checked. A robots.txt
  that is missing (4xx) allows everything; one that times out or fails with 5xx is read
  as "allow" (this tool fetches a page only because a feed linked to it) but the
  failure is cached for `ROBOTS_FAILURE_TTL`, so a broken server is not asked again on
  every page.
- Caps on everything a server controls: total time per fetch (across redirects and
  every socket read, so a server dripping one byte per second cannot hold a worker),
  body size (streamed, stopped at `max_bytes`, a declared Content-Length past it is
  refused unread), decompressed size (inflated here with a bounded zlib, so a 20 KB
  gzip bomb stops at the cap without ever holding more than the cap), redirects (five,
  followed by hand so each hop gets the address and robots checks, loops detected).
- Addresses: see `net`. Only http and https. No cookies are kept: a fetch must not
  depend on what an earlier fetch of another feed was told.
- Content types are checked before the body is read: pages must be HTML; feeds may be
  any feed or XML type, or JSON, or HTML (feeds served as text/html are common, and
  the feed layer decides), and the type is reported.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Literal
from urllib.robotparser import RobotFileParser

import httpx
import xxhash

from crosswire import __version__
from crosswire.sources.net import (
    AddressPolicy,
    AddressRefused,
    GuardedBackend,
    Resolver,
    guarded_transport,
    system_resolver,
)

FetchKind = Literal["page", "feed"]
ErrorKind = Literal[
    "timeout",
    "connection",
    "http_429",
    "http_5xx",
    "http_404",
    "http_410",
    "http_other",
    "too_large",
    "decompression_bomb",
    "bad_encoding",
    "redirect_loop",
    "too_many_redirects",
    "private_address",
    "bad_content_type",
    "robots_disallowed",
    "invalid_url",
    # not sent: the host asked (Retry-After) every client to wait, and the wait is not over
]

# a placeholder: a deployment should name a page or address where a site owner can
# reach whoever runs it (`make_user_agent`)
CONTACT_PLACEHOLDER = "https://crosswire.invalid/contact"
# the product token robots.txt groups are matched against ("User-agent: crosswire")
ROBOTS_TOKEN = "crosswire"

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",  # RSS 1.0
        "application/x-rss+xml",  # pre-registration name, still served
        "application/xml",
        "text/xml",
        "application/feed+json",
        "application/json",
        "text/html",
    }
)
_ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/feed+json,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
    "robots": "text/plain,*/*;q=0.1",
}

# RFC 9309: a cached robots.txt should not be used for more than 24 hours
ROBOTS_TTL = 24 * 3600.0
# long enough not to ask a failing server on every page, short enough that a fixed
# robots.txt is read within the hour
ROBOTS_FAILURE_TTL = 3600.0
# RFC 9309 asks crawlers to parse at least 500 KiB; the rest of a longer file is ignored
ROBOTS_MAX_BYTES = 500 * 1024
# origins remembered; the oldest is forgotten first
ROBOTS_CACHE_MAX = 10_000
# text compresses 3-15x with gzip; zlib's ceiling is about 1032x. An overflow inflating
# faster than this is reported as a bomb, slower as an honest body that is too large
BOMB_RATIO = 50
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def make_user_agent(contact: str = CONTACT_PLACEHOLDER) -> str:
    """`crosswire/<version> (+<contact>)`: names the tool and who to tell."""
    return f"crosswire/{__version__} (+{contact})"


DEFAULT_USER_AGENT = make_user_agent()


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch brought back, or why it failed (`error`, `message`).

    `etag`, `last_modified` and `body_hash` are what to store and send next time: on a
    304 they echo the values sent when the server did not repeat them.
    """

    url: str  # as asked
    final_url: str  # after redirects
    status: int | None = None  # the last HTTP status; None when nothing came back
    body: bytes | None = None  # decompressed; None when not modified or failed
    content_type: str | None = None  # media type, lowercase, no parameters
    charset: str | None = None  # from Content-Type, lowercase; None when not declared
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None  # xxh3-128 hex of `body`
    not_modified: bool = False  # 304, or the same body hash as `previous_hash`
    elapsed: float = 0.0  # seconds, waits for the host included
    error: ErrorKind | None = None
    message: str | None = None
    retry_after: float | None = None  # seconds, from Retry-After (seconds or HTTP-date)
    redirects: tuple[str, ...] = ()  # every URL after the first
    # every hop was 301/308: a caller may update the stored URL (or not: a hijacked
    # domain redirects permanently too)
    permanent_redirect: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def body_hash(body: bytes) -> str:
    """The hash `FetchResult.body_hash` holds, for callers that hash stored bodies."""
    return xxhash.xxh3_128_hexdigest(body)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date (at `now`,
    a Unix time). None when absent or unreadable; a date in the past gives 0."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header, both lowercase."""
    if not header:
        return None, None
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return media.strip().lower() or None, charset


class _Failure(Exception):
    def __init__(self, kind: ErrorKind, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.retry_after = retry_after


@dataclass(slots=True)
class _Redirect:
    status: int
    location: str


@dataclass(slots=True)
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_end: float | None = None


class _Hosts:
    """Per-host turns: one request at a time, `delay` apart."""

    def __init__(
        self, delay: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self._delay = delay
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}

    @contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with self._lock:
            record = self._hosts.setdefault(host, _Host())
        with record.lock:
            now = self._clock()
            if record.last_end is not None and (wait := record.last_end + self._delay - now) > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                record.last_end = self._clock()


class _Inflater:
    """gzip / deflate decoding that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        # deflate is meant to be zlib-wrapped but is often raw; decided on the first bytes
        self._decoder = zlib.decompressobj(31 if self._gzip else 15)
        self._started = False
        self._done = False
        self.consumed = 0

    def feed(self, data: bytes, room: int) -> bytes:
        """Inflate `data`, stopping once the output passes `room` bytes."""
        out: list[bytes] = []
        size = 0
        while data and size <= room and not self._done:
            try:
                piece = self._decoder.decompress(data, room - size + 1)
            except zlib.error:
                if self._started or self._gzip:
                    raise
                self._decoder = zlib.decompressobj(-15)
                self._started = True
                continue
            self._started = True
            rest = self._decoder.unconsumed_tail
            tail = self._decoder.unused_data if self._decoder.eof else b""
            self.consumed += len(data) - len(rest) - len(tail)
            out.append(piece)
            size += len(piece)
            data = rest
            if self._decoder.eof:
                if self._gzip and tail[:2] == b"\x1f\x8b":  # another gzip member
                    self._decoder = zlib.decompressobj(31)
                    data = tail
                else:  # padding after the stream: ignored, as browsers do
                    self._done = True
        return b"".join(out)

    def finish(self) -> bytes:
        return b"" if self._done else self._decoder.flush()


def _inflater(header: str | None) -> _Inflater | None:
    codings = [c.strip().lower() for c in (header or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return _Inflater(codings[0])
    # we ask for gzip and deflate only (Accept-Encoding); anything else is a server bug
    raise _Failure("bad_encoding", f"unsupported Content-Encoding {header!r}")


def _header_value(value: str | None) -> str | None:
    """A stored validator, if it can be sent back as a header (printable ASCII)."""
    if value and value.isascii() and value.isprintable():
        return value
    return None


def _parse_url(text: str) -> httpx.URL:
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise _Failure("invalid_url", f"not a URL: {text!r} ({error})") from error
    if url.scheme not in ("http", "https"):
        raise _Failure("invalid_url", f"only http and https URLs are fetched: {text!r}")
    if not url.raw_host:
        raise _Failure("invalid_url", f"no host in {text!r}")
    return url.copy_with(fragment=None)


@dataclass(slots=True)
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    expires: float


class Fetcher:
    """Fetches pages and feeds politely, within caps, from public addresses only.

    Thread-safe: one Fetcher is meant to be shared by every worker, since the per-host
    turns and the robots.txt cache live in it. `clock` and `sleep` drive the per-host
    waits (tests may fake them); socket deadlines always use real time. `resolver` maps
    a host and port to addresses for both the address check and the connection.
    """

    def __init__(
        self,
        user_agent: str = DEFAULT_USER_AGENT,
        *,
        min_host_delay: float = 1.0,
        timeout: float = 30.0,
        max_bytes: int = 10_000_000,
        max_redirects: int = 5,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        respect_robots: bool = True,
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.respect_robots = respect_robots
        self._clock = clock
        self._wall_clock = wall_clock
        self._policy = AddressPolicy(allow_private=allow_private, allowed_networks=allowed_networks)
        self._resolver = resolver
        self._backend = GuardedBackend(self._policy, resolver)
        self._hosts = _Hosts(min_host_delay, clock, sleep)
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_lock = threading.Lock()
        self._client = httpx.Client(
            transport=guarded_transport(self._backend),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(timeout),
            # a jar that accepts nothing: fetches stay independent of each other
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        kind: FetchKind = "page",
        etag: str | None = None,
        last_modified: str | None = None,
        previous_hash: str | None = None,
    ) -> FetchResult:
        """GET `url` as a `kind`; a result, never an exception, for network faults."""
        started = self._clock()
        result = self._get(
            url,
            kind=kind,
            etag=_header_value(etag),
            last_modified=_header_value(last_modified),
            previous_hash=previous_hash,
            max_bytes=self.max_bytes,
        )
        return replace(result, elapsed=self._clock() - started)

    def _get(
        self,
        url: str,
        *,
        kind: Literal["page", "feed", "robots"],
        etag: str | None = None,
        last_modified: str | None = None,
        previous_hash: str | None = None,
        max_bytes: int,
    ) -> FetchResult:
        headers = {"Accept": _ACCEPT[kind]}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current_text = url
        redirects: list[str] = []
        permanent = False
        status: int | None = None
        failed: ErrorKind
        left = self.timeout
        try:
            current = _parse_url(url)
            visited = {str(current)}
            for hop in range(self.max_redirects + 1):
                current_text = str(current)
                host = current.raw_host.decode("ascii").lower()
                port = current.port or (443 if current.scheme == "https" else 80)
                self._check_address(host, port)
                if kind == "page" and self.respect_robots and not self._robots_allow(current):
                    raise _Failure("robots_disallowed", f"robots.txt of {host} disallows {url}")
                if left <= 0:
                    raise _Failure("timeout", f"no answer within {self.timeout:g} s")
                outcome, spent = self._hop(
                    current, host, kind, headers, previous_hash, max_bytes, left
                )
                left -= spent
                if isinstance(outcome, FetchResult):
                    return replace(
                        outcome,
                        url=url,
                        redirects=tuple(redirects),
                        permanent_redirect=permanent,
                        etag=outcome.etag or (etag if outcome.status == 304 else None),
                        last_modified=outcome.last_modified
                        or (last_modified if outcome.status == 304 else None),
                    )
                status = outcome.status
                permanent = (permanent or hop == 0) and outcome.status in (301, 308)
                try:
                    target = _parse_url(str(current.join(outcome.location)))
                except (httpx.InvalidURL, ValueError) as bad:
                    raise _Failure("invalid_url", f"bad redirect {outcome.location!r}") from bad
                if str(target) in visited:
                    raise _Failure("redirect_loop", f"redirect loop back to {target}")
                if hop == self.max_redirects:
                    raise _Failure(
                        "too_many_redirects", f"more than {self.max_redirects} redirects"
                    )
                visited.add(str(target))
                redirects.append(str(target))
                current = target
            raise AssertionError("unreachable: the loop returns or raises")
        except _Failure as failure:
            failed, message, retry_after = failure.kind, failure.message, failure.retry_after
        except httpx.TimeoutException:
            failed, message, retry_after = "timeout", f"no answer within {self.timeout:g} s", None
        except AddressRefused as refused:
            failed, message, retry_after = "private_address", str(refused), None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as invalid:
            failed, message, retry_after = "invalid_url", str(invalid), None
        except httpx.HTTPError as broken:
            failed, message, retry_after = "connection", f"{type(broken).__name__}: {broken}", None
        return FetchResult(
            url=url,
            final_url=current_text,
            status=status,
            error=failed,
            message=message,
            retry_after=retry_after,
            redirects=tuple(redirects),
        )

    def _check_address(self, host: str, port: int) -> None:
        try:
            self._policy.check(host, port, self._resolver)
        except AddressRefused as refused:
            raise _Failure("private_address", str(refused)) from refused
        except OSError as error:
            raise _Failure("connection", f"cannot resolve {host}: {error}") from error

    def _hop(
        self,
        url: httpx.URL,
        host: str,
        kind: Literal["page", "feed", "robots"],
        headers: dict[str, str],
        previous_hash: str | None,
        max_bytes: int,
        budget: float,
    ) -> tuple[FetchResult | _Redirect, float]:
        """One request in the host's turn, within `budget` seconds from when the turn
        starts (waiting for the turn is politeness, not the server's slowness); the
        outcome and the seconds it took."""
        with self._hosts.turn(host):
            started = time.monotonic()
            self._backend.deadlines.set(started + budget)
            try:
                with self._client.stream(
                    "GET", url, headers=headers, timeout=httpx.Timeout(budget)
                ) as response:
                    outcome = self._answer(response, kind, previous_hash, max_bytes)
                    return outcome, time.monotonic() - started
            finally:
                self._backend.deadlines.set(None)

    def _answer(
        self,
        response: httpx.Response,
        kind: Literal["page", "feed", "robots"],
        previous_hash: str | None,
        max_bytes: int,
    ) -> FetchResult | _Redirect:
        status = response.status_code
        final = str(response.url)
        if status in _REDIRECTS:
            location = response.headers.get("location")
            if not location:
                return self._error(final, status, "http_other", f"HTTP {status} without Location")
            return _Redirect(status, location)
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if status == 304:
            return FetchResult(
                url=final,
                final_url=final,
                status=status,
                etag=etag,
                last_modified=last_modified,
                body_hash=previous_hash,
                not_modified=True,
            )
        if not 200 <= status < 300:
            retry_after = None
            if status == 429 or status >= 500:
                retry_after = parse_retry_after(
                    response.headers.get("retry-after"), self._wall_clock()
                )
            error: ErrorKind = (
                "http_404"
                if status == 404
                else "http_410"
                if status == 410
                else "http_429"
                if status == 429
                else "http_5xx"
                if 500 <= status < 600
                else "http_other"
            )
            message = f"HTTP {status} {response.reason_phrase}".rstrip()
            return self._error(final, status, error, message, retry_after)
        media, charset = parse_content_type(response.headers.get("content-type"))
        allowed = {"page": PAGE_TYPES, "feed": FEED_TYPES}.get(kind)
        if allowed is not None and media is not None and media not in allowed:
            result = self._error(final, status, "bad_content_type", f"a {kind} cannot be {media}")
            return replace(result, content_type=media, charset=charset)
        try:
            body = _read_body(response, max_bytes, truncate=kind == "robots")
        except _Failure as failure:
            result = self._error(final, status, failure.kind, failure.message)
            return replace(result, content_type=media, charset=charset)
        digest = body_hash(body)
        same = previous_hash is not None and digest == previous_hash
        return FetchResult(
            url=final,
            final_url=final,
            status=status,
            body=None if same else body,
            content_type=media,
            charset=charset,
            etag=etag,
            last_modified=last_modified,
            body_hash=digest,
            not_modified=same,
        )

    @staticmethod
    def _error(
        final: str,
        status: int,
        error: ErrorKind,
        message: str,
        retry_after: float | None = None,
    ) -> FetchResult:
        return FetchResult(
            url=final,
            final_url=final,
            status=status,
            error=error,
            message=message,
            retry_after=retry_after,
        )

    def _robots_allow(self, url: httpx.URL) -> bool:
        robots_url = url.copy_with(raw_path=b"/robots.txt")
        origin = str(robots_url)
        with self._robots_lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            entry = self._robots.get(origin)
            if entry is None or entry.expires <= self._clock():
                entry = self._load_robots(origin)
                with self._robots_lock:
                    self._robots.pop(origin, None)
                    self._robots[origin] = entry
                    while len(self._robots) > ROBOTS_CACHE_MAX:
                        oldest = next(iter(self._robots))
                        del self._robots[oldest]
                        self._robots_locks.pop(oldest, None)
        return entry.parser is None or entry.parser.can_fetch(ROBOTS_TOKEN, str(url))

    def _load_robots(self, robots_url: str) -> _Robots:
        result = self._get(robots_url, kind="robots", max_bytes=ROBOTS_MAX_BYTES)
        now = self._clock()
        if result.ok and result.body is not None:
            parser = RobotFileParser(robots_url)
            parser.parse(result.body.decode("utf-8", "replace").splitlines())
            parser.modified()  # without it can_fetch answers False to everything
            return _Robots(parser, now + ROBOTS_TTL)
        status = result.status or 0
        if 400 <= status < 500 and status != 429:
            return _Robots(None, now + ROBOTS_TTL)  # RFC 9309: unavailable, allow all
        return _Robots(None, now + ROBOTS_FAILURE_TTL)


def _read_body(response: httpx.Response, max_bytes: int, *, truncate: bool) -> bytes:
    """The decompressed body, at most `max_bytes`: past it, a _Failure (or, with
    `truncate`, the first `max_bytes`)."""
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise _Failure("too_large", f"Content-Length {int(declared):,} is over {max_bytes:,} bytes")
    inflater = _inflater(response.headers.get("content-encoding"))
    chunks: list[bytes] = []
    size = raw = 0
    try:
        for data in response.iter_raw():
            raw += len(data)
            piece = data if inflater is None else inflater.feed(data, max_bytes - size)
            if size + len(piece) > max_bytes or raw > max_bytes:
                if truncate:
                    chunks.append(piece[: max_bytes - size])
                    return b"".join(chunks)
                if inflater is not None and (size + len(piece)) >= BOMB_RATIO * max(
                    inflater.consumed, 1
                ):
                    raise _Failure(
                        "decompression_bomb",
                        f"body inflates past {max_bytes:,} bytes from "
                        f"{inflater.consumed:,} compressed",
                    )
                raise _Failure("too_large", f"body is over {max_bytes:,} bytes")
            chunks.append(piece)
            size += len(piece)
        if inflater is not None:
            tail = inflater.finish()
            if size + len(tail) > max_bytes and not truncate:
                raise _Failure("too_large", f"body is over {max_bytes:,} bytes")
            chunks.append(tail[: max_bytes - size])
    except zlib.error as error:
        raise _Failure("bad_encoding", f"corrupt compressed body: {error}") from error
    return b"".join(chunks)
