"""Which addresses a fetch may reach, and the connection layer that enforces it.

A feed list is user input, and so is every link a feed or a page hands us: without a
check, `http://169.254.169.254/` (a cloud metadata service), `http://localhost:5432/`
or a name whose DNS points at 10.0.0.5 would make crosswire a proxy into the machine's
own network (server-side request forgery). So only globally routable unicast addresses
are reached unless the caller opts in (`allow_private`, or `allowed_networks` for an
intranet feed server).

The check runs twice. `AddressPolicy.check` resolves the host before each hop, so a
refusal is reported as `private_address` before anything is sent, and again at connect
time inside httpcore (`GuardedBackend`): the socket is opened to an address that passed
the check in that same call, never to whatever a second DNS answer says. A name that
resolves to a public address for the first lookup and to 127.0.0.1 for the next (DNS
rebinding) is refused at connect. A host is refused when ANY of its addresses is
refused: the connection may go to any of them, and a public decoy next to a private
address is the usual trick.

IPv6 addresses that embed an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, 6to4 `2002::/16`,
NAT64 `64:ff9b::/96`) are judged by the IPv4 address they lead to.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# host, port -> the addresses (as text) a connection may use, in preference order
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# (attribute of an ip_address, what a person is told); order: the most specific first
_REFUSED = (
    ("is_unspecified", "unspecified"),
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_private", "private"),
    ("is_reserved", "reserved"),
)


class AddressRefused(Exception):
    """A host resolves to an address the policy does not allow."""


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer (getaddrinfo), duplicates removed, order kept."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP literal (brackets and an IPv6 zone allowed), else None."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def refusal(address: IPAddress) -> str | None:
    """Why `address` is not a public unicast address, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            # the packet goes to the IPv4 address, so that is the one judged
            why = refusal(embedded)
            return None if why is None else f"{why} (IPv4 {embedded} inside {address})"
    for attribute, reason in _REFUSED:
        if getattr(address, attribute):
            return reason
    # 100.64.0.0/10 (carrier-grade NAT) and a few more are neither private nor global
    if not address.is_global:
        return "not globally routable"
    return None


class AddressPolicy:
    """Which addresses may be reached: public ones, plus private ones when allowed."""

    def __init__(self, *, allow_private: bool = False, allowed_networks: Iterable[str] = ()):
        self.allow_private = allow_private
        self.allowed_networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(n, strict=False) for n in allowed_networks
        )

    def refusal(self, address: IPAddress) -> str | None:
        if self.allow_private or any(address in n for n in self.allowed_networks):
            return None
        return refusal(address)

    def check(self, host: str, port: int, resolver: Resolver) -> list[str]:
        """The addresses `host` may be reached at; AddressRefused when any is refused.

        A resolver failure (OSError, socket.gaierror) propagates: it is a network fault,
        not a refusal.
        """
        literal = parse_ip(host)
        texts = [str(literal)] if literal is not None else list(resolver(host, port))
        if not texts:
            raise OSError(f"{host} resolved to no address")
        for text in texts:
            address = parse_ip(text)
            if address is None:
                raise AddressRefused(f"{host} resolved to {text!r}, not an IP address")
            if (why := self.refusal(address)) is not None:
                raise AddressRefused(f"{host} resolves to {address}: {why} address")
        return texts


class _Deadlines:
    """Each thread's current fetch deadline (time.monotonic), read by every socket call.

    A fetch runs on the caller's thread and httpcore reads a response on that thread, so
    a thread-local is the deadline of the fetch that owns the connection right now, even
    for a pooled connection a previous fetch opened.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def set(self, deadline: float | None) -> None:
        self._local.at = deadline

    def clamp(self, timeout: float | None) -> float | None:
        at: float | None = getattr(self._local, "at", None)
        if at is None:
            return timeout
        left = at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the fetch ran past its total time limit")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the fetch's deadline, so a
    server that drips a byte just inside each read timeout still cannot hold us."""

    def __init__(self, inner: httpcore.NetworkStream, deadlines: _Deadlines) -> None:
        self._inner = inner
        self._deadlines = deadlines

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadlines.clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadlines.clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._deadlines.clamp(timeout))
        return _DeadlineStream(inner, self._deadlines)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows, through
    the injected resolver, with the fetch deadline on every socket call."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver) -> None:
        self.policy = policy
        self.resolver = resolver
        self.deadlines = _Deadlines()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self.policy.check(host, port, self.resolver)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address, port, self.deadlines.clamp(timeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            return _DeadlineStream(stream, self.deadlines)
        assert failure is not None
        raise failure


def guarded_transport(backend: GuardedBackend) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through `backend`.

    httpx has no public way to choose httpcore's network backend, so the transport's pool
    is replaced by an identical one that uses it; httpx's own request and exception
    mapping stay. Proxies from the environment are never used: a proxy would make the
    connect-time check look at the proxy, not at the server.
    """
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=backend,
    )
    return transport
