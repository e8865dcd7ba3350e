"""The edits stage: the draft as the editor wants it, and a warning for each edit whose target is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import where
from ..models import Article, Bullet, Digest, Trend, replace
from .file import AddedArticle, BulletEdit, Edits, TrendEdit, edits_path, load_edits
from .keys import keyed


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
        trends.append(
            replace(trend, bullets=bullets, article_ids=tuple(i for i in trend.article_ids if i not in dropped))
        )
    trends = _edited_trends(trends, trend_edits, done)
    also = tuple(b for b in digest.also if set(b.article_ids) - dropped)  # a story the editor took out is not "also"
    return replace(
        digest,
        trends=tuple(trends),
        articles=tuple(articles),
        note=edits.note,
        also=also,
        edits=tuple(done) + (("editor's note",) if edits.note else ()),
    ), warnings


def _resolved(edits: dict[str, TrendEdit], keys: list[str], done: list[str]) -> tuple[dict[str, TrendEdit], list[str]]:
    """Trend edits by the keys of this draft. A discovered story's name can gain or lose a word between
    two builds ("Multimodal" → "Multimodal models"): an edit whose key is gone goes to the trend whose
    key shares most of its words (at least half of them all), when no edit names that trend itself."""
    resolved = {key: edit for key, edit in edits.items() if key in keys}
    gone = []
    for key in sorted(edits.keys() - set(keys)):
        words = set(key.split("-"))
        scored = [
            (len(words & set(k.split("-"))) / len(words | set(k.split("-"))), k) for k in keys if k not in resolved
        ]
        score, best = max(scored, default=(0.0, ""))
        if score >= 0.5:
            resolved[best] = edits[key]
            done.append(f"trends.{key} taken as {best}: the trend's name changed")
        else:
            gone.append(key)
    return resolved, gone


def added_id(added: AddedArticle) -> str:
    """The id of an article the editor adds: its link, or its title for one without."""
    return added.url or f"editor:{added.title}"


def _added(added: AddedArticle) -> Article:
    return Article(id=added_id(added), title=added.title, source=added.source, blocks=(), url=added.url)


def _edited_bullets(
    trend: Trend, edits: dict[str, BulletEdit], dropped: set[str], done: list[str]
) -> tuple[Bullet, ...]:
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
    kept = [replace(t, edited=t.edited + ("pinned",)) for t in kept if t.key in pinned] + [
        t for t in kept if t.key not in pinned
    ]
    moves = {t.key: move for t in kept if (move := edits.get(t.key, TrendEdit()).move)}
    done += [f"moved trend {t.name!r} to place {moves[t.key]}" for t in kept if t.key in moves]
    return _moved(kept, moves, lambda t: replace(t, edited=t.edited + ("moved",)))


def _moved(items: list[Any], moves: dict[str, int], mark: Any) -> list[Any]:
    """Items with a place taken out, then put back at their places, lowest first."""
    rest = [item for item in items if item.key not in moves]
    for item in sorted((i for i in items if i.key in moves), key=lambda i: moves[i.key]):
        rest.insert(min(moves[item.key], len(rest) + 1) - 1, mark(item))
    return rest


def edited_digest(draft: Digest, root: Path, warnings: list[str]) -> Digest:
    """The build's edits stage: the draft with `edits/<week>.yaml` applied; its warnings join the build's."""
    path = edits_path(root, draft.week)
    digest, problems = apply_edits(draft, load_edits(path), where(path))
    warnings.extend(problems)
    return replace(digest, warnings=digest.warnings + tuple(problems))
