"""What the summarizer knows about each passage, computed once per week.

For every passage: its term sequence (for keyword matching), its key phrases
(1-3 word n-grams that start and end on a content word), a tf-idf vector, and
the surface features the bullet scorer reads. Acronyms defined anywhere in the
week ("Small Language Models (SLMs)") are folded into their expansion, so the
two spellings count as one phrase.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Article, Passage
from .text import is_acronym, is_stopword, specificity, split_label, term, tokens

MAX_PHRASE = 3
# Punctuation that ends a phrase: "LLMs, SLMs" is not the phrase "LLMs SLMs".
_CHUNK_RE = re.compile(r"[,;:()\[\]{}\"“”!?|/—–]|\.(?:\s|$)|\s-\s")
_DEFINITION_RE = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,7}?[A-Za-z][\w'-]*)\s*\(\s*([A-Z][A-Za-z0-9]{1,7})\s*\)")
_JOINERS = frozenset({"of", "and", "for", "to", "the", "in", "&"})


@dataclass(slots=True)
class Entry:
    """One passage and what the summarizer computed about it."""

    passage: Passage
    seq: str  # " term term ... " for phrase matching
    phrases: dict[str, str]  # phrase key -> surface form as written
    vector: dict[str, float] = field(default_factory=dict)
    norm: float = 1.0
    words: int = 0
    lead: bool = False  # first passage of its paragraph or list item
    rank: int = 0  # how many passages (not headings) of its article come before
    titled: set[str] = field(default_factory=set)  # phrases used as a heading or an item's label


@dataclass(slots=True)
class Index:
    """The week's passages, phrases and statistics."""

    entries: list[Entry]
    articles: dict[str, Article]
    aliases: dict[str, str]  # acronym term -> expansion phrase key
    phrase_entries: dict[str, list[int]]  # phrase key -> entry indexes
    idf: dict[str, float]
    sizes: dict[str, int] = field(default_factory=dict)  # article id -> passages (headings out)
    articles_of: dict[str, frozenset[str]] = field(default_factory=dict)  # phrase key -> articles, once asked

    def phrase_articles(self, key: str) -> frozenset[str]:
        found = self.articles_of.get(key)
        if found is None:  # asked again by every story that uses the phrase
            found = self.articles_of[key] = frozenset(
                self.entries[i].passage.article_id for i in self.phrase_entries.get(key, ())
            )
        return found

    def phrase_topics(self, key: str) -> set[str]:
        """Articles that are about a phrase: they use it twice, or in a title or heading.

        One passing mention ("firms", "Olympic") does not make an article
        part of a trend; a title, a heading or a second passage does.
        """
        seen: Counter[str] = Counter()
        about: set[str] = set()
        for i in self.phrase_entries.get(key, ()):
            entry = self.entries[i]
            article = entry.passage.article_id
            seen[article] += 1
            if self.is_about(article, seen[article], key in entry.titled):
                about.add(article)
        return about

    def is_about(self, article: str, mentions: int, titled: bool) -> bool:
        """Two mentions, a title or heading, or a quarter of a short article's passages."""
        return titled or mentions >= 2 or mentions * 4 >= self.sizes.get(article, 0)


def build_index(articles: Sequence[Article], passages: Sequence[Passage]) -> Index:
    chunked = [chunks(passage.text) for passage in passages]
    aliases = find_acronyms([passage.text for passage in passages], chunked)
    entries = [_entry(passage, words, aliases) for passage, words in zip(passages, chunked, strict=True)]
    ranks: Counter[str] = Counter()
    for before, entry in zip([None, *passages], entries, strict=False):
        entry.lead = (
            before is None or before.article_id != entry.passage.article_id or before.block != entry.passage.block
        )
        entry.rank = ranks[entry.passage.article_id]
        if entry.passage.kind != "heading":
            ranks[entry.passage.article_id] += 1
    phrase_entries: dict[str, list[int]] = defaultdict(list)
    df: Counter[str] = Counter()
    for i, entry in enumerate(entries):
        for key in entry.phrases:
            phrase_entries[key].append(i)
        df.update({t for t in entry.vector})
    n = max(1, len(entries))
    idf = {t: math.log((n + 1) / (count + 0.5)) * (0.5 + 0.5 * specificity(t)) for t, count in df.items()}
    for entry in entries:
        for t in entry.vector:
            entry.vector[t] *= idf[t]
        entry.norm = math.sqrt(sum(v * v for v in entry.vector.values())) or 1.0
    return Index(
        entries=entries,
        articles={a.id: a for a in articles},
        aliases=aliases,
        phrase_entries=dict(phrase_entries),
        idf=idf,
        sizes=dict(ranks),
    )


def chunks(text: str) -> list[list[str]]:
    """The words of a passage, in runs that punctuation does not break."""
    return [words for part in _CHUNK_RE.split(text) if (words := tokens(part))]


