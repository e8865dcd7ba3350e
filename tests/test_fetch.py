"""Fetching feeds from a real HTTP server on 127.0.0.1, misbehaving in every way feeds do."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from digest.collect import read_sources, summary
from digest.collect.fetch import Limits, Validators, fetch_all
from digest.config import load_config
from digest.state import State

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SAMPLE = (Path(__file__).resolve().parents[1] / "sample" / "feeds" / "lab-notes.xml").read_bytes()
FAST = Limits(connect=1.0, read=0.5, deadline=3.0, backoff=0.05)
HITS: dict[str, int] = {}


def rss(title: str, link: str, charset: str | None = None) -> bytes:
    declaration = f' encoding="{charset}"' if charset else ""
    text = (
        f'<?xml version="1.0"{declaration}?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link><item><title>{title} entry</title><link>{link}</link>"
        "<description>Café au lait, and a story about agents.</description>"
        "<pubDate>Tue, 23 Apr 2024 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    return text.encode(charset or "utf-8")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = self.path
        HITS[path] = HITS.get(path, 0) + 1
        xml = {"Content-Type": "application/rss+xml"}
        if path == "/ok.xml":
            self.send(200, SAMPLE, xml)
        elif path == "/slow.xml":
            time.sleep(2)
            self.send(200, SAMPLE, xml)
        elif path == "/hang.xml":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<rss>")
            time.sleep(5)
        elif path == "/missing.xml":
            self.send(404, b"not here")
        elif path == "/gone.xml":
            self.send(410, b"gone")
        elif path == "/flaky.xml":
            if HITS[path] == 1:
                self.send(500, b"oops")
            else:
                self.send(200, rss("Flaky", "https://example.org/flaky"), xml)
        elif path == "/busy.xml":  # 503 with Retry-After, then fine
            if HITS[path] == 1:
                self.send(503, b"busy", {"Retry-After": "1"})
            else:
                self.send(200, rss("Busy", "https://example.org/busy"), xml)
        elif path == "/old.xml":
            self.send(301, headers={"Location": "/hop.xml"})
        elif path == "/hop.xml":
            self.send(302, headers={"Location": "/ok.xml"})
        elif path == "/etag.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304)
            else:
                self.send(200, rss("Etag", "https://example.org/etag"), {**xml, "ETag": '"v1"'})
        elif path == "/modified.xml":
            stamp = "Tue, 23 Apr 2024 10:00:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.send(304)
            else:
                self.send(200, rss("Modified", "https://example.org/modified"), {**xml, "Last-Modified": stamp})
        elif path == "/gzip.xml":
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                self.send(200, gzip.compress(SAMPLE), {**xml, "Content-Encoding": "gzip"})
            else:
                self.send(200, SAMPLE, xml)
        elif path == "/latin1.xml":  # the charset only in the HTTP header
            body = rss("Latin", "https://example.org/latin").replace(b'<?xml version="1.0"?>', b"")
            self.send(200, body.decode("utf-8").encode("iso-8859-1"), {"Content-Type": "text/xml; charset=iso-8859-1"})
        elif path == "/page.html":
            self.send(200, (FEEDS / "not-a-feed.html").read_bytes(), {"Content-Type": "text/html"})
        elif path == "/truncated.xml":
            self.send(200, (FEEDS / "truncated.xml").read_bytes(), xml)
        elif path == "/feed.json":
            self.send(200, (FEEDS / "feed.json").read_bytes(), {"Content-Type": "application/feed+json"})
        elif path == "/article.html":
            self.send(
                200,
                (Path(__file__).parent / "fixtures" / "local" / "saved_page.html").read_bytes(),
                {"Content-Type": "text/html; charset=utf-8"},
            )
        elif path == "/empty.xml":
            self.send(200, b"", xml)
        elif path == "/sub/relative.xml":  # well formed, so the fast parser reads it
            body = rss("Relative", "posts/1.html").replace(b"<link>https://example.org/</link>", b"")
            self.send(200, body, xml)
        elif path == "/mirror.xml":  # the same story as /ok.xml's first entry, through another feed
            self.send(200, rss("Mirror", "https://labnotes.example.org/2024/11/phones?utm_source=mirror"), xml)
        else:
            self.send(404)


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # clients that give up on /hang.xml are the point of the test, not an error


@pytest.fixture(scope="module")
def server():
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def fetch(server: str, *paths: str, validators=None) -> dict:
    results = fetch_all([server + p for p in paths], validators, FAST)
    return {url.removeprefix(server): result for url, result in results.items()}


def test_ok_gzip_and_redirects(server):
    got = fetch(server, "/ok.xml", "/gzip.xml", "/old.xml")
    assert got["/ok.xml"].status == "ok" and got["/ok.xml"].body == SAMPLE
    assert got["/gzip.xml"].body == SAMPLE  # decompressed
    assert got["/old.xml"].status == "ok" and got["/old.xml"].final_url == server + "/ok.xml"
    # 301 to /hop.xml, then 302 to /ok.xml: the feed moved to /hop.xml, which only lends /ok.xml out
    assert got["/old.xml"].moved_to == server + "/hop.xml"


def test_failures_say_why_and_never_hang(server):
    started = time.perf_counter()
    got = fetch(server, "/slow.xml", "/hang.xml", "/missing.xml", "/gone.xml")
    assert time.perf_counter() - started < 3 * FAST.deadline
    assert got["/slow.xml"].error == "timed out"
    assert got["/hang.xml"].error == "timed out"
    assert got["/missing.xml"].error == "HTTP 404 Not Found"
    assert got["/gone.xml"].error == "HTTP 410 Gone: the feed was removed, remove it from sources.yaml"
    assert HITS["/missing.xml"] == 1  # a 404 is not retried
    assert HITS["/slow.xml"] == 3  # a timeout is: at most two retries


def test_a_server_error_is_retried(server):
    got = fetch(server, "/flaky.xml")
    assert got["/flaky.xml"].status == "ok" and HITS["/flaky.xml"] == 2


def test_retry_after_is_heeded(server):
    started = time.perf_counter()
    got = fetch(server, "/busy.xml")
    assert got["/busy.xml"].status == "ok" and HITS["/busy.xml"] == 2
    assert time.perf_counter() - started >= 0.9  # waited the second it asked for, not the 0.05 s backoff


def test_refused_connection(server):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    results = fetch_all([f"http://127.0.0.1:{port}/feed.xml"], None, FAST)
    assert next(iter(results.values())).error == "connection refused"


def test_conditional_get_with_etag_and_last_modified(server):
    first = fetch(server, "/etag.xml", "/modified.xml")
    again = fetch(
        server,
        "/etag.xml",
        "/modified.xml",
        validators={
            server + "/etag.xml": Validators(etag=first["/etag.xml"].headers["etag"]),
            server + "/modified.xml": Validators(last_modified=first["/modified.xml"].headers["last-modified"]),
        },
    )
    assert again["/etag.xml"].status == "not-modified"
    assert again["/modified.xml"].status == "not-modified"


def test_size_cap(server):
    results = fetch_all([server + "/ok.xml"], None, Limits(max_bytes=1000, read=1, deadline=3))
    assert next(iter(results.values())).error.startswith("larger than")


def write_config(tmp_path: Path, server: str, *paths: str) -> Path:
    lines = [f"  - {{name: 'Feed {p}', feed: '{server}{p}'}}" for p in paths]
    config = tmp_path / "sources.yaml"
    config.write_text("newsletter: {title: T}\nsources:\n" + "\n".join(lines) + "\n")
    return config


def test_collect_reports_each_feed_and_reuses_stored_articles_on_304(server, tmp_path):
    config = load_config(
        write_config(
            tmp_path, server, "/etag.xml", "/latin1.xml", "/page.html", "/truncated.xml", "/feed.json", "/gone.xml"
        )
    )
    with State(tmp_path / "state.sqlite") as state:
        first = read_sources(config.sources, config.root, state, FAST)
        stats = {s.location.removeprefix(server): s for s in first.stats}
        assert stats["/etag.xml"].status == "ok" and stats["/etag.xml"].entries == 1
        latin = next(a for a in first.articles if a.source == "Feed /latin1.xml")
        assert "Café au lait" in latin.text  # decoded with the header's charset
        assert stats["/page.html"].status == "failed" and stats["/page.html"].error.startswith("not a feed")
        assert stats["/truncated.xml"].status == "ok"
        assert any(w.startswith("Feed /truncated.xml: malformed feed") for w in first.warnings)
        assert stats["/feed.json"].entries == 2
        assert summary(first) == "6 feeds: 4 ok, 2 failed"
        again = read_sources(config.sources, config.root, state, FAST)
    stats = {s.location.removeprefix(server): s for s in again.stats}
    assert stats["/etag.xml"].status == "not-modified"
    assert [a.title for a in again.articles if a.source == "Feed /etag.xml"] == ["Etag entry"]


def test_the_same_story_through_two_feeds_is_one_article(server, tmp_path):
    from digest.collect.window import merge_same

    config = load_config(write_config(tmp_path, server, "/ok.xml", "/mirror.xml"))
    articles = merge_same(read_sources(config.sources, config.root, None, FAST).articles)
    phones = [a for a in articles if a.url == "https://labnotes.example.org/2024/11/phones"]
    assert len(phones) == 1
    assert phones[0].sources == ("Feed /ok.xml", "Feed /mirror.xml")


def test_teasers_get_the_full_text_of_their_page_once(server, tmp_path):
    from builders import make_article

    from digest.collect.fulltext import fill_full_text
    from digest.models import Source

    teaser = make_article("url:t", "Agents at work, a short teaser.", source="Feed", url=server + "/article.html")
    long_enough = make_article("url:l", "word " * 200, source="Feed", url=server + "/missing.xml")
    sources = [Source("Feed", "feed", server + "/teaser.xml", "auto")]
    with State(tmp_path / "state.sqlite") as state:
        filled, warnings = fill_full_text([teaser, long_enough], sources, state, FAST)
        assert warnings == []
        assert "Companies now let agents file expense reports" in filled[0].text
        assert filled[1] is long_enough  # not a teaser: its page is never fetched
        hits = HITS["/article.html"]
        again, _ = fill_full_text([teaser], sources, state, FAST)
    assert again[0].text == filled[0].text and HITS["/article.html"] == hits  # kept in state
    never = [Source("Feed", "feed", server + "/teaser.xml", "never")]
    with State(tmp_path / "other.sqlite") as state:
        assert fill_full_text([teaser], never, state, FAST)[0][0] is teaser


def test_extract_reads_a_page_by_url(server):
    import json

    from click.testing import CliRunner

    from digest.cli import main

    result = CliRunner().invoke(main, ["extract", server + "/article.html", server + "/missing.xml", "--json"])
    assert result.exit_code == 0
    page = json.loads(result.stdout)
    assert page["title"] == "Agents at work" and page["url"] == server + "/article.html"
    assert "Companies now let agents file expense reports" in page["text"]
    assert result.stderr == f"warning: {server}/missing.xml: cannot fetch (HTTP 404 Not Found)\n"


def test_an_empty_answer_is_not_a_feed_and_relative_links_resolve_against_the_feed(server, tmp_path):
    config = load_config(write_config(tmp_path, server, "/empty.xml", "/sub/relative.xml"))
    got = read_sources(config.sources, config.root, None, FAST)
    stats = {s.location.removeprefix(server): s for s in got.stats}
    assert stats["/empty.xml"].status == "failed" and stats["/empty.xml"].error == "not a feed (the answer was empty)"
    assert [a.url for a in got.articles] == [server + "/sub/posts/1.html"]


def test_build_over_http_from_the_command_line(server, tmp_path):
    from click.testing import CliRunner

    from digest.cli import main

    config = write_config(tmp_path, server, "/ok.xml", "/gone.xml", "/mirror.xml")  # fetch: the defaults
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--config", str(config), "--week", "2024-W46", "--strict"])
    assert result.exit_code == 1, result.output  # the 410 is a warning, and --strict fails on it
    assert "Feed /gone.xml: HTTP 410 Gone: the feed was removed, remove it from sources.yaml" in result.stderr
    assert "3 feeds: 2 ok, 1 failed" in result.stderr
    assert result.stdout.strip().endswith("2024-W46")
    nothing = runner.invoke(main, ["build", "--config", str(config), "--week", "2024-W40", "--strict"])
    assert nothing.exit_code == 1 and "nothing new for 2024-W40" in nothing.stderr  # warnings still count
