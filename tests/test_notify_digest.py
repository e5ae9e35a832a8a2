"""`crosswire digest`: one e-mail of what changed, as it arrives at a real SMTP server.

The store is built once for the module from examples/corpus plus two hostile records
(markup in a title, an outlet's name and the text); the digest goes to aiosmtpd on
loopback and the tests read what arrived.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from smtp import SmtpServer, free_port
from typer.testing import CliRunner

from crosswire import pipeline
from crosswire.cli import app
from crosswire.notify.digest import Digest, build_digest, parse_since, subject
from crosswire.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
CROSSWIRE = Path(sys.executable).with_name("crosswire")
SINCE = "2026-03-13T00:00:00Z"
BASE = "http://cw.test:8000"
HOSTILE_TITLE = "<script>alert('x')</script> Dam bursts in Ruritania <img src=x onerror=alert(1)>"
HOSTILE_OUTLET = "<b onmouseover=alert(3)>Onerror Daily</b>"
HOSTILE = [
    {
        "id": "evil-1",
        "outlet": "Evil Gazette",
        "url": "https://evil.example/dam",
        "published": "2026-03-20T10:00:00+00:00",
        "title": HOSTILE_TITLE,
        "text": "A dam burst early on Friday in northern Ruritania, flooding three villages"
        " <script>alert(2)</script>, officials said.\n\nThe regional governor said 120 people"
        " had been evacuated from the villages of Ostra and Velka after the wall of the Varna"
        " reservoir gave way.\n\nRescue teams from the capital arrived by helicopter, the"
        " interior ministry said in a statement.",
    },
    {
        "id": "evil-2",
        "outlet": HOSTILE_OUTLET,
        "url": "https://onerror.example/dam",
        "published": "2026-03-20T14:00:00+00:00",
        "title": "Ruritania dam burst floods villages",
        "text": "The wall of the Varna reservoir in northern Ruritania gave way early on Friday,"
        " flooding three villages <script>alert(4)</script>.\n\nThe regional governor said 300"
        " people had been evacuated from the villages of Ostra and Velka after the dam burst."
        "\n\nRescue teams from the capital arrived by helicopter, the interior ministry said.",
    },
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("digest")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "evil.jsonl").write_text("\n".join(json.dumps(r) for r in HOSTILE) + "\n")
    url = f"sqlite:///{root / 'cw.db'}"
    store = Store(url)
    try:
        pipeline.analyze([CORPUS, hostile], store=store, exclude=[CORPUS / "broken"])
    finally:
        store.close()
    yield url


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def expected(db: str) -> Digest:
    store = Store(db)
    try:
        return build_digest(store, parse_since(SINCE))
    finally:
        store.close()


def digest(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["digest", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def mail(db: str, smtp: SmtpServer) -> EmailMessage:
    smtp.clear()
    code, stdout, stderr = digest(
        "--since", SINCE, "--to", "ed@example.org, desk@example.org", "--smtp", smtp.address,
        "--db", db, "--base-url", BASE + "/", "--from", "news@crosswire.test",
    )  # fmt: skip
    assert code == 0, stdout + stderr
    assert "digest sent to ed@example.org, desk@example.org" in stdout
    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["ed@example.org", "desk@example.org"]
    assert smtp.envelopes[0].mail_from == "news@crosswire.test"
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def test_the_digest_has_both_parts_and_says_what_changed(
    mail: EmailMessage, expected: Digest
) -> None:
    text, html = parts(mail)
    counts = expected.counts()
    assert counts["stories"] >= 3 and counts["conflicts"] >= 1
    assert counts["revisions"] >= 1 and counts["confirmations"] >= 1
    assert mail["Subject"] == subject(expected)
    assert mail["Subject"].startswith(
        f"crosswire digest: {counts['stories']} new stories, {counts['conflicts']} new conflict"
    )
    assert mail["From"] == "news@crosswire.test"
    for section in ("NEW STORIES", "NEW CONFLICTS", "REVISED FIGURES", "NEW INDEPENDENT"):
        assert section in text
    new = [s for s in expected.stories if s.is_new]
    assert "Volcano erupts again on Iceland's Reykjanes peninsula" in {s.headline for s in new}
    for story in new:
        if "<" not in story.headline:
            assert story.headline in text
            assert story.headline.replace("'", "&#39;") in html
        assert f"{BASE}/stories/{story.story}" in text
        assert f'href="{BASE}/stories/{story.story}"' in html
    # a story first published before SINCE is not new, though it changed after
    strike = next(s for s in expected.stories if s.headline.startswith("Thousands strike"))
    assert not strike.is_new and strike.confirmations


def test_a_conflict_shows_its_two_values_who_gave_them_and_when(
    mail: EmailMessage, expected: Digest
) -> None:
    text, html = parts(mail)
    conflicts = [c for s in expected.stories for c in s.conflicts]
    for conflict in conflicts:
        assert conflict.first.value != conflict.second.value
        line = next(x for x in text.splitlines() if x.strip().startswith(f"- {conflict.label}:"))
        first, second = line.split(" vs ")
        assert f"{conflict.first.value} from {conflict.first.who}" in first
        assert f"{conflict.second.value} from {conflict.second.who}" in second
        assert "(2026-03-" in first and "(2026-03-" in second
    # the Icelandic fissure: the monitoring office's revised 2.5 km against 3 km
    iceland = next(s for s in expected.stories if s.headline.startswith("Volcano"))
    fissure = next(c for c in iceland.conflicts if c.label.startswith("kilometres"))
    assert {fissure.first.value, fissure.second.value} == {"about 2.5", "about 3"}
    assert "<strong>about 2.5</strong> from Icelandic Volcano Monitoring Office" in html


def test_revised_figures_show_old_and_new(mail: EmailMessage, expected: Digest) -> None:
    text, html = parts(mail)
    for story in expected.stories:
        for revision in story.revisions:
            assert f"{revision.old_value} -> {revision.new_value}" in text
    assert "about 3 -&gt; about 2.5" not in html  # arrows are entities, values escaped once
    assert "<del>about 3</del> &rarr; <strong>about 2.5</strong>" in html


def test_markup_from_articles_is_escaped_in_the_html_part(mail: EmailMessage) -> None:
    text, html = parts(mail)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Dam bursts in Ruritania" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b onmouseover=alert(3)&gt;Onerror Daily&lt;/b&gt;" in html
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b " not in lowered
    # plain text carries the characters as they are, on one line each
    assert HOSTILE_TITLE in text
    assert HOSTILE_OUTLET in text


def test_nothing_to_say_sends_nothing_unless_always(db: str, smtp: SmtpServer) -> None:
    smtp.clear()
    code, stdout, _ = digest("--since", "2027-01-01", "--to", "a@example.org",
                             "--smtp", smtp.address, "--db", db)  # fmt: skip
    assert code == 0
    assert "nothing changed since 2027-01-01T00:00:00+00:00: no digest sent" in stdout
    assert smtp.envelopes == []
    code, _, _ = digest("--since", "2027-01-01", "--to", "a@example.org",
                        "--smtp", smtp.address, "--db", db, "--always")  # fmt: skip
    assert code == 0
    [message] = smtp.messages
    text, html = parts(message)
    assert message["Subject"] == "crosswire digest: nothing new since 2027-01-01 00:00 UTC"
    assert "Nothing changed." in text and "<p>Nothing changed.</p>" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "not an address"], "--to: not an e-mail address: 'not an address'"),
        (["--to", "a@example.org,b@exa mple.org"], "not an e-mail address: 'b@exa mple.org'"),
        (["--to", "a@example.org\nBcc: x@evil.test"], "not an e-mail address"),
        (["--from", "me"], "--from: not an e-mail address: 'me'"),
        (["--since", "yesterday"], "--since wants a duration (24h, 90m, 2d) or an ISO time"),
        (["--smtp", "localhost"], "--smtp wants HOST:PORT, got 'localhost'"),
        (["--base-url", "javascript:alert(1)"], "--base-url wants an http(s) URL"),
    ],
)
def test_bad_input_is_a_usage_error(
    db: str, smtp: SmtpServer, args: list[str], message: str
) -> None:
    given = {"--since": SINCE, "--to": "a@example.org", "--smtp": smtp.address, "--db": db}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    smtp.clear()
    code, _, stderr = digest(*[x for pair in given.items() for x in pair])
    assert code == 2
    assert message in " ".join(stderr.split())
    assert smtp.envelopes == []


def test_an_unreachable_smtp_server_is_one_line_and_exit_2(db: str) -> None:
    # a real process, as a user runs it: no traceback, one line on stderr
    port = free_port()  # nothing listens there once the probe socket is closed
    proc = subprocess.run(
        [str(CROSSWIRE), "digest", "--since", SINCE, "--to", "a@example.org",
         "--smtp", f"127.0.0.1:{port}", "--db", db],
        capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"error: cannot send the digest: cannot send through 127.0.0.1:{port}"
    )


def test_since_takes_a_duration_or_an_iso_time() -> None:
    now = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("90m", now) == now - timedelta(minutes=90)
    assert parse_since("2d", now) == now - timedelta(days=2)
    assert parse_since("1w", now) == now - timedelta(days=7)
    assert parse_since("2026-03-14", now) == datetime(2026, 3, 14, tzinfo=UTC)
    assert parse_since("2026-03-14T10:00+02:00", now) == datetime(2026, 3, 14, 8, tzinfo=UTC)
    for bad in ("", "24", "h", "-1h", "soon", "2026-13-01"):
        with pytest.raises(ValueError):
            parse_since(bad, now)
