"""Pick a trend's bullets: the passages that best state it, each citing the sources that say it.

A passage scores for being central to the trend, using its phrases, being
specific (numbers, names), corroborated by other sources, and well placed (a
list item, a lead sentence, a section named after the trend); it loses for
referring back ("One technique they're exploring"), chatter (I, you, calls
to action) and bad length. A passage that leans on the sentence before it
("This shows...", "The release also adds...") or asks a question is never a
bullet. A bullet cites every source with a passage that states its claim
(`claims.py`), not those merely on its subject; the bullets are chosen by
MMR so they do not repeat each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .claims import backs
from .index import Entry, Index, cosine
from .text import FIGURE_RE, NUMBER_RE, split_label, words

_DANGLING_RE = re.compile(
    r"^(this|these|that|those|it|its|they|them|their|such|here|there|he|she|his|her|both|another|"
    r"the latter|the former|the same|so|but|and|or|also|then|thus|hence|therefore|as a result|in this)\b",
    re.IGNORECASE,
)
_CHATTER_RE = re.compile(
    r"\b(i|i'm|i've|me|my|we|we're|we've|we'll|us|our|you|you're|you've|your|let's|let me|imagine|"
    r"stay tuned|subscribe|sign up|click|read more|check out|don't miss|comment|share this)\b",
    re.IGNORECASE,
)
# Reported speech: "we" and "I" inside a quote are the source talking, not chatter.
_QUOTED_RE = re.compile(r"[\"“”]|\b(?:said|says|told|according to|added|explained)\b", re.IGNORECASE)
_DISCOURSE_RE = re.compile(
    r"^(moreover|furthermore|additionally|in addition|also|however|for instance|for example|"
    r"in fact|indeed|notably|importantly|interestingly|similarly|likewise|meanwhile|besides|"
    r"on the other hand|in other words|that being said|in conclusion|overall|finally|lastly|first|"
    r"second|third|firstly|secondly|thirdly|of course|ultimately|essentially)\s*,\s*",
    re.IGNORECASE,
)


# "The release also adds ...", "The move ...", "The headline of this release ...": a subject the reader
# was told in a sentence the bullet leaves behind.
_ALSO_RE = re.compile(r"^(?:the|its|their|this|that|these|those)\s+(?:\S+\s+){0,2}also\b", re.IGNORECASE)
# ("that" is left out: "agents that plan" is a relative clause, not a reference back.)
_BACK_REFERENCE_RE = re.compile(
    r"^(?:\S+\s+){0,5}(?:this|these|those)\s+(?:release|version|update|move|"
    r"decision|change|changes|feature|features|announcement|post|article|deal|plan|"
    r"proposal|approach|method|technique|tool|project|step|work)\b",
    re.IGNORECASE,
)
_ANAPHORIC_NOUNS = (
    "release|version|update|move|decision|change|feature|announcement|deal|plan|proposal|measure|"
    "incident|attack|company|firm|group|project|tool|agreement|report|study|paper|team|approach|"
    "technique|method|system|latter|former|same"
)
_THE_NOUN_RE = re.compile(
    rf"^the\s+(?:{_ANAPHORIC_NOUNS})\b(?!\s+(?:of|to|for|that|which|between|behind|from)\b)", re.IGNORECASE
)


# A pronoun or demonstrative early in the sentence, before anything it could stand for: "One technique
# they're exploring ...", "..., these models are pushing ...". Weaker signs than an opening "This": a penalty.
_LEANS_RE = re.compile(
    r"^(?:[a-z][\w’'-]*\s+){1,3}(?:they|they['’]re|them|it|it['’]s)\b|\b(?:these|those)\s+"
    r"(?:models?|tools?|systems?|techniques?|methods?|changes?|features?|results?)\b"
    r"|^[^,]{3,60},\s+(?:it|they|this|these)\b"
)  # "Once the data is ready, it undergoes ..."


def leans(text: str) -> bool:
    """Whether a passage refers back to something it does not name ("these models", "they're")."""
    return bool(_LEANS_RE.search(text[:1].lower() + text[1:]))


def dangles(text: str) -> bool:
    """Whether a passage leans on the one before it ("This shows...", "It also adds...", "The release also...",
    "The headline of this release...")."""
    label = split_label(text)
    body = _DISCOURSE_RE.sub("", label[1] if label else text).strip()
    return bool(
        _DANGLING_RE.match(body) or _ALSO_RE.match(body) or _BACK_REFERENCE_RE.match(body) or _THE_NOUN_RE.match(body)
    )


def chatty(text: str) -> bool:
    """Whether a passage talks to the reader or about the writer, outside a quote."""
    return bool(_CHATTER_RE.search(text)) and not _QUOTED_RE.search(text)


# Within a trend, its own terms weigh this much of their tf-idf when passages are compared.
TOPIC_WEIGHT = 0.6


@dataclass(slots=True)
class Candidate:
    """A passage in the running for a bullet, with its score parts (for --explain)."""

    index: int
    score: float
    parts: dict[str, float]
    supporters: set[int] = field(default_factory=set)


def score_entries(
    index: Index,
    members: Sequence[int],
    phrases: dict[str, float],
    weights: dict[str, float],
    relevance: dict[int, float] | None = None,
    topic: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Score each passage of a trend for how well it would stand as a bullet.

    `relevance`: how well each passage matches a query (0-1), when there is one.
    `topic`: the trend's own terms. They weigh little in centrality: every
    bullet says them, and a sentence that says little else ("One technique is
    called Direct Preference Optimization") is not the most central one.
    """
    if not members:
        return []
    compared = compared_entries(index, members, topic)
    centre = _centroid(list(compared.values()), int(weights["centroid_terms"]))
    top = max(phrases.values(), default=1.0)
    candidates = []
    for i in members:
        entry = index.entries[i]
        if entry.passage.kind == "heading":
            continue
        parts = _parts(index, entry, compared[i], centre, phrases, top, weights, topic)
        if parts is None:
            continue
        if relevance is not None:
            parts["query"] = weights["query"] * relevance.get(i, 0.0)
        score = sum(parts.values())
        candidates.append(Candidate(index=i, score=score, parts=parts))
    return candidates


