"""MJML markup into the element tree node MJML validates, read the way mjml-parser-xml reads it.

mjml-parser-xml (htmlparser2 in HTML mode) lowercases tag names but not
attribute names, keeps attribute values as written (no entity decoding),
closes void HTML tags at once, closes every tag still open under one that
closes, ignores a closing tag with nothing open of its name, takes the
content of "ending tags" (mj-text, mj-button, mj-raw, ...) as raw HTML, and
turns an HTML comment into an mj-raw child. This module does the same, so
the validator sees the tree node MJML would.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

# htmlparser2's void elements: an opening tag that is also its own end.
VOID = frozenset(
    "area base basefont br col command embed frame hr image img input isindex keygen link meta param "
    "source track wbr".split()
)
COMMENT = "mj-raw"  # what mjml-parser-xml makes of <!-- ... --> (keepComments, the CLI's default)

_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""\s*(?:([^\s=/>][^\s=/>]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?)?""")


@dataclass(slots=True)
class Element:
    """One element: its tag, attributes as written, children, and where its '<' stands in the markup."""

    tag: str
    attributes: dict[str, str]
    offset: int
    children: list[Element] = field(default_factory=list)
    comment: bool = False
    unquoted: tuple[str, ...] = ()  # attributes whose value has no quotes, which mjml-python cannot read
    # Ended by its own closing tag or "/>", not by a parent's closing tag or the end of the markup.
    closed: bool = False


@dataclass(frozen=True, slots=True)
class StrayClose:
    """A closing tag with no open tag of its name (MJML ignores it), and the innermost tag open there.

    `earlier` is the closing tag that closed the last element of this name and
    `opened` where that element opened: when the two came from different
    templates, the earlier one is usually the stray (a partial that ends in
    the layout's </mj-body>), and this one only looks like it.
    """

    tag: str
    offset: int
    open: str | None
    earlier: int | None = None
    opened: int | None = None


def parse(markup: str, ending_tags: Collection[str], strays: list[StrayClose] | None = None) -> list[Element]:
    """The top-level elements of `markup` (one, <mjml>, in a well-formed template).

    Closing tags that close nothing, outside ending tags, are added to `strays`.
    """
    roots: list[Element] = []
    stack: list[tuple[str, Element | None]] = []  # every open tag; None for those inside an ending tag
    inside_ending = 0
    last_closed: dict[str, tuple[int, int]] = {}  # tag -> (its closing tag's offset, its opening tag's offset)
    pos = 0
    while True:
        start = markup.find("<", pos)
        if start < 0:
            break
        if markup.startswith("<!--", start):
            end = markup.find("-->", start + 4)
            pos = len(markup) if end < 0 else end + 3
            if not inside_ending:
                _append(Element(COMMENT, {}, start, comment=True), stack, roots)
            continue
        if markup.startswith(("<!", "<?"), start):  # doctype, CDATA, processing instruction
            end = markup.find("]]>" if markup.startswith("<![CDATA[", start) else ">", start)
            pos = len(markup) if end < 0 else end + 1
            continue
        match = _TAG.match(markup, start)
        if not match:
            pos = start + 1  # a bare '<' is text
            continue
        closing, name = match.group(1) == "/", match.group(2).lower()
        attributes, unquoted, pos, self_closing = _attributes(markup, match.end())
        if closing and name in ("p", "br") and not inside_ending and name not in (n for n, _ in stack):
            # htmlparser2 reads a stray </p> as <p></p> and </br> as <br>, as browsers do.
            _append(Element(name, {}, start), stack, roots)
            continue
        if closing:
            if strays is not None and not inside_ending and name not in (open_ for open_, _ in stack):
                earlier, opened = last_closed.get(name, (None, None))
                strays.append(StrayClose(name, start, stack[-1][0] if stack else None, earlier, opened))
            closed = _close(name, stack, ending_tags, inside_ending)
            if closed is not None:
                inside_ending, element = closed
                if element is not None:
                    element.closed = True
                    last_closed[name] = (start, element.offset)
            continue
        element = None
        if not inside_ending:
            element = Element(name, attributes, start, unquoted=unquoted, closed=self_closing or name in VOID)
            _append(element, stack, roots)
        if name in ending_tags and not self_closing:
            inside_ending += 1
        if self_closing or name in VOID:
            continue
        stack.append((name, element))
    return roots


def _append(element: Element, stack: list[tuple[str, Element | None]], roots: list[Element]) -> None:
    parent = next((open_ for _, open_ in reversed(stack) if open_ is not None), None)
    (parent.children if parent else roots).append(element)


def _close(
    name: str, stack: list[tuple[str, Element | None]], ending_tags: Collection[str], inside: int
) -> tuple[int, Element | None] | None:
    """Close `name` and every tag opened after it: the ending tags still open, and the element closed.

    None for a closing tag with nothing of its name open, which is ignored.
    """
    names = [open_name for open_name, _ in stack]
    if name not in names:
        return None
    while stack:
        open_name, element = stack.pop()
        if open_name in ending_tags and inside:
            inside -= 1
        if open_name == name:
            return inside, element
    return inside, None


def _attributes(markup: str, pos: int) -> tuple[dict[str, str], tuple[str, ...], int, bool]:
    """The attributes from `pos` to the end of the tag, those without quotes, the offset after it, and '/>'."""
    attributes: dict[str, str] = {}
    unquoted: list[str] = []
    while pos < len(markup):
        if markup.startswith("/>", pos):
            return attributes, tuple(unquoted), pos + 2, True
        if markup[pos] == ">":
            return attributes, tuple(unquoted), pos + 1, False
        match = _ATTRIBUTE.match(markup, pos)
        if not match or match.end() == pos:
            pos += 1
            continue
        name = match.group(1)
        if name is not None and name not in attributes:  # the first of two same-named attributes wins
            value = next((v for v in match.group(2, 3, 4) if v is not None), "")
            attributes[name] = value
            if match.group(4):
                unquoted.append(name)
        pos = match.end()
    return attributes, tuple(unquoted), pos, False
