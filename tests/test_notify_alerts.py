"""Watch lists and their alerts, end to end: a store that grows, real mail, real webhooks.

The store is built in two steps, once for the module: examples/corpus without The
Lakeside Tribune, then (after `BETWEEN`) the Tribune's six articles, which join six
stories and bring new conflicts, confirmations and revised figures. A watch list whose
last check is `BETWEEN` must alert on exactly what the Tribune brought. Mail goes to
aiosmtpd on loopback, webhooks to tests/loopback.py's server (taught POST here).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import loopback
import pytest
from smtp import SmtpServer
from typer.testing import CliRunner

from crosswire import pipeline
from crosswire.cli import app
from crosswire.model import Entity, Story
from crosswire.notify.alerts import Alert, check_all, check_name, matcher
from crosswire.notify.mail import parse_smtp
from crosswire.notify.webhook import MAX_BODY, post_json
from crosswire.store import Store
from crosswire.store.watchlists import WatchList, WatchStore

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
TRIBUNE = CORPUS / "lakeside-tribune"
SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "contract" / "report.schema.json"


# ------------------------------------------------------------------ fixtures


def _next_second() -> None:
    """Sleep into the next whole second: the store's times have one-second steps."""
    time.sleep(1.02 - (time.time() % 1.0))


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(store URL, BETWEEN): the store after both steps, and a time between them."""
    folder = tmp_path_factory.mktemp("alerts")
    url = f"sqlite:///{folder / 'cw.db'}"
    store = Store(url)
    try:
        pipeline.analyze([CORPUS], store=store, exclude=[TRIBUNE, CORPUS / "broken"])
        # the store as the first step left it, for a watch to grow (`first_step`)
        with sqlite3.connect(folder / "cw.db") as src, sqlite3.connect(folder / "1.db") as dst:
            src.backup(dst)
        _next_second()
        between = datetime.now(UTC).isoformat(timespec="seconds")
        pipeline.analyze([TRIBUNE], store=store)
    finally:
        store.close()
    yield url, between


@pytest.fixture
def first_step(grown: tuple[str, str], tmp_path: Path) -> Path:
    """A copy of the store before the Tribune's articles arrived."""
    copy = tmp_path / "first.db"
    shutil.copy(Path(grown[0].removeprefix("sqlite:///")).with_name("1.db"), copy)
    return copy


@pytest.fixture
def store(grown: tuple[str, str]) -> Iterator[Store]:
    opened = Store(grown[0])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def web() -> Iterator[loopback.LoopbackServer]:
    with loopback.LoopbackServer() as server:
        server.route("/hook", loopback.Reply(status=204, content_type=None))
        server.route("/broken", loopback.Reply.error(500))
        yield server


def watch(store: Store, between: str, name: str, **kw: Any) -> WatchList:
    item = WatchList(
        name=name,
        terms=kw.get("terms", []),
        entities=kw.get("entities", []),
        email=kw.get("email"),
        webhook=kw.get("webhook"),
        created_at=between,
        last_checked=between,
    )
    WatchStore(store).add(item)
    return item


def mine(alerts: list[Alert], name: str) -> list[Alert]:
    return [a for a in alerts if a.watchlist == name]


def check(store: Store, smtp: SmtpServer | None = None, **kw: Any) -> list[Alert]:
    server = parse_smtp(smtp.address) if smtp is not None else None
    return check_all(store, smtp=server, retry_delay=0.05, base_url="http://cw.test", **kw)


# ------------------------------------------------------------------ tests


