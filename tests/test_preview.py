"""`digest preview`: a real server on 127.0.0.1, its rebuilds, its safety, and how it stops."""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, running_preview
from factories import make_digest

from digest.edits import keyed
from digest.render import render_issue

# Straight to 127.0.0.1: an http_proxy in the environment (CI has one for the
# package registries) would buffer the event stream and never pass it on.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
FEED = (ROOT / "sample" / "feeds" / "lab-notes.xml").read_bytes()


def get(url: str) -> str:
    with DIRECT.open(url, timeout=10) as response:
        return response.read().decode("utf-8")


def status(url: str) -> dict:
    return json.loads(get(url + "/status.json"))


def wait_for(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the preview did not change in time")


def settled(url: str, after: int = 0, seconds: float = 60.0) -> dict:
    """The status once a build or render after version `after` is done."""
    return wait_for(lambda: (s := status(url))["version"] > after and not s["building"] and s, seconds)


def request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """A request sent exactly as written: no client tidies the path first."""
    where = urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for key, value in {"Host": where.netloc, **(headers or {})}.items():
            connection.putheader(key, value)
        connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def token(url: str) -> str:
    page = get(url + "/")
    return page.split('name="digest-token" content="', 1)[1].split('"', 1)[0]


def test_the_studio_serves_the_draft_its_faces_and_the_inbox_line(preview):
    folder, url = preview
    now = settled(url)
    assert now["errors"] == [] and now["week"] == "2024-W46"
    assert now["inbox"]["from"] == "LLM Trends Weekly <editor@llm-trends.example.org>"
    assert now["inbox"]["subject"].startswith("LLM Trends Weekly — 2024-W46: Agents and tool use")
    assert now["inbox"]["preheader"].startswith("This week: Agents and tool use")
    page = get(url + "/")
    assert 'data-view="mobile"' in page and 'data-view="dark"' in page and 'data-view="json"' in page
    draft = get(url + "/draft/digest.html")
    assert 'data-trend="agents-tool-use"' in draft and "/frame.js" in draft
    assert "LLM TRENDS WEEKLY" in get(url + "/draft/digest.txt")
    model = json.loads(get(url + "/draft/digest.json"))
    assert model["trends"][0]["key"] == "agents-tool-use" and model["trends"][0]["bullets"][0]["key"]
    assert 'new EventSource("/events")' in get(url + "/studio.js")


def test_head_answers_like_get_without_a_body(preview):
    _, url = preview
    settled(url)
    code, headers, body = request(url, "HEAD", "/")
    assert code == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert request(url, "HEAD", "/draft/digest.txt")[0] == 200
    assert request(url, "HEAD", "/nowhere")[0] == 404


def test_a_page_under_another_name_gets_nothing(preview):
    _, url = preview
    settled(url)
    for path in ("/", "/status.json", "/draft/digest.html"):  # DNS rebinding: the token and the draft stay home
        assert request(url, "GET", path, headers={"Host": "evil.example:80"})[0] == 403
    port = urlsplit(url).port
    assert request(url, "GET", "/", headers={"Host": f"localhost:{port}"})[0] == 200


def test_the_email_never_carries_the_controls():
    email = render_issue(make_digest()).html
    assert "data-trend" not in email and "data-bullet" not in email and "frame.js" not in email
    marked = render_issue(keyed(make_digest()), preview=True).html
    assert 'data-trend="agents-tool-use"' in marked and "data-bullet=" in marked


def test_a_template_change_renders_the_cached_draft_and_a_source_change_builds_again(preview, monkeypatch):
    import digest.pipeline

    folder, url = preview
    first = settled(url)
    builds = []
    real = digest.pipeline.build
    monkeypatch.setattr(digest.pipeline, "build", lambda *a, **k: builds.append(1) or real(*a, **k))
    partial = folder / "templates" / "intro.txt.j2"
    partial.write_text(partial.read_text().replace("{{ issue.intro }}", "EDITED {{ issue.intro }}"))
    wait_for(lambda: "EDITED 17 articles" in get(url + "/draft/digest.txt"))
    assert builds == []  # no collecting, no summarizing: the draft was rendered again
    (folder / "sample" / "notes" / "late.md").write_text("# Late note\n\nAgents that use tools now book trips.\n")
    wait_for(lambda: "Late note" in get(url + "/draft/digest.html"))
    assert builds == [1]
    assert status(url)["version"] > first["version"]


def test_a_broken_template_shows_file_and_line_over_the_last_good_render(preview):
    folder, url = preview
    before = settled(url)
    good = get(url + "/draft/digest.html")
    partial = folder / "templates" / "bullet.mjml.j2"
    original = partial.read_text()
    partial.write_text("<li>\n{{ bullet.text | shout }}</li>\n")
    broken = wait_for(lambda: (s := status(url))["errors"] and s)
    assert any("bullet.mjml.j2:2: " in line and "shout" in line for line in broken["errors"]), broken["errors"]
    assert get(url + "/draft/digest.html") == good  # the last good render stays beneath
    page = get(url + "/")
    assert 'id="overlay" class="overlay" role="alert">' in page and "bullet.mjml.j2:2" in page
    partial.write_text(original.replace("{{ bullet.text }}", "FIXED {{ bullet.text }}"))
    fixed = wait_for(lambda: not (s := status(url))["errors"] and s["version"] > broken["version"] and s)
    assert fixed["version"] > before["version"] and "FIXED Agent benchmarks" in get(url + "/draft/digest.html")
    assert not (folder / ".digest-state.sqlite").exists()  # previews build on a scratch copy


TRAVERSALS = [
    "/../sources.yaml",
    "/draft/../sources.yaml",
    "/draft/../../sources.yaml",
    "/%2e%2e/sources.yaml",
    "/draft/%2e%2e/sources.yaml",
    "/draft%2f..%2fsources.yaml",
    "/issues/2024-W46/..%2f..%2fsources.yaml",
    "/issues/2024-W46/../../sources.yaml",
    "/issues/..%2F..%2Fsources.yaml/digest.html",
    "//etc/passwd",
    "/etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/issues/2024-W46/%2e%2e%2f%2e%2e%2fsources.yaml",
    "/studio.js/../sources.yaml",
    "/issues/2024-W46/sources.yaml",
    "/issues/2024-W46/digest.eml%00.html",
    "/..\\sources.yaml",
    "/templates/digest.mjml.j2",
    "/sample/notes/agents-field-notes.md",
    "/sources.yaml",
]


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_nothing_outside_the_pages_and_the_output_is_served(preview, method):
    folder, url = preview
    settled(url)
    from digest.cli import main

    main.main(["build", "--config", str(folder / "sources.yaml"), "--week", "2024-W46"], standalone_mode=False)
    assert request(url, method, "/issues/2024-W46/digest.json")[0] == 200  # the built issues are served
    for path in [*TRAVERSALS, f"http://{urlsplit(url).netloc}/../sources.yaml"]:
        code, _, body = request(url, method, path)
        assert code == 404, path
        assert b"newsletter:" not in body and b"root:" not in body


def test_the_controls_accept_only_our_own_page(preview):
    folder, url = preview
    model = settled(url) and json.loads(get(url + "/draft/digest.json"))
    key = model["trends"][1]["key"]
    edit = json.dumps({"kind": "trend", "action": "pin", "key": key}).encode()
    host = urlsplit(url).netloc
    right = {"Content-Type": "application/json", "X-Digest-Token": token(url), "Origin": url}
    assert request(url, "POST", "/edit", edit, {**right, "X-Digest-Token": "guess"})[0] == 403
    assert request(url, "POST", "/edit", edit, {k: v for k, v in right.items() if k != "X-Digest-Token"})[0] == 403
    assert request(url, "POST", "/edit", edit, {**right, "Origin": "http://evil.example"})[0] == 403
    assert request(url, "POST", "/edit", edit, {**right, "Host": "evil.example:80"})[0] == 403
    assert not (folder / "edits").exists()
    code, _, body = request(url, "POST", "/edit", edit, right)
    assert code == 200, body
    assert f"{key}:\n    pin: true" in (folder / "edits" / "2024-W46.yaml").read_text()
    assert json.loads(get(url + "/draft/digest.json"))["trends"][0]["key"] == key
    bad = json.dumps({"kind": "bullet", "action": "drop", "key": "nosuch"}).encode()
    code, _, body = request(url, "POST", "/edit", bad, right)
    assert code == 400 and json.loads(body)["error"] == "no bullet 'nosuch' on the page"
    assert host in url


class Feeds(BaseHTTPRequestHandler):
    """The sample feed over HTTP, with an ETag; counts requests and conditional ones."""

    hits: list[str | None] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/missing.xml":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        Feeds.hits.append(self.headers.get("If-None-Match"))
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)


