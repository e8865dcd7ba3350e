"""Stable keys: what an edit names a trend or a bullet by, the same in every rebuild of the week.

A trend's key is the words of its draft name, small words left out; a
bullet's is a short hash of its words and its trend's key.
"""

from __future__ import annotations

import hashlib
import re

from ..models import Digest, replace

WORD_RE = re.compile(r"[a-z0-9]+")
# Small words an editor's rename of "Agents and tool use" to "Agents & tool use" should not change the key of.
STOP = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}
)


def trend_key(name: str) -> str:
    """ "Agents and tool use" → "agents-tool-use": the words of the name, small words left out."""
    words = [w for w in WORD_RE.findall(name.lower()) if w not in STOP]
    return "-".join(dict.fromkeys(words)) or "trend"


def bullet_key(trend: str, text: str) -> str:
    """Eight hex digits from the bullet's words and its trend's key."""
    normalised = " ".join(WORD_RE.findall(text.lower()))
    return hashlib.sha1(f"{trend}\n{normalised}".encode()).hexdigest()[:8]


def keyed(draft: Digest) -> Digest:
    """The draft with a key on every trend and bullet (two trends of one key get -2, -3, ...)."""
    trends, seen = [], set()
    for trend in draft.trends:
        base = key = trend.key or trend_key(trend.name)
        n = 1
        while key in seen:
            n += 1
            key = f"{base}-{n}"
        seen.add(key)
        bullets = tuple(b if b.key else replace(b, key=bullet_key(key, b.text)) for b in trend.bullets)
        trends.append(replace(trend, key=key, bullets=bullets))
    return replace(draft, trends=tuple(trends))
