"""A story's name: the noun phrase an editor would put over it as a heading.

Candidates are the story's key phrases (one to three content words, with
"of", "de" and the like between them). The winner is used by most of the
story's articles, mostly within this story rather than across the week,
specific against general English, and as long as it can be while keeping
that use ("Tour de France" over "France"). It is spelled as the sources spell
it, an acronym they define stands beside its expansion, and some kinds are
never names: a weekday, month or date, a bare abbreviation ("U.S"), a lone
common word ("Crash", "Scientists") and a lone first name ("Shahzad" of
"Shahzad Tanweer"), a fragment of a longer name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .index import Index
from .text import specificity, term, tokens
from .trends import phrase_specificity, surface, written

POOL = 80  # phrases looked at: the ones most of the story's articles use
LONGER = 0.6  # a longer name holding the best one wins at this share of its score
LONE_SPECIFIC = 0.3  # a one-word name is rarer in English than this: "Chile", "Haiti", never "Group"
TOPIC_SPECIFIC = 0.75  # ... or this rare, and a heading in two articles: "Multimodality", not "Crash"
CHECKED = 20  # of those, the best few get the closer look (spelling, case, company)
_DATES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight weekend "
    "morning afternoon evening night january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CLAUSE_JOINERS = frozenset({"to", "in", "and", "the", "&"})  # "Apache 2.0 to licenses"; "of", "de" make names
_ABBREVIATION_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?\.?$|^[A-Z]{1,2}s?$")
_VERB_AFTER_RE = re.compile(
    r"\b(?:to|can|could|will|would|should|may|might|must|cannot|they|it|he|she|we|who|which|often|also|"
    r"not|n't)\s+([a-z]{3,})\b"
)
_NUMBER_AFTER = r"\s+(?:No\.\s*)?(\d{1,4})\b"


@dataclass(frozen=True, slots=True)
class NameCandidate:
    """One possible name, its score, and why it scored so (or why it can never be a name)."""

    name: str
    score: float
    why: str
    proper: bool = False  # capitalised within sentences: a name of a person, place, event or thing


def name_story(
    index: Index,
    entries: Sequence[int],
    taken: frozenset[str] | set[str] = frozenset(),
    seen: Mapping[str, int] | None = None,
    evergreen: float = 0.25,
    backdrop: set[str] | frozenset[str] = frozenset(),
) -> list[NameCandidate]:
    """The story's candidate names, best first; the first with a score above 0 is the name.

    `taken`: names (lower case) of the trends before, which a story may not repeat;
    `backdrop`: terms of the newsletter's subject, which name no story in it;
    `seen`: in how many recent issues each phrase was strong: "open source" every
    week names this week's story less well than what is new in it.
    """
    seen = seen or {}
    used: dict[str, set[str]] = defaultdict(set)
    titled: dict[str, set[str]] = defaultdict(set)
    articles = {index.entries[i].passage.article_id for i in entries}
    for i in entries:
        entry = index.entries[i]
        for key in entry.phrases:
            used[key].add(entry.passage.article_id)
            if key in entry.titled or entry.passage.kind == "heading":
                titled[key].add(entry.passage.article_id)
    n = len(articles)
    least = 2 if n >= 2 else 1
    pool = sorted((k for k in used if len(used[k]) >= least), key=lambda k: (-len(used[k]), k))[:POOL]
    rough = []
    for key in pool:
        share = len(used[key]) / n
        week = len(index.phrase_articles(key)) or 1
        own = len(used[key]) / week
        size = len(key.split())
        # Headlines weigh most: an editor's heading echoes them. Specificity weighs less than in
        # discovery, so "Chile" (a common word in English text) can still name the Chile story.
        specific = phrase_specificity(key) ** 0.5
        score = share * own * specific * (1 + 0.35 * (size - 1)) * (1 + len(titled[key]) / n)
        score /= 1 + evergreen * seen.get(key, 0)
        why = (
            f"in {len(used[key])} of {n} articles, {own:.0%} of its week's use here, "
            f"specific {specific:.2f}, in {len(titled[key])} headlines or headings"
        )
        rough.append((score, key, why))
    rough.sort(key=lambda r: (-r[0], r[1]))
    prose = [i for i in entries if index.entries[i].passage.kind != "heading"]
    verbs = verbish([index.entries[i].passage.text for i in prose])
    candidates = []
    for score, key, why in rough[:CHECKED]:
        name = surface(index, key)
        texts = [index.entries[i].passage.text for i in prose if key in index.entries[i].phrases]
        name, verdict, bonus = _judge(index, key, name, texts, verbs, len(titled[key]) >= 2)
        if not verdict and set(key.split()) <= backdrop:
            verdict = "the subject of the whole issue"
        if verdict:
            candidates.append(NameCandidate(name, 0.0, f"never a name: {verdict}"))
        elif name.lower() in taken:
            candidates.append(NameCandidate(name, 0.0, "an earlier trend has this name"))
        else:
            candidates.append(
                NameCandidate(name, round(score * bonus, 4), why + (", a proper name" if bonus > 1 else ""), bonus > 1)
            )
    candidates.sort(key=lambda c: (-c.score, c.name))
    return _longer_first(candidates)


def _longer_first(candidates: list[NameCandidate]) -> list[NameCandidate]:
    """A longer name holding the best one, nearly as strong, goes first: "Kessling Chess Championship"
    over "Kessling Chess", "Direct Preference Optimization" over "Preference Optimization"."""
    if not candidates or candidates[0].score <= 0:
        return candidates
    best = candidates[0]
    held = set(best.name.lower().split())
    for candidate in candidates[1:]:
        words = set(candidate.name.lower().split())
        if (
            held < words
            and len(words) <= 4
            and candidate.score >= LONGER * best.score
            and (candidate.proper or not best.proper)
        ):  # not "Frigate HMS Cornwall" for "HMS Cornwall"
            winner = NameCandidate(
                candidate.name,
                candidate.score,
                candidate.why + f", and holds {best.name!r}, which scores more",
                candidate.proper,
            )
            return [winner] + [c for c in candidates if c is not candidate]
    return candidates


def verbish(texts: Sequence[str]) -> frozenset[str]:
    """Terms the texts use as verbs: after "to", a modal or a subject pronoun ("to grade", "they prefer").

    No tagger (that would be a model to download): a heading is a noun phrase, and a
    phrase that starts with a verb ("Grades answers", "Judges prefer longer") is a clause.
    """
    return frozenset(term(m.group(1)) for text in texts for m in _VERB_AFTER_RE.finditer(text))


def _judge(
    index: Index, key: str, name: str, texts: list[str], verbs: frozenset[str] = frozenset(), headed: bool = False
) -> tuple[str, str, float]:
    """(name as it will read, why it can never be a name or '', bonus for a proper name).

    `headed`: two or more articles use the phrase as a heading or an item's label.
    """
    words = name.split()
    if any(w.lower().strip(".,") in _DATES for w in words) or all(not c.isalpha() for c in name):
        return name, "a weekday, month or date", 1.0
    if any(w.lower() in _CLAUSE_JOINERS for w in words):
        return name, "two things joined, not one name", 1.0
    if len(words) == 1 and _ABBREVIATION_RE.match(name):
        return name, "a bare abbreviation", 1.0
    capitalised, lower, followed, written_form = _case(name, texts)
    proper = capitalised > 0 and capitalised >= 4 * lower
    if proper:
        name = written_form  # "Kessling Chess Championship", "Ilsa Marnoff", however a headline wrote it
    words = name.split()
    if (
        len(words) > 1
        and not proper
        and (any(term(w) in verbs for w in tokens(name)[:-1]) or words[-1].lower().endswith("ly"))
    ):
        return name, "a clause, not a noun phrase", 1.0
    if len(words) == 1:
        rare = specificity(term(name))
        # A rare word that writers put in their headings is a topic: "Multimodality", "Quantization".
        topic = headed and rare >= TOPIC_SPECIFIC
        if (not proper and not name.isupper() and not topic) or rare < LONE_SPECIFIC:
            return name, "a lone common word", 1.0  # "Crash", and "Group" however it is written
        if followed * 2 > capitalised + lower:
            return name, "part of a longer name (a first name, or half of one)", 1.0
    name = _with_acronym(index, key, name, texts)
    name = _with_number(name, texts)
    return name, "", 1.3 if proper else 1.0


def _case(name: str, texts: list[str]) -> tuple[int, int, int, str]:
    """Within sentences: how often the phrase is capitalised, how often not, how often a capitalised
    word follows it (then it is part of a longer name), and how it is written when capitalised."""
    pattern = re.compile(rf"(?<=[a-z,;] )({written(name)})\b(\s+[A-Z][a-z])?", re.IGNORECASE)
    capitalised = lower = followed = 0
    form = name
    for text in texts:
        for match in pattern.finditer(text):
            significant = [w for w in match.group(1).split() if len(w) > 3] or match.group(1).split()
            if all(w[:1].isupper() for w in significant):
                if not capitalised:
                    form = match.group(1)
                capitalised += 1
            else:
                lower += 1
            followed += bool(match.group(2))
    return capitalised, lower, followed, form


def _with_acronym(index: Index, key: str, name: str, texts: list[str]) -> str:
    """ "Direct Preference Optimization (DPO)" where the sources define the acronym."""
    for acronym, expansion in index.aliases.items():
        if expansion != key:
            continue
        for text in texts:
            match = re.search(rf"\(\s*({re.escape(acronym)}s?)\s*\)", text)
            if match:
                return f"{name} ({match.group(1)})"  # as written: "Small language models (SLMs)"
    return name


def _with_number(name: str, texts: list[str]) -> str:
    """ "EgyptAir Flight 990": a name that its sources always write with its number (not a year)."""
    if not name[-1:].isalpha() or not name.split()[-1][:1].isupper():
        return name
    numbers = [m.group(1) for t in texts for m in re.finditer(written(name) + _NUMBER_AFTER, t)]
    mentions = sum(len(re.findall(written(name), t)) for t in texts)
    if (
        numbers
        and len(set(numbers)) == 1
        and len(numbers) * 2 > mentions
        and not re.fullmatch(r"(?:19|20)\d\d", numbers[0])
    ):
        return f"{name} {numbers[0]}"
    return name
