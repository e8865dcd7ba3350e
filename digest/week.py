"""ISO weeks: what an issue is, and which one a build makes by default."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """One ISO week, Monday to Sunday: the span of one issue."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """`2024-W17` -> Week; ValueError with a message a user can act on."""
        match = WEEK_RE.match(text.strip())
        if not match:
            raise ValueError(f"expected an ISO week like 2024-W17, got {text!r}")
        year, number = int(match.group(1)), int(match.group(2))
        if not 1 <= number <= date(year, 12, 28).isocalendar()[1]:
            raise ValueError(f"{year} has no week {number}")
        return cls(year, number)

    @classmethod
    def of(cls, day: date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @classmethod
    def last_complete(cls, today: date | None = None) -> Week:
        """The week before the current one: what a Monday cron job builds."""
        return cls.of((today or date.today()) - timedelta(days=7))

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    def has_ended(self, today: date | None = None) -> bool:
        """Whether the whole week is past: only then is its issue all there is to say."""
        return self.end < (today or date.today())

    def contains(self, moment: datetime) -> bool:
        """Whether an aware datetime falls in this week (in UTC)."""
        return Week.of(moment.astimezone(timezone.utc).date()) == self

    def __str__(self) -> str:
        return self.label
