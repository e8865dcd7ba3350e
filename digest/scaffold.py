"""`digest init DIR`: a new newsletter folder to start from."""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import UsageError

SOURCES = """\
# The newsletter: what `digest build` reads. Paths are relative to this file.
newsletter:
  title: My Weekly Digest
  description: The week's reading, in trends.
  # url: https://example.org/issues        # where issues are published (view in browser)
  # from: My Weekly Digest <news@example.org>

sources:
  - {name: Notes, path: notes/}                          # Markdown, text, saved HTML pages
  # - {name: Some blog, feed: https://example.org/feed.xml}

trends:                                                  # optional: discovery runs too
  - {name: Getting started, keywords: [digest, newsletter, trend]}
"""

NOTE = """\
---
title: Welcome to your digest
tags: [digest]
---

# Welcome to your digest

Every week digest reads the notes, pages and feeds listed in sources.yaml,
finds the trends they share and picks the bullet points worth reading.

- Drop Markdown, text or saved HTML pages into the notes folder.
- Add the feeds you follow under `sources:` in sources.yaml.
- Name the trends you care about under `trends:`; digest discovers others.

Run `digest build` to write this week's issue into the output folder.
"""

# What digest writes beside sources.yaml: built issues, and the state file with its WAL and lock files.
GITIGNORE = ["output/", ".digest-state.sqlite*"]


def scaffold(folder: Path) -> list[Path]:
    """Write sources.yaml, the default templates, a first note and a .gitignore; never overwrite."""
    from .render.templates import default_templates_dir

    config = folder / "sources.yaml"
    if config.exists():  # a folder already set up: the command was pointed at the wrong place
        raise UsageError(f"{config}: already exists, not overwriting it")
    (folder / "notes").mkdir(parents=True, exist_ok=True)
    (folder / "output").mkdir(exist_ok=True)
    config.write_text(SOURCES, encoding="utf-8")
    note = folder / "notes" / "welcome.md"
    note.write_text(NOTE, encoding="utf-8")
    templates = folder / "templates"
    shutil.copytree(default_templates_dir(), templates, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return [config, note, templates, _gitignore(folder / ".gitignore")]


def _gitignore(path: Path) -> Path:
    """A .gitignore for what builds write; an existing one gets only the lines it lacks."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in GITIGNORE if line not in text.splitlines()]
    if missing:
        lead = "" if not text or text.endswith("\n") else "\n"
        path.write_text(text + lead + "# Built by digest: issues and the state file\n" + "\n".join(missing) + "\n",
                        encoding="utf-8")
    return path
