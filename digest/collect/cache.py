"""Articles to JSON and back: a feed that answers 304 is not parsed again, and an issue's
articles are kept whole in the state, so rebuilding a week needs none of its sources."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ..models import Article, Block
from .clean import clean_article


def dump(articles: list[Article]) -> str:
    return json.dumps([_plain(a) for a in articles], ensure_ascii=False)


def dump_one(article: Article) -> str:
    return json.dumps({**_plain(article), "also_sources": list(article.also_sources)}, ensure_ascii=False)


def _plain(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "path": a.path,
        "published": a.published.isoformat() if a.published else None,
        "author": a.author,
        "tags": list(a.tags),
        "blocks": [[b.kind, b.text, b.level] for b in a.blocks],
    }


def load(text: str, source: str, since: date | None = None) -> list[Article]:
    """The stored articles, under the source's current name (dated `since` or later, or undated)."""
    items = json.loads(text)
    if since is not None:
        first = since.isoformat()
        items = [d for d in items if not d["published"] or d["published"][:10] >= first]
    return [clean_article(_article(d, source)) for d in items]


def load_one(text: str) -> Article:
    """An article kept whole in the state, with the sources it had."""
    return clean_article(_article(json.loads(text)))


def _article(d: dict[str, Any], source: str | None = None) -> Article:
    return Article(
        id=d["id"],
        title=d["title"],
        source=source or d["source"],
        url=d["url"],
        path=d["path"],
        published=datetime.fromisoformat(d["published"]) if d["published"] else None,
        author=d["author"],
        tags=tuple(d["tags"]),
        blocks=tuple(Block(kind, text, level) for kind, text, level in d["blocks"]),
        also_sources=tuple(d.get("also_sources", ())) if source is None else (),
    )
