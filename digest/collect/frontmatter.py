"""Front matter: YAML (`---`) or TOML (`+++`), read tolerantly.

Real notes have typos (`title- My post` for `title: My post`): when the block
does not parse, or parses without the keys we need, each line is read on its
own as `key: value`, `key- value` or `key = value`, so the title survives.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

FENCES = {"---": "yaml", "+++": "toml"}
KNOWN = ("title", "date", "published", "pubdate", "author", "authors", "tags", "categories", "keywords",
         "description", "summary", "draft", "lastmod", "updated")
_LINE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|=|-(?=\s))\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body); metadata is {} when there is no front matter."""
    stripped = text.lstrip("\ufeff\n\r ")
    fence = stripped[:3]
    if fence not in FENCES or not stripped[3:4] in ("\n", "\r"):
        return {}, text
    end = re.search(rf"^{re.escape(fence)}[ \t]*$", stripped[4:], re.MULTILINE)
    if end is None:
        return {}, text
    block = stripped[4:4 + end.start()]
    body = stripped[4 + end.end():]
    return parse_block(block, FENCES[fence]), body


def parse_block(block: str, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    try:
        parsed = yaml.safe_load(block) if kind == "yaml" else tomllib.loads(block)
        if isinstance(parsed, dict):
            data = {str(k).lower(): v for k, v in parsed.items()}
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
        pass
    # Fill what the parser missed (or misread) from a line-by-line reading.
    for key, value in _lines(block).items():
        if key not in data or not _usable(data[key]):
            data[key] = value
    return data


def _lines(block: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for line in block.splitlines():
        match = _LINE_RE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key not in KNOWN or key in found or not value:
            continue
        value = value.strip().strip("'\"")
        if value.startswith("[") and value.endswith("]"):
            found[key] = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
        else:
            found[key] = value
    return found


def _usable(value: Any) -> bool:
    return value not in (None, "", [], {})
