"""The editor's configured trends, the week's backdrop, and its phrases.

Configured trends take the passages that say their keywords, each passage
the one it fits best. The backdrop is what nearly every passage says (a
phrase like "LLMs" in an LLM newsletter is the subject of the whole issue,
not a story in it), so it never tells stories apart or names one. Scored
phrases are the week's strongest, remembered so an evergreen one counts less.
Discovered trends are stories (see `stories.py`).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .index import Index, keyword_seq, matches
from .text import content_terms, generic, specificity

MAX_CANDIDATES = 300
SURFACE_SAMPLE = 60  # uses of a phrase read to learn how it is written: enough, at any size of week


@dataclass(slots=True)
class Draft:
    """A trend being built: its phrases (with scores) and passages."""

    name: str
    key: str
    configured: bool
    keywords: tuple[str, ...] = ()
    phrases: dict[str, float] = field(default_factory=dict)  # phrase key -> weight
    entries: set[int] = field(default_factory=set)
    assigned: list[int] = field(default_factory=list)

    def articles(self, index: Index) -> set[str]:
        """The articles about this trend (see `Index.is_about`)."""
        seen: Counter[str] = Counter()
        about: set[str] = set()
        for i in self.assigned:
            entry = index.entries[i]
            article = entry.passage.article_id
            seen[article] += 1
            titled = bool(entry.titled & self.phrases.keys()) or entry.passage.kind == "heading"
            # The editor named this trend: one mention is enough to count.
            if self.configured or index.is_about(article, seen[article], titled):
                about.add(article)
        return about


def configured_drafts(index: Index, trends: Sequence[tuple[str, Sequence[str]]]) -> list[Draft]:
    drafts = []
    for name, keywords in trends:
        draft = Draft(name=name, key=trend_key(name), configured=True, keywords=tuple(keywords))
        seqs = {keyword_seq(k, index.aliases): k for k in keywords}
        for i, entry in enumerate(index.entries):
            hits = [seq for seq in seqs if matches(entry, seq)]
            if hits:
                draft.entries.add(i)
                for seq in hits:
                    draft.phrases[seq.strip()] = 1.0
        drafts.append(draft)
    return drafts


def theme_terms(index: Index, weights: dict[str, float], theme: str) -> set[str]:
    """The week's backdrop: the newsletter's own subject and what nearly every passage says.

    Phrases made only of these (and of generic words) are never trends.
    """
    terms = subject_terms(index, theme)
    total = len(index.entries) or 1
    articles = len(index.articles) or 1
    for key, where in index.phrase_entries.items():
        if (
            len(where) / total > weights["theme_share"]
            and len(index.phrase_topics(key)) / articles >= weights["theme_articles"]
        ):
            terms.update(key.split())
            for t in key.split():
                terms.update(index.aliases.get(t, "").split())
    return terms | generic()


def subject_terms(index: Index, theme: str) -> set[str]:
    """The newsletter's own subject ("LLM Trends Weekly"), with its acronyms' expansions, and vague words:
    they tell no story of the week from another and name none. What a week's articles all say is
    kept: when they all tell one story, it is that story's words."""
    terms = set(content_terms(theme)) | {"trend", "week", "weekly", "newslett"}
    for t in list(terms):
        terms.update(index.aliases.get(t, "").split())
    return terms | generic()


def score_phrases(
    index: Index, weights: dict[str, float], exclude: set[str], seen: Mapping[str, int] | None = None
) -> list[tuple[str, float]]:
    """Candidate phrases with their score, best first.

    `seen`: in how many recent issues each phrase was already among the
    week's strongest; an evergreen phrase ("open source" every week) is the
    newsletter's furniture more than this week's trend.
    """
    seen = seen or {}
    min_articles = int(weights["min_articles"]) if len(index.articles) > 2 else 1
    scored = []
    for key, where in index.phrase_entries.items():
        if len(where) < 2 or set(key.split()) <= exclude:
            continue
        articles = index.phrase_topics(key)
        if len(articles) < min_articles:
            continue
        sources = {s for a in articles for s in index.articles[a].sources}
        titled = {index.entries[i].passage.article_id for i in where if key in index.entries[i].titled}
        spread = len(articles) + 0.5 * (len(sources) - 1) + weights["heading_boost"] * len(titled)
        score = spread * phrase_specificity(key) * math.log1p(len(where))
        score /= 1 + weights["evergreen"] * seen.get(key, 0)
        scored.append((key, score))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:MAX_CANDIDATES]


