"""Atom feeds (RFC 4287): the stories as they arrive and change, and each watch list's alerts.

Ids are `urn:uuid:` names derived (UUID 5) from the story id or the alert's key, never
from the address the feed is served at: a story keeps its id as it grows, so a reader
shows it once and marks it updated; the same store behind another host name gives the
same ids. A story entry's `updated` is when its latest member (or revision) reached
the store, so it moves exactly when the story gains a member; its `published` is when
the first member did. Text goes through ElementTree, which escapes it, after the
characters XML 1.0 cannot carry at all are dropped.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime

from crosswire import __version__
from crosswire.model import Story, published_instant
from crosswire.store import Store
from crosswire.store.watchlists import StoredAlert, StoryActivity, WatchStore

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# every id below is a UUID 5 in this namespace (itself UUID 5 of the project's name)
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/crosswire/ids")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EPOCH = "1970-01-01T00:00:00Z"

ET.register_namespace("", ATOM_NS)


class UnknownWatchList(KeyError):
    """No watch list of that name."""


def urn(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}:{key}')}"


def stories_feed(store: Store, base_url: str, limit: int = 50) -> bytes:
    """The LIMIT stories that gained a member most recently, latest first."""
    base = base_url.rstrip("/")
    activity = WatchStore(store).story_activity(limit)
    stories = {s.id: s for s in store.load_stories([a.story for a in activity])}
    entries = [_story_entry(stories[a.story], a, base) for a in activity if a.story in stories]
    updated = activity[0].last_seen if activity else _EPOCH
    return _feed(
        urn("feed", "stories"),
        "crosswire: new and updated stories",
        f"{base}/feeds/stories.atom",
        f"{base}/",
        updated,
        entries,
    )


def watchlist_feed(store: Store, name: str, base_url: str, limit: int = 100) -> bytes:
    """The alerts of watch list NAME, the latest first; UnknownWatchList if none."""
    base = base_url.rstrip("/")
    watch = WatchStore(store)
    item = watch.get(name)
    if item is None:
        raise UnknownWatchList(name)
    alerts = watch.alerts(name, limit)
    follows = ", ".join([*item.terms, *item.entities])
    return _feed(
        urn("feed", f"watch:{name}"),
        f"crosswire watch list {name}: {follows}",
        f"{base}/feeds/watch/{name}.atom",
        f"{base}/",
        alerts[0].raised_at if alerts else _atom_time(item.created_at),
        [_alert_entry(a, base) for a in alerts],
    )


def _story_entry(story: Story, activity: StoryActivity, base: str) -> ET.Element:
    outlets = sorted({o.outlet for o in story.outlets if o.outlet})
    conflicts = [f for f in story.facets if f.status == "conflicting"]
    parts = [
        f"{len(story.articles)} article{'s' if len(story.articles) != 1 else ''}"
        + (f" from {', '.join(outlets)}" if outlets else ""),
    ]
    if conflicts:
        parts.append(
            f"{len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}: "
            + "; ".join(f.label for f in conflicts[:3])
        )
    if story.brief:
        parts.append(story.brief[0].text)
    entry = _entry(
        urn("story", story.id),
        story.headline,
        _atom_time(activity.last_seen),
        f"{base}/stories/{story.id}",
        ". ".join(p.rstrip(".") for p in parts) + ".",
    )
    # when the story was first printed; when it first reached the store if unknown
    _text(entry, "published", _atom_time(story.first_published or activity.first_seen))
    for outlet in outlets:
        ET.SubElement(entry, _tag("category"), term=_clean(outlet), label=_clean(outlet))
    return entry


def _alert_entry(alert: StoredAlert, base: str) -> ET.Element:
    headline = str(alert.detail.get("headline", alert.story))
    summary = str(alert.detail.get("summary", alert.kind))
    entry = _entry(
        urn("alert", f"{alert.watchlist}:{alert.key}"),
        f"{summary.split(':', 1)[0]}: {headline}",
        _atom_time(alert.raised_at),
        f"{base}/stories/{alert.story}",
        summary,
    )
    ET.SubElement(entry, _tag("category"), term=alert.kind)
    return entry


def _feed(
    feed_id: str,
    title: str,
    self_url: str,
    home: str,
    updated: str,
    entries: Iterable[ET.Element],
) -> bytes:
    feed = ET.Element(_tag("feed"))
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", _atom_time(updated))
    ET.SubElement(feed, _tag("link"), rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, _tag("link"), rel="alternate", type="text/html", href=home)
    author = ET.SubElement(feed, _tag("author"))
    _text(author, "name", "crosswire")
    generator = _text(feed, "generator", "crosswire")
    generator.set("version", __version__)
    feed.extend(entries)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data


def _entry(entry_id: str, title: str, updated: str, link: str, summary: str) -> ET.Element:
    entry = ET.Element(_tag("entry"))
    _text(entry, "id", entry_id)
    _text(entry, "title", title)
    _text(entry, "updated", updated)
    ET.SubElement(entry, _tag("link"), rel="alternate", type="text/html", href=link)
    _text(entry, "summary", summary).set("type", "text")
    return entry


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    child = ET.SubElement(parent, _tag(name))
    child.text = _clean(value)
    return child


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _stamp(text: str) -> float:
    moment = published_instant(text)
    return moment.timestamp() if moment else 0.0


def _atom_time(text: str) -> str:
    """An RFC 3339 date-time, as Atom wants (a bare date or zoneless time is UTC)."""
    moment = published_instant(text) or datetime(1970, 1, 1, tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