def test_alerts_fire_once_for_what_arrived_and_not_again(
    store: Store, grown: tuple[str, str], smtp: SmtpServer, web: loopback.LoopbackServer
) -> None:
    _, between = grown
    watch(store, between, "iceland", terms=["Reykjanes"], email="ice@example.org",
          webhook=web.url("/hook"))  # fmt: skip
    smtp.clear()
    first = mine(check(store, smtp, allow_private=True), "iceland")
    kinds = sorted({a.kind for a in first})
    assert kinds == ["confirmation", "conflict"]
    assert all(a.headline == "Volcano erupts again on Iceland's Reykjanes peninsula" for a in first)
    # the Tribune's "about 3 kilometers" from officials set against the office's 2.5
    fissure = next(a for a in first if a.kind == "conflict" and "kilometres" in a.summary)
    assert "about 2.5" in fissure.summary and "about 3" in fissure.summary
    assert "Officials in The Lakeside Tribune" in fissure.summary
    # revisions that stood before BETWEEN (the office's own 3 -> 2.5) are not news here
    assert not [a for a in first if a.kind == "revision"]
    assert {(a.email, a.webhook, a.error) for a in first} == {("sent", "sent", None)}
    [message] = [m for m in smtp.messages if m["To"] == "ice@example.org"]
    assert message["Subject"] == (
        f"crosswire alert (iceland): {sum(a.kind == 'conflict' for a in first)} new conflicts,"
        f" {sum(a.kind == 'confirmation' for a in first)} new confirmations"
    )
    text = message.get_body(("plain",))
    assert text is not None and fissure.summary in str(text.get_content())
    assert len(web.posted("/hook")) == 1

    again = mine(check(store, smtp, allow_private=True), "iceland")
    assert again == []
    assert len([m for m in smtp.messages if m["To"] == "ice@example.org"]) == 1
    assert len(web.posted("/hook")) == 1
    # stored once each, for the list's feed
    assert WatchStore(store).count_alerts("iceland") == len(first)


def test_a_webhook_receives_valid_json_with_report_objects(
    store: Store, grown: tuple[str, str], web: loopback.LoopbackServer
) -> None:
    _, between = grown
    watch(store, between, "shipyard", entities=["baltic hull works"], webhook=web.url("/hook"))
    before = len(web.posted("/hook"))
    raised = mine(check(store, allow_private=True), "shipyard")
    assert raised and {a.webhook for a in raised} == {"sent"}
    posted = web.posted("/hook")[before:]
    assert len(posted) == 1
    [request] = [r for r in web.requests("/hook") if r.method == "POST"][before:]
    assert request.header("content-type") == "application/json"
    assert (request.header("user-agent") or "").startswith("crosswire/")
    payload = posted[0]
    assert payload["schema"] == "crosswire.alerts/1" and payload["watchlist"] == "shipyard"
    assert [a["id"] for a in payload["alerts"]] == [a.id for a in raised]
    schema = json.loads(SCHEMA.read_text())
    story_schema = {**schema["properties"]["stories"]["items"], "$defs": schema.get("$defs", {})}
    for alert in payload["alerts"]:
        assert alert["kind"] in ("conflict", "confirmation", "revision")
        assert alert["url"] == f"http://cw.test/stories/{alert['story']['id']}"
        assert alert["story"]["headline"] == "Thousands strike at Polish shipyard over pay"
        jsonschema.validate(alert["story"], story_schema)
        [facet] = alert["story"]["facets"]
        assert {c["id"] for c in alert["story"]["claims"]} <= set(facet["claims"])


def test_a_failing_webhook_is_reported_and_the_mail_still_goes(
    store: Store, grown: tuple[str, str], smtp: SmtpServer, web: loopback.LoopbackServer
) -> None:
    _, between = grown
    watch(store, between, "mekong", terms=["Mekong"], email="rice@example.org",
          webhook=web.url("/broken"))  # fmt: skip
    watch(store, between, "kenya", terms=["Nairobi"], webhook=web.url("/hook"))
    smtp.clear()
    raised = check(store, smtp, allow_private=True)
    mekong, kenya = mine(raised, "mekong"), mine(raised, "kenya")
    assert mekong and kenya
    assert {(a.email, a.webhook) for a in mekong} == {("sent", "failed")}
    assert {a.error for a in mekong} == {"webhook: HTTP 500: error 500 (after 2 attempts)"}
    assert len(web.requests("/broken")) == 2  # one retry
    assert [m["To"] for m in smtp.messages] == ["rice@example.org"]
    assert {a.webhook for a in kenya} == {"sent"}  # the other list is not held up
    # the failure stays on the stored alerts; nothing is sent again on the next check
    stored = WatchStore(store).alerts("mekong")
    assert {s.webhook_status for s in stored} == {"failed"}
    assert mine(check(store, smtp, allow_private=True), "mekong") == []
    assert len(web.requests("/broken")) == 2