def phrase_specificity(key: str) -> float:
    """Single common words ("improve", "text") hardly ever name a trend; phrases do."""
    parts = key.split()
    if len(parts) == 1:
        return specificity(parts[0]) ** 1.5
    return min(1.0, sum(specificity(p) for p in parts) / len(parts) + 0.3 * (len(parts) - 1))


def assign(index: Index, drafts: list[Draft]) -> None:
    """Give each passage to the one trend it fits best.

    Fit is the strength of the strongest phrase of the trend the passage
    uses (more phrases and a matching section only tip the balance), so a
    passage about "multimodality" that also says "text" goes to the
    multimodality trend. The editor's keywords count as the strongest phrase.
    """
    strongest = max((w for d in drafts if not d.configured for w in d.phrases.values()), default=1.0)
    best: dict[int, tuple[float, int]] = {}
    for d, draft in enumerate(drafts):
        weight = (lambda w: strongest * 1.01) if draft.configured else (lambda w: w)
        for i in draft.entries:
            entry = index.entries[i]
            section = _section_seq(index, i)
            hits = sorted(
                (weight(w) for key, w in draft.phrases.items() if key in entry.phrases or f" {key} " in entry.seq),
                reverse=True,
            )
            fit = (hits[0] + 0.1 * sum(hits[1:4])) if hits else 0.0
            fit += 0.3 * max((weight(w) for key, w in draft.phrases.items() if f" {key} " in section), default=0.0)
            if fit > best.get(i, (0.0, -1))[0]:
                best[i] = (fit, d)
    for draft in drafts:
        draft.assigned = []
    for i, (_, d) in sorted(best.items()):
        drafts[d].assigned.append(i)


def _section_seq(index: Index, i: int) -> str:
    section = index.entries[i].passage.section
    return " " + " ".join(content_terms(section)) + " " if section else ""


def surface(index: Index, key: str, lower: bool = False) -> str:
    """The phrase as most often written (an expansion over its acronym, a noun over a participle)."""
    forms: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    midsentence: dict[str, list[bool]] = {}  # form -> capitalised?, where a sentence does not start
    prose: set[str] = set()  # forms spelled as a sentence has them, not as a Title Case heading
    for i in index.phrase_entries.get(key, ())[:SURFACE_SAMPLE]:
        form = index.entries[i].phrases.get(key)
        if form:
            forms[form.lower()] += 1
            in_prose = index.entries[i].passage.kind != "heading"
            if form.lower() not in spelled or (in_prose and form.lower() not in prose):
                spelled[form.lower()] = _as_written(form, index.entries[i].passage.text)
            if in_prose:
                prose.add(form.lower())
            capitalised = _capitalised_midsentence(form, index.entries[i].passage.text)
            if capitalised is not None:
                midsentence.setdefault(form.lower(), []).append(capitalised)
    if not forms:
        return key
    best = max(forms, key=lambda f: (len(f.split()) > 1, forms[f], not f.endswith("ed"), f))
    text = spelled[best]
    if (text.isupper() and len(text) > 1) or (midsentence.get(best) and all(midsentence[best])):
        return text  # an acronym, or a name: "called Direct Preference Optimization for LLMs"
    # A later word never starts the sentence: capitalised in prose, it is a name ("Ilsa Marnoff").
    words = [
        w if any(c.isupper() for c in w[1:]) or w.isupper() or (n and best in prose and w[:1].isupper()) else w.lower()
        for n, w in enumerate(text.split())
    ]
    if not lower:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _capitalised_midsentence(form: str, text: str) -> bool | None:
    """Whether the phrase is capitalised where it follows a lower-case word (None: no such place)."""
    match = compiled(rf"\b[a-z][\w'’-]*[ \t]+({written(form)})\b", re.IGNORECASE).search(text)
    if not match or not match.group(0)[:1].islower():
        return None
    return all(word[:1].isupper() for word in match.group(1).split() if word.lower() not in _SMALL_WORDS)


_SMALL_WORDS = frozenset({"of", "and", "for", "to", "the", "in", "on", "a", "an"})


# Each phrase's patterns compiled once: re's own cache holds too few for a week's phrases.
compiled = functools.lru_cache(maxsize=8192)(re.compile)


def written(form: str) -> str:
    """A pattern for the phrase as writers spell it: spaces or hyphens between its words."""
    return r"[\s\-]+".join(re.escape(word) for word in form.split())


def _as_written(form: str, text: str) -> str:
    """The phrase with its original hyphens: "retrieval-augmented generation"."""
    match = compiled(written(form)).search(text)
    return match.group(0) if match else form


def trend_key(name: str) -> str:
    return " ".join(sorted(set(content_terms(name))))
