"""What the templates see: the digest.json model, the newsletter's settings, a few ready-made strings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from pathlib import Path
from typing import Any

import jinja2

from ..errors import where
from ..models import Digest
from .eml import PLACEHOLDER_SENDER, list_id, unsubscribe_address, unsubscribe_mailto
from .templates import TemplateError, date_span, environment, render

SUBJECT_TEMPLATE = "subject.txt.j2"
PREHEADER_TEMPLATE = "preheader.txt.j2"


def newsletter_settings(digest: Digest) -> dict[str, Any]:
    """`newsletter:` from the config with every optional key filled in."""
    return settings_for(digest.newsletter, digest.title)


def settings_for(newsletter: Mapping[str, Any], title: str = "") -> dict[str, Any]:
    """`newsletter:` as the config gives it (`as_dict()`), every optional key filled in: what templates see."""
    settings = dict(newsletter)
    title = settings.get("title") or title
    settings["title"] = title
    settings.setdefault("description", "")
    settings["url"] = (settings.get("url") or "").rstrip("/")
    # str(Address) quotes a title holding commas or other specials, where an
    # f-string would make "A, B <x@y>" read as two addresses.
    settings.setdefault("from", str(Address(display_name=title, addr_spec=PLACEHOLDER_SENDER)))
    settings.setdefault("to", "undisclosed-recipients:;")
    # Never a broken link: without a configured one (a URL or a mailing tool's merge tag, kept
    # verbatim), readers write to the unsubscribe address or to From; with neither, no link at all
    # (the build warns), rather than a mailto to the placeholder sender that nobody reads.
    if not settings.get("unsubscribe_url"):
        address = unsubscribe_address(settings)
        settings["unsubscribe_url"] = unsubscribe_mailto(address) if address else ""
    settings.setdefault("reply_to", "")
    settings.setdefault("list_id", list_id(title, settings["from"]))
    return settings


def context(digest: Digest, template_dirs: Sequence[Path] = (), preview: bool = False) -> dict[str, Any]:
    """The variables of every template (`digest templates --vars` lists them).

    `preview` is true only in `digest preview`: templates then mark trends and
    bullets (`data-trend`, `data-bullet`) for the editor's controls; the email never has them.
    """
    newsletter = newsletter_settings(digest)
    articles = len(digest.articles)
    sources = len({name for article in digest.articles for name in article.sources})
    trends = len(digest.trends)
    base = newsletter["url"]
    model: dict[str, Any] = {
        "digest": digest.to_dict(),
        "preview": preview,
        "newsletter": newsletter,
        "issue": {
            "week_number": int(digest.week.split("-W")[1]),
            "dates": date_span(digest.start, digest.end),
            "view_url": f"{base}/{digest.week}/digest.html" if base else "",
            "articles": articles,
            "sources": sources,
            "trends": trends,
            "intro": f"{_count(articles, 'article')} from {_count(sources, 'source')}, in {_count(trends, 'trend')}.",
            "online": None,  # when the email is cut to fit: {url, bullets, articles} moved to the web version
        },
    }
    # The subject and preheader are templates too, so an editor words them;
    # they see every other variable, and the preheader sees the subject.
    text = environment(template_dirs, html=False)
    model["issue"]["subject"] = one_line(text, SUBJECT_TEMPLATE, model)
    model["issue"]["preheader"] = one_line(text, PREHEADER_TEMPLATE, model)
    return model


def one_line(env: jinja2.Environment, name: str, model: dict[str, Any]) -> str:
    """A template rendered into one line: a mail header cannot hold a line break."""
    rendered = " ".join(line.strip() for line in render(env, name, **model).splitlines() if line.strip())
    if not rendered:
        raise TemplateError(f"{where(env.get_template(name).filename or name)}: renders an empty line")
    return rendered


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