@pytest.fixture
def feed_server():
    Feeds.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_config_change_collects_through_the_http_cache(sample_folder, feed_server, monkeypatch):
    import digest.studio.session

    config = sample_folder / "sources.yaml"
    config.write_text(config.read_text().replace("feed: sample/feeds/lab-notes.xml", f"feed: {feed_server}/lab.xml"))
    with running_preview(config) as url:
        first = settled(url)
        assert Feeds.hits == [None] and not first["errors"]
        config.write_text(config.read_text() + "# a comment\n")
        second = settled(url, first["version"])
        assert Feeds.hits == [None]  # fetched a moment ago: not asked again
        monkeypatch.setattr(digest.studio.session, "FRESH_SECONDS", 0)
        config.write_text(config.read_text() + "# another\n")
        later = settled(url, second["version"])
        assert Feeds.hits == [None, '"v1"'] and not later["errors"]  # later: a conditional GET, answered 304
        assert "Agents" in get(url + "/draft/digest.html")


def test_warnings_show_in_the_page(sample_folder, feed_server):
    config = sample_folder / "sources.yaml"
    gone = f"sources:\n  - {{name: Gone, feed: {feed_server}/missing.xml}}\n"
    text = config.read_text().replace("sources:\n", gone, 1)
    config.write_text(text + "colour: blue\n")
    with running_preview(config) as url:
        now = settled(url)
        assert any("colour" in line for line in now["warnings"]), now["warnings"]
        assert any(line.startswith("Gone: ") and "404" in line for line in now["warnings"]), now["warnings"]
        page = get(url + "/")
        assert 'id="warnings" class="warnings">' in page and "Gone: " in page


