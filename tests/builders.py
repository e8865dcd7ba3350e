"""Test data built in code: articles with only what a test needs."""

from __future__ import annotations

from datetime import datetime

from digest.models import Article, Block


def make_article(
    id: str,
    *paragraphs: str,
    title: str | None = None,
    source: str = "Notes",
    url: str | None = None,
    published: datetime | None = None,
    items: tuple[str, ...] = (),
    heading: str | None = None,
) -> Article:
    """An article from plain paragraphs (and optional list items under a heading)."""
    blocks = [Block("paragraph", p) for p in paragraphs]
    if heading:
        blocks.append(Block("heading", heading, 2))
    blocks += [Block("item", item) for item in items]
    return Article(
        id=id,
        title=title or id,
        source=source,
        blocks=tuple(blocks),
        url=url,
        published=published,
        path=None if url else f"{id}.md",
    )
