"""`digest init DIR`: a new newsletter folder to start from."""

from __future__ import annotations

from pathlib import Path

from .errors import DigestError, UsageError, warn

SOURCES = """\
# The newsletter: what `digest build` reads. Paths are relative to this file.
newsletter:
  title: My Weekly Digest
  description: The week's reading, in trends.
  # url: https://example.org/issues        # where issues are published (view in browser)
  # from: My Weekly Digest <news@example.org>
  # to: readers@example.org                # `digest send` sends to these (one address or a list)
  # unsubscribe_url: https://example.org/unsubscribe   # or your mailing tool's merge tag

sources:
  - {name: Notes, path: notes/}                          # Markdown, text, saved HTML pages
  # - {name: Some blog, feed: https://example.org/feed.xml}

trends:                                                  # optional: discovery runs too
  - {name: Getting started, keywords: [digest, newsletter, trend]}

# For `digest send`; the password comes from the environment, never from this file.
# smtp: {host: smtp.example.org, port: 587, security: starttls, username: news@example.org,
#        password_env: DIGEST_SMTP_PASSWORD}
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


# Not a copy of every default: a copied file no longer gets the defaults'
# fixes, and one part is what an editor usually wants to change.
EXAMPLE_NAME = "footer.mjml.j2.example"
EXAMPLE = """\
{#-
  How to change one part of the email: rename this file to footer.mjml.j2.
  digest then uses it instead of its default footer, and every other part
  stays the default. `digest templates` lists the parts you can replace this
  way (header, intro, trend, bullet, also, reading, footer, style, subject,
  preheader, and their .txt.j2 twins for the plaintext), and
  `digest templates --vars` every variable they can use.
-#}
{% if newsletter.url %}
<mj-section background-color="#eef0f3" padding="20px 0 0">
  <mj-column>
    <mj-text align="center" font-size="13px" color="#6b7280">
      Forwarded this? <a href="{{ newsletter.url }}">Subscribe to {{ newsletter.title }}</a>.
    </mj-text>
  </mj-column>
</mj-section>
{% endif %}
{#- Then the default footer, unchanged; leave this line out to replace it whole. #}
{% include "default:footer.mjml.j2" %}
"""


def scaffold(folder: Path) -> list[Path]:
    """Write sources.yaml, a first note, an example of overriding one template and a .gitignore; never overwrite."""
    config = folder / "sources.yaml"
    if config.exists():  # a folder already set up: the command was pointed at the wrong place
        raise UsageError(f"{config}: already exists, not overwriting it")
    note = folder / "notes" / "welcome.md"
    example = folder / "templates" / EXAMPLE_NAME
    written: list[Path] = []
    try:
        (folder / "output").mkdir(parents=True, exist_ok=True)
        for path, text in ((config, SOURCES), (note, NOTE), (example, EXAMPLE)):
            if path.exists():  # an editor's own file, say notes/ from before: theirs, not ours to replace
                warn(f"{path}: already exists, kept as it is")
                continue
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
        written.append(_gitignore(folder / ".gitignore"))
    except OSError as exc:
        raise DigestError(f"{folder}: cannot create the newsletter folder ({exc.strerror or exc})") from None
    return written


def _gitignore(path: Path) -> Path:
    """A .gitignore for what builds write; an existing one gets only the lines it lacks."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in GITIGNORE if line not in text.splitlines()]
    if missing:
        lead = "" if not text or text.endswith("\n") else "\n"
        path.write_text(
            text + lead + "# Built by digest: issues and the state file\n" + "\n".join(missing) + "\n", encoding="utf-8"
        )
    return path
