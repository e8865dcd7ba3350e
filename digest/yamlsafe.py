"""YAML without aliases: the one loader for `sources.yaml` and for front matter.

An alias (`*name`) makes a node stand for an earlier one, so nine short lines
can stand for 9^9 strings ("billion laughs"): PyYAML's safe loader builds the
graph small, but anything that walks it as a tree (our config validator, a
`str()` of the value, JSON) expands it. Neither a config nor a note's front
matter needs aliases, so the composer refuses the first one, with its line,
before anything is built. Nesting is capped as well: PyYAML composes nested
nodes by recursion, and `[[[[...` a few thousand deep would end in a
RecursionError instead of a message. A NUL (only possible escaped, `"\0"`)
is refused too: no path, address or text can hold one. Every refusal is a
yaml.YAMLError with a line, as a syntax error is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

MAX_DEPTH = 64


class RefusedYAML(yaml.composer.ComposerError):
    """YAML that is valid but refused: an alias, or nesting past MAX_DEPTH."""


class _Composer(yaml.SafeLoader):
    """The safe loader, with a composer that refuses aliases and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise RefusedYAML(
                None, None, f"aliases (*{event.anchor}) are not allowed, write the value out", event.start_mark
            )
        if self._depth >= MAX_DEPTH:
            raise RefusedYAML(None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.ScalarNode) and "\x00" in node.value:
            # YAML refuses a NUL written out; written as "\0" it would reach paths and text that cannot hold it.
            raise RefusedYAML(None, None, 'a NUL character ("\\0") is not allowed', node.start_mark)
        return node


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (for line numbers); yaml.YAMLError when it is bad or refused."""
    return _run(text, lambda loader: loader.get_single_node())


def load(text: str) -> Any:
    """The value of one YAML document, as yaml.safe_load gives it; yaml.YAMLError when bad or refused."""
    return _run(text, lambda loader: loader.get_single_data())


def _run(text: str, step: Callable[[_Composer], Any]) -> Any:
    try:  # the reader checks every character as it is made, and as it reads on
        loader = _Composer(text)
        try:
            return step(loader)
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        raise _with_line(exc, text) from None


def _with_line(exc: yaml.reader.ReaderError, text: str) -> RefusedYAML:
    """A character YAML refuses (a control character), as one line with its place, like every other error."""
    line = text.count("\n", 0, exc.position)
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
    mark = yaml.Mark(exc.name, exc.position, line, column, None, 0)  # no buffer: no snippet
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return RefusedYAML(None, None, f"character #x{character:04x} is not allowed in YAML ({exc.reason})", mark)
