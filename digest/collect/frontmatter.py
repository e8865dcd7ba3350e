"""Front matter (YAML `---` or TOML `+++`): the metadata block at the top of a note.

Real notes have typos (`title- My post` for `title: My post`) and unclosed
fences. When the block does not parse, or parses without a key we need, each
line is read on its own as `key: value`, `key- value` or `key = value`, so
the title survives. Nothing here raises on bad input: the worst case is
less metadata. YAML goes through the one alias-refusing loader, so a
"billion laughs" block costs a warning, not the build.
"""

from __future__ import annotations

import re
from typing import Any

import tomllib
import yaml

from ..yamlsafe import RefusedYAML
from ..yamlsafe import load as load_yaml

FENCES = {"---": "yaml", "+++": "toml"}
KNOWN = frozenset(
    {
        "title",
        "date",
        "published",
        "pubdate",
        "created",
        "author",
        "authors",
        "tags",
        "categories",
        "keywords",
        "description",
        "summary",
        "draft",
        "lastmod",
        "updated",
    }
)
_OPEN_RE = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")
_LINE_RE = re.compile(r"^([A-Za-z_][\w-]*?)\s*(?::|=|-(?=\s))\s*(.*?)\s*$")
_LIST_ITEM_RE = re.compile(r"^\s+-\s+(.+?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """(metadata with lower-case keys, body, a problem worth a warning); ({}, text, None) without front matter."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.lstrip("\n ")
    opening = _OPEN_RE.match(stripped)
    if opening is None:
        meta, body = _header_lines(stripped) or ({}, text)
        return meta, body, None
    fence = stripped[:3]
    rest = stripped[opening.end() :]
    closing = re.search(rf"^(?:{re.escape(fence)}|\.\.\.)[ \t]*$", rest, re.MULTILINE)
    if closing is not None:
        block, body = rest[: closing.start()], rest[closing.end() :]
    else:
        # An unclosed fence: the metadata is the run of lines up to the first blank one.
        block, _, body = rest.partition("\n\n")
    first_line = text[: len(text) - len(stripped)].count("\n") + 2  # the block's, in the file: after the fence
    meta, problem = parse_block(block, FENCES[fence], first_line)
    if not meta:
        return {}, text, problem  # a horizontal rule, not front matter: keep the text whole
    return meta, body, problem


_HEADER_RE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(\S.*?)[ \t]*$")


def _header_lines(text: str) -> tuple[dict[str, Any], str] | None:
    """Unfenced metadata, as Pelican and MultiMarkdown write it: 'Title: ...' lines up to a blank line.

    Only when every line of that first run is a known key, so a text that
    opens with "Note: the numbers are early" keeps its first line.
    """
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    found = [_HEADER_RE.match(line) for line in lines]
    matches = [m for m in found if m is not None]
    if (
        len(matches) < len(found)
        or not any(m.group(1).lower() == "title" for m in matches)
        or not all(m.group(1).lower() in KNOWN for m in matches)
    ):
        return None
    return {m.group(1).lower(): _unquote(m.group(2)) for m in matches}, body


def parse_block(block: str, kind: str, first_line: int = 1) -> tuple[dict[str, Any], str | None]:
    """The keys of one front-matter block, parsed strictly, then filled in line by line.

    A typo is an ordinary failure, read line by line in silence; YAML that is
    refused (aliases, deep nesting) is said, as somebody may be trying it on.
    """
    data: dict[str, Any] = {}
    problem = None
    try:
        parsed = load_yaml(block) if kind == "yaml" else tomllib.loads(block)
    except RefusedYAML as exc:
        parsed = None
        line = f"line {exc.problem_mark.line + first_line}: " if exc.problem_mark else ""
        problem = f"front matter not read as YAML ({line}{exc.problem}), its lines read one by one"
    except RecursionError:  # tomllib nests by recursion too
        parsed, problem = None, "front matter nested too deep, its lines read one by one"
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError):
        parsed = None
    if isinstance(parsed, dict):
        data = {str(k).lower(): v for k, v in parsed.items()}
    for key, value in _read_lines(block).items():
        if _empty(data.get(key)):
            data[key] = value
    return data, problem


def _read_lines(block: str) -> dict[str, Any]:
    """`key: value` lines of the known keys, read one by one; `- item` lines make a list."""
    found: dict[str, Any] = {}
    key = None
    for line in block.split("\n"):
        item = _LIST_ITEM_RE.match(line)
        if item and key and isinstance(found.get(key), list):
            found[key].append(_unquote(item.group(1)))
            continue
        match = _LINE_RE.match(line)
        key = match.group(1).lower() if match else None
        if match is None or key not in KNOWN or key in found:
            key = None
            continue
        value = match.group(2)
        if value.startswith("[") and value.endswith("]"):
            found[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        else:
            found[key] = _unquote(value) if value else []
    return {k: v for k, v in found.items() if not _empty(v)}


def _unquote(value: str) -> str:
    return value.strip().strip("'\"").strip()


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
