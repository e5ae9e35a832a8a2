"""Command line for live sources: `crosswire add`, `crosswire watch`, `crosswire feeds`.

Kept apart from `cli.py` (the batch commands) so that each stays one screenful of
commands; they share its consoles, store opening and error style.
"""

from __future__ import annotations

import json
import re
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.live import Live
from rich.table import Table

from crosswire.cli import _echo, _n, _open_store, _plain, _usage_error, app, err, out
from crosswire.sources.watch import DEFAULT_INTERVAL_S, PassStats, Watcher

if TYPE_CHECKING:
    from collections.abc import Callable

    from crosswire.notify.mail import SmtpServer
    from crosswire.sources import Fetcher
    from crosswire.store import Store

_DB_HELP = "Store URL (sqlite:///file.db, postgresql://...). Default: per-user."
_DELAY_HELP = "Seconds between two requests to a host."
_PRIVATE_HELP = "Allow private and loopback addresses (off: a feed cannot reach your LAN)."
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_interval(text: str) -> float:
    """'15m', '90s', '1h', '2d' or plain seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if match is None or float(match.group(1)) <= 0:
        _usage_error(f"--interval {text!r}: give a duration such as 90s, 15m, 1h")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _fetcher(allow_private: bool, host_delay: float, timeout: float) -> Fetcher:
    from crosswire.sources import Fetcher

    return Fetcher(min_host_delay=host_delay, timeout=timeout, allow_private=allow_private)


def _count(n: int, one: str) -> str:
    """`_n` without markup: pass lines are plain text, for logs and scripts."""
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


def _summary(stats: PassStats) -> str:
    parts = []
    if stats.feeds_due:
        parts.append(
            f"{stats.feeds_fetched}/{stats.feeds_due} feeds fetched "
            f"({stats.feeds_unchanged} unchanged)"
        )
    if stats.entries_new or stats.entries_revised:
        parts.append(f"{stats.entries_new} new entries, {stats.entries_revised} revised")
    if stats.pages_fetched:
        parts.append(_count(stats.pages_fetched, "page") + " fetched")
    if stats.files:
        parts.append(_count(stats.files, "file"))
    parts.append(_count(stats.new_articles, "new article"))
    parts.append(_count(len(stats.errors), "error"))
    return ", ".join(parts)


@app.command()
def add(
    urls: Annotated[list[str], typer.Argument(help="Article pages or feeds (http/https).")],
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
    outlet: Annotated[str | None, typer.Option(help="The outlet these URLs belong to.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_PRIVATE_HELP)] = False,
    host_delay: Annotated[float, typer.Option(help=_DELAY_HELP)] = 1.0,
    timeout: Annotated[float, typer.Option(help="Seconds one fetch may take in all.")] = 30.0,
) -> None:
    """Fetch pages or feeds once and analyze them into the store.

    A feed's entries are fetched page by page; entries already stored are skipped.
    Exit 0 all good, 1 some URLs failed (reported), 2 usage error.
    """
    bad = [u for u in urls if not re.match(r"https?://", u, re.IGNORECASE)]
    if bad:
        _usage_error(f"not an http(s) URL: {', '.join(bad)}")
    store = _open_store(db)
    fetcher = _fetcher(allow_private, host_delay, timeout)
    try:
        stats = Watcher(store, fetcher).add_urls(urls, outlet)
    finally:
        store.close()
        fetcher.close()
    _echo(_summary(stats))
    for error in stats.errors:
        out.print(f"  [yellow]error[/yellow] {_plain(error.input)}: {_plain(error.error)}")
    if stats.errors:
        raise typer.Exit(1)


@app.command()
def watch(
    feeds: Annotated[
        Path | None,
        typer.Option(help="File of feed URLs, one a line, optionally followed by the outlet."),
    ] = None,
    folder: Annotated[
        Path | None, typer.Option(help="Folder whose new files are analyzed.")
    ] = None,
    interval: Annotated[str, typer.Option(help="How often a feed is fetched (15m, 1h).")] = "15m",
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_PRIVATE_HELP)] = False,
    host_delay: Annotated[float, typer.Option(help=_DELAY_HELP)] = 1.0,
    timeout: Annotated[float, typer.Option(help="Seconds one fetch may take in all.")] = 30.0,
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit (for cron).")] = False,
    smtp: Annotated[
        str | None,
        typer.Option(help="SMTP server (HOST:PORT) for the alerts of watch lists with --email."),
    ] = None,
) -> None:
    """Follow feeds and a folder until stopped, analyzing what they bring into the store.

    After each pass that stored articles, the watch lists (`crosswire alerts`) are
    checked. Ctrl-C or SIGTERM finishes the current item, commits and exits 0.
    """
    from crosswire.cli_notify import _smtp
    from crosswire.sources.feeds import read_feed_list

    if feeds is None and folder is None:
        _usage_error("give --feeds FILE, --folder DIR or both")
    if folder is not None and not folder.is_dir():
        _usage_error(f"--folder {folder}: not a folder")
    seconds = parse_interval(interval) if interval else DEFAULT_INTERVAL_S
    specs = []
    if feeds is not None:
        try:
            specs = read_feed_list(feeds)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            _usage_error(f"--feeds {feeds}: {exc}")
    mail = _smtp(smtp) if smtp is not None else None
    store = _open_store(db)
    fetcher = _fetcher(allow_private, host_delay, timeout)
    stop = threading.Event()
    on_signal = stop_handler(stop)
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    display = _Display()
    watcher = Watcher(
        store,
        fetcher,
        interval=seconds,
        folder=folder,
        on_progress=display.update,
        # what the feeds file lists now: a feed taken out of it is no longer fetched
        feeds=[s.url for s in specs],
    )
    try:
        from crosswire.store.sources import SourceLog

        SourceLog(store).add_feeds({s.url: s.outlet for s in specs})
        with display:
            while not stop.is_set():
                stats = watcher.poll(stop)
                display.done(stats)
                if stats.articles:
                    _alert(store, mail, allow_private)
                if once or stop.is_set():
                    break
                stop.wait(watcher.seconds_to_next())
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        store.close()
        fetcher.close()
    out.print("stopped" if stop.is_set() else "done")


def stop_handler(stop: threading.Event) -> Callable[[int, FrameType | None], None]:
    """A signal handler that sets `stop` without deadlocking the thread it interrupts.

    Handlers run in the main thread, between two bytecodes of whatever it was doing; when
    that is `stop.wait()` holding the event's own lock (entering or leaving the wait),
    `stop.set()` there waits for that lock forever and the watch never exits (a likely
    cause of a watch once seen not to exit after SIGTERM under load). Another thread
    takes the lock once the main thread lets it go."""

    def handle(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=stop.set, name="stop", daemon=True).start()

    return handle


def _alert(store: Store, smtp: SmtpServer | None, allow_private: bool) -> None:
    """The watch lists' alerts on what a pass stored; a failure to deliver one is a line
    on stderr, never the end of the watch."""
    from crosswire.notify.alerts import check_all

    try:
        raised = check_all(store, smtp=smtp, allow_private=allow_private)
    except Exception as exc:  # a mail server or store hiccup: the next pass checks again
        err.print(f"alerts: {_plain(type(exc).__name__)}: {_plain(str(exc)[:200])}")
        return
    for alert in raised:
        _echo(f"alert {alert.watchlist}: {alert.summary} [{alert.headline}]")
        if alert.error:
            err.print(f"alert {_plain(alert.watchlist)}: {_plain(alert.error)}")


class _Display:
    """A live table on a terminal; one line per pass otherwise (logs, tests)."""

    def __init__(self) -> None:
        self.live = Live(console=err, refresh_per_second=4) if err.is_terminal else None
        self.passes = 0

    def __enter__(self) -> _Display:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()

    def update(self, stats: PassStats) -> None:
        if self.live is not None:
            table = Table(show_header=True, header_style="bold")
            for name in ("due", "fetched", "unchanged", "new", "revised", "articles", "errors"):
                table.add_column(name, justify="right")
            table.add_row(
                *map(
                    str,
                    (
                        stats.feeds_due,
                        stats.feeds_fetched,
                        stats.feeds_unchanged,
                        stats.entries_new,
                        stats.entries_revised,
                        stats.new_articles,
                        len(stats.errors),
                    ),
                )
            )
            self.live.update(table)

    def done(self, stats: PassStats) -> None:
        self.passes += 1
        moment = datetime.now(UTC).replace(microsecond=0).isoformat()
        _echo(f"pass {self.passes} at {moment}: {_summary(stats)}")
        for error in stats.errors:
            _echo(f"  error {error.input}: {error.error}")


@app.command("feeds")
def feeds_command(db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None) -> None:
    """Each followed feed's health: last success, last error, next fetch, articles.

    Also how many errors in a row. The last line is JSON.
    """
    from crosswire.store.sources import SourceLog

    store = _open_store(db)
    try:
        states = SourceLog(store).feeds()
    finally:
        store.close()
    table = Table(
        "feed", "outlet", "last success", "errors in row", "last error", "next", "articles"
    )
    rows = []
    for state in states:
        due = datetime.fromtimestamp(state.next_fetch, UTC).replace(microsecond=0).isoformat()
        table.add_row(
            state.url,
            state.outlet or "",
            state.last_success or "never",
            str(state.errors_in_row),
            (state.last_error or "")[:60],
            due if state.next_fetch else "now",
            str(state.articles),
        )
        rows.append(
            {
                "url": state.url,
                "outlet": state.outlet,
                "last_success": state.last_success,
                "last_error": state.last_error,
                "last_error_at": state.last_error_at,
                "errors_in_row": state.errors_in_row,
                "next_fetch": due if state.next_fetch else None,
                "articles": state.articles,
            }
        )
    out.print(table)
    out.print(f"{_n(len(states), 'feed')} followed")
    print(json.dumps(rows, sort_keys=True))
