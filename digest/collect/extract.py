"""`digest extract`: the main text of one page or document, file or URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import DigestError
from .fetch import fetch_all
from .local import Document, UnreadableFile, read_file, read_html_bytes


def extract_target(target: str) -> dict[str, Any]:
    """{path, title, text, author?, date?, url?} for a file path or an http(s) URL."""
    if target.startswith(("http://", "https://")):
        return _as_dict(_fetch_page(target), path=target, url=target)
    path = Path(target)
    if not path.is_file():
        raise DigestError(f"{target}: no such file")
    try:
        return _as_dict(read_file(path), path=target)
    except UnreadableFile as exc:
        raise DigestError(f"{target}: {exc}") from None


def _fetch_page(url: str) -> Document:
    answer = fetch_all([url])[url]
    if answer.status != "ok":
        raise DigestError(f"{url}: cannot fetch ({answer.error})")
    try:
        return read_html_bytes(answer.body, name=answer.final_url or url)
    except UnreadableFile as exc:
        raise DigestError(f"{url}: {exc}") from None


def _as_dict(doc: Document, path: str, url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"path": path, "title": doc.title, "text": "\n\n".join(b.text for b in doc.blocks)}
    if doc.author:
        data["author"] = doc.author
    if doc.published:
        data["date"] = doc.published.isoformat()
    if url:
        data["url"] = url
    return data
