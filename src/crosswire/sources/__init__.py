"""Live sources: fetching pages and feeds over HTTP, politely and within caps.

`Fetcher.fetch` is the one entry point that touches the network; `backoff` says when
to try a source again; `net` decides which addresses may be reached. Feed parsing and
scheduling (`crosswire add`, `crosswire watch`) build on these.
"""

from crosswire.sources.backoff import (
    FailureKind,
    failure_delay,
    is_soft,
    jitter,
    success_delay,
)
from crosswire.sources.fetch import (
    DEFAULT_USER_AGENT,
    FEED_TYPES,
    PAGE_TYPES,
    ErrorKind,
    Fetcher,
    FetchKind,
    FetchResult,
    body_hash,
    make_user_agent,
    parse_content_type,
    parse_retry_after,
)
from crosswire.sources.net import AddressPolicy, AddressRefused, Resolver, refusal, system_resolver

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_TYPES",
    "PAGE_TYPES",
    "AddressPolicy",
    "AddressRefused",
    "ErrorKind",
    "FailureKind",
    "FetchKind",
    "FetchResult",
    "Fetcher",
    "Resolver",
    "body_hash",
    "failure_delay",
    "is_soft",
    "jitter",
    "make_user_agent",
    "parse_content_type",
    "parse_retry_after",
    "refusal",
    "success_delay",
    "system_resolver",
]
