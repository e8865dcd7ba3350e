"""What `digest check` says about sending: settings that are valid but would let a reader or the send down."""

from __future__ import annotations

import os

from ..config import Config
from ..render import no_unsubscribe_warning

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def mail_warnings(config: Config, environ: dict[str, str] | None = None) -> list[str]:
    environ = dict(os.environ) if environ is None else environ
    newsletter = config.newsletter.as_dict()
    found = []
    if "from" not in newsletter and config.smtp is not None:
        found.append("newsletter.from: not set: the issue comes from digest@localhost, which no inbox trusts")
    link = newsletter.get("unsubscribe_url", "")
    no_link = no_unsubscribe_warning(newsletter)
    if no_link:
        found.append(no_link)  # what the build says too
    elif not link and "unsubscribe_mailto" not in newsletter:
        found.append(
            "newsletter.unsubscribe_url: not set: Unsubscribe writes to newsletter.from with the subject "
            "'unsubscribe'; give an https URL (one-click) or your mailing tool's merge tag"
        )
    elif link.startswith("http://"):
        found.append(
            "newsletter.unsubscribe_url: http, not https: inboxes offer one-click unsubscribe "
            "(List-Unsubscribe-Post) for https only"
        )
    elif link and not link.startswith(("https://", "mailto:")) and config.smtp is not None:
        found.append(
            f"newsletter.unsubscribe_url: {link!r} is a merge tag only a mailing tool fills in; "
            "`digest send` sends it as written"
        )
    smtp = config.smtp
    if smtp is not None:
        if smtp.password_env and not environ.get(smtp.password_env):
            found.append(f"smtp.password_env: ${smtp.password_env} is not set here: `digest send` needs it")
        if smtp.username and smtp.security == "none" and smtp.host not in LOCAL_HOSTS:
            found.append("smtp.security: none: the password would cross the network in clear; use starttls or ssl")
        if "to" not in newsletter:
            found.append("newsletter.to: not set: `digest send` has no one to send to (only --to test sends)")
    return found
