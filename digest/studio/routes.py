"""The studio's HTTP side: a fixed table of pages, the built issues, and the editor's controls.

Nothing is served by joining the request's path to a folder: a path is one of
the names below, or an issue's week and one of its file names, each checked
whole. Whatever else comes (`..`, `%2e%2e`, `%2f`, `//etc/passwd`, a full
URL) matches nothing and gets a 404.
"""

from __future__ import annotations

import hmac
import json
import re
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from .controls import ControlError, apply_control
from .page import controls_script, studio_page
from .session import Studio, dumps

ISSUE_RE = re.compile(r"\d{4}-W\d{2}")
ISSUE_FILES = {"digest.html": "text/html", "digest.txt": "text/plain", "digest.json": "application/json"}
STATIC = Path(__file__).parent / "static"
ASSETS = {"/studio.js": "application/javascript", "/studio.css": "text/css", "/frame.js": "application/javascript"}
ASSET_BYTES = {path: (STATIC / path.lstrip("/")).read_bytes() for path in ASSETS}
MAX_BODY = 64 * 1024
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream


def handler_for(studio: Studio, allowed_hosts: set[str] | None) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to one session; `allowed_hosts`: the Host headers our own page sends
    (None when serving on every address, where the token and Origin alone decide)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "digest-preview"

        def log_message(self, *args: Any) -> None:
            pass  # the terminal is the editor's; requests are not news

        def do_HEAD(self) -> None:  # noqa: N802 - the stdlib's name
            self._answer(head=True)

        def do_GET(self) -> None:  # noqa: N802
            self._answer(head=False)

        def do_POST(self) -> None:  # noqa: N802
            if self.path != "/edit":
                return self._send(404, "not found\n", "text/plain")
            if not self._same_origin():
                return self._send(403, "forbidden: not from this preview's page\n", "text/plain")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(413, "too large\n", "text/plain")
            try:
                request = json.loads(self.rfile.read(length) or b"{}")
                apply_control(studio, request)
            except (ValueError, ControlError) as exc:
                return self._send(400, dumps({"error": str(exc)}), "application/json")
            self._send(200, dumps(studio.snapshot()), "application/json")

        def _same_origin(self) -> bool:
            # The token is in our page only; Host and Origin keep out a page elsewhere (or DNS rebinding).
            token = self.headers.get("X-Digest-Token") or ""
            host = self.headers.get("Host") or ""
            origin = self.headers.get("Origin")
            return (
                hmac.compare_digest(token, studio.token)
                and self._known_host()
                and (origin is None or origin == f"http://{host}")
            )

        def _known_host(self) -> bool:
            # A page elsewhere whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own Host.
            return allowed_hosts is None or (self.headers.get("Host") or "") in allowed_hosts

        def _answer(self, head: bool) -> None:
            if not self._known_host():
                return self._send(403, "forbidden: unknown Host\n", "text/plain", head)
            path = self.path.split("?", 1)[0]
            if path == "/events":
                return self._events(head)
            found = self._route(path)
            if found is None:
                return self._send(404, "not found\n", "text/plain", head)
            body, kind = found
            self._send(200, body, kind, head)

        def _route(self, path: str) -> tuple[str | bytes, str] | None:
            view = studio.view
            if path in ("/", "/index.html"):
                return studio_page(studio), "text/html"
            if path in ASSETS:
                return ASSET_BYTES[path], ASSETS[path]
            if path == "/status.json":
                return dumps(studio.snapshot()), "application/json"
            if path == "/draft/digest.html":
                html = view.html if view else "<!doctype html><title>digest preview</title><body></body>"
                return controls_script(html, studio.session), "text/html"
            if path == "/draft/digest.txt":
                return (view.text if view else ""), "text/plain"
            if path == "/draft/digest.json":
                return (dumps(view.model) if view else "{}\n"), "application/json"
            parts = path.split("/")
            if (
                len(parts) == 4
                and parts[:2] == ["", "issues"]
                and ISSUE_RE.fullmatch(parts[2])
                and parts[3] in ISSUE_FILES
                and studio.config is not None
            ):
                return _issue_file(studio.config.output, parts[2], parts[3])
            return None

        def _send(self, code: int, body: str | bytes, kind: str, head: bool = False) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            # The page's own script and styles are asked for with the session's id (page.py): the frame's
            # reloads need not fetch them again. Everything else is the latest render, never a cached one.
            cached = self.path.split("?", 1)[0] in ASSETS and "?s=" in self.path
            self.send_header("Cache-Control", "private, max-age=86400" if cached else "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(data)

        def _events(self, head: bool) -> None:
            """Server-Sent Events: one message each time the status moved on."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if head:
                return
            seen = studio.status.version
            try:
                while not getattr(self.server, "closing", False):
                    current = studio.wait(seen, HEARTBEAT)
                    # The status rides on the event: the page redraws without asking for it again.
                    message = f"data: {json.dumps(studio.snapshot())}\n\n" if current != seen else ": still here\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen = current
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _issue_file(output: Path, week: str, name: str) -> tuple[bytes, str] | None:
    path = output / week / name
    try:
        # A symlink in the output folder must not lead outside it either.
        if not path.resolve().is_relative_to(output.resolve()) or not path.is_file():
            return None
        return path.read_bytes(), ISSUE_FILES[name]
    except OSError:
        return None
