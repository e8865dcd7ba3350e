"""Talking to the mail server: one connection, one transaction per recipient, retries for what may pass.

A reply of 4xx or a dropped connection may pass on a later try, so those are
retried with a doubling backoff, resuming with the recipients not yet served.
A 5xx for one recipient is that recipient's answer: reported, and the others
still get the issue. A refused login, an untrusted certificate or a server
that refuses the sender ends the send at once: retrying cannot fix them.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..config import SmtpConfig
from ..errors import DigestError
from .message import Outgoing


class SendError(DigestError):
    """The send cannot go on: one line, exit 1."""


@dataclass(frozen=True, slots=True)
class Refused:
    """A recipient the server did not take the issue for, and its last word on it."""

    recipient: str
    reason: str  # "550 5.1.1 no such user", or what went wrong on the last try
    permanent: bool


def deliver(
    settings: SmtpConfig,
    password: str | None,
    recipients: list[str],
    make: Callable[[str], Outgoing],
    accepted: Callable[[Outgoing], None],
    sleep: Callable[[float], None] = time.sleep,
) -> list[Refused]:
    """Send `make(recipient)` to each recipient; `accepted` hears of each message the server took, at once."""
    pending = list(recipients)
    refused: list[Refused] = []
    transient: dict[str, str] = {}
    for attempt in range(settings.retries + 1):
        if not pending:
            break
        if attempt:
            sleep(settings.backoff * 2 ** (attempt - 1))
        again: list[str] = []
        try:
            with _connect(settings, password) as server:
                while pending:
                    message = make(pending[0])
                    reply = _transaction(server, message)
                    pending.pop(0)
                    if reply is None:
                        accepted(message)
                    elif reply[0] >= 500:
                        refused.append(Refused(message.recipient, _text(*reply), permanent=True))
                    else:
                        transient[message.recipient] = _text(*reply)
                        again.append(message.recipient)
        except smtplib.SMTPSenderRefused as exc:
            if exc.smtp_code >= 500:
                raise SendError(
                    f"{exc.sender}: the server refuses to send from this address: "
                    f"{_text(exc.smtp_code, exc.smtp_error)}"
                ) from None
            transient.update(dict.fromkeys(pending, _text(exc.smtp_code, exc.smtp_error)))
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"{_where(settings)}: login as {settings.username} failed: {_text(exc.smtp_code, exc.smtp_error)}"
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise SendError(f"{_where(settings)}: {_unsupported(exc, settings)}") from None
        except ssl.SSLCertVerificationError as exc:
            raise SendError(
                f"{_where(settings)}: the server's certificate is not trusted ({exc.verify_message}); "
                "smtp.ca_file can name a CA to trust"
            ) from None
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPConnectError):
                raise SendError(f"{_where(settings)}: {_text(exc.smtp_code, exc.smtp_error)}") from None
            transient.update(dict.fromkeys(pending, _text(exc.smtp_code, exc.smtp_error)))
        except (smtplib.SMTPException, OSError) as exc:
            # Dropped, timed out, refused, or the name did not resolve: another try may get through.
            transient.update(dict.fromkeys(pending, _failure(exc)))
        pending = pending + again
    tries = settings.retries + 1
    return refused + [
        Refused(r, f"{transient[r]} (gave up after {tries} tr{'y' if tries == 1 else 'ies'})", permanent=False)
        for r in pending
    ]


def _transaction(server: smtplib.SMTP, message: Outgoing) -> tuple[int, bytes | str] | None:
    """None when the server took the message; else its reply to RCPT or DATA for this one recipient."""
    try:
        server.sendmail(message.sender, [message.recipient], message.data)
    except smtplib.SMTPRecipientsRefused as exc:
        return exc.recipients.get(message.recipient, (550, b"recipient refused"))
    except smtplib.SMTPDataError as exc:
        return exc.smtp_code, exc.smtp_error
    return None


def _connect(settings: SmtpConfig, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.ca_file:
        context.load_verify_locations(cafile=settings.ca_file)
    # gethostname, not smtplib's getfqdn: a reverse lookup can hang a machine without DNS.
    name = socket.gethostname() or "localhost"
    server: smtplib.SMTP
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(
            settings.host, settings.port, local_hostname=name, timeout=settings.timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, local_hostname=name, timeout=settings.timeout)
    try:
        server.ehlo()
        if settings.security == "starttls":
            server.starttls(context=context)
            server.ehlo()
        if settings.username:
            server.login(settings.username, password or "")
    except BaseException:
        server.close()
        raise
    return server


def _unsupported(exc: smtplib.SMTPNotSupportedError, settings: SmtpConfig) -> str:
    if "STARTTLS" in str(exc):
        return "the server does not offer STARTTLS (smtp.security: ssl or none?)"
    if "AUTH" in str(exc):
        return f"the server offers no login over this connection (smtp.security is {settings.security})"
    return str(exc)


def _where(settings: SmtpConfig) -> str:
    return f"{settings.host}:{settings.port}"


def _text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {' '.join(text.split())}".strip()


def _failure(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "no answer in time"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
