"""What the templates see: the digest.json model, the newsletter's settings, a few ready-made strings."""
from __future__ import annotations

from email.headerregistry import Address
from typing import Any

from ..models import Digest
from .eml import address_of, list_id, unsubscribe_mailto
from .templates import date_span


def newsletter_settings(digest: Digest) -> dict[str, Any]:
    """`newsletter:` from the config with every optional key filled in."""
    settings = dict(digest.newsletter)
    title = settings.get("title") or digest.title
    settings["title"] = title
    settings.setdefault("description", "")
    settings["url"] = (settings.get("url") or "").rstrip("/")
    # str(Address) quotes a title holding commas or other specials, where an
    # f-string would make "A, B <x@y>" read as two addresses.
    settings.setdefault("from", str(Address(display_name=title, addr_spec="digest@localhost")))
    settings.setdefault("to", "undisclosed-recipients:;")
    # Never a broken link: without a configured one (a URL or a mailing tool's
    # merge tag, kept verbatim), readers write to the unsubscribe address or to From.
    if not settings.get("unsubscribe_url"):
        settings["unsubscribe_url"] = unsubscribe_mailto(settings.get("unsubscribe_mailto")
                                                         or address_of(settings["from"]))
    settings.setdefault("reply_to", "")
    settings.setdefault("list_id", list_id(title, settings["from"]))
    return settings


def context(digest: Digest) -> dict[str, Any]:
    """The variables of both templates (documented at the top of each)."""
    newsletter = newsletter_settings(digest)
    articles = len(digest.articles)
    sources = len({name for article in digest.articles for name in article.sources})
    trends = len(digest.trends)
    base = newsletter["url"]
    return {
        "digest": digest.to_dict(),
        "newsletter": newsletter,
        "issue": {
            "week_number": int(digest.week.split("-W")[1]),
            "dates": date_span(digest.start, digest.end),
            "subject": subject(digest),
            "view_url": f"{base}/{digest.week}/digest.html" if base else "",
            "articles": articles,
            "sources": sources,
            "trends": trends,
            "intro": f"{_count(articles, 'article')} from {_count(sources, 'source')}, in {_count(trends, 'trend')}.",
            "preheader": _preheader(digest),
        },
    }


def subject(digest: Digest) -> str:
    """"LLM Trends Weekly — 2024-W17: Multimodality, Agents, Small models, …"."""
    title = newsletter_settings(digest)["title"]
    names = [t.name for t in digest.trends[:3]] + (["…"] if len(digest.trends) > 3 else [])
    return f"{title} — {digest.week}" + (": " + ", ".join(names) if names else "")


def _preheader(digest: Digest) -> str:
    # The line mail clients show after the subject: what this week is about.
    if not digest.trends:
        return f"{_count(len(digest.articles), 'article')} this week."
    return "This week: " + ", ".join(t.name for t in digest.trends[:4]) + "."


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
