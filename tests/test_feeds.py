"""Feed documents as outlets publish them, built from real article text, and broken."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from shared_data import require

from crosswire.sources.feeds import (
    MAX_ENTRIES,
    FeedError,
    parse_feed,
    parse_feed_list,
)

TRUTH = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction" / "ground-truth.json"


@pytest.fixture(scope="module")
def articles() -> list[tuple[str, str]]:
    """(url, body) of real articles from the extraction benchmark."""
    require(TRUTH)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    return [(v["url"], v["articleBody"]) for _, v in sorted(truth.items())][:12]


def _paragraphs(body: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())


def rss(items: list[tuple[str, str]], *, guids: bool = True, links: bool = True) -> bytes:
    parts = []
    for n, (url, body) in enumerate(items):
        guid = f"<guid isPermaLink='false'>entry-{n}</guid>" if guids else ""
        link = f"<link>{escape(url)}</link>" if links else ""
        day = 1 + n % 28
        parts.append(
            f"<item><title>{escape(body.split('.')[0][:80])}</title>{link}{guid}"
            f"<pubDate>Tue, {day:02d} Dec 2026 10:00:00 GMT</pubDate>"
            f"<description>{escape(_paragraphs(body))}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Wire Digest</title><link>https://wire.example/</link>{''.join(parts)}"
        "</channel></rss>"
    ).encode()


def test_rss_entries_keep_guid_link_time_and_the_feeds_own_text(
    articles: list[tuple[str, str]],
) -> None:
    feed = parse_feed(rss(articles), "https://wire.example/rss")
    assert feed.title == "Wire Digest"
    assert not feed.problems
    assert len(feed.entries) == len(articles)
    by_key = {e.key: e for e in feed.entries}
    first = by_key["entry-0"]
    assert first.url == articles[0][0]
    assert first.published == "2026-12-01T10:00:00+00:00"
    first_words = articles[0][1].split("\n")[0][:60]
    assert first.html is not None and escape(first_words) in first.html
    # newest first, so a capped read keeps the latest news
    assert [e.published for e in feed.entries] == sorted(
        (e.published for e in feed.entries), reverse=True
    )


def test_atom_content_is_preferred_to_a_teaser_summary(articles: list[tuple[str, str]]) -> None:
    url, body = articles[1]
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Atom Desk</title><id>urn:desk</id><updated>2026-12-01T09:00:00Z</updated>"
        f"<entry><id>urn:desk:1</id><title>One</title><link href='{escape(url)}'/>"
        "<updated>2026-12-01T09:00:00+01:00</updated>"
        "<summary>Read more on our site.</summary>"
        f"<content type='html'>{escape(_paragraphs(body))}</content></entry></feed>"
    ).encode()
    (entry,) = parse_feed(atom, "https://desk.example/atom").entries
    assert entry.key == "urn:desk:1" and entry.url == url
    assert entry.published == "2026-12-01T08:00:00+00:00"
    assert entry.html is not None and len(entry.html) > len(body) // 2


def test_an_entry_without_guid_is_its_link_and_without_either_a_hash_of_its_text(
    articles: list[tuple[str, str]],
) -> None:
    by_link = parse_feed(rss(articles[:2], guids=False), "https://w.example/rss")
    assert {e.key for e in by_link.entries} == {articles[0][0], articles[1][0]}
    bare = parse_feed(rss(articles[:2], guids=False, links=False), "https://w.example/rss")
    again = parse_feed(rss(articles[:2], guids=False, links=False), "https://w.example/rss")
    keys = [e.key for e in bare.entries]
    assert all(k.startswith("h-") for k in keys) and len(set(keys)) == 2
    assert keys == [e.key for e in again.entries]  # stable across fetches
    edited = [(articles[0][0], articles[0][1] + " A correction was appended.")]
    (changed,) = parse_feed(rss(edited, guids=False, links=False), "https://w.example/rss").entries
    assert changed.key not in keys


def test_an_html_page_served_as_a_feed_is_a_clear_error() -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>News</p></body></html>"
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(page, "https://moved.example/rss", "text/html")
    with pytest.raises(FeedError, match="empty"):
        parse_feed(b"", "https://empty.example/rss")


def test_a_truncated_feed_keeps_the_entries_before_the_cut(
    articles: list[tuple[str, str]],
) -> None:
    whole = rss(articles[:6])
    cut = whole[: whole.index(b"<item>", whole.index(b"entry-4")) + 40]
    feed = parse_feed(cut, "https://cut.example/rss")
    keys = [e.key for e in feed.entries]
    assert {"entry-0", "entry-1", "entry-2", "entry-3", "entry-4"} <= set(keys)
    assert len(keys) == 5  # the cut-off sixth has neither guid nor link yet
    assert any("malformed" in p for p in feed.problems)
    assert any("dropped" in p for p in feed.problems)


def test_a_repeated_guid_is_one_entry_and_is_reported(articles: list[tuple[str, str]]) -> None:
    doc = rss(articles[:3]).replace(b"entry-2", b"entry-1")
    feed = parse_feed(doc, "https://dup.example/rss")
    assert sorted(e.key for e in feed.entries) == ["entry-0", "entry-1"]
    assert any("repeat a guid" in p for p in feed.problems)


def test_a_feed_holding_a_whole_archive_is_read_newest_first_up_to_the_cap(
    articles: list[tuple[str, str]],
) -> None:
    many = [
        (f"{url}?n={i}", body[:300])
        for i in range(MAX_ENTRIES // len(articles) + 3)
        for url, body in articles
    ]
    feed = parse_feed(rss(many), "https://archive.example/rss")
    assert len(feed.entries) == MAX_ENTRIES
    assert any(f"holds {len(many)} entries" in p for p in feed.problems)


def test_the_feeds_file_takes_comments_outlet_names_and_names_a_bad_line() -> None:
    specs = parse_feed_list(
        [
            "# the wires",
            "https://wire.example/rss   Wire Service  # checked daily",
            "",
            "https://desk.example/atom#latest",
            "https://wire.example/rss",
        ]
    )
    assert [(s.url, s.outlet) for s in specs] == [
        ("https://wire.example/rss", "Wire Service"),
        ("https://desk.example/atom#latest", None),
    ]
    with pytest.raises(ValueError, match=r"feeds:2: not an http\(s\) feed URL"):
        parse_feed_list(["https://ok.example/rss", "ftp://old.example/feed"])
