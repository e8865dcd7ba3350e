"""The MJML the templates produce, checked against MJML's own component rules.

mjml-python compiles what it can and says nothing: `<mj-colum>` silently
loses its padding and `colr="red"` is ignored. Node MJML's validator (`mjml
--validate strict`) has four rules, and so does this module: validTag (a tag
MJML knows), validAttributes (an attribute the component takes), validChildren
(a child its parent accepts) and validTypes (a colour, unit, enum, ... of the
right form). The rule table, `mjml_rules.json`, is generated from node MJML's
component definitions by `scripts/mjml_rules.js` and names the MJML version
it follows. Every problem is one line at the template line it came from.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import where
from .mjml_tree import Element, StrayClose, parse
from .sourcemap import LineMarkers, SourceMap, strip
from .templates import TemplateError, default_templates_dir, environment, render

RULES = Path(__file__).with_name("mjml_rules.json")
# Where HTML goes in MJML: the components whose content is raw HTML.
HTML_HOLDERS = "<mj-text>, <mj-button>, <mj-table> or <mj-raw>"


class InvalidTemplate(TemplateError):
    """Templates whose MJML breaks MJML's rules: a build stops before writing (exit 2)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule, at the template file and line that wrote the element."""

    file: str
    line: int | None
    # validTag | validAttributes | validChildren | validTypes, as node MJML names them; and two of
    # digest's own, for markup mjml-python reads otherwise: closingTag and quotedValue.
    rule: str
    tag: str
    message: str
    attribute: str = ""  # the attribute at fault, for validAttributes and validTypes

    def __str__(self) -> str:
        return f"{where(self.file, self.line)}: {self.message}"


@dataclass(frozen=True, slots=True)
class Rules:
    """node MJML's table: components with their attributes' types, and the children each parent takes."""

    version: str
    components: Mapping[str, Mapping[str, str]]
    ending_tags: frozenset[str]
    componentless: frozenset[str]
    global_attributes: frozenset[str]
    skip: frozenset[str]
    children: Mapping[str, tuple[frozenset[str], tuple[re.Pattern[str], ...]]]
    colors: frozenset[str]


@functools.cache
def rules() -> Rules:
    table = json.loads(RULES.read_text(encoding="utf-8"))
    return Rules(
        version=table["mjml"],
        components={tag: c["attributes"] for tag, c in table["components"].items()},
        ending_tags=frozenset(tag for tag, c in table["components"].items() if c["ending_tag"]),
        componentless=frozenset(table["componentless_tags"]),
        global_attributes=frozenset(table["global_attributes"]),
        skip=frozenset(table["skip_elements"]),
        children={
            parent: (frozenset(deps["tags"]), tuple(re.compile(p) for p in deps["patterns"]))
            for parent, deps in table["children"].items()
        },
        colors=frozenset(table["colors"]),
    )


def validate(template_dirs: Sequence[Path], name: str, model: Mapping[str, Any]) -> list[Problem]:
    """Render `name` with line markers and check its MJML; the problems, each at its template line."""
    env = environment(template_dirs, html=True, extensions=(LineMarkers,))
    marked = render(env, name, **model)
    return check(strip(marked), name)


def ensure_valid(template_dirs: Sequence[Path], name: str, model: Mapping[str, Any]) -> None:
    problems = validate(template_dirs, name, model)
    if problems:
        raise InvalidTemplate([str(problem) for problem in problems])


