"""E-mail: addresses checked, a multipart/alternative message built, sent over SMTP.

Addresses are checked strictly (one bare `local@domain`, no display name, no spaces,
commas or control characters) because they come from a command line or a stored watch
list and go into headers: a newline in one would be a header of our choosing. Sending
is plain SMTP to the server given (a local relay, or the test server on loopback);
STARTTLS and authentication are not offered yet.
"""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

# local part: the dot-atom of RFC 5322 (no quoted strings); domain: LDH labels
_ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
DEFAULT_SENDER = "crosswire@localhost"
SMTP_TIMEOUT_S = 30.0


class MailError(Exception):
    """A message could not be handed to the SMTP server; the text says why."""


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def check_address(text: str) -> str:
    """TEXT as an e-mail address, else ValueError saying what is wrong."""
    address = text.strip()
    if not address or len(address) > 254 or _ADDRESS_RE.fullmatch(address) is None:
        raise ValueError(f"not an e-mail address: {text!r}")
    return address


def parse_addresses(text: str) -> list[str]:
    """'a@x, b@y' as a list of checked addresses (at least one)."""
    parts = [p for p in (part.strip() for part in text.split(",")) if p]
    if not parts:
        raise ValueError("no e-mail address given")
    return [check_address(p) for p in parts]


def parse_smtp(text: str) -> SmtpServer:
    """'HOST:PORT' ('[::1]:25' for IPv6), else ValueError."""
    match = re.fullmatch(r"\s*(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*", text)
    if match is None or not 0 < int(match.group(2)) < 65536:
        raise ValueError(f"--smtp wants HOST:PORT, got {text!r}")
    return SmtpServer(match.group(1).strip("[]"), int(match.group(2)))


def compose(subject: str, text: str, html: str, sender: str, to: Sequence[str]) -> EmailMessage:
    """A multipart/alternative message: the plain text first, the HTML preferred."""
    message = EmailMessage()
    # a subject is built from counts and names; line breaks in it would end the header
    message["Subject"] = " ".join(subject.split())
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send(message: EmailMessage, server: SmtpServer, timeout: float = SMTP_TIMEOUT_S) -> None:
    """Hand MESSAGE to SERVER; MailError with one line when that fails."""
    try:
        with smtplib.SMTP(server.host, server.port, timeout=timeout) as smtp:
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"{server} refused every recipient: {_refusals(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        reason = (
            exc.smtp_error.decode(errors="replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        raise MailError(f"{server} answered {exc.smtp_code} {reason}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        if isinstance(exc, socket.timeout | TimeoutError):
            raise MailError(f"{server} did not answer within {timeout:g} s") from exc
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MailError(f"cannot send through {server}: {detail}") from exc
    if refused:
        raise MailError(f"{server} refused some recipients: {_refusals(refused)}")


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address} ({code} {reply.decode(errors='replace')})"
        for address, (code, reply) in sorted(refused.items())
    )
