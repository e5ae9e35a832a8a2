"""The fetch layer against a real HTTP server on loopback (tests/loopback.py).

Every request goes to 127.0.0.1 (or 127.0.0.2), a bounded number of times, with
timeouts under a second; names such as "public.example" reach loopback only through
an injected resolver, and the address checks refuse before anything is sent.
"""

from __future__ import annotations

import gzip
import math
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from loopback import LoopbackServer, Reply, Request
from shared_data import require

from crosswire import __version__
from crosswire.sources import (
    AddressPolicy,
    AddressRefused,
    ErrorKind,
    Fetcher,
    backoff,
    body_hash,
    failure_delay,
    is_soft,
    parse_content_type,
    parse_retry_after,
    refusal,
    success_delay,
    system_resolver,
)
from crosswire.sources.net import parse_ip

HTML = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction" / "html"
MB = 1_000_000


@pytest.fixture(scope="module")
def pages_gz() -> list[bytes]:
    """Two real article pages, as stored (gzip)."""
    require(HTML)
    files = sorted(HTML.glob("*.html.gz"))[:2]
    assert len(files) == 2, f"expected article pages in {HTML}"
    return [f.read_bytes() for f in files]


@pytest.fixture(scope="module")
def pages(pages_gz: list[bytes]) -> list[bytes]:
    return [gzip.decompress(raw) for raw in pages_gz]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    """Fetchers for the loopback server: private addresses allowed, no host delay."""
    made: list[Fetcher] = []

    def make(**options: Any) -> Fetcher:
        fetcher = Fetcher(
            **({"allow_private": True, "min_host_delay": 0.0, "timeout": 5.0} | options)
        )
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _paths(server: LoopbackServer) -> list[str]:
    """The paths asked for, robots.txt (asked before every page host) left out."""
    return [r.path for r in server.requests() if r.path != "/robots.txt"]


# --- pages and conditional GET ----------------------------------------------------------


def test_page_is_fetched_with_its_metadata(server, make_fetcher, pages):
    server.route(
        "/news/story.html",
        Reply.html(
            pages[0],
            content_type="text/html; charset=UTF-8",
            headers={"ETag": '"abc"', "Last-Modified": "Mon, 01 Dec 2025 10:00:00 GMT"},
        ),
    )
    result = make_fetcher().fetch(server.url("/news/story.html#top"))
    assert result.ok, result.message
    assert result.status == 200
    assert result.body == pages[0]
    assert (result.content_type, result.charset) == ("text/html", "utf-8")
    assert result.etag == '"abc"'
    assert result.last_modified == "Mon, 01 Dec 2025 10:00:00 GMT"
    assert result.body_hash == body_hash(pages[0])
    assert not result.not_modified
    assert result.final_url == server.url("/news/story.html")  # fragment never sent
    assert result.elapsed > 0
    assert [r.path for r in server.requests("/news/story.html")] == ["/news/story.html"]


def test_gzip_encoded_page_is_decoded(server, make_fetcher, pages_gz, pages):
    server.route("/gz", Reply(body=pages_gz[1], headers={"Content-Encoding": "gzip"}))
    result = make_fetcher().fetch(server.url("/gz"))
    assert result.ok, result.message
    assert result.body == pages[1]
    assert server.requests("/gz")[0].header("accept-encoding") == "gzip, deflate"