def check(source: SourceMap, name: str = "digest.mjml.j2") -> list[Problem]:
    """Every problem in the MJML of `source`, each once: by file (the first met first), then by line."""
    table = rules()
    found: dict[tuple[str, int | None, str], Problem] = {}

    def report(element: Element, rule: str, message: str, attribute: str = "") -> None:
        file, line = source.origin(element.offset) or (name, None)
        found.setdefault((file, line, message), Problem(file, line, rule, element.tag, message, attribute))

    def visit(element: Element) -> None:
        if element.tag not in table.skip and not element.comment:
            _check_element(element, table, report)
        for child in element.children:
            visit(child)

    strays: list[StrayClose] = []
    for root in parse(source.text, table.ending_tags, strays):
        visit(root)
    for stray in strays:
        elsewhere = _closed_elsewhere(stray, source)
        if elsewhere is not None:
            at, opener = elsewhere
            report(
                Element(stray.tag, {}, at),
                "closingTag",
                f"</{stray.tag}> closes the <{stray.tag}> of "
                f"{_shown(opener)}, which closes it itself (leave it out here)",
            )
            continue
        # MJML skips a closing tag that closes nothing; it is nearly always a misspelling of the one meant.
        like_open = bool(stray.open and difflib.get_close_matches(stray.tag, [stray.open], cutoff=0.75))
        if like_open and not _known(stray.open or "", table):
            continue  # </mj-column> after <mj-colum>: the opening tag is the one reported
        guess = f" (did you mean </{stray.open}>?)" if like_open else ""
        report(Element(stray.tag, {}, stray.offset), "closingTag", f"</{stray.tag}> closes no open tag{guess}")
    files = list(dict.fromkeys(problem.file for problem in found.values()))
    return sorted(found.values(), key=lambda p: (files.index(p.file), p.line or 0))


def _closed_elsewhere(stray: StrayClose, source: SourceMap) -> tuple[int, str] | None:
    """The closing tag to blame instead of `stray` when another file closed its tag first, and the opener's file.

    A partial ending in `</mj-body>` closes the layout's <mj-body>, and the
    layout's own `</mj-body>` then closes nothing: the layout is right, the
    partial is not.
    """
    if stray.earlier is None or stray.opened is None:
        return None
    here, earlier, opened = (
        origin[0] if origin else None for origin in map(source.origin, (stray.offset, stray.earlier, stray.opened))
    )
    if opened is None or earlier is None or here != opened or earlier == opened:
        return None
    return stray.earlier, opened


def _shown(filename: str) -> str:
    """A template file as an editor knows it: a default by its name, never by a path into the installed package."""
    path, defaults = Path(filename).resolve(), default_templates_dir().resolve()
    return f"the default {path.relative_to(defaults).as_posix()}" if path.is_relative_to(defaults) else where(filename)


def _check_element(element: Element, table: Rules, report: Callable[..., None]) -> None:
    tag = element.tag
    for attribute in element.unquoted:
        # Node MJML reads a bare value; mjml-python, which compiles the email, cannot.
        report(
            element,
            "quotedValue",
            f"<{tag} {attribute}={element.attributes[attribute]}>: put the value in "
            f'quotes ({attribute}="{element.attributes[attribute]}")',
            attribute,
        )
    if tag in table.componentless:
        return
    allowed = table.components.get(tag)
    if allowed is None:
        report(element, "validTag", _unknown_tag(tag, table))
        return
    for attribute, value in element.attributes.items():
        kind = allowed.get(attribute)
        if kind is None:
            if attribute not in table.global_attributes:
                report(element, "validAttributes", _unknown_attribute(tag, attribute, allowed), attribute)
            continue
        wrong = _checker(kind, table.colors)(value)
        if wrong:
            report(element, "validTypes", f'<{tag} {attribute}="{value}">: {wrong}', attribute)
    tags, patterns = table.children.get(tag, (frozenset(), ()))
    misplaced = [
        child
        for child in element.children
        if child.tag in table.components
        and child.tag not in table.skip  # unknown: validTag says so
        and child.tag not in tags
        and not any(p.search(child.tag) for p in patterns)
    ]
    if misplaced and not element.closed:
        # What follows an unclosed tag lands inside it; the tag left open is the one mistake to report.
        end = f"end it with <{tag} />" if not (tags or patterns) else f"close it with </{tag}>"
        report(element, "closingTag", f"<{tag}> is never closed ({end})")
        return
    for child in misplaced:
        parents = sorted(parent for parent, (child_tags, _) in table.children.items() if child.tag in child_tags)
        what = "an HTML comment (MJML makes it an <mj-raw>)" if child.comment else f"<{child.tag}>"
        report(
            child,
            "validChildren",
            f"{what} cannot be used inside <{tag}>, only inside " + _either(f"<{p}>" for p in parents),
        )


def _known(tag: str, table: Rules) -> bool:
    return tag in table.components or tag in table.componentless or tag in table.skip


