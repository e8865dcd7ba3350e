"""The renderer: a Digest into HTML (Jinja2 + MJML), plaintext and a .eml.

Both templates get the same variables (see `context`): `digest`, the very
model `digest.json` holds, plus the `newsletter` settings and `issue` strings.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Digest
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


def render_issue(digest: Digest, template_dirs: Sequence[Path] = ()) -> Rendered:
    """Render one issue with the newsletter's templates (`template_dirs`) over the defaults."""
    model = context(digest)
    env = environment(template_dirs, html=True)
    html = compile_mjml(render(env, HTML_TEMPLATE, **model), template_files(env, HTML_TEMPLATE))
    links = References()
    text = wrap(render(environment(template_dirs, html=False), TEXT_TEMPLATE, ref=links, links=links, **model))
    settings = newsletter_settings(digest)
    eml = build_eml(digest, model["issue"]["subject"], text, html, settings["from"], settings["to"])
    return Rendered(html=html, text=text, eml=eml)


__all__ = ["Rendered", "TemplateError", "render_issue"]