def test_deflate_raw_and_wrapped_are_decoded(server, make_fetcher):
    text = b"<html><body>" + b"a story " * 500 + b"</body></html>"
    raw = zlib.compressobj(wbits=-15)
    server.route("/zlib", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"}))
    server.route(
        "/raw",
        Reply(body=raw.compress(text) + raw.flush(), headers={"Content-Encoding": "deflate"}),
    )
    fetcher = make_fetcher()
    assert fetcher.fetch(server.url("/zlib")).body == text
    assert fetcher.fetch(server.url("/raw")).body == text


def test_not_modified_by_etag_and_by_date(server, make_fetcher, pages):
    def by_etag(request: Request) -> Reply:
        if request.header("if-none-match") == '"v1"':
            return Reply(status=304, content_type=None)
        return Reply.html(pages[0], headers={"ETag": '"v1"'})

    def by_date(request: Request) -> Reply:
        if request.header("if-modified-since") == "Mon, 01 Dec 2025 10:00:00 GMT":
            return Reply(status=304, content_type=None)
        return Reply.html(pages[1], headers={"Last-Modified": "Mon, 01 Dec 2025 10:00:00 GMT"})

    server.route("/etag", by_etag)
    server.route("/date", by_date)
    fetcher = make_fetcher()
    for path in ("/etag", "/date"):
        first = fetcher.fetch(server.url(path))
        assert first.ok and first.body and not first.not_modified
        again = fetcher.fetch(
            server.url(path),
            etag=first.etag,
            last_modified=first.last_modified,
            previous_hash=first.body_hash,
        )
        assert again.ok, again.message
        assert again.status == 304
        assert again.not_modified and again.body is None
        # what to store for next time, even though the 304 did not repeat it
        assert (again.etag, again.last_modified) == (first.etag, first.last_modified)
        assert again.body_hash == first.body_hash
    etag_asks = server.requests("/etag")
    assert etag_asks[0].header("if-none-match") is None
    assert etag_asks[1].header("if-none-match") == '"v1"'
    assert server.requests("/date")[1].header("if-modified-since") == (
        "Mon, 01 Dec 2025 10:00:00 GMT"
    )


def test_same_body_under_a_new_etag_is_not_modified(server, make_fetcher, pages):
    served = iter(range(100))
    # the server ignores If-None-Match and mints an ETag per request
    server.route("/feed", lambda r: Reply.html(pages[0], headers={"ETag": f'"{next(served)}"'}))
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/feed"))
    again = fetcher.fetch(server.url("/feed"), etag=first.etag, previous_hash=first.body_hash)
    assert again.status == 200 and again.ok
    assert again.not_modified and again.body is None
    assert again.body_hash == first.body_hash
    assert again.etag == '"1"' != first.etag


def test_changed_body_under_the_same_etag_is_new(server, make_fetcher, pages):
    server.route("/feed", Reply.html(pages[0], headers={"ETag": '"same"'}))
    fetcher = make_fetcher()
    first = fetcher.fetch(server.url("/feed"))
    # new content, same ETag, and a server that never answers 304
    server.route("/feed", Reply.html(pages[1], headers={"ETag": '"same"'}))
    again = fetcher.fetch(server.url("/feed"), etag=first.etag, previous_hash=first.body_hash)
    assert server.requests("/feed")[1].header("if-none-match") == '"same"'
    assert again.ok and not again.not_modified
    assert again.body == pages[1]
    assert again.body_hash != first.body_hash


def test_unsendable_validators_are_dropped(server, make_fetcher):
    server.route("/p", Reply.html("<p>x</p>"))
    result = make_fetcher().fetch(server.url("/p"), etag='"a"\r\nX-Evil: 1', last_modified="\x00")
    assert result.ok
    request = server.requests("/p")[0]
    assert request.header("if-none-match") is None and request.header("x-evil") is None


# --- HTTP errors and Retry-After --------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (404, "http_404"),
        (410, "http_410"),
        (500, "http_5xx"),
        (503, "http_5xx"),
        (403, "http_other"),
    ],
)
def test_http_errors_are_reported_not_raised(server, make_fetcher, status, kind):
    server.route("/x", Reply.error(status))
    result = make_fetcher().fetch(server.url("/x"))
    assert (result.status, result.error) == (status, kind)
    assert not result.ok and result.body is None and result.retry_after is None
    assert str(status) in (result.message or "")


