"""`digest preview`: the issue in a browser, rebuilt and reloaded on every change.

The preview builds into a scratch folder with a scratch copy of the state
file, so previewing never uses up articles for the real issue. It watches
the config, the templates and the local sources (watchfiles); after each
rebuild the page reloads itself through Server-Sent Events. A problem an
editor causes (bad YAML, a template error) shows in the page, file and line,
instead of a traceback.
"""
from __future__ import annotations

import html
import shutil
import tempfile
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from .week import Week

RELOAD = """<script>new EventSource("/events").onmessage = () => location.reload();</script>"""


class Preview:
    """The latest build of one issue, and a version number that moves on every rebuild."""

    def __init__(self, config_path: Path, week: Week | None):
        self.config_path = config_path
        self.week = week
        self.scratch = Path(tempfile.mkdtemp(prefix="digest-preview-"))
        self.page = "<p>Building…</p>"
        self.text = ""
        self.version = 0
        self.changed = threading.Condition()

    def rebuild(self) -> None:
        from .config import load_config
        from .pipeline import build
        from .state import copy_state

        try:
            config = load_config(self.config_path)
            state = self.scratch / "state.sqlite"
            state.unlink(missing_ok=True)
            copy_state(config.state, state)  # a copy: previews never use up articles, nor wait for a build
            result = build(replace(config, state=state, output=self.scratch / "output"), week=self.week)
            if result.folder is None:
                page, text = _message([f"nothing new for {result.week}: no issue to preview"]), ""
            else:
                page = (result.folder / "digest.html").read_text(encoding="utf-8")
                text = (result.folder / "digest.txt").read_text(encoding="utf-8")
        except click.ClickException as exc:
            lines = getattr(exc, "lines", None) or [exc.format_message()]
            page, text = _message([f"error: {line}" for line in lines]), ""
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the watching; the page says what broke
            page, text = _message([f"error: digest failed: {type(exc).__name__}: {exc}"]), ""
        with self.changed:
            self.page, self.text = _with_reload(page), text
            self.version += 1
            self.changed.notify_all()

    def watched(self) -> list[Path]:
        """The config, its templates and local sources: what an editor changes."""
        from .config import load_config

        paths = {self.config_path.resolve()}
        try:
            config = load_config(self.config_path)
        except click.ClickException:
            return sorted(paths)
        paths.add(config.templates)
        for source in config.sources:
            if not (source.kind == "feed" and source.is_url):
                location = Path(source.location.split("*")[0])
                paths.add(location if location.is_dir() else location.parent)
        return sorted(p for p in paths if p.exists())

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _message(lines: list[str]) -> str:
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>digest preview</title></head>"
            f"<body style='font-family:system-ui;margin:2rem'><h1>digest preview</h1><ul>{items}</ul>"
            f"<p>Fix the file and save: this page reloads.</p></body></html>")


def _with_reload(page: str) -> str:
    return page.replace("</body>", RELOAD + "</body>", 1) if "</body>" in page else page + RELOAD


def handler_for(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if self.path == "/events":
                return self._events()
            body, kind = {
                "/": (preview.page, "text/html"),
                "/digest.txt": (preview.text, "text/plain"),
            }.get(self.path, ("not found", "text/plain"))
            data = body.encode("utf-8")
            self.send_response(200 if self.path in ("/", "/digest.txt") else 404)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self) -> None:
            """Server-Sent Events: one message each time the issue was rebuilt."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = preview.version
            try:
                while True:
                    with preview.changed:
                        preview.changed.wait_for(lambda seen=seen: preview.version != seen, timeout=15)
                        current = preview.version
                    message = f"data: {current}\n\n" if current != seen else ": still here\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
                    seen = current
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(config_path: Path, week: Week | None, port: int, stop: threading.Event | None = None,
          ready=None) -> None:
    """Serve the preview on 127.0.0.1 until `stop` is set (or Ctrl-C)."""
    import watchfiles

    preview = Preview(config_path, week)
    preview.rebuild()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(preview))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = stop or threading.Event()
    if ready:
        ready(server.server_address[1])
    ignore = watchfiles.DefaultFilter()
    try:
        for _ in watchfiles.watch(*preview.watched(), stop_event=stop, debounce=200, raise_interrupt=False,
                                  watch_filter=lambda change, path: ignore(change, path) and ".sqlite" not in path):
            preview.rebuild()
    finally:
        server.shutdown()
        preview.close()
