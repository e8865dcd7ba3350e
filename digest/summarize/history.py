"""What the summarizer keeps of each issue: its trends with their terms (for momentum) and its strongest phrases."""

from __future__ import annotations

from ..state import State
from .engine import WeekSummary
from .trends import trend_key


def remember(state: State, issue: str, summary: WeekSummary) -> None:
    """Once the issue is written: later issues weigh their trends and phrases against this one."""
    with state.transaction():
        # Each trend's terms too: next week's story is known again under other words.
        state.record_trends(
            issue, [(trend_key(t.name), t.name, len(t.article_ids)) for t in summary.trends], summary.signatures
        )
        state.record_phrases(issue, summary.phrases)
