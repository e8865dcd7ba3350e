"""Shared fixtures: articles built in code, and a newsletter folder on disk."""

from __future__ import annotations

import contextlib
import dataclasses
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
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
SAMPLE_FEED = (ROOT / "sample" / "feeds" / "lab-notes.xml").read_bytes()  # eight entries dated in 2024-W46


@pytest.fixture
def sample(tmp_path):
    """A copy of the sample newsletter, so tests never touch the repository's state."""
    import shutil

    shutil.copy(ROOT / "sources.yaml", tmp_path / "sources.yaml")
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
def sample_folder(sample: Path) -> Path:
    """The sample newsletter's copy (`sample`), by the name the preview's tests know it."""
    return sample


@pytest.fixture
def preview(sample_folder: Path):
    """The sample's week 2024-W46 in a running preview; yields (folder, base URL)."""
    with running_preview(sample_folder / "sources.yaml") as url:
        yield sample_folder, url


class FeedServer:
    """One feed on 127.0.0.1 that a test can hold back (until `release()`, at most 30 s) or take down."""

    def __init__(self, body: bytes):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.body, self.down = body, False
        self.gate = threading.Event()
        self.gate.set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                server.gate.wait(timeout=30)
                status, body = (503, b"down") if server.down else (200, server.body)
                self.send_response(status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def __enter__(self) -> FeedServer:
        import threading

        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()


NOTES = {
    "agents.md": """\
        ---
        title: Agents that use tools
        ---
        Coding agents now call the test runner and code search through function calling before they edit.
        An agent that writes a plan first gives up less often and touches fewer unrelated files.
        """,
    "small-models.md": """\
        ---
        title: Small models on laptops
        ---
        A 4-bit quantized small language model runs on a laptop with 16 GB of RAM at reading speed.
        Distillation from a larger teacher recovers most of the quality lost by going small.
        """,
}


@pytest.fixture
def weekly(tmp_path, newsletter):
    """A newsletter of two notes and one feed over HTTP (the server: `weekly.feed`), for 2024-W46."""
    with FeedServer(SAMPLE_FEED) as feed:
        path = newsletter(
            f"""
            newsletter: {{title: Test Weekly, from: "Test Weekly <news@weekly.example.org>"}}
            sources:
              - {{name: Notes, path: notes/}}
              - {{name: Lab Notes, feed: "{feed.url}", fulltext: never}}
            fetch: {{timeout: 5}}
            trends:
              - {{name: Agents, keywords: [agent, tool use, function calling]}}
        """,
            NOTES,
        )
        yield Weekly(path, feed)


@dataclasses.dataclass
class Weekly:
    config: Path
    feed: FeedServer

    @property
    def folder(self) -> Path:
        return self.config.parent

    @property
    def state(self) -> Path:
        return self.folder / ".digest-state.sqlite"

    def issue(self, week: str = "2024-W46") -> dict[str, bytes]:
        """Every file of the issue folder, to compare before and after."""
        folder = self.folder / "output" / week
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    def integrity(self) -> str:
        import sqlite3

        db = sqlite3.connect(self.state)
        try:
            return db.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            db.close()


def run_cli(*args: str):
    from click.testing import CliRunner

    from digest.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def cli():
    """`digest ARGS` in this process, as click's test runner sees it: `cli("build", "--week", ...)`."""
    return run_cli