def test_429_retry_after_is_for_that_feed_not_the_whole_host(server, make_fetcher):
    server.route("/feed", Reply.error(429, headers={"Retry-After": "120"}))
    server.route("/other-feed", Reply.xml("<rss/>"))
    fetcher = make_fetcher()
    result = fetcher.fetch(server.url("/feed"), kind="feed")
    assert (result.status, result.error, result.retry_after) == (429, "http_429", 120.0)
    # another feed of the same host is fetched as usual
    other = fetcher.fetch(server.url("/other-feed"), kind="feed")
    assert other.ok and len(server.requests("/other-feed")) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_http_date(server, make_fetcher, status):
    when = datetime.now(UTC) + timedelta(seconds=90)
    server.route(
        "/x", Reply.error(status, headers={"Retry-After": format_datetime(when, usegmt=True)})
    )
    result = make_fetcher().fetch(server.url("/x"))
    assert result.status == status
    assert result.retry_after is not None and 85 <= result.retry_after <= 90


def test_parse_retry_after():
    now = datetime(2025, 12, 1, 12, 0, tzinfo=UTC).timestamp()
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("Mon, 01 Dec 2025 12:01:30 GMT", now) == 90.0
    assert parse_retry_after("Mon, 01 Dec 2025 11:00:00 GMT", now) == 0.0  # past: now
    for junk in (None, "", "soon", "-5", "1.5", "١٢٠"):
        assert parse_retry_after(junk, now) is None


# --- time, size and decompression caps --------------------------------------------------


def test_slow_response_times_out(server, make_fetcher):
    server.route("/slow", Reply.html("<p>late</p>", delay=0.9))
    result = make_fetcher(timeout=0.4).fetch(server.url("/slow"))
    assert result.error == "timeout"
    assert result.elapsed < 0.8


def test_total_time_is_capped_not_just_each_read(server, make_fetcher):
    # a chunk every 0.1 s: no single read ever waits long, the whole fetch would take 3 s
    server.route(
        "/drip", lambda r: Reply(body=(b"<p>drip</p>" for _ in range(30)), chunk_delay=0.1)
    )
    started = time.monotonic()
    result = make_fetcher(timeout=0.4).fetch(server.url("/drip"))
    assert result.error == "timeout"
    assert time.monotonic() - started < 0.8


def test_huge_streamed_body_stops_at_the_cap(server, make_fetcher):
    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>"
    total = 800 * len(chunk)  # ~52 MB, never declared
    server.route("/huge", lambda r: Reply(body=(chunk for _ in range(800))))
    result = make_fetcher(max_bytes=1 * MB).fetch(server.url("/huge"))
    assert (result.status, result.error) == (200, "too_large")
    assert result.body is None
    time.sleep(0.05)  # let the server notice the hang-up
    assert server.sent("/huge") < total / 4


def test_declared_length_over_the_cap_is_not_read(server, make_fetcher):
    chunk = b"x" * (64 * 1024)
    server.route(
        "/huge", lambda r: Reply(body=(chunk for _ in range(800)), length=800 * len(chunk))
    )
    result = make_fetcher(max_bytes=1 * MB).fetch(server.url("/huge"))
    assert result.error == "too_large"
    assert "Content-Length" in (result.message or "")
    time.sleep(0.05)
    assert server.sent("/huge") < 800 * len(chunk) / 4


def test_gzip_bomb_stops_at_the_cap(server, make_fetcher):
    packer = zlib.compressobj(9, wbits=31)
    bomb = b"".join(packer.compress(bytes(MB)) for _ in range(50)) + packer.flush()
    assert len(bomb) < 100_000  # 50 MB of zeros in ~50 KB
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    result = make_fetcher(max_bytes=1 * MB).fetch(server.url("/bomb"))
    assert (result.status, result.error) == (200, "decompression_bomb")
    assert result.body is None


