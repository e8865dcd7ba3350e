"""Markup and boilerplate to structured text: headings, paragraphs, list items.

Everything a reader of the article would not call part of it goes: markup,
images and their captions, TODO and comment tags, photo credits, reading
times, avatars, share and subscribe blocks, "See Also" link lists. What
stays keeps its structure, so the summarizer knows a list item from a
paragraph and which section a sentence is in.
"""

from __future__ import annotations

import re
import unicodedata

from ..chars import UNCARRIABLE_RE
from ..models import Article, Block, replace

# --- Boilerplate -------------------------------------------------------------

_BOILERPLATE_RE = re.compile(
    r"^(?:"
    r"(?:photo(?:graph)?|image|picture|illustration|header image|cover image)s?\s*(?:credits?|source|by|courtesy)\b.*"
    r"|photographer\s*:.*|credits?\s*:.*|source\s*:\s*(?:unsplash|pexels|pixabay|getty|shutterstock).*"
    r"|·?\s*\d+\s*(?:-\s*)?min(?:ute)?s?\s*(?:read|reading)(?:\s*time)?|reading time\s*:?.*"
    r"|avatar|contents|table of contents|advertisement|sponsored|skip to (?:main )?content"
    r"|see also|related(?: posts| articles| reading| stories)?|read (?:more|next)\b.{0,40}|more from .{0,40}"
    r"|you may also like.*"
    r"|loved this (?:read|post|article)\??|share (?:this|on|via)\b.*|share|tweet|pin it|print|email"
    r"|(?:subscribe|sign up|join)\b.{0,80}(?:newsletter|inbox|updates|free)\b.*|subscribe"
    r"|(?:get|receive) (?:the|our) .{0,40}newsletter\b.*"
    r"|follow (?:us|me)\b.*|click here\b.*|stay tuned\b.*|let me know\b.*(?:comments?|below).*"
    r"|(?:leave|add|post) a comment.*|\d+\s*comments?|comments?"
    r"|we use cookies\b.*|this (?:site|website) uses cookies\b.*|accept(?: all)? cookies"
    r"|p\.?\s?s\.?\s*:?\s.*written with the (?:help|assistance) of.*"
    r"|all rights reserved.*|©.*|copyright\s*(?:©|\(c\)|\d{4}).*"
    r"|todo\s*:.*|todo|fixme\s*:.*"
    r"|(?:(?:facebook|twitter|x|linkedin|reddit|whatsapp|telegram|pinterest|email|e-mail|print|copy link|mastodon)"
    r"\s*[|·/,•]?\s*){2,}"
    r")$",
    re.IGNORECASE,
)
# Lines that open a tail of links and calls to action: drop them and what follows.
_TAIL_RE = re.compile(
    r"^(?:see also|related(?: posts| articles| reading| stories)?|read (?:more|next)|"
    r"you may also like.*|more from .{0,40}|loved this (?:read|post|article)\??|notes?\s*:?)$",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"(?:Photographer|Photo(?:graph)?\s+(?:by|credit)|Image\s+(?:by|credit|source)|Credit)\s*:?\s*"
    # Name words are capitalised and stop at the next capital: credits get glued ("WinsteadPhotographer").
    r"[A-Z][a-z.'’-]*(?:[ \t]+(?:[A-Z][a-z.'’-]*|on|via|de|van|von))*"
)
_BYLINE_RE = re.compile(
    r"^(?:by|written by|posted by|author)\s*:?\s+"
    r"(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})$",
    re.IGNORECASE,
)


def is_boilerplate(text: str) -> bool:
    """Whether one line or passage is page furniture rather than article."""
    line = text.strip().strip("*_#>:· ").strip()
    if not line:
        return True
    if _BOILERPLATE_RE.match(line):
        return True
    # A line of only a URL, or a tracking pixel's alt text.
    return bool(re.fullmatch(r"(?:https?://|www\.)\S+", line))


def strip_credits(text: str) -> str:
    """Remove photo credits, also when glued to the end of a sentence."""
    if "hotograph" in text or "redit" in text or "Image" in text or "Photo" in text:
        text = _CREDIT_RE.sub("", text)
    return text


def is_tail_marker(text: str) -> bool:
    return bool(_TAIL_RE.match(text.strip().strip("*_#:· ")))


def drop_tail(blocks: list[Block]) -> list[Block]:
    """Cut a trailing "See Also" / "Loved This Read?" / "NOTES:" section of short lines."""
    for i, block in enumerate(blocks):
        if is_tail_marker(block.text) and all(len(b.text.split()) <= 30 for b in blocks[i + 1 :]):
            return blocks[:i]
    return [b for b in blocks if not is_tail_marker(b.text)]


