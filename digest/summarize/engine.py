"""The summarizer's two entry points: a week into trends, a cluster into passages.

Both run the same engine: passages are split and indexed once, scored for
how well they would stand as bullets, merged across sources when they say
the same thing, and chosen without repeating each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..models import Article, Brief, Bullet, Citation, Trend
from .bullets import Candidate, clean_bullet, score_entries, select
from .cluster import summarize_cluster
from .discovery import story_draft, story_phrases, told_by_editor, week_use
from .index import Entry, Index, build_index, cosine
from .momentum import momentum, signature, story_counts
from .naming import NameCandidate, name_story
from .passages import split_all
from .stories import Story, find_stories
from .text import content_terms, lower_name
from .trends import (
    Draft,
    assign,
    configured_drafts,
    score_phrases,
    subject_terms,
    surface,
    theme_terms,
    trend_key,
)
from .weights import merged


@dataclass(slots=True)
class Explanation:
    """Why a trend and its bullets were chosen: what `--explain` prints.

    `names`: the candidate names as written, their scores and why (the first won).
    """

    trend: str
    configured: bool
    phrases: list[tuple[str, float]]
    articles: int
    bullets: list[tuple[str, dict[str, float], list[str]]] = field(default_factory=list)
    names: list[tuple[str, float, str]] = field(default_factory=list)


PHRASES_KEPT = 100  # the week's strongest phrases, remembered to tell evergreen ones later


@dataclass(slots=True)
class WeekSummary:
    """The trends of a week, why they were chosen, and what the state remembers of them.

    `also`: the stories past `max_trends` or with one source; `signatures`: each
    trend's strongest terms by trend key, to know the story again next week.
    """

    trends: list[Trend]
    explanations: list[Explanation]
    phrases: list[str] = field(default_factory=list)
    also: list[Brief] = field(default_factory=list)
    signatures: dict[str, dict[str, float]] = field(default_factory=dict)


def summarize_week(
    articles: Sequence[Article],
    configured: Sequence[tuple[str, Sequence[str]]] = (),
    *,
    max_trends: int = 8,
    bullets: int = 4,
    weights: dict[str, float] | None = None,
    history: Sequence[Mapping[str, int | tuple[int, Mapping[str, float]]]] = (),
    seen_phrases: Mapping[str, int] | None = None,
    theme: str = "",
) -> WeekSummary:
    """Group a week's articles into stories: the editor's trends first, then each story
    two or more articles tell; the rest, and what `max_trends` leaves out, "Also this week".

    `history`: per earlier issue (newest first), each trend's article count, or
    (count, signature) so a story is known again under other words (momentum);
    `seen_phrases`: in how many recent issues each phrase was already strong.
    """
    w = merged(weights)
    index = build_index(articles, split_all(articles))
    bullet_weights = {
        **w,
        "redundancy": w["trend_redundancy"],
        "phrase_overlap": w["trend_phrase_overlap"],
        "support": w["trend_support"],
        "substance": w["trend_substance"],
    }
    drafts = configured_drafts(index, configured)
    assign(index, drafts)
    scored = score_phrases(index, w, theme_terms(index, w, theme), seen_phrases)
    exclude = subject_terms(index, theme)
    week = week_use(index)
    past = [{k: (v if isinstance(v, tuple) else (v, {})) for k, v in issue.items()} for issue in history]
    stories = []
    for found in find_stories(index, frozenset(exclude), w["story_similarity"]):
        if not told_by_editor(index, found, drafts, w["merge_overlap"]):
            draft = story_draft(found, drafts)
            draft.phrases = story_phrases(index, draft.assigned, exclude, week)
            stories.append((found, draft))
    trends: list[tuple[Trend, Explanation]] = []
    signatures: dict[int, dict[str, float]] = {}
    also: list[Brief] = []
    told = _Said(index, w["duplicate"])  # the bullets of the trends before: a later trend does not say them again
    names: set[str] = {d.name.lower() for d in drafts}
    pending: list[tuple[Draft, Story | None]] = [(d, None) for d in drafts] + [(d, s) for s, d in stories]
    for draft, story in pending:
        candidates: list[NameCandidate] = []
        if story is not None:
            candidates = name_story(index, draft.assigned, names, seen_phrases, w["evergreen"], exclude)
            draft.name, name_key = _story_name(index, story, candidates)
            draft.key = trend_key(draft.name)
            if name_key:
                _focus_on_name(index, draft, name_key)
            articles_in = {index.entries[i].passage.article_id for i in draft.assigned}
        else:
            articles_in = draft.articles(index)
        if not articles_in:
            continue
        members = [i for i in draft.assigned if index.entries[i].passage.article_id in articles_in]
        topic = _topic(draft, w["min_coverage"])
        candidates_b = told.unsaid(score_entries(index, members, draft.phrases, bullet_weights, topic=topic))
        chosen = select(index, candidates_b, bullets, bullet_weights, topic=topic)
        if story is not None and (len(articles_in) < int(w["min_articles"]) or not chosen):
            item = story.units[0].part if story is not None and len(story.units) == 1 else ""
            also.append(_brief(index, draft.name, members, chosen, item))
            continue
        names.add(draft.name.lower())
        told.add(chosen)
        terms = signature(index, members, exclude)
        trend = Trend(
            name=draft.name,
            bullets=tuple(_bullet(index, c) for c in chosen),
            article_ids=tuple(sorted(articles_in)),
            configured=draft.configured,
            keywords=draft.keywords,
            momentum=momentum(draft.key, len(articles_in), story_counts(draft.key, terms, past)),
        )
        explanation = Explanation(
            trend=draft.name,
            configured=draft.configured,
            articles=len(articles_in),
            phrases=[(k, 1.0) for k in draft.keywords]
            if draft.configured
            else [
                (surface(index, key), weight)
                for key, weight in sorted(draft.phrases.items(), key=lambda kv: -kv[1])[:8]
            ],
            bullets=[
                (b.text, c.parts, [s.title for s in b.sources]) for b, c in zip(trend.bullets, chosen, strict=True)
            ],
            # the strongest names, and the strongest refused with why
            names=[
                (c.name, c.score, c.why)
                for c in [c for c in candidates if c.score > 0][:6] + [c for c in candidates if c.score <= 0][:4]
            ],
        )
        trends.append((trend, explanation))
        signatures[id(trend)] = terms
    configured_part = [t for t in trends if t[0].configured]
    discovered_part = sorted(
        (t for t in trends if not t[0].configured),
        key=lambda t: (*(-n for n in _spread(index, t[0])), -MOMENTUM_ORDER[t[0].momentum], t[0].name),
    )
    kept = (configured_part + discovered_part)[:max_trends]
    shown = {id(t[0]) for t in kept}
    past_cap = [_past_cap(index, t[0]) for t in discovered_part if id(t[0]) not in shown]
    return WeekSummary(
        trends=[t[0] for t in kept],
        explanations=[t[1] for t in kept],
        phrases=[key for key, _ in scored[:PHRASES_KEPT]],
        also=past_cap + also,
        signatures={trend_key(t[0].name): signatures[id(t[0])] for t in kept},
    )


def _story_name(index: Index, story: Story, candidates: list[NameCandidate]) -> tuple[str, str]:
    """The best candidate name; else a roundup's heading for the story, or its first article's headline."""
    for candidate in candidates:
        if candidate.score > 0:
            key = " ".join(content_terms(candidate.name.split(" (")[0]))
            return candidate.name, key if key in index.phrase_entries else _phrase_key(index, key)
    labels = [unit.part for unit in story.units if unit.part and len(unit.part.split()) <= 4]
    if labels:  # a roundup's own heading for it: "Memory Upgrade"
        return min(labels, key=lambda label: (len(label.split()), label)), ""
    return index.articles[story.articles[0]].title, ""


def _phrase_key(index: Index, key: str) -> str:
    """A name's phrase key as the index has it ("Direct Preference Optimization (DPO)" has the expansion's)."""
    return next((k for k in index.phrase_entries if k.replace(" ", "") == key.replace(" ", "")), key)


def _brief(index: Index, name: str, members: list[int], chosen: list[Candidate], item: str = "") -> Brief:
    """A story for "Also this week": a one-article story under its headline (a roundup's item under
    its label), with its best sentence."""
    if chosen:
        first = index.entries[chosen[0].index].passage
        text = _cleaned(index, first.text)
    else:
        passages = [index.entries[i].passage for i in members if index.entries[i].passage.kind != "heading"]
        first = passages[0] if passages else index.entries[members[0]].passage
        text = _cleaned(index, first.text) if passages else ""
    article = index.articles[first.article_id]
    ids = tuple(sorted({index.entries[i].passage.article_id for i in members}))
    title = item or (article.title if len(ids) == 1 else name)
    return Brief(title=title, text=text, url=article.url, source=article.source, article_ids=ids)


def _past_cap(index: Index, trend: Trend) -> Brief:
    """A trend `max_trends` leaves out, as one line: its name and its best bullet."""
    bullet = trend.bullets[0]
    first = bullet.sources[0]
    return Brief(title=trend.name, text=bullet.text, url=first.url, source=first.source, article_ids=trend.article_ids)


class _Said:
    """The bullets of the trends so far, found again by their terms: a later trend's passage is
    compared only with the bullets it could repeat, so a week of hundreds of stories stays linear.

    Exact: a passage's terms past its strongest ones hold less than `duplicate` of its norm, so a
    bullet it repeats (cosine at least `duplicate`) shares one of the strongest ones.
    """

    def __init__(self, index: Index, duplicate: float) -> None:
        self.index, self.duplicate = index, duplicate
        self.by_term: dict[str, list[int]] = defaultdict(list)

    def add(self, chosen: list[Candidate]) -> None:
        for c in chosen:
            for t in self.index.entries[c.index].vector:
                self.by_term[t].append(c.index)

    def unsaid(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates that do not say what a bullet already chosen says."""
        return [c for c in candidates if not self._repeats(self.index.entries[c.index])]

    def _repeats(self, entry: Entry) -> bool:
        left = entry.norm**2 * (1 - self.duplicate**2)  # the strongest terms hold at least this
        near: set[int] = set()
        for t, v in sorted(entry.vector.items(), key=lambda kv: -abs(kv[1])):
            if left < 0:
                break
            near.update(self.by_term.get(t, ()))
            left -= v * v
        return any(cosine(entry, self.index.entries[j]) >= self.duplicate for j in near)


