"""One bad article never costs the issue: the articles that make a stage fail are found and left out.

Readers clean what they can, but a later stage may still trip over
something in one article's text (a summarizer bug, a string MJML cannot
compile). `without_failing()` runs the stage on every article; only when it
fails does it look for the articles that fail it on their own, by halving,
and run it again without them, each named in a warning. A failure that does
not come from the articles (a template error fails with no article at all)
is raised as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .models import Article

T = TypeVar("T")
MAX_TRIES = 48  # a bound on the search: each try is a summarize and a render of a few articles


def without_failing(
    stage: Callable[[list[Article]], T], articles: Sequence[Article], warnings: list[str]
) -> tuple[list[Article], T]:
    """(the articles kept, `stage` of them); a warning in `warnings` for each article left out."""
    chosen = list(articles)
    try:
        return chosen, stage(chosen)
    except Exception as exc:  # noqa: BLE001 - whatever one article's text provokes
        failure = exc
    search = _Search(stage, _reason(failure))
    if search.fails([]):
        raise failure  # not the articles: the stage fails without any
    bad = search.culprits(chosen)
    if not bad or len(bad) > max(3, len(chosen) // 10):
        raise failure  # not one article's fault, or too many to leave out without saying the issue is wrong
    for article, reason in bad.items():
        warnings.append(f"{_name(article)}: left out of the issue, it makes the build fail ({reason})")
    kept = [a for a in chosen if a not in bad]
    return kept, stage(kept)


class _Search:
    """Halving through the articles for the ones that fail the stage alone, within MAX_TRIES."""

    def __init__(self, stage: Callable[[list[Article]], object], reason: str):
        self.stage = stage
        self.tries = 0
        self.reason = reason  # why the last try that failed did

    def fails(self, articles: list[Article]) -> bool:
        self.tries += 1
        try:
            self.stage(articles)
        except Exception as exc:  # noqa: BLE001 - as above
            self.reason = _reason(exc)
            return True
        return False

    def culprits(self, articles: list[Article]) -> dict[Article, str]:
        """{article: why} of the articles that fail on their own ({} when none does, or the search ran out)."""
        if len(articles) == 1:
            return {articles[0]: self.reason}
        found: dict[Article, str] = {}
        half = len(articles) // 2
        for group in (articles[:half], articles[half:]):
            if self.tries >= MAX_TRIES:
                return {}
            if self.fails(group):
                found.update(self.culprits(group))
        return found


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:160] if not hasattr(exc, "format_message") else text[:160]


def _name(article: Article) -> str:
    return article.path or article.url or f"{article.source}: {article.title}"
