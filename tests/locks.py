"""A digest command holding the state's writer lock, in a process of its own."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

HOLDER = """
import os, sys, time
from pathlib import Path
from digest.state import writer_lock
with writer_lock(Path(sys.argv[1]), sys.argv[3]):
    child = os.fork() if sys.argv[2] == "fork" else 0  # as the feed parsers' worker pool forks
    if child == 0 and sys.argv[2] == "fork":
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
"""


@contextlib.contextmanager
def holding(state: Path, fork: bool = False, command: str = "digest build"):
    """Another process holding the state's lock (and, with `fork`, a forked child of it): yields (process, child).

    In another process because the lock is a POSIX record lock, which a process never conflicts with itself.
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state), "fork" if fork else "-", command], stdout=subprocess.PIPE, text=True
    )
    child = 0
    try:
        ready, _, _ = select.select([holder.stdout], [], [], 30)
        assert ready, "the holder never took the lock"
        child = int(holder.stdout.readline())
        yield holder, child
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if child:
            os.kill(child, signal.SIGKILL)
