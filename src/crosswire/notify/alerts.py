"""Watch lists: terms and entities a person follows, and the alerts they raise.

A check (`check_all`, after each `watch` pass or from `crosswire alerts check`) looks,
for each watch list, at the stories that gained or revised a member since the list's
last check and that match it: a term in the headline or a claim's sentence (whole
words, any case), or an entity whose name or an alias is one of the list's. Such a
story raises an alert for each new conflict, new independent confirmation and revised
figure since that check.

"Since the last check" is by arrival in the store, not by publication time: a feed
that lags an hour still alerts, and a list made today does not alert on last week's
backlog. So the claims are dated by when their article reached the store (or was last
revised) and `changes_since` is asked about that view; the facets are grouped from the
real claims. The check's time is read under the store's writer lock, so every run
that committed before it is seen and every later run arrives after it; a second of
overlap covers the stores' one-second timestamps, and the alert keys make an event
seen twice count once.

An alert is stored (its list's Atom feed shows it) before it is sent, and sent once:
by mail when the list has an address and an SMTP server is given, and as JSON to its
webhook. A channel that fails is recorded on the alert and reported; it does not stop
the other channel or the other lists.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from crosswire.compare import changes_since
from crosswire.compare.facets import FacetBuild, build_facets
from crosswire.model import Claim, Facet, Revision, Story, published_instant, to_plain
from crosswire.notify import webhook
from crosswire.notify.facts import (
    ConfirmationFact,
    ConflictFact,
    Given,
    RevisionFact,
    StoryFacts,
    story_facts,
)
from crosswire.notify.mail import DEFAULT_SENDER, MailError, SmtpServer, compose, send
from crosswire.notify.render import render
from crosswire.report.view import format_time
from crosswire.store import Store
from crosswire.store.watchlists import NewAlert, StoredAlert, WatchList, WatchStore

NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# the stores keep seconds: the next check starts a second before the last one ended
_OVERLAP = timedelta(seconds=1)
_MAX_CLAIMS = 20  # a facet's claims shown in an alert's story object
# an article with no arrival time (none should be) counts as there from the start
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as raised by a check, with how its delivery went."""

    id: int
    watchlist: str
    kind: str  # conflict, confirmation, revision
    story: str
    headline: str
    facet: str | None
    summary: str
    raised_at: str
    email: str  # none, sent, failed, skipped (no SMTP server), sending (interrupted)
    webhook: str
    error: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, stored: StoredAlert) -> Alert:
        return cls(
            id=stored.id,
            watchlist=stored.watchlist,
            kind=stored.kind,
            story=stored.story,
            headline=str(stored.detail.get("headline", "")),
            facet=stored.facet,
            summary=str(stored.detail.get("summary", "")),
            raised_at=stored.raised_at,
            email=stored.email_status,
            webhook=stored.webhook_status,
            error=stored.error,
            detail=stored.detail,
        )


def check_name(name: str) -> str:
    """NAME as a watch list name (letters, digits, . _ -; it is a URL path segment)."""
    if NAME_RE.fullmatch(name) is None:
        raise ValueError(
            f"watch list name {name!r}: use 1-64 letters, digits, '.', '_' or '-',"
            " starting with a letter or digit"
        )
    return name


def matcher(watchlist: WatchList) -> Callable[[Story], bool]:
    """Whether a story is one WATCHLIST follows."""
    terms = [
        re.compile(
            r"(?<!\w)" + r"\s+".join(re.escape(w) for w in t.split()) + r"(?!\w)", re.IGNORECASE
        )
        for t in watchlist.terms
        if t.split()
    ]
    names = {" ".join(e.split()).casefold() for e in watchlist.entities if e.split()}

    def matches(story: Story) -> bool:
        if names:
            for entity in story.entities:
                if any(
                    " ".join(n.split()).casefold() in names for n in [entity.name, *entity.aliases]
                ):
                    return True
        if terms:
            texts = [story.headline, *(c.text for c in story.claims)]
            return any(p.search(text) for p in terms for text in texts)
        return False

    return matches


