"""MJML into responsive HTML that mail clients render: compiled, then CSS inlined."""
from __future__ import annotations

import re

import css_inline
import mjml

from .templates import TemplateError

_INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


def compile_mjml(source: str, template: str = "digest.mjml.j2") -> str:
    """MJML to HTML; Gmail and Outlook drop <style> classes, so rules are inlined too."""
    try:
        html = mjml.mjml2html(source, disable_comments=True)
    except (ValueError, RuntimeError) as exc:
        raise TemplateError(f"{template}: MJML does not compile: {_first_line(exc)}") from None
    return _INLINER.inline(html)


def _first_line(exc: BaseException) -> str:
    return re.sub(r"\s+", " ", str(exc)).strip()[:200]
