"""Finding, loading and running templates: the newsletter's own first, then the defaults.

As in pelican and mkdocs, an editor overrides a default by putting a file of
the same name in the newsletter's `templates/` folder, and can extend a
default instead of copying it: `{% extends "default:digest.mjml.j2" %}`.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from ..errors import DigestError, where

PACKAGE = Path(__file__).resolve().parents[1]

# Spelled out rather than strftime("%B"), which follows the process's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class TemplateError(DigestError):
    """A template that does not load, render or compile: file and line, never a traceback."""

    exit_code = 1


def default_templates_dir() -> Path:
    """The packaged defaults: inside the wheel, else the repository's templates/ beside the package."""
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, each under its file and its source's checksum.

    Every render makes a fresh environment so that it reads the editor's latest
    files; without this it also compiled every partial again, most of a
    preview's re-render. Jinja checks the checksum: a changed file compiles anew.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.store.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def environment(template_dirs: Sequence[Path], *, html: bool) -> jinja2.Environment:
    """A fresh environment per render, so a preview always sees the editor's latest files."""
    defaults = jinja2.FileSystemLoader(str(default_templates_dir()))
    own = jinja2.FileSystemLoader([str(d) for d in template_dirs])
    env = jinja2.Environment(
        # A plain name is looked up in the editor's folders, then the defaults;
        # "default:" always means the packaged file, even from the editor's own
        # file of the same name that extends it.
        loader=jinja2.ChoiceLoader([own, defaults, jinja2.PrefixLoader({"default": defaults}, delimiter=":")]),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED,
    )
    env.filters["day"] = day
    env.filters["span"] = date_span
    return env


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any problem in it becomes a TemplateError naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{where(exc.filename or exc.name or name, exc.lineno)}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        filename, line = _frame(exc, name)
        raise TemplateError(f"{where(filename, line)}: template not found: {exc.name}") from None
    except TemplateError:
        raise
    except RecursionError as exc:
        # The usual cause: an override that extends its own name instead of the default.
        hint = ("a template that extends or includes itself; "
                f'to build on the default, write {{% extends "default:{name}" %}}')
        raise TemplateError(f"{where(_frame(exc, name)[0])}: {hint}") from None
    except Exception as exc:  # noqa: BLE001 - whatever an editor's template gets wrong, say where
        filename, line = _frame(exc, name)
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"{where(filename, line)}: {message}") from None


def template_files(env: jinja2.Environment, name: str) -> list[str]:
    """The files a render read: the named template first, then those it extends or includes."""
    loaded = {t.name: t.filename for t in env.cache.values()} if env.cache is not None else {}
    first = loaded.pop(name, None)
    return [f for f in (first, *sorted(filter(None, loaded.values()))) if f]


def _frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The template file and line a render-time error came from: Jinja maps its frames to them."""
    found: tuple[str, int | None] = (name, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _as_date(value: str | date) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def day(value: str | date, style: str = "long") -> str:
    """"April 23, 2024", or with "short" "Apr 23"; takes the ISO strings of digest.json too."""
    d = _as_date(value)
    month = MONTHS[d.month - 1]
    return f"{month[:3]} {d.day}" if style == "short" else f"{month} {d.day}, {d.year}"


def date_span(start: str | date, end: str | date) -> str:
    """"April 22–28, 2024", "April 29 – May 5, 2024", "December 30, 2024 – January 5, 2025"."""
    a, b = _as_date(start), _as_date(end)
    if a.year != b.year:
        return f"{day(a)} – {day(b)}"
    if a.month != b.month:
        return f"{MONTHS[a.month - 1]} {a.day} – {MONTHS[b.month - 1]} {b.day}, {b.year}"
    return f"{MONTHS[a.month - 1]} {a.day}–{b.day}, {b.year}"
