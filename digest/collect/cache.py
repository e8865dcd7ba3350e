"""Articles to JSON and back, so a feed that answers 304 is not parsed again."""
from __future__ import annotations

import json
from datetime import date, datetime

from ..models import Article, Block
from .clean import clean_article


def dump(articles: list[Article]) -> str:
    return json.dumps([{
        "id": a.id, "title": a.title, "source": a.source, "url": a.url, "path": a.path,
        "published": a.published.isoformat() if a.published else None, "author": a.author,
        "tags": list(a.tags), "blocks": [[b.kind, b.text, b.level] for b in a.blocks],
    } for a in articles], ensure_ascii=False)


def load(text: str, source: str, since: date | None = None) -> list[Article]:
    """The stored articles, under the source's current name (dated `since` or later, or undated)."""
    items = json.loads(text)
    if since is not None:
        first = since.isoformat()
        items = [d for d in items if not d["published"] or d["published"][:10] >= first]
    return [clean_article(Article(id=d["id"], title=d["title"], source=source, url=d["url"], path=d["path"],
                    published=datetime.fromisoformat(d["published"]) if d["published"] else None,
                    author=d["author"], tags=tuple(d["tags"]),
                    blocks=tuple(Block(kind, text, level) for kind, text, level in d["blocks"])))
            for d in items]
