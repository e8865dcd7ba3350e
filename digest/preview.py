"""`digest preview`: the issue in a browser studio, rebuilt and reloaded on every change.

The port is taken before any work, so a busy one is the first thing said.
The preview builds into a scratch folder with a scratch copy of the state
file, so previewing never uses up articles for the real issue; both go on
Ctrl-C and on SIGTERM. It watches the config, the templates, the edits and
the local sources (watchfiles): a template or an edit renders the cached
draft again, anything else builds again (see studio/session.py).
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

from .errors import DigestError
from .studio import Studio
from .studio.routes import handler_for
from .week import Week

ANY_ADDRESS = {"0.0.0.0", "::", ""}
WAKE_MS = 100  # the watcher's first wake-up, when the first build starts


class Stopped(Exception):
    """SIGTERM: stop as Ctrl-C would, quietly."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    closing = False

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - the stdlib's signature
        pass  # a browser closing a tab mid-answer is not the editor's problem; the page shows real errors


def serve(
    config_path: Path,
    week: Week | None,
    port: int,
    stop: threading.Event | None = None,
    ready: Callable[[int], None] | None = None,
    host: str = "127.0.0.1",
) -> None:
    """Serve the preview on `host`:`port` until `stop` is set, Ctrl-C or SIGTERM."""
    studio = Studio(config_path, week)
    server_class = (
        type("PreviewServer6", (PreviewServer,), {"address_family": socket.AF_INET6}) if ":" in host else PreviewServer
    )
    try:
        server = server_class((host, port), handler_for(studio, set()))
    except OSError as exc:
        studio.close()
        raise DigestError(f"{host}:{port}: cannot serve the preview ({exc.strerror or exc})") from None
    bound = server.server_address[1]
    shown = f"[{host}]" if ":" in host else host
    hosts = None if host in ANY_ADDRESS else {f"{shown}:{bound}", f"127.0.0.1:{bound}", f"localhost:{bound}"}
    server.RequestHandlerClass = handler_for(studio, hosts)
    stop = stop or threading.Event()
    restore = _on_sigterm(stop)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    try:
        if ready:
            ready(bound)
        _watch(studio, stop)
    except (KeyboardInterrupt, Stopped):
        pass
    finally:
        server.closing = True
        server.shutdown()
        server.server_close()
        studio.close()
        restore()


def _watch(studio: Studio, stop: threading.Event) -> None:
    import watchfiles

    # watchfiles logs "KeyboardInterrupt caught, cancelling watch" on Ctrl-C: a stray line on the editor's terminal.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    ignore = watchfiles.DefaultFilter()
    built = False
    while not stop.is_set():
        paths, relevant = studio.watched()
        restart = False

        def wanted(change: watchfiles.Change, path: str, relevant=relevant) -> bool:
            return ignore(change, path) and relevant(path)

        # The first (empty) yield says the watcher is up; building only then means that no save made
        # after the first build shows is missed. Later empty yields are just the timeout passing.
        for changes in watchfiles.watch(
            *paths,
            stop_event=stop,
            step=30,
            raise_interrupt=False,
            watch_filter=wanted,
            yield_on_timeout=True,
            rust_timeout=WAKE_MS,
        ):
            if not built:
                built = True
                studio.rebuild()
            elif changes:
                studio.on_change({Path(path) for _, path in changes})
            else:
                continue
            if studio.watched()[0] != paths:  # the config named a new folder: watch it too
                restart = True
                break
        if not restart:
            return


def _on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM stops the preview like Ctrl-C (only the main thread may set signal handlers)."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stopped(signum, frame) -> None:  # noqa: ANN001 - signal's signature
        stop.set()
        raise Stopped

    previous = signal.signal(signal.SIGTERM, stopped)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
