"""Feeds that declare their own XML entities, made safe before any parser sees them.

A DOCTYPE's internal subset can declare `<!ENTITY big "...4 KB...">` and the
body reference `&big;` ten thousand times: 40 MB of text from a 50 KB feed,
and several GB once feedparser's loose parser has copied it around. lxml
and expat cap nested ("billion laughs") expansion, but not this flat kind.

So the internal subset is removed here, for both parsers at once, and each
reference to an entity it declared is rewritten:
- a short, plain value (`<!ENTITY nbsp "&#160;">`, as old RSS 0.91 feeds
  declare) is put in its place, which can at most grow the feed linearly;
- anything else (long values, values holding markup or other references,
  external entities) is dropped unexpanded, with a warning: the text it
  stood for is not worth a build that cannot finish.

Character references to what XML cannot carry (`&#1;`, `&#xD800;`) go too:
the strict parsers refuse the feed for them and feedparser's loose one
raises on a lone surrogate.
"""

from __future__ import annotations

import codecs
import re

from .clean import drop_uncarriable

SHORT = 32  # bytes: the longest entity value put in place of its references
_WIDE_MARKS = (
    "ENTITY".encode("utf-16-le"),
    "ENTITY".encode("utf-16-be"),
    "ENTITY".encode("utf-32-le"),
    "ENTITY".encode("utf-32-be"),
)
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE\b[^\[>]*\[", re.IGNORECASE)
# The internal subset, token by token: quoted literals and comments may hold "]" and ">".
_SUBSET_TOKEN_RE = re.compile(rb"\"[^\"]*\"|'[^']*'|<!--.*?-->|\]\s*>|[^\"'<\]]+|<|\]", re.DOTALL)
_DECLARATION_RE = re.compile(
    rb"<!ENTITY\s+(%\s+)?([^\s%\"'<>]+)\s+(?:\"([^\"]*)\"|'([^']*)'|(SYSTEM|PUBLIC)\b)", re.IGNORECASE
)
_PLAIN_VALUE_RE = re.compile(rb"(?:[^&<%]|&#[0-9]{1,7};|&#x[0-9A-Fa-f]{1,6};)*")
_CHARREF_RE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_REFERENCE_RE = re.compile(rb"&([^\s&;<>\"']{1,100});")


def defuse(data: bytes) -> tuple[bytes, str | None]:
    """The feed without its internal DTD subset, and a warning when a reference was dropped."""
    if b"ENTITY" in data or b"entity" in data or b"&#" in data:
        return _defuse(data)
    if not any(mark in data for mark in _WIDE_MARKS):
        return data, None
    codec = _wide_codec(data)  # UTF-16 or UTF-32: the same, on the text, then back to that encoding
    if codec is None:
        return data, None  # "ENTITY" in other bytes: not text an XML parser would read either
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return data, None
    defused, warning = _defuse(text.encode("utf-8"))
    return defused.decode("utf-8").encode(codec), warning


def _defuse(data: bytes) -> tuple[bytes, str | None]:
    if b"&#" in data:
        data = _CHARREF_RE.sub(_charref, data)
    if b"ENTITY" not in data and b"entity" not in data:
        return data, None
    opening = _DOCTYPE_RE.search(data)
    if opening is None or b"<" in _strip_prolog(data[: opening.start()]):
        return data, None  # no internal subset, or a DOCTYPE inside the content (escaped HTML): not ours
    end = _subset_end(data, opening.end())
    if end is None:
        return data[: opening.start()], "the feed's DOCTYPE never ends"
    values, unsafe = _declarations(data[opening.end() : end[0]])
    head = data[: opening.start()] + data[opening.start() : opening.end() - 1].rstrip() + b">"
    body, left = _rewrite(data[end[1] :], values, unsafe, budget=len(data) + 65536)
    if not left:
        return head + body, None
    return head + body, f"the feed declares XML entities: {left} reference(s) to them dropped, not expanded"


def _charref(match: re.Match[bytes]) -> bytes:
    """A character reference as it was, or what it comes to when XML cannot carry its character."""
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    if code > 0x10FFFF:
        return b""
    kept = drop_uncarriable(match.group().decode("ascii"))
    return match.group() if kept == match.group().decode("ascii") else kept.encode()  # C1 as cp1252, as HTML does


def _wide_codec(data: bytes) -> str | None:
    """The codec of a UTF-16 or UTF-32 document, from its BOM or its first character '<'."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return codec
    for start, codec in (
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"<\x00", "utf-16-le"),
        (b"\x00<", "utf-16-be"),
    ):
        if data.startswith(start):
            return codec
    return None


def _strip_prolog(prolog: bytes) -> bytes:
    """What comes before the DOCTYPE, without the XML declaration, comments and processing instructions."""
    return re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", prolog, flags=re.DOTALL)


def _subset_end(data: bytes, start: int) -> tuple[int, int] | None:
    """(where the internal subset ends, where the DOCTYPE ends), or None when it never does."""
    for token in _SUBSET_TOKEN_RE.finditer(data, start):
        if token.group().startswith(b"]") and token.group().endswith(b">"):
            return token.start(), token.end()
    return None


def _declarations(subset: bytes) -> tuple[dict[bytes, bytes], set[bytes]]:
    """({name: value} of the short plain general entities, names of every other one)."""
    values: dict[bytes, bytes] = {}
    unsafe: set[bytes] = set()
    for match in _DECLARATION_RE.finditer(subset):
        parameter, name, double, single, external = match.groups()
        if parameter:
            continue  # parameter entities only work inside the subset, which is gone
        value = double if double is not None else single
        if external or value is None or len(value) > SHORT or not _PLAIN_VALUE_RE.fullmatch(value):
            unsafe.add(name)
            values.pop(name, None)
        elif name not in unsafe and name not in values:  # the first declaration wins, as in XML
            values[name] = value
    return values, unsafe


def _rewrite(body: bytes, values: dict[bytes, bytes], unsafe: set[bytes], budget: int) -> tuple[bytes, int]:
    """References to the declared entities replaced or dropped; how many were dropped."""
    left = 0

    def one(match: re.Match[bytes]) -> bytes:
        nonlocal left, budget
        name = match.group(1)
        value = values.get(name)
        if value is not None and budget >= len(value):
            budget -= len(value)
            return value
        if value is not None or name in unsafe:
            left += 1
            return b""
        return match.group()  # not declared here: &amp;, &lt; and the parsers' own business

    if not values and not unsafe:
        return body, 0
    return _REFERENCE_RE.sub(one, body), left