def test_corrupt_or_unknown_encoding(server, make_fetcher):
    server.route("/corrupt", Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    server.route("/br", Reply(body=b"\x00\x01", headers={"Content-Encoding": "br"}))
    fetcher = make_fetcher()
    assert fetcher.fetch(server.url("/corrupt")).error == "bad_encoding"
    assert fetcher.fetch(server.url("/br")).error == "bad_encoding"


# --- redirects --------------------------------------------------------------------------


def test_redirects_are_followed_and_reported(server, make_fetcher):
    server.route("/old", Reply.redirect("/moved", status=301))
    server.route("/moved", Reply.redirect(server.url("/new"), status=308))
    server.route("/temp", Reply.redirect("new", status=302))  # relative to /temp
    server.route("/new", Reply.html("<p>here</p>"))
    fetcher = make_fetcher()
    moved = fetcher.fetch(server.url("/old"))
    assert moved.ok and moved.body == b"<p>here</p>"
    assert moved.final_url == server.url("/new")
    assert moved.redirects == (server.url("/moved"), server.url("/new"))
    assert moved.permanent_redirect
    temp = fetcher.fetch(server.url("/temp"))
    assert temp.ok and temp.final_url == server.url("/new") and not temp.permanent_redirect


def test_redirect_loop(server, make_fetcher):
    server.route("/a", Reply.redirect("/b"))
    server.route("/b", Reply.redirect("/a"))
    result = make_fetcher().fetch(server.url("/a"))
    assert result.error == "redirect_loop"
    assert _paths(server) == ["/a", "/b"]


def test_too_many_redirects(server, make_fetcher):
    for i in range(10):
        server.route(f"/r{i}", Reply.redirect(f"/r{i + 1}"))
    server.route("/r10", Reply.html("<p>end</p>"))
    fetcher = make_fetcher(max_redirects=5)
    result = fetcher.fetch(server.url("/r0"))
    assert result.error == "too_many_redirects"
    assert len(_paths(server)) == 6  # the first request and five redirects
    assert fetcher.fetch(server.url("/r5")).ok  # exactly five redirects is fine


def test_redirect_to_another_scheme_is_refused(server, make_fetcher):
    server.route("/ftp", Reply.redirect("ftp://127.0.0.1/file"))
    server.route("/file", Reply.redirect("file:///etc/passwd"))
    fetcher = make_fetcher()
    assert fetcher.fetch(server.url("/ftp")).error == "invalid_url"
    assert fetcher.fetch(server.url("/file")).error == "invalid_url"


# --- content types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content_type", "ok"),
    [
        ("page", "text/html", True),
        ("page", "application/xhtml+xml", True),
        ("page", "application/pdf", False),
        ("page", "application/rss+xml", False),
        ("feed", "application/rss+xml", True),
        ("feed", "application/atom+xml; charset=utf-8", True),
        ("feed", "text/xml", True),
        ("feed", "application/feed+json", True),
        ("feed", "text/html", True),  # the feed layer decides; the type is reported
        ("feed", "image/png", False),
    ],
)
def test_content_types(server, make_fetcher, kind, content_type, ok):
    server.route("/doc", Reply(body=b"<x/>", content_type=content_type))
    result = make_fetcher().fetch(server.url("/doc"), kind=kind)
    assert result.ok is ok, result.message
    assert result.content_type == parse_content_type(content_type)[0]
    if not ok:
        assert result.error == "bad_content_type" and result.body is None


def test_parse_content_type():
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type("application/xml") == ("application/xml", None)
    assert parse_content_type(None) == (None, None)


# --- robots.txt -------------------------------------------------------------------------


def test_robots_disallow_refuses_pages_not_feeds(server, make_fetcher):
    server.route(
        "/robots.txt",
        Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
    )
    server.route("/private/story.html", Reply.html("<p>secret</p>"))
    server.route("/private/feed.xml", Reply.xml("<rss/>"))
    server.route("/story.html", Reply.html("<p>open</p>"))
    fetcher = make_fetcher()
    refused = fetcher.fetch(server.url("/private/story.html"))
    assert refused.error == "robots_disallowed"
    assert fetcher.fetch(server.url("/private/feed.xml"), kind="feed").ok
    assert fetcher.fetch(server.url("/story.html")).ok
    assert server.requests("/private/story.html") == []
    assert len(server.requests("/robots.txt")) == 1  # fetched once, then cached
    assert make_fetcher(respect_robots=False).fetch(server.url("/private/story.html")).ok


