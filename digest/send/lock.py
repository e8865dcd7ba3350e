"""One `digest send` at a time: a second one exits 75 (EX_TEMPFAIL) for cron to try again later.

An advisory lock (flock) on a file beside the state file: the kernel drops it
when the process ends, however it ends, so a crash never leaves it stuck.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import DigestError, where

BUSY = 75


@contextmanager
def exclusive(path: Path, what: str) -> Iterator[None]:
    """Hold `path` locked for the block; another holder makes this raise at once with exit code 75."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            by = f" (process {holder})" if holder else ""
            raise DigestError(f"{where(path)}: {what} is already running{by}; try again later",
                              exit_code=BUSY) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
