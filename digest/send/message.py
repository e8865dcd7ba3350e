"""The built issue as it goes out: found on disk, then stamped for one recipient at the time of sending.

The .eml in the issue folder keeps its fixed Date and Message-ID (rebuilds
stay byte-identical); each message sent gets the time it leaves, a
Message-ID of its own under the sender's domain, and its recipient in To.
Its body is the issue as built, but the headers the newsletter's settings
decide (From, Reply-To, List-Id, List-Unsubscribe) are the config's of now:
a fixed `from:` or unsubscribe address must not wait for a rebuild. When the
body itself shows a setting that changed (an unsubscribe link), send warns.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses
from pathlib import Path
from typing import Any

from ..errors import DigestError, where
from ..render import changed_in_body

WEEK_RE = re.compile(r"^\d{4}-W\d{2}$")
SETTINGS_HEADERS = ("From", "Reply-To", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post")


@dataclass(frozen=True, slots=True)
class BuiltIssue:
    """One issue's ready-to-send message, as `digest build` wrote it."""

    week: str
    path: Path
    eml: bytes
    newsletter: dict[str, Any] | None = None  # the settings it was built with (digest.json), when known


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message for one recipient: the envelope and the bytes the server gets."""

    sender: str  # envelope MAIL FROM
    recipient: str  # envelope RCPT TO
    message_id: str
    data: bytes

    @property
    def headers(self) -> str:
        """The header block as it goes on the wire, unfolded for reading."""
        head = self.data.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        return re.sub(r"\r\n[ \t]+", " ", head).replace("\r\n", "\n")


def find_issue(output: Path, week: str | None) -> BuiltIssue:
    """The issue of `week`, or the last one built (the newest week in the output folder)."""
    if week is None:
        weeks = sorted(p.parent.name for p in output.glob("*-W*/digest.eml") if WEEK_RE.match(p.parent.name))
        if not weeks:
            raise DigestError(f"{where(output)}: no built issue to send (run `digest build` first)")
        week = weeks[-1]
    path = output / week / "digest.eml"
    try:
        return BuiltIssue(week=week, path=path, eml=path.read_bytes(), newsletter=_built_with(path.parent))
    except FileNotFoundError:
        raise DigestError(f"{week}: no built issue in {where(output)} (run `digest build --week {week}`)") from None
    except OSError as exc:
        raise DigestError(f"{where(path)}: cannot read the issue ({exc.strerror or exc})") from None


def _built_with(folder: Path) -> dict[str, Any] | None:
    """The `newsletter:` settings the issue was rendered with, from its digest.json (None: not known)."""
    try:
        settings = json.loads((folder / "digest.json").read_text(encoding="utf-8"))["newsletter"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return settings if isinstance(settings, dict) else None


def rebuild_warning(issue: BuiltIssue, newsletter: Mapping[str, Any], title: str) -> str | None:
    """A line when the email's text shows settings that changed since the build (the headers follow the config)."""
    if issue.newsletter is None:
        return None
    changed = changed_in_body(issue.newsletter, newsletter, title)
    if not changed:
        return None
    keys = " and ".join(f"newsletter.{key}" for key in changed)
    return (
        f"{issue.week}: {keys} changed since the issue was built, and its text still has the old "
        f"{'value' if len(changed) == 1 else 'values'}: rebuild the issue (digest build --week {issue.week})"
    )


def addresses(value: str | list[str] | tuple[str, ...], key: str) -> list[str]:
    """The bare addresses of a To-like value ("A <a@x>, b@y" or a list); an unusable one is an error."""
    items = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for item in items:
        # Named whole: the parser splits "not an address" into words, and 'not' alone would say nothing.
        parsed = [address for _, address in getaddresses([item]) if address]
        if (item.strip() and not parsed) or not all(map(_is_address, parsed)):
            raise DigestError(f"{key}: not an email address: {item!r}", exit_code=2)
        for address in parsed:
            if address.lower() not in {a.lower() for a in found}:
                found.append(address)
    return found


def _is_address(address: str) -> bool:
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError):
        return False
    return bool(parsed.domain and parsed.username)


def outgoing(
    issue: BuiltIssue, recipient: str, now: datetime, headers: Mapping[str, str], to_header: str | None = None
) -> Outgoing:
    """The built message for `recipient` (or `to_header` as To), with the Date of sending, a fresh Message-ID
    and `headers`: the From, Reply-To and List-* headers of the config as it is now (`render.mail_headers`)."""
    message = message_from_bytes(issue.eml, _class=EmailMessage, policy=SMTP)
    for name in SETTINGS_HEADERS:
        if name in headers:
            _replace(message, name, headers[name])
        else:
            del message[name]  # taken out of the config since the build (a Reply-To, an unsubscribe address)
    sender = addresses(headers["From"], "newsletter.from")[0]
    domain = sender.rsplit("@", 1)[1]
    # Short enough to stay on one header line: some readers keep a folded Message-ID's leading space.
    message_id = f"<digest-{issue.week}.{secrets.token_hex(8)}@{domain}>"
    _replace(message, "To", to_header or recipient)
    _replace(message, "Date", format_datetime(now))
    _replace(message, "Message-ID", message_id)
    return Outgoing(sender=sender, recipient=recipient, message_id=message_id, data=message.as_bytes())


def _replace(message: EmailMessage, name: str, value: str) -> None:
    if name in message:
        message.replace_header(name, value)
    else:
        message[name] = value
