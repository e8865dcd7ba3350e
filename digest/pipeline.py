"""`build()`: one issue, from sources to files, as named stages.

The only module that knows the collector, the summarizer and the renderer;
each stage is a plain function over plain data.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .collect import Collection, collect
from .collect import summary as feed_summary
from .collect.dedupe import fingerprint
from .collect.fetch import Fetched, Limits
from .collect.fulltext import fill_full_text
from .collect.window import dedupe, select_for_issue
from .config import Config
from .errors import DigestError
from .models import Article, Digest, SourceStats, replace
from .render import Rendered, render_issue
from .render.archive import archive_files
from .render.context import newsletter_settings
from .render.output import write_files, write_issue
from .state import State
from .summarize import Explanation, WeekSummary, summarize_week
from .summarize.trends import trend_key
from .week import Week


@dataclass(slots=True)
class BuildResult:
    """What a build did: the issue folder (None when the week had nothing new)."""

    week: Week
    folder: Path | None
    digest: Digest | None
    warnings: list[str] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    feeds: str | None = None  # "48 feeds: 45 ok, 2 not modified, 1 failed"
    fetched: list[Fetched] = field(default_factory=list)


def build(config: Config, week: Week | None = None, output: Path | None = None,
          now: datetime | None = None, progress: Callable[[Fetched], None] | None = None) -> BuildResult:
    """Build one issue: collect, keep one story once, take the week, summarize, render, write."""
    week = week or Week.last_complete()
    with State(config.state) as state:
        articles, collection, warnings = week_articles(config, state, week, now, progress)
        result = BuildResult(week=week, folder=None, digest=None, warnings=warnings,
                             feeds=feed_summary(collection), fetched=collection.fetched)
        if not articles:
            return result
        summary = summarize(config, articles, state, week)
        result.digest = make_digest(config, week, articles, summary, collection.stats, result.warnings)
        result.folder = write(result.digest, render_issue(result.digest, [config.templates]), output or config.output)
        write_archive(result.digest, config.templates, output or config.output)
        remember(state, week, articles, summary)
    result.explanations = summary.explanations
    return result


def week_articles(config: Config, state: State, week: Week, now: datetime | None = None,
                  progress: Callable[[Fetched], None] | None = None) -> tuple[list[Article], Collection, list[str]]:
    """The articles of `week`'s issue, full text filled in: what `build` and `digest collect` show."""
    limits = fetch_limits(config)
    collection = collect(config, state, limits, progress=progress, since=week.start - timedelta(days=1))
    articles = select_for_issue(dedupe(collection.articles), week, state, now=now)
    filled, page_warnings = fill_full_text(articles, config.sources, state, limits)
    if any(new is not old for new, old in zip(filled, articles)):  # teasers of one story at two addresses
        filled = dedupe(filled)                                      # meet once their pages are in
    return filled, collection, collection.warnings + page_warnings


def fetch_limits(config: Config) -> Limits:
    """`fetch: {concurrency, timeout, per_host}` from sources.yaml over the defaults."""
    settings = {"concurrency": config.fetch.get("concurrency"), "deadline": config.fetch.get("timeout"),
                "per_host": config.fetch.get("per_host")}
    return replace(Limits(), **{key: value for key, value in settings.items() if value is not None})


def summarize(config: Config, articles: list[Article], state: State, week: Week) -> WeekSummary:
    return summarize_week(
        articles,
        [(t.name, t.keywords) for t in config.trends],
        max_trends=config.max_trends,
        bullets=config.bullets,
        weights=config.summarizer,
        history=state.story_history(before=week.label),
        seen_phrases=state.phrase_history(before=week.label),
        theme=" ".join(filter(None, (config.title, config.newsletter.get("description")))),
    )


def make_digest(config: Config, week: Week, articles: list[Article], summary: WeekSummary,
                stats: list[SourceStats], warnings: list[str]) -> Digest:
    used: Counter[str] = Counter(source for article in articles for source in article.sources)
    return Digest(
        title=config.title,
        week=week.label,
        start=week.start,
        end=week.end,
        trends=tuple(summary.trends),
        articles=tuple(articles),
        sources=tuple(replace(s, used=used[s.name]) for s in stats),
        warnings=tuple(warnings),
        newsletter=dict(config.newsletter),
        also=tuple(summary.also),
    )


def write(digest: Digest, rendered: Rendered, output: Path) -> Path:
    try:
        return write_issue(output / digest.week, {
            "digest.html": rendered.html,
            "digest.txt": rendered.text,
            "digest.json": json.dumps(digest.to_dict(), indent=2, ensure_ascii=False) + "\n",
            "digest.eml": rendered.eml,
        })
    except OSError as exc:
        raise DigestError(f"{output / digest.week}: cannot write the issue ({exc.strerror or exc})") from None


def write_archive(digest: Digest, templates: Path, output: Path) -> None:
    """index.html and feed.xml of every issue in the output folder."""
    try:
        write_files(output, archive_files(output, newsletter_settings(digest), [templates]))
    except OSError as exc:
        raise DigestError(f"{output}: cannot write the archive ({exc.strerror or exc})") from None


def remember(state: State, week: Week, articles: list[Article], summary: WeekSummary) -> None:
    """Only once the issue is on disk: a failed build must not use up articles."""
    state.assign(week.label, [a.id for a in articles])
    state.store_prints(week.label, [(a.id, fingerprint(a)) for a in articles])
    state.record_trends(week.label, [(trend_key(t.name), t.name, len(t.article_ids)) for t in summary.trends],
                        summary.signatures)
    state.record_phrases(week.label, summary.phrases)
