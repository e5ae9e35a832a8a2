"""When to try a source again: after a success, and after N failures in a row.

Pure functions of (what happened, how many failures in a row, the server's Retry-After,
a random number), so a scheduler can store one counter per feed and the schedule can
be tested without a clock.

Choices and where they come from:

- Two families. A soft failure (timeout, connection error, 429, 5xx) is usually over
  in minutes: retry soon, doubling from `SOFT_BASE`. A hard one (404, 410, a wrong
  content type, a feed that does not parse, a refused address) needs someone to fix
  the site or the feed list: retry rarely, doubling from `HARD_BASE`.
- Never drop a feed. Miniflux stops polling a feed after `POLLING_PARSING_ERROR_LIMIT`
  errors and Media Cloud's rss-fetcher disables it after `MAX_FAILURES`; both then need a
  person to notice. Media Cloud's own comment says why that hurts: "active feeds DO
  return 404 and come back to life!". Here every delay is capped (`SOFT_CAP`,
  `HARD_CAP`), so a dead feed costs one request a day and a revived one is read again
  within a day.
- Retry-After is a floor, never shortened by jitter, and capped at `RETRY_AFTER_CAP`
  so a server (or a typo: "Retry-After: 31536000") cannot park a feed for a year.
- Jitter (±`JITTER`) on every delay, success or failure: feeds added together, or
  failed together in one outage, would otherwise come due in the same second forever.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Literal, get_args

from crosswire.sources.fetch import ErrorKind

# what a later stage adds: a feed whose body is not RSS, Atom or JSON Feed
FailureKind = ErrorKind | Literal["unparseable"]

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# a 5xx blip, a dropped connection or a 429 burst typically clears within minutes
SOFT_BASE = 5 * MINUTE
# an outage longer than this is rare; a feed back up is read again within six hours,
# before a news day's stories have aged out of interest
SOFT_CAP = 6 * HOUR
# a 404/410/wrong type rarely heals by itself; start at an hour so a deploy glitch
# (the site briefly serving 404s) still recovers the same morning
HARD_BASE = 1 * HOUR
# one request a day per dead feed is negligible for the site and for us
HARD_CAP = 1 * DAY
# longest wait a server may impose with Retry-After
RETRY_AFTER_CAP = 1 * DAY
# ±15 %: wide enough to spread feeds over a poll interval, narrow enough that a
# 15-minute feed stays a 15-minute feed
JITTER = 0.15
# no delay returned by this module is longer
MAX_DELAY = RETRY_AFTER_CAP * (1 + JITTER)

SOFT_KINDS: frozenset[str] = frozenset({"timeout", "connection", "http_429", "http_5xx"})
# everything else is hard, including kinds a later version adds: erring towards fewer
# requests is the polite default
HARD_KINDS: frozenset[str] = (
    frozenset(kind for part in get_args(FailureKind) for kind in get_args(part)) - SOFT_KINDS
)

Random = Callable[[], float]  # uniform in [0, 1), as random.random


def is_soft(kind: FailureKind) -> bool:
    """Whether `kind` is a transient failure (retried within minutes)."""
    return kind in SOFT_KINDS


def jitter(delay: float, rng: Random = random.random) -> float:
    """`delay` spread uniformly over ±JITTER."""
    return delay * (1 + JITTER * (2 * rng() - 1))


def failure_delay(
    kind: FailureKind,
    failures: int,
    retry_after: float | None = None,
    rng: Random = random.random,
) -> float:
    """Seconds until the next try after `failures` failures in a row (this one included).

    Doubles per failure from the family's base up to its cap, then jitters; a
    Retry-After (seconds) is a floor, capped at RETRY_AFTER_CAP. Always finite and at
    most MAX_DELAY, so a source is slowed down, never given up on.
    """
    soft = is_soft(kind)
    base, cap = (SOFT_BASE, SOFT_CAP) if soft else (HARD_BASE, HARD_CAP)
    # the exponent is bounded so a counter that has run for years cannot overflow
    doublings = min(max(failures, 1) - 1, 32)
    delay = jitter(min(base * 2.0**doublings, cap), rng)
    if retry_after is not None and not math.isnan(retry_after) and retry_after > 0:
        floor = min(retry_after, RETRY_AFTER_CAP)
        # jitter only upward: the server asked for at least this long
        delay = max(delay, floor * (1 + JITTER * rng()))
    return min(delay, MAX_DELAY)


def success_delay(interval: float, rng: Random = random.random) -> float:
    """Seconds until the next fetch of a source polled every `interval` seconds."""
    if not math.isfinite(interval) or interval <= 0:
        raise ValueError(f"a poll interval must be a positive number of seconds: {interval}")
    return jitter(interval, rng)
