"""Which template line wrote each character of a render: line markers in the output.

Problems in the MJML must be reported at the line of the template an editor
wrote, not at a line of the rendered markup, which mixes a layout, its
partials and loops. A Jinja extension puts an invisible marker ("this is file
F, line L") before every line of literal template text; `strip` takes them out
again and keeps where each was. Markers sit only in literal text, never inside
a `{% tag %}` or `{{ expression }}`, so they cannot change how a template
parses (a `{{ variable }}` gets one too, for what it writes); the marked
render serves the validator alone, never the email.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2
import jinja2.ext
from jinja2.lexer import Token, TokenStream

# Private-use characters: not whitespace (str.strip keeps them), not escaped
# by Markup, and never in an editor's template or an article's text.
OPEN, CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{OPEN}(\\d+):(\\d+){CLOSE}")
# Template files by number, for the whole process: compiled templates are
# cached (templates._BYTECODE) with their markers' numbers in them.
_FILES: dict[str, int] = {}
_NAMES: list[str] = []


def _file_number(filename: str) -> int:
    if filename not in _FILES:
        _FILES[filename] = len(_NAMES)
        _NAMES.append(filename)
    return _FILES[filename]


class LineMarkers(jinja2.ext.Extension):
    """Marks every line of literal text with its template file and line."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        index = _file_number(stream.filename or stream.name or "<template>")
        for token in stream:
            if token.type == "variable_begin":
                # What a {{ variable }} writes (a |safe snippet, say) belongs to its
                # own line, even when no literal text precedes it there.
                yield Token(token.lineno, "data", f"{OPEN}{index}:{token.lineno}{CLOSE}")
                yield token
            elif token.type == "data":
                lines = token.value.split("\n")
                last = len(lines) - 1
                yield Token(
                    token.lineno,
                    "data",
                    "\n".join(
                        f"{OPEN}{index}:{token.lineno + n}{CLOSE}{text}" if text or n == last else text
                        for n, text in enumerate(lines)
                    ),
                )
            else:
                yield token


@dataclass(frozen=True, slots=True)
class SourceMap:
    """The render without its markers, and the template file and line of any offset in it."""

    text: str
    offsets: tuple[int, ...]
    origins: tuple[tuple[str, int], ...]

    def origin(self, offset: int) -> tuple[str, int] | None:
        """The file and line of the literal text at `offset` (or the nearest before it)."""
        at = bisect.bisect_right(self.offsets, offset) - 1
        return self.origins[at] if at >= 0 else None


def strip(marked: str) -> SourceMap:
    """Take the markers out of a marked render, remembering where each one stood."""
    chunks: list[str] = []
    offsets: list[int] = []
    origins: list[tuple[str, int]] = []
    length = last = 0
    for match in _MARKER.finditer(marked):
        if int(match.group(1)) >= len(_NAMES):
            continue  # not one of ours (private-use characters in an article, say): text like any other
        chunk = marked[last : match.start()]
        chunks.append(chunk)
        length += len(chunk)
        offsets.append(length)
        origins.append((_NAMES[int(match.group(1))], int(match.group(2))))
        last = match.end()
    chunks.append(marked[last:])
    return SourceMap("".join(chunks), tuple(offsets), tuple(origins))
