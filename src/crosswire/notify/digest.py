"""The digest: what was published since a moment, as one e-mail (`crosswire digest`).

"Since" means publication time, as for `crosswire changes` and `report --since`: a
story is new when its first article was published after the moment, a conflict is new
when the claims up to the moment did not conflict yet (`changes_since`), a figure
revised in place counts at the time of its revision. Only stories that hold an article
published (or revised) after the moment are loaded, so a daily digest of a large store
reads one day's stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from crosswire.compare import changes_since
from crosswire.compare.facets import build_facets
from crosswire.model import Claim, Revision, published_instant
from crosswire.notify.facts import StoryFacts, count, story_facts
from crosswire.notify.mail import compose
from crosswire.notify.render import render
from crosswire.store import Store
from crosswire.store.watchlists import WatchStore

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass(slots=True)
class Digest:
    since: datetime
    generated: datetime
    stories: list[StoryFacts]  # the stories with something to tell, latest first

    @property
    def empty(self) -> bool:
        return not self.stories

    def counts(self) -> dict[str, int]:
        return {
            kind: count(self.stories, kind)
            for kind in ("stories", "conflicts", "revisions", "confirmations")
        }


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """'24h', '90m', '2d', '1w' before NOW, or an ISO 8601 time (a zoneless one is
    UTC); ValueError otherwise."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([mhdw])\s*", text.lower())
    if match is not None:
        now = now or datetime.now(UTC)
        return now - timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    moment = published_instant(text)
    if moment is None:
        raise ValueError(f"--since wants a duration (24h, 90m, 2d) or an ISO time, got {text!r}")
    return moment


def build_digest(store: Store, since: datetime, now: datetime | None = None) -> Digest:
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    ids = WatchStore(store).stories_published_since(
        since.timestamp(), since.astimezone(UTC).isoformat(timespec="seconds")
    )

    def after(published: str | None) -> bool:
        moment = published_instant(published)
        return moment is not None and moment > since

    def new_claim(claim: Claim) -> bool:
        return after(claim.published)

    def new_revision(revision: Revision) -> bool:
        return after(revision.new_published)

    found: list[StoryFacts] = []
    for story in store.load_stories(ids):
        builds = build_facets(story.id, story.claims)
        changes = changes_since(story, since, builds)
        facts = story_facts(
            story,
            changes,
            [b.facet for b in builds if b.facet is not None],
            is_new=after(story.first_published),
            new_claim=new_claim,
            new_revision=new_revision,
        )
        if facts.changed:
            found.append(facts)
    found.sort(key=_latest_first)
    return Digest(since=since, generated=now, stories=found)


def subject(digest: Digest) -> str:
    counts = digest.counts()
    parts = [
        _plural(counts["stories"], "new story", "new stories"),
        _plural(counts["conflicts"], "new conflict"),
        _plural(counts["revisions"], "revised figure"),
        _plural(counts["confirmations"], "new confirmation"),
    ]
    said = [p for p in parts if not p.startswith("0 ")] or ["nothing new"]
    day = digest.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"crosswire digest: {', '.join(said)} since {day}"


def render_digest(digest: Digest, base_url: str | None = None) -> tuple[str, str]:
    """The digest's plain text and HTML."""
    counts = digest.counts()
    context = {
        "title": subject(digest),
        "stories": digest.stories,
        "new_stories": [s for s in digest.stories if s.is_new],
        "conflicts": counts["conflicts"],
        "revisions": counts["revisions"],
        "confirmations": counts["confirmations"],
        "since": digest.since,
        "generated": digest.generated,
        "base_url": (base_url or "").rstrip("/"),
    }
    return render("digest.txt", **context), render("digest.html", **context)


def digest_message(
    digest: Digest, sender: str, to: list[str], base_url: str | None = None
) -> EmailMessage:
    text, html = render_digest(digest, base_url)
    return compose(subject(digest), text, html, sender, to)


def _latest_first(facts: StoryFacts) -> tuple[float, str]:
    moment = published_instant(facts.last_published)
    return (-(moment.timestamp()) if moment else 0.0, facts.story)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
