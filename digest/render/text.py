"""The plaintext part: rendered by its template, wrapped at 72 columns."""

from __future__ import annotations

import re
import textwrap

WIDTH = 72
_BULLET_RE = re.compile(r"^(\s*)([*—-] |\[\d+\] )?")


class References:
    """Numbered links: `ref(url)` gives "[n]", the same number for the same URL."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, url: str) -> str:
        number = self.numbers.setdefault(url, len(self.numbers) + 1)
        return f"[{number}]"

    def __iter__(self):
        return iter((number, url) for url, number in self.numbers.items())

    def __bool__(self) -> bool:
        return bool(self.numbers)


def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap every long line, keeping list items' hanging indent; URLs are never broken."""
    out = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line.rstrip())
            continue
        match = _BULLET_RE.match(line)
        assert match is not None  # every part of the pattern is optional: it matches any line
        indent, marker = match.group(1), match.group(2) or ""
        out.extend(
            textwrap.wrap(
                line[len(indent) + len(marker) :],
                width=width,
                initial_indent=indent + marker,
                subsequent_indent=" " * (len(indent) + len(marker)),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out).strip("\n") + "\n"
