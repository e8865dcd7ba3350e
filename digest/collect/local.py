"""The reader for `path:` sources: local Markdown, plain text and saved HTML pages.

File kinds are registered by extension; a new kind is a new small function.
Metadata comes from front matter, else from the content (first heading, a
byline, a date line, "March 6, 2025 - Mei Tanaka"), else from the file name.
A file that can't be read is one warning and the build goes on.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..models import Article, Block, replace
from .clean import clean_article, escaped, is_boilerplate, markdown_to_blocks, normalize, text_to_blocks
from .frontmatter import split_front_matter
from .html import parse_html
from .newswire import is_newswire, read_newswire, strip_dateline
from .page import page_to_blocks


class UnreadableFile(Exception):
    """A file that is not an article: the message says why, in a few words."""


@dataclass(frozen=True, slots=True)
class Document:
    """What a file holds, before it is tied to a source."""

    title: str
    blocks: tuple[Block, ...]
    author: str | None = None
    published: datetime | None = None
    tags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # read, but something in it was refused


MAX_BYTES = 20 * 1024 * 1024
_MARKDOWN_SIGNS_RE = re.compile(r"^(?:#{1,6}\s|\s*[*+-]\s+\*\*|\*\*[^*]+\*\*|!\[|>\s)", re.MULTILINE)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE_RES = (
    re.compile(r"^\W*(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})\W*$"),
    re.compile(r"^\W*(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})\W*$"),
    re.compile(r"^\W*(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\W*$"),
)
# "Posted 17 November 2024 by Jo Park", "Published on March 3, 2024"
_POSTED_RE = re.compile(
    r"^(?:posted|published|updated)\s+(?:on\s+)?(?P<date>.+?\d{4})"
    r"(?:\s+by\s+(?P<name>.{2,60}))?\.?$",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(r"\s+[-–—|·]\s+")
_NAME_RE = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}$")


def read_file(path: Path) -> Document:
    """One file into a Document; UnreadableFile says why not.

    The extension picks the reader; news-wire SGML (`<DOC>`) is known by its
    content, whatever the name, and a file with no known extension is read
    as a page or as text when its content is one.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnreadableFile(f"larger than {MAX_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableFile("is a folder") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from None
    return _reader(path, data)(data, path)


def _reader(path: Path, data: bytes) -> Callable[[bytes, Path], Document]:
    suffix = path.suffix.lower()
    head = data[:512].decode("utf-8", errors="replace")
    if READERS.get(suffix, _read_text) is _read_text and is_newswire(head):  # plain text or no known kind
        return _read_newswire
    if suffix in READERS:
        return READERS[suffix]
    if not _plain_suffix(suffix):
        raise UnreadableFile(f"unsupported file type '{suffix}'")
    if re.match(r"\s*(?:<!doctype html|<html)", head, re.IGNORECASE):
        return _read_html
    if b"\x00" in data[:1024] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary file")
    return _read_text


def _plain_suffix(suffix: str) -> bool:
    """No extension, or a number as news archives name their files ("APW19981016.0240")."""
    return not suffix or suffix[1:].isdigit()


def _read_newswire(data: bytes, path: Path) -> Document:
    title, blocks, published, author = read_newswire(decode(data))
    if not blocks:
        raise UnreadableFile("no text")
    return Document(title=title or _title_from_name(path), blocks=tuple(blocks), author=author, published=published)


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: a BOM, else UTF-8, else the declared charset, else cp1252."""
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise UnreadableFile(f"cannot decode as {codec.upper()}") from None
    if b"\x00" in data[:1024]:
        raise UnreadableFile("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("cp1252", errors="replace")


def _read_markdown(data: bytes, path: Path) -> Document:
    return _from_text(decode(data), path, markdown=True)


def _read_text(data: bytes, path: Path) -> Document:
    return _from_text(decode(data), path, markdown=False)


def _from_text(text: str, path: Path, markdown: bool) -> Document:
    meta, body, problem = split_front_matter(text)
    if meta or _MARKDOWN_SIGNS_RE.search(body):
        markdown = True  # a .txt that is Markdown inside, front matter and all
    blocks = markdown_to_blocks(body) if markdown else text_to_blocks(body)
    blocks, found = _take_metadata(blocks)
    if not markdown:  # news copied as text keeps its dateline: "WASHINGTON (AP) _ The Senate ..."
        first = next((i for i, b in enumerate(blocks) if b.kind == "paragraph"), None)
        if first is not None:
            blocks[first] = Block("paragraph", strip_dateline(blocks[first].text, strict=True), blocks[first].level)
    doc = _document(meta, found, blocks, path)
    return replace(doc, warnings=(problem,)) if problem else doc


def _read_html(data: bytes, path: Path) -> Document:
    return read_html_bytes(data, path.name, path)


def read_html_bytes(data: bytes, name: str, path: Path | None = None) -> Document:
    """A saved (or fetched) HTML page: its article, its metadata."""
    head = data[:4096].decode("ascii", errors="replace")
    charset = re.search(r"""<meta[^>]+charset=["']?([\w-]+)""", head, re.IGNORECASE)
    html = decode(data, charset.group(1) if charset else None)
    blocks, extracted = page_to_blocks(html)
    meta = {**extracted, **_html_meta(html)}  # the page's own <meta> tags win
    blocks, found = _take_metadata(blocks)
    return _document(meta, found, blocks, path or Path(name))


def _html_meta(html: str) -> dict[str, Any]:
    """Title, author, date and keywords from a page's own tags (h1, <meta>, <time>)."""
    from lxml import etree

    try:
        tree = parse_html(html[:500_000])
    except (etree.ParserError, ValueError):
        return {}

    def content(*names: str) -> str | None:
        for name in names:
            for tag in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
                if tag.get("content", "").strip():
                    return tag.get("content").strip()
        return None

    h1 = next((h.text_content().strip() for h in tree.iter("h1") if h.text_content().strip()), None)
    title = tree.findtext(".//title")
    meta: dict[str, Any] = {
        "title": h1 or content("og:title", "twitter:title") or (title.strip() if title else None),
        "author": content("author", "article:author", "dc.creator", "parsely-author"),
        "date": content("article:published_time", "date", "dc.date", "pubdate")
        or next((t.get("datetime") for t in tree.iter("time") if t.get("datetime")), None),
    }
    keywords = content("keywords", "article:tag")
    if keywords:
        meta["tags"] = [k.strip() for k in keywords.split(",") if k.strip()]
    for key, value in _json_ld(tree).items():
        meta[key] = meta.get(key) or value
    return {k: v for k, v in meta.items() if v}


def _json_ld(tree) -> dict[str, Any]:
    """Author, date and keywords from schema.org JSON-LD, which many article pages carry."""
    import json

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            kind = str(item.get("@type", "")) + "Article" * ("headline" in item) if isinstance(item, dict) else ""
            if "Article" not in kind:
                continue
            author = item.get("author")
            if isinstance(author, list):
                author = author[0] if author else None
            keywords = item.get("keywords")
            if isinstance(keywords, str):
                keywords = [k.strip() for k in keywords.split(",")]
            return {
                "title": item.get("headline"),
                "date": item.get("datePublished"),
                "author": author.get("name") if isinstance(author, dict) else author,
                "tags": [str(k).strip() for k in keywords or [] if str(k).strip()],
            }
    return {}


READERS: dict[str, Callable[[bytes, Path], Document]] = {
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".mdown": _read_markdown,
    ".mkd": _read_markdown,
    ".txt": _read_text,
    ".text": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".xhtml": _read_html,
}


def _take_metadata(blocks: list[Block]) -> tuple[list[Block], dict[str, Any]]:
    """Title, author and date from the top of the content, taken out of the text.

    Scraped pages open with a run of short lines: a title, "avatar", an
    author's name, "·April 23, 2024", "·25 min read", the title again.
    """
    found: dict[str, Any] = {}
    kept: list[Block] = []
    top = True
    for i, block in enumerate(blocks):
        text = block.text.strip().lstrip("·•|- ").strip()
        if top and block.kind != "item" and len(text.split()) > 25:
            top = False
        if top and i < 12:
            day = parse_date(text)
            if day and "date" not in found:
                found["date"] = day
                if (
                    kept
                    and _NAME_RE.match(kept[-1].text)
                    and "author" not in found
                    and len(kept[-1].text.split()) <= 3
                    and kept[-1].text != found.get("title")
                ):
                    found["author"] = kept.pop().text
                continue
            if (posted := _POSTED_RE.match(text)) and (day := parse_date(posted.group("date"))) and "date" not in found:
                found["date"] = day
                if posted.group("name"):
                    found.setdefault("author", posted.group("name").strip())
                continue
            if (dated := _dated_by(text)) and "date" not in found:
                found["date"], name = dated
                found.setdefault("author", name)
                continue
            byline = re.match(r"^(?:by|written by|posted by)\s+(.{3,60})$", text, re.IGNORECASE)
            if byline and "author" not in found:
                found["author"] = byline.group(1).strip()
                continue
            if text == found.get("title"):
                continue  # the title again, as scraped pages repeat it
            if block.kind == "heading" and "title" not in found:
                found["title"] = block.text  # dropped later if it is the title in the end
        kept.append(block)
    return [b for b in kept if not is_boilerplate(b.text)], found


def _dated_by(text: str) -> tuple[datetime, str] | None:
    """(date, author) of a line "March 6, 2025 - Mei Tanaka" or "Mei Tanaka | 6 March 2025"."""
    parts = [p.strip() for p in _SEPARATOR_RE.split(text, maxsplit=1)]
    if len(parts) != 2:
        return None
    for when, name in (parts, parts[::-1]):
        if _NAME_RE.match(name) and (day := parse_date(when)):
            return day, name
    return None


def parse_date(text: Any) -> datetime | None:
    """A date from front matter or a date line, as an aware datetime (UTC when unzoned)."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=timezone.utc)
    if isinstance(text, date):
        return datetime(text.year, text.month, text.day, tzinfo=timezone.utc)
    if not isinstance(text, str) or len(text) > 40:
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except ValueError:
        pass
    for pattern in _DATE_RES:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("mon"):
            month = int(parts["mon"])
        else:
            name = parts["month"].lower()
            month = next(
                (n for n, full in enumerate(_MONTHS, 1) if full.startswith(name[:3]) and full.startswith(name)), 0
            )
        try:
            return datetime(int(parts["year"]), month, int(parts["day"]), tzinfo=timezone.utc)
        except ValueError:
            return None
    return None


def _document(meta: dict[str, Any], found: dict[str, Any], blocks: list[Block], path: Path) -> Document:
    title = _text(meta.get("title")) or found.get("title") or _title_from_name(path)
    if blocks and blocks[0].kind == "heading" and normalize(blocks[0].text).lower() == title.lower():
        blocks = blocks[1:]
    if not any(b.kind != "heading" for b in blocks):
        raise UnreadableFile("no text")
    author = meta.get("author") or meta.get("authors")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    tags = meta.get("tags") or meta.get("categories") or meta.get("keywords") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    published = parse_date(meta.get("date") or meta.get("published") or meta.get("pubdate")) or found.get("date")
    return Document(
        title=normalize(title),
        blocks=tuple(blocks),
        author=_text(author) or found.get("author"),
        published=published,
        tags=tuple(str(t) for t in tags if str(t).strip()) if isinstance(tags, list) else (),
    )


def _text(value: Any) -> str | None:
    return normalize(str(value)) if value not in (None, "") else None


def _title_from_name(path: Path) -> str:
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_]", "", _name_text(path.stem))
    return re.sub(r"[-_]+", " ", stem).strip().capitalize() or _name_text(path.name)


def _name_text(name: str) -> str:
    """A file name's text: bytes that are not UTF-8 are read as the file contents are, as cp1252."""
    try:
        return name.encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("cp1252", errors="replace")


def list_files(location: str) -> list[Path]:
    """The supported files of a folder (recursively, hidden ones skipped) or glob."""
    path = Path(location)
    if path.is_file():
        return [path]
    if path.is_dir():
        candidates = (p for p in path.rglob("*") if not any(part.startswith(".") for part in p.relative_to(path).parts))
    else:
        candidates = (Path(p) for p in glob.glob(location, recursive=True))
    return sorted(p for p in candidates if p.is_file() and (p.suffix.lower() in READERS or _newswire_file(p)))


def _newswire_file(path: Path) -> bool:
    """A news archive's file among the notes: no extension (or a number, or .xml/.sgml) and a <DOC> inside."""
    suffix = path.suffix.lower()
    if not (_plain_suffix(suffix) or suffix in (".xml", ".sgml", ".sgm")):
        return False
    try:
        with path.open("rb") as handle:
            return is_newswire(handle.read(512).decode("utf-8", errors="replace"))
    except OSError:
        return False


def read_local(name: str, location: str, root: Path) -> tuple[list[Article], list[str]]:
    """Every readable file of a `path:` source as an Article; one warning per bad file."""
    articles: list[Article] = []
    warnings: list[str] = []
    for path in list_files(location):
        shown = shown_path(path, root)
        try:
            doc = read_file(path)
        except UnreadableFile as exc:
            warnings.append(f"{shown}: {exc}")
            continue
        warnings.extend(f"{shown}: {warning}" for warning in doc.warnings)
        articles.append(
            clean_article(
                Article(
                    id=f"file:{shown}",
                    title=doc.title,
                    source=name,
                    blocks=doc.blocks,
                    path=shown,
                    published=doc.published,
                    author=doc.author,
                    tags=doc.tags,
                )
            )
        )
    return articles, warnings


def shown_path(path: Path | str, root: Path) -> str:
    """A path as reports and article ids give it: relative to the config folder, stable across machines.

    Whatever its bytes: a name that is not UTF-8 shows them as escapes
    (`caf\\xe9.md`), as do control characters, so the path can be printed,
    stored in the state file and written into the issue.
    """
    path = Path(path).resolve()
    try:
        shown = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return printable_path(shown)


def printable_path(text: str) -> str:
    """A path's text that any output takes: undecodable bytes and control characters as escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = (
            os.fsencode(text).decode("utf-8", errors="backslashreplace")
            if _escaped_bytes(text)
            else text.encode("utf-8", errors="backslashreplace").decode("utf-8")
        )
    return escaped(text)


def _escaped_bytes(text: str) -> bool:
    """Only surrogates that stand for undecodable bytes (as os.fsdecode makes them)."""
    return all("\udc80" <= ch <= "\udcff" for ch in text if "\ud800" <= ch <= "\udfff")