def check_all(
    store: Store,
    *,
    smtp: SmtpServer | None = None,
    allow_private: bool = False,
    now: datetime | None = None,
    sender: str = DEFAULT_SENDER,
    base_url: str | None = None,
    webhook_timeout: float = webhook.TIMEOUT_S,
    retry_delay: float = webhook.RETRY_DELAY_S,
) -> list[Alert]:
    """Check every watch list once; the alerts raised, each with its delivery's outcome."""
    watch = WatchStore(store)
    lists = watch.all()
    if not lists:
        return []
    checked_at = _iso(now) if now is not None else watch.barrier()
    starts = {w.name: _instant(w.last_checked) - _OVERLAP for w in lists}
    ids = watch.stories_arrived_since(_iso(min(starts.values())))
    stories = store.load_stories(ids) if ids else []
    arrivals = {
        article: moment
        for article, at in watch.arrivals([a for s in stories for a in s.articles]).items()
        if (moment := published_instant(at)) is not None
    }
    latest = {
        s.id: max((arrivals.get(a, _EPOCH) for a in s.articles), default=_EPOCH) for s in stories
    }
    builds: dict[str, list[FacetBuild]] = {}
    raised: list[Alert] = []
    for item in lists:
        since = starts[item.name]
        follows = matcher(item)
        found: list[NewAlert] = []
        for story in stories:
            if latest[story.id] >= since and follows(story):
                found.extend(_story_alerts(story, since, arrivals, builds))
        stored = watch.record_check(item, checked_at, found)
        if stored:
            raised.extend(
                _deliver(
                    watch,
                    item,
                    stored,
                    smtp=smtp,
                    allow_private=allow_private,
                    sender=sender,
                    base_url=base_url,
                    timeout=webhook_timeout,
                    retry_delay=retry_delay,
                )
            )
    return raised


def _story_alerts(
    story: Story,
    since: datetime,
    arrivals: dict[str, datetime],
    builds: dict[str, list[FacetBuild]],
) -> list[NewAlert]:
    def arrived(claim: Claim) -> datetime:
        return arrivals.get(claim.article, _EPOCH)

    def new_claim(claim: Claim) -> bool:
        return arrived(claim) > since

    claims = {c.id: c for c in story.claims}

    def new_revision(revision: Revision) -> bool:
        claim = claims.get(revision.new_claim)
        return claim is not None and new_claim(claim)

    # grouped once per story, whichever lists follow it
    facet_builds = builds.get(story.id)
    if facet_builds is None:
        facet_builds = builds[story.id] = build_facets(story.id, story.claims)
    facets = [b.facet for b in facet_builds if b.facet is not None]
    # the same story with every claim dated by its arrival: changes_since's view of "new"
    arrived_view = replace(
        story, claims=[replace(c, published=_iso(arrived(c))) for c in story.claims]
    )
    changes = changes_since(arrived_view, since, facet_builds)
    facts = story_facts(
        story,
        changes,
        facets,
        is_new=False,
        new_claim=new_claim,
        new_revision=new_revision,
    )
    by_id = {f.id: f for f in facets}
    return [
        *(_conflict(story, facts, c, by_id[c.facet]) for c in facts.conflicts),
        *(_confirmation(story, facts, c, by_id[c.facet]) for c in facts.confirmations),
        *(_revised(story, facts, r, by_id.get(r.facet)) for r in facts.revisions),
    ]


def _conflict(story: Story, facts: StoryFacts, fact: ConflictFact, facet: Facet) -> NewAlert:
    summary = (
        f"New conflict on {fact.label}: {_given_text(fact.first)} vs {_given_text(fact.second)}"
    )
    detail = _detail(story, facts, facet, summary)
    detail["values"] = [to_plain(fact.first), to_plain(fact.second)]
    return NewAlert(f"conflict:{story.id}:{_root(facet)}", "conflict", story.id, facet.id, detail)


def _confirmation(
    story: Story, facts: StoryFacts, fact: ConfirmationFact, facet: Facet
) -> NewAlert:
    by = "; ".join(_given_text(g) for g in fact.confirmed_by)
    summary = f"Newly confirmed: {fact.label}, now {fact.origins} independent origins" + (
        f" (newly {by})" if by else ""
    )
    detail = _detail(story, facts, facet, summary)
    detail["origins"] = fact.origins
    detail["confirmed_by"] = [to_plain(g) for g in fact.confirmed_by]
    origins = ",".join(sorted(o.name for o in facet.origins))
    key = f"confirmation:{story.id}:{_root(facet)}:{fact.origins}:{_digest(origins)}"
    return NewAlert(key, "confirmation", story.id, facet.id, detail)


def _revised(story: Story, facts: StoryFacts, fact: RevisionFact, facet: Facet | None) -> NewAlert:
    summary = (
        f"Revised figure: {fact.label or 'figure'}: {fact.old_value} -> {fact.new_value}"
        f" by {fact.who}"
    )
    detail = _detail(story, facts, facet, summary)
    detail["revision"] = to_plain(fact)
    change = _digest(f"{fact.old_claim}>{fact.new_claim}:{fact.old_value}>{fact.new_value}")
    return NewAlert(f"revision:{story.id}:{change}", "revision", story.id, fact.facet, detail)


def _given_text(given: Given) -> str:
    place = f" in {given.outlet}" if given.outlet and given.outlet != given.who else ""
    when = format_time(given.published) if given.published else "time unknown"
    return f"{given.value} ({given.who}{place}, {when})"


