"""The newsletter's archive: an index page and an Atom feed of every issue built so far.

Both are made from the issues' own digest.json files, so they list what is
on disk, newest first, and say the same thing on every rebuild (no clock:
the feed's `updated` is the newest issue's last day).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .templates import date_span, environment, render

ARCHIVE_TEMPLATE = "archive.html.j2"
ATOM = "http://www.w3.org/2005/Atom"


def issues_in(output: Path) -> list[dict[str, Any]]:
    """The issues in the output folder (their digest.json), newest first."""
    found = []
    for path in output.glob("*-W*/digest.json"):
        try:
            model = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a folder that is not (or no longer) an issue
        found.append(model)
    return sorted(found, key=lambda model: model["week"], reverse=True)


def archive_files(output: Path, newsletter: dict[str, Any], template_dirs: Sequence[Path]) -> dict[str, str]:
    """index.html and feed.xml for the output folder."""
    issues = [entry(model, newsletter) for model in issues_in(output)]
    return {"index.html": archive_page(newsletter, issues, template_dirs), "feed.xml": _atom(newsletter, issues)}


def archive_page(newsletter: dict[str, Any], issues: list[dict[str, Any]], template_dirs: Sequence[Path]) -> str:
    return render(environment(template_dirs, html=True), ARCHIVE_TEMPLATE, newsletter=newsletter, issues=issues)


def entry(model: dict[str, Any], newsletter: dict[str, Any]) -> dict[str, Any]:
    week = model["week"]
    base = (newsletter.get("url") or "").rstrip("/")
    return {
        "week": week,
        "dates": date_span(model["start"], model["end"]),
        "end": model["end"],
        "href": f"{week}/digest.html",
        "url": f"{base}/{week}/digest.html" if base else f"{week}/digest.html",
        "trends": [trend["name"] for trend in model.get("trends", [])],
        "articles": len(model.get("articles", [])),
    }


def _atom(newsletter: dict[str, Any], issues: list[dict[str, Any]]) -> str:
    ElementTree.register_namespace("", ATOM)
    title = newsletter.get("title") or "Newsletter"
    base = (newsletter.get("url") or "").rstrip("/")
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "title", title)
    _add(feed, "id", f"{base}/" if base else f"urn:digest:{title}")
    _add(feed, "updated", _stamp(issues[0]["end"] if issues else date(1970, 1, 1).isoformat()))
    if base:
        ElementTree.SubElement(feed, f"{{{ATOM}}}link", href=f"{base}/", rel="alternate")
    _add(ElementTree.SubElement(feed, f"{{{ATOM}}}author"), "name", title)
    for issue in issues:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "title", f"{title} — {issue['week']} ({issue['dates']})")
        _add(entry, "id", issue["url"] if base else f"urn:digest:{title}:{issue['week']}")
        _add(entry, "updated", _stamp(issue["end"]))
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=issue["url"], rel="alternate")
        _add(entry, "summary", "; ".join(issue["trends"]) or f"{issue['articles']} articles")
    ElementTree.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode") + "\n"


def _add(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"
