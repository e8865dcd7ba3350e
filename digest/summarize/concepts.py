"""A cluster's summary as concept coverage: the field's strongest extractive idea.

Concepts are word bigrams (stemmed, not two stopwords), weighted by how many
documents use them: what most writers of a story say is what a summary must
say (Gillick & Favre, 2009). A summary is worth the weights of the concepts
it covers, each counted once, so repeating a fact buys nothing and
redundancy control comes free. The budgeted maximum is found greedily by
gain per word, Lin & Bilmes' scaled greedy for monotone submodular
objectives, which is within a constant factor of the ILP optimum and fast.

A topic statement raises the weight of the concepts that use its terms, so
passages about the topic win where they say as much as others.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from .index import Index
from .text import is_stopword, term, tokens

# Words of a topic statement that say what to do, not what it is about ("Describe the effects of ...").
_INSTRUCTION = frozenset(
    term(w)
    for w in """
describe discuss explain identify include including involve involved involving information specify
provide give list report tell find detail details kind kinds type types aspect aspects regard regarding
happen happened happening question questions issue issues topic topics mention mentioned concern concerning
""".split()
)


@dataclass(frozen=True, slots=True)
class Concepts:
    """Each passage's concepts, and each concept's weight in the cluster."""

    of: dict[int, frozenset[str]]
    weight: dict[str, float]


def bigrams(text: str) -> set[str]:
    """The passage's concepts: adjacent stemmed words, unless both are stopwords."""
    words = [w for w in tokens(text) if any(c.isalnum() for c in w)]
    found = set()
    for first, second in zip(words, words[1:], strict=False):
        if is_stopword(first) and is_stopword(second):
            continue
        found.add(f"{term(first).lower()} {term(second).lower()}")
    return found


def query_terms(query: str) -> frozenset[str]:
    """The terms of a topic statement that say what it is about."""
    return frozenset(
        t.lower()
        for w in tokens(query)
        if len(w) > 1 and not is_stopword(w)
        if (t := term(w)).lower() not in _INSTRUCTION
    )


def concepts(
    index: Index, members: Sequence[int], weights: dict[str, float], topic: frozenset[str] = frozenset()
) -> Concepts:
    """Concepts of the members, weighted by document frequency; a topic's concepts weigh more."""
    of = {i: frozenset(bigrams(index.entries[i].passage.text)) for i in members}
    articles = len({index.entries[i].passage.article_id for i in members})
    documents: dict[str, set[str]] = {}
    for i, found in of.items():
        # One article alone: what its passages repeat is what it is about.
        unit = index.entries[i].passage.article_id if articles > 1 else str(i)
        for concept in found:
            documents.setdefault(concept, set()).add(unit)
    # A concept one writer uses is that writer's; in a small cluster every repeated bigram counts.
    least = max(2, round(weights["concept_min_share"] * articles)) if articles > 2 else 2
    weight = {c: float(len(docs)) for c, docs in documents.items() if len(docs) >= least}
    if topic:
        boost = weights["concept_query"]
        for concept in weight:
            if topic.intersection(concept.split()):
                weight[concept] *= 1 + boost
    return Concepts(of={i: found & weight.keys() for i, found in of.items()}, weight=weight)


def cover(
    index: Index,
    members: Sequence[int],
    found: Concepts,
    *,
    words: int | None,
    count: int,
    weights: dict[str, float],
    prior: dict[int, float] | None = None,
    covered: set[str] | None = None,
) -> list[int]:
    """The passages that cover the most concept weight within the budget, in the order chosen.

    `words`: the word budget (else `count` passages); `prior`: a factor per
    passage for what concepts cannot see (a dangling opening, its place);
    `covered`: concepts said already (updated).
    """
    scale = weights["concept_length"]
    length = {i: max(1, len(index.entries[i].passage.text.split())) for i in members}
    covered = set() if covered is None else covered
    prior = prior or {}

    def gain(i: int) -> float:
        return sum(found.weight[c] for c in found.of[i] - covered) * prior.get(i, 1.0) / length[i] ** scale

    # Lazy greedy (Minoux): a gain only shrinks as more is covered, so a stale gain is an upper bound and
    # only the top of the heap needs computing again; the same choices as the plain greedy, far fewer sums.
    heap = [(-gain(i), i) for i in members if found.of[i]]
    heapq.heapify(heap)
    chosen: list[int] = []
    used = 0
    while heap and len(chosen) < count and (words is None or used < words):
        _, i = heapq.heappop(heap)
        fresh = gain(i)
        if heap and fresh < -heap[0][0]:
            heapq.heappush(heap, (-fresh, i))  # no longer the best: back, with its true gain
            continue
        if fresh <= 0:
            break
        if words is not None and used + length[i] > words:
            continue  # too long for what is left: a shorter one may still fit
        chosen.append(i)
        covered |= found.of[i]
        used += length[i]
    return chosen
