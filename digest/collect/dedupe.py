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
    shingles = (zlib.crc32(" ".join(words[i:i + 5]).encode()) for i in range(max(len(words) - 4, 1)))
    return frozenset(h for h in shingles if h % SAMPLE == 0)


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
        match = next((j for j, n in sorted(shared.items(), key=lambda kv: -kv[1])
                      if n / len(sample | prints[j]) >= threshold), None)
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
