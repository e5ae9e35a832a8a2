"""Following feeds and a folder: a real HTTP server on loopback serves feeds whose
entries link to pages of real news text (ECB+ documents of one event), with the faults
feeds have in the wild. The watcher runs in process, and `crosswire watch` and
`crosswire add` as the commands a user runs."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from html import escape
from pathlib import Path

import pytest
from loopback import LoopbackServer, Reply, Request
from shared_data import require

from crosswire.sources import Fetcher
from crosswire.sources.backoff import HARD_BASE, JITTER, SOFT_BASE
from crosswire.sources.watch import Watcher, by_turns
from crosswire.store import Store
from crosswire.store.sources import SourceLog

ECB = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories_raw" / "ecbplus"
DOCS = ECB / "ecbplus_docs.jsonl"


def _need() -> None:
    require(DOCS)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    _need()
    return [json.loads(line) for line in DOCS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def event(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Documents of one real event (a celebrity's rehab stay) that the batch engine puts
    in one story when it sees them among other news: the live path must do the same."""
    return [r for r in rows if r["cluster"] == "1_ecb" and r["doc_id"] != "1_12ecb.xml"][:5]


@pytest.fixture(scope="module")
def background(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One document of each of twelve other events: the rest of a day's news, without
    which a store of one event's articles has no measure of which words are common."""
    first: dict[str, dict[str, str]] = {}
    for r in rows:
        if r["topic"] != "1":
            first.setdefault(r["cluster"], r)
    return list(first.values())[:12]


def _story_of(store: Store, docs: list[dict[str, str]]) -> set[str | None]:
    ids = {d["doc_id"] for d in docs}
    return {a.story for a in store.load_articles() if a.url and a.url.rsplit("/", 1)[-1] in ids}


def page(doc: dict[str, str]) -> bytes:
    body = "".join(f"<p>{escape(line)}</p>" for line in doc["text"].split("\n"))
    title = escape(doc["text"].split("\n")[0][:90])
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Loopback Daily</footer></body></html>"
    ).encode()


def rss(server: LoopbackServer, docs: list[dict[str, str]], full: bool = False) -> bytes:
    """The site's feed: each entry's lead, or with FULL its whole text, as many feeds do."""
    items = []
    for n, doc in enumerate(docs):
        first = doc["text"].split("\n")[0]
        lead = escape(doc["text"] if full else first)
        items.append(
            f"<item><title>{escape(first[:80])}</title><link>{server.url('/news/' + doc['doc_id'])}</link>"
            f"<guid>{doc['doc_id']}</guid><pubDate>Tue, 0{1 + n % 8} Dec 2026 10:00:00 GMT"
            f"</pubDate><description>{escape('<p>' + lead + '</p>')}</description></item>"
        )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Loopback Daily</title>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


class Site:
    """A news site on loopback: its feed (with ETag) and its article pages."""

    def __init__(
        self, server: LoopbackServer, docs: list[dict[str, str]], full: bool = False
    ) -> None:
        self.server = server
        self.docs = list(docs)
        self.full = full
        self.etag_fixed: str | None = None  # a feed whose ETag never changes
        self.feed_status = 200
        server.route("/feed.xml", self._feed)
        for doc in docs:
            server.route(f"/news/{doc['doc_id']}", Reply.html(page(doc)))

    def publish(self, docs: list[dict[str, str]]) -> None:
        self.docs = list(docs)
        for doc in docs:
            self.server.route(f"/news/{doc['doc_id']}", Reply.html(page(doc)))

    def _feed(self, request: Request) -> Reply:
        if self.feed_status != 200:
            return Reply.error(self.feed_status)
        body = rss(self.server, self.docs, self.full)
        etag = self.etag_fixed or f'"{len(self.docs)}"'
        if request.header("if-none-match") == etag and not self.etag_fixed:
            return Reply(status=304, body=b"", content_type=None, headers={"ETag": etag})
        return Reply.xml(body, headers={"ETag": etag})

    @property
    def feed_url(self) -> str:
        return self.server.url("/feed.xml")

    def page_requests(self) -> int:
        return sum(1 for r in self.server.requests() if r.path.startswith("/news/"))


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'watch.db'}")
    yield opened
    opened.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def watcher(store: Store, clock: Clock, **kw: object) -> Watcher:
    fetcher = Fetcher(allow_private=True, min_host_delay=0.0, timeout=10.0)
    return Watcher(store, fetcher, interval=900.0, clock=clock, rng=lambda: 0.5, **kw)  # type: ignore[arg-type]


