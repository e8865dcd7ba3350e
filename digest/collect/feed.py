"""The reader for `feed:` sources: RSS 0.9x/1.0/2.0, Atom and JSON Feed.

feedparser parses bytes, never the network (it has no timeout): the bytes come
from a local file here, and from the fetcher for URLs, so both take one path.
Feed HTML never reaches the email as HTML: it is cleaned into blocks like any
local page. Entities a feed declares itself are defused before either parser
runs (entities.py).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from ..models import Article, Block
from .clean import clean_article, text_to_blocks
from .entities import defuse
from .html import html_to_blocks
from .local import parse_date
from .urls import canonical_url


@dataclass(slots=True)
class FeedRead:
    """What one feed gave: its articles, how many entries it held, and problems."""

    articles: list[Article] = field(default_factory=list)
    entries: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    status: str | None = None  # set when the reader knows better than ok/empty/failed
    parser: str = "feedparser"
    cached: str | None = None  # the articles as JSON for the state file, when already made


def read_feed_file(name: str, path: Path) -> FeedRead:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FeedRead(error=f"cannot read {path.name}: {exc.strerror or exc}")
    # No base URL: relative links resolve against the feed's own site link, not the file.
    return parse_feed(name, data, base_url=None, headers={"content-type": "application/xml"})


def parse_feed(
    name: str, data: bytes, base_url: str | None, headers: dict[str, str] | None = None, fast: bool = True
) -> FeedRead:
    """Articles from the bytes of a feed; a malformed feed keeps what was recovered.

    Well-formed XML with its encoding declared goes through fastfeedparser
    and lxml (25x faster); everything else, and anything it fails on,
    through feedparser, the reference for recovering what broken feeds hold.
    """
    if not data.strip():
        return FeedRead(error="not a feed (the answer was empty)")
    if data.lstrip()[:1] == b"{":
        return _parse_json_feed(name, data)
    data, warning = defuse(data)
    read = _parse_xml(name, data, base_url, headers, fast)
    if warning:
        read.warnings.insert(0, warning)
    return read


def _parse_xml(name: str, data: bytes, base_url: str | None, headers: dict[str, str] | None, fast: bool) -> FeedRead:
    tree = _well_formed(data, headers or {}) if fast else None
    if tree is not None:
        read = _parse_fast(name, data, base_url, tree)
        if read is not None:
            return read
    response = {"content-location": base_url} if base_url else {}
    # Feed HTML is turned into text by our own cleaner, so feedparser's sanitizer is wasted work.
    try:
        parsed = feedparser.parse(
            data, response_headers={**response, **(headers or {})}, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # noqa: BLE001 - feedparser's loose parser has its own bugs; one feed, one warning
        return FeedRead(error=f"not a feed (the parser failed: {type(exc).__name__}: {_reason(exc)})")
    result = FeedRead(entries=len(parsed.entries))
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        result.error = f"not a feed ({_reason(reason)})" if reason else "not a feed"
        return result
    if parsed.bozo and not isinstance(parsed.bozo_exception, _HARMLESS):
        result.warnings.append(f"malformed feed, kept {len(parsed.entries)} entries ({_reason(parsed.bozo_exception)})")
    site = parsed.feed.get("link", "")
    for entry in parsed.entries:
        article = _article(name, entry, site)
        if article is not None:
            result.articles.append(article)
    return result


# feedparser flags these, but the feed was read whole: a wrong or missing
# content type, or a charset declaration the bytes did not need.
_HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


_DECLARED_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([\w.-]+)["']""")
_CHARSET_RE = re.compile(r"charset=[\"']?([\w.-]+)", re.IGNORECASE)


def _well_formed(data: bytes, headers: dict[str, str]):
    """lxml's tree of well-formed XML whose bytes say their own encoding (nothing for feedparser
    to repair), else None."""
    declared = _DECLARED_RE.match(data[:200])
    header = _CHARSET_RE.search(headers.get("content-type", ""))
    encoding = (declared.group(1).decode("ascii") if declared else "utf-8").lower()
    if header and header.group(1).lower() != encoding:
        return None  # the HTTP charset and the document disagree: feedparser decides
    if not data.isascii() and (encoding in ("utf-8", "utf8")) != _is_utf8(data):
        return None  # declared one charset, written in another: feedparser repairs the mojibake
    try:
        from lxml import etree

        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except Exception:  # noqa: BLE001 - any parse problem sends the feed to feedparser
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_fast(name: str, data: bytes, base_url: str | None, tree) -> FeedRead | None:
    """fastfeedparser for titles, links, dates and ids; the text from lxml's tree of the same bytes.

    fastfeedparser loses text that feedparser keeps (RSS 1.0 descriptions,
    Atom content in some forms, a description with inline tags cut at the
    first one), so each entry's text is taken here, as feedparser would:
    the longest of its content and summary elements.
    """
    try:
        import fastfeedparser

        parsed = fastfeedparser.parse(data)
    except Exception:  # noqa: BLE001 - feedparser gets its turn
        return None
    texts = _entry_texts(tree)
    if not parsed.entries or len(texts) != len(parsed.entries):
        return None
    read = FeedRead(entries=len(parsed.entries), parser="fastfeedparser")
    # feedparser resolves relative links against the feed's own address; fastfeedparser leaves them.
    site = base_url or parsed.feed.get("link") or ""
    for entry, text in zip(parsed.entries, texts, strict=True):  # the same length, checked above
        article = _article(name, entry, site, text)
        if article is not None:
            read.articles.append(article)
    return read


