"""The ready-to-send message: multipart/alternative, text first, then HTML.

Deterministic for the same issue, so a rebuilt issue is byte-identical: the
Date is the Monday after the issue's week at 08:00 UTC, and the Message-ID and
the MIME boundary derive from the newsletter and week instead of time and
chance. `digest send` stamps the time of sending and a fresh Message-ID.

The headers are those inboxes judge a newsletter by: List-Id (RFC 2919),
List-Unsubscribe (RFC 2369) and, with an https address, one-click
unsubscribe (RFC 8058), which Gmail and Yahoo require of bulk senders.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses
from typing import Any

from ..models import Digest


def build_eml(digest: Digest, subject: str, text: str, html: str, newsletter: dict[str, Any]) -> bytes:
    """The message of one issue; `newsletter` is the settings with every default filled in (context.py)."""
    sender = newsletter["from"]
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = sender
    if newsletter.get("reply_to"):
        message["Reply-To"] = newsletter["reply_to"]
    message["To"] = recipients_header(newsletter["to"])
    sent = datetime.combine(digest.end + timedelta(days=1), time(8, 0), tzinfo=timezone.utc)
    message["Date"] = format_datetime(sent)
    key = hashlib.sha256("\n".join((digest.title, address_of(sender), newsletter.get("url") or "",
                                    newsletter["list_id"], digest.week)).encode()).hexdigest()
    message["Message-ID"] = f"<digest-{digest.week}-{key[:12]}@{domain_of(sender)}>"
    message["List-Id"] = newsletter["list_id"]
    unsubscribe = list_unsubscribe(newsletter)
    message["List-Unsubscribe"] = ", ".join(f"<{url}>" for url in unsubscribe)
    if any(url.startswith("https://") for url in unsubscribe):
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["MIME-Version"] = "1.0"
    # Readers that cannot show HTML take the first alternative: the text.
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    message.set_boundary(f"=_digest_{key[:24]}")
    return message.as_bytes()


def recipients_header(to: str | list[str]) -> str:
    return ", ".join(to) if isinstance(to, list) else to


def list_unsubscribe(newsletter: dict[str, Any]) -> list[str]:
    """The https address (one click) first, then a mailto; a mailing tool's merge tag is no URL to put here."""
    link = newsletter.get("unsubscribe_url") or ""
    urls = [link] if link.startswith(("https://", "http://")) else []
    if newsletter.get("unsubscribe_mailto"):
        urls.append(unsubscribe_mailto(newsletter["unsubscribe_mailto"]))
    elif link.startswith("mailto:"):
        urls.append(link)
    elif not urls:
        urls.append(unsubscribe_mailto(address_of(newsletter["from"])))
    return urls


def unsubscribe_mailto(address: str) -> str:
    return f"mailto:{address}?subject=unsubscribe"


def list_id(title: str, sender: str) -> str:
    """`"LLM Trends Weekly" <llm-trends-weekly.example.org>`: the title's slug under the sender's domain."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "newsletter"
    return f"{str(Address(display_name=title, addr_spec='x@y')).rsplit(' <', 1)[0]} <{slug}.{domain_of(sender)}>"


def address_of(sender: str) -> str:
    for _, address in getaddresses([sender]):
        if "@" in address:
            return address
    return "digest@localhost"


def domain_of(sender: str) -> str:
    try:
        return Address(addr_spec=address_of(sender)).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"
