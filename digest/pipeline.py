"""`build()`: one issue, from sources to files, as named stages.

The only module that knows the collector, the summarizer and the renderer;
each stage is a plain function over plain data.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .collect import collect
from .collect import summary as feed_summary
from .collect.fulltext import fill_full_text
from .collect.window import dedupe, select_for_issue
from .config import Config
from .models import Digest, replace
from .render import render_issue
from .render.output import write_issue
from .state import State
from .summarize import Explanation, summarize_week
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
    fetched: list = field(default_factory=list)


def build(config: Config, week: Week | None = None, output: Path | None = None,
          now: datetime | None = None, progress=None) -> BuildResult:
    week = week or Week.last_complete()
    with State(config.state) as state:
        collection = collect(config, state, progress=progress)
        articles = select_for_issue(dedupe(collection.articles), week, state, now=now)
        articles, page_warnings = fill_full_text(articles, config.sources, state)
        collection.warnings.extend(page_warnings)
        if not articles:
            return BuildResult(week=week, folder=None, digest=None, warnings=collection.warnings,
                               feeds=feed_summary(collection), fetched=collection.fetched)
        summary = summarize_week(
            articles,
            [(t.name, t.keywords) for t in config.trends],
            max_trends=config.max_trends,
            bullets=config.bullets,
            weights=config.summarizer,
            history=state.trend_history(before=week.label),
            theme=" ".join(filter(None, (config.title, config.newsletter.get("description")))),
        )
        used = _used_per_source(articles)
        digest = Digest(
            title=config.title,
            week=week.label,
            start=week.start,
            end=week.end,
            trends=tuple(summary.trends),
            articles=tuple(articles),
            sources=tuple(replace(s, used=used.get(s.name, 0)) for s in collection.stats),
            warnings=tuple(collection.warnings),
            newsletter=dict(config.newsletter),
        )
        rendered = render_issue(digest, template_dirs=[config.templates])
        folder = write_issue((output or config.output) / week.label, {
            "digest.html": rendered.html,
            "digest.txt": rendered.text,
            "digest.json": json.dumps(digest.to_dict(), indent=2, ensure_ascii=False) + "\n",
            "digest.eml": rendered.eml,
        })
        # Only once the issue is on disk: a failed build must not use up articles.
        state.assign(week.label, [a.id for a in articles])
        state.record_trends(week.label, [(trend_key(t.name), t.name, len(t.article_ids)) for t in summary.trends])
    return BuildResult(week=week, folder=folder, digest=digest, warnings=collection.warnings,
                       explanations=summary.explanations, feeds=feed_summary(collection),
                       fetched=collection.fetched)


def _used_per_source(articles) -> dict[str, int]:
    used: dict[str, int] = {}
    for article in articles:
        for source in article.sources:
            used[source] = used.get(source, 0) + 1
    return used
