"""The web app in a real browser: Debian's Chromium driven by Playwright against uvicorn
serving the examples/corpus store. The walk a reader takes (list, search, story, a
conflict, its claim, the article), the filters, the time picker, a phone's width,
hostile articles that must not run, and the screenshots in docs/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, need_chromium
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from web_server import DOCS, TOKEN, Site, corpus_db, site, writable

__all__ = ["corpus_db", "site", "writable"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    need_chromium()
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page with everything that must not happen recorded: dialogs, CSP reports,
    script errors, requests leaving the server."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(base) else self.foreign.append(r.url))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(message.text)

    def clean(self) -> None:
        assert self.dialogs == []
        assert self.errors == []
        assert self.foreign == []
        assert [m for m in self.console if "Content Security Policy" in m] == []


@pytest.fixture()
def page(browser: Browser, site: Site) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site.base)
    watched = Watched(context.new_page(), site.base)
    try:
        yield watched
    finally:
        context.close()


def test_list_search_story_conflict_claim_article(page: Watched) -> None:
    p = page.page
    p.goto("/")
    assert p.locator("li.story-row").count() == 10
    p.screenshot(path=str(DOCS / "web-stories.png"))
    p.fill("#q", "flood")
    p.press("#q", "Enter")
    p.wait_for_url(re.compile(r"q=flood"))
    rows = p.locator("li.story-row a.headline")
    assert sorted(rows.all_inner_texts()) == [
        "Floods force more than 10,000 from homes around Porto",
        "Porto traders say flood losses far exceed government's estimate",
    ]
    p.click("text=Floods force more than 10,000 from homes around Porto")
    p.wait_for_url(re.compile(r"/stories/s-"))
    assert p.locator("h1").inner_text() == "Floods force more than 10,000 from homes around Porto"
    assert p.locator("table.figures tbody tr").count() > 5
    # conflicts come first in the figures table, and say why
    assert "facet-conflicting" in (
        p.locator("table.figures tbody tr").first.get_attribute("class") or ""
    )
    assert p.locator("svg.chart").count() == 2
    p.screenshot(path=str(DOCS / "web-story.png"))
    conflict = p.locator("a.conflict-link").first
    why = p.locator("li.conflict p.why").first.inner_text()
    assert "gives" in why
    conflict.click()
    target = p.locator("section.facet-detail:target")
    assert target.count() == 1 and "conflict" in target.inner_text()
    claim = target.locator("a.claim-link").first
    sentence = claim.inner_text().split(": “", 1)[1].rstrip("”")
    claim.click()
    p.wait_for_url(re.compile(r"/articles/a-[0-9a-f]+#claim-"))
    marked = p.locator("mark:target")
    assert marked.count() == 1
    assert sentence.rstrip("…") in marked.inner_text() or marked.inner_text().startswith(
        sentence.rstrip("…")
    )
    assert p.locator("#metadata table.provenance").count() == 1
    p.screenshot(path=str(DOCS / "web-article.png"))
    page.clean()


def test_the_filters(page: Watched, site: Site) -> None:
    p = page.page
    p.goto("/")
    p.select_option("#outlet", "Valley Courier")  # applies itself (a little JS)
    p.wait_for_url(re.compile(r"outlet=Valley\+Courier"))
    expected = httpx.get(f"{site.base}/api/v1/stories", params={"outlet": "Valley Courier"}).json()
    assert p.locator("li.story-row").count() == expected["total"]
    for row in p.locator("li.story-row .row-meta").all_inner_texts():
        assert "Valley Courier" in row or "more" in row
    p.check("#has_conflicts")
    p.wait_for_url(re.compile(r"has_conflicts=true"))
    both = httpx.get(
        f"{site.base}/api/v1/stories", params={"outlet": "Valley Courier", "has_conflicts": "true"}
    ).json()
    assert p.locator("li.story-row").count() == both["total"]
    assert p.locator("li.story-row .status-conflicting").count() == both["total"]
    # the entity filter and dates, submitted with the Apply button
    p.goto("/")
    p.fill("#entity", "portugal")
    p.fill("#since", "2026-03-01")
    p.fill("#until", "2026-03-31")
    p.click("form.filters button[type=submit]")
    p.wait_for_url(re.compile(r"entity=portugal"))
    assert p.locator("li.story-row").count() == 1
    assert "since=2026-03-01" in p.url and "until=2026-03-31" in p.url
    assert p.input_value("#since") == "2026-03-01"
    # paging by links
    p.goto("/?limit=4")
    assert p.locator("li.story-row").count() == 4
    p.click("a[rel=next]")
    p.wait_for_url(re.compile(r"page=2"))
    assert p.locator("li.story-row").count() == 4
    page.clean()


def test_the_time_picker(page: Watched) -> None:
    p = page.page
    p.goto("/?q=Porto+homes")
    p.click("li.story-row a.headline")
    p.wait_for_url(re.compile(r"/stories/s-"))
    assert p.locator("#changes-result").count() == 0
    p.fill("#since", "2026-03-03T12:00")
    p.click("form.since button")
    p.wait_for_url(re.compile(r"since=2026-03-03T12%3A00"))
    result = p.locator("#changes-result")
    assert result.count() == 1 and "new claim" in result.inner_text()
    assert p.input_value("#since") == "2026-03-03T12:00"
    p.fill("#since", "2030-01-01T00:00")
    p.click("form.since button")
    p.wait_for_url(re.compile(r"since=2030"))
    assert "Nothing new" in p.locator("#changes-result").inner_text()
    page.clean()


def _no_sideways_scroll(p: Page) -> None:
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= p.evaluate("window.innerWidth"), f"{p.url} is {width}px wide"


def test_a_phone_width_never_scrolls_sideways(browser: Browser, site: Site) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        base_url=site.base,
    )
    try:
        watched = Watched(context.new_page(), site.base)
        p = watched.page
        for path in (
            "/",
            "/outlets",
            "/entities",
            "/outlets/Continental%20Press%20Agency",
            "/entities/Portugal",
        ):
            p.goto(path)
            _no_sideways_scroll(p)
        p.goto("/?q=Porto")
        p.click("text=Floods force more than 10,000 from homes around Porto")
        p.wait_for_url(re.compile(r"/stories/s-"))
        _no_sideways_scroll(p)
        p.screenshot(path=str(DOCS / "web-phone.png"))
        p.click("a.conflict-link >> nth=0")
        p.locator("section.facet-detail:target a.claim-link").first.click()
        p.wait_for_url(re.compile(r"/articles/"))
        _no_sideways_scroll(p)
        watched.clean()
    finally:
        context.close()


def test_the_api_docs_page_runs_from_packaged_files(page: Watched) -> None:
    p = page.page
    p.goto("/docs")
    p.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = p.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/stories" in unquote(text).replace("\u200b", "") for text in paths)
    assert page.foreign == []


PAYLOAD = (
    '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=1;alert(2)">'
)
JS_URL = "javascript:window.__pwned=1;alert(3)"
HOSTILE_TEXT = (
    "SEOUL - Officials said on Monday that at least 40 people were hurt. "
    f'{PAYLOAD} The ministry said 45 people were hurt. <a href="{JS_URL}">click</a> '
    '<svg onload="window.__pwned=1"></svg> Another official said the count was 50, '
    "according to police."
)


@pytest.fixture(scope="module")
def hostile(writable: Site) -> dict[str, Any]:
    """Articles whose every field carries markup, handlers and javascript: links."""
    headers = {"authorization": f"Bearer {TOKEN}"}
    made: dict[str, Any] = {}
    with httpx.Client(base_url=writable.base, headers=headers, timeout=120) as client:
        record = {
            "text": HOSTILE_TEXT,
            "title": f"Title {PAYLOAD}",
            "outlet": '<img src=x onerror="window.__pwned=1">Evil Outlet',
            "url": JS_URL,
            "published": "2026-03-20T10:00:00Z",
        }
        first = client.post("/api/v1/articles", json=record)
        assert first.status_code == 201, first.text
        made["text"] = first.json()
        page = (
            f"<html><head><title>{PAYLOAD}</title><script>window.__pwned=1</script></head>"
            f"<body><article><h1>Hostile page</h1><p>{HOSTILE_TEXT}</p>"
            f'<p><a href="{JS_URL}">more</a> <iframe src="{JS_URL}"></iframe></p></article></body></html>'
        )
        second = client.post(
            "/api/v1/articles",
            params={"outlet": "Evil <b>Two</b>", "url": "JaVaScRiPt:alert(4)"},
            content=page.encode(),
            headers={"content-type": "text/html"},
        )
        assert second.status_code == 201, second.text
        made["html"] = second.json()
    return made


def test_nothing_from_hostile_articles_runs(
    browser: Browser, writable: Site, hostile: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=writable.base)
    try:
        watched = Watched(context.new_page(), writable.base)
        p = watched.page
        pages = ["/?q=ministry+hurt", "/outlets", "/entities"]
        for made in hostile.values():
            article, story = made["article"], made["story"]
            pages += [
                f"/articles/{article['id']}",
                f"/stories/{story['id']}",
                f"/outlets/{quote(article['outlet'] or article['input'], safe='')}",
            ]
        for path in pages:
            reply = p.goto(path)
            assert reply is not None and reply.status == 200, path
            p.wait_for_timeout(150)
            assert p.evaluate("typeof window.__pwned") == "undefined", path
            hrefs = p.eval_on_selector_all(
                "a[href], area[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            assert not [
                h
                for h in hrefs
                if h.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ], path
            assert p.locator("script:not([src])").count() == 0, path
            assert p.locator("iframe, object, embed").count() == 0, path
            handlers = p.evaluate(
                "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
            )
            assert handlers == [], path
        # the hostile text is on the page, as text
        p.goto(f"/articles/{hostile['text']['article']['id']}")
        body = p.inner_text("body")
        assert "window.__pwned" in body
        assert "Read the original" not in body and "not a web link" in body
        watched.clean()
    finally:
        context.close()
