"""The ready-to-send message: multipart/alternative, text first, then HTML.

Deterministic for the same issue, so a rebuilt issue is byte-identical: the
Date is the Monday after the issue's week at 08:00 UTC, and the Message-ID and
the MIME boundary derive from the title and week instead of time and chance.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses

from ..models import Digest


def build_eml(digest: Digest, subject: str, text: str, html: str, sender: str, to: str) -> bytes:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    sent = datetime.combine(digest.end + timedelta(days=1), time(8, 0), tzinfo=timezone.utc)
    message["Date"] = format_datetime(sent)
    key = hashlib.sha256(f"{digest.title}\n{digest.week}".encode()).hexdigest()
    message["Message-ID"] = f"<digest-{digest.week}-{key[:12]}@{_domain(sender)}>"
    message["MIME-Version"] = "1.0"
    # Readers that cannot show HTML take the first alternative: the text.
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    message.set_boundary(f"=_digest_{key[:24]}")
    return message.as_bytes()


def _domain(sender: str) -> str:
    for _, address in getaddresses([sender]):
        if "@" in address:
            try:
                return Address(addr_spec=address).domain or "localhost"
            except (ValueError, IndexError):
                break
    return "localhost"