def test_robots_group_for_crosswire(server, make_fetcher):
    robots = b"User-agent: crosswire\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(body=robots, content_type="text/plain"))
    server.route("/story.html", Reply.html("<p>open to others</p>"))
    assert make_fetcher().fetch(server.url("/story.html")).error == "robots_disallowed"


@pytest.mark.parametrize("status", [404, 500])
def test_missing_or_failing_robots_allows_and_is_cached(server, make_fetcher, status):
    server.route("/robots.txt", Reply.error(status))
    server.route("/a.html", Reply.html("<p>a</p>"))
    server.route("/b.html", Reply.html("<p>b</p>"))
    fetcher = make_fetcher()
    assert fetcher.fetch(server.url("/a.html")).ok
    assert fetcher.fetch(server.url("/b.html")).ok
    assert len(server.requests("/robots.txt")) == 1


# --- politeness -------------------------------------------------------------------------


def test_min_delay_between_requests_to_one_host(server, make_fetcher):
    server.route("/feed.xml", Reply.xml("<rss/>"))
    server.route("/other.xml", Reply.xml("<rss/>"))
    # the wait for the host's turn is not the server's slowness: it does not count
    # towards the (shorter) timeout
    fetcher = make_fetcher(min_host_delay=0.25, timeout=0.2)
    assert fetcher.fetch(server.url("/feed.xml"), kind="feed").ok
    second = fetcher.fetch(server.url("/other.xml"), kind="feed")
    assert second.ok, second.message
    assert second.elapsed >= 0.2  # it waited
    first_request, second_request = server.requests()
    assert second_request.time - first_request.time >= 0.25


def test_host_delay_runs_on_the_injected_clock(server, make_fetcher):
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    server.route("/feed.xml", Reply.xml("<rss/>"))
    fetcher = make_fetcher(min_host_delay=30.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        assert fetcher.fetch(server.url("/feed.xml"), kind="feed").ok
    assert slept == [30.0, 30.0]  # no wait before the first request, 30 s before the others


def test_one_request_at_a_time_per_host(server, make_fetcher):
    for i in range(3):
        server.route(f"/slow{i}.xml", Reply.xml("<rss/>", delay=0.15))
    fetcher = make_fetcher()

    def fetch_all(urls: list[str]) -> list[bool]:
        results: list[bool] = []
        threads = [
            threading.Thread(target=lambda u=u: results.append(fetcher.fetch(u, kind="feed").ok))
            for u in urls
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=5)
        return results

    assert fetch_all([server.url(f"/slow{i}.xml") for i in range(3)]) == [True] * 3
    assert server.max_active == 1
    # two names for the loopback server are two hosts: they do not wait for each other
    both = [server.url("/slow0.xml"), server.url("/slow1.xml", host="localhost")]
    assert fetch_all(both) == [True] * 2
    assert server.max_active == 2


def test_user_agent_and_no_cookies(server, make_fetcher):
    server.route("/p", Reply.html("<p>x</p>", headers={"Set-Cookie": "session=tracked; Path=/"}))
    fetcher = make_fetcher()
    fetcher.fetch(server.url("/p"))
    fetcher.fetch(server.url("/p"))
    first, second = server.requests("/p")
    user_agent = first.header("user-agent") or ""
    assert user_agent.startswith(f"crosswire/{__version__} (+")
    assert second.header("cookie") is None
    make_fetcher(user_agent="crosswire/test (+mailto:ops@example.org)").fetch(server.url("/p"))
    assert (
        server.requests("/p")[-1].header("user-agent") == "crosswire/test (+mailto:ops@example.org)"
    )


# --- addresses --------------------------------------------------------------------------


def test_connection_refused_and_bad_urls(make_fetcher):
    fetcher = make_fetcher()
    assert fetcher.fetch(f"http://127.0.0.1:{_closed_port()}/").error == "connection"
    for url in ("ftp://example.org/feed", "file:///etc/passwd", "not a url", "http://", "//x/y"):
        assert fetcher.fetch(url).error == "invalid_url", url


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "127.1", "[::1]", "[::ffff:127.0.0.1]", "0.0.0.0"]
)
def test_private_addresses_are_refused(server, make_fetcher, host):
    server.route("/", Reply.html("<p>internal</p>"))
    result = make_fetcher(allow_private=False).fetch(f"http://{host}:{server.port}/", kind="feed")
    assert result.error == "private_address", result.message
    assert server.requests() == []


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.2",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.251",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",
        "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
        "2001:db8::1",
    ],
)
def test_refused_addresses(address):
    ip = parse_ip(address)
    assert ip is not None and refusal(ip) is not None


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses(address):
    ip = parse_ip(address)
    assert ip is not None and refusal(ip) is None


