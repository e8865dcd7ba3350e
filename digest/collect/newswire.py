"""News-wire documents: the SGML of TREC, DUC and TAC (`<DOC>`, `<HEADLINE>`, `<TEXT>`, `<P>`).

News archives and summarization corpora keep articles this way, one or
more `<DOC>` elements per file, often with no file extension
("APW19981016.0240"). The markup is SGML, not XML (unclosed tags, entities
like `&Cx1f;`), so it is read with patterns, not an XML parser. The wire's
furniture goes: the transmission header, slug and trailer, and the dateline
before the first sentence ("KINGSTON, Jamaica (AP) _ ").
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from ..models import Block
from .clean import TAG_RE, normalize

_DOC_RE = re.compile(r"(<DOC\b[^>]*>.*?)(?:</DOC>|\Z)", re.IGNORECASE | re.DOTALL)
_TEXT_RE = re.compile(r"<(TEXT|LP|LEADPARA)\b[^>]*>(.*?)(?:</\1>|\Z)", re.IGNORECASE | re.DOTALL)
_P_RE = re.compile(r"<P\b[^>]*>(.*?)(?=</P>|<P\b|\Z)", re.IGNORECASE | re.DOTALL)
_WIRE_ENTITY_RE = re.compile(r"&[A-Za-z]{1,3}[0-9a-fA-F]{1,3};")  # &Cx1f; and kin: wire control codes
_DOCNO_DATE_RE = re.compile(r"(?:^|[A-Z_])(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)")
_SHORT_DOCNO_DATE_RE = re.compile(r"^(?:AP|WSJ|SJMN|LA|FT)(?P<year>\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)")
_SLASH_DATE_RE = re.compile(r"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d{2})\b")
# "KINGSTON, Jamaica (AP) _", "WASHINGTON _", "BEIJING, October 18 (Xinhua) --": a place in capitals,
# maybe a region or a date, maybe an agency, then a dash. Outside the wire's own markup a dateline
# needs the wire's marks: an agency or the underscore.
_PLACE = r"^\s*[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][\w.'\- ]{1,40}?)?\s*"
_AGENCY, _DASH = r"\([A-Za-z]{2,10}\)", r"(?:_|--|—|–|-)"
_DATELINE_RE = re.compile(rf"{_PLACE}(?:{_AGENCY})?\s*{_DASH}\s+(?=\S)")
_STRICT_DATELINE_RE = re.compile(rf"{_PLACE}(?:{_AGENCY}\s*{_DASH}|_)\s+(?=\S)")


def is_newswire(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:300]
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2 :].lstrip()
    return bool(re.match(r"<DOC\b", head, re.IGNORECASE))


def read_newswire(text: str) -> tuple[str | None, list[Block], datetime | None, str | None]:
    """(headline, blocks, date, byline) of the documents in one file; several become sections."""
    docs = [match.group(1) for match in _DOC_RE.finditer(text)] or [text]
    title, published, author = None, None, None
    blocks: list[Block] = []
    for doc in docs:
        headline = _field(doc, "HEADLINE", "HL", "TITLE", "HEAD", "H3")
        paragraphs = _paragraphs(doc)
        if not paragraphs:
            continue
        if title is None:
            title, published = headline, _date(doc)
            author = _byline(_field(doc, "BYLINE", "BY", "AUTHOR"))
        elif headline:
            blocks.append(Block("heading", headline, 2))
        blocks.extend(Block("paragraph", p) for p in paragraphs)
    return title, blocks, published, author


def _field(doc: str, *tags: str) -> str | None:
    for tag in tags:
        match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", doc, re.IGNORECASE | re.DOTALL)
        if match and (value := _plain(match.group(1))):
            return value
    return None


def _paragraphs(doc: str) -> list[str]:
    """The paragraphs of the story: <P> elements, else blank lines or indented first lines."""
    found: list[str] = []
    for _, body in _TEXT_RE.findall(doc):
        parts = _P_RE.findall(body) if _P_RE.search(body) else re.split(r"\n\s*\n|\n(?=[ \t]{2,}\S)", body)
        found.extend(text for part in parts if (text := _plain(part)))
    if found:
        found[0] = strip_dateline(found[0])
    return found


def strip_dateline(text: str, strict: bool = False) -> str:
    """The first paragraph without its dateline ("KINGSTON, Jamaica (AP) _ Hurricane ...")."""
    stripped = (_STRICT_DATELINE_RE if strict else _DATELINE_RE).sub("", text, count=1)
    return stripped[:1].upper() + stripped[1:] if stripped != text else text


def _plain(markup: str) -> str:
    text = TAG_RE.sub(" ", _WIRE_ENTITY_RE.sub(" ", markup))
    return normalize(" ".join(html.unescape(text).split()))  # wire text is wrapped at 70 columns


def _byline(text: str | None) -> str | None:
    if not text:
        return None
    name = re.sub(r"^\s*by\s+", "", text, flags=re.IGNORECASE).split(",")[0].strip()
    return (name.title() if name.isupper() else name) or None  # "By MARIA LOPEZ, Associated Press Writer"


def _date(doc: str) -> datetime | None:
    """From the date fields, else the document number (APW19981016.0240, AP880212-0001)."""
    candidates = [_field(doc, "DATE_TIME", "DATE", "DD") or "", _field(doc, "DOCNO", "DOCID") or ""]
    id_match = re.search(r"<DOC\b[^>]*\bid=\"([^\"]+)\"", doc, re.IGNORECASE)
    candidates.append(id_match.group(1) if id_match else "")
    for value in candidates:
        for pattern in (_DOCNO_DATE_RE, _SLASH_DATE_RE, _SHORT_DOCNO_DATE_RE):
            match = pattern.search(value.replace("-", "") if pattern is _DOCNO_DATE_RE else value)
            if match:
                year = int(match.group("year"))
                year += 1900 if year < 100 and year >= 50 else 2000 if year < 100 else 0
                try:
                    return datetime(year, int(match.group("month")), int(match.group("day")), tzinfo=timezone.utc)
                except ValueError:
                    continue
    return None
