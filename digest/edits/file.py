"""The edits file, `edits/<week>.yaml`: what it may say, reading it with every problem named, writing it atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DigestError, where

TREND_FIELDS = {"drop": bool, "pin": bool, "name": str, "move": int}
BULLET_FIELDS = {"drop": bool, "text": str, "move": int}
ARTICLE_FIELDS = {"title", "url", "source"}


class EditsError(DigestError):
    """An edits file that cannot be read: bad YAML or a value of the wrong kind."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class TrendEdit:
    """What the editor changed about one trend."""

    drop: bool = False
    pin: bool = False
    name: str | None = None
    move: int | None = None  # the trend's place, 1 = first


@dataclass(frozen=True, slots=True)
class BulletEdit:
    """What the editor changed about one bullet."""

    drop: bool = False
    text: str | None = None
    move: int | None = None  # its place within its trend, 1 = first


@dataclass(frozen=True, slots=True)
class AddedArticle:
    """An article the editor adds to the reading list."""

    title: str
    url: str | None = None
    source: str = "Editor"


@dataclass(frozen=True, slots=True)
class Edits:
    """One issue's edits file, as read (empty when there is none)."""

    note: str = ""
    trends: dict[str, TrendEdit] = field(default_factory=dict)
    bullets: dict[str, BulletEdit] = field(default_factory=dict)
    drop_articles: tuple[str, ...] = ()
    add_articles: tuple[AddedArticle, ...] = ()


def edits_path(root: Path, week: str) -> Path:
    """`edits/<week>.yaml` in the newsletter's folder."""
    return root / "edits" / f"{week}.yaml"


def load_edits(path: Path) -> Edits:
    """The edits file at `path`, or no edits when it does not exist; EditsError names file, key and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Edits()
    except (OSError, UnicodeDecodeError) as exc:
        raise EditsError(
            f"{where(path)}: cannot read the edits file ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise EditsError(f"{where(path, mark.line + 1 if mark else None)}: {reason}") from None
    return parse_edits(raw, where(path))


def parse_edits(raw: Any, shown: str) -> Edits:
    """Edits from the YAML's data; every problem found is reported at once."""
    problems: list[str] = []

    def check(value: Any, kinds: dict[str, type], key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            problems.append(f"{shown}: {key}: expected a mapping like {{drop: true}}")
            return {}
        out = {}
        for name, item in value.items():
            kind = kinds.get(name)
            if kind is None:
                problems.append(f"{shown}: {key}.{name}: unknown edit (one of {', '.join(kinds)})")
            elif kind is int and (isinstance(item, bool) or not isinstance(item, int) or item < 1):
                problems.append(f"{shown}: {key}.{name}: expected a place, 1 or more, got {item!r}")
            elif kind is not int and not isinstance(item, kind):
                problems.append(f"{shown}: {key}.{name}: expected {'true or false' if kind is bool else 'text'}")
            else:
                out[name] = item.strip() if isinstance(item, str) else item
        return out

    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise EditsError(f"{shown}: expected a mapping with note, trends, bullets or articles")
    for name in raw.keys() - {"note", "trends", "bullets", "articles"}:
        problems.append(f"{shown}: {name}: unknown key (one of note, trends, bullets, articles)")
    note = raw.get("note") or ""
    if not isinstance(note, str):
        problems.append(f"{shown}: note: expected text")
        note = ""
    trends = {
        str(k): TrendEdit(**check(v, TREND_FIELDS, f"trends.{k}")) for k, v in _mapping(raw, "trends", shown).items()
    }
    bullets = {
        str(k): BulletEdit(**check(v, BULLET_FIELDS, f"bullets.{k}"))
        for k, v in _mapping(raw, "bullets", shown).items()
    }
    articles = _mapping(raw, "articles", shown)
    drop = articles.get("drop") or []
    if not isinstance(drop, list) or not all(isinstance(item, str) for item in drop):
        problems.append(f"{shown}: articles.drop: expected a list of article ids (their URLs or paths)")
        drop = []
    added = []
    for i, item in enumerate(articles.get("add") or []):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("title"), str)
            or not all(isinstance(v, str) for v in item.values())
            or item.keys() - ARTICLE_FIELDS
        ):
            problems.append(f"{shown}: articles.add[{i}]: expected {{title: ..., url: ..., source: ...}}")
            continue
        added.append(AddedArticle(**item))
    if problems:
        raise EditsError(problems)
    return Edits(
        note=note.strip(), trends=trends, bullets=bullets, drop_articles=tuple(drop), add_articles=tuple(added)
    )


def _mapping(raw: dict[str, Any], key: str, shown: str) -> dict[Any, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise EditsError(f"{shown}: {key}: expected a mapping")
    return value


def to_yaml(edits: Edits) -> str:
    """The edits as the editor would write them: only what was changed."""
    data: dict[str, Any] = {}
    if edits.note:
        data["note"] = edits.note
    for name, table in (("trends", edits.trends), ("bullets", edits.bullets)):
        rows = {key: {k: v for k, v in _fields(edit).items() if v not in (None, False)} for key, edit in table.items()}
        if rows := {key: row for key, row in rows.items() if row}:
            data[name] = rows
    articles: dict[str, Any] = {}
    if edits.drop_articles:
        articles["drop"] = list(edits.drop_articles)
    if edits.add_articles:
        articles["add"] = [{k: v for k, v in _fields(a).items() if v} for a in edits.add_articles]
    if articles:
        data["articles"] = articles
    header = "# The editor's edits to this issue; keys are trends[].key and bullets[].key in digest.json.\n"
    return header + (yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100) if data else "")


def save_edits(path: Path, edits: Edits) -> None:
    """Write the edits file atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(to_yaml(edits))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staging, 0o644)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def check_edits(root: Path) -> None:
    """Read every edits file of the newsletter (`digest check`); EditsError lists the problems of all of them."""
    problems: list[str] = []
    for path in sorted((root / "edits").glob("*.yaml")):
        try:
            load_edits(path)
        except EditsError as exc:
            problems.extend(exc.lines)
    if problems:
        raise EditsError(problems)
