"""The summarizer's two entry points: a week into trends, a cluster into passages.

Both run the same engine: passages are split and indexed once, scored for
how well they would stand as bullets, merged across sources when they say
the same thing, and chosen without repeating each other.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models import Article, Bullet, Citation, Trend
from .bullets import Candidate, clean_bullet, lower_name, score_entries, select
from .cluster import summarize_cluster
from .index import Index, build_index, cosine
from .momentum import momentum
from .passages import split_all
from .trends import (
    Draft,
    assign,
    configured_drafts,
    discover,
    name_trend,
    score_phrases,
    theme_terms,
    trend_key,
)
from .weights import merged


@dataclass(slots=True)
class Explanation:
    """Why a trend and its bullets were chosen: what `--explain` prints."""

    trend: str
    configured: bool
    phrases: list[tuple[str, float]]
    articles: int
    bullets: list[tuple[str, dict[str, float], list[str]]] = field(default_factory=list)


PHRASES_KEPT = 100  # the week's strongest phrases, remembered to tell evergreen ones later


@dataclass(slots=True)
class WeekSummary:
    """The trends of a week, why they were chosen, and its strongest phrases."""

    trends: list[Trend]
    explanations: list[Explanation]
    phrases: list[str] = field(default_factory=list)


def summarize_week(
    articles: Sequence[Article],
    configured: Sequence[tuple[str, Sequence[str]]] = (),
    *,
    max_trends: int = 8,
    bullets: int = 4,
    weights: dict[str, float] | None = None,
    history: Sequence[dict[str, int]] = (),
    seen_phrases: Mapping[str, int] | None = None,
    theme: str = "",
) -> WeekSummary:
    """Group a week's articles into trends, each with its cited bullets.

    `history`: article counts per trend of earlier issues, newest first (momentum);
    `seen_phrases`: in how many recent issues each phrase was already strong.
    """
    w = merged(weights)
    index = build_index(articles, split_all(articles))
    bullet_weights = {**w, "redundancy": w["trend_redundancy"], "phrase_overlap": w["trend_phrase_overlap"],
                      "support": w["trend_support"], "substance": w["trend_substance"]}
    drafts = configured_drafts(index, configured)
    exclude = theme_terms(index, w, theme)
    scored = score_phrases(index, w, exclude, seen_phrases)
    found = discover(index, drafts, w, max(0, max_trends - sum(1 for d in drafts if d.entries)), exclude, scored)
    drafts += found
    assign(index, drafts)
    trends: list[tuple[Trend, Explanation, float]] = []
    told: list[Candidate] = []  # the bullets of the trends before: a later trend does not say them again
    for draft in drafts:
        if not draft.configured:
            draft.name, name_key = name_trend(index, draft)
            draft.key = trend_key(draft.name)
            _focus_on_name(index, draft, name_key)
        articles_in = draft.articles(index)
        min_articles = int(w["min_articles"]) if len(index.articles) > 2 and not draft.configured else 1
        if len(articles_in) < min_articles:
            continue
        members = [i for i in draft.assigned if index.entries[i].passage.article_id in articles_in]
        topic = _topic(draft, w["min_coverage"])
        candidates = _unsaid(index, score_entries(index, members, draft.phrases, bullet_weights, topic=topic),
                             told, w["duplicate"])
        chosen = select(index, candidates, bullets, bullet_weights, topic=topic)
        if not draft.configured and not _substantial(index, chosen, bullets):
            continue
        told.extend(chosen)
        trend = Trend(
            name=draft.name,
            bullets=tuple(_bullet(index, c) for c in chosen),
            article_ids=tuple(sorted(articles_in)),
            configured=draft.configured,
            keywords=draft.keywords,
            momentum=momentum(draft.key, len(articles_in), history),
        )
        explanation = Explanation(
            trend=draft.name, configured=draft.configured, articles=len(articles_in),
            phrases=sorted(draft.phrases.items(), key=lambda kv: -kv[1])[:8],
            bullets=[(b.text, c.parts, [s.title for s in b.sources]) for b, c in zip(trend.bullets, chosen)],
        )
        strength = max(draft.phrases.values(), default=0.0)
        trends.append((trend, explanation, strength))
    _dedupe_names(trends)
    configured_part = [t for t in trends if t[0].configured]
    discovered_part = sorted((t for t in trends if not t[0].configured), key=lambda t: (-t[2], t[0].name))
    kept = (configured_part + discovered_part)[:max_trends]
    kept.sort(key=lambda t: (-_spread(index, t[0]), -MOMENTUM_ORDER[t[0].momentum], not t[0].configured))
    return WeekSummary(trends=[t[0] for t in kept], explanations=[t[1] for t in kept],
                       phrases=[key for key, _ in scored[:PHRASES_KEPT]])


def _unsaid(index: Index, candidates: list[Candidate], said: list[Candidate], duplicate: float) -> list[Candidate]:
    """The candidates that do not say what a passage already chosen says."""
    return [c for c in candidates
            if all(cosine(index.entries[c.index], index.entries[k.index]) < duplicate for k in said)]


def _topic(draft: Draft, share: float) -> frozenset[str]:
    """The terms that make the trend: every bullet uses some, so they tell bullets apart from nothing."""
    top = max(draft.phrases.values(), default=0.0)
    return frozenset(t for key, weight in draft.phrases.items() if weight >= share * top for t in key.split())


def _substantial(index: Index, chosen: list[Candidate], bullets: int) -> bool:
    """A discovered trend needs three bullets, or two that two sources back between them:
    "Direct Preference Optimization" said twice by two writers is news, though it is brief."""
    if len(chosen) >= min(3, bullets):
        return True
    sources = {s for c in chosen for i in c.supporters
               for s in index.articles[index.entries[i].passage.article_id].sources}
    return len(chosen) >= min(2, bullets) and len(sources) >= 2


MOMENTUM_ORDER = {"rising": 3, "new": 2, "steady": 1, "fading": 0}


def _spread(index: Index, trend: Trend) -> int:
    """How many sources a trend spans (articles when all come from one source)."""
    sources = {s for a in trend.article_ids for s in index.articles[a].sources}
    return len(sources) if len(sources) > 1 else len(trend.article_ids) and 1


def _focus_on_name(index: Index, draft: Draft, name_key: str) -> None:
    """Bullets should state what the name says: "Direct preference optimization",
    not every passage that says "optimized". A part of the name counts only as
    far as it is used within the name."""
    draft.phrases[name_key] = max(draft.phrases.values())
    named = set(index.phrase_entries.get(name_key, ()))
    for key in list(draft.phrases):
        where = index.phrase_entries.get(key, ())
        if key != name_key and where and set(key.split()) < set(name_key.split()):
            draft.phrases[key] *= max(0.4, len(named.intersection(where)) / len(where))  # alone, below min_coverage


def _dedupe_names(trends: list[tuple[Trend, Explanation, float]]) -> None:
    seen: set[str] = set()
    for trend, _, _ in list(trends):
        key = trend.name.lower()
        if key in seen:
            trends[:] = [t for t in trends if t[0] is not trend]
        seen.add(key)


def _bullet(index: Index, candidate: Candidate) -> Bullet:
    entry = index.entries[candidate.index]
    ordered = [candidate.index] + sorted(candidate.supporters - {candidate.index})
    citations: dict[str, Citation] = {}
    for i in ordered:
        article = index.articles[index.entries[i].passage.article_id]
        citations.setdefault(article.id, Citation(article_id=article.id, title=article.title,
                                                  url=article.url, source=article.source))
    def lower(word: str) -> bool:
        return lower_name(word, (e.passage.text for e in index.entries))

    return Bullet(text=clean_bullet(entry.passage.text, lower),
                  sources=tuple(citations.values()),
                  score=round(candidate.score, 4))


__all__ = ["Draft", "Explanation", "WeekSummary", "summarize_cluster", "summarize_week"]
