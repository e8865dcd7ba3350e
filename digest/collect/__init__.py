"""The collector: every configured source into the articles of one week, one bad source never fatal.

Its door is `collect_week()`: the sources, the state and the week in; the
week's articles out, one story once, full text filled in, with a stats line
per source and the warnings. A week that already has an issue keeps the
articles the state holds for it, so a source that is down costs nothing.
`remember()` records an issue's articles once it is written.

Readers are registered by source kind; each returns what it read and what
went wrong.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from ..models import Article, Source, SourceStats
from ..state import State
from ..week import Week
from . import cache
from .dedupe import fingerprint
from .feed import FeedRead, parse_feed, read_feed_file
from .fetch import Fetched, Limits, Validators, fetch_all
from .fulltext import fill_full_text
from .local import shown_path
from .window import dedupe, select_for_issue

__all__ = ["Collection", "Fetched", "Limits", "collect_week", "ids_for", "read_sources", "remember", "summary"]

Reader = Callable[[Source, Path], FeedRead]


@dataclass(slots=True)
class Collection:
    """All articles read this run, with per-source stats and warnings."""

    articles: list[Article] = field(default_factory=list)
    stats: list[SourceStats] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fetched: list[Fetched] = field(default_factory=list)


def collect_week(
    sources: Sequence[Source],
    state: State,
    week: Week,
    root: Path,
    limits: Limits | None = None,
    now: datetime | None = None,
    progress: Callable[[Fetched], None] | None = None,
) -> Collection:
    """The articles of `week`'s issue: read, one story once, the week's, kept ones back, full text in."""
    limits = limits or Limits()
    collection = read_sources(sources, root, state, limits, progress, since=week.start - timedelta(days=1))
    kept = _kept(collection, state, week)
    articles = select_for_issue(dedupe(collection.articles + kept), week, state, now=now)
    filled, page_warnings = fill_full_text(articles, sources, state, limits)
    if any(new is not old for new, old in zip(filled, articles, strict=True)):  # teasers of one story at two addresses
        filled = dedupe(filled)  # meet once their pages are in
    collection.articles = filled
    collection.warnings += page_warnings
    return collection


def _kept(collection: Collection, state: State, week: Week) -> list[Article]:
    """The articles the week's issue already had that no source gave this time (a feed down, a file gone)."""
    read = {a.id for a in collection.articles}
    kept = [a for a in map(cache.load_one, state.issue_articles(week.label)) if a.id not in read]
    failed = {s.name for s in collection.stats if s.status == "failed"}
    for name, count in sorted(Counter(a.source for a in kept if a.source in failed).items()):
        collection.warnings.append(f"{name}: kept the {count} article(s) {week} already had from it")
    return kept


def ids_for(given: str, root: Path) -> list[str]:
    """The article ids `given` may mean, most likely first: an id as listed, a feed entry's URL, a local file."""
    from .urls import canonical_url

    ids = [given]
    if "://" in given:
        ids.append(f"url:{canonical_url(given)}")
    elif not given.startswith(("url:", "file:")):
        # From the current folder, or as the config gives it from any folder: both, the one that exists first.
        paths = sorted([Path(given), root / given], key=lambda path: not path.exists())
        ids.extend(dict.fromkeys(f"file:{shown_path(path, root)}" for path in paths))
    return ids


def remember(state: State, week: Week, articles: Sequence[Article]) -> None:
    """Once the issue is written: these articles are the week's, kept whole, and their text known again."""
    with state.transaction():
        state.assign(week.label, [a.id for a in articles])
        state.store_articles(week.label, [(a.id, cache.dump_one(a)) for a in articles])
        state.store_prints(week.label, [(a.id, fingerprint(a)) for a in articles])


def _read_path(source: Source, root: Path) -> FeedRead:
    from .local import read_local

    articles, warnings = read_local(source.name, source.location, root)
    return FeedRead(articles=articles, entries=len(articles) + len(warnings), warnings=warnings)


def _read_feed(source: Source, root: Path) -> FeedRead:
    return read_feed_file(source.name, Path(source.location))


READERS: dict[str, Reader] = {"path": _read_path, "feed": _read_feed}


def read_sources(
    sources: Sequence[Source],
    root: Path,
    state: State | None = None,
    limits: Limits | None = None,
    progress: Callable[[Fetched], None] | None = None,
    since: date | None = None,
) -> Collection:
    """Read every source; failures become warnings and `failed` stats, never exceptions.

    Feeds over HTTP are fetched first, all at once; local sources are read as
    they come. `since`: a feed that has not changed need not bring back its
    entries from before that day (they belong to earlier issues).
    """
    result = Collection()
    limits = limits or Limits()
    remote = [s for s in sources if s.kind == "feed" and s.is_url]
    reads: dict[str, FeedRead] = {}
    if remote:
        reads, result.fetched = _read_remote(remote, state, limits, progress, since)
    for source in sources:
        if source.location in reads:
            read = reads[source.location]
            where = source.location
        else:
            read = READERS[source.kind](source, root)
            where = shown_path(source.location, root)
        for warning in read.warnings:
            result.warnings.append(f"{source.name}: {warning}")
        if read.error:
            result.warnings.append(f"{source.name}: {read.error}")
        status = read.status or ("failed" if read.error else ("ok" if read.articles else "empty"))
        result.stats.append(
            SourceStats(
                name=source.name,
                kind=source.kind,
                location=where,
                status=status,
                entries=read.entries,
                error=read.error,
            )
        )
        result.articles.extend(read.articles)
    return result


