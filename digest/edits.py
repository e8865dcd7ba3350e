"""The editor's edits to one issue: `edits/2024-W17.yaml` beside `sources.yaml`.

The draft is the machine's; the edits file is the editor's, kept in their
repository. It names trends and bullets by keys that survive a rebuild (a
trend's key comes from the words of its draft name, a bullet's from its
draft text and its trend's key), so a rebuild of the week applies the same
edits again. An edit whose target is gone is one warning, never an error.

    note: A word from the editor, at the top of the issue.
    trends:
      agents-tool-use: {pin: true, name: Agents}
      benchmarks-evaluation: {drop: true}
      small-efficient-models: {move: 1}          # 1 = the first trend
    bullets:
      3fa2b1c9: {text: A sharper sentence.}
      77d0e5aa: {drop: true}
    articles:
      drop: [https://example.org/weak-post]
      add: [{title: A post worth reading, url: https://example.org/good, source: Editor}]
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DigestError, where
from .models import Article, Bullet, Digest, Trend, replace

WORD_RE = re.compile(r"[a-z0-9]+")
# Small words an editor's rename of "Agents and tool use" to "Agents & tool use" should not change the key of.
STOP = frozenset({"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
                  "with"})
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


def trend_key(name: str) -> str:
    """"Agents and tool use" → "agents-tool-use": the words of the name, small words left out."""
    words = [w for w in WORD_RE.findall(name.lower()) if w not in STOP]
    return "-".join(dict.fromkeys(words)) or "trend"


def bullet_key(trend: str, text: str) -> str:
    """Eight hex digits from the bullet's words and its trend's key."""
    normalised = " ".join(WORD_RE.findall(text.lower()))
    return hashlib.sha1(f"{trend}\n{normalised}".encode()).hexdigest()[:8]


def keyed(draft: Digest) -> Digest:
    """The draft with a key on every trend and bullet (two trends of one key get -2, -3, ...)."""
    trends, seen = [], set()
    for trend in draft.trends:
        base = key = trend.key or trend_key(trend.name)
        n = 1
        while key in seen:
            n += 1
            key = f"{base}-{n}"
        seen.add(key)
        bullets = tuple(b if b.key else replace(b, key=bullet_key(key, b.text)) for b in trend.bullets)
        trends.append(replace(trend, key=key, bullets=bullets))
    return replace(draft, trends=tuple(trends))


# Reading ----------------------------------------------------------------


def load_edits(path: Path) -> Edits:
    """The edits file at `path`, or no edits when it does not exist; EditsError names file, key and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Edits()
    except (OSError, UnicodeDecodeError) as exc:
        raise EditsError(f"{where(path)}: cannot read the edits file ({getattr(exc, 'strerror', None) or exc})") \
            from None
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
    trends = {str(k): TrendEdit(**check(v, TREND_FIELDS, f"trends.{k}"))
              for k, v in _mapping(raw, "trends", shown).items()}
    bullets = {str(k): BulletEdit(**check(v, BULLET_FIELDS, f"bullets.{k}"))
               for k, v in _mapping(raw, "bullets", shown).items()}
    articles = _mapping(raw, "articles", shown)
    drop = articles.get("drop") or []
    if not isinstance(drop, list) or not all(isinstance(item, str) for item in drop):
        problems.append(f"{shown}: articles.drop: expected a list of article ids (their URLs or paths)")
        drop = []
    added = []
    for i, item in enumerate(articles.get("add") or []):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or \
                not all(isinstance(v, str) for v in item.values()) or item.keys() - ARTICLE_FIELDS:
            problems.append(f"{shown}: articles.add[{i}]: expected {{title: ..., url: ..., source: ...}}")
            continue
        added.append(AddedArticle(**item))
    if problems:
        raise EditsError(problems)
    return Edits(note=note.strip(), trends=trends, bullets=bullets, drop_articles=tuple(drop),
                 add_articles=tuple(added))