def _parts(
    index: Index,
    entry: Entry,
    compared: Entry,
    centre: Entry,
    phrases: dict[str, float],
    top: float,
    weights: dict[str, float],
    topic: frozenset[str],
) -> dict[str, float] | None:
    if entry.passage.text.rstrip().endswith((":", "?")):
        return None  # "Efforts to mitigate bias involve:" introduces a list, a question asks: neither states
    text = clean_bullet(entry.passage.text)
    n = len(text.split())
    if n < weights["min_words"] or not re.search(r"[A-Za-z]{3}", text):
        return None
    hits = [w for key, w in phrases.items() if key in entry.phrases or f" {key} " in entry.seq]
    used = sum(hits)
    if phrases and max(hits, default=0.0) < weights["min_coverage"] * top:
        return None  # does not use any of the phrases that make the trend
    section = entry.passage.section.lower()
    in_section = any(_surface_in(index, key, section) for key in phrases)
    names = sum(1 for w in words(text)[1:] if w[:1].isupper())
    lead = entry.passage.kind == "item" or entry.lead
    parts = {
        "centrality": weights["centrality"] * cosine(compared, centre),
        "coverage": weights["coverage"] * min(1.0, used / top),
        "specificity": weights["specificity"] * min(1.0, 0.25 * len(NUMBER_RE.findall(text)) + 0.15 * names),
        "structure": weights["structure"] * ((0.6 if lead else 0.0) + (0.4 if in_section else 0.0)),
        "position": weights["position"] / (1 + entry.rank) ** 0.5,
        # What it says beyond the trend's name: distinct content terms, up to a full sentence's worth.
        "substance": weights["substance"] * min(1.0, len(compared.vector.keys() - topic) / 12),
    }
    if dangles(text):
        return None  # a bullet stands alone: its subject is in the sentence before, which it leaves behind
    penalty = 0.0
    if chatty(text):
        penalty += weights["chatter"]
    if leans(text):
        penalty += weights["dangling"] / 2
    if n > weights["max_words"]:
        penalty += 0.02 * (n - weights["max_words"])
    if n < 10:
        penalty += 0.03 * (10 - n)
    parts["penalty"] = -penalty
    return parts


def _surface_in(index: Index, key: str, section: str) -> bool:
    return bool(section) and any(part in section for part in key.split())


def _centroid(entries: Sequence[Entry], terms: int = 0) -> Entry:
    """The trend's centre; with `terms`, only its strongest terms (MEAD's centroid)."""
    vector: dict[str, float] = {}
    for entry in entries:
        for t, v in entry.vector.items():
            vector[t] = vector.get(t, 0.0) + v / entry.norm
    if terms:
        vector = dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:terms])
    norm = sum(v * v for v in vector.values()) ** 0.5 or 1.0
    return Entry(passage=entries[0].passage, seq="", phrases={}, vector=vector, norm=norm)