# --- Inline text ----------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize(text: str) -> str:
    """NFC, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES_RE.sub(" ", text).strip()


_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\3(?![\w*])")
_MD_CODE_RE = re.compile(r"`+([^`]+)`+")
TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
TODO_RE = re.compile(r"<(TODO|FIXME|NOTE|DRAFT)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)


_ESCAPES = {"\\*": "\x00", "\\_": "\x01", "\\`": "\x02"}


def markdown_inline(text: str) -> str:
    """Markdown inline markup to plain text (escaped \\* and \\_ stay as characters)."""
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    text = _MD_IMAGE_RE.sub("", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_REF_LINK_RE.sub(r"\1", text)
    text = _MD_CODE_RE.sub(r"\1", text)
    for _ in range(2):  # nested: **_bold italic_**
        text = _MD_EMPHASIS_RE.sub(lambda m: m.group(2) or m.group(4), text)
    text = TAG_RE.sub("", text)
    for escaped, mark in _ESCAPES.items():
        text = text.replace(mark, escaped[1])
    return text


# --- Markdown and plain text ---------------------------------------------

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^(=+|-+)\s*$")
_ITEM_RE = re.compile(r"^(\s*)(?:[*+\-•·‣◦▪●–]|\d{1,3}[.)])\s+(.*)$")
_BOLD_LINE_RE = re.compile(r"^(\*\*|__)([^*_]{2,100})\1\s*:?$")
_CAPTION_RE = re.compile(r"^(\*|_)[^*_].*\1$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_TABLE_RE = re.compile(r"^\|.*\|$")
# "... dropped by 8 points. [Paper][contam]": a link label after the last sentence, a pointer, not prose.
_LINK_AFTER_SENTENCE_RE = re.compile(
    r"(?<=[.!?\"”)])(?:[ \t]+|[ \t]*\n[ \t]*)\[[^\]\n]{1,40}\](?:\([^)\n]*\)|\[[^\]\n]*\])[ \t]*(?=\n|$)"
)
_LINK_DEF_RE = re.compile(r"^\[[^\]]+\]:\s*\S+")
_RULE_RE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def markdown_to_blocks(text: str, guess_headings: bool = False) -> list[Block]:
    """Markdown (or plain text, with `guess_headings`) into blocks.

    Plain text has no heading syntax: a short line standing alone without
    closing punctuation reads as a heading there.
    """
    # Control characters go first: markdown_inline() marks escaped characters with three of them.
    text = TODO_RE.sub("", UNCARRIABLE_RE.sub(_replacement, text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _LINK_AFTER_SENTENCE_RE.sub("", text)
    lines = _dedent(text.split("\n"))
    blocks: list[Block] = []
    paragraph: list[str] = []
    after_image = False
    in_code = False
    in_item = False  # the last line was (part of) a list item: a plain line continues it

    def flush() -> None:
        if paragraph:
            add_block(blocks, "paragraph", " ".join(paragraph), 0, guess_headings, alone=True)
            paragraph.clear()

    for i, raw in enumerate(lines):
        if _FENCE_RE.match(raw):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        line = raw.strip()
        if not line:
            in_item = False
        if paragraph and len(paragraph) == 1 and _SETEXT_RE.match(line):
            add_block(blocks, "heading", paragraph.pop(), 1 if line.startswith("=") else 2, False)
            continue
        if not line or _RULE_RE.match(line) or _TABLE_RE.match(line) or _LINK_DEF_RE.match(line):
            flush()  # rules, Markdown tables and link definitions are not prose
            continue
        if _MD_IMAGE_RE.fullmatch(line) or re.fullmatch(r"<img\b[^>]*>", line, re.IGNORECASE):
            flush()
            after_image = True
            continue
        if after_image and _CAPTION_RE.match(line):
            after_image = False
            continue  # the image's caption
        after_image = False
        if (heading := _HEADING_RE.match(line)) is not None:
            flush()
            add_block(blocks, "heading", heading.group(2), len(heading.group(1)), False)
            continue
        if (item := _ITEM_RE.match(raw)) is not None and not _RULE_RE.match(line):
            flush()
            add_block(blocks, "item", item.group(2), len(item.group(1).expandtabs(4)) // 2, False)
            in_item = True
            continue
        if (bold := _BOLD_LINE_RE.match(line)) is not None and not paragraph:
            flush()
            add_block(blocks, "heading", bold.group(2), 3, False)
            continue
        if line.startswith(">"):
            line = line.lstrip("> ").strip()
        if in_item and blocks and blocks[-1].kind == "item" and not paragraph and not guess_headings:
            blocks[-1] = Block("item", f"{blocks[-1].text} {normalize(_inline(line))}", blocks[-1].level)
            continue  # a continuation line of the item
        paragraph.append(line)
        if guess_headings and _ends_paragraph(lines, i):
            flush()
    flush()
    if not guess_headings:
        blocks = _drop_empty_sections(blocks)
    return drop_tail(blocks)


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """A Markdown heading with nothing under it (its text was all TODOs or images) goes too."""
    kept = []
    for i, block in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "heading" and (after is None or (after.kind == "heading" and after.level <= block.level)):
            continue
        kept.append(block)
    return kept


def _ends_paragraph(lines: list[str], i: int) -> bool:
    """In plain text a line is its own paragraph unless it was wrapped mid-sentence.

    A wrapped line is long and stops without closing punctuation; short
    lines in a row are a title, a byline, a date: separate things.
    """
    line = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    wrapped = (
        len(line) >= 50
        and not line.endswith((".", "!", "?", ":", "”", '"', ")"))
        and (nxt[:1].islower() or not _title_case(line))
    )
    return not nxt or not wrapped


def _title_case(line: str) -> bool:
    words = [w for w in line.split() if w[:1].isalpha() and len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.75


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if line.endswith("?"):
        return 0 < len(words) <= 10 and line[:1].isupper()
    return 0 < len(words) <= 12 and not line.endswith((".", ",", ";", "!")) and line[:1].isupper()


def add_block(
    blocks: list[Block], kind: str, text: str, level: int, guess: bool, alone: bool = False, markdown: bool = True
) -> None:
    text = normalize(strip_credits(_inline(text) if markdown else text))
    if not text or (is_boilerplate(text) and not is_tail_marker(text)):
        return
    if guess and alone and kind == "paragraph" and _looks_like_title(text) and not text.endswith(":"):
        kind, level = "heading", 2
    if blocks and blocks[-1].text == text:
        return  # scraped pages repeat a heading as the caption of the image below it
    blocks.append(Block(kind, text, level))  # type: ignore[arg-type]


def _inline(text: str) -> str:
    return markdown_inline(text)


def _dedent(lines: list[str]) -> list[str]:
    """Remove indentation common to every non-blank line (scraped pages indent it all)."""
    widths = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(widths, default=0)
    return [line[cut:] for line in lines] if cut else lines


def text_to_blocks(text: str) -> list[Block]:
    """Plain text: Markdown signals are honoured, headings are guessed."""
    return markdown_to_blocks(text, guess_headings=True)


# --- Characters an email cannot carry ----------------------------------------

_SPACING = frozenset("\x0b\x0c\x85")


def carriable(text: str) -> str:
    """Text without the characters XML and HTML cannot carry (prose: they are dropped)."""
    if UNCARRIABLE_RE.search(text) is None:
        return text
    return re.sub(r"[ \t]{2,}", " ", UNCARRIABLE_RE.sub(_replacement, text)).strip()


def drop_uncarriable(markup: str) -> str:
    """Markup without those characters, written out or as references (`&#1;`), spacing kept as it was.

    lxml refuses them in any string it is given, and parses a reference into
    the character itself.
    """
    if "&#" in markup:
        markup = _CHARREF_RE.sub(_charref, markup)
    if UNCARRIABLE_RE.search(markup) is None:
        return markup
    return UNCARRIABLE_RE.sub(_replacement, markup)


_CHARREF_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")  # HTML lets the ";" go


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in _SPACING else ""


def _charref(match: re.Match[str]) -> str:
    """A character reference as it was, or what it comes to when it names a character no email carries."""
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if 0x80 <= code <= 0x9F:  # HTML reads these as cp1252, as old pages meant them: &#150; is a dash
        return bytes([code]).decode("cp1252", errors="ignore")
    if code > 0x10FFFF:
        return ""
    character = chr(code)
    if UNCARRIABLE_RE.match(character) is None:
        return match.group()
    return " " if character in _SPACING else ""


def escaped(text: str) -> str:
    """A name (a path, an id) with those characters as visible escapes (\\x01), so names stay distinct."""
    if UNCARRIABLE_RE.search(text) is None:
        return text
    return UNCARRIABLE_RE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def clean_article(article: Article) -> Article:
    """The article as every reader hands it on: nothing in it that a later stage cannot carry.

    The readers' one boundary: each builds its articles through this, so no
    stray byte of one file or feed can make the render of the whole issue fail.
    """
    fields = (
        article.id,
        article.title,
        article.author or "",
        article.url or "",
        *article.tags,
        *(block.text for block in article.blocks),
    )
    if not any(UNCARRIABLE_RE.search(text) for text in fields):
        return article
    blocks = tuple(Block(b.kind, text, b.level) for b in article.blocks if (text := carriable(b.text)))
    return replace(
        article,
        id=escaped(article.id),
        title=carriable(article.title) or "(untitled)",
        author=carriable(article.author) or None if article.author else None,
        url=carriable(article.url) or None if article.url else None,
        blocks=blocks,
        tags=tuple(tag for t in article.tags if (tag := carriable(t))),
    )
