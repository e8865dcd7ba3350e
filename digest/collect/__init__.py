"""The collector: every configured source into articles, one bad source never fatal.

Readers are registered by source kind; each returns what it read and what
went wrong, and `collect()` records a `SourceStats` line per source.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, SourceConfig
from ..models import Article, SourceStats
from .feed import FeedRead, read_feed_file

Reader = Callable[[SourceConfig, Path], FeedRead]


@dataclass(slots=True)
class Collection:
    """All articles read this run, with per-source stats and warnings."""

    articles: list[Article] = field(default_factory=list)
    stats: list[SourceStats] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_path(source: SourceConfig, root: Path) -> FeedRead:
    from .local import read_local

    articles, warnings = read_local(source.name, source.location, root)
    return FeedRead(articles=articles, entries=len(articles) + len(warnings), warnings=warnings)


def _read_feed(source: SourceConfig, root: Path) -> FeedRead:
    if source.is_url:
        from .fetch import fetch_feed

        return fetch_feed(source.name, source.location)
    return read_feed_file(source.name, Path(source.location))


READERS: dict[str, Reader] = {"path": _read_path, "feed": _read_feed}


def collect(config: Config, sources: Iterable[SourceConfig] | None = None) -> Collection:
    """Read every source; failures become warnings and `failed` stats, never exceptions."""
    result = Collection()
    for source in sources if sources is not None else config.sources:
        read = READERS[source.kind](source, config.root)
        where = source.location if source.kind == "feed" and source.is_url else _shown(source.location, config.root)
        for warning in read.warnings:
            result.warnings.append(f"{source.name}: {warning}")
        if read.error:
            result.warnings.append(f"{source.name}: {read.error}")
        status = "failed" if read.error else ("ok" if read.articles else "empty")
        result.stats.append(SourceStats(name=source.name, kind=source.kind, location=where, status=status,
                                        entries=read.entries, error=read.error))
        result.articles.extend(read.articles)
    return result


def _shown(location: str, root: Path) -> str:
    """Paths in reports are relative to the config folder: stable across machines."""
    try:
        return Path(location).relative_to(root).as_posix()
    except ValueError:
        return location
