"""The summarizer: passages into trends and bullets, by heuristics alone."""

from __future__ import annotations

from .engine import Explanation, WeekSummary, summarize_cluster, summarize_week
from .history import remember
from .settings import unknown_weights

__all__ = ["Explanation", "WeekSummary", "remember", "summarize_cluster", "summarize_week", "unknown_weights"]
