"""The main text of a full web page, with its structure, via trafilatura.

trafilatura is the field's reference for separating an article from the
page around it; its XML output keeps headings, paragraphs and list items,
which become our blocks. When it finds nothing (a bare fragment, an
unusual page) our own cleaner reads the page instead.
"""

from __future__ import annotations

import re
from typing import Any

from ..models import Block
from .clean import normalize
from .html import hidden_elements, html_to_blocks, parse_html

_LEVEL_RE = re.compile(r"h([1-6])")


def page_to_blocks(html: str) -> tuple[list[Block], dict[str, Any]]:
    """(blocks, metadata with title/author/date when trafilatura finds them)."""
    try:
        import lxml.html
        import trafilatura
        from lxml import etree

        tree = parse_html(html)
        hidden = hidden_elements(tree)
        if hidden:  # text no reader sees is not the article
            for element in hidden:
                element.drop_tree()
            html = lxml.html.tostring(tree, encoding="unicode")
        xml = trafilatura.extract(
            html,
            output_format="xml",
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            include_links=False,
            include_images=False,
            with_metadata=True,
        )
        root = etree.fromstring(xml.encode("utf-8")) if xml else None
    except Exception:  # noqa: BLE001 - a page trafilatura cannot read is read by our cleaner
        root = None
    if root is None:
        return html_to_blocks(html), {}
    meta = {key: root.get(key) for key in ("title", "author", "date") if root.get(key)}
    main = root.find("main")
    blocks = _blocks(main if main is not None else root)
    if len(blocks) <= 1:
        # trafilatura's fallback flattens small pages into one blob; our cleaner keeps their structure.
        ours = html_to_blocks(html)
        if len(ours) >= 3:
            return ours, meta
    return (blocks or html_to_blocks(html)), meta


def _blocks(main) -> list[Block]:
    blocks: list[Block] = []
    for element in main.iter("head", "p", "item", "quote", "row"):
        text = normalize(" ".join(element.itertext()))
        if not text:
            continue
        if element.tag == "head":
            level = _LEVEL_RE.search(element.get("rend", ""))
            blocks.append(Block("heading", text, int(level.group(1)) if level else 2))
        elif element.tag == "item":
            blocks.append(Block("item", text, _depth(element)))
        elif element.tag == "row":  # a table row reads as one line of its cells
            blocks.append(Block("paragraph", normalize(" | ".join(" ".join(c.itertext()) for c in element))))
        elif element.getparent() is None or element.getparent().tag not in ("item", "quote", "cell"):
            blocks.append(Block("paragraph", text))
    return blocks


def _depth(item) -> int:
    depth, parent = 0, item.getparent()
    while parent is not None:
        if parent.tag == "item":
            depth += 1
        parent = parent.getparent()
    return depth
