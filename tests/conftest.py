"""Shared fixtures: articles built in code, and a newsletter folder on disk."""
from __future__ import annotations

import os
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


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright: skipped only off CI when it is missing."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("no /usr/bin/chromium (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
