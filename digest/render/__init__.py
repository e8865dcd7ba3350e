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

HTML_TEMPLATE = "digest.mjml.j2"
TEXT_TEMPLATE = "digest.txt.j2"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The three faces of one issue: a web page, a text, a ready-to-send message."""

    html: str
    text: str
    eml: bytes


def render_issue(digest: Digest, template_dirs: Sequence[Path] = (), preview: bool = False) -> Rendered:
    """Render one issue with the newsletter's templates (`template_dirs`) over the defaults."""
    model = context(digest, template_dirs, preview)
    env = environment(template_dirs, html=True)
    html = compile_mjml(render(env, HTML_TEMPLATE, **model), template_files(env, HTML_TEMPLATE))
    links = References()
    text = wrap(render(environment(template_dirs, html=False), TEXT_TEMPLATE, ref=links, links=links, **model))
    settings = newsletter_settings(digest)
    eml = build_eml(digest, model["issue"]["subject"], text, html, settings["from"], settings["to"])
    return Rendered(html=html, text=text, eml=eml)


def check_templates(template_dirs: Sequence[Path], newsletter: dict | None = None) -> None:
    """Render a small made-up issue and archive, so `digest check` finds a template error before Monday's build."""
    from datetime import date

    from ..models import Article, Block, Bullet, Citation, Digest, SourceStats, Trend

    article = Article(id="check", title="A checked article", source="Check", blocks=(Block("paragraph", "Text."),),
                      url="https://example.org/check")
    bullet = Bullet(text="A bullet that cites its source.", sources=(Citation("check", article.title, article.url,
                                                                              article.source),))
    trend = Trend(name="A trend", bullets=(bullet,), article_ids=("check",), configured=True, keywords=("trend",))
    digest = Digest(title=(newsletter or {}).get("title", "Check"), week="2024-W01", start=date(2024, 1, 1),
                    end=date(2024, 1, 7), trends=(trend,), articles=(article,),
                    sources=(SourceStats("Check", "feed", article.url, "ok", 1, 1),), newsletter=dict(newsletter or {}))
    render_issue(digest, template_dirs)
    settings = newsletter_settings(digest)
    archive_page(settings, [entry(digest.to_dict(), settings)], template_dirs)


__all__ = ["Rendered", "TemplateError", "check_templates", "render_issue"]