def test_a_webhook_on_loopback_is_refused_unless_allowed(
    store: Store, grown: tuple[str, str], web: loopback.LoopbackServer
) -> None:
    _, between = grown
    watch(store, between, "porto", terms=["Porto"], webhook=web.url("/hook"))
    before = len(web.requests("/hook"))
    raised = mine(check(store), "porto")
    assert raised and {a.webhook for a in raised} == {"failed"}
    error = raised[0].error or ""
    assert error.startswith("webhook: refused: 127.0.0.1 resolves to 127.0.0.1: loopback address")
    assert len(web.requests("/hook")) == before


def test_a_list_with_an_address_but_no_smtp_server_is_told_so(
    store: Store, grown: tuple[str, str]
) -> None:
    _, between = grown
    watch(store, between, "peru", terms=["Peru"], email="quake@example.org")
    raised = mine(check(store), "peru")
    assert raised and {(a.email, a.webhook) for a in raised} == {("skipped", "none")}
    assert raised[0].error == "not mailed: no SMTP server given"


def test_a_list_made_after_the_news_stays_quiet(store: Store) -> None:
    WatchStore(store).add(WatchList("late", ["Reykjanes"], [], None, None, _now(), _now()))
    assert mine(check(store), "late") == []


def test_the_cli_adds_lists_checks_and_removes_them(
    grown: tuple[str, str], smtp: SmtpServer, web: loopback.LoopbackServer
) -> None:
    url, between = grown
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["alerts", *args, "--db", url])
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run("add", "volcano", "--term", "Grindavik", "--entity", "IVMO",
                         "--email", "sea@example.org", "--webhook", web.url("/broken"),
                         "--since", between)  # fmt: skip
    assert code == 0, out + err
    assert "watch list volcano added: term 'Grindavik', entity 'IVMO'" in out
    code, _, err = run("add", "volcano", "--term", "Kochi")
    assert code == 2 and "a watch list named 'volcano' exists already" in err
    for args, message in [
        (["add", "bad name", "--term", "x"], "watch list name 'bad name'"),
        (["add", "empty"], "give at least one --term or --entity"),
        (["add", "x", "--term", "a", "--email", "nope"], "--email: not an e-mail address"),
        (["add", "x", "--term", "a", "--webhook", "ftp://h/"], "--webhook wants an http(s) URL"),
        (["add", "x", "--term", "a", "--since", "later"], "--since wants a duration"),
        (["remove", "nothing-here"], "no watch list named 'nothing-here'"),
        (["check", "--smtp", "nohost"], "--smtp wants HOST:PORT"),
    ]:
        code, _, err = run(*args)
        assert code == 2, args
        assert message in " ".join(err.split()), args
    code, out, _ = run("list")
    assert code == 0
    listed = {row["name"]: row for row in json.loads(out.strip().splitlines()[-1])}
    assert listed["volcano"]["terms"] == ["Grindavik"] and listed["volcano"]["entities"] == ["IVMO"]
    assert listed["volcano"]["last_checked"] == between

    smtp.clear()
    code, out, _ = run("check", "--smtp", smtp.address, "--allow-private")
    assert code == 1  # the volcano list's webhook failed: reported, and the mail went
    assert "volcano: New conflict on" in out
    assert "volcano: webhook: HTTP 500: error 500 (after 2 attempts)" in " ".join(out.split())
    assert "sea@example.org" in [m["To"] for m in smtp.messages]
    code, out, _ = run("check", "--smtp", smtp.address, "--allow-private")
    assert code == 0 and out.strip().endswith("0 alerts raised")

    code, out, _ = run("remove", "volcano")
    assert code == 0 and "watch list volcano removed" in out
    code, out, _ = run("list")
    assert "volcano" not in {row["name"] for row in json.loads(out.strip().splitlines()[-1])}


