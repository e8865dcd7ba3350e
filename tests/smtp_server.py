"""A real SMTP server on 127.0.0.1 (aiosmtpd) that can accept, refuse, stall and drop, as real servers do."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "news@example.org", "s3cret-Pa55"


@dataclass
class Mailbox:
    """The handler: what it was sent, and how it should misbehave."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> reply to its RCPT, e.g. "550 5.1.1 ..."
    defer_rcpt: int = 0  # the first N RCPTs get 451
    drop_data: int = 0  # the first N DATA transfers lose the connection before the reply
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)  # (from, to, data)
    dropped: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address in self.refuse:
            return self.refuse[address]
        if self.defer_rcpt:
            self.defer_rcpt -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.drop_data:
            self.drop_data -= 1
            self.dropped += 1
            server.transport.close()  # the whole message arrived; the connection goes before the reply
            return "250 never heard"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(data, _class=EmailMessage, policy=default) for _, _, data in self.received]

    def recipients(self) -> list[str]:
        return [rcpt for _, rcpts, _ in self.received for rcpt in rcpts]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made by openssl for this test only."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server itself answers 535


@contextmanager
def smtp_server(
    mailbox: Mailbox, *, tls_files: tuple[Path, Path] | None = None, implicit_tls: bool = False
) -> Iterator[int]:
    """Serve `mailbox` on 127.0.0.1; with `tls_files`, STARTTLS and then AUTH are required (with
    `implicit_tls`, TLS from the first byte, as on port 465, instead). Yields the port."""
    port = free_port()
    options: dict = {}
    if tls_files and implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, tls_files))
        options = dict(ssl_context=context)
    elif tls_files:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, tls_files))
        options = dict(
            tls_context=context,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=_authenticate,
        )
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ready_timeout=10, timeout=10, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
