"""Articles to JSON and back, so a feed that answers 304 is not parsed again."""
from __future__ import annotations

import json
from datetime import datetime

from ..models import Article, Block


def dump(articles: list[Article]) -> str:
    return json.dumps([{
        "id": a.id, "title": a.title, "source": a.source, "url": a.url, "path": a.path,
        "published": a.published.isoformat() if a.published else None, "author": a.author,
        "tags": list(a.tags), "blocks": [[b.kind, b.text, b.level] for b in a.blocks],
    } for a in articles], ensure_ascii=False)


def load(text: str, source: str) -> list[Article]:
    """The stored articles, under the source's current name."""
    return [Article(id=d["id"], title=d["title"], source=source, url=d["url"], path=d["path"],
                    published=datetime.fromisoformat(d["published"]) if d["published"] else None,
                    author=d["author"], tags=tuple(d["tags"]),
                    blocks=tuple(Block(kind, text, level) for kind, text, level in d["blocks"]))
            for d in json.loads(text)]
