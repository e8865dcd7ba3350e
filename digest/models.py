"""The plain data that flows between the pipeline's stages.

Collector, summarizer and renderer only share these types: each stage takes
and returns them, so it can be tested, timed and reused alone.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "item"]
URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Source:
    """One configured source, as the collector reads it: a local folder/glob or a feed (URL or file)."""

    name: str
    kind: Literal["path", "feed"]
    location: str  # absolute path, glob or URL
    fulltext: str = "auto"  # auto | always | never: fetch the page behind a teaser

    @property
    def is_url(self) -> bool:
        return bool(URL_RE.match(self.location))


@dataclass(frozen=True, slots=True)
class Block:
    """One structural piece of an article's cleaned text, in reading order.

    `level` is the heading level (1-6) for headings, the nesting depth for
    list items (0 = top level) and 0 for paragraphs.
    """

    kind: BlockKind
    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class Article:
    """One article read from a source: a local file or a feed entry.

    `id` is stable across runs (the canonical URL for feed entries, the path
    relative to the config folder for local files), so the state store can
    tell whether an earlier issue already had it.
    """

    id: str
    title: str
    source: str
    blocks: tuple[Block, ...]
    url: str | None = None
    path: str | None = None
    published: datetime | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    also_sources: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.also_sources)


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence or list item of an article, with where it stands.

    `section` is the nearest heading above it ('' when none); `position` is
    its index among the article's passages; `block` the index of the block it
    came from, so sentences of one paragraph can be told apart from others.
    """

    article_id: str
    text: str
    kind: Literal["sentence", "item", "heading"]
    section: str
    position: int
    block: int


@dataclass(frozen=True, slots=True)
class Citation:
    """A source that supports a bullet: what the email links to."""

    article_id: str
    title: str
    url: str | None
    source: str


@dataclass(frozen=True, slots=True)
class Bullet:
    """One key point of a trend, citing every article that states it."""

    text: str
    sources: tuple[Citation, ...]
    score: float = 0.0
    key: str = ""  # stable across rebuilds: what the editor's edits refer to (see edits.py)
    edited: tuple[str, ...] = ()  # what the editor changed: "text", "moved"


@dataclass(frozen=True, slots=True)
class Trend:
    """A topic several articles share: configured by the editor or discovered."""

    name: str
    bullets: tuple[Bullet, ...]
    article_ids: tuple[str, ...]
    configured: bool
    keywords: tuple[str, ...] = ()
    momentum: Literal["new", "rising", "steady", "fading"] = "new"
    key: str = ""  # stable across rebuilds, from the draft's name (see edits.py)
    edited: tuple[str, ...] = ()  # what the editor changed: "pinned", "renamed", "moved"


@dataclass(frozen=True, slots=True)
class Brief:
    """A story of "Also this week": told by one source, or past `max_trends`.

    Its title and best sentence, linked to the article that says it; `article_ids`
    are all the articles of the story.
    """

    title: str
    text: str
    url: str | None
    source: str
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceStats:
    """What one configured source gave this run (`stats.sources[]`)."""

    name: str
    kind: Literal["feed", "path"]
    location: str
    status: str  # ok | empty | failed | not-modified
    entries: int = 0
    used: int = 0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, self.kind: self.location}
        data.update(status=self.status, entries=self.entries, used=self.used, error=self.error)
        return data


@dataclass(frozen=True, slots=True)
class Digest:
    """One issue: everything the templates render, and `digest.json` holds."""

    title: str
    week: str  # ISO week, "2024-W17"
    start: date  # Monday
    end: date  # Sunday
    trends: tuple[Trend, ...]
    articles: tuple[Article, ...]
    sources: tuple[SourceStats, ...] = ()
    warnings: tuple[str, ...] = ()
    newsletter: dict[str, Any] = field(default_factory=dict)
    also: tuple[Brief, ...] = ()  # "Also this week": no story the editor follows vanishes
    note: str = ""  # the editor's note at the top of the issue
    edits: tuple[str, ...] = ()  # what the editor's edits file changed, one line each

    def to_dict(self) -> dict[str, Any]:
        """The JSON model of the issue: plain, stable, sorted where unordered."""
        return {
            "title": self.title,
            "week": self.week,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "newsletter": self.newsletter,
            "note": self.note,
            "edits": list(self.edits),
            "trends": [_trend_dict(trend) for trend in self.trends],
            "also": [
                {"title": b.title, "text": b.text, "url": b.url, "source": b.source, "articles": list(b.article_ids)}
                for b in self.also
            ],
            "articles": [_article_dict(article) for article in self.articles],
            "warnings": list(self.warnings),
            "stats": {
                "articles": len(self.articles),
                "sources": [stats.to_dict() for stats in self.sources],
            },
        }


def _trend_dict(trend: Trend) -> dict[str, Any]:
    return {
        "key": trend.key,
        "name": trend.name,
        "edited": list(trend.edited),
        "configured": trend.configured,
        "keywords": list(trend.keywords),
        "momentum": trend.momentum,
        "articles": list(trend.article_ids),
        "bullets": [
            {
                "key": bullet.key,
                "text": bullet.text,
                "edited": list(bullet.edited),
                "sources": [
                    {"title": c.title, "url": c.url, "source": c.source, "article": c.article_id}
                    for c in bullet.sources
                ],
            }
            for bullet in trend.bullets
        ],
    }


def _article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "path": article.path,
        "source": article.source,
        "sources": list(article.sources),
        "published": article.published.isoformat() if article.published else None,
        "author": article.author,
        "tags": list(article.tags),
        "words": len(article.text.split()),
    }


def replace(obj: Any, **changes: Any) -> Any:
    """`dataclasses.replace`, re-exported so stages need one import."""
    return dataclasses.replace(obj, **changes)