def _read_remote(
    sources: list[Source],
    state: State | None,
    limits: Limits,
    progress: Callable[[Fetched], None] | None,
    since: date | None,
) -> tuple[dict[str, FeedRead], list[Fetched]]:
    """Fetch every feed at once; each is parsed as soon as it arrives, on every core."""
    names = {s.location: s.name for s in sources}
    known = state.feed_validators(names) if state else {}
    with Parsers(len(names)) as parsers:

        def arrived(answer: Fetched) -> None:
            # Work while the other feeds are still on the wire: parse new bytes, load stored articles.
            if answer.status == "ok":
                parsers.submit(answer.url, names[answer.url], answer)
            elif answer.status == "not-modified" and state is not None:
                parsers.jobs[answer.url] = _from_state(names[answer.url], answer, state, since)
            if progress:
                progress(answer)

        # Fetched a moment ago (a preview rebuilding on every save): the stored copy, no request at all.
        fresh = state.fresh_feeds(names, limits.fresh) if state and limits.fresh else set()
        for url in fresh:
            arrived(Fetched(url, "not-modified"))
        fetched = fetch_all(
            [url for url in names if url not in fresh],
            {url: Validators(*pair) for url, pair in known.items()},
            limits,
            arrived,
        )
        fetched.update({url: Fetched(url, "not-modified") for url in fresh})
        reads = {
            s.location: from_fetched(s, fetched[s.location], state, parsers.result(s.location))
            for s in sources
            if s.location in fetched
        }
    return reads, list(fetched.values())


def _parse_for_cache(name: str, data: bytes, url: str, headers: dict[str, str]) -> FeedRead:
    """Parse, and serialise for the state file while still in the worker."""
    try:
        read = parse_feed(name, data, base_url=url, headers=headers)
    except Exception as exc:  # noqa: BLE001 - a parser bug on one feed's bytes must not end the build
        return FeedRead(error=f"not a feed (the parser failed: {type(exc).__name__}: {exc})"[:200])
    read.cached = cache.dump(read.articles)
    return read


class Parsers:
    """Feed parsing beside the fetching: worker processes for many feeds, inline for a few."""

    def __init__(self, feeds: int):
        workers = min(os.cpu_count() or 1, 4)
        self.pool = ProcessPoolExecutor(workers) if feeds >= 8 and workers > 1 else None
        self.jobs: dict[str, Future | FeedRead] = {}

    def __enter__(self) -> Parsers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, url: str, name: str, answer: Fetched) -> None:
        args = (name, answer.body, answer.final_url, answer.headers)
        self.jobs[url] = self.pool.submit(_parse_for_cache, *args) if self.pool else _parse_for_cache(*args)

    def result(self, url: str) -> FeedRead | None:
        job = self.jobs.get(url)
        return job.result() if isinstance(job, Future) else job


def _from_state(name: str, answer: Fetched, state: State | None, since: date | None = None) -> FeedRead:
    """A 304: the articles stored last time, no parsing."""
    stored = state.cached_feed(answer.url) if state else None
    if stored is None:
        return FeedRead(error="answered 304 Not Modified, but nothing is stored for it")
    entries, articles = stored
    return FeedRead(articles=cache.load(articles, name, since), entries=entries, status="not-modified")


def from_fetched(source: Source, answer: Fetched, state: State | None, parsed: FeedRead | None = None) -> FeedRead:
    """Articles from what the server said: new bytes, 'not modified', or an error."""
    if answer.status == "failed":
        return FeedRead(error=answer.error)
    moved = [f"moved permanently to {answer.moved_to}: update sources.yaml"] if answer.moved_to else []
    if answer.status == "not-modified":
        read = parsed or _from_state(source.name, answer, state)
        read.warnings[:0] = moved
        return read
    read = parsed or _parse_for_cache(source.name, answer.body, answer.final_url, answer.headers)
    read.warnings[:0] = moved
    if state is not None and read.error is None:
        state.store_feed(
            source.location,
            answer.headers.get("etag"),
            answer.headers.get("last-modified"),
            read.entries,
            read.cached or cache.dump(read.articles),
        )
    return read


def summary(collection: Collection) -> str | None:
    """'48 feeds: 45 ok, 2 not modified, 1 failed' (None without HTTP feeds)."""
    if not collection.fetched:
        return None
    urls = {f.url for f in collection.fetched}
    counts = Counter("ok" if s.status == "empty" else s.status for s in collection.stats if s.location in urls)
    parts = [
        f"{counts[key]} {label}"
        for key, label in (("ok", "ok"), ("not-modified", "not modified"), ("failed", "failed"))
        if counts[key]
    ]
    return f"{sum(counts.values())} feeds: " + ", ".join(parts)
