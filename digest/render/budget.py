"""A budget that never clips: Gmail cuts an email's HTML past about 102 KB and hides the rest.

An issue over the budget moves parts to the web version, least missed first:
reading-list entries whose article a bullet already cites (its link is in
the email twice), then the lowest-ranked bullets (every trend's last, the
last trends' first), each trend keeping its best one, then the rest of the
reading list from the end. The email then says how much moved and links the
full issue. Sizes are measured, not estimated: the fewest moves that fit
are found by bisection, a few renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GMAIL_CLIP = 102 * 1024
# A margin under the clip for what a mailing tool adds when it sends (tracked links, a pixel).
BUDGET = 100 * 1024

Step = tuple[str, int, int]  # ("bullet", trend, bullet) or ("article", index, 0)


@dataclass(frozen=True, slots=True)
class Fitted:
    """The email's HTML within the budget, and what went to the web version only."""

    html: str
    bullets: int = 0  # bullets moved to the web version
    articles: int = 0  # reading-list entries moved
    over: bool = False  # still over the budget with everything movable moved

    @property
    def moved(self) -> bool:
        return bool(self.bullets or self.articles)


def size(html: str) -> int:
    return len(html.encode("utf-8"))


def fit(
    model: dict[str, Any],
    compile_html: Callable[[dict[str, Any]], str],
    web_url: str,
    budget: int = BUDGET,
    full: str | None = None,
) -> Fitted:
    """`compile_html(model)` within `budget` bytes, moving the fewest bullets and articles that make it fit."""
    html = full if full is not None else compile_html(model)
    if size(html) <= budget:
        return Fitted(html)
    steps = removal_order(model["digest"])
    low, high, best = 1, len(steps), None
    while low <= high:
        middle = (low + high) // 2
        candidate = compile_html(trimmed(model, steps[:middle], web_url))
        if size(candidate) <= budget:
            best, high = (middle, candidate), middle - 1
        else:
            low = middle + 1
    if best is None:
        best = (len(steps), compile_html(trimmed(model, steps, web_url)))
    count, fitted = best
    moved = steps[:count]
    return Fitted(
        fitted,
        bullets=sum(kind == "bullet" for kind, _, _ in moved),
        articles=sum(kind == "article" for kind, _, _ in moved),
        over=size(fitted) > budget,
    )


def removal_order(digest: dict[str, Any]) -> list[Step]:
    """What to move first: cited reading-list entries, then bullets lowest-ranked first, then the other entries."""
    trends = digest.get("trends", [])
    cited = {source.get("article") for trend in trends for bullet in trend["bullets"] for source in bullet["sources"]}
    articles = list(range(len(digest.get("articles", [])) - 1, -1, -1))
    twice = [a for a in articles if digest["articles"][a].get("id") in cited]
    deepest = max((len(t["bullets"]) for t in trends), default=0)
    steps: list[Step] = [("article", a, 0) for a in twice]
    steps += [
        ("bullet", t, b)
        for b in range(deepest - 1, 0, -1)
        for t in range(len(trends) - 1, -1, -1)
        if b < len(trends[t]["bullets"])
    ]
    steps += [("article", a, 0) for a in articles if a not in set(twice)]
    return steps


def trimmed(model: dict[str, Any], steps: list[Step], web_url: str) -> dict[str, Any]:
    """The template model without the moved parts, and `issue.online` telling the email what moved where."""
    bullets = {(t, b) for kind, t, b in steps if kind == "bullet"}
    articles = {a for kind, a, _ in steps if kind == "article"}
    digest = dict(model["digest"])
    digest["trends"] = [
        dict(trend, bullets=[kept for b, kept in enumerate(trend["bullets"]) if (t, b) not in bullets])
        for t, trend in enumerate(digest["trends"])
    ]
    digest["articles"] = [article for a, article in enumerate(digest["articles"]) if a not in articles]
    moved = [
        part
        for part in (_count(len(bullets), "more bullet"), _count(len(articles), "article") + " of the reading list")
        if not part.startswith("0 ")
    ]
    issue = dict(
        model["issue"],
        online={"url": web_url, "bullets": len(bullets), "articles": len(articles), "moved": " and ".join(moved)},
    )
    if web_url:
        issue["view_url"] = web_url  # "View in browser" shows the whole issue
    return dict(model, digest=digest, issue=issue)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
