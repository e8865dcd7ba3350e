"""Finding, loading and running templates: the newsletter's own first, then the defaults.

As in pelican and mkdocs, an editor overrides a default by putting a file of
the same name in the newsletter's `templates/` folder, and can extend a
default instead of copying it: `{% extends "default:digest.mjml.j2" %}`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import jinja2.ext

from ..errors import DigestError, where

PACKAGE = Path(__file__).resolve().parents[1]

# Spelled out rather than strftime("%B"), which follows the process's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class TemplateError(DigestError):
    """A template that does not load, render or compile: file and line, never a traceback.

    Exit 2, as the validator's errors: the fault is in the editor's template,
    not in the sources or the machine, and a rerun will not mend it.
    """

    exit_code = 2


def default_templates_dir() -> Path:
    """The packaged defaults: inside the wheel, else the repository's templates/ beside the package."""
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by file and checked against the source.

    Environments are made fresh for each render (so a new override file is seen
    at once), which would compile every template again each time; this keeps
    the compiled code of a file whose source has not changed.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# One cache per kind of environment: autoescaping and extensions change the compiled code.
_BYTECODE: dict[tuple[bool, tuple[type, ...]], _MemoryBytecode] = {}


def environment(
    template_dirs: Sequence[Path], *, html: bool, extensions: Sequence[type[jinja2.ext.Extension]] = ()
) -> jinja2.Environment:
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
        extensions=list(extensions),
        bytecode_cache=_BYTECODE.setdefault((html, tuple(extensions)), _MemoryBytecode()),
    )
    env.filters["day"] = day
    env.filters["span"] = date_span
    return env


def template_sources(template_dirs: Sequence[Path]) -> list[tuple[str, Path, bool]]:
    """Every template by name, the file a render uses for it, and whether that is the newsletter's own."""
    found: dict[str, tuple[Path, bool]] = {}
    defaults = default_templates_dir()
    for folder, own in [*((Path(d), True) for d in template_dirs), (defaults, False)]:
        own = own and folder.resolve() != defaults.resolve()  # digest's own checkout builds with its defaults
        if folder.is_dir():
            for path in sorted(folder.rglob("*.j2")):
                found.setdefault(path.relative_to(folder).as_posix(), (path, own))
    return [(name, path, own) for name, (path, own) in sorted(found.items())]


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any problem in it becomes a TemplateError naming file and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_syntax_error(env, exc, name)) from None
    except jinja2.TemplateNotFound as exc:
        filename, line = _frame(exc, name)
        raise TemplateError(f"{where(filename, line)}: template not found: {exc.name}") from None
    except TemplateError:
        raise
    except RecursionError as exc:
        # The usual cause: an override that extends its own name instead of the default.
        filename, looping = _looping(env, exc, name)
        hint = "a template that extends or includes itself"
        if (default_templates_dir() / looping).is_file():
            hint += f'; to build on the default, write {{% extends "default:{looping}" %}}'
        raise TemplateError(f"{where(filename)}: {hint}") from None
    except Exception as exc:  # noqa: BLE001 - whatever an editor's template gets wrong, say where
        filename, line = _frame(exc, name)
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"{where(filename, line)}: {message}") from None


def _syntax_error(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError, name: str) -> str:
    """One line for a syntax error; a block left open is reported where it was opened.

    Jinja notices an unclosed `{% if %}` only at the `{% endblock %}` or the
    end of the file that comes after it, which is not where the editor must look.
    """
    filename = exc.filename or exc.name or name
    message = exc.message or "syntax error"
    innermost = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
    source = exc.source
    if source is None and exc.filename and Path(exc.filename).is_file():
        source = Path(exc.filename).read_text(encoding="utf-8")
    opened = _open_block(env, source, innermost.group(1)) if innermost and source is not None else None
    if innermost is None or opened is None:
        return f"{where(filename, exc.lineno)}: {message}"
    found = re.match(r"Encountered unknown tag '(\w+)'", message)
    stopped = f"{{% {found.group(1)} %}} on line {exc.lineno}" if found else "the end of the file"
    return f"{where(filename, opened)}: {{% {innermost.group(1)} %}} is never closed ({stopped} comes first)"


# The tags that open a block closed by "end<tag>"; `set` only without "=" (a block assignment).
_BLOCK_TAGS = {"for", "if", "block", "macro", "call", "filter", "set", "with", "autoescape", "trans"}


def _open_block(env: jinja2.Environment, source: str, innermost: str) -> int | None:
    """The line of the innermost block still open where Jinja gave up, if it is an `innermost` block."""
    stack: list[tuple[str, int]] = []
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    for at, (line, kind, _) in enumerate(tokens):
        if kind != "block_begin" or at + 1 >= len(tokens) or tokens[at + 1][1] != "name":
            continue
        tag = tokens[at + 1][2]
        if tag in _BLOCK_TAGS:
            rest = itertools.takewhile(lambda t: t[1] != "block_end", tokens[at + 2 :])
            if tag != "set" or not any(t[1] == "operator" and t[2] == "=" for t in rest):
                stack.append((tag, line))
        elif tag.startswith("end") and tag[3:] in _BLOCK_TAGS:
            if not stack or stack[-1][0] != tag[3:]:
                break  # where Jinja stopped: the end of a block that is not the innermost one open
            stack.pop()
    return stack[-1][1] if stack and stack[-1][0] == innermost else None


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


def _looping(env: jinja2.Environment, exc: RecursionError, name: str) -> tuple[str, str]:
    """The file and template name of the innermost template frame: the one that loops, not the one rendered."""
    filename = _frame(exc, name)[0]
    # Jinja rewrites the traceback's frames to name the file alone; its cache knows the name it was loaded by.
    names = {t.filename: t.name for t in env.cache.values()} if env.cache is not None else {}
    looping = names.get(filename) or Path(filename).name
    return filename, looping.removeprefix("default:")


def _as_date(value: str | date) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def day(value: str | date, style: str = "long") -> str:
    """ "April 23, 2024", or with "short" "Apr 23"; takes the ISO strings of digest.json too."""
    d = _as_date(value)
    month = MONTHS[d.month - 1]
    return f"{month[:3]} {d.day}" if style == "short" else f"{month} {d.day}, {d.year}"


def date_span(start: str | date, end: str | date) -> str:
    """ "April 22–28, 2024", "April 29 – May 5, 2024", "December 30, 2024 – January 5, 2025"."""
    a, b = _as_date(start), _as_date(end)
    if a.year != b.year:
        return f"{day(a)} – {day(b)}"
    if a.month != b.month:
        return f"{MONTHS[a.month - 1]} {a.day} – {MONTHS[b.month - 1]} {b.day}, {b.year}"
    return f"{MONTHS[a.month - 1]} {a.day}–{b.day}, {b.year}"
