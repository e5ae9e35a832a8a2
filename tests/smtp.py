"""A real SMTP server on loopback for tests that send mail (aiosmtpd), recording what arrived.

    with SmtpServer() as server:
        send(message, parse_smtp(server.address))
        [mail] = server.messages          # email.message.EmailMessage, parsed
        assert server.envelopes[0].rcpt_tos == ["a@example.org"]

Only 127.0.0.1 is bound, on a free port. `refuse_rcpt` makes the server answer 550 to
the recipients it names (a test of a delivery that fails).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Envelope:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


class _Recorder:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.owner.refuse_rcpt:
            return "550 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.owner.record(
            Envelope(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.refuse_rcpt: set[str] = set()
        self._lock = threading.Lock()
        self._envelopes: list[Envelope] = []
        self._controller: Controller | None = None
        self.port = 0

    def start(self) -> SmtpServer:
        self.port = free_port()
        self._controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def record(self, envelope: Envelope) -> None:
        with self._lock:
            self._envelopes.append(envelope)

    def clear(self) -> None:
        with self._lock:
            self._envelopes.clear()

    @property
    def envelopes(self) -> list[Envelope]:
        with self._lock:
            return list(self._envelopes)

    @property
    def messages(self) -> list[EmailMessage]:
        parsed = []
        for envelope in self.envelopes:
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
        return parsed
