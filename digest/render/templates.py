"""Finding and loading templates: the newsletter's own first, then the defaults.

As in pelican and mkdocs, an editor overrides a default by putting a file of
the same name in the newsletter's `templates/` folder, and can extend a
default instead of copying it: `{% extends "default:digest.mjml.j2" %}`.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import jinja2

from ..errors import DigestError

PACKAGE = Path(__file__).resolve().parents[1]


class TemplateError(DigestError):
    """A template that does not load or render: file and line, never a traceback."""

    exit_code = 1


def default_templates_dir() -> Path:
    """The packaged defaults: inside the wheel, or the repository's templates/."""
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


def environment(template_dirs: Sequence[Path], *, html: bool) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(str(default_templates_dir()))
    own = [str(d) for d in template_dirs if Path(d).is_dir()]
    loader = jinja2.ChoiceLoader([
        jinja2.PrefixLoader({"default": defaults}, delimiter=":"),
        jinja2.FileSystemLoader(own),
        defaults,
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = _day
    env.filters["span"] = date_span
    return env


def render(template_dirs: Sequence[Path], name: str, *, html: bool, **context) -> str:
    """Render one template; any Jinja problem becomes a TemplateError naming file and line."""
    env = environment(template_dirs, html=html)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{_where(exc.filename or exc.name or name, exc.lineno)}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except (jinja2.UndefinedError, TypeError, ValueError) as exc:
        raise TemplateError(f"{_where(*_frame(exc, name))}: {exc}") from None


def _where(filename: str, line: int | None) -> str:
    path = Path(filename)
    try:
        shown = path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = path.name if path.is_absolute() else filename
    return f"{shown}:{line}" if line else shown


def _frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line a render-time error came from."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "template" in tb.tb_frame.f_code.co_name:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _day(value: str | date) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%B} {day.day}, {day.year}"


def date_span(start: str | date, end: str | date) -> str:
    """"April 22–28, 2024", "April 29 – May 5, 2024", "December 30, 2024 – January 5, 2025"."""
    a = date.fromisoformat(start) if isinstance(start, str) else start
    b = date.fromisoformat(end) if isinstance(end, str) else end
    if a.year != b.year:
        return f"{_day(a)} – {_day(b)}"
    if a.month != b.month:
        return f"{a:%B} {a.day} – {b:%B} {b.day}, {b.year}"
    return f"{a:%B} {a.day}–{b.day}, {b.year}"
