"""A story's name: the noun phrase an editor would put over it as a heading.

Candidates are the story's key phrases (one to three content words, with
"of", "de" and the like between them). The winner is used by most of the
story's articles, mostly within this story rather than across the week,
specific against general English, in the headlines (a name only the body
uses is a detail: a station, a committee), and as long as it can be while
keeping that use ("Tour de France" over "France"). A lone place takes what
happened there when a source writes it so ("Haiti earthquake"). It is
spelled as the sources spell it, an acronym they define stands beside its
expansion, and some kinds are never names: a weekday, month or date, a
number, a bare abbreviation ("U.S"), a lone common word ("Crash",
"Scientists"), a people's adjective ("British"), a clause ("Toll passed"),
and a lone first name or any half of a longer name ("Marnoff" of "Ilsa
Marnoff").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .index import Index
from .text import lower_name, specificity, term, tokens
from .trends import compiled, phrase_specificity, surface, written

POOL = 80  # phrases looked at: the ones most of the story's articles use
LONGER = 0.6  # a longer name holding the best one wins at this share of its score
LONE_SPECIFIC = 0.3  # a one-word name is rarer in English than this: "Chile", "Haiti", never "Group"
TOPIC_SPECIFIC = 0.85  # ... or this rare, and a heading in two articles: "Multimodality", not "Barge"
CHECKED = 20  # of those, the best few get the closer look (spelling, case, company)
CASE_SAMPLE = 200  # passages of the week read to learn how a word is written
_DATES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight weekend "
    "january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CLAUSE_JOINERS = frozenset({"to", "in", "and", "the", "&"})  # "Apache 2.0 to licenses"; "of", "de" make names
_ABBREVIATION_RE = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?\.?$|^[A-Z]{1,2}s?$")
_VERB_AFTER_RE = re.compile(
    r"\b(?:to|can|could|will|would|should|may|might|must|cannot|they|it|he|she|we|who|which|often|also|"
    r"not|n't)\s+([a-z]{3,})\b"
)
_NUMBER_AFTER = r"\s+(?:No\.\s*)?(\d{1,4})\b"
_DEMONYM_RE = re.compile(r"(?:ish|ian|ese|ean)$")
_DEMONYMS = frozenset(
    "chechen thai iraqi israeli pakistani afghan french dutch swiss greek welsh irish kuwaiti saudi yemeni "
    "somali bangladeshi nepali kazakh uzbek".split()
)
# What happens in the news: a place's story is its name with one of these ("Haiti earthquake").
_EVENTS = frozenset(
    term(word)
    for word in (
        "earthquake quake aftershock tsunami flood floods drought wildfire fire storm hurricane typhoon cyclone "
        "eruption landslide avalanche heatwave outbreak epidemic pandemic crash derailment collision explosion "
        "blast collapse shipwreck bombing bombings attack attacks shooting siege hijacking kidnapping riot riots "
        "protest protests strike strikes walkout lockout election elections runoff referendum vote recount "
        "coup war ceasefire invasion summit talks treaty trial verdict inquiry scandal resignation merger "
        "takeover acquisition bankruptcy recall launch landing championship final tournament olympics"
    ).split()
)
_POSSESSIVE_RE = re.compile(r"['’]s$")
_IRREGULAR_PAST = frozenset(
    "told said won made took gave came went found left held began saw knew got brought thought "
    "bought sought caught fought taught wrote spoke broke chose drove rose fell ran sent spent built".split()
)
_NOT_PAST = frozenset({"hundred", "indeed", "speed", "breed", "greed", "creed", "bleed", "proceed", "exceed"})


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
    spread: dict[str, int] = {}  # a name as it will read -> the story's articles using it
    events: list[str] = []  # common words most of the story's articles use, strongest first
    for score, key, why in rough[:CHECKED]:
        name = surface(index, key)
        texts = [index.entries[i].passage.text for i in prose if key in index.entries[i].phrases]
        name, verdict, bonus = _judge(index, key, name, texts, verbs, len(titled[key]) >= 2)
        if not verdict and set(key.split()) <= backdrop:
            verdict = "the subject of the whole issue"
        if verdict:
            if verdict == "a lone common word" and len(used[key]) * 2 >= n and key in _EVENTS:
                events.append(name)  # "Earthquake": what happened, if not a name alone
            candidates.append(NameCandidate(name, 0.0, f"never a name: {verdict}"))
        elif name.lower() in taken:
            candidates.append(NameCandidate(name, 0.0, "an earlier trend has this name"))
        else:
            spread[name] = len(used[key])
            proper = bonus > 1
            if proper and not titled[key]:
                bonus = 1.0  # a name no headline uses is a detail of the story: a station, a committee
            candidates.append(
                NameCandidate(name, round(score * bonus, 4), why + (", a proper name" if proper else ""), proper)
            )
    candidates.sort(key=lambda c: -c.score)  # stable: ties, and the refused, in order of promise
    texts = [index.entries[i].passage.text for i in entries]
    return _with_event(_longer_first(_whole_names(candidates, spread)), events, texts)


def _with_event(candidates: list[NameCandidate], events: list[str], texts: list[str]) -> list[NameCandidate]:
    """A lone place or name with what happened there, as the sources write it: "Haiti earthquake",
    "Veloria earthquake"; "Chile" stays Chile where no source writes "Chile earthquake"."""
    if not candidates or candidates[0].score <= 0 or " " in candidates[0].name or not candidates[0].proper:
        return candidates
    best = candidates[0]
    for event in events:
        pattern = compiled(rf"(?<![\w-]){re.escape(best.name)}[ \t]+((?i:{written(event)}))\b")
        match = next((m for m in map(pattern.search, texts) if m), None)
        if match and match.group(1)[:1].islower():
            name = f"{best.name} {match.group(1)}"
            why = best.why + f", with what most of its articles report: {match.group(1)!r}"
            return [NameCandidate(name, best.score, why, True), *candidates[1:]]
    return candidates


def _whole_names(candidates: list[NameCandidate], spread: Mapping[str, int]) -> list[NameCandidate]:
    """A lone proper word inside a longer proper name nearly as widely used is that name's half:
    "Marnoff" of "Ilsa Marnoff" names no story, where "Haiti" (in no longer name) does."""
    proper = [c.name for c in candidates if c.proper and c.score > 0 and " " in c.name]
    out = []
    for c in candidates:
        whole = next(
            (
                longer
                for longer in proper
                if c.proper
                and " " not in c.name
                and c.name.lower() in longer.lower().split()
                and spread[longer] >= LONGER * spread[c.name]
            ),
            None,
        )
        out.append(NameCandidate(c.name, 0.0, f"never a name: part of a longer name, {whole!r}") if whole else c)
    return sorted(out, key=lambda c: -c.score)  # stable: ties, and the refused, in order of promise


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
            # not "Frigate HMS Cornwall" for "HMS Cornwall"; "Haiti earthquake" for "Haiti"
            and (candidate.proper or not best.proper or candidate.name.lower().startswith(best.name.lower() + " "))
        ):
            name = candidate.name
            if name.lower().startswith(best.name.lower() + " "):
                name = best.name + name[len(best.name) :]  # "Abu Ghraib case", as the name is written
            winner = NameCandidate(
                name,
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
    if all(not c.isalpha() for c in name):
        return name, "a number, not a name", 1.0
    if any(w.lower().strip(".,") in _DATES for w in words):
        return name, "a weekday, month or date", 1.0
    if any(w.lower() in _CLAUSE_JOINERS for w in words):
        return name, "two things joined, not one name", 1.0
    if len(words) == 1 and _ABBREVIATION_RE.match(name):
        return name, "a bare abbreviation", 1.0
    if len(words) == 1:  # a lone word is a name only if the whole week writes it so: "Iran", never "Aid"
        texts = _week_texts(index, key)
    capitalised, lower, followed, written_form = _case(name, texts)
    # "struck Chile" and "frigate HMS Cornwall" hold a name, but are none
    proper = capitalised > 0 and capitalised >= 4 * lower and not written_form[:1].islower()
    if proper:
        name = written_form  # "Kessling Chess Championship", "Ilsa Marnoff", however a headline wrote it
    else:
        name = _names_kept(index, name)
    name = _POSSESSIVE_RE.sub("", name)  # "India's" names India
    words = name.split()
    if (
        len(words) > 1
        and not proper
        and (
            any(term(w) in verbs for w in tokens(name)[:-1])
            or any(w.lower().endswith("ly") for w in words)  # "Previously won"
            or _past_tense(words[-1])  # "Toll passed", "Ms Hewitt told"
        )
    ):
        return name, "a clause, not a noun phrase", 1.0
    name = _tool_case(index, name)  # "uv 0.6", "cargo-deny": as their sources write them
    words = name.split()
    tool = name[:1].islower()
    if len(words) == 1 and not tool:
        # A compound is rarer than its parts: "Retrieval-augmented" (0.71 and 0.79) is 0.94.
        rare = 1 - math.prod(1 - specificity(term(t)) for t in tokens(name))
        # A rare word that writers put in their headings is a topic: "Multimodality", "Quantization".
        topic = headed and rare >= TOPIC_SPECIFIC
        if (not proper and not name.isupper() and not topic) or rare < LONE_SPECIFIC:
            return name, "a lone common word", 1.0  # "Crash", and "Group" however it is written
        if _DEMONYM_RE.search(name) or name.lower() in _DEMONYMS:
            return name, "a people's adjective, not a name", 1.0  # "British", "Haitian", "Chechen"
        if followed * 2 > capitalised + lower:
            return name, "part of a longer name (a first name, or half of one)", 1.0
    name = _with_acronym(index, key, name, texts)
    name = _with_number(name, texts)
    return name, "", 1.3 if proper else 1.0


def _tool_case(index: Index, name: str) -> str:
    """The name with its first word in lower case where that word is a tool's name its sources
    always write so ("uv", "cargo-deny"); a heading's capital would misspell it."""
    first, _, rest = name.partition(" ")
    if not first[:1].isupper() or first[1:] != first[1:].lower():
        return name
    word = first.lower()
    texts = _week_texts(index, " ".join(term(t) for t in tokens(word)))  # "cargo-deny" is "cargo deni"
    if not texts or not lower_name(word, texts):
        return name
    return f"{word} {rest}".rstrip()