def test_the_page_hears_about_each_rebuild(preview):
    folder, url = preview
    settled(url)
    events = DIRECT.open(url + "/events", timeout=20)
    note = folder / "sample" / "notes" / "late.md"
    note.write_text("# Late note\n\nAgents that use tools now book trips on their own.\n")
    deadline = time.monotonic() + 30  # the server says "still here" every 15 s: a bare read never times out
    line = events.readline().decode()
    while not line.startswith("data:"):
        assert line and time.monotonic() < deadline, "no rebuild event came"
        line = events.readline().decode()
    events.close()
    wait_for(lambda: "Late note" in get(url + "/draft/digest.html"))


# The command itself: a busy port first, and a clean stop ----------------------------------


def command(folder: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(folder / "tmp"), "PYTHONUNBUFFERED": "1"}
    (folder / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "preview", "--week", "2024-W46", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def first_line(process: subprocess.Popen, seconds: float = 20.0) -> str:
    ready, _, _ = select.select([process.stderr], [], [], seconds)
    assert ready, "the preview said nothing"
    return process.stderr.readline()


def test_a_busy_port_is_reported_before_any_work(sample_folder):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        process = command(sample_folder, "--port", str(port))
        out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert err == f"error: 127.0.0.1:{port}: cannot serve the preview (Address already in use)\n"
    assert time.monotonic() - started < 15
    assert not (sample_folder / "tmp").exists() or not any((sample_folder / "tmp").iterdir())  # no scratch left


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_stopping_removes_the_scratch_files_without_a_word(sample_folder, how):
    process = command(sample_folder, "--port", "0")
    try:
        line = first_line(process)
        assert line.startswith("previewing on http://127.0.0.1:"), line
        url = line.split()[2].rstrip("/")
        wait_for(lambda: (s := status(url))["version"] >= 1 and not s["building"], 90)
        assert [p.name[:15] for p in (sample_folder / "tmp").iterdir()] == ["digest-preview-"]
        process.send_signal(how)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 0 and out == "" and err == ""
    assert list((sample_folder / "tmp").iterdir()) == []


def test_host_is_where_it_listens(sample_folder):
    process = command(sample_folder, "--port", "0", "--host", "localhost")
    try:
        line = first_line(process)
        assert line.startswith("previewing on http://localhost:"), line
        port = int(line.split(":")[2].split("/")[0])
        with pytest.raises(urllib.error.URLError):
            DIRECT.open(f"http://127.0.0.2:{port}/", timeout=2)
    finally:
        process.terminate()
        process.communicate(timeout=20)
    assert process.returncode == 0


def test_each_control_writes_its_edit(preview):
    folder, url = preview
    settled(url)
    headers = {"Content-Type": "application/json", "X-Digest-Token": token(url), "Origin": url}

    def click(**edit) -> dict:
        code, _, body = request(url, "POST", "/edit", json.dumps(edit).encode(), headers)
        assert code == 200, body
        return json.loads(get(url + "/draft/digest.json"))

    model = json.loads(get(url + "/draft/digest.json"))
    first, second = model["trends"][0]["key"], model["trends"][1]["key"]
    model = click(kind="trend", action="down", key=first)
    assert [t["key"] for t in model["trends"][:2]] == [second, first]
    model = click(kind="trend", action="rename", key=first, text="Agents, pinned down")
    assert model["trends"][1]["name"] == "Agents, pinned down" and model["trends"][1]["key"] == first
    bullets = [b["key"] for b in model["trends"][0]["bullets"]]
    model = click(kind="bullet", action="up", key=bullets[1])
    assert [b["key"] for b in model["trends"][0]["bullets"][:2]] == [bullets[1], bullets[0]]
    model = click(kind="bullet", action="text", key=bullets[2], text="Said better.")
    assert model["trends"][0]["bullets"][2]["text"] == "Said better."
    model = click(kind="note", text="Hello, readers.")
    assert model["note"] == "Hello, readers." and "Hello, readers." in get(url + "/draft/digest.txt")
    model = click(kind="trend", action="reset", key=first)  # its own edits go; the other trend keeps its place
    assert [(t["key"], t["name"]) for t in model["trends"][:2]] == [
        (second, model["trends"][0]["name"]),
        (first, "Agents and tool use"),
    ]
    assert "name:" not in (folder / "edits" / "2024-W46.yaml").read_text()


def test_a_config_error_is_not_hidden_by_a_later_template_save(preview):
    folder, url = preview
    first = settled(url)
    config = folder / "sources.yaml"
    config.write_text(config.read_text().replace("sources:", "sources: [", 1))
    broken = wait_for(lambda: (s := status(url))["errors"] and s)
    partial = folder / "templates" / "footer.txt.j2"
    partial.write_text(partial.read_text() + "\n")
    later = settled(url, broken["version"])
    assert later["errors"] and later["version"] > first["version"]
    assert any("sources.yaml" in line for line in later["errors"]), later["errors"]