def test_a_feed_brings_its_entries_pages_into_one_story_and_a_blocked_page_keeps_the_feed_text(
    server: LoopbackServer,
    store: Store,
    event: list[dict[str, str]],
    background: list[dict[str, str]],
) -> None:
    site = Site(server, background + event[:4])
    server.route(f"/news/{event[3]['doc_id']}", Reply.error(403))
    SourceLog(store).add_feeds({site.feed_url: "Loopback Daily"})
    clock = Clock()
    stats = watcher(store, clock).poll()
    n = len(background) + 4
    assert (stats.feeds_fetched, stats.entries_new, stats.pages_fetched) == (1, n, n - 1)
    assert stats.new_articles == n
    articles = store.load_articles()
    assert {a.outlet for a in articles} == {"Loopback Daily"}
    assert len(_story_of(store, event[:3])) == 1  # one event, one story
    blocked = next(a for a in articles if a.url and a.url.endswith(event[3]["doc_id"]))
    assert blocked.provenance["text"].source == "feed"
    assert "403" in (blocked.provenance["text"].evidence or "")
    (state,) = SourceLog(store).feeds()
    assert state.errors_in_row == 0 and state.last_success and state.articles == n
    # due again after the interval (jitter at its middle), not before
    assert state.next_fetch == pytest.approx(clock.now + 900.0, rel=0.01)


def test_a_watcher_follows_the_feeds_it_is_given_not_every_stored_one(
    server: LoopbackServer, store: Store, event: list[dict[str, str]]
) -> None:
    site = Site(server, event[:1])
    server.route("/dropped.xml", Reply.xml(rss(server, event[1:2])))
    dropped = server.url("/dropped.xml")
    SourceLog(store).add_feeds({site.feed_url: None, dropped: None})
    stats = watcher(store, Clock(), feeds=[site.feed_url]).poll()
    assert stats.feeds_due == 1 and server.requests("/dropped.xml") == []


def test_an_unchanged_feed_costs_one_conditional_request_and_no_page(
    server: LoopbackServer, store: Store, event: list[dict[str, str]]
) -> None:
    site = Site(server, event[:3])
    SourceLog(store).add_feeds({site.feed_url: None})
    clock = Clock()
    watch = watcher(store, clock)
    watch.poll()
    pages = site.page_requests()
    clock.now += 1000
    again = watch.poll()
    assert again.feeds_unchanged == 1 and again.new_articles == 0
    assert site.page_requests() == pages
    assert server.requests("/feed.xml")[-1].header("if-none-match") == '"3"'


def test_a_feed_whose_etag_never_changes_still_brings_a_new_entry_into_its_story(
    server: LoopbackServer,
    store: Store,
    event: list[dict[str, str]],
    background: list[dict[str, str]],
) -> None:
    site = Site(server, background + event[:2])
    site.etag_fixed = '"v1"'
    SourceLog(store).add_feeds({site.feed_url: None})
    clock = Clock()
    watch = watcher(store, clock)
    watch.poll()
    before = site.page_requests()
    site.publish(background + event[:3])
    clock.now += 1000
    stats = watch.poll()
    assert stats.entries_new == 1 and stats.new_articles == 1
    assert site.page_requests() == before + 1  # only the new entry's page
    assert len(_story_of(store, event[:3])) == 1