def _unknown_tag(tag: str, table: Rules) -> str:
    if tag == "mj-include":  # node MJML reads the file; mjml-python, which compiles the email, cannot
        return '<mj-include> cannot be compiled here: use {% include "file.mjml.j2" %} instead'
    known = sorted({*table.components, *table.componentless})
    guess = difflib.get_close_matches(tag, known, n=1, cutoff=0.75)
    if guess:
        return f"<{tag}> is not an MJML tag (did you mean <{guess[0]}>?)"
    if not tag.startswith("mj-"):
        return f"<{tag}> is not an MJML tag (HTML goes inside {HTML_HOLDERS})"
    return f"<{tag}> is not an MJML tag"


def _unknown_attribute(tag: str, attribute: str, allowed: Mapping[str, str]) -> str:
    guess = difflib.get_close_matches(attribute, sorted(allowed), n=1, cutoff=0.7)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    if not allowed:
        hint = " (it takes none)"
    return f"<{tag}> has no attribute {attribute}{hint}"


def _either(items: Any) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else "".join(items)


@functools.cache
def _checker(kind: str, colors: frozenset[str]) -> Callable[[str], str | None]:
    """A check for one attribute type of MJML (mjml-core/lib/types): the reason a value is wrong, or None."""
    if kind.startswith("boolean"):
        # mjml-parser-xml turns exactly "true" and "false" into booleans; nothing else is one.
        return lambda value: None if value in ("true", "false") else "expected true or false"
    if kind.startswith("enum"):
        choices = _arguments(kind)
        shown = _either(c or '""' for c in choices)
        return lambda value: None if value in choices else f"expected {shown}"
    if kind.startswith("color"):
        return lambda value: (
            None if _is_color(value, colors) else ("not a colour (#rgb, #rrggbb, rgb(), rgba() or a CSS colour name)")
        )
    if kind.startswith(("unit", "unitWithNegative")):
        return _unit_checker(kind)
    if kind.startswith("integer"):
        return lambda value: None if re.search(r"\d", value, re.ASCII) else "expected a whole number"
    return lambda value: None  # string: anything goes


def _arguments(kind: str) -> list[str]:
    match = re.search(r"\(([^)]+)\)", kind)
    return match.group(1).split(",") if match else []


# mjml-core's colour type, as written there: rgb() and rgba() anywhere in the
# value, a hex colour or a colour name for the whole of it.
_RGBA = re.compile(r"rgba\(\d{1,3},\s?\d{1,3},\s?\d{1,3},\s?\d(\.\d{1,3})?\)", re.IGNORECASE | re.ASCII)
_RGB = re.compile(r"rgb\(\d{1,3},\s?\d{1,3},\s?\d{1,3}\)", re.IGNORECASE | re.ASCII)
_HEX = re.compile(r"#([0-9a-f]{3}){1,2}", re.IGNORECASE)


def _is_color(value: str, colors: frozenset[str]) -> bool:
    return bool(_RGBA.search(value) or _RGB.search(value) or _HEX.fullmatch(value) or value in colors)


def _unit_checker(kind: str) -> Callable[[str], str | None]:
    # mjml-core's unit type: 1 (or {m,n}) space-separated numbers, each with
    # one of the units; "0" alone is always fine, "auto" where it is listed.
    units = _arguments(kind)
    counts = re.search(r"\{([^}]+)\}", kind)
    repeat = counts.group(1).split(",") if counts else ["1"]
    negative = "-|" if kind.startswith("unitWithNegative") else ""
    auto = "|auto" if "auto" in units else ""
    number_units = [u for u in units if u != "auto"]
    pattern = re.compile(
        f"(((({negative}\\d|,|\\.)+)({'|'.join(map(re.escape, number_units))})|0{auto})( )?){{{','.join(repeat)}}}",
        re.ASCII,
    )
    how_many = " to ".join(repeat)
    plural = "" if repeat == ["1"] else "s"
    shown = _either(
        [u for u in number_units if u] + (["a bare number"] if "" in number_units else []) + (["auto"] if auto else [])
    )
    message = f"expected {how_many} value{plural} in {shown}"
    return lambda value: None if pattern.fullmatch(value) else message
