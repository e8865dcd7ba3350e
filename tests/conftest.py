"""Shared fixtures: articles built in code, and a newsletter folder on disk."""
from __future__ import annotations

import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.models import Article, Block


def make_article(id: str, *paragraphs: str, title: str | None = None, source: str = "Notes",
                 url: str | None = None, published: datetime | None = None, items: tuple[str, ...] = (),
                 heading: str | None = None) -> Article:
    """An article from plain paragraphs (and optional list items under a heading)."""
    blocks = [Block("paragraph", p) for p in paragraphs]
    if heading:
        blocks.append(Block("heading", heading, 2))
    blocks += [Block("item", item) for item in items]
    return Article(id=id, title=title or id, source=source, blocks=tuple(blocks), url=url,
                   published=published, path=None if url else f"{id}.md")


@pytest.fixture
def article():
    return make_article


@pytest.fixture
def newsletter(tmp_path: Path):
    """A newsletter folder with one notes folder; returns a writer for sources.yaml."""
    notes = tmp_path / "notes"
    notes.mkdir()

    def write(config: str, files: dict[str, str] | None = None) -> Path:
        for name, text in (files or {}).items():
            path = notes / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        path = tmp_path / "sources.yaml"
        path.write_text(textwrap.dedent(config).lstrip(), encoding="utf-8")
        return path

    return write


UTC = timezone.utc
