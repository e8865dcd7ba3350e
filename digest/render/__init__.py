"""The renderer: a Digest into HTML (Jinja2 + MJML), plaintext and a .eml."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Digest
from .context import context, newsletter_settings, subject
from .eml import build_eml
from .html import compile_mjml
from .templates import TemplateError, render
from .text import References, wrap

HTML_TEMPLATE = "digest.mjml.j2"
TEXT_TEMPLATE = "digest.txt.j2"


@dataclass(frozen=True, slots=True)
class Rendered:
    """The three faces of one issue."""

    html: str
    text: str
    eml: bytes


def render_issue(digest: Digest, template_dirs: Sequence[Path] = ()) -> Rendered:
    model = context(digest)
    html = compile_mjml(render(template_dirs, HTML_TEMPLATE, html=True, **model), HTML_TEMPLATE)
    links = References()
    text = wrap(render(template_dirs, TEXT_TEMPLATE, html=False, ref=links, links=links, **model))
    settings = newsletter_settings(digest)
    eml = build_eml(digest, subject(digest), text, html, settings["from"], settings["to"])
    return Rendered(html=html, text=text, eml=eml)


__all__ = ["Rendered", "TemplateError", "render_issue"]