def test_a_host_is_refused_when_any_address_is_private():
    def resolver(host: str, port: int) -> list[str]:
        return {
            "public.example": ["93.184.216.34"],
            "mixed.example": ["93.184.216.34", "10.0.0.7"],
        }[host]

    policy = AddressPolicy()
    assert policy.check("public.example", 443, resolver) == ["93.184.216.34"]
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.7"):
        policy.check("mixed.example", 443, resolver)
    assert AddressPolicy(allow_private=True).check("mixed.example", 443, resolver)
    assert AddressPolicy(allowed_networks=["10.0.0.0/8"]).check("mixed.example", 443, resolver)


@pytest.fixture
def public_server() -> Iterator[LoopbackServer]:
    """A second server on 127.0.0.2, standing in for a public host."""
    try:
        running = LoopbackServer("127.0.0.2").start()
    except OSError as error:  # only 127.0.0.1 exists on some systems (macOS)
        pytest.skip(f"cannot bind 127.0.0.2: {error}")
    yield running
    running.stop()


def test_redirect_from_public_host_to_private_is_refused(server, public_server, make_fetcher):
    inner = server.port
    server.route("/secret", Reply.html("<p>internal</p>"))
    public_server.route("/story.html", Reply.html("<p>public</p>"))
    public_server.route("/to-literal", Reply.redirect(f"http://127.0.0.1:{inner}/secret"))
    public_server.route("/to-localhost", Reply.redirect(f"http://localhost:{inner}/secret"))
    public_server.route("/to-name", Reply.redirect(f"http://sneaky.example:{inner}/secret"))
    public_server.route("/to-mapped", Reply.redirect(f"http://[::ffff:127.0.0.1]:{inner}/secret"))

    def resolver(host: str, port: int) -> list[str]:
        fake = {"public.example": ["127.0.0.2"], "sneaky.example": ["127.0.0.1"]}
        return fake[host] if host in fake else system_resolver(host, port)

    # 127.0.0.2 plays the public internet; everything else private stays refused
    fetcher = make_fetcher(
        allow_private=False, allowed_networks=["127.0.0.2/32"], resolver=resolver
    )
    base = f"http://public.example:{public_server.port}"
    assert fetcher.fetch(f"{base}/story.html").body == b"<p>public</p>"
    for path in ("/to-literal", "/to-localhost", "/to-name", "/to-mapped"):
        result = fetcher.fetch(f"{base}{path}")
        assert result.error == "private_address", (path, result.message)
        assert len(result.redirects) == 1
    assert server.requests() == []


