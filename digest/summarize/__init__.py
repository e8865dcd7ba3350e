"""The summarizer: passages into trends and bullets, by heuristics alone."""
from __future__ import annotations

from .engine import Explanation, WeekSummary, summarize_cluster, summarize_week

__all__ = ["Explanation", "WeekSummary", "summarize_cluster", "summarize_week"]