def _names_kept(index: Index, name: str) -> str:
    """A phrase with the names in it capitalised as the week writes them: "Earthquake hits Chile"."""
    words = name.split()
    for n, word in enumerate(words[1:], 1):
        if word[:1].islower():
            texts = _week_texts(index, term(word))
            capitalised, lower, _, form = _case(word, texts)
            if capitalised and capitalised >= 4 * lower:
                words[n] = form
    return " ".join(words)


def _week_texts(index: Index, key: str) -> list[str]:
    """Passages of the week that use a phrase: a sample, as many as show how it is written."""
    return [index.entries[i].passage.text for i in index.phrase_entries.get(key, ())[:CASE_SAMPLE]]


def _past_tense(word: str) -> bool:
    """A verb in the past, as a clause ends: "passed", "told", never "speed" or "hundred"."""
    word = word.lower()
    return word in _IRREGULAR_PAST or (len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST)


def _case(name: str, texts: list[str]) -> tuple[int, int, int, str]:
    """Within sentences: how often the phrase is capitalised, how often not, how often a capitalised
    word follows it (then it is part of a longer name), and how it is written when capitalised.

    A one-word phrase counts only after a lower-case word, where a sentence's start can't
    capitalise it; a longer one counts anywhere, judged by its later words ("Ilsa Marnoff won").
    """
    several = len(name.split()) > 1
    # Case-blind for the phrase only: the word after counts only if it is capitalised
    # ("Shahzad Tanweer", never "Haiti and").
    before = r"(?<![\w'’-])" if several else r"(?<=[a-z,;] )"
    pattern = compiled(rf"{before}((?i:{written(name)}))\b(\s+[A-Z][a-z])?")
    capitalised = lower = followed = 0
    form = name
    for text in texts:
        for match in pattern.finditer(text):
            said = match.group(1).split()[1:] if several else match.group(1).split()
            significant = [w for w in said if len(w) > 3] or said
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
        if expansion != key or acronym.lower() in term(name).lower().split() or name.isupper():
            continue  # "USGS", never "USGS (USGS)"
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