def test_dns_rebinding_is_refused_at_connect(server, public_server, make_fetcher):
    server.route("/feed.xml", Reply.xml("<rss/>"))
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        asked.append(host)  # public for the check, private for the connection
        return ["127.0.0.2"] if len(asked) == 1 else ["127.0.0.1"]

    fetcher = make_fetcher(
        allow_private=False, allowed_networks=["127.0.0.2/32"], resolver=rebinding
    )
    result = fetcher.fetch(f"http://rebind.example:{server.port}/feed.xml", kind="feed")
    assert result.error == "private_address", result.message
    assert asked == ["rebind.example", "rebind.example"]  # refused by the second answer
    assert server.requests() == []


# --- backoff ----------------------------------------------------------------------------

SOFT = ["timeout", "connection", "http_429", "http_5xx"]
HARD = ["http_404", "http_410", "bad_content_type", "unparseable", "private_address"]


def test_every_error_kind_has_a_schedule():
    kinds = set(get_args(ErrorKind))
    assert kinds <= backoff.SOFT_KINDS | backoff.HARD_KINDS
    assert not backoff.SOFT_KINDS & backoff.HARD_KINDS
    assert all(is_soft(k) for k in SOFT) and not any(is_soft(k) for k in HARD)


@pytest.mark.parametrize("kind", SOFT + HARD)
@pytest.mark.parametrize("u", [0.0, 0.5, 0.999])
def test_failure_delays_grow_then_cap(kind, u):
    delays = [failure_delay(kind, n, rng=lambda: u) for n in range(1, 60)]
    assert delays == sorted(delays)  # monotone in the failure count
    assert delays[1] > delays[0]  # and it does back off
    cap = backoff.SOFT_CAP if is_soft(kind) else backoff.HARD_CAP
    assert cap * (1 - backoff.JITTER) <= delays[-1] <= cap * (1 + backoff.JITTER)
    far = failure_delay(kind, 10**9, rng=lambda: u)
    assert math.isfinite(far) and far == delays[-1]  # never infinite, never dropped


def test_soft_failures_retry_sooner_than_hard():
    for n in (1, 3, 10):
        assert failure_delay("http_5xx", n, rng=lambda: 0.5) < failure_delay(
            "http_404", n, rng=lambda: 0.5
        )
    assert failure_delay("timeout", 1, rng=lambda: 0.5) == backoff.SOFT_BASE
    assert failure_delay("http_410", 1, rng=lambda: 0.5) == backoff.HARD_BASE
    assert failure_delay("timeout", 0, rng=lambda: 0.5) == backoff.SOFT_BASE  # 0 read as 1


def test_retry_after_is_a_floor_capped_at_a_day():
    three_hours = 3 * backoff.HOUR
    for u in (0.0, 0.5, 0.999):
        assert failure_delay("http_429", 1, three_hours, rng=lambda u=u: u) >= three_hours
        year = failure_delay("http_429", 1, 365 * backoff.DAY, rng=lambda u=u: u)
        assert backoff.RETRY_AFTER_CAP <= year <= backoff.MAX_DELAY
        # a short Retry-After does not make us retry sooner than the schedule
        assert failure_delay("http_5xx", 5, 1.0, rng=lambda u=u: u) == failure_delay(
            "http_5xx", 5, rng=lambda u=u: u
        )
    for odd in (math.nan, -5.0, 0.0):
        assert failure_delay("http_429", 1, odd, rng=lambda: 0.5) == backoff.SOFT_BASE
    assert failure_delay("http_429", 1, math.inf, rng=lambda: 0.0) == backoff.RETRY_AFTER_CAP


def test_jitter_stays_within_bounds_and_spreads():
    rng = random.Random(7)
    low, high = 1 - backoff.JITTER, 1 + backoff.JITTER
    fails = [failure_delay("timeout", 1, rng=rng.random) / backoff.SOFT_BASE for _ in range(500)]
    wins = [success_delay(900.0, rng.random) / 900.0 for _ in range(500)]
    for factors in (fails, wins):
        assert all(low <= f <= high for f in factors)
        assert max(factors) - min(factors) > backoff.JITTER  # spread, not clumped
    assert success_delay(900.0, lambda: 0.0) == pytest.approx(900.0 * low)
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError):
            success_delay(bad)
