"""MJML into HTML that mail clients render: compiled by mjml-python, then CSS inlined.

mjml-python says only *that* the markup is broken ("unexpected end of
stream"), never where. The markup an editor breaks is the markup written in
the template (data is autoescaped), so on failure the template files are
checked for unbalanced tags and the first one is reported with its line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import css_inline
import mjml

from ..errors import where
from .templates import TemplateError

# keep_style_tags: media queries cannot be inlined and are what make the
# layout collapse to one column on phones, so the <style> blocks stay in <head>.
# minify_css: "color:#374151" for "color: #374151;" on every inlined element, a few KB of the budget.
_INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False, minify_css=True)
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def compile_mjml(source: str, templates: Sequence[str] = ("digest.mjml.j2",)) -> str:
    """MJML to HTML; Gmail and Outlook ignore some <style> rules, so they are inlined as well."""
    try:
        # fonts={}: MJML would otherwise link Google Fonts for any family it knows
        # (Roboto, Ubuntu, Open Sans...): a remote request on every open.
        html = mjml.mjml2html(source, disable_comments=True, fonts={})
    except (ValueError, RuntimeError) as exc:
        reason = re.sub(r"\s+", " ", str(exc)).strip()[:200]
        for filename in templates:
            path = Path(filename)
            problem = find_unbalanced(path.read_text(encoding="utf-8")) if path.is_file() else None
            if problem:
                line, message = problem
                raise TemplateError(f"{where(filename, line)}: {message} (MJML: {reason})") from None
        shown = where(templates[0]) if templates else "MJML"
        raise TemplateError(f"{shown}: MJML does not compile: {reason}") from None
    inlined = _INLINER.inline(_keep_resets_in_head(html)).replace(' data-css-inline="ignore"', "", 1)
    return inlined.rstrip("\n") + "\n"  # a text file, like the .txt beside it


def _keep_resets_in_head(html: str) -> str:
    """MJML's own reset block (`#outlook a`, `table, td {mso-table-...}`) stays in <head>, not inlined.

    Outlook and the clients the resets are for read them from <head>; inlined, they
    repeat on every table and cell, some 70 bytes each, 10 KB of an issue's budget.
    """
    return _RESETS.sub(r'<style type="text/css" data-css-inline="ignore">\1', html, count=1)


_RESETS = re.compile(r'<style type="text/css">(\s*#outlook a)')


def find_unbalanced(template: str) -> tuple[int, str] | None:
    """The line and description of the first tag left open or closed out of turn, if any."""
    # Jinja tags become blanks of the same shape, so every line keeps its number.
    markup = _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), template)
    checker = _TagChecker()
    checker.feed(markup)
    checker.close()
    if checker.problem:
        return checker.problem
    if checker.open:
        tag, line = checker.open[-1]
        return line, f"<{tag}> is never closed"
    return None


class _TagChecker(HTMLParser):
    """Tags must close in order, as MJML's parser wants (no optional </li> or </p>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.problem: tuple[int, str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002 - HTMLParser's signature
        if tag not in _VOID and not self.problem:
            self.open.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if self.problem or tag in _VOID:
            return
        line = self.getpos()[0]
        names = [name for name, _ in self.open]
        if tag not in names:
            self.problem = (line, f"</{tag}> closes a tag that is not open")
        elif names[-1] != tag:
            name, opened = self.open[-1]
            self.problem = (opened, f"<{name}> is never closed (</{tag}> on line {line} comes first)")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        # "a < b" breaks MJML's parser, while HTMLParser passes it on as text.
        match = re.search(r"<(?![A-Za-z/!?])", data)
        if match and not self.problem:
            self.problem = (self.getpos()[0] + data[: match.start()].count("\n"), "a bare '<' (write &lt;)")
