"""The renderer: a Digest into HTML (Jinja2 + MJML), plaintext and a .eml.

Both templates get the same variables (see `context`): `digest`, the very
model `digest.json` holds, plus the `newsletter` settings and `issue` strings.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Digest
from .archive import archive_page, entry
from .context import context, newsletter_settings
from .eml import build_eml
from .html import compile_mjml
from .templates import TemplateError, environment, render, template_files
from .text import References, wrap
from .validate import InvalidTemplate, ensure_valid

HTML_TEMPLATE = "digest.mjml.j2"
TEXT_TEMPLATE = "digest.txt.j2"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The three faces of one issue: a web page, a text, a ready-to-send message."""

    html: str
    text: str
    eml: bytes


def render_issue(digest: Digest, template_dirs: Sequence[Path] = (), *, validate: bool = True) -> Rendered:
    """Render one issue with the newsletter's templates (`template_dirs`) over the defaults.

    With `validate`, MJML that breaks MJML's rules stops here (InvalidTemplate,
    every problem at its template line) before anything is written.
    """
    model = context(digest, template_dirs)
    env = environment(template_dirs, html=True)
    if validate:
        ensure_valid(template_dirs, HTML_TEMPLATE, model)
    html = compile_mjml(render(env, HTML_TEMPLATE, **model), template_files(env, HTML_TEMPLATE))
    links = References()
    text = wrap(render(environment(template_dirs, html=False), TEXT_TEMPLATE, ref=links, links=links, **model))
    settings = newsletter_settings(digest)
    eml = build_eml(digest, model["issue"]["subject"], text, html, settings["from"], settings["to"])
    return Rendered(html=html, text=text, eml=eml)


def check_templates(template_dirs: Sequence[Path], newsletter: dict | None = None) -> None:
    """Render small made-up issues and the archive, so `digest check` finds a template error before Monday's build.

    Three issues, so that both sides of the templates' usual {% if %}s are
    rendered and validated: a plain one, a full one (links, dates, authors,
    a local file, a newsletter URL) and one without trends.
    """
    problems: list[str] = []
    for digest in made_up_issues(newsletter):
        try:
            render_issue(digest, template_dirs)
        except InvalidTemplate as exc:
            problems += [line for line in exc.lines if line not in problems]
    if problems:
        raise InvalidTemplate(problems)
    digest = made_up_issue(newsletter)
    settings = newsletter_settings(digest)
    archive_page(settings, [entry(digest.to_dict(), settings)], template_dirs)


def made_up_issue(newsletter: dict | None = None) -> Digest:
    """An issue with one of everything the templates show: what `check` (and the validator's benchmark) render."""
    from datetime import date

    from ..models import Article, Block, Bullet, Citation, SourceStats, Trend

    article = Article(id="check", title="A checked article", source="Check", blocks=(Block("paragraph", "Text."),),
                      url="https://example.org/check")
    bullet = Bullet(text="A bullet that cites its source.", sources=(Citation("check", article.title, article.url,
                                                                              article.source),))
    trend = Trend(name="A trend", bullets=(bullet,), article_ids=("check",), configured=True, keywords=("trend",))
    return Digest(title=(newsletter or {}).get("title", "Check"), week="2024-W01", start=date(2024, 1, 1),
                  end=date(2024, 1, 7), trends=(trend,), articles=(article,),
                  sources=(SourceStats("Check", "feed", article.url or "", "ok", 1, 1),),
                  newsletter=dict(newsletter or {}))


def made_up_issues(newsletter: dict | None = None) -> list[Digest]:
    """The plain made-up issue, a full one (four trends, every momentum, longer lists) and one without trends."""
    from datetime import datetime, timezone

    from ..models import Article, Block, Bullet, Citation, SourceStats, Trend, replace

    plain = made_up_issue(newsletter)
    settings = dict(newsletter or {})
    settings.setdefault("url", "https://example.org/issues")
    settings.setdefault("description", "A made-up issue.")
    feed = replace(plain.articles[0], published=datetime(2024, 1, 2, tzinfo=timezone.utc), author="A. Writer",
                   also_sources=("Elsewhere",), tags=("check",))
    local = Article(id="file:notes/check.md", title="A checked note", source="Notes", path="notes/check.md",
                    blocks=(Block("paragraph", "Text."),))
    cites = (Citation(feed.id, feed.title, feed.url, feed.source), Citation(local.id, local.title, None, local.source))
    trends = (replace(plain.trends[0], momentum="rising",
                      bullets=(Bullet("A bullet citing two sources.", cites), Bullet("Another.", cites[1:]))),
              Trend(name="Another trend", bullets=(Bullet("A bullet of a note.", cites[1:]),),
                    article_ids=(local.id,), configured=False, momentum="fading"),
              *(Trend(name=f"Trend {n}", bullets=(Bullet(f"Bullet {n}.", cites[:1]),) * n, article_ids=(feed.id,),
                      configured=False, momentum="steady") for n in (3, 4)))
    full = replace(plain, trends=trends, articles=(feed, local), newsletter=settings, warnings=("Check: a warning",),
                   sources=(*plain.sources, SourceStats("Notes", "path", "notes/", "failed", 0, 0, "no files")))
    return [plain, full, replace(plain, trends=())]


__all__ = ["InvalidTemplate", "Rendered", "TemplateError", "check_templates", "render_issue"]