def find_acronyms(texts: list[str], chunked: list[list[list[str]]]) -> dict[str, str]:
    """Acronym term -> expansion phrase key.

    From definitions like "Foo Bar (FB)" first; an acronym never defined takes
    the one phrase of the week whose initials spell it ("RAG" and
    "retrieval-augmented generation" in different articles).
    """
    aliases = _defined_acronyms(texts)
    used = {w for passage in chunked for words in passage for w in words if _word(w)[3]}
    # Three letters at least ("UK's" is UK): two letters spell too many phrases ("users' keystrokes").
    used = {t for t in (term(w) for w in used) if len(t) >= 3} - aliases.keys()
    if not used:
        return aliases
    firsts = {acronym[0] for acronym in used}
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for passage in chunked:
        for chunk in passage:
            words = [w for w in chunk if not _word(w)[2]]
            for start, first in enumerate(words):
                if first[0].upper() not in firsts:
                    continue
                for size in (2, 3, 4):
                    run = words[start : start + size]
                    initials = "".join(w[0] for w in run).upper()
                    if (
                        len(run) == size
                        and initials in used
                        and not any(_word(w)[1] or _word(w)[3] or len(w) < 3 for w in run)
                    ):
                        spelled[initials][" ".join(term(w) for w in run)] += 1
    for acronym, phrases in spelled.items():
        (phrase, count), *rest = phrases.most_common(2) + [("", 0)]
        if count >= 1 and rest[0][1] < count:
            aliases[acronym] = phrase
    return aliases


def _defined_acronyms(texts: list[str]) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for text in texts:
        if "(" not in text:
            continue
        for match in _DEFINITION_RE.finditer(text):
            acronym = match.group(2)
            letters = re.sub(r"s$", "", acronym) if len(acronym) > 2 else acronym
            if not is_acronym(acronym) and not re.fullmatch(r"[A-Z][A-Za-z]{1,6}", acronym):
                continue
            expansion = _expansion(match.group(1).split(), letters)
            if expansion:
                aliases.setdefault(term(acronym), " ".join(term(w) for w in expansion))
    return aliases


def _expansion(words: list[str], letters: str) -> list[str] | None:
    """The trailing words whose initials spell the acronym (joiners allowed)."""
    parts: list[str] = []
    for word in words:
        parts.extend(p for p in word.split("-") if p)
    want = letters.lower()
    taken: list[str] = []
    i = len(want) - 1
    for word in reversed(parts):
        if i < 0:
            break
        if word.lower() in _JOINERS and taken:
            taken.append(word)
            continue
        if word[0].lower() != want[i]:
            return None
        taken.append(word)
        i -= 1
    if i >= 0:
        return None
    taken.reverse()
    while taken and taken[0].lower() in _JOINERS:
        taken.pop(0)
    return [w for w in taken if w.lower() not in _JOINERS]


def _entry(passage: Passage, chunked: list[list[str]], aliases: dict[str, str]) -> Entry:
    phrases: dict[str, str] = {}
    seq_terms: list[str] = []
    vector: Counter[str] = Counter()
    count = 0
    for words in chunked:
        count += len(words)
        infos = [_word(w) for w in words]
        for w, (t, stop, _, acronym) in zip(words, infos, strict=True):
            if stop:
                continue
            vector[t] += 1
            alias = aliases.get(t) if acronym else None
            if alias:
                if alias not in phrases:
                    phrases[alias] = w
                seq_terms.append(alias)
        seq_terms.extend(info[0] for info in infos)
        seq_terms.append("|")
        _ngrams(words, infos, phrases)
    titled: set[str] = set()
    if passage.kind == "heading":
        titled = set(phrases)
    elif (label := split_label(passage.text)) and len(label[0].split()) <= 8:
        label_phrases: dict[str, str] = {}
        for words in chunks(label[0]):
            _ngrams(words, [_word(w) for w in words], label_phrases)
        titled = set(label_phrases) & phrases.keys()
    return Entry(
        passage=passage,
        seq=" " + " ".join(seq_terms) + " ",
        phrases=phrases,
        vector=dict(vector),
        words=count,
        titled=titled,
    )


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, bool, bool, bool]:
    """(term, is a stopword, is a joiner, is an acronym) of one word, computed once."""
    stop = len(word) < 2 or is_stopword(word) or word.isdigit()
    return term(word), stop, word.lower() in _JOINERS, is_acronym(word)


def _ngrams(words: list[str], infos: list[tuple[str, bool, bool, bool]], phrases: dict[str, str]) -> None:
    """Phrases of 1-3 content words; joiners ("of", "and") may stand between them."""
    n = len(words)
    for start in range(n):
        if infos[start][1]:
            continue
        key = ""
        content = 0
        for end in range(start, n):
            t, stop, joiner, _ = infos[end]
            if stop:
                if not joiner:
                    break
                continue
            content += 1
            if content > MAX_PHRASE:
                break
            key = f"{key} {t}" if key else t
            if key not in phrases:
                phrases[key] = " ".join(words[start : end + 1])


def matches(entry: Entry, keyword_seq: str) -> bool:
    """Whether a keyword's term sequence (" t1 t2 ") occurs in the passage."""
    return keyword_seq in entry.seq


def keyword_seq(keyword: str, aliases: dict[str, str]) -> str:
    terms = [term(w) for w in tokens(keyword)]
    if len(terms) == 1 and is_acronym(tokens(keyword)[0]) and terms[0] in aliases:
        return f" {aliases[terms[0]]} "
    return " " + " ".join(terms) + " "


def cosine(a: Entry, b: Entry) -> float:
    if len(a.vector) > len(b.vector):
        a, b = b, a
    dot = sum(v * b.vector.get(t, 0.0) for t, v in a.vector.items())
    return dot / (a.norm * b.norm)
