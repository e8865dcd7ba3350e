"""Save-to-reload in `digest preview`, and how many feed requests the saves cost.

    python bench/preview.py [--saves 20] [--newsletter DIR] [--browser /usr/bin/chromium]

Runs `digest preview` on a copy of the sample newsletter (or of DIR, a folder
with sources.yaml), with its feeds served from a local HTTP server that
counts every request. Each save changes a partial; the time is from the
write to the moment the preview's event stream said so and the new draft was
fetched with the change in it: what the studio page does to reload. The
baseline, in the same run: saves of sources.yaml, which build again (collect,
summarize, render) through the HTTP cache. With --browser, the same saves
are timed once more in Chromium (Playwright), up to the moment the studio's
frame shows the change.

Goals (issue 9): template-only save-to-reload median under 300 ms over 20
saves, and 0 feed requests during those saves.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never through a proxy
DEADLINE = 30.0  # seconds any one wait may take


class Feeds(BaseHTTPRequestHandler):
    """Serves each local feed file of the newsletter at /<index>.xml, with an ETag; counts requests."""

    files: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        Feeds.requests.append(self.path)
        body = Feeds.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{len(body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def newsletter_copy(source: Path | None, work: Path, feeds_url: str) -> Path:
    """The newsletter (default: the sample) in `work`, its local feed files served over HTTP instead."""
    if source is None:
        shutil.copy(ROOT / "sources.yaml", work)
        shutil.copytree(ROOT / "sample", work / "sample")
    else:
        shutil.copytree(source, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("output", ".digest-state*"))
    if not (work / "templates").is_dir():
        shutil.copytree(ROOT / "templates", work / "templates")
    config = work / "sources.yaml"
    text = config.read_text(encoding="utf-8")

    def served(match: re.Match[str]) -> str:
        path = match.group(2)
        if path.startswith(("http://", "https://")):
            return match.group(0)
        name = f"/{len(Feeds.files)}.xml"
        Feeds.files[name] = (work / path).read_bytes()
        return f"{match.group(1)}{feeds_url}{name}"

    config.write_text(re.sub(r"(feed:\s*)([^,}\s]+)", served, text), encoding="utf-8")
    return config


class Preview:
    """`digest preview` as the editor runs it, in its own process."""

    def __init__(self, folder: Path, week: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digest", "preview", "--port", "0", "--week", week],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([self.process.stderr], [], [], DEADLINE)
        line = self.process.stderr.readline() if ready else ""  # type: ignore[union-attr]
        found = re.search(r"http://\S+?(?=/ )", line)
        if not found:
            self.stop()
            raise SystemExit(f"error: the preview did not start: {line.strip()!r}")
        self.url = found.group(0)
        self.events: list[float] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        with DIRECT.open(self.url + "/events", timeout=DEADLINE) as stream:
            for raw in stream:
                if raw.startswith(b"data:"):
                    with self.changed:
                        self.events.append(time.perf_counter())
                        self.changed.notify_all()

    def status(self) -> dict:
        with DIRECT.open(self.url + "/status.json", timeout=DEADLINE) as response:
            return json.load(response)

    def get(self, path: str) -> str:
        with DIRECT.open(self.url + path, timeout=DEADLINE) as response:
            return response.read().decode("utf-8")

    def settle(self) -> None:
        deadline = time.monotonic() + DEADLINE
        while (status := self.status())["building"] or status["version"] < 1:
            if time.monotonic() > deadline:
                raise SystemExit("error: the first build did not finish")
            time.sleep(0.05)
        if status["errors"]:
            raise SystemExit(f"error: the preview failed: {status['errors'][0]}")

    def save_to_reload(self, path: Path, text: str, marker: str, page: str = "/draft/digest.html") -> float:
        """Seconds from writing `path` to fetching the page with `marker` in it, after the preview's event."""
        with self.changed:
            seen = len(self.events)
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        deadline = time.monotonic() + DEADLINE
        while True:
            with self.changed:
                self.changed.wait_for(
                    lambda after=seen: len(self.events) > after, timeout=max(0.0, deadline - time.monotonic())
                )
                seen = len(self.events)
            if marker in self.get(page):
                return time.perf_counter() - started
            if time.monotonic() > deadline:
                raise SystemExit(f"error: {marker!r} never reached the page")

    def in_browser(self, chromium: str, partial: Path, original: str, saves: int, pause: float) -> list[float]:
        """Save-to-reload as the editor sees it: from the write to the change in the studio's frame."""
        from playwright.sync_api import sync_playwright

        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.set_default_timeout(DEADLINE * 1000)
            page.goto(self.url + "/")
            frame = page.frame_locator("#frame")
            frame.locator("[data-trend]").first.wait_for(state="attached")
            # The page notes when each new render has loaded in the frame (its subresources too), on the
            # same clock as ours: no polling of Playwright's in the figure.
            page.evaluate("""() => { window.loads = [];
                document.getElementById("frame").addEventListener("load", () => window.loads.push(Date.now())); }""")
            for i in range(saves):
                marker = f"browser save {i} ·"
                page.evaluate("() => { window.loads = []; }")
                started = time.time()
                partial.write_text(
                    original.replace("You are receiving", f"{marker} You are receiving", 1), encoding="utf-8"
                )
                frame.get_by_text(marker).wait_for(state="attached")
                page.wait_for_function("() => window.loads.length > 0", polling=10)  # the marker shows before load
                loaded = page.evaluate("() => window.loads[window.loads.length - 1]")
                times.append(loaded / 1000 - started)
                time.sleep(pause)
            browser.close()
        return times

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate(timeout=DEADLINE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20, help="template saves to time (default 20)")
    parser.add_argument("--config-saves", type=int, default=5, help="sources.yaml saves, the baseline (default 5)")
    parser.add_argument(
        "--newsletter",
        type=Path,
        default=None,
        help="a newsletter folder with sources.yaml (default: the repository's sample)",
    )
    parser.add_argument("--week", default="2024-W46")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between saves (default 0.3)")
    parser.add_argument("--browser", metavar="CHROMIUM", help="also time the saves in this Chromium (Playwright)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feeds_url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="digest-bench-preview-") as tmp:
        work = Path(tmp)
        config = newsletter_copy(args.newsletter, work, feeds_url)
        preview = Preview(work, args.week)
        try:
            preview.settle()
            first_build = len(Feeds.requests)
            partial = work / "templates" / "footer.mjml.j2"
            original = partial.read_text(encoding="utf-8")
            template_times = []
            for i in range(args.saves):
                marker = f"bench save {i} ·"
                text = original.replace("You are receiving", f"{marker} You are receiving", 1)
                template_times.append(preview.save_to_reload(partial, text, marker))
                time.sleep(args.pause)
            browser_times = (
                preview.in_browser(args.browser, partial, original, args.saves, args.pause) if args.browser else []
            )
            during_templates = len(Feeds.requests) - first_build
            base = config.read_text(encoding="utf-8")
            config_times = []
            for i in range(args.config_saves):
                marker = f"Config save {i}"
                text = re.sub(r"(\n\s*description:\s*)", rf"\1{marker}. ", base, count=1)
                config_times.append(preview.save_to_reload(config, text, marker))
                time.sleep(args.pause)
            during_config = len(Feeds.requests) - first_build - during_templates
        finally:
            preview.stop()
            server.shutdown()

    median = statistics.median(template_times)
    baseline = statistics.median(config_times)
    feeds = len(Feeds.files)
    print(f"newsletter: {args.newsletter or 'the sample'}, {feeds} feed(s) served on {feeds_url}")
    print(
        f"template save → reload  median {median * 1000:6.0f} ms  (min {min(template_times) * 1000:.0f}, "
        f"max {max(template_times) * 1000:.0f}; {args.saves} saves; goal < 300 ms)"
    )
    if browser_times:
        print(
            f"  in Chromium, to the frame  median {statistics.median(browser_times) * 1000:6.0f} ms  "
            f"(min {min(browser_times) * 1000:.0f}, max {max(browser_times) * 1000:.0f})"
        )
    print(
        f"config save → reload    median {baseline * 1000:6.0f} ms  (baseline, same run: builds again; "
        f"{args.config_saves} saves)"
    )
    print(f"template-only / rebuild ratio {median / baseline:.2f}")
    print(
        f"feed requests: {first_build} for the first build, {during_templates} during the template saves "
        f"(goal 0), {during_config} during the config saves (fresh window)"
    )
    return 0 if median < 0.3 and during_templates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
