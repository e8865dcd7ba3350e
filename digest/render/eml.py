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

PLACEHOLDER_SENDER = "digest@localhost"  # From without `from:`; the config takes no address at a bare host name
ADDRESS_HEADERS = ("From", "Reply-To", "To")
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Unsubscribe-Post")


def build_eml(digest: Digest, subject: str, text: str, html: str, newsletter: dict[str, Any]) -> bytes:
    """The message of one issue; `newsletter` is the settings with every default filled in (context.py)."""
    sender = newsletter["from"]
    headers = mail_headers(newsletter)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    for name in ADDRESS_HEADERS:
        if name in headers:
            message[name] = headers[name]
    sent = datetime.combine(digest.end + timedelta(days=1), time(8, 0), tzinfo=timezone.utc)
    message["Date"] = format_datetime(sent)
    key = hashlib.sha256(
        "\n".join(
            (digest.title, address_of(sender), newsletter.get("url") or "", newsletter["list_id"], digest.week)
        ).encode()
    ).hexdigest()
    message["Message-ID"] = f"<digest-{digest.week}-{key[:12]}@{domain_of(sender)}>"
    for name in LIST_HEADERS:
        if name in headers:
            message[name] = headers[name]
    message["MIME-Version"] = "1.0"
    # Readers that cannot show HTML take the first alternative: the text.
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    message.set_boundary(f"=_digest_{key[:24]}")
    return message.as_bytes()


def mail_headers(newsletter: dict[str, Any]) -> dict[str, str]:
    """The headers the newsletter's settings decide (ADDRESS_HEADERS, LIST_HEADERS), from the filled-in settings."""
    headers = {"From": newsletter["from"]}
    if newsletter.get("reply_to"):
        headers["Reply-To"] = newsletter["reply_to"]
    headers["To"] = recipients_header(newsletter["to"])
    headers["List-Id"] = newsletter["list_id"]
    unsubscribe = list_unsubscribe(newsletter)
    if unsubscribe:  # none rather than a mailto nobody reads
        headers["List-Unsubscribe"] = ", ".join(f"<{url}>" for url in unsubscribe)
    if any(url.startswith("https://") for url in unsubscribe):
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def recipients_header(to: str | list[str]) -> str:
    """One address as it is; several stay out of sight: the .eml sent by hand must not show the list to each."""
    addresses = [address for _, address in getaddresses([to] if isinstance(to, str) else to) if address]
    if len(addresses) > 1:
        return "undisclosed-recipients:;"
    return ", ".join(to) if isinstance(to, list) else to


def list_unsubscribe(newsletter: dict[str, Any]) -> list[str]:
    """The https address (one click) first, then a mailto; a mailing tool's merge tag is no URL to put here."""
    link = newsletter.get("unsubscribe_url") or ""
    urls = [link] if link.startswith(("https://", "http://")) else []
    mailto = newsletter.get("unsubscribe_mailto")
    if mailto:
        urls.append(unsubscribe_mailto(address_of(mailto)))
    elif link.startswith("mailto:"):
        urls.append(link)
    elif not urls and (address := unsubscribe_address(newsletter)):
        urls.append(unsubscribe_mailto(address))
    return urls


def unsubscribe_address(newsletter: dict[str, Any]) -> str | None:
    """Where a reader can write to leave: `unsubscribe_mailto`, else From, never the placeholder sender."""
    if newsletter.get("unsubscribe_mailto"):
        return address_of(newsletter["unsubscribe_mailto"])
    sender = address_of(newsletter.get("from") or "")
    return None if sender == PLACEHOLDER_SENDER else sender


def no_unsubscribe_warning(newsletter: dict[str, Any]) -> str | None:
    """The one line a build (and `digest check`) says when the email can carry no unsubscribe link."""
    if newsletter.get("unsubscribe_url") or unsubscribe_address(newsletter):
        return None
    return (
        "newsletter.unsubscribe_url: not set, and no newsletter.from to write to: the email has no unsubscribe "
        "link; set unsubscribe_url (an https URL or your mailing tool's merge tag) or from"
    )


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
    return PLACEHOLDER_SENDER


def domain_of(sender: str) -> str:
    try:
        return Address(addr_spec=address_of(sender)).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"
