"""From stories to trends: what each story is about, and which stories the editor's trends already tell."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .index import Index
from .stories import Story
from .trends import Draft, phrase_specificity

STORY_PHRASES = 20  # phrases that say what a story is about: bullets use one of the strongest


def week_use(index: Index) -> dict[str, int]:
    """In how many of the week's articles each phrase occurs."""
    return {
        key: len({index.entries[i].passage.article_id for i in where}) for key, where in index.phrase_entries.items()
    }


def story_phrases(
    index: Index, entries: Sequence[int], exclude: set[str] | frozenset[str], week: dict[str, int]
) -> dict[str, float]:
    """The phrases that make a story: used by many of its articles, and mostly within it."""
    used: dict[str, set[str]] = defaultdict(set)
    for i in entries:
        entry = index.entries[i]
        for key in entry.phrases:
            used[key].add(entry.passage.article_id)
    articles = len({index.entries[i].passage.article_id for i in entries}) or 1
    least = 2 if articles >= 2 else 1
    scores = {}
    for key, where in used.items():
        if len(where) < least or set(key.split()) <= exclude:
            continue
        scores[key] = len(where) / articles * len(where) / max(week.get(key, 1), 1) * phrase_specificity(key)
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:STORY_PHRASES]
    return {key: round(score, 4) for key, score in best}


def told_by_editor(index: Index, story: Story, configured: list[Draft], share: float) -> bool:
    """A story that one of the editor's trends is already about: most of its articles are."""
    for draft in configured:
        mentions: dict[str, int] = defaultdict(int)
        titled: set[str] = set()
        for i in draft.assigned:
            entry = index.entries[i]
            mentions[entry.passage.article_id] += 1
            if entry.passage.kind == "heading":
                titled.add(entry.passage.article_id)
        about = {a for a in story.articles if a in titled or mentions[a] >= 2}
        if len(about) > share * len(story.articles):
            return True
    return False


def story_draft(story: Story, configured: list[Draft]) -> Draft:
    """A discovered trend in the making: the story's passages the editor's trends did not take."""
    taken = {i for draft in configured for i in draft.assigned}
    entries = [i for i in story.entries if i not in taken]
    return Draft(name="", key="", configured=False, entries=set(entries), assigned=entries)
