"""One JSON POST to a watch list's webhook: bounded, guarded, retried once.

A webhook URL is user input like a feed URL, so it goes through the same address
policy and connect-time guard as the fetcher (`sources.net`): private, loopback and
link-local addresses are refused unless allowed. Redirects are not followed (a POST
redirected is a POST to somewhere nobody configured). One retry, after a pause, for
what may pass (timeouts, connection errors, 408, 429, 5xx); a 4xx or a refused address
is final. The answer's body is read only up to `MAX_ANSWER` bytes, for the message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from crosswire import __version__
from crosswire.sources.net import (
    AddressPolicy,
    AddressRefused,
    GuardedBackend,
    Resolver,
    guarded_transport,
    system_resolver,
)

TIMEOUT_S = 10.0
MAX_BODY = 1_000_000  # bytes of JSON we send
MAX_ANSWER = 64 * 1024  # bytes of the answer we read
RETRY_DELAY_S = 1.0
_RETRY_STATUS = frozenset({408, 429})


@dataclass(frozen=True, slots=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


class _Failed(Exception):
    def __init__(self, message: str, status: int | None = None, *, final: bool = False):
        super().__init__(message)
        self.status = status
        self.final = final  # a retry would not mend it


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


def post_json(
    url: str,
    body: bytes,
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_S,
    retries: int = 1,
    retry_delay: float = RETRY_DELAY_S,
    resolver: Resolver = system_resolver,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST BODY (JSON bytes) to URL; never raises for what the network or server does."""
    if len(body) > MAX_BODY:
        return Delivery(False, 0, error=f"payload of {len(body)} bytes is over {MAX_BODY}")
    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        return Delivery(False, 0, error=f"bad webhook URL {url!r}: {exc}")
    if target.scheme not in ("http", "https") or not target.host:
        return Delivery(False, 0, error=f"webhook URL must be http(s): {url!r}")
    policy = AddressPolicy(allow_private=allow_private)
    backend = GuardedBackend(policy, resolver)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"crosswire/{__version__} (webhook)",
    }
    attempts = 0
    error = "not sent"
    status: int | None = None
    with httpx.Client(
        transport=guarded_transport(backend),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
        headers=headers,
    ) as client:
        while attempts <= retries:
            if attempts:
                sleep(retry_delay)
            attempts += 1
            try:
                status = _attempt(client, backend, policy, resolver, target, body, timeout)
                return Delivery(True, attempts, status)
            except _Failed as exc:
                if exc.final:
                    return Delivery(False, attempts, exc.status, str(exc))
                status, error = exc.status, str(exc)
    return Delivery(False, attempts, status, f"{error} (after {attempts} attempts)")


def _attempt(
    client: httpx.Client,
    backend: GuardedBackend,
    policy: AddressPolicy,
    resolver: Resolver,
    target: httpx.URL,
    body: bytes,
    timeout: float,
) -> int:
    host = target.host
    port = target.port or (443 if target.scheme == "https" else 80)
    try:
        # checked here too, so a refusal is said as such rather than as a connect error
        policy.check(host, port, resolver)
    except AddressRefused as exc:
        raise _Failed(f"refused: {exc} (--allow-private to post to it)", final=True) from exc
    except OSError as exc:
        raise _Failed(f"cannot resolve {host}: {exc}") from exc
    backend.deadlines.set(time.monotonic() + timeout)
    try:
        with client.stream("POST", target, content=body) as response:
            answer = _read_some(response)
            status = response.status_code
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    except httpx.TimeoutException as exc:
        raise _Failed(f"no answer within {timeout:g} s") from exc
    except AddressRefused as exc:
        raise _Failed(f"refused: {exc}", final=True) from exc
    except httpx.HTTPError as exc:
        raise _Failed(f"{type(exc).__name__}: {exc}") from exc
    finally:
        backend.deadlines.set(None)
    if 200 <= status < 300:
        return status
    # a short text or JSON answer says why; an HTML error page would only be noise
    readable = kind.startswith("text/plain") or kind.endswith("json")
    said = " ".join(answer.decode("utf-8", errors="replace").split())[:200] if readable else ""
    message = f"HTTP {status}" + (f": {said}" if said else "")
    if status >= 500 or status in _RETRY_STATUS:
        raise _Failed(message, status)
    if 300 <= status < 400:
        message += " (redirects are not followed)"
    raise _Failed(message, status, final=True)


def _read_some(response: httpx.Response) -> bytes:
    kept = bytearray()
    for chunk in response.iter_raw():
        kept.extend(chunk[: MAX_ANSWER - len(kept)])
        if len(kept) >= MAX_ANSWER:
            break
    return bytes(kept)
