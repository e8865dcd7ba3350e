"""`digest send`: the built issue of a week to the newsletter's recipients, over SMTP, once each.

The state file remembers every recipient the server accepted an issue for,
so a second send (cron retrying, an editor pressing twice) sends nothing,
and a send cut short resumes with those not yet served. `--to` is a test
send: only those addresses, nothing remembered.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..config import Config
from ..errors import DigestError
from ..render import mail_headers
from ..state import State, writer_lock
from .message import BuiltIssue, Outgoing, addresses, find_issue, outgoing, rebuild_warning
from .smtp import Refused, SendError, deliver


@dataclass(slots=True)
class SendReport:
    """What a send did: who got the issue, who had it already, who refused it."""

    week: str
    test: bool
    sent: list[Outgoing] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    planned: list[Outgoing] = field(default_factory=list)  # --dry-run: what would go out
    warnings: list[str] = field(default_factory=list)


def send_issue(
    config: Config,
    week: str | None = None,
    to: Sequence[str] = (),
    *,
    force: bool = False,
    dry_run: bool = False,
    now: Callable[[], datetime] | None = None,
    on_sent: Callable[[Outgoing], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send (or with `dry_run` only plan) the issue of `week`, by default the last one built."""
    clock = now or (lambda: datetime.now(timezone.utc))
    issue = find_issue(config.output, week)
    test = bool(to)
    wanted = addresses(list(to), "--to") if test else _recipients(config)
    report = SendReport(week=issue.week, test=test)
    # The headers from the config as it is now; the body is the issue as built, and says so when it is stale.
    newsletter = config.newsletter.as_dict()
    headers = mail_headers(newsletter, config.title)
    report.warnings.extend(filter(None, [rebuild_warning(issue, newsletter, config.title)]))

    def message_for(recipient: str) -> Outgoing:
        return outgoing(issue, recipient, clock(), headers)

    if dry_run:  # a look only: no lock, and no state file made where there was none
        if config.state.exists():
            with State(config.state) as state:
                pending = _pending(state, issue, wanted, report, force, test)
        else:
            pending = wanted
        report.planned = [message_for(recipient) for recipient in pending]
        return report
    settings = _settings(config)
    password = _password(config)
    if test:
        report.refused = deliver(settings, password, wanted, message_for, _collect(report, on_sent), sleep=sleep)
        return report
    # The state's one writer lock, as `build` takes it: a second send (or a build) exits 75.
    with writer_lock(config.state, "digest send") as stale, State(config.state) as state:
        report.warnings.extend(filter(None, [stale]))
        pending = _pending(state, issue, wanted, report, force, test)

        def accepted(message: Outgoing) -> None:
            state.record_sent(issue.week, message.recipient, message.message_id, now=clock())
            _collect(report, on_sent)(message)

        report.refused = deliver(settings, password, pending, message_for, accepted, sleep=sleep)
    return report


def _pending(
    state: State, issue: BuiltIssue, wanted: list[str], report: SendReport, force: bool, test: bool
) -> list[str]:
    if test or force:
        return wanted
    done = state.sent_to(issue.week)
    report.already = [r for r in wanted if r.lower() in done]
    return [r for r in wanted if r.lower() not in done]


def _collect(report: SendReport, on_sent: Callable[[Outgoing], None] | None) -> Callable[[Outgoing], None]:
    def accepted(message: Outgoing) -> None:
        report.sent.append(message)
        if on_sent:
            on_sent(message)

    return accepted


def _recipients(config: Config) -> list[str]:
    to = config.newsletter.to
    if not to:
        raise DigestError(
            "newsletter.to: missing: who receives the issue (one address or a list); `--to ADDR` sends a test",
            exit_code=2,
        )
    found = addresses(to, "newsletter.to")
    if not found:
        raise DigestError(f"newsletter.to: no address in {to!r}", exit_code=2)
    return found


def _settings(config: Config):
    if config.smtp is None:
        raise DigestError(
            "smtp: missing: add `smtp: {host: smtp.example.org, port: 587, security: starttls, "
            "username: ..., password_env: DIGEST_SMTP_PASSWORD}` to sources.yaml",
            exit_code=2,
        )
    return config.smtp


def _password(config: Config) -> str | None:
    assert config.smtp is not None
    if not config.smtp.username:
        return None
    name = config.smtp.password_env or ""
    password = os.environ.get(name)
    if not password:
        raise DigestError(
            f"smtp.password_env: ${name} is not set: it holds the password of {config.smtp.username}", exit_code=2
        )
    return password


__all__ = ["Outgoing", "Refused", "SendError", "SendReport", "send_issue"]
