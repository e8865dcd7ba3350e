"""The collector: every configured source into articles, one bad source never fatal.

Readers are registered by source kind; each returns what it read and what
went wrong, and `collect()` records a `SourceStats` line per source.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, SourceConfig
from ..models import Article, SourceStats
from ..state import State
from . import cache
from .feed import FeedRead, parse_feed, read_feed_file
from .fetch import Fetched, Limits, Validators, fetch_all

Reader = Callable[[SourceConfig, Path], FeedRead]


@dataclass(slots=True)
class Collection:
    """All articles read this run, with per-source stats and warnings."""

    articles: list[Article] = field(default_factory=list)
    stats: list[SourceStats] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fetched: list[Fetched] = field(default_factory=list)


def _read_path(source: SourceConfig, root: Path) -> FeedRead:
    from .local import read_local

    articles, warnings = read_local(source.name, source.location, root)
    return FeedRead(articles=articles, entries=len(articles) + len(warnings), warnings=warnings)


def _read_feed(source: SourceConfig, root: Path) -> FeedRead:
    return read_feed_file(source.name, Path(source.location))


READERS: dict[str, Reader] = {"path": _read_path, "feed": _read_feed}


def collect(config: Config, state: State | None = None, limits: Limits = Limits(),
            progress: Callable[[Fetched], None] | None = None) -> Collection:
    """Read every source; failures become warnings and `failed` stats, never exceptions.

    Feeds over HTTP are fetched first, all at once; local sources are read as
    they come.
    """
    result = Collection()
    remote = [s.location for s in config.sources if s.kind == "feed" and s.is_url]
    fetched = {}
    if remote:
        known = state.feed_validators(remote) if state else {}
        fetched = fetch_all(remote, {url: Validators(*pair) for url, pair in known.items()}, limits, progress)
        result.fetched = list(fetched.values())
    for source in config.sources:
        if source.location in fetched:
            read = from_fetched(source, fetched[source.location], state)
            where = source.location
        else:
            read = READERS[source.kind](source, config.root)
            where = _shown(source.location, config.root)
        for warning in read.warnings:
            result.warnings.append(f"{source.name}: {warning}")
        if read.error:
            result.warnings.append(f"{source.name}: {read.error}")
        status = read.status or ("failed" if read.error else ("ok" if read.articles else "empty"))
        result.stats.append(SourceStats(name=source.name, kind=source.kind, location=where, status=status,
                                        entries=read.entries, error=read.error))
        result.articles.extend(read.articles)
    return result


def from_fetched(source: SourceConfig, answer: Fetched, state: State | None) -> FeedRead:
    """Articles from what the server said: new bytes, 'not modified', or an error."""
    if answer.status == "failed":
        return FeedRead(error=answer.error)
    moved = [f"moved permanently to {answer.moved_to}: update sources.yaml"] if answer.moved_to else []
    if answer.status == "not-modified":
        stored = state.cached_feed(source.location) if state else None
        if stored is not None:
            entries, articles = stored
            return FeedRead(articles=cache.load(articles, source.name), entries=entries, warnings=moved,
                            status="not-modified")
        return FeedRead(error="answered 304 Not Modified, but nothing is stored for it")
    read = parse_feed(source.name, answer.body, base_url=answer.final_url, headers=answer.headers)
    read.warnings[:0] = moved
    if state is not None and read.error is None:
        state.store_feed(source.location, answer.headers.get("etag"), answer.headers.get("last-modified"),
                         read.entries, cache.dump(read.articles))
    return read


def summary(collection: Collection) -> str | None:
    """'48 feeds: 45 ok, 2 not modified, 1 failed' (None without HTTP feeds)."""
    if not collection.fetched:
        return None
    urls = {f.url for f in collection.fetched}
    counts = Counter("ok" if s.status == "empty" else s.status for s in collection.stats if s.location in urls)
    parts = [f"{counts[key]} {label}" for key, label in (("ok", "ok"), ("not-modified", "not modified"),
                                                           ("failed", "failed")) if counts[key]]
    return f"{sum(counts.values())} feeds: " + ", ".join(parts)


def _shown(location: str, root: Path) -> str:
    """Paths in reports are relative to the config folder: stable across machines."""
    try:
        return Path(location).relative_to(root).as_posix()
    except ValueError:
        return location
