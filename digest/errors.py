"""Errors a user can cause: one clear line each, a chosen exit code, no traceback."""

from __future__ import annotations

from pathlib import Path

import click


class DigestError(click.ClickException):
    """A problem the user can fix; every line is printed as `error: ...`."""

    exit_code = 1

    def __init__(self, lines: str | list[str], exit_code: int | None = None):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))
        if exit_code is not None:
            self.exit_code = exit_code  # type: ignore[misc]  # click types it a ClassVar; ours varies per error

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        for line in self.lines:
            click.echo(f"error: {line}", file=file, err=True)


class UsageError(DigestError):
    """Bad options or arguments on the command line."""

    exit_code = 2


def where(filename: str | Path, line: int | None = None) -> str:
    """A path as the user would type it (relative to the current folder when below it), and the line."""
    path = Path(filename)
    shown = str(filename)
    if path.is_absolute():
        try:
            shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return f"{shown}:{line}" if line else shown


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)
