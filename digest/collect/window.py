"""Which articles go into an issue, and never into two.

Local files go into the first issue built after they appear, whatever their
date; feed entries into the week they were published (undated ones: the week
they were first seen). The state store remembers every article's issue, so a
later issue never repeats one and a rebuild of a week gets the same articles.
An article the editor took out of an issue (`digest forget`) stays out of it
and of every earlier one; the first later issue built takes it, whatever its date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from ..models import Article, replace
from ..state import State
from ..week import Week
from .dedupe import already_told, merge_near_duplicates


def merge_same(articles: Sequence[Article]) -> list[Article]:
    """One article per id; an article reached through several sources keeps them all."""
    merged: dict[str, Article] = {}
    for article in articles:
        first = merged.get(article.id)
        if first is None:
            merged[article.id] = article
        elif article.source not in first.sources:
            merged[article.id] = replace(first, also_sources=(*first.also_sources, article.source))
    return list(merged.values())


def dedupe(articles: Sequence[Article]) -> list[Article]:
    """One article per story: the same canonical URL, then near-identical text."""
    return merge_near_duplicates(merge_same(articles))


def select_for_issue(
    articles: Sequence[Article], week: Week, state: State, now: datetime | None = None
) -> list[Article]:
    """The articles of `week`'s issue, in a stable order."""
    now = now or datetime.now(timezone.utc)
    state.see(((a.id, a.source, a.title) for a in articles), now=now)
    issues = state.issues_of(a.id for a in articles)
    first_seen = state.first_seen(a.id for a in articles if a.published is None)
    taken_out = state.taken_out(a.id for a in articles)
    chosen, new = [], []
    for article in articles:
        issue = issues.get(article.id)
        if issue is not None:
            if issue == week.label:
                chosen.append(article)
            continue
        if article.id in taken_out:
            if week.label > taken_out[article.id]:  # ISO week labels sort as the weeks do
                new.append(article)
            continue
        if article.path is not None or week.contains(article.published or first_seen.get(article.id, now)):
            new.append(article)
    # The same story under a new URL: an earlier issue told it already.
    told = already_told(new, state.earlier_prints(before=week.label)) if new else set()
    chosen.extend(a for a in new if a.id not in told)
    return sorted(chosen, key=_order)


def _order(article: Article) -> tuple:
    stamp = article.published.timestamp() if article.published else float("inf")
    return (-stamp if article.published else 1, article.source.lower(), article.title.lower(), article.id)
