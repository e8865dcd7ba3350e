"""Writing an issue atomically: a cron job never leaves half an issue behind.

Every file goes into a hidden staging folder beside the issue's folder (same
filesystem, so the final renames are atomic); only when all of them are on
disk does the staging folder take the issue folder's place. A failure before
that removes the staging folder and leaves the previous issue as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


def write_issue(folder: Path, files: Mapping[str, bytes | str]) -> Path:
    """Write `files` (name → content; str is written as UTF-8) as the whole of `folder`."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        for name, content in files.items():
            _write(staging, name, content)
        # mkdtemp makes the folder private (0700); a published issue is read by a web server.
        os.chmod(staging, folder.stat().st_mode & 0o7777 if folder.is_dir() else 0o755)
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _sync(folder.parent)
    return folder


def write_files(folder: Path, files: Mapping[str, bytes | str]) -> None:
    """Write single files into `folder`, each replacing the old one atomically (the archive)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        staging = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder))
        try:
            _write(staging, name, content)
            os.chmod(staging / name, 0o644)
            os.replace(staging / name, folder / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _sync(folder)


def _write(staging: Path, name: str, content: bytes | str) -> None:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"not a file name inside the issue folder: {name!r}")
    if isinstance(content, str):
        data = content.encode("utf-8")
    elif isinstance(content, (bytes, bytearray)):
        data = bytes(content)
    else:
        raise TypeError(f"{name}: expected str or bytes, got {type(content).__name__}")
    path = staging.joinpath(*relative.parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _swap(staging: Path, folder: Path) -> None:
    """Put `staging` in the place of `folder`; the old folder goes only once the new one is in."""
    if not folder.exists():
        os.replace(staging, folder)
        return
    # POSIX cannot rename a folder over a non-empty one, so the old issue steps
    # aside first; between the two renames it is still whole, under `.old`.
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(folder, old)
    try:
        os.replace(staging, folder)
    except BaseException:
        os.replace(old, folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sync(directory: Path) -> None:
    # The renames are durable only once the parent folder's own entry is on disk.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
