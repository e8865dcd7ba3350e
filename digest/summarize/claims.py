"""Whether one passage states another's claim: what a citation promises the reader.

Two passages of one trend share the trend's words whatever they say, so those
words are left out: a passage states a bullet's claim when it uses most of
what the bullet says beyond them, weighted by how telling each term is (idf):
"the query cache is smaller on disk" needs "cache", "smaller" and "disk", not
"incremental compilation". A claim made mostly of the trend's words is
compared on all its words. Figures are the claim: "won stage 13" is not
backed by "won stage 15", however many words they share.
"""

from __future__ import annotations

import re

from .index import Entry, Index

_FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)*")


def says(index: Index, claim: Entry, other: Entry, topic: frozenset[str] = frozenset()) -> float:
    """The idf-weighted share of the claim's own terms (the trend's out) that the other passage uses;
    0 when it lacks most of the claim's figures."""
    figures = set(_FIGURE_RE.findall(claim.passage.text))
    shared = len(figures & set(_FIGURE_RE.findall(other.passage.text)))
    if shared < (len(figures) if len(figures) <= 2 else len(figures) / 2):
        return 0.0  # a long claim may be backed in part, but never by other figures
    terms = [t for t in claim.vector if t not in topic]
    total = sum(index.idf.get(t, 0.0) for t in terms)
    if total < 0.5 * sum(index.idf.get(t, 0.0) for t in claim.vector):
        # Mostly the trend's words: then they are the claim. "Quantization ... decreases computational
        # demands" is not backed by "the cost ... is expected to decrease", which shares one word beyond them.
        terms = list(claim.vector)
        total = sum(index.idf.get(t, 0.0) for t in terms)
    if not total:
        return 0.0
    return sum(index.idf.get(t, 0.0) for t in terms if t in other.vector) / total


def backs(index: Index, claim: Entry, other: Entry, share: float, topic: frozenset[str] = frozenset()) -> bool:
    """Whether the other passage states the claim: most of it, or a part of a long claim that the other
    passage says nearly all of ("An 8B model quantized to 4 bits fits on a laptop with 16 GB" backs "A 4-bit
    8B model runs on a 16 GB laptop at 20 tokens per second")."""
    forward = says(index, claim, other, topic)
    return forward >= share or (forward >= share / 2 and says(index, other, claim, topic) >= share)
