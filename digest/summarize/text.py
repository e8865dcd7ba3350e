"""Words, sentences and terms: the language layer the summarizer stands on.

Terms are what get compared: a word's Snowball stem, with British spellings
folded into American ones, hyphenated words split into their parts, and
acronyms kept apart from ordinary words ("SLMs" -> "slm", "US" is not "us").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:[.\-][A-Za-z0-9][A-Za-z0-9'’]*)*")
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}(?:s|'s|’s)?$")
NUMBER_RE = re.compile(r"\d")
FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)*")  # a figure as written: "38", "4.2", "120,000"

# Sentence ends: ., ! or ? with any closing quotes/brackets, before a space and
# an opening capital, digit or quote. Abbreviations are repaired afterwards.
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc al fig figs no nos vol inc ltd co corp dept est approx "
    "jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k a.m p.m ph.d gov gen col sen rep".split()
)

STOPWORDS = frozenset(
    """
a about above after again against all almost along already also although always am among an and another any
anyone anything are aren't around as at away back be became because become becomes been before being below
beside besides between beyond both but by can cannot can't could couldn't did didn't do does doesn't doing don't
done down during each either else enough even ever every everyone everything few for from further get gets getting
give given go goes going gone got had hadn't has hasn't have haven't having he he'd he'll her here here's hers
herself he's him himself his how however i i'd if i'll i'm in into is isn't it its it's itself i've just least
less let let's like likely made make makes making many may maybe me might more most mostly much must my myself
near nearly need needs neither never new next no nobody none nor not nothing now of off often on once one only onto
or other others otherwise our ours ourselves out over own per perhaps put quite rather really same see seem seems
several shall she she'd she'll she's should shouldn't since so some someone something sometimes still such than
that that's the their theirs them themselves then there thereby therefore there's these they they'd they'll
they're they've thing things this those though through thus to together too toward towards under unless until up
upon us use used uses using very via was wasn't way ways we we'd well we'll were we're weren't we've what what's
whatever when where whether which while who whoever whole whom whose why will with within without won't would
wouldn't yet you you'd you'll your you're yours yourself yourselves you've able across actually ago ahead
basically certainly clearly currently especially essentially etc first fully generally greatly highly indeed
instead largely lot lots mainly merely moreover namely new particularly possibly probably rapidly recently
significantly simply specifically truly typically usually various via whereas widely yes
""".split()
)

# British spellings fold into American ones before stemming ("optimisation" is "optimization"),
# for the words listed only: a suffix rule alone would turn "rise" into "rize".
_SUFFIXES = (
    ("isations", "izations"),
    ("isation", "ization"),
    ("ising", "izing"),
    ("ises", "izes"),
    ("ised", "ized"),
    ("ise", "ize"),
    ("ysed", "yzed"),
    ("yse", "yze"),
    ("ours", "ors"),
    ("our", "or"),
    ("elling", "eling"),
    ("elled", "eled"),
    ("tre", "ter"),
    ("logue", "log"),
)
_BRITISH_SAFE = frozenset(
    {
        "optimise",
        "optimised",
        "optimises",
        "optimising",
        "optimisation",
        "optimisations",
        "organise",
        "organised",
        "organisation",
        "organisations",
        "recognise",
        "recognised",
        "realise",
        "realised",
        "summarise",
        "summarised",
        "summarisation",
        "prioritise",
        "personalise",
        "personalised",
        "personalisation",
        "specialise",
        "specialised",
        "standardise",
        "standardised",
        "utilise",
        "utilised",
        "utilisation",
        "minimise",
        "maximise",
        "analyse",
        "analysed",
        "behaviour",
        "behaviours",
        "colour",
        "favour",
        "labour",
        "neighbour",
        "centre",
        "modelling",
        "modelled",
        "catalogue",
    }
)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations, initials and decimals whole."""
    text = text.strip()
    parts, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        parts.append(text[start : match.end()])
        start = match.end()
    parts.append(text[start:])
    sentences: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(None, 1)[-1].rstrip(".").lower()
    if last in _ABBREVIATIONS:
        return True
    # An initial ("J. Smith") or a lone capital before the dot.
    return len(last) == 1 and last.isalpha()


