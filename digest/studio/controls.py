"""The preview's editing controls: one click becomes one change to the issue's edits file.

Up and down give the item and its neighbour each other's places (`move:`),
counted in the order the page shows; the file is written atomically, then
the draft is rendered again with it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..edits import BulletEdit, Edits, EditsError, TrendEdit, edits_path, load_edits, save_edits
from .session import Studio

TREND_ACTIONS = {"drop", "pin", "unpin", "up", "down", "rename", "reset"}
BULLET_ACTIONS = {"drop", "up", "down", "text", "reset"}


class ControlError(Exception):
    """A control request that cannot be carried out: the page shows why."""


def apply_control(studio: Studio, request: Any) -> None:
    """Carry out one click: change the edits file, then render again."""
    if not isinstance(request, dict):
        raise ControlError("expected a JSON object")
    kind, action, key = request.get("kind"), request.get("action"), request.get("key")
    text = request.get("text")
    if studio.shown is None or studio.config is None:
        raise ControlError("there is no issue on the page to edit yet")
    path = edits_path(studio.config_path.parent, studio.shown.week)
    with studio.work:
        try:
            edits = load_edits(path)
        except EditsError as exc:
            raise ControlError(f"fix the edits file first: {exc.lines[0]}") from None
        if kind == "note" and (text is None or isinstance(text, str)):
            edits = replace(edits, note=(text or "").strip())
        elif kind == "trend" and action in TREND_ACTIONS and isinstance(key, str):
            edits = _trend(studio, edits, action, key, text)
        elif kind == "bullet" and action in BULLET_ACTIONS and isinstance(key, str):
            edits = _bullet(studio, edits, action, key, text)
        else:
            raise ControlError(f"unknown control: {kind!r} {action!r}")
        try:
            save_edits(path, edits)
        except OSError as exc:
            raise ControlError(f"{path}: cannot write the edits file ({exc.strerror or exc})") from None
    studio.rerender()


def _trend(studio: Studio, edits: Edits, action: str, key: str, text: Any) -> Edits:
    order = [t.key for t in studio.shown.trends]
    if key not in order and action != "reset":
        raise ControlError(f"no trend {key!r} on the page")
    trends = dict(edits.trends)
    edit = trends.get(key, TrendEdit())
    if action == "reset":
        trends.pop(key, None)
        return replace(edits, trends=trends)
    if action in ("up", "down"):
        return replace(edits, trends=_swap(trends, TrendEdit(), order, key, -1 if action == "up" else 1))
    if action == "rename":
        if not isinstance(text, str) or not text.strip():
            raise ControlError("a trend needs a name")
        edit = replace(edit, name=text.strip())
    else:
        pin = {"pin": True, "unpin": False}.get(action, edit.pin)
        edit = replace(edit, drop=action == "drop" or edit.drop, pin=pin)
    trends[key] = edit
    return replace(edits, trends=trends)


def _bullet(studio: Studio, edits: Edits, action: str, key: str, text: Any) -> Edits:
    trend = next((t for t in studio.shown.trends if any(b.key == key for b in t.bullets)), None)
    if trend is None and action != "reset":
        raise ControlError(f"no bullet {key!r} on the page")
    bullets = dict(edits.bullets)
    edit = bullets.get(key, BulletEdit())
    if action == "reset":
        bullets.pop(key, None)
        return replace(edits, bullets=bullets)
    if action in ("up", "down") and trend is not None:
        order = [b.key for b in trend.bullets]
        return replace(edits, bullets=_swap(bullets, BulletEdit(), order, key, -1 if action == "up" else 1))
    if action == "text":
        if not isinstance(text, str) or not text.strip():
            raise ControlError("to remove a bullet, drop it")
        edit = replace(edit, text=text.strip())
    else:
        edit = replace(edit, drop=True)
    bullets[key] = edit
    return replace(edits, bullets=bullets)


def _swap(table: dict[str, Any], empty: Any, order: list[str], key: str, step: int) -> dict[str, Any]:
    """`key` and its neighbour trade places, both pinned down with `move:` at their new places."""
    i = order.index(key)
    j = i + step
    if not 0 <= j < len(order):
        return table
    table = dict(table)
    for item, place in ((key, j + 1), (order[j], i + 1)):
        table[item] = replace(table.get(item, empty), move=place)
    return table
