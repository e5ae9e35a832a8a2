"""Command line for digests and watch-list alerts: `crosswire digest`, `crosswire alerts`.

Usage errors (a bad address, --since, --smtp or URL, an SMTP server that cannot be
reached for the digest) are one line and exit 2, as everywhere in the CLI; `alerts
check` reports a failed delivery and exits 1, after every list was checked.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from crosswire.cli import _echo, _n, _open_store, _usage_error, app, out

if TYPE_CHECKING:
    from crosswire.notify.mail import SmtpServer

alerts_app = typer.Typer(help="Watch lists: alerts on new conflicts, confirmations, revisions.")
app.add_typer(alerts_app, name="alerts")

_DB_HELP = "Store URL (sqlite:///file.db, postgresql://...). Default: per-user."
_BASE_HELP = "Where `crosswire serve` is reached (http://host:8000): links to its story pages."
_FROM_HELP = "The sender's address."


def _smtp(text: str) -> SmtpServer:
    from crosswire.notify.mail import parse_smtp

    try:
        return parse_smtp(text)
    except ValueError as exc:
        _usage_error(str(exc))


def _base_url(text: str | None) -> str | None:
    if text is None:
        return None
    if not re.fullmatch(r"https?://[^\s<>\"'\\]+", text, re.IGNORECASE):
        _usage_error(f"--base-url wants an http(s) URL, got {text!r}")
    return text.rstrip("/")


def _address(text: str, option: str) -> str:
    from crosswire.notify.mail import check_address

    try:
        return check_address(text)
    except ValueError as exc:
        _usage_error(f"{option}: {exc}")


@app.command()
def digest(
    since: Annotated[
        str, typer.Option(help="What was published after: a duration (24h, 90m, 2d) or ISO time.")
    ],
    to: Annotated[str, typer.Option(help="Recipients, comma-separated.")],
    smtp: Annotated[str, typer.Option(help="SMTP server as HOST:PORT.")],
    sender: Annotated[str, typer.Option("--from", help=_FROM_HELP)] = "crosswire@localhost",
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help=_BASE_HELP)] = None,
    always: Annotated[
        bool, typer.Option("--always", help="Send even when nothing changed.")
    ] = False,
) -> None:
    """E-mail what changed since a time (plain text and HTML in one message).

    New stories, new conflicts (both values, who gave them, when), revised figures (old
    -> new) and new independent confirmations, by publication time.

    Nothing changed: says so and sends nothing (exit 0), unless --always.
    """
    from crosswire.notify.digest import build_digest, digest_message, parse_since
    from crosswire.notify.mail import MailError, parse_addresses, send

    try:
        since_at = parse_since(since)
    except ValueError as exc:
        _usage_error(str(exc))
    try:
        recipients = parse_addresses(to)
    except ValueError as exc:
        _usage_error(f"--to: {exc}")
    sender = _address(sender, "--from")
    server = _smtp(smtp)
    base = _base_url(base_url)
    store = _open_store(db)
    try:
        found = build_digest(store, since_at)
    finally:
        store.close()
    counts = found.counts()
    summary = (
        f"{counts['stories']} new stories, {counts['conflicts']} new conflicts,"
        f" {counts['revisions']} revised figures, {counts['confirmations']} new confirmations"
        f" since {since_at.isoformat(timespec='seconds')}"
    )
    if found.empty and not always:
        _echo(f"nothing changed since {since_at.isoformat(timespec='seconds')}: no digest sent")
        return
    try:
        send(digest_message(found, sender, recipients, base), server)
    except MailError as exc:
        _usage_error(f"cannot send the digest: {exc}")
    _echo(f"digest sent to {', '.join(recipients)}: {summary}")


@alerts_app.command("add")
def alerts_add(
    name: Annotated[str, typer.Argument(help="The list's name (letters, digits, . _ -).")],
    term: Annotated[
        list[str] | None,
        typer.Option("--term", help="A word or phrase in a headline or claim (repeatable)."),
    ] = None,
    entity: Annotated[
        list[str] | None,
        typer.Option("--entity", help="An entity's name or alias (repeatable)."),
    ] = None,
    email: Annotated[str | None, typer.Option(help="Mail alerts to this address.")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST alerts as JSON to this URL.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            help="Alert on what reached the store after this (ISO, or 24h). Default: now."
        ),
    ] = None,
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
) -> None:
    """Follow terms and entities: `alerts check` raises an alert for each new conflict,
    new independent confirmation or revised figure in a story that matches."""
    from crosswire.notify.alerts import check_name
    from crosswire.notify.digest import parse_since
    from crosswire.store.watchlists import WatchList, WatchListExists, WatchStore

    try:
        check_name(name)
    except ValueError as exc:
        _usage_error(str(exc))
    terms = [" ".join(t.split()) for t in term or [] if t.split()]
    entities = [" ".join(e.split()) for e in entity or [] if e.split()]
    if not terms and not entities:
        _usage_error("give at least one --term or --entity")
    if email is not None:
        email = _address(email, "--email")
    if webhook is not None and not re.fullmatch(r"https?://\S+", webhook, re.IGNORECASE):
        _usage_error(f"--webhook wants an http(s) URL, got {webhook!r}")
    now = datetime.now(UTC)
    start = now
    if since is not None:
        try:
            start = parse_since(since, now)
        except ValueError as exc:
            _usage_error(str(exc))
    item = WatchList(
        name=name,
        terms=terms,
        entities=entities,
        email=email,
        webhook=webhook,
        created_at=now.isoformat(timespec="seconds"),
        last_checked=start.astimezone(UTC).isoformat(timespec="seconds"),
    )
    store = _open_store(db)
    try:
        WatchStore(store).add(item)
    except WatchListExists as exc:
        _usage_error(str(exc))
    finally:
        store.close()
    _echo(f"watch list {name} added: {_following(terms, entities)}")


@alerts_app.command("list")
def alerts_list(db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None) -> None:
    """The watch lists, what each follows, where its alerts go. The last line is JSON."""
    from crosswire.store.watchlists import WatchStore

    store = _open_store(db)
    try:
        watch = WatchStore(store)
        items = watch.all()
        counts = {i.name: watch.count_alerts(i.name) for i in items}
    finally:
        store.close()
    table = Table("name", "follows", "email", "webhook", "last checked", "alerts")
    rows = []
    for item in items:
        table.add_row(
            item.name,
            _following(item.terms, item.entities),
            item.email or "",
            item.webhook or "",
            item.last_checked,
            str(counts[item.name]),
        )
        rows.append(
            {
                "name": item.name,
                "terms": item.terms,
                "entities": item.entities,
                "email": item.email,
                "webhook": item.webhook,
                "last_checked": item.last_checked,
                "alerts": counts[item.name],
            }
        )
    if items:
        out.print(table)
    out.print(f"{_n(len(items), 'watch list')}")
    print(json.dumps(rows, sort_keys=True))


@alerts_app.command("remove")
def alerts_remove(
    name: Annotated[str, typer.Argument(help="The list's name.")],
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
) -> None:
    """Forget a watch list and its alerts."""
    from crosswire.store.watchlists import WatchStore

    store = _open_store(db)
    try:
        gone = WatchStore(store).remove(name)
    finally:
        store.close()
    if not gone:
        _usage_error(f"no watch list named {name!r}")
    _echo(f"watch list {name} removed")


@alerts_app.command("check")
def alerts_check(
    smtp: Annotated[
        str | None, typer.Option(help="SMTP server as HOST:PORT, for lists with --email.")
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow webhooks on private and loopback addresses."),
    ] = False,
    sender: Annotated[str, typer.Option("--from", help=_FROM_HELP)] = "crosswire@localhost",
    base_url: Annotated[str | None, typer.Option("--base-url", help=_BASE_HELP)] = None,
    db: Annotated[str | None, typer.Option(help=_DB_HELP)] = None,
) -> None:
    """Check every watch list against what reached the store since its last check.

    Each alert is stored (its Atom feed shows it), mailed and posted once. Exit 1 when
    a delivery failed (it is reported, and the other lists are still checked).
    """
    from crosswire.notify.alerts import check_all

    server = _smtp(smtp) if smtp is not None else None
    sender = _address(sender, "--from")
    base = _base_url(base_url)
    store = _open_store(db)
    try:
        raised = check_all(
            store, smtp=server, allow_private=allow_private, sender=sender, base_url=base
        )
    finally:
        store.close()
    for alert in raised:
        _echo(f"{alert.watchlist}: {alert.summary} [{alert.headline}]")
    # one line per list and failure, not per alert: a list's alerts travel together
    for watchlist, error in sorted({(a.watchlist, a.error) for a in raised if a.error}):
        _echo(f"  {watchlist}: {error}")
    _echo(f"{len(raised)} alert{'s' if len(raised) != 1 else ''} raised")
    if any("failed" in (a.email, a.webhook) for a in raised):
        raise typer.Exit(1)


def _following(terms: list[str], entities: list[str]) -> str:
    parts = [f"term {t!r}" for t in terms] + [f"entity {e!r}" for e in entities]
    return ", ".join(parts)