# "Quantization: reducing the precision ..." - a bold-lead list item, its label read like a heading.
_LABEL_RE = re.compile(r"^([^:.!?]{2,60}):\s+(\S.*)$", re.DOTALL)


def split_label(text: str) -> tuple[str, str] | None:
    """(label, rest) of a passage that opens with "Label: ...", else None."""
    match = _LABEL_RE.match(text)
    return (match.group(1), match.group(2)) if match else None


def words(text: str) -> list[str]:
    """The words of a text, as written (numbers, "GPT-4o", "don't" included)."""
    return WORD_RE.findall(text)


def is_acronym(word: str) -> bool:
    return bool(ACRONYM_RE.match(word)) and any(c.isalpha() for c in word)


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """The comparable form of one word (no hyphens: split those first)."""
    if is_acronym(word):
        # Upper case keeps "US" apart from "us"; the plural goes: "SLMs" is "SLM".
        return re.sub(r"(?:'s|’s|s)$", "", word) if len(word) > 2 else word
    lower = word.lower().replace("’", "'")
    if lower.endswith("'s"):
        lower = lower[:-2]
    if lower in _BRITISH_SAFE:
        lower = _americanize(lower)
    return _STEMMER.stemWord(lower)


def _americanize(word: str) -> str:
    for british, american in _SUFFIXES:
        if word.endswith(british):
            return word[: -len(british)] + american
    return word


def tokens(text: str) -> list[str]:
    """Words split at hyphens, so "fine-tuning" and "fine tuning" read the same."""
    result: list[str] = []
    for word in WORD_RE.findall(text):
        if "-" in word and not NUMBER_RE.search(word):
            result.extend(part for part in word.split("-") if part)
        else:
            result.append(word)
    return result


def is_stopword(word: str) -> bool:
    return word.lower().replace("’", "'") in STOPWORDS


def content_terms(text: str) -> list[str]:
    """Terms of the words that carry meaning (stopwords and 1-letter words out)."""
    return [term(w) for w in tokens(text) if len(w) > 1 and not is_stopword(w)]


@lru_cache(maxsize=1)
def background() -> dict[str, float]:
    """General-English word frequencies (Zipf scale), keyed by term."""
    table: dict[str, float] = {}
    data = resources.files("digest.summarize").joinpath("data/background-en.tsv").read_text("utf-8")
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        word, zipf = line.split("\t")
        key = term(word)
        table[key] = max(table.get(key, 0.0), float(zipf))
    return table


@lru_cache(maxsize=1)
def generic() -> frozenset[str]:
    """Terms of words too vague to name a trend alone ("improve", "future")."""
    data = resources.files("digest.summarize").joinpath("data/generic-en.txt").read_text("utf-8")
    words = [w for line in data.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(term(w) for w in words)


def specificity(key: str) -> float:
    """How specific a term is against general English: 1 rare ... ~0 common."""
    zipf = background().get(key)
    if zipf is None:
        return 1.0
    return min(1.0, max(0.05, (6.2 - zipf) / 3.4))


def lower_name(word: str, texts: Iterable[str]) -> bool:
    """A tool's name written in lower case: never capitalised by the sources, and not an everyday
    word, spelled like code ("cargo-deny", "llama.cpp"), or written in lower case where a sentence
    starts ("uv python install ..."; after a colon, "labs now publish" is only English)."""
    texts = list(texts)
    capitalised = re.compile(rf"(?<![\w-]){re.escape(word[:1].upper() + word[1:])}(?![\w-])")
    if any(capitalised.search(text) for text in texts):
        return False
    if re.search(r"[-._\d]", word) or term(word) not in background():
        return True
    starts = re.compile(rf"(?:^|[.!?]\s+){re.escape(word)}(?![\w-])")
    return any(starts.search(text) for text in texts)
