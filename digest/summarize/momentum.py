"""Momentum: how a trend moves against the issues before this one."""
from __future__ import annotations

from collections.abc import Sequence

RISING = 1.3
FADING = 0.7


def momentum(key: str, articles: int, history: Sequence[dict[str, int]]) -> str:
    """new / rising / steady / fading, from article counts of earlier issues (newest first)."""
    earlier = [issue.get(key, 0) for issue in history]
    if not any(earlier):
        return "new"
    previous = earlier[0]
    if previous == 0:
        return "rising"
    ratio = articles / previous
    if ratio >= RISING:
        return "rising"
    if ratio <= FADING:
        return "fading"
    return "steady"
