"""The studio's page: the email in a frame, its other faces, the inbox line, warnings and errors.

The first answer already holds the status (errors, warnings, inbox line), so
the page reads right before its script runs; the script then follows the
event stream and swaps in each new render.
"""

from __future__ import annotations

import html
import json

from .session import Studio

VIEWS = (
    ("desktop", "Desktop · 600"),
    ("mobile", "Mobile · 375"),
    ("dark", "Dark"),
    ("text", "Plaintext"),
    ("json", "JSON"),
)


def studio_page(studio: Studio) -> str:
    snapshot = studio.snapshot()
    inbox = snapshot["inbox"] or {"from": "", "subject": "", "preheader": ""}
    week = snapshot["week"] or "this week"
    options = "".join(f'<option value="{html.escape(w)}">Issue {html.escape(w)}</option>' for w in snapshot["issues"])
    views = "".join(f'<button type="button" data-view="{key}">{label}</button>' for key, label in VIEWS)
    errors = _items(snapshot["errors"])
    warnings = _items(snapshot["warnings"])
    # "</" inside the JSON would end the script element early.
    initial = json.dumps(snapshot, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="digest-token" content="{studio.token}">
<title>{html.escape(inbox["subject"] or "digest preview")}</title>
<link rel="stylesheet" href="/studio.css?s={studio.session}">
</head><body>
<header class="bar">
  <strong>digest preview</strong>
  <select id="issue" aria-label="Issue"><option value="draft">Draft · {html.escape(week)}</option>{options}</select>
  <nav id="views" aria-label="View">{views}</nav>
  <span id="state" class="state">{"building…" if snapshot["building"] else ""}</span>
</header>
<section id="inbox" class="inbox" aria-label="Inbox line">
  <div class="from">{html.escape(inbox["from"])}</div>
  <div><b class="subject">{html.escape(inbox["subject"])}</b>
    <span class="preheader">{html.escape(inbox["preheader"])}</span></div>
</section>
<section id="warnings" class="warnings"{"" if snapshot["warnings"] else " hidden"}>
  <h2>Warnings (<span class="count">{len(snapshot["warnings"])}</span>)</h2><ul>{warnings}</ul>
</section>
<details id="note" class="note"><summary>Editor's note</summary>
  <textarea rows="3" placeholder="A few words at the top of the issue"></textarea>
  <button type="button" class="save-note">Save the note</button>
</details>
<main id="stage" class="stage desktop">
  <iframe id="frame" title="The email" src="/draft/digest.html"></iframe>
  <pre id="plain" class="plain" hidden></pre>
  <p id="message" class="message"{"" if snapshot["message"] else " hidden"}>{html.escape(snapshot["message"])}</p>
  <div id="overlay" class="overlay" role="alert"{"" if snapshot["errors"] else " hidden"}>
    <h2>The issue did not build</h2><ul>{errors}</ul>
    <p>Underneath is the last good render. Fix the file and save: this page follows.</p>
  </div>
</main>
<script id="initial" type="application/json">{initial}</script>
<script src="/studio.js?s={studio.session}"></script>
</body></html>
"""


def controls_script(page: str, session: str) -> str:
    """The draft as the frame shows it: the email, plus the script that adds the editor's controls."""
    tag = f'<link rel="stylesheet" href="/studio.css?s={session}"><script src="/frame.js?s={session}" defer></script>'
    return page.replace("</head>", tag + "</head>", 1) if "</head>" in page else tag + page


def _items(lines: list[str]) -> str:
    return "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
