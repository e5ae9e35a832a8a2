"""The JSON API over HTTP, against uvicorn serving a store of examples/corpus."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from web_server import CONTRACT, TOKEN, Site, corpus_db, site, writable

from crosswire.store import Store

__all__ = ["corpus_db", "site", "writable"]

CROSSWIRE = Path(sys.executable).with_name("crosswire")


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    if not CONTRACT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the report contract is missing: {CONTRACT}")
        pytest.skip("../shared/contract is not here")
    schema: dict[str, Any] = json.loads(CONTRACT.read_text(encoding="utf-8"))
    return schema


def part(contract: dict[str, Any], *path: str) -> dict[str, Any]:
    """A subschema of the contract: the story object, an article, a claim..."""
    node = contract["properties"]
    for name in path:
        node = node[name]["items"] if "items" in node[name] else node[name]
        if name != path[-1]:
            node = node["properties"]
    return node


@pytest.fixture(scope="module")
def api(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.base, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def stories(api: httpx.Client) -> list[dict[str, Any]]:
    reply = api.get("/api/v1/stories", params={"limit": 100})
    assert reply.status_code == 200
    found: list[dict[str, Any]] = reply.json()["stories"]
    return found


def ids(reply: httpx.Response) -> list[str]:
    assert reply.status_code == 200, reply.text
    return [s["id"] for s in reply.json()["stories"]]


def test_the_story_list_is_newest_news_first_with_what_a_row_shows(
    api: httpx.Client, stories: list[dict[str, Any]]
) -> None:
    assert len(stories) == 10
    last = [s["last_published"] for s in stories]
    from crosswire.model import published_instant

    instants = [published_instant(t) for t in last]
    assert all(instants) and instants == sorted(instants, reverse=True)  # type: ignore[type-var]
    porto = next(s for s in stories if s["headline"].startswith("Floods force"))
    # the agency's flood story, its copies, two outlets' own reports and the damage
    # follow-up three days on (agency text and one copy)
    assert porto["article_count"] == 9 and porto["conflicts"] == 2
    # five outlets ran the agency's text: one report, plus the outlets that wrote their own
    assert 1 < porto["independent_origins"] < len(porto["outlets"])
    assert "Continental Press Agency" in porto["outlets"]


def test_search_reads_headlines_claims_and_entities(api: httpx.Client) -> None:
    flood = api.get("/api/v1/stories", params={"q": "flood"}).json()["stories"]
    assert {s["headline"] for s in flood} == {
        "Floods force more than 10,000 from homes around Porto",
        "Porto traders say flood losses far exceed government's estimate",
    }
    # a word only in a claim's sentence (the fishing town near the eruption)
    grindavik = api.get("/api/v1/stories", params={"q": "Grindavik"}).json()["stories"]
    assert [s["headline"] for s in grindavik] == [
        "Volcano erupts again on Iceland's Reykjanes peninsula"
    ]
    # the word being typed matches as a prefix; query syntax is only text
    assert ids(api.get("/api/v1/stories", params={"q": "Reykjan"})) == [grindavik[0]["id"]]
    for odd in ('"', "AND OR NOT", "*", "flood)", "-x", "'; drop table stories; --"):
        assert api.get("/api/v1/stories", params={"q": odd}).status_code == 200
    assert ids(api.get("/api/v1/stories", params={"q": "zzqqxx"})) == []


def test_filters_outlet_entity_time_and_conflicts(
    api: httpx.Client, stories: list[dict[str, Any]]
) -> None:
    valley = ids(api.get("/api/v1/stories", params={"outlet": "Valley Courier"}))
    assert valley and set(valley) == {s["id"] for s in stories if "Valley Courier" in s["outlets"]}
    conflicted = ids(api.get("/api/v1/stories", params={"has_conflicts": "true"}))
    assert set(conflicted) == {s["id"] for s in stories if s["conflicts"]}
    # the flood story names Portugal; the traders' report names only Porto
    portugal = ids(api.get("/api/v1/stories", params={"entity": "portugal"}))
    assert len(portugal) == 1
    one_day = ids(api.get("/api/v1/stories", params={"since": "2026-03-03", "until": "2026-03-03"}))
    assert one_day and all(
        s["first_published"][:10] <= "2026-03-04" and s["last_published"][:10] >= "2026-03-02"
        for s in stories
        if s["id"] in one_day
    )
    both = ids(api.get("/api/v1/stories", params={"entity": "portugal", "has_conflicts": "true"}))
    assert set(both) == set(portugal) & set(conflicted)
    bad = api.get("/api/v1/stories", params={"since": "last tuesday"})
    assert bad.status_code == 422 and "since" in bad.json()["detail"]


def test_paging_covers_every_story_once(api: httpx.Client, stories: list[dict[str, Any]]) -> None:
    first = api.get("/api/v1/stories", params={"limit": 3}).json()
    assert first["total"] == 10 and first["pages"] == 4
    seen = [
        i
        for n in range(1, 5)
        for i in ids(api.get("/api/v1/stories", params={"limit": 3, "page": n}))
    ]
    assert seen == [s["id"] for s in stories]
    assert ids(api.get("/api/v1/stories", params={"limit": 3, "page": 5})) == []
    assert api.get("/api/v1/stories", params={"limit": 1000}).status_code == 422


def test_objects_are_the_contracts(
    api: httpx.Client, stories: list[dict[str, Any]], contract: dict[str, Any]
) -> None:
    story_schema = part(contract, "stories")
    article_schema = part(contract, "articles")
    full = api.get("/api/v1/stories", params={"full": "true", "limit": 3}).json()["stories"]
    for item in full:
        jsonschema.validate(item, story_schema)
    for summary in stories[:4]:
        story = api.get(summary["url"]).json()
        jsonschema.validate(story, story_schema)
        assert story["headline"] == summary["headline"]
        claims = api.get(f"{summary['url']}/claims").json()["claims"]
        for claim in claims:
            jsonschema.validate(claim, part(contract, "stories", "claims"))
        facets = api.get(f"{summary['url']}/facets").json()["facets"]
        for facet in facets:
            jsonschema.validate(facet, part(contract, "stories", "facets"))
        conflicting = api.get(f"{summary['url']}/facets", params={"status": "conflicting"})
        assert len(conflicting.json()["facets"]) == summary["conflicts"]
        for entity in story["entities"]:
            jsonschema.validate(entity, part(contract, "stories", "entities"))
        article = api.get(f"/api/v1/articles/{story['articles'][0]}").json()
        jsonschema.validate(article, article_schema)
        assert article["story"] == story["id"]
        # a claim's offsets point at its sentence in its article
        first = next(c for c in claims if c["article"] == article["id"])
        assert article["text"][first["start"] : first["end"]] == first["text"]


def test_missing_things_are_404_with_a_message(api: httpx.Client) -> None:
    for path in (
        "/api/v1/stories/s-nope",
        "/api/v1/articles/a-nope",
        "/api/v1/stories/s-nope/claims",
    ):
        reply = api.get(path)
        assert reply.status_code == 404 and "no " in reply.json()["detail"]
    assert api.get("/api/v1/stories/" + "x" * 500).status_code == 404


def test_a_merged_story_id_redirects_to_the_story_now(
    site: Site, api: httpx.Client, stories: list[dict[str, Any]]
) -> None:
    target = stories[0]["id"]
    store = Store(site.db)
    try:
        # what a merge leaves: the old id an alias of the story that holds its members
        store.save_stories([], replaced={"s-merged-away": target})
    finally:
        store.close()
    reply = api.get("/api/v1/stories/s-merged-away", params={"since": "2026-03-01"})
    assert reply.status_code == 308
    assert reply.headers["location"] == f"/api/v1/stories/{target}?since=2026-03-01"
    assert api.get("/api/v1/stories/s-merged-away/facets").headers["location"].endswith("/facets")
    followed = api.get("/api/v1/stories/s-merged-away", follow_redirects=True)
    assert followed.json()["id"] == target
    page = api.get("/stories/s-merged-away")
    assert page.status_code == 308 and page.headers["location"] == f"/stories/{target}"
    # the alias is no story of its own in the list
    assert "s-merged-away" not in ids(api.get("/api/v1/stories", params={"limit": 100}))


def test_changes_since(api: httpx.Client, stories: list[dict[str, Any]]) -> None:
    early = api.get("/api/v1/changes", params={"since": "2026-01-01T00:00Z"}).json()
    assert early["total"] == 10
    assert all(s["changes"]["new_claims"] for s in early["stories"])
    latest = max(s["last_published"] for s in stories)
    later = api.get("/api/v1/changes", params={"since": "2030-01-01"}).json()
    assert later["total"] == 0 and latest < "2030"
    assert api.get("/api/v1/changes").status_code == 422
    one = api.get(stories[0]["url"], params={"since": "2026-01-01"}).json()
    assert one["changes"]["new_claims"]


def test_entities_and_outlets(api: httpx.Client) -> None:
    outlets = api.get("/api/v1/outlets").json()
    names = [o["name"] for o in outlets["outlets"]]
    assert "Continental Press Agency" in names and outlets["total"] == len(names)
    counts = [o["stories"] for o in outlets["outlets"]]
    assert counts == sorted(counts, reverse=True)
    entities = api.get("/api/v1/entities", params={"q": "portugal"}).json()["entities"]
    assert entities and all("portugal" in e["name"].lower() for e in entities)


def test_the_app_serves_the_atom_feed_of_stories_every_page_points_to(
    api: httpx.Client, stories: list[dict[str, Any]]
) -> None:
    import feedparser

    page = api.get("/").text
    assert 'type="application/atom+xml"' in page and 'href="/feeds/stories.atom"' in page
    answer = api.get("/feeds/stories.atom")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo and feed.entries
    titles = {entry.title for entry in feed.entries}
    assert titles <= {story["headline"] for story in stories}
    assert api.get("/feeds/watch/nobody.atom").status_code == 404


def test_openapi_and_docs_from_packaged_files(api: httpx.Client) -> None:
    spec = api.get("/openapi.json").json()
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/articles",
        "/api/v1/changes",
    ):
        assert path in spec["paths"]
    docs = api.get("/docs")
    assert docs.status_code == 200 and "http" not in docs.text.replace("http-equiv", "")
    for asset in (
        "/static/swagger/swagger-ui-bundle.js",
        "/static/swagger/swagger-ui.css",
        "/static/docs.js",
    ):
        assert api.get(asset).status_code == 200


def test_every_response_carries_the_security_headers(api: httpx.Client) -> None:
    for path in ("/", "/api/v1/stories", "/static/web.css", "/api/v1/stories/nope"):
        headers = api.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"


# --- submission ---------------------------------------------------------------------

PORTO = (
    "PORTO, Portugal - More than 12,000 people had left their homes around Porto by "
    "Wednesday as the Douro kept rising, the National Civil Protection Service said. "
    "At least five people have died, officials said, and rescue teams were still "
    "searching the riverside districts of Vila Nova de Gaia."
)


@pytest.fixture(scope="module")
def writer(writable: Site) -> Iterator[httpx.Client]:
    headers = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=writable.base, timeout=120, headers=headers) as client:
        yield client


def counts(db: str) -> dict[str, int]:
    store = Store(db)
    try:
        return {t: store.count(t) for t in ("articles", "stories", "runs", "errors")}
    finally:
        store.close()


def test_a_posted_record_is_analyzed_into_its_story_once(
    writable: Site, writer: httpx.Client
) -> None:
    record = {
        "text": PORTO,
        "outlet": "Test Gazette",
        "url": "https://gazette.example/porto-floods",
        "published": "2026-03-04T09:30:00+00:00",
        "title": "More flee as the Douro rises",
        "id": "gazette-1",
    }
    before = counts(writable.db)
    first = writer.post("/api/v1/articles", json=record)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] is True and body["article"]["outlet"] == "Test Gazette"
    assert body["story"]["headline"] == "Floods force more than 10,000 from homes around Porto"
    assert body["article"]["id"] in body["story"]["articles"]
    after = counts(writable.db)
    assert after["articles"] == before["articles"] + 1 and after["stories"] == before["stories"]
    story_before = writer.get(f"/api/v1/stories/{body['story']['id']}").json()
    again = writer.post("/api/v1/articles", json=record)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["article"]["id"] == body["article"]["id"]
    assert counts(writable.db) == after  # not even a run is recorded
    assert writer.get(f"/api/v1/stories/{body['story']['id']}").json() == story_before


def test_a_text_or_html_body_with_query_fields(writer: httpx.Client) -> None:
    text = PORTO.replace("12,000", "12,500")
    params = {
        "outlet": "Plain Post",
        "published": "2026-03-04T11:00:00Z",
        "url": "https://plain.example/1",
    }
    reply = writer.post(
        "/api/v1/articles",
        params=params,
        content=text.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["article"]["outlet"] == "Plain Post"
    assert reply.json()["article"]["published"].startswith("2026-03-04T11:00")
    html = f"<html><head><title>Porto floods</title></head><body><article><h1>Porto floods</h1><p>{PORTO.replace('12,000', '11,900')}</p></article></body></html>"
    page = writer.post(
        "/api/v1/articles",
        params={"outlet": "Html Herald"},
        content=html.encode(),
        headers={"content-type": "text/html"},
    )
    assert page.status_code == 201, page.text
    assert "11,900" in page.json()["article"]["text"]


def test_a_new_text_at_a_stored_url_is_a_revision(writer: httpx.Client) -> None:
    record = {
        "text": PORTO.replace("12,000", "9,000"),
        "outlet": "Rev Times",
        "url": "https://rev.example/a",
        "published": "2026-03-04T12:00:00Z",
    }
    first = writer.post("/api/v1/articles", json=record).json()
    record["text"] = PORTO.replace("12,000", "14,000")
    second = writer.post("/api/v1/articles", json=record)
    assert second.status_code == 201 and second.json()["revised"] is True
    article = second.json()["article"]
    assert article["id"] == first["article"]["id"] and "14,000" in article["text"]
    assert "9,000" in article["revisions"][0]["diff"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"{not json", "application/json", 400, "not JSON"),
        (b"[1, 2]", "application/json", 422, "one JSON object"),
        (b'{"text": "x", "colour": "red"}', "application/json", 422, "colour"),
        (b'{"text": "   "}', "application/json", 422, "non-empty"),
        (
            b'{"text": "Fine text here.", "html": "<p>also</p>"}',
            "application/json",
            422,
            "not both",
        ),
        (b'{"text": "Fine text.", "published": "last week"}', "application/json", 422, "ISO 8601"),
        (b'{"text": 42}', "application/json", 422, "text"),
        (b'{"text": "Fine.", "title": "a\\nb"}', "application/json", 422, "control"),
        (b'{"text": "12 34 56 !!"}', "application/json", 422, "article text"),
        (b"\xff\xfe\xfa", "text/plain; charset=utf-8", 400, "utf-8"),
        (b"hello", "image/png", 415, "text/plain"),
    ],
)
def test_bad_input_is_a_4xx_that_stores_nothing(
    writable: Site, writer: httpx.Client, body: bytes, content_type: str, status: int, words: str
) -> None:
    before = counts(writable.db)
    reply = writer.post("/api/v1/articles", content=body, headers={"content-type": content_type})
    assert reply.status_code == status, reply.text
    assert words.lower() in reply.json()["detail"].lower()
    assert counts(writable.db) == before


def test_bodies_over_the_limit_are_413(writable: Site, writer: httpx.Client) -> None:
    before = counts(writable.db)
    big = b"word " * 60_000  # 300 KB; this server takes 256 KiB
    declared = writer.post("/api/v1/articles", content=big, headers={"content-type": "text/plain"})
    assert declared.status_code == 413

    def chunks() -> Iterator[bytes]:
        for _ in range(60):
            yield b"word " * 1000

    chunked = writer.post(
        "/api/v1/articles", content=chunks(), headers={"content-type": "text/plain"}
    )
    assert chunked.status_code == 413
    assert counts(writable.db) == before


def test_writes_need_the_token_and_the_same_origin(writable: Site) -> None:
    record = {"text": PORTO, "outlet": "Token Test"}
    with httpx.Client(base_url=writable.base, timeout=60) as anonymous:
        assert anonymous.post("/api/v1/articles", json=record).status_code == 401
        wrong = anonymous.post(
            "/api/v1/articles", json=record, headers={"authorization": "Bearer nope"}
        )
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        foreign = anonymous.post(
            "/api/v1/articles",
            json=record,
            headers={"authorization": f"Bearer {TOKEN}", "origin": "https://evil.example"},
        )
        assert foreign.status_code == 403


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_refuses_other_hosts_without_a_token(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    env = {k: v for k, v in os.environ.items() if k != "CROSSWIRE_TOKEN"}
    proc = subprocess.run(
        [str(CROSSWIRE), "serve", "--db", db, "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 2 and "--token" in proc.stdout + proc.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_serves_the_store(corpus_db: Path, tmp_path: Path, workers: int) -> None:
    port = _free_port()
    db = f"sqlite:///{corpus_db}"
    proc = subprocess.Popen(
        [str(CROSSWIRE), "serve", "--db", db, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/api/v1/stories", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert reply.status_code == 200 and reply.json()["total"] == 10
        # a loopback server answers only loopback names (no DNS rebinding)
        foreign = httpx.get(
            f"http://127.0.0.1:{port}/", headers={"host": "evil.example"}, timeout=5
        )
        assert foreign.status_code == 400
    finally:
        proc.terminate()
        proc.wait(15)
