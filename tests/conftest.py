"""Shared fixtures: articles built in code, and a newsletter folder on disk."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builders import make_article


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