def _mapping(raw: dict[str, Any], key: str, shown: str) -> dict[Any, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise EditsError(f"{shown}: {key}: expected a mapping")
    return value


# Writing (the preview's controls) ----------------------------------------


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


# Applying -----------------------------------------------------------------


def apply_edits(draft: Digest, edits: Edits, shown: str = "edits") -> tuple[Digest, list[str]]:
    """The issue as the editor wants it, and one warning per edit whose target is not in this draft."""
    digest, warnings, done = keyed(draft), [], []
    ids = {a.id for a in digest.articles}
    for missing in [i for i in edits.drop_articles if i not in ids]:
        warnings.append(f"{shown}: articles.drop: no article {missing!r} in this issue")
    dropped = set(edits.drop_articles) & ids
    done += [f"dropped article {a.title!r}" for a in digest.articles if a.id in dropped]
    articles = [a for a in digest.articles if a.id not in dropped]
    added = {a.id: a for a in map(_added, edits.add_articles) if a.id not in ids}  # once, and not twice over
    articles += added.values()
    done += [f"added article {a.title!r}" for a in added.values()]

    bullet_keys = {b.key for t in digest.trends for b in t.bullets}
    for key in edits.bullets.keys() - bullet_keys:
        warnings.append(f"{shown}: bullets.{key}: no such bullet in this issue (the edit waits in the file)")
    trend_edits, gone = _resolved(edits.trends, [t.key for t in digest.trends], done)
    for key in gone:
        warnings.append(f"{shown}: trends.{key}: no such trend in this issue (the edit waits in the file)")

    trends = []
    for trend in digest.trends:
        bullets = _edited_bullets(trend, edits.bullets, dropped, done)
        if not bullets:
            done.append(f"dropped trend {trend.name!r}: none of its bullets is left")
            continue
        trends.append(replace(trend, bullets=bullets, article_ids=tuple(i for i in trend.article_ids
                                                                        if i not in dropped)))
    trends = _edited_trends(trends, trend_edits, done)
    return replace(digest, trends=tuple(trends), articles=tuple(articles), note=edits.note,
                   edits=tuple(done) + (("editor's note",) if edits.note else ())), warnings


def _resolved(edits: dict[str, TrendEdit], keys: list[str], done: list[str]) -> tuple[dict[str, TrendEdit], list[str]]:
    """Trend edits by the keys of this draft. A discovered story's name can gain or lose a word between
    two builds ("Multimodal" → "Multimodal models"): an edit whose key is gone goes to the trend whose
    key shares most of its words (at least half of them all), when no edit names that trend itself."""
    resolved = {key: edit for key, edit in edits.items() if key in keys}
    gone = []
    for key in sorted(edits.keys() - set(keys)):
        words = set(key.split("-"))
        scored = [(len(words & set(k.split("-"))) / len(words | set(k.split("-"))), k) for k in keys
                  if k not in resolved]
        score, best = max(scored, default=(0.0, ""))
        if score >= 0.5:
            resolved[best] = edits[key]
            done.append(f"trends.{key} taken as {best}: the trend's name changed")
        else:
            gone.append(key)
    return resolved, gone


def _added(added: AddedArticle) -> Article:
    return Article(id=added.url or f"editor:{added.title}", title=added.title, source=added.source, blocks=(),
                   url=added.url)


def _edited_bullets(trend: Trend, edits: dict[str, BulletEdit], dropped: set[str], done: list[str]) -> tuple[
        Bullet, ...]:
    kept: list[Bullet] = []
    for bullet in trend.bullets:
        edit = edits.get(bullet.key, BulletEdit())
        sources = tuple(c for c in bullet.sources if c.article_id not in dropped)
        if edit.drop:
            done.append(f"dropped bullet {bullet.key} of {trend.name!r}")
            continue
        if not sources:  # every article it stood on was dropped
            continue
        marks = bullet.edited
        if edit.text and edit.text != bullet.text:
            marks += ("text",)
            done.append(f"rewrote bullet {bullet.key} of {trend.name!r}")
        kept.append(replace(bullet, text=edit.text or bullet.text, sources=sources, edited=marks))
    moves = {b.key: move for b in kept if (move := edits.get(b.key, BulletEdit()).move)}
    done += [f"moved bullet {key} of {trend.name!r} to place {place}" for key, place in moves.items()]
    return tuple(_moved(kept, moves, lambda b: replace(b, edited=b.edited + ("moved",))))


def _edited_trends(trends: list[Trend], edits: dict[str, TrendEdit], done: list[str]) -> list[Trend]:
    kept = []
    for trend in trends:
        edit = edits.get(trend.key, TrendEdit())
        if edit.drop:
            done.append(f"dropped trend {trend.name!r}")
            continue
        if edit.name and edit.name != trend.name:
            done.append(f"renamed trend {trend.name!r} to {edit.name!r}")
            trend = replace(trend, name=edit.name, edited=trend.edited + ("renamed",))
        kept.append(trend)
    pinned = {t.key for t in kept if edits.get(t.key, TrendEdit()).pin}
    done += [f"pinned trend {t.name!r}" for t in kept if t.key in pinned]
    # Pinned trends lead; places (`move:`) count in that order, the order the preview shows and its arrows swap.
    kept = [replace(t, edited=t.edited + ("pinned",)) for t in kept if t.key in pinned] + \
        [t for t in kept if t.key not in pinned]
    moves = {t.key: move for t in kept if (move := edits.get(t.key, TrendEdit()).move)}
    done += [f"moved trend {t.name!r} to place {moves[t.key]}" for t in kept if t.key in moves]
    return _moved(kept, moves, lambda t: replace(t, edited=t.edited + ("moved",)))


def _moved(items: list[Any], moves: dict[str, int], mark: Any) -> list[Any]:
    """Items with a place taken out, then put back at their places, lowest first."""
    rest = [item for item in items if item.key not in moves]
    for item in sorted((i for i in items if i.key in moves), key=lambda i: moves[i.key]):
        rest.insert(min(moves[item.key], len(rest) + 1) - 1, mark(item))
    return rest


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


def edited_digest(draft: Digest, root: Path, warnings: list[str]) -> Digest:
    """The build's edits stage: the draft with `edits/<week>.yaml` applied; its warnings join the build's."""
    path = edits_path(root, draft.week)
    digest, problems = apply_edits(draft, load_edits(path), where(path))
    warnings.extend(problems)
    return replace(digest, warnings=digest.warnings + tuple(problems))
