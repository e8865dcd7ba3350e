"""Test data built in code: articles with only what a test needs."""
from __future__ import annotations

from datetime import datetime

from digest.models import Article, Block


def make_article(id: str, *paragraphs: str, title: str | None = None, source: str = "Notes",
                 url: str | None = None, published: datetime | None = None, items: tuple[str, ...] = (),
                 heading: str | None = None) -> Article:
    """An article from plain paragraphs (and optional list items under a heading)."""
    blocks = [Block("paragraph", p) for p in paragraphs]
    if heading:
        blocks.append(Block("heading", heading, 2))
    blocks += [Block("item", item) for item in items]
    return Article(id=id, title=title or id, source=source, blocks=tuple(blocks), url=url,
                   published=published, path=None if url else f"{id}.md")


def make_digest(**changes):
    """A small issue with what the renderer must handle: several sources, a local
    article without a URL, and text that must be escaped."""
    from datetime import date, timezone

    from digest.models import Bullet, Citation, Digest, SourceStats, Trend

    web = make_article("url:https://example.org/a", "x", title="Agents & tools", source="Blog",
                       url="https://example.org/a", published=datetime(2024, 4, 23, tzinfo=timezone.utc))
    note = make_article("file:notes/n.md", "x", title="My note", source="Notes")
    cite_web = Citation(web.id, web.title, web.url, web.source)
    cite_note = Citation(note.id, note.title, None, note.source)
    trends = (
        Trend("Agents", (Bullet("Agents open pull requests on their own, and <script>alert(1)</script> stays text.",
                                (cite_web, cite_note)),
                         Bullet("Tool use is the core skill of an agent that finishes multi-step tasks without help "
                                "from anyone, even on long and complicated jobs.", (cite_web,))),
              (web.id, note.id), configured=True, momentum="rising"),
        Trend("Small models", (Bullet("A 4-bit 8B model runs on a 16 GB laptop.", (cite_note,)),),
              (note.id,), configured=False),
    )
    fields = dict(title="Test Weekly", week="2024-W17", start=date(2024, 4, 22), end=date(2024, 4, 28),
                  trends=trends, articles=(web, note),
                  sources=(SourceStats("Blog", "feed", "https://example.org/feed.xml", "ok", 3, 1),
                           SourceStats("Notes", "path", "notes", "ok", 1, 1)),
                  newsletter={"title": "Test Weekly", "url": "https://news.example.org",
                              "from": "Test Weekly <editor@news.example.org>"})
    fields.update(changes)
    return Digest(**fields)
