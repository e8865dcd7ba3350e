"""`digest preview`: a real server on 127.0.0.1 that rebuilds and reloads on change."""
from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from digest.preview import serve
from digest.week import Week

ROOT = Path(__file__).resolve().parents[1]


# Straight to 127.0.0.1: an http_proxy in the environment (CI has one for the
# package registries) would buffer the event stream and never pass it on.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url: str) -> str:
    with DIRECT.open(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(check, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the preview did not change in time")


@pytest.fixture
def running(tmp_path):
    shutil.copy(ROOT / "sources.yaml", tmp_path)
    shutil.copytree(ROOT / "sample", tmp_path / "sample")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    stop, bound = threading.Event(), []
    thread = threading.Thread(target=serve, args=(tmp_path / "sources.yaml", Week(2024, 46), 0, stop, bound.append),
                              daemon=True)
    thread.start()
    wait_for(lambda: bool(bound))
    yield tmp_path, f"http://127.0.0.1:{bound[0]}"
    stop.set()
    thread.join(timeout=10)


def test_preview_serves_the_issue_and_reloads_when_a_template_changes(running):
    folder, url = running
    page = get(url + "/")
    assert "LLM Trends Weekly" in page and 'new EventSource("/events")' in page
    assert "LLM TRENDS WEEKLY" in get(url + "/digest.txt")
    template = folder / "templates" / "header.txt.j2"
    template.write_text(template.read_text().replace("{{ newsletter.title | upper }}", "EDITED {{ newsletter.title }}"))
    wait_for(lambda: get(url + "/digest.txt").startswith("EDITED LLM Trends Weekly"))


def test_a_template_error_shows_in_the_page_and_the_state_is_untouched(running):
    folder, url = running
    (folder / "templates" / "digest.mjml.j2").write_text("{% for x in %}\n")
    wait_for(lambda: "error: " in get(url + "/"))
    assert "digest.mjml.j2:1" in get(url + "/")
    assert not (folder / ".digest-state.sqlite").exists()  # previews build on a scratch copy


def test_the_page_hears_about_each_rebuild(running):
    folder, url = running
    events = DIRECT.open(url + "/events", timeout=20)
    note = folder / "sample" / "notes" / "late.md"
    note.write_text("# Late note\n\nAgents that use tools now book trips on their own.\n")
    deadline = time.monotonic() + 30  # the server says "still here" every 15 s: a bare read never times out
    line = events.readline().decode()
    while not line.startswith("data:"):
        assert line and time.monotonic() < deadline, "no rebuild event came"
        line = events.readline().decode()
    events.close()
    wait_for(lambda: "Late note" in get(url + "/"))


def test_the_browser_page_reloads_itself(running, browser):
    folder, url = running
    page = browser.new_page()
    try:
        page.goto(url + "/")
        assert "LLM Trends Weekly" in page.title()
        template = folder / "templates" / "digest.mjml.j2"
        template.write_text(template.read_text().replace("<mj-title>", "<mj-title>Edited · ", 1))
        page.wait_for_function("document.title.startsWith('Edited')", timeout=15000)
    finally:
        page.close()
