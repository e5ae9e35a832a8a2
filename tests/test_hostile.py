"""A folder of hostile inputs beside real articles: one run, every input accounted for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, need_chromium
from hostile_corpus import ECB, PAGES, build
from playwright.sync_api import sync_playwright

CROSSWIRE = Path(sys.executable).with_name("crosswire")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any], Path]:
    if not (ECB.is_file() and PAGES.is_dir()):
        if os.environ.get("CI"):
            pytest.fail(f"the real articles this test needs are missing: {ECB}, {PAGES}")
        pytest.skip("../shared/data is not here")
    tmp = tmp_path_factory.mktemp("hostile")
    expected = build(tmp / "in")
    proc = subprocess.run(
        [str(CROSSWIRE), "analyze", str(tmp / "in"), "--out", str(tmp / "out"), "--no-store"],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=900,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )
    report = json.loads((tmp / "out" / "report.json").read_text(encoding="utf-8"))
    return expected, {"proc": proc, "report": report}, tmp


def names(items: list[dict[str, Any]], root: Path) -> list[str]:
    prefix = str(root / "in") + os.sep
    return [str(item["input"]).removeprefix(prefix) for item in items]


def test_the_run_finishes_with_exit_1_and_no_traceback(hostile_run: Any) -> None:
    _, run, _ = hostile_run
    proc = run["proc"]
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout + proc.stderr


def test_every_bad_input_is_reported_with_a_reason(hostile_run: Any) -> None:
    expected, run, tmp = hostile_run
    errors = run["report"]["errors"]
    reported = dict(zip(names(errors, tmp), (e["error"] for e in errors), strict=True))
    missing = sorted(n for n in expected.errors if not any(r.startswith(n) for r in reported))
    assert missing == []
    assert all(len(reason) > 10 for reason in reported.values())


def test_every_good_article_is_present(hostile_run: Any) -> None:
    expected, run, tmp = hostile_run
    got = names(run["report"]["articles"], tmp)
    missing = sorted(n for n in expected.articles if not any(g.startswith(n) for g in got))
    assert missing == []
    # an input that is neither an article nor an error was silently dropped
    accounted = got + names(run["report"]["errors"], tmp)
    dropped = sorted(n for n in expected.either if not any(a.startswith(n) for a in accounted))
    assert dropped == []


def test_no_control_characters_reach_the_report(hostile_run: Any) -> None:
    _, _, tmp = hostile_run
    text = (tmp / "out" / "report.json").read_text(encoding="utf-8")
    # JSON escapes control characters; none may be there to escape
    for escape in ("\\u0000", "\\u0007", "\\u001b"):
        assert escape not in text


def _html_pages(out: Path) -> list[Path]:
    """report.html and every story page it links to."""
    return [out / "report.html", *sorted((out / "stories").glob("*.html"))]


def test_no_live_markup_in_the_html_report(hostile_run: Any) -> None:
    _, _, tmp = hostile_run
    pages = [lxml.html.fromstring(path.read_bytes()) for path in _html_pages(tmp / "out")]
    assert len(pages) > 1
    for page in pages:
        assert page.xpath("//script | //svg | //iframe | //object | //embed") == []
        handlers = [
            (el.tag, name)
            for el in page.iter()
            for name in el.attrib
            if name.lower().startswith("on")
        ]
        assert handlers == []
        links = [v for el in page.iter() for k, v in el.attrib.items() if k in ("href", "src")]
        assert not [v for v in links if v.strip().lower().startswith(("javascript:", "data:"))]
    # the hostile text is shown, as text
    assert any("window.__pwned" in page.text_content() for page in pages)


def test_nothing_from_the_inputs_runs_in_a_real_browser(hostile_run: Any) -> None:
    need_chromium()
    _, _, tmp = hostile_run
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            shown = False
            for path in _html_pages(tmp / "out"):
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                assert page.evaluate("typeof window.__pwned") == "undefined"
                # the hostile text is on the pages, as text
                shown = shown or "window.__pwned" in page.inner_text("body")
                # following every link on the page runs nothing either
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                assert not [h for h in hrefs if h.lower().startswith("javascript:")]
        finally:
            browser.close()
    assert shown
    assert dialogs == []
    assert [u for u in requests if not u.startswith("file://")] == []
