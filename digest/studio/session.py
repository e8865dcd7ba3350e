"""One preview session: the cached draft, the last good render, and what to redo on each change.

A template or an edits file changing needs no collecting or summarizing: the
draft of the week is kept and rendered again (tens of milliseconds). The
config or a source changing builds again, on a scratch copy of the state
file that lives as long as the session, so its HTTP cache holds: a feed
fetched a moment ago is not asked again (`FRESH_SECONDS`), and after that
only with a conditional GET.
"""

from __future__ import annotations

import email
import email.policy
import json
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from ..week import Week

FRESH_SECONDS = 300  # "no feed fetched twice within a few minutes"


@dataclass(frozen=True, slots=True)
class View:
    """One good render of the draft, every face the studio shows."""

    html: str
    text: str
    model: dict[str, Any]
    inbox: dict[str, str]  # from, subject, preheader


@dataclass(slots=True)
class Status:
    """What the page polls: the render's version, the errors over it, the warnings beside it."""

    version: int = 0
    building: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""


class Studio:
    """The state of one `digest preview`: rebuilt from a watcher thread, read by the server's threads."""

    def __init__(self, config_path: Path, week: Week | None):
        self.config_path = config_path.resolve()
        self.week = week
        self.token = secrets.token_urlsafe(24)  # a POST without it did not come from our own page
        self.session = secrets.token_hex(4)  # in the assets' URLs: a new preview, fresh copies
        self.scratch = Path(tempfile.mkdtemp(prefix="digest-preview-"))
        self.status = Status()
        self.view: View | None = None
        self.config: Any = None
        self.draft: Any = None  # the Digest before the editor's edits: what a template change renders again
        self.shown: Any = None  # the Digest on the page, edits applied
        self.changed = threading.Condition()
        self.work = threading.Lock()  # one rebuild at a time: the watcher and the controls both ask
        self._base_warnings: list[str] = []
        self._state_copied = False

    # What to redo ---------------------------------------------------------

    def on_change(self, paths: Iterable[Path]) -> None:
        """Render again after a template or edits change; build again after anything else."""
        paths = [Path(p).resolve() for p in paths]
        if self.config is not None and self.draft is not None and all(self._render_only(p) for p in paths):
            self.rerender()
        else:
            self.rebuild()

    def _render_only(self, path: Path) -> bool:
        return path.is_relative_to(self.config.templates.resolve()) or path.is_relative_to(self.edits_dir)

    @property
    def edits_dir(self) -> Path:
        return self.config_path.parent / "edits"

    def rebuild(self) -> None:
        """Collect, summarize and render: the config or a source changed."""
        from ..config import load_config
        from ..pipeline import build

        with self.work:
            self._publish(building=True)
            # Until a build succeeds again, the cached draft is stale: a template save must not hide this error.
            self.draft = None
            try:
                config = load_config(self.config_path)
                self.config = config
                result = build(self._scratch_config(config), week=self.week)
            except click.ClickException as exc:
                return self._failed(exc)
            except Exception as exc:  # noqa: BLE001 - a bug must not stop the watching; the page says what broke
                return self._failed_with(f"digest failed: {type(exc).__name__}: {exc}")
            self.week = self.week or result.week
            self.draft = result.draft
            if result.draft is None:
                self.view = None
                return self._publish(
                    errors=[],
                    warnings=list(config.warnings) + result.warnings,
                    message=f"nothing new for {result.week}: no issue to preview",
                )
            # The build's own warnings (a 404 feed, an unknown config key); the edits' come from each render.
            self._base_warnings = list(config.warnings) + list(result.draft.warnings)
            self._render()

    def rerender(self) -> None:
        """Render the cached draft again, with the edits file as it is now: a template or an edit changed."""
        with self.work:
            self._render()

    def _render(self) -> None:
        from ..edits import apply_edits, edits_path, load_edits
        from ..errors import where
        from ..render import render_issue

        try:
            path = edits_path(self.config_path.parent, self.draft.week)
            digest, edit_warnings = apply_edits(self.draft, load_edits(path), where(path))
            digest = replace(digest, warnings=self.draft.warnings + tuple(edit_warnings))
            rendered = render_issue(digest, [self.config.templates], preview=True)
        except click.ClickException as exc:
            return self._failed(exc)
        except Exception as exc:  # noqa: BLE001 - as in rebuild()
            return self._failed_with(f"digest failed: {type(exc).__name__}: {exc}")
        self.shown = digest
        self.view = View(html=rendered.html, text=rendered.text, model=digest.to_dict(), inbox=_inbox(rendered.eml))
        # The render's own warnings too: an issue over the inbox budget, cut to fit, says so here as in a build.
        self._publish(errors=[], warnings=self._base_warnings + edit_warnings + list(rendered.warnings), message="")

    def _scratch_config(self, config: Any) -> Any:
        from ..state import copy_state

        state = self.scratch / "state.sqlite"
        if not self._state_copied:  # once: later builds keep the scratch state's HTTP cache
            # A snapshot, not the file's bytes: previews never use up articles, nor wait for a build, nor hold one up.
            copy_state(config.state, state)
            self._state_copied = True
        return replace(
            config, state=state, output=self.scratch / "output", fetch=replace(config.fetch, fresh=FRESH_SECONDS)
        )

    def _failed(self, exc: click.ClickException) -> None:
        lines = getattr(exc, "lines", None) or [exc.format_message()]
        self._publish(errors=list(lines))

    def _failed_with(self, line: str) -> None:
        self._publish(errors=[line])

    def _publish(
        self,
        *,
        building: bool = False,
        errors: list[str] | None = None,
        warnings: list[str] | None = None,
        message: str | None = None,
    ) -> None:
        with self.changed:
            status = self.status
            status.building = building
            if errors is not None:
                status.errors = errors
            if warnings is not None:
                status.warnings = warnings
            if message is not None:
                status.message = message
            status.version += 1  # "building…" is news for the page too; it reloads the frame only once done
            self.changed.notify_all()

    def watched(self) -> tuple[list[Path], Callable[[str], bool]]:
        """The folders to watch, and which files in them matter: config, templates, edits, local sources."""
        from ..config import ConfigError, load_config

        root = self.config_path.parent
        try:
            config = self.config or load_config(self.config_path)
        except ConfigError:
            return [root], lambda path: Path(path).resolve() == self.config_path
        folders = {config.templates.resolve(), self.edits_dir}
        for source in config.sources:
            if not (source.kind == "feed" and source.is_url):
                location = Path(source.location.split("*")[0])
                folders.add((location if location.is_dir() else location.parent).resolve())
        # The root, not each folder: the edits folder may not exist yet. Output and state are not news.
        roots = sorted({root} | {f for f in folders if f.exists() and not f.is_relative_to(root)})

        def relevant(path: str) -> bool:
            p = Path(path).resolve()
            return p == self.config_path or any(p.is_relative_to(f) for f in folders)

        return roots, relevant

    # What the server shows -----------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """status.json: what the page needs to redraw its panels."""
        with self.changed:
            status = self.status
            view = self.view
            return {
                "version": status.version,
                "building": status.building,
                "errors": status.errors,
                "warnings": status.warnings,
                "message": status.message,
                "inbox": view.inbox if view else None,
                "week": self.week.label if self.week else None,
                "note": self.shown.note if self.shown is not None else "",
                "issues": self.issues(),
            }

    def issues(self) -> list[str]:
        """The weeks built into the newsletter's own output folder, newest first."""
        from .routes import ISSUE_RE

        if self.config is None or not self.config.output.is_dir():
            return []
        return sorted(
            (
                p.name
                for p in self.config.output.iterdir()
                if ISSUE_RE.fullmatch(p.name) and (p / "digest.html").is_file()
            ),
            reverse=True,
        )

    def wait(self, seen: int, timeout: float) -> int:
        """The version after `seen`, or `seen` again when nothing changed within `timeout`."""
        with self.changed:
            self.changed.wait_for(lambda: self.status.version != seen, timeout=timeout)
            return self.status.version

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def _inbox(eml: bytes) -> dict[str, str]:
    """From and Subject as the message carries them, and the preheader the inbox shows after the subject."""
    message = email.message_from_bytes(eml, policy=email.policy.default)
    html = message.get_body(("html",))
    preheader = _preheader(html.get_content() if html else "")
    return {"from": str(message["From"] or ""), "subject": str(message["Subject"] or ""), "preheader": preheader}


def _preheader(html: str) -> str:
    """The text of MJML's hidden preview <div> at the top of the body."""
    import re

    found = re.search(r"<body[^>]*>\s*<div[^>]*display:\s*none[^>]*>(.*?)</div>", html, re.DOTALL | re.IGNORECASE)
    if not found:
        return ""
    text = re.sub(r"<[^>]+>|&zwnj;|&nbsp;|\u200c|\u00a0", " ", found.group(1))
    return " ".join(text.split())


def dumps(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"
