"""A cluster of documents into its best passages: what `digest summarize` prints.

Several documents: the passages that cover most of what they say in common
(concept coverage, see `concepts.py`). One article alone: centrality and
MMR, since document frequency says nothing there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Article, Passage
from .bullets import Candidate, chatty, dangles, score_entries, select
from .concepts import Concepts, concepts, cover, query_terms
from .index import Index, build_index, cosine, keyword_seq, matches
from .passages import split_all
from .text import content_terms
from .weights import merged


def summarize_cluster(
    articles: Sequence[Article],
    *,
    sentences: int | None = None,
    words: int | None = None,
    query: str | None = None,
    weights: dict[str, float] | None = None,
) -> list[tuple[Passage, float]]:
    """The best passages of a cluster of documents, best first, within a budget.

    The passages chosen cover the most of what the cluster's documents say
    in common (its concepts, see `concepts.py`), without saying it twice.
    A query of a few words ("quantization", "tool use") focuses the way a
    configured trend's keywords do: the passages that say them come first,
    and only when they run out do others fill in. A longer topic statement
    ("Describe the effects of ...") seldom occurs word for word: its terms
    weigh more among the concepts.
    """
    w = merged(weights)
    index = build_index(articles, split_all(articles))
    if len(index.articles) < 2:
        return _one_article(index, w, sentences, words, query)
    members = [i for i, e in enumerate(index.entries) if e.passage.kind != "heading" and _can_stand(e.passage.text, w)]
    count = sentences if sentences is not None else (len(members) if words else 5)
    topic = query_terms(query) if query else frozenset()
    prior = {i: _prior(index, i, w) for i in members}
    focus = members
    if topic:
        relevance = _relevance(index, members, topic)
        top = max(relevance.values(), default=0.0) or 1.0
        for i in members:
            prior[i] *= 1 + w["concept_relevance"] * relevance[i] / top
        related = [i for i in members if relevance[i] > 0]
        # Enough of them to fill the budget: else the topic only weighs, it does not filter.
        enough = _words(index, related) >= words if words else len(related) >= count
        focus = related if enough else members
    if query and len(content_terms(query)) <= 3:
        seq = keyword_seq(query, index.aliases)
        focus = [i for i in members if matches(index.entries[i], seq)] or focus
    found = concepts(index, members, w, topic)
    chosen: list[int] = []
    covered: set[str] = set()
    # The focus first (passages that say the query, or share its terms); the rest only when they run out.
    for part in (focus, members) if focus is not members else (members,):
        left = [i for i in part if i not in chosen]
        budget = None if words is None else words - _words(index, chosen)
        chosen += cover(
            index, left, found, words=budget, count=count - len(chosen), weights=w, prior=prior, covered=covered
        )
        chosen += _fill(
            index,
            [i for i in left if i not in chosen],
            prior,
            count - len(chosen),
            None if words is None else words - _words(index, chosen),
        )
    return [(index.entries[i].passage, round(_worth(found, i), 4)) for i in chosen]


def _fill(index: Index, rest: list[int], prior: dict[int, float], count: int, words: int | None) -> list[int]:
    """Nothing more said twice (a tiny cluster): the best placed of the rest, within the budget."""
    chosen: list[int] = []
    for i in sorted(rest, key=lambda i: (-prior[i], i)):
        if len(chosen) >= count or (words is not None and words < 1):
            break
        size = len(index.entries[i].passage.text.split())
        if words is None or size <= words:
            chosen.append(i)
            words = None if words is None else words - size
    return chosen


def _words(index: Index, chosen: Sequence[int]) -> int:
    return sum(len(index.entries[i].passage.text.split()) for i in chosen)


def _relevance(index: Index, members: list[int], topic: frozenset[str]) -> dict[int, float]:
    """How much of the topic each passage says: the idf of the topic's terms it uses."""
    idf = {t.lower(): v for t, v in index.idf.items()}
    relevance = {}
    for i in members:
        said = {t.lower() for t in index.entries[i].vector} & topic
        relevance[i] = sum(idf.get(t, 0.0) for t in said)
    return relevance