def test_an_entry_edited_in_place_is_a_revision_of_one_article_with_its_diff(
    server: LoopbackServer,
    store: Store,
    event: list[dict[str, str]],
    background: list[dict[str, str]],
) -> None:
    site = Site(server, background + event[:2])
    SourceLog(store).add_feeds({site.feed_url: None})
    clock = Clock()
    watch = watcher(store, clock)
    watch.poll()
    (first,) = [a for a in store.load_articles() if a.url and a.url.endswith(event[1]["doc_id"])]
    claims_before = {c.id for s in store.load_stories() for c in s.claims if c.article == first.id}
    edited = dict(event[1])
    note = "Her publicist later said she had left the clinic."
    edited["text"] = edited["text"].replace("\n", f" {note}\n", 1)
    site.publish([*background, event[0], edited])
    site.etag_fixed = '"edited"'
    clock.now += 1000
    before = site.page_requests()
    stats = watch.poll()
    assert (stats.entries_new, stats.entries_revised) == (0, 1)
    assert site.page_requests() == before + 1
    (now,) = [a for a in store.load_articles() if a.url and a.url.endswith(event[1]["doc_id"])]
    # one article, its id and story kept, its text replaced, the old one kept as a diff
    assert now.id == first.id and now.story == first.story
    assert note in now.text and note not in first.text
    (revision,) = now.revisions
    assert f"+{now.text.splitlines()[0]}" in revision.diff
    assert f"-{first.text.splitlines()[0]}" in revision.diff
    # its claims are read from the new text: the sentence that changed is claimed anew
    stories = {s.id: s for s in store.load_stories()}
    claims_after = [c for c in stories[now.story or ""].claims if c.article == now.id]
    assert all(c.text == now.text[c.start : c.end] for c in claims_after)
    assert claims_after and claims_before
    assert store.count("article_revisions") == 1
    # the same text again changes nothing
    clock.now += 1000
    assert watch.poll().entries_revised == 0


def test_a_figure_corrected_in_place_shows_in_its_facet_with_both_values_and_times(
    server: LoopbackServer,
    store: Store,
    event: list[dict[str, str]],
    background: list[dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quoted = event[1]  # "People forget I 've done , like , 20 movies ."
    assert "20 movies" in quoted["text"]
    site = Site(server, [*background, event[0], quoted], full=True)
    SourceLog(store).add_feeds({site.feed_url: None})
    clock = Clock()
    watch = watcher(store, clock)
    watch.poll()
    corrected = dict(quoted, text=quoted["text"].replace("20 movies", "25 movies"))
    site.publish([*background, event[0], corrected])
    site.etag_fixed = '"corrected"'
    clock.now += 1000
    # the run's time, which a revision is stamped with, is a day after the first pass
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) + 86_400))
    assert watch.poll().entries_revised == 1
    (article,) = [a for a in store.load_articles() if a.url and a.url.endswith(quoted["doc_id"])]
    story = store.load_stories([article.story or ""])[0]
    revisions = [r for f in story.facets for r in f.revisions]
    (revision,) = revisions
    assert (revision.old_value, revision.new_value) == ("20", "25")
    assert revision.old_published and revision.new_published
    assert revision.old_published < revision.new_published
    claims = [c for c in story.claims if c.article == article.id]
    assert any("25 movies" in c.text for c in claims)
    assert not any("20 movies" in c.text for c in claims)
    # a bug: the story compared again when another report joined it lost the correction
    site.publish([*background, event[0], corrected, event[2]])
    site.etag_fixed = '"grown"'
    clock.now += 1000
    assert watch.poll().entries_new == 1
    grown = store.load_stories([article.story or ""])[0]
    assert len(grown.articles) > len(story.articles)
    assert [r for f in grown.facets for r in f.revisions] == [revision]
    # and `crosswire changes`, which rebuilds a stored story's facets, still lists it
    from crosswire.compare import changes_since

    before = datetime.fromisoformat(revision.old_published)
    assert changes_since(grown, before).revised == [revision]


def test_a_feed_of_a_hundred_thousand_items_stops_at_the_size_cap_and_is_kept(
    server: LoopbackServer, store: Store
) -> None:
    # a site's whole archive, about 20 MB: over the 10 MB cap a fetch reads
    item = (
        "<item><title>Item {n}</title><link>{base}{n}</link><guid>{n}</guid>"
        "<description>Archive entry {n} of the site, kept in its feed for years.</description>"
        "</item>"
    )
    base = server.url("/archive/")
    body = "".join(item.format(n=n, base=base) for n in range(100_000))
    server.route("/huge.xml", Reply.xml(f"<rss version='2.0'><channel>{body}</channel></rss>"))
    url = server.url("/huge.xml")
    SourceLog(store).add_feeds({url: None})
    stats = watcher(store, Clock()).poll()
    (error,) = stats.errors
    assert error.input == f"feed {url}" and "over 10,000,000 bytes" in error.error
    assert not server.requests("/archive/1")  # no entry of it was followed
    (state,) = SourceLog(store).feeds()
    assert state.errors_in_row == 1 and state.last_error and state.next_fetch > 0
    assert store.count("articles") == 0


