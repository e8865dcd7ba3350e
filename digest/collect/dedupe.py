"""One story once: articles whose text is nearly the same become one.

The same press release through three feeds, a syndicated post under two
URLs: their word 5-grams overlap almost entirely. Each article's shingles
are sampled by hash (a fixed 1 in 4, so two copies keep the same sample),
articles sharing samples become candidates, and candidates whose sampled
Jaccard overlap reaches the threshold merge, keeping every source.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

from ..models import Article, replace

THRESHOLD = 0.85
SAMPLE = 4
_WORD_RE = re.compile(r"\w+")


def fingerprint(article: Article) -> frozenset[int]:
    words = _WORD_RE.findall(article.text.lower())
    shingles = (zlib.crc32(" ".join(words[i : i + 5]).encode()) for i in range(max(len(words) - 4, 1)))
    return frozenset(h for h in shingles if h % SAMPLE == 0)


def _similar(a: frozenset[int], b: frozenset[int], threshold: float) -> bool:
    return len(a & b) / len(a | b) >= threshold


def already_told(
    articles: Sequence[Article], earlier: Sequence[tuple[str, frozenset[int]]], threshold: float = THRESHOLD
) -> set[str]:
    """Ids of articles whose text an earlier issue already carried (under another id)."""
    holders: dict[int, list[int]] = defaultdict(list)
    for k, (_, sample) in enumerate(earlier):
        for h in sample:
            holders[h].append(k)
    told = set()
    for article in articles:
        sample = fingerprint(article)
        if len(sample) < 3:
            continue
        candidates = {k for h in sample for k in holders.get(h, ())}
        if any(earlier[k][0] != article.id and _similar(sample, earlier[k][1], threshold) for k in candidates):
            told.add(article.id)
    return told


def merge_near_duplicates(articles: Sequence[Article], threshold: float = THRESHOLD) -> list[Article]:
    """Keep the first of each group of near-identical articles, citing all their sources."""
    prints = [fingerprint(a) for a in articles]
    holders: dict[int, list[int]] = defaultdict(list)
    kept: list[int] = []
    merged_into: dict[int, int] = {}
    for i, sample in enumerate(prints):
        if len(sample) < 3:  # too short to judge: never merged
            kept.append(i)
            continue
        shared: dict[int, int] = defaultdict(int)
        for h in sample:
            for j in holders[h]:
                shared[j] += 1
        match = next(
            (j for j, _ in sorted(shared.items(), key=lambda kv: -kv[1]) if _similar(sample, prints[j], threshold)),
            None,
        )
        if match is None:
            kept.append(i)
            for h in sample:
                holders[h].append(i)
        else:
            merged_into[i] = match
    result = {i: articles[i] for i in kept}
    for i, j in merged_into.items():
        first = result[j]
        extra = tuple(s for s in articles[i].sources if s not in first.sources)
        if extra:
            result[j] = replace(first, also_sources=(*first.also_sources, *extra))
    return [result[i] for i in kept]
