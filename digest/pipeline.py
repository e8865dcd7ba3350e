"""`build()`: one issue, from sources to files, as named stages.

The only module that knows the collector, the summarizer and the renderer,
and it knows each by its package's face alone; each stage is a plain
function over plain data.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import collect, summarize
from .collect import Collection, Fetched, Limits, collect_week
from .config import Config, FetchConfig
from .edits import added_id, edited_digest, edits_path, load_edits
from .errors import DigestError
from .isolation import without_failing
from .models import Article, Digest, SourceStats, replace
from .render import WEB_PAGE, Rendered, archive_files, newsletter_settings, render_issue, write_files, write_issue
from .state import State, copy_state, writer_lock
from .summarize import Explanation, WeekSummary, summarize_week
from .week import Week


@dataclass(slots=True)
class BuildResult:
    """What a build did: the issue folder (None when the week had nothing new, or on a dry run)."""

    week: Week
    folder: Path | None
    digest: Digest | None
    draft: Digest | None = None  # before the editor's edits: what the preview re-renders from
    warnings: list[str] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)
    feeds: str | None = None  # "48 feeds: 45 ok, 2 not modified, 1 failed"
    fetched: list[Fetched] = field(default_factory=list)
    rendered: Rendered | None = None


def build(
    config: Config,
    week: Week | None = None,
    output: Path | None = None,
    now: datetime | None = None,
    progress: Callable[[Fetched], None] | None = None,
    strict: bool = False,
    dry_run: bool = False,
    validate: bool = True,
) -> BuildResult:
    """Build one issue: collect the week, summarize, render, then write the issue and remember it together.

    `dry_run`: everything but the writing, on a scratch copy of the state.
    `validate`: check the MJML against MJML's rules (off only in emergencies).
    `strict`: an issue that would replace one with more articles is not written.
    """
    week = week or Week.last_complete()
    if dry_run:
        with scratch(config) as copy:
            result = build(copy, week, now=now, progress=progress, strict=strict, validate=validate)
        result.folder = None  # it was in the scratch folder, gone now: `rendered` holds the issue
        return result
    output = output or config.output
    with writer_lock(config.state) as stale, State(config.state) as state:
        collection = collect_week(config.sources, state, week, config.root, fetch_limits(config.fetch), now, progress)
        # The lock taken over and a thinner issue are about this run, not the issue: stderr only, so that
        # digest.json (and a rebuild of it) says the same whatever happened to the runs before.
        result = BuildResult(
            week=week,
            folder=None,
            digest=None,
            warnings=[*filter(None, [stale])],
            feeds=collect.summary(collection),
            fetched=collection.fetched,
        )
        result.warnings += collection.warnings
        articles = collection.articles
        if not articles:
            return result
        _check_shrink(_articles_before(state, week, output, config.root), week, articles, result.warnings, strict)
        issue_warnings = list(collection.warnings)  # digest.json's: the issue's own, not the run's
        # One article whose text fails the summarizer or the render is left out, with a warning, not the issue.
        articles, (summary, result.draft, result.digest, result.rendered) = without_failing(
            lambda chosen: draft(config, week, chosen, state, collection.stats, issue_warnings, validate),
            articles,
            issue_warnings,
        )
        result.warnings.extend(issue_warnings[len(collection.warnings) :])  # the articles left out
        # The edits' warnings (an edit whose target is gone) join the build's once, whatever the tries above.
        result.warnings.extend(result.digest.warnings[len(result.draft.warnings) :])
        result.warnings.extend(result.rendered.warnings)
        result.explanations = summary.explanations
        with state.transaction():  # the issue and what the state knows of it change together, or neither does
            remember(state, week, articles, summary)
            result.folder = write(result.digest, result.rendered, output)
        write_archive(result.digest, config.templates, output)
    return result


@contextmanager
def scratch(config: Config) -> Iterator[Config]:
    """The config over a scratch copy of the state and a scratch output folder: a look that changes nothing."""
    with tempfile.TemporaryDirectory(prefix="digest-scratch-") as folder:
        state = Path(folder) / "state.sqlite"
        copy_state(config.state, state)
        yield replace(config, state=state, output=Path(folder) / "output")


def week_articles(config: Config, week: Week, now: datetime | None = None) -> Collection:
    """What a build of `week` would use (`digest collect`), read against a scratch copy of the state."""
    with scratch(config) as copy, State(copy.state) as state:
        return collect_week(copy.sources, state, week, copy.root, fetch_limits(copy.fetch), now)


def fetch_limits(fetch: FetchConfig) -> Limits:
    """`fetch: {concurrency, timeout, per_host}` as the collector's limits; `fresh` is the preview's alone."""
    return replace(
        Limits(),
        concurrency=fetch.concurrency,
        deadline=float(fetch.timeout),
        per_host=fetch.per_host,
        fresh=float(fetch.fresh),
    )


def _articles_before(state: State, week: Week, output: Path, root: Path) -> int:
    """How many articles the issue this build replaces holds: the one on disk, else what the state says.

    The articles the editor adds (`articles.add` of edits/<week>.yaml) are not counted: the build's own
    articles are what it compares, and an added one must not make every rebuild look thinner.
    """
    added = {added_id(article) for article in load_edits(edits_path(root, week.label)).add_articles}
    try:
        issue = json.loads((output / week.label / "digest.json").read_text("utf-8"))
        return int(issue["stats"]["articles"]) - sum(1 for article in issue["articles"] if article["id"] in added)
    except (OSError, ValueError, KeyError, TypeError):
        return state.issue_size(week.label)


def _check_shrink(before: int, week: Week, articles: list[Article], warnings: list[str], strict: bool) -> None:
    """An issue is never replaced by a thinner one without a word (and, with --strict, not at all)."""
    if len(articles) >= before:
        return
    message = f"{week}: the issue had {before} articles, this build has {len(articles)}"
    if strict:
        raise DigestError(f"{message}: kept the issue as it was (--strict)")
    warnings.append(message)


def summarize_stage(config: Config, articles: list[Article], state: State, week: Week) -> WeekSummary:
    settings = config.summarizer
    return summarize_week(
        articles,
        [(t.name, t.keywords) for t in config.trends],
        max_trends=settings.max_trends,
        bullets=settings.bullets,
        weights=dict(settings.weights),
        history=state.story_history(before=week.label),
        seen_phrases=state.phrase_history(before=week.label),
        theme=" ".join(filter(None, (config.title, config.newsletter.description))),
    )


def draft(
    config: Config,
    week: Week,
    articles: list[Article],
    state: State,
    stats: list[SourceStats],
    warnings: list[str],
    validate: bool = True,
) -> tuple[WeekSummary, Digest, Digest, Rendered]:
    """The issue of these articles, summarized, edited and rendered, not yet written: what a bad article can fail.

    (summary, the machine's draft, the issue with the editor's `edits/<week>.yaml` applied, its render).
    """
    summary = summarize_stage(config, articles, state, week)
    machine = make_digest(config, week, articles, summary, stats, warnings)
    digest = edited_digest(machine, config.root, [])  # its warnings are in digest.warnings, after the draft's
    return summary, machine, digest, render_issue(digest, [config.templates], validate=validate)


def make_digest(
    config: Config,
    week: Week,
    articles: list[Article],
    summary: WeekSummary,
    stats: list[SourceStats],
    warnings: list[str],
) -> Digest:
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
        newsletter=config.newsletter.as_dict(),
        also=tuple(summary.also),
    )


def write(digest: Digest, rendered: Rendered, output: Path) -> Path:
    try:
        return write_issue(
            output / digest.week,
            {
                "digest.html": rendered.html,
                "digest.txt": rendered.text,
                "digest.json": json.dumps(digest.to_dict(), indent=2, ensure_ascii=False) + "\n",
                "digest.eml": rendered.eml,
                **({WEB_PAGE: rendered.web} if rendered.web else {}),  # the whole issue, when the email is cut to fit
            },
        )
    except OSError as exc:
        raise DigestError(f"{output / digest.week}: cannot write the issue ({exc.strerror or exc})") from None


def write_archive(digest: Digest, templates: Path, output: Path) -> None:
    """index.html and feed.xml of every issue in the output folder."""
    try:
        write_files(output, archive_files(output, newsletter_settings(digest), [templates]))
    except OSError as exc:
        raise DigestError(f"{output}: cannot write the archive ({exc.strerror or exc})") from None


def remember(state: State, week: Week, articles: list[Article], summary: WeekSummary) -> None:
    """Only with the issue on disk: a failed build must not use up articles."""
    collect.remember(state, week, articles)
    summarize.remember(state, week.label, summary)