_ENTRY_TAGS = ("item", "{http://purl.org/rss/1.0/}item", "{http://www.w3.org/2005/Atom}entry")
# Where feeds put an entry's text: content:encoded, description, Atom content and summary, iTunes and Media RSS.
_TEXT_TAGS = frozenset(
    {
        "{http://purl.org/rss/1.0/modules/content/}encoded",
        "description",
        "{http://purl.org/rss/1.0/}description",
        "{http://www.w3.org/2005/Atom}content",
        "{http://www.w3.org/2005/Atom}summary",
        "{http://www.itunes.com/dtds/podcast-1.0.dtd}summary",
        "{http://search.yahoo.com/mrss/}description",
        "{http://purl.org/dc/elements/1.1/}description",
    }
)


def _entry_texts(tree) -> list[str]:
    """Each entry's text, in document order: the longest of its text elements, as HTML."""
    texts = []
    for entry in tree.iter(*_ENTRY_TAGS):
        found = [_inner(element) for element in entry.iter() if element.tag in _TEXT_TAGS]
        texts.append(max(found, key=len, default=""))
    return texts


def _inner(element) -> str:
    """An element's content as HTML: escaped HTML and CDATA as they are, inline markup serialised."""
    from lxml import etree

    if len(element) == 0:
        return (element.text or "").strip()
    if element.get("type") == "xhtml" and len(element) == 1 and etree.QName(element[0]).localname == "div":
        element = element[0]  # Atom's XHTML content: the div holds the content, it is not part of it
    inner = (element.text or "") + "".join(
        etree.tostring(child, encoding="unicode", with_tail=True) for child in element
    )
    return re.sub(r"\s+xmlns(?::\w+)?=\"[^\"]*\"", "", inner).strip()


def _reason(exc: Any) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _article(name: str, entry: Any, site: str = "", html: str | None = None) -> Article | None:
    """An article from one parsed entry; `html`: its text when the caller found it already."""
    link = entry.get("link") or ""
    if link and site.startswith(("http://", "https://")):
        link = urljoin(site, link)
    url = canonical_url(link) if link.startswith(("http://", "https://")) else None
    if html is None:
        html = max((c.get("value", "") or "" for c in entry.get("content") or ()), key=len, default="")
        summary = entry.get("summary") or ""  # None when feedparser met an empty element it could not close
        html = html if len(html) >= len(summary) else summary
    blocks = tuple(html_to_blocks(html)) if "<" in html else tuple(text_to_blocks(html))
    title = _plain(entry.get("title") or "") or (blocks[0].text[:80] if blocks else "")
    if _MOJIBAKE_RE.search(title) or any(_MOJIBAKE_RE.search(b.text) for b in blocks):
        title, blocks = _repair(title), tuple(Block(b.kind, _repair(b.text), b.level) for b in blocks)
    if not title and not blocks:
        return None
    key = url or entry.get("id") or hashlib.sha256(f"{title}\n{html}".encode(errors="replace")).hexdigest()[:16]
    return clean_article(
        Article(
            id=f"url:{key}",
            title=title or "(untitled)",
            source=name,
            blocks=blocks,
            url=url,
            published=_date(entry),
            author=entry.get("author") or None,
            tags=tuple(t.get("term", "") for t in entry.get("tags", []) if t.get("term")),
        )
    )


# UTF-8 read as Latin-1/cp1252 somewhere upstream: "CafÃ©", "itâ€™s".
_MOJIBAKE_RE = re.compile("[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf\u2018-\u201e\u2122\u0153]")


def _repair(text: str) -> str:
    import ftfy

    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)


def _plain(text: str) -> str:
    if "<" in text or "&" in text:
        blocks = html_to_blocks(text)
        text = " ".join(block.text for block in blocks)
    return " ".join(text.split())


def _date(entry: Any) -> datetime | None:
    """feedparser's parsed dates, else ISO dates as fastfeedparser and JSON Feed give them."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    for key in ("published", "updated"):
        moment = parse_date(entry.get(key))
        if moment is not None:
            return moment.astimezone(timezone.utc).replace(microsecond=0)  # seconds, as feedparser gives
    return None


def _parse_json_feed(name: str, data: bytes) -> FeedRead:
    """JSON Feed 1.x, which feedparser does not read."""
    try:
        feed = json.loads(data.decode("utf-8-sig"))
        items = feed["items"]
        if not isinstance(items, list):
            raise TypeError("items is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        return FeedRead(error=f"not a feed (bad JSON Feed: {_reason(exc)})")
    result = FeedRead(entries=len(items))
    for item in items:
        if not isinstance(item, dict):
            continue
        # Fields of the wrong JSON type are missing fields: a number for a title, a string for authors.
        authors = [a for a in _typed(item.get("authors"), list) if isinstance(a, dict)]
        entry = {
            "link": _typed(item.get("url"), str) or _typed(item.get("external_url"), str),
            "id": str(item["id"]) if isinstance(item.get("id"), (str, int)) else "",
            "title": _typed(item.get("title"), str),
            "content": [{"value": html}] if (html := _typed(item.get("content_html"), str)) else [],
            "summary": _typed(item.get("content_text"), str) or _typed(item.get("summary"), str),
            "author": _typed(_typed(item.get("author"), dict).get("name"), str)
            or next((name for a in authors if (name := _typed(a.get("name"), str))), None),
            "tags": [{"term": t} for t in _typed(item.get("tags"), list) if isinstance(t, str)],
            "published": _typed(item.get("date_published"), str) or None,
            "updated": _typed(item.get("date_modified"), str) or None,
        }
        article = _article(name, feedparser.FeedParserDict(entry))
        if article is not None:
            result.articles.append(article)
    return result


def _typed(value: Any, kind: type) -> Any:
    """`value` when it is of that JSON type, else that type's empty value."""
    return value if isinstance(value, kind) and not isinstance(value, bool) else kind()


__all__ = ["Block", "FeedRead", "parse_feed", "read_feed_file"]