def _can_stand(text: str, weights: dict[str, float]) -> bool:
    """A sentence that could be read alone in a summary: not a question, not a list's lead-in, not a fragment."""
    text = text.strip()
    return (
        len(text.split()) >= weights["min_words"]
        and not text.endswith((":", "?"))
        and bool(re.search(r"[A-Za-z]{3}", text))
    )


def _prior(index: Index, i: int, weights: dict[str, float]) -> float:
    """What concepts cannot see: a passage that leans on the one before, or talks to the reader, reads badly
    alone; news puts what matters first."""
    entry = index.entries[i]
    factor = 1.0 + weights["concept_position"] / (1 + entry.rank)
    if dangles(entry.passage.text):
        factor *= weights["concept_dangling"]
    if chatty(entry.passage.text):
        factor *= weights["concept_dangling"]
    return factor


def _worth(found: Concepts, i: int) -> float:
    return sum(found.weight[c] for c in found.of.get(i, ()))


def _one_article(
    index: Index, w: dict[str, float], sentences: int | None, words: int | None, query: str | None
) -> list[tuple[Passage, float]]:
    """One article's best passages: concepts need several documents to say what is shared, so
    a lone article is summarized by centrality and MMR, as its passages repeat it."""
    everything = list(range(len(index.entries)))
    limit = sentences if sentences is not None else 5
    # A word budget: choose enough for it (passages have at least min_words), then fill in order.
    count = words // int(w["min_words"]) + 1 if words else limit
    if not query:
        chosen = select(index, score_entries(index, everything, _cluster_phrases(index, everything), w), count, w)
        return _within(index, chosen, limit, words)
    seq = keyword_seq(query, index.aliases)
    exact = [i for i in everything if matches(index.entries[i], seq)] if len(content_terms(query)) <= 3 else []
    chosen = select(index, score_entries(index, exact, {seq.strip(): 1.0}, w), count, w) if exact else []
    if len(chosen) < count:
        taken = {i for c in chosen for i in c.supporters}
        members, relevance = _related(index, [i for i in everything if i not in taken], query)
        phrases = _cluster_phrases(index, members)
        more = [
            c
            for c in score_entries(index, members, phrases, w, relevance)
            if all(cosine(index.entries[c.index], index.entries[k.index]) < w["duplicate"] for k in chosen)
        ]
        chosen += select(index, more, count - len(chosen), w)
    return _within(index, chosen, limit, words)


def _within(index: Index, chosen: list[Candidate], limit: int, words: int | None) -> list[tuple[Passage, float]]:
    """The chosen passages, best first, up to `limit` of them or within `words`."""
    result: list[tuple[Passage, float]] = []
    used = 0
    for cand in chosen:
        passage = index.entries[cand.index].passage
        n = len(passage.text.split())
        if words is not None and used + n > words and result:
            if used >= words * 0.9:
                break
            continue
        result.append((passage, round(cand.score, 4)))
        used += n
        if words is None and len(result) >= limit:
            break
    return result


def _cluster_phrases(index: Index, members: Sequence[int]) -> dict[str, float]:
    """The phrases most documents of the cluster share: what it is about."""
    where: dict[str, set[str]] = {}
    for i in members:
        entry = index.entries[i]
        for key in entry.phrases:
            where.setdefault(key, set()).add(entry.passage.article_id)
    articles = len({index.entries[i].passage.article_id for i in members})
    shared = {key: float(len(found)) for key, found in where.items() if len(found) >= max(2, articles // 3)}
    return dict(sorted(shared.items(), key=lambda kv: -kv[1])[:30])  # ties: first used first


def _related(index: Index, members: list[int], query: str) -> tuple[list[int], dict[int, float]]:
    """The passages that share the query's terms, and how much (idf-weighted cosine)."""
    terms = set(content_terms(query))
    terms |= {t for a in terms & index.aliases.keys() for t in index.aliases[a].split()}
    weights = {t: index.idf[t] for t in terms if t in index.idf}
    norm = sum(v * v for v in weights.values()) ** 0.5 or 1.0
    relevance = {}
    for i in members:
        entry = index.entries[i]
        relevance[i] = sum(v * entry.vector.get(t, 0.0) for t, v in weights.items()) / (entry.norm * norm)
    related = [i for i in members if relevance[i] > 0]
    return (related if len(related) >= 5 else members), relevance