def _topic(draft: Draft, share: float) -> frozenset[str]:
    """The terms that make the trend: every bullet uses some, so they tell bullets apart from nothing."""
    top = max(draft.phrases.values(), default=0.0)
    return frozenset(t for key, weight in draft.phrases.items() if weight >= share * top for t in key.split())


MOMENTUM_ORDER = {"rising": 3, "new": 2, "steady": 1, "fading": 0}


def _spread(index: Index, trend: Trend) -> tuple[int, int]:
    """How many sources a trend spans, then how many articles (a folder of notes is one source)."""
    sources = {s for a in trend.article_ids for s in index.articles[a].sources}
    return len(sources), len(trend.article_ids)


def _focus_on_name(index: Index, draft: Draft, name_key: str) -> None:
    """Bullets should state what the name says: "Direct preference optimization",
    not every passage that says "optimized". A part of the name counts only as
    far as it is used within the name."""
    draft.phrases[name_key] = max(draft.phrases.values(), default=1.0)
    named = set(index.phrase_entries.get(name_key, ()))
    for key in list(draft.phrases):
        where = index.phrase_entries.get(key, ())
        if key != name_key and where and set(key.split()) < set(name_key.split()):
            draft.phrases[key] *= max(0.4, len(named.intersection(where)) / len(where))  # alone, below min_coverage


def _bullet(index: Index, candidate: Candidate) -> Bullet:
    entry = index.entries[candidate.index]
    ordered = [candidate.index] + sorted(candidate.supporters - {candidate.index})
    citations: dict[str, Citation] = {}
    for i in ordered:
        article = index.articles[index.entries[i].passage.article_id]
        citations.setdefault(
            article.id, Citation(article_id=article.id, title=article.title, url=article.url, source=article.source)
        )
    return Bullet(
        text=_cleaned(index, entry.passage.text), sources=tuple(citations.values()), score=round(candidate.score, 4)
    )


def _cleaned(index: Index, text: str) -> str:
    """A passage as a bullet reads, a tool's lower-case name kept as the week writes it ("cargo-deny")."""

    def lower(word: str) -> bool:
        return lower_name(word, (e.passage.text for e in index.entries))

    return clean_bullet(text, lower)


__all__ = ["Draft", "Explanation", "WeekSummary", "summarize_cluster", "summarize_week"]