def test_a_failing_feed_backs_off_is_reported_and_recovers(
    server: LoopbackServer, store: Store, event: list[dict[str, str]]
) -> None:
    site = Site(server, event[:2])
    site.feed_status = 500
    SourceLog(store).add_feeds({site.feed_url: None})
    clock = Clock()
    watch = watcher(store, clock)
    stats = watch.poll()
    assert [e.input for e in stats.errors] == [f"feed {site.feed_url}"]
    assert any("500" in e.error for e in store.last_run_errors())
    (state,) = SourceLog(store).feeds()
    assert state.errors_in_row == 1 and "500" in (state.last_error or "")
    assert clock.now + SOFT_BASE * (1 - JITTER) <= state.next_fetch
    assert state.next_fetch <= clock.now + SOFT_BASE * (1 + JITTER)
    clock.now += 60  # not due yet: no request
    asked = len(server.requests("/feed.xml"))
    assert watch.poll().feeds_due == 0 and len(server.requests("/feed.xml")) == asked
    clock.now = state.next_fetch + 1
    site.feed_status = 200
    assert watch.poll().new_articles == 2
    (state,) = SourceLog(store).feeds()
    assert state.errors_in_row == 0 and state.articles == 2


def test_html_served_as_a_feed_is_reported_and_backs_off_harder(
    server: LoopbackServer, store: Store, event: list[dict[str, str]]
) -> None:
    server.route("/moved.xml", Reply.html(page(event[0])))
    url = server.url("/moved.xml")
    SourceLog(store).add_feeds({url: None})
    clock = Clock()
    stats = watcher(store, clock).poll()
    assert "HTML page" in stats.errors[0].error
    (state,) = SourceLog(store).feeds()
    assert state.next_fetch >= clock.now + HARD_BASE * (1 - JITTER)
    assert store.count("articles") == 0


def test_a_watched_folder_is_read_once_per_version_of_a_file(
    store: Store, tmp_path: Path, event: list[dict[str, str]]
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    clock = Clock()
    watch = watcher(store, clock, folder=folder)
    first = folder / "reid.html"
    first.write_bytes(page(event[0]))
    os.utime(first, (time.time() - 10, time.time() - 10))
    assert watch.poll().files == 1
    assert watch.poll().files == 0  # nothing new
    second = folder / "reid-2.html"
    second.write_bytes(page(event[1]))  # just written: may still be growing
    assert watch.poll().files == 0
    os.utime(second, (time.time() - 10, time.time() - 10))
    assert watch.poll().files == 1
    assert store.count("articles") == 2
    # a link to nothing is reported once, not with every pass (nor a run each time)
    (folder / "gone.html").symlink_to(tmp_path / "nowhere.html")
    assert [e.input for e in watch.poll().errors] == [str(folder / "gone.html")]
    runs = store.count("runs")
    assert watch.poll().errors == [] and store.count("runs") == runs


CROSSWIRE = str(Path(sys.executable).with_name("crosswire"))
ENV = {**os.environ, "COLUMNS": "200"}


def _crosswire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CROSSWIRE, *args], capture_output=True, text=True, timeout=180, check=False, env=ENV
    )


