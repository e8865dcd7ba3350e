"""Shared fixtures: articles built in code, and a newsletter folder on disk."""
from __future__ import annotations

import contextlib
import os
import textwrap
import threading
import time
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


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    """A copy of the repository's sample newsletter, free to edit."""
    import shutil

    shutil.copy(ROOT / "sources.yaml", tmp_path)
    shutil.copytree(ROOT / "sample", tmp_path / "sample")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


@contextlib.contextmanager
def running_preview(config: Path, week: str = "2024-W46"):
    """`digest preview` of `config` served on a free port in a thread; yields its base URL."""
    from digest.preview import serve
    from digest.week import Week

    stop, bound = threading.Event(), []
    thread = threading.Thread(target=serve, args=(config, Week.parse(week), 0, stop, bound.append), daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not bound and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bound, "the preview did not start"
    url = f"http://127.0.0.1:{bound[0]}"
    try:
        first_build(url)
        yield url
    finally:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the preview did not stop"


def first_build(url: str, seconds: float = 90.0) -> None:
    """Wait (bounded) for the preview's first build: a second on the sample, far more on a busy CI machine."""
    import json
    import urllib.request

    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never through a proxy
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with direct.open(url + "/status.json", timeout=10) as response:
            status = json.load(response)
        if status["version"] >= 1 and not status["building"]:
            return
        time.sleep(0.1)
    raise AssertionError(f"the preview's first build took over {seconds:.0f} s")


@pytest.fixture
def preview(sample_folder: Path):
    """The sample's week 2024-W46 in a running preview; yields (folder, base URL)."""
    with running_preview(sample_folder / "sources.yaml") as url:
        yield sample_folder, url
