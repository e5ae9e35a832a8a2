"""Query parameters the pages and the API share: times, the story filter, paging.

A browser's form sends every field, empty ones as "", so an empty value means "not
set" everywhere. Times are ISO 8601 (a date, a date and time, with or without an
offset); a time without an offset is UTC, as the pages say beside each picker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fastapi import HTTPException

from crosswire.store.query import MAX_QUERY_CHARS, StoryFilter

MAX_PAGE = 10_000
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class BadParameter(HTTPException):
    def __init__(self, name: str, problem: str) -> None:
        super().__init__(status_code=422, detail=f"{name}: {problem}")


def parse_time(
    name: str, value: str | datetime | date | None, *, end_of_day: bool = False
) -> datetime | None:
    """VALUE as an aware datetime; a bare date is its start (or END_OF_DAY, its end).
    Times past the calendar's ends are taken as its ends: a filter on "year 9999" is
    a filter on the last instant there is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            raise BadParameter(name, "too long for a time")
        try:
            value = (
                date.fromisoformat(text)
                if len(text) == 10
                else datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            )
        except ValueError:
            raise BadParameter(
                name, f"{text!r} is not an ISO 8601 time (2026-03-03 or 2026-03-03T12:00Z)"
            ) from None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end_of_day else time.min)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return _EDGE_LATE if value.year > 5000 else _EDGE_EARLY


_EDGE_EARLY = datetime(1, 1, 2, tzinfo=UTC)
_EDGE_LATE = datetime(9999, 12, 30, tzinfo=UTC)


def time_text(value: str | datetime | date | None) -> str | None:
    """How a time parameter is written back into links and form fields."""
    if value is None or isinstance(value, str):
        return clean(value)
    return value.isoformat()


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


@dataclass(frozen=True, slots=True)
class ListParams:
    """The story list's filter as given (for links and form values) and as parsed."""

    q: str | None
    outlet: str | None
    entity: str | None
    since: str | None
    until: str | None
    has_conflicts: bool
    page: int
    limit: int

    def filter(self) -> StoryFilter:
        since = parse_time("since", self.since)
        until = parse_time("until", self.until, end_of_day=True)
        return StoryFilter(
            q=self.q,
            outlet=self.outlet,
            entity=self.entity,
            since=since.timestamp() if since else None,
            until=until.timestamp() if until else None,
            has_conflicts=self.has_conflicts,
        )

    def query(self, **changes: object) -> dict[str, str]:
        """The filter as query parameters (without the unset ones), with CHANGES."""
        values: dict[str, object] = {
            "q": self.q,
            "outlet": self.outlet,
            "entity": self.entity,
            "since": self.since,
            "until": self.until,
            "has_conflicts": "true" if self.has_conflicts else None,
            "page": self.page if self.page != 1 else None,
            "limit": self.limit if self.limit != DEFAULT_LIMIT else None,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def list_params(
    q: str | None,
    outlet: str | None,
    entity: str | None,
    since: str | datetime | date | None,
    until: str | datetime | date | None,
    has_conflicts: bool,
    page: int,
    limit: int,
) -> ListParams:
    q = clean(q)
    if q is not None and len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"longer than {MAX_QUERY_CHARS} characters")
    params = ListParams(
        q,
        clean(outlet),
        clean(entity),
        time_text(since),
        time_text(until),
        has_conflicts,
        page,
        limit,
    )
    params.filter()  # refuse bad times before any work
    return params
