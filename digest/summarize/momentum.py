"""Momentum: how a trend moves against the issues before this one.

A story keeps its subject from week to week more than its words: the name
may change ("Chile earthquake" becomes "Tsunami warnings"), the terms its
articles use most change less. So each trend is remembered with its
signature, its strongest terms, and a later trend is the same story when
its name's key matches or its signature is close enough.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from .index import Index

RISING = 1.3
FADING = 0.7
SIGNATURE_TERMS = 20
SAME_STORY = 0.35  # cosine of two signatures above which two weeks tell one story

Signature = Mapping[str, float]
Momentum = Literal["new", "rising", "steady", "fading"]


def momentum(key: str, articles: int, history: Sequence[Mapping[str, int]]) -> Momentum:
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


def signature(
    index: Index, entries: Iterable[int], exclude: frozenset[str] | set[str] = frozenset()
) -> dict[str, float]:
    """A story's strongest terms (tf-idf, each passage counted once), normalised to unit length."""
    totals: dict[str, float] = {}
    for i in entries:
        entry = index.entries[i]
        for t, v in entry.vector.items():
            if t not in exclude:
                totals[t] = totals.get(t, 0.0) + v / entry.norm
    top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:SIGNATURE_TERMS]
    norm = sum(v * v for _, v in top) ** 0.5 or 1.0
    return {t: round(v / norm, 4) for t, v in top}


def similarity(a: Signature, b: Signature) -> float:
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def story_counts(
    key: str, terms: Signature, history: Sequence[Mapping[str, tuple[int, Signature]]]
) -> list[dict[str, int]]:
    """The story's article counts in earlier issues, newest first, as `momentum` reads them:
    the trend of the same key, else the one whose signature is closest (when close enough)."""
    counts = []
    for issue in history:
        if key in issue:
            counts.append({key: issue[key][0]})
            continue
        best = max(issue.values(), key=lambda row: similarity(terms, row[1]), default=None)
        found = best is not None and similarity(terms, best[1]) >= SAME_STORY
        counts.append({key: best[0]} if found and best is not None else {})
    return counts
