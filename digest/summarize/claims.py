"""Whether one passage states another's claim: what a citation promises the reader.

Two passages of one trend share the trend's words whatever they say, so those
words are left out: a passage states a bullet's claim when it uses most of
what the bullet says beyond them, both weighted by how telling each term is
(idf) and counted word by word, and at least two of those words (all of them,
if the claim has one): "the query cache is smaller on disk" needs "cache",
"smaller" and "disk", not "incremental compilation". A claim made mostly of
the trend's words is compared on all of them. Who said it is not the claim
("said", "told"); what they said is: a quotation must be in the other
passage too. Figures are the claim, the trend's own aside ("uv 0.6"): "won
stage 13" is not backed by "won stage 15", nor "the first attempt after two
orbiters" by "in three weeks". And a passage that denies what the claim
asserts ("the cause was not yet known") never backs it, however many words
they share.
"""

from __future__ import annotations

import re

from .index import Entry, Index
from .text import FIGURE_RE, content_terms, term

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand "
    "million billion first second third fourth fifth sixth seventh eighth ninth tenth half dozen"
)
_FIGURE_RE = re.compile(rf"{FIGURE_RE.pattern}|\b(?:{'|'.join(_NUMBER_WORDS.split())})\b", re.IGNORECASE)
# Denial, not absence: "was not yet known", "no damage"; never "without help" or "No. 5".
_NEGATION_RE = re.compile(r"\b(?:not|never|yet to)\b|\bno\b(?!\.\s*\d)|n't\b", re.IGNORECASE)
_QUOTE_RE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_ATTRIBUTION = frozenset(term(w) for w in "said says told added according reported stated announced".split())


def says(index: Index, claim: Entry, other: Entry, topic: frozenset[str] = frozenset()) -> float:
    """The share of the claim's own terms (the trend's out, unless they are most of it; who said it
    out) that the other passage uses: the mean of its idf-weighted and its word-by-word share; 0
    when it uses fewer than two of them, lacks a quotation of the claim or most of its figures."""
    # The trend's own figures ("uv 0.6") are its name, not the claim.
    figures = {f.lower() for f in _FIGURE_RE.findall(claim.passage.text)} - topic
    shared = len(figures & {f.lower() for f in _FIGURE_RE.findall(other.passage.text)})
    if shared < (len(figures) if len(figures) <= 2 else len(figures) / 2):
        return 0.0  # a long claim may be backed in part, but never by other figures
    quoted = {t for quote in _QUOTE_RE.findall(claim.passage.text) for t in content_terms(quote)} & set(claim.vector)
    if quoted and len(quoted & set(other.vector)) * 2 < len(quoted):
        return 0.0  # what was said is the claim: "cautiously hopeful" is not "within days"
    said = [t for t in claim.vector if t not in _ATTRIBUTION]
    terms = [t for t in said if t not in topic]
    if _weight(index, terms) < 0.4 * _weight(index, said):
        # Mostly (60%) the trend's words: then they are the claim. "PEP 750 was accepted, so Python 3.14 gets
        # template strings" is backed by "the council accepted PEP 750, which adds template strings".
        terms = said
    used = [t for t in terms if t in other.vector]
    if not terms or len(used) < min(2, len(terms)):
        return 0.0
    return (_weight(index, used) / (_weight(index, terms) or 1.0) + len(used) / len(terms)) / 2


def _weight(index: Index, terms: list[str]) -> float:
    return sum(index.idf.get(t, 0.0) for t in terms)


def backs(index: Index, claim: Entry, other: Entry, share: float, topic: frozenset[str] = frozenset()) -> bool:
    """Whether the other passage states the claim: most of it, or a part of a long claim that the other
    passage says nearly all of ("An 8B model quantized to 4 bits fits on a laptop with 16 GB" backs "A 4-bit
    8B model runs on a 16 GB laptop at 20 tokens per second"); never when one denies and the other not."""
    if bool(_NEGATION_RE.search(claim.passage.text)) != bool(_NEGATION_RE.search(other.passage.text)):
        return False
    forward = says(index, claim, other, topic)
    return forward >= share or (forward >= share / 2 and says(index, other, claim, topic) >= share)