def test_terms_match_whole_words_and_entities_their_aliases() -> None:
    story = Story(
        id="s-1",
        headline="Quake hits Antofagasta",
        articles=["a-1"],
        entities=[Entity("s-1-e1", "National Intelligence Service", "ORG", ["NIS", "spy agency"])],
    )
    story.claims = []

    def follows(terms: list[str], entities: list[str]) -> bool:
        item = WatchList("t", terms, entities, None, None, _now(), _now())
        return matcher(item)(story)

    assert follows(["antofagasta"], [])
    assert follows(["hits  Antofagasta"], [])  # spaces as any whitespace
    assert not follows(["Antofa"], [])  # whole words only
    assert follows([], ["nis"]) and follows([], ["Spy  Agency"])
    assert follows([], ["national intelligence service"])
    assert not follows([], ["Intelligence"])  # names are names, not words in them
    assert not follows([], [])


def test_watch_list_names_are_safe_in_urls() -> None:
    for good in ("porto", "Porto-floods_2026", "a.b"):
        assert check_name(good) == good
    for bad in ("", "-x", "a b", "a/b", "x" * 65, "ü", "a\nb"):
        with pytest.raises(ValueError):
            check_name(bad)


def test_post_json_gives_up_on_an_answer_a_retry_would_not_mend(
    web: loopback.LoopbackServer,
) -> None:
    web.route("/gone", loopback.Reply.error(410))
    delivery = post_json(web.url("/gone"), b"{}", allow_private=True, retry_delay=0.01)
    assert not delivery.ok and delivery.attempts == 1 and delivery.status == 410
    assert delivery.error == "HTTP 410: error 410"
    web.route("/moved", loopback.Reply.redirect("http://example.org/"))
    delivery = post_json(web.url("/moved"), b"{}", allow_private=True)
    assert delivery.error == "HTTP 302 (redirects are not followed)"
    slow = loopback.Reply(status=204, content_type=None, delay=1.0)
    web.route("/slow", slow)
    delivery = post_json(web.url("/slow"), b"{}", allow_private=True, timeout=0.2,
                         retry_delay=0.01)  # fmt: skip
    assert not delivery.ok and delivery.attempts == 2
    assert delivery.error == "no answer within 0.2 s (after 2 attempts)"
    before = len(web.requests("/hook"))
    delivery = post_json(web.url("/hook"), b" " * (MAX_BODY + 1), allow_private=True)
    assert not delivery.ok and delivery.attempts == 0
    assert delivery.error == f"payload of {MAX_BODY + 1} bytes is over {MAX_BODY}"
    assert len(web.requests("/hook")) == before


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def test_watch_checks_the_watch_lists_after_a_pass_that_stored_articles(
    first_step: Path, tmp_path: Path, smtp: SmtpServer
) -> None:
    db = f"sqlite:///{first_step}"
    crosswire = [str(Path(sys.executable).with_name("crosswire"))]
    env = {**os.environ, "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*crosswire, *args], capture_output=True, text=True, timeout=180, env=env, check=False
        )

    added = run("alerts", "add", "iceland", "--term", "Reykjanes", "--email", "w@example.org",
                "--db", db)  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    drop = tmp_path / "drop"
    shutil.copytree(TRIBUNE, drop)
    for path in drop.iterdir():  # settled files: a watch leaves files still being written
        os.utime(path, (time.time() - 60, time.time() - 60))
    smtp.clear()
    watched = run("watch", "--folder", str(drop), "--once", "--smtp", smtp.address, "--db", db)
    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "alert iceland:" in watched.stdout
    [message] = [m for m in smtp.messages if m["To"] == "w@example.org"]
    assert str(message["Subject"]).startswith("crosswire alert (iceland):")