def select(
    index: Index,
    candidates: list[Candidate],
    count: int,
    weights: dict[str, float],
    topic: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Merge passages that say the same thing, then pick `count` by MMR.

    Within a trend, a passage of another article that states a bullet's
    claim (`claims.backs`) is cited by it; one too close to be a bullet of
    its own (`duplicate`) is folded into it, and cited only if it states the
    claim. `topic`: the trend's own terms, which weigh little in the
    comparison, since every bullet of "Direct Preference Optimization" says
    those words: two bullets are the same when they say the same thing
    about it.
    """
    by_score = sorted(candidates, key=lambda c: (-c.score, c.index))
    # Only the best few can become bullets; the rest may still back them.
    leaders = max(60, 6 * count)
    compared = compared_entries(index, [c.index for c in by_score], topic)
    groups: list[Candidate] = []
    for cand in by_score:
        entry = compared[cand.index]
        cand.supporters = {cand.index}
        home = None
        for group in groups:
            similarity = cosine(compared[group.index], entry)
            # Cited only when it states the bullet's claim, never because it shares the trend's words.
            if (similarity >= weights["duplicate"] or same_figures(entry, compared[group.index])) and home is None:
                home = group  # too close to be a bullet of its own
                if backs(index, index.entries[group.index], index.entries[cand.index], weights["claim"], topic):
                    group.supporters.add(cand.index)
            elif (
                similarity >= weights["support"]
                and _new_article(index, group, entry)
                and backs(index, index.entries[group.index], index.entries[cand.index], weights["claim"], topic)
            ):
                group.supporters.add(cand.index)  # states the claim: cited, and still a bullet of its own
        if home is None and len(groups) < leaders:
            groups.append(cand)
    for group in groups:
        articles = {index.entries[i].passage.article_id for i in group.supporters}
        group.parts["corroboration"] = weights["corroboration"] * min(1.0, (len(articles) - 1) / 2)
        group.score = sum(group.parts.values())
    chosen: list[Candidate] = []
    pool = [g for g in groups if g.score > 0]
    overlap = dict.fromkeys((c.index for c in pool), 0.0)  # max similarity to what is chosen
    while pool and len(chosen) < count:
        best = max(pool, key=lambda c: (c.score - weights["redundancy"] * overlap[c.index], -c.index))
        pool.remove(best)
        chosen.append(best)
        picked = compared[best.index]
        for c in pool:
            overlap[c.index] = max(overlap[c.index], _similarity(compared[c.index], picked, weights))
    return chosen


def compared_entries(index: Index, indexes: Sequence[int], topic: frozenset[str]) -> dict[int, Entry]:
    """The passages as compared within a trend (as they are, without one)."""
    return {i: _without(index.entries[i], topic) if topic else index.entries[i] for i in indexes}


def _without(entry: Entry, topic: frozenset[str], keep: float = TOPIC_WEIGHT) -> Entry:
    """The passage as compared within its trend: the trend's own terms count for little."""
    vector = {t: v * keep if t in topic else v for t, v in entry.vector.items()}
    norm = sum(v * v for v in vector.values()) ** 0.5 or 1.0
    phrases = {k: v for k, v in entry.phrases.items() if not set(k.split()) <= topic}
    return Entry(passage=entry.passage, seq=entry.seq, phrases=phrases, vector=vector, norm=norm)


def _similarity(a: Entry, b: Entry, weights: dict[str, float]) -> float:
    """Word overlap, or for bullets also shared multi-word phrases: two paraphrases of one
    claim ("agent benchmarks score whole multi-step tasks") share phrases more than words."""
    similarity = cosine(a, b)
    if weights["phrase_overlap"]:
        shared = sum(1 for key in a.phrases if " " in key and key in b.phrases)
        similarity = max(similarity, min(1.0, weights["phrase_overlap"] * shared))
    return similarity


def same_figures(a: Entry, b: Entry) -> bool:
    """Two passages stating one telling figure, the one's figures among the other's: the same fact
    in other words ("Quantel will pay $38 per share, a 31% premium"; "the deal values it at $38 a
    share"). Small counts and years tell nothing apart."""
    first, second = _telling_figures(a.passage.text), _telling_figures(b.passage.text)
    return bool(first and second) and (first <= second or second <= first)


def _telling_figures(text: str) -> set[str]:
    figures = set()
    for figure in FIGURE_RE.findall(text):
        value = float(figure.replace(",", "")) if figure.count(".") <= 1 else 0.0  # "1.2.3": a version
        if value > 10 and not (figure.isdigit() and 1900 <= value <= 2099):
            figures.add(figure)
    return figures


def _new_article(index: Index, group: Candidate, entry: Entry) -> bool:
    """Whether the passage comes from an article the group does not cite yet."""
    return entry.passage.article_id not in {index.entries[i].passage.article_id for i in group.supporters}


def _is_label(text: str) -> bool:
    """A bold-lead label ("Quantization", "Rise of Small Models"), not a clause before a colon."""
    words = text.split()
    significant = [w for w in words if len(w) > 3]
    title_case = bool(significant) and all(w[:1].isupper() or not w[:1].isalpha() for w in significant)
    return len(words) <= 2 or (len(words) <= 10 and title_case)


def clean_bullet(text: str, lower_names: Callable[[str], bool] | None = None) -> str:
    """The passage as a bullet: no leading discourse marker, capitalised, punctuated.

    `lower_names`: whether a word is a name its sources write in lower case
    ("cargo-deny", "npm"), which a bullet keeps as they write it.
    """
    text = re.sub(r"\s+", " ", text).strip().lstrip("•*-–— ").strip()
    label = split_label(text)
    if label and _is_label(label[0]):
        rest = _DISCOURSE_RE.sub("", label[1])
        text = f"{label[0]}: {_capitalised(rest, lower_names)}"
    else:
        text = _capitalised(_DISCOURSE_RE.sub("", text), lower_names)
    if text and text[-1] not in ".!?…\"”')":
        text += "."
    return text


def _capitalised(text: str, lower_names: Callable[[str], bool] | None) -> str:
    first = text.split(" ", 1)[0].rstrip(",.:;")
    if lower_names and first[:1].islower() and lower_names(first):
        return text
    return text[:1].upper() + text[1:]
