"""HTML pages and fragments (feed descriptions) into blocks, with lxml.

Feeds bring thousands of descriptions a run, so this walks lxml's tree
directly; page furniture (scripts, navigation, share bars, cookie banners,
hidden text) goes before the walk, and the text goes through the same
boilerplate rules as Markdown and plain text.
"""

from __future__ import annotations

import re

from ..models import Block
from .clean import TAG_RE, TODO_RE, add_block, drop_tail, drop_uncarriable, text_to_blocks

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "nav",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "picture",
    "img",
    "video",
    "audio",
    "header",
    "dialog",
    "object",
    "embed",
    "label",
    "table",
    "pre",
)
_FURNITURE_RE = re.compile(
    r"(?:^|[\s_-])(?:share|social|cookie|consent|banner|newsletter|subscribe|signup|"
    r"related|promo|advert|ads?|sidebar|comments?|breadcrumbs?|author-bio|byline|"
    r"meta|tags|popup|modal|toolbar|menu|nav)(?:$|[\s_-])",
    re.IGNORECASE,
)
_KEEP = frozenset({"article", "main", "body", "html"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PARAGRAPHS = frozenset({"p", "blockquote", "dd", "dt"})
_CONTAINERS = frozenset(
    {
        "div",
        "section",
        "article",
        "main",
        "body",
        "span",
        "center",
        "details",
        "summary",
        "li",
        "ul",
        "ol",
        "dl",
        "html",
        "font",
        "small",
        "em",
        "strong",
        "b",
        "i",
        "a",
    }
)
_SECTIONS = frozenset({"div", "section", "article", "main", "center", "details"})
_SPACED = ("br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote")
_BLOCKY = frozenset(
    {"p", "div", "section", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "article", "main"}
)


def html_to_blocks(html: str) -> list[Block]:
    """An HTML page or fragment (a feed description) into blocks.

    lxml parses and walks the tree: feeds bring thousands of descriptions a
    run, so this is on the hot path.
    """
    from lxml import etree

    html = TODO_RE.sub("", drop_uncarriable(html))  # lxml refuses control characters in any text it is given
    if not html.strip():
        return []
    try:
        tree = parse_html(html)
    except (etree.ParserError, ValueError):
        return text_to_blocks(TAG_RE.sub(" ", html))
    # The searches below cost more than the walk on a feed's short description: skip what cannot match.
    lowered = html.lower()
    root = (
        _main(tree)
        if ("<body" in lowered or "<main" in lowered or "<article" in lowered or "role=" in lowered)
        else tree
    )
    hidden = hidden_elements(root) if any(mark in lowered for mark in _HIDDEN_MARKS) else []
    for element in list(root.iter(*_DROP_TAGS)) + hidden:
        if element is not root and element.getparent() is not None:
            element.drop_tree()
    if "class=" in lowered or "id=" in lowered or "role=" in lowered:
        for element in list(root.xpath(".//*[@class or @id or @role]")):
            marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
            if element.tag not in _KEEP and _FURNITURE_RE.search(marks):
                element.drop_tree()
    for element in root.iter(_SPACED):
        element.tail = " " + (element.tail or "")  # block ends are word breaks
    blocks: list[Block] = []
    _walk(root, blocks, 0)
    return drop_tail(blocks)


_HIDDEN = (
    './/*[@hidden or @aria-hidden="true" or contains(translate(@style, " ", ""), "display:none")'
    ' or contains(translate(@style, " ", ""), "visibility:hidden")]'
    ' | .//sup[translate(normalize-space(.), "0123456789[]*†", "") = ""]'
)
_HIDDEN_MARKS = ("hidden", "display", "visibility", "<sup")
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def hidden_elements(tree) -> list:
    """Elements a reader never reads as text: hidden, aria-hidden, display:none, footnote marks."""
    return list(tree.xpath(_HIDDEN))


def parse_html(html: str):
    """lxml's tree of a page; an XML declaration (XHTML) and control characters go first, lxml refuses them."""
    import lxml.html

    return lxml.html.fromstring(_XML_DECLARATION_RE.sub("", drop_uncarriable(html), count=1))


def _main(tree):
    """The article of a page: <article>, <main>, role=main, else the body."""
    for query in ("//article", "//main", "//*[@role='main']", "//body"):
        found = tree.xpath(query)
        if found:
            return found[0]
    return tree


def _walk(node, blocks: list[Block], depth: int) -> None:
    loose: list[str] = [node.text or ""]

    def flush() -> None:
        if "".join(loose).strip():
            add_block(blocks, "paragraph", "".join(loose), 0, False, markdown=False)
        loose.clear()

    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if not tag:  # a comment or processing instruction: only its tail is text
            loose.append(child.tail or "")
            continue
        if tag in _HEADINGS:
            flush()
            add_block(blocks, "heading", child.text_content(), _HEADINGS[tag], False, markdown=False)
        elif tag in ("ul", "ol"):
            flush()
            _walk_list(child, blocks, depth)
        elif tag in _PARAGRAPHS:
            flush()
            add_block(blocks, "paragraph", child.text_content(), 0, False, markdown=False)
        elif tag == "br":
            flush()
        elif tag in _SECTIONS or (
            tag in _CONTAINERS and any(isinstance(e.tag, str) and e.tag in _BLOCKY for e in child.iterdescendants())
        ):
            flush()  # a div or section is a block of its own, even without <p> inside
            _walk(child, blocks, depth)
        else:
            loose.append(child.text_content())
        loose.append(child.tail or "")
    flush()


def _walk_list(node, blocks: list[Block], depth: int) -> None:
    for item in node:
        if not isinstance(item.tag, str) or item.tag != "li":
            continue
        nested = [sub for sub in item if isinstance(sub.tag, str) and sub.tag in ("ul", "ol")]
        for sub in nested:
            sub.getparent().remove(sub)
        add_block(blocks, "item", item.text_content(), depth, False, markdown=False)
        for sub in nested:
            _walk_list(sub, blocks, depth + 1)