def test_add_fetches_a_page_and_a_feed_once(
    server: LoopbackServer, tmp_path: Path, event: list[dict[str, str]]
) -> None:
    site = Site(server, event[1:4])
    db = f"sqlite:///{tmp_path / 'add.db'}"
    page_url = server.url(f"/news/{event[0]['doc_id']}")
    server.route(f"/news/{event[0]['doc_id']}", Reply.html(page(event[0])))
    done = _crosswire(
        "add", page_url, site.feed_url, "--db", db, "--allow-private", "--host-delay", "0"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 new articles" in done.stdout
    refused = _crosswire("add", page_url, "--db", db, "--host-delay", "0")
    # the same URL with a corrected text: a revision of its article, not a new one
    fixed = dict(event[0])
    fixed["text"] = fixed["text"].replace("\n", " The clinic declined to comment.\n", 1)
    server.route(f"/news/{event[0]['doc_id']}", Reply.html(page(fixed)))
    again = _crosswire("add", page_url, "--db", db, "--allow-private", "--host-delay", "0")
    assert again.returncode == 0 and "0 new articles" in again.stdout, again.stdout
    store = Store(db)
    try:
        assert store.count("articles") == 4 and store.count("article_revisions") == 1
    finally:
        store.close()
    # without --allow-private a loopback address is refused, and the user is told why
    assert refused.returncode == 1 and "loopback address" in refused.stdout


def test_watch_runs_until_sigterm_and_new_entries_join_their_story(
    server: LoopbackServer,
    tmp_path: Path,
    event: list[dict[str, str]],
    background: list[dict[str, str]],
) -> None:
    site = Site(server, background + event[:2])
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# one site\n{site.feed_url} Loopback Daily\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'live.db'}"
    proc = subprocess.Popen(
        [
            CROSSWIRE,
            "watch",
            "--feeds",
            str(feeds),
            "--db",
            db,
            "--interval",
            "1s",
            "--host-delay",
            "0",
            "--allow-private",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
    )
    lines = _Lines(proc)
    try:
        lines.until(f"{len(background) + 2} new articles")
        site.publish(background + event[:4])
        lines.until(" 2 new articles")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, lines.text()
    assert "stopped" in lines.text(wait=True)
    n = len(background) + 4
    store = Store(db)
    try:
        assert store.count("articles") == n
        assert len(_story_of(store, event[:4])) == 1
        (state,) = SourceLog(store).feeds()
    finally:
        store.close()
    assert state.outlet == "Loopback Daily" and state.articles == n
    listed = _crosswire("feeds", "--db", db)
    (health,) = json.loads(listed.stdout.strip().splitlines()[-1])
    assert health["url"] == site.feed_url and health["articles"] == n
    assert health["errors_in_row"] == 0 and health["last_success"]


class _Lines:
    """A process's output lines, read by a thread so that a silent process cannot hang
    the test: `until` waits a bounded time for a line holding a marker."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self.reader.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.queue.put(line)
        self.queue.put(None)

    def until(self, marker: str, limit: float = 150.0) -> None:
        end = time.monotonic() + limit
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.seen.append(line)
            if marker in line:
                return
        raise AssertionError(f"no {marker!r} within {limit}s:\n{self.text()}")

    def text(self, wait: bool = False) -> str:
        if wait:
            self.reader.join(timeout=30)
        while not self.queue.empty():
            line = self.queue.get()
            if line is not None:
                self.seen.append(line)
        return "".join(self.seen)


def test_hosts_take_turns_so_the_per_host_delay_overlaps() -> None:
    urls = [f"https://{h}.example/{n}" for h in "aab" for n in range(2)]
    turns = by_turns(urls, lambda u: u)
    assert turns == [
        "https://a.example/0",
        "https://b.example/0",
        "https://a.example/1",
        "https://b.example/1",
        "https://a.example/0",
        "https://a.example/1",
    ]


def test_a_stop_signal_landing_inside_the_wait_does_not_hang_the_watch() -> None:
    # a bug: the SIGTERM handler called stop.set() itself; a signal that lands while the
    # interrupted thread holds the event's lock (entering or leaving stop.wait) made
    # set() wait for that lock forever, and `watch` never exited (seen once under load)
    from crosswire.cli_live import stop_handler

    stop = threading.Event()
    handler = stop_handler(stop)
    returned = threading.Event()

    def interrupted() -> None:
        with stop._cond:  # where stop.wait() is when the signal lands
            handler(signal.SIGTERM, None)
            returned.set()

    thread = threading.Thread(target=interrupted, daemon=True)
    thread.start()
    assert returned.wait(5), "the handler blocked on the event's lock"
    assert stop.wait(5)