def _detail(story: Story, facts: StoryFacts, facet: Facet | None, summary: str) -> dict[str, Any]:
    """What an alert keeps: its text, and its story as a report object (per
    report.schema.json) trimmed to the facet it is about, so a webhook payload stays
    small and still validates."""
    wanted = set(facet.claims[:_MAX_CLAIMS]) if facet is not None else set()
    claims = [c for c in story.claims if c.id in wanted]
    mentioned = {e for c in claims for e in c.entities} | {c.claimant for c in claims}
    return {
        "summary": summary,
        "headline": story.headline,
        "label": facet.label if facet is not None else "",
        "outlets": facts.outlets,
        "story": {
            "id": story.id,
            "headline": story.headline,
            "articles": list(story.articles),
            "first_published": story.first_published,
            "last_published": story.last_published,
            "entities": [to_plain(e) for e in story.entities if e.id in mentioned],
            "claims": [to_plain(c) for c in claims],
            "facets": [to_plain(facet)] if facet is not None else [],
        },
    }


def _root(facet: Facet) -> str:
    """A name for a facet that outlives its id (`<story>-f<n>` is renumbered as the
    story grows): its kind and its earliest claim with the figures it compares."""
    first = min(facet.claims)
    figures = ",".join(str(k) for k in facet.figures.get(first, []))
    return _digest(f"{facet.kind}:{first}:{figures}")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _deliver(
    watch: WatchStore,
    item: WatchList,
    stored: Sequence[StoredAlert],
    *,
    smtp: SmtpServer | None,
    allow_private: bool,
    sender: str,
    base_url: str | None,
    timeout: float,
    retry_delay: float,
) -> list[Alert]:
    ids = [a.id for a in stored]
    alerts = [Alert.of(a) for a in stored]
    if item.email:
        if smtp is None:
            watch.set_delivery(ids, "email", "skipped", "not mailed: no SMTP server given")
        else:
            try:
                send(alert_message(item, alerts, sender, base_url), smtp)
                watch.set_delivery(ids, "email", "sent")
            except MailError as exc:
                watch.set_delivery(ids, "email", "failed", f"mail: {exc}")
    if item.webhook:
        payload = webhook_payload(item, alerts, base_url)
        outcome = webhook.post_json(
            item.webhook,
            payload,
            allow_private=allow_private,
            timeout=timeout,
            retry_delay=retry_delay,
        )
        if outcome.ok:
            watch.set_delivery(ids, "webhook", "sent")
        else:
            watch.set_delivery(ids, "webhook", "failed", f"webhook: {outcome.error}")
    return [Alert.of(a) for a in watch.alerts_by_id(ids)]


def alert_subject(item: WatchList, alerts: Sequence[Alert]) -> str:
    kinds = {
        "conflict": "new conflict",
        "confirmation": "new confirmation",
        "revision": "revised figure",
    }
    parts = []
    for kind, one in kinds.items():
        n = sum(1 for a in alerts if a.kind == kind)
        if n:
            parts.append(f"{n} {one}{'s' if n != 1 else ''}")
    return f"crosswire alert ({item.name}): {', '.join(parts)}"


def alert_message(
    item: WatchList, alerts: Sequence[Alert], sender: str, base_url: str | None = None
) -> EmailMessage:
    context = {
        "title": alert_subject(item, alerts),
        "alerts": alerts,
        "name": item.name,
        "terms": item.terms,
        "entities": item.entities,
        "base_url": (base_url or "").rstrip("/"),
    }
    assert item.email is not None
    return compose(
        alert_subject(item, alerts),
        render("alert.txt", **context),
        render("alert.html", **context),
        sender,
        [item.email],
    )


def webhook_payload(item: WatchList, alerts: Sequence[Alert], base_url: str | None) -> bytes:
    """The JSON a webhook receives: the list, and each alert with its story trimmed to
    the facet; without the stories' claims when that would be over the size limit."""
    base = (base_url or "").rstrip("/")

    def entry(alert: Alert, with_claims: bool) -> dict[str, Any]:
        story = dict(alert.detail.get("story", {}))
        if not with_claims:
            story["claims"] = []
        return {
            "id": alert.id,
            "kind": alert.kind,
            "summary": alert.summary,
            "raised_at": alert.raised_at,
            "url": f"{base}/stories/{alert.story}" if base else None,
            "story": story,
            **{
                k: alert.detail[k]
                for k in ("values", "revision", "origins", "confirmed_by")
                if k in alert.detail
            },
        }

    for with_claims in (True, False):
        body = webhook.encode(
            {
                "schema": "crosswire.alerts/1",
                "watchlist": item.name,
                "alerts": [entry(a, with_claims) for a in alerts],
            }
        )
        if len(body) <= webhook.MAX_BODY:
            break
    return body


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _instant(text: str) -> datetime:
    return published_instant(text) or _EPOCH
