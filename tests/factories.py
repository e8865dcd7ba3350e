"""A hand-built issue for the renderer's tests: what a real week holds, and its awkward cases.

Three trends whose bullets cite one to three sources, a local note without a
URL, an article two sources carried, a URL with `&` in it, and bullet text
with `<script>` and `&` that must reach the reader as text.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from digest.models import Article, Block, Bullet, Citation, Digest, SourceStats, Trend

NEWSLETTER = {
    "title": "LLM Trends Weekly",
    "description": "What moved in large language models this week, in a five-minute read.",
    "url": "https://news.example.org/issues/",
    "from": "LLM Trends Weekly <editor@news.example.org>",
}
SCRIPT_BULLET = "An agent that can run <script> tags & shell commands needs a sandbox, not a longer prompt."


def article(key: str, title: str, source: str, url: str | None, day: int, *, also: tuple[str, ...] = ()) -> Article:
    return Article(
        id=url or f"notes/{key}.md",
        title=title,
        source=source,
        url=url,
        path=None if url else f"notes/{key}.md",
        blocks=(Block("paragraph", f"The text of {title}."),),
        also_sources=also,
        published=datetime(2024, 4, day, 9, 30, tzinfo=timezone.utc),
    )


AGENTS = article("agents", "Agents & tools: a field report", "The Gradient Log", "https://example.org/agents", 23)
PHONES = article("phones", "Shipping a 3B model to phones", "Lab Notes", "https://labnotes.example.org/phones", 24)
NOTE = article("multimodal", "My notes on multimodal evals", "Notes", None, 25)
RECEIPTS = article(
    "receipts",
    "Vision-language models read receipts",
    "Lab Notes",
    "https://labnotes.example.org/receipts",
    26,
    also=("Clippings",),
)
WEEKEND = article(
    "weekend", "Weekend reading #17", "Clippings", "https://clippings.example.com/w17?src=rss&issue=17", 27
)
ARTICLES = (AGENTS, PHONES, NOTE, RECEIPTS, WEEKEND)


def cite(*articles: Article) -> tuple[Citation, ...]:
    return tuple(Citation(a.id, a.title, a.url, a.source) for a in articles)


TRENDS = (
    Trend(
        "Agents and tool use",
        (
            Bullet(
                "Coding agents now resolve around 40% of issues on benchmarks built from real repositories, "
                "up from under 15% a year ago.",
                cite(AGENTS, NOTE, WEEKEND),
            ),
            Bullet(SCRIPT_BULLET, cite(AGENTS)),
        ),
        (AGENTS.id, NOTE.id, WEEKEND.id),
        configured=True,
        keywords=("agent", "tool"),
        momentum="rising",
    ),
    Trend(
        "Small and efficient models",
        (
            Bullet(
                "A 4-bit quantized 8B model now runs on a 16 GB laptop at reading speed, "
                "with little loss on everyday tasks.",
                cite(PHONES, NOTE),
            ),
            Bullet("Distillation from a larger teacher closes most of the gap on narrow tasks.", cite(PHONES)),
        ),
        (PHONES.id, NOTE.id),
        configured=True,
        momentum="new",
    ),
    Trend(
        "Multimodality",
        (
            Bullet(
                "Vision-language models read receipts and forms well enough to replace OCR pipelines in small shops.",
                cite(RECEIPTS, NOTE),
            ),
            Bullet(
                "Evaluations of audio and video understanding still lag behind those for images.", cite(NOTE, RECEIPTS)
            ),
            Bullet(
                "Open models that see, hear and speak arrived within a week of each other.", cite(RECEIPTS, WEEKEND)
            ),
        ),
        (RECEIPTS.id, NOTE.id, WEEKEND.id),
        configured=False,
        momentum="steady",
    ),
)


def make_digest(**changes: Any) -> Digest:
    """The week 2024-W17 issue of LLM Trends Weekly; keyword arguments replace fields."""
    fields: dict[str, Any] = dict(
        title="LLM Trends Weekly",
        week="2024-W17",
        start=date(2024, 4, 22),
        end=date(2024, 4, 28),
        trends=TRENDS,
        articles=ARTICLES,
        newsletter=dict(NEWSLETTER),
        sources=(
            SourceStats("The Gradient Log", "feed", "https://example.org/feed.xml", "ok", 12, 1),
            SourceStats("Lab Notes", "feed", "https://labnotes.example.org/atom.xml", "ok", 9, 2),
            SourceStats("Clippings", "feed", "https://clippings.example.com/feed.json", "ok", 4, 1),
            SourceStats("Notes", "path", "notes", "ok", 3, 1),
        ),
    )
    fields.update(changes)
    return Digest(**fields)


def make_big_digest(trends: int = 10, bullets: int = 5, sources_per_bullet: int = 3) -> Digest:
    """A heavy week: long titles and many sources, every bullet citing articles of its own."""
    articles: list[Article] = []
    made: list[Trend] = []
    for t in range(trends):
        points = []
        for b in range(bullets):
            cited = [_long_article(len(articles) + s, t, b) for s in range(sources_per_bullet)]
            articles.extend(cited)
            points.append(
                Bullet(
                    f"Bullet {b} of trend {t}: a full sentence of about thirty words that states a claim "
                    "the sources share, with a number like 42% and a name or two for good measure.",
                    cite(*cited),
                )
            )
        made.append(
            Trend(
                f"Trend number {t} with a long descriptive name",
                tuple(points),
                tuple(a.id for a in articles[-bullets * sources_per_bullet :]),
                configured=False,
                momentum="steady",
            )
        )
    return make_digest(trends=tuple(made), articles=tuple(articles))


def _long_article(n: int, trend: int, bullet: int) -> Article:
    url = f"https://blog{n % 17}.example.org/2024/04/{n}/a-rather-long-slug-for-article-{n}?utm=none&x={n}"
    return Article(
        id=url,
        url=url,
        source=f"Source number {n % 17} of the week's long list",
        title=f"Article {n}: a long headline about trend {trend}, bullet {bullet}, the way news sites "
        "write them with a subtitle after the colon",
        blocks=(Block("paragraph", f"Text {n}."),),
        published=datetime(2024, 4, 22 + n % 7, tzinfo=timezone.utc),
    )
