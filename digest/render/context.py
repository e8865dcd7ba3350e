"""What the templates see: the digest.json model plus a few ready-made strings."""
from __future__ import annotations

from datetime import date
from typing import Any

from ..models import Digest
from .templates import date_span

DEFAULT_UNSUBSCRIBE = "%unsubscribe_url%"  # the merge tag most mailing tools replace


def newsletter_settings(digest: Digest) -> dict[str, Any]:
    settings = dict(digest.newsletter)
    title = settings.get("title") or digest.title
    settings["title"] = title
    settings.setdefault("description", "")
    settings.setdefault("url", "")
    settings.setdefault("from", f"{title} <digest@localhost>")
    settings.setdefault("to", "undisclosed-recipients:;")
    settings.setdefault("unsubscribe_url", DEFAULT_UNSUBSCRIBE)
    return settings


def context(digest: Digest) -> dict[str, Any]:
    model = digest.to_dict()
    newsletter = newsletter_settings(digest)
    sources = {s for article in digest.articles for s in article.sources}
    articles, trends = len(digest.articles), len(digest.trends)
    intro = (f"{_count(articles, 'article')} from {_count(len(sources), 'source')} this week, "
             f"in {_count(trends, 'trend')}.")
    base = newsletter["url"].rstrip("/")
    return {
        "digest": model,
        "newsletter": newsletter,
        "issue": {
            "week_number": int(digest.week.split("-W")[1]),
            "dates": date_span(digest.start, digest.end),
            "view_url": f"{base}/{digest.week}/digest.html" if base else "",
            "intro": intro,
            "preheader": "This week: " + ", ".join(t.name for t in digest.trends[:4]) + ".",
        },
    }


def subject(digest: Digest) -> str:
    names = [t.name for t in digest.trends[:3]]
    title = newsletter_settings(digest)["title"]
    return f"{title}, {digest.week}: " + ", ".join(names) + ("…" if len(digest.trends) > 3 else "")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


__all__ = ["context", "date", "subject"]
