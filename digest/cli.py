"""The `digest` command: click declarations only, heavy imports inside commands."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from . import __version__
from .errors import DigestError, UsageError, warn, where

CONFIG_HELP = "The newsletter's config file (default: ./sources.yaml)."


def _config_option(f):
    return click.option(
        "--config",
        "-c",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default="sources.yaml",
        show_default=False,
        help=CONFIG_HELP,
    )(f)


def _week(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from .week import Week

    try:
        return Week.parse(value)
    except ValueError as exc:
        raise UsageError(f"--week: {exc}") from None


def _load(config_path: Path):
    from .config import load_config

    config = load_config(config_path, unknown_weights=_unknown_weights)
    for line in config.warnings:
        warn(line)
    return config


def _unknown_weights(names: Iterable[str]) -> list[tuple[str, str | None]]:
    """The summarizer owns the weights' names: asked only when the config gives some, so imported only then."""
    from .summarize import unknown_weights

    return unknown_weights(names)


class DigestGroup(click.Group):
    """Click's group, with click's own usage errors as one `error:` line too."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # a bare `digest` is a request for the help, as click has it: no error line around it
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"error: {exc.format_message()}{where}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=DigestGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
def main() -> None:
    """Weekly newsletter digests: collect feeds and notes, find the week's
    trends, pick the bullet points, render a ready-to-send email.

    \b
    Example:
      digest build            # last week's issue, from ./sources.yaml
    """


@main.command()
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="ISO week to build (default: last complete week).")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for issues (default: from the config).",
)
@click.option("--explain", is_flag=True, help="Print why each trend and bullet was chosen.")
@click.option(
    "--strict", is_flag=True, help="Exit 1 when there were warnings; never replace an issue by a thinner one."
)
@click.option("--force", is_flag=True, help="Build a week that has not ended yet (it uses up its articles).")
@click.option("--dry-run", is_flag=True, help="Print the issue it would write, and write nothing.")
@click.option("--verbose", "-v", is_flag=True, help="Show how long each feed took.")
@click.option(
    "--no-validate",
    "no_validate",
    is_flag=True,
    help="Emergencies only: write the issue even if its MJML breaks MJML's rules.",
)
def build(
    config_path: Path,
    week,
    output: Path | None,
    explain: bool,
    strict: bool,
    force: bool,
    dry_run: bool,
    verbose: bool,
    no_validate: bool,
) -> None:
    """Build one issue and print its folder.

    Rebuilding a week keeps the articles its issue already had, whatever
    the sources say today.

    \b
    Example:
      digest build --week 2024-W17
      digest build --dry-run          # what the issue would hold
    """
    from .state import check_unlocked

    config = _load(config_path)
    if week is not None and not week.has_ended() and not (force or dry_run):
        raise UsageError(
            f"--week {week}: the week has not ended yet (it ends on {week.end}); building it now "
            f"would use up articles of a later issue (--force builds it anyway)"
        )
    if not dry_run:
        check_unlocked(config.state)  # a second cron run says so at once, before the heavy imports
    from .pipeline import build as run_build

    feeds = sum(1 for s in config.sources if s.kind == "feed" and s.is_url)
    with _progress(feeds) as progress:
        result = run_build(
            config,
            week=week,
            output=output,
            progress=progress,
            strict=strict,
            dry_run=dry_run,
            validate=not no_validate,
        )
    if verbose:
        for fetched in sorted(result.fetched, key=lambda f: -f.seconds):
            click.echo(f"{fetched.seconds:6.2f} s  {fetched.status:12} {fetched.url}", err=True)
    for line in result.warnings:
        warn(line)
    terminal = sys.stderr.isatty()  # cron reads warnings and errors only
    if result.feeds and (terminal or any(f.status == "failed" for f in result.fetched)):
        click.echo(result.feeds, err=True)
    if result.digest is None:
        click.echo(f"nothing new for {result.week}: no issue written", err=True)
    else:
        if explain:
            _print_explanations(result.explanations, result.digest, err=dry_run)
        summary = f"{result.week}: {len(result.digest.articles)} articles, {len(result.digest.trends)} trends"
        if dry_run and result.rendered is not None:
            click.echo(result.rendered.text, nl=False)
            click.echo(f"{summary} (dry run: nothing written)", err=True)
        elif result.folder is not None:
            if terminal:
                click.echo(summary, err=True)
            click.echo(where(result.folder))
    if strict and result.warnings:
        raise DigestError(f"{len(result.warnings)} warning(s) and --strict", exit_code=1)


@contextlib.contextmanager
def _progress(feeds: int):
    """A progress bar while fetching, on a terminal only: cron gets warnings and errors alone."""
    if feeds < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=feeds, label="Fetching feeds", file=sys.stderr) as bar:
        yield lambda fetched: bar.update(1)


def _print_explanations(explanations, digest, err: bool = False) -> None:
    """Why each trend, its name and its bullets: on stdout, before the folder's line.

    With --dry-run stdout is the issue's text: then they go to stderr.

    Explanations speak of the draft; the editor's hand shows through the stable keys.
    """
    from .edits import bullet_key, trend_key

    trends = {t.key: t for t in digest.trends}
    for ex in explanations:
        kind = "configured" if ex.configured else "discovered"
        phrases = ", ".join(f"{p} ({s:.1f})" for p, s in ex.phrases[:5])
        trend = trends.get(trend_key(ex.trend))
        click.echo(f"# {ex.trend} [{kind}, {ex.articles} articles] phrases: {phrases}{_by_editor(trend)}", err=err)
        if ex.names:
            click.echo("  name candidates:", err=err)
        for name, score, why in ex.names:
            click.echo(f"    {score:6.3f}  {name}: {why}", err=err)
        bullets = {b.key: b for b in trend.bullets} if trend else {}
        for text, parts, sources in ex.bullets:
            scores = " ".join(f"{k}={v:+.2f}" for k, v in parts.items() if v)
            bullet = bullets.get(bullet_key(trend.key, text)) if trend else None
            click.echo(
                f"  - {text[:90]}{_by_editor(bullet) if trend else ''}\n      {scores}\n"
                f"      sources: {'; '.join(sources)}",
                err=err,
            )


def _by_editor(item) -> str:
    """ " (pinned by the editor)", " (dropped by the editor)" or nothing."""
    marks = ["dropped"] if item is None else [{"text": "rewritten"}.get(m, m) for m in item.edited]
    return f" ({', '.join(marks)} by the editor)" if marks else ""


@main.command()
@_config_option
def check(config_path: Path) -> None:
    """Validate the config and its templates, and report every problem at once.

    \b
    Example:
      digest check --config newsletter/sources.yaml
    """
    from .edits import check_edits
    from .render import check_templates
    from .send.advice import mail_warnings

    config = _load(config_path)
    check_templates([config.templates], config.newsletter.as_dict())
    for line in mail_warnings(config):
        warn(line)
    check_edits(config.root)
    click.echo(f"{config_path}: ok ({len(config.sources)} sources, {len(config.trends)} trends, templates render)")


@main.command()
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="The issue to send (default: the last one built).")
@click.option("--to", "to", multiple=True, metavar="ADDR", help="A test send: only to ADDR (repeatable), not recorded.")
@click.option("--dry-run", is_flag=True, help="Print the envelope and headers of each message; send nothing.")
@click.option("--force", is_flag=True, help="Send again to recipients who already got this issue.")
def send(config_path: Path, week, to: tuple[str, ...], dry_run: bool, force: bool) -> None:
    """Send the built issue to newsletter.to over SMTP (smtp: in sources.yaml), once per recipient.

    \b
    Example:
      digest send --to me@example.org     # a test send to yourself first
      digest send                         # then the last built issue to newsletter.to
    """
    from .send import send_issue

    config = _load(config_path)
    report = send_issue(
        config,
        week.label if week else None,
        to,
        force=force,
        dry_run=dry_run,
        on_sent=lambda message: click.echo(f"sent to {message.recipient}"),
    )
    for line in report.warnings:
        warn(line)
    if report.already:
        click.echo(f"{report.week}: already sent to {', '.join(report.already)} (--force sends again)", err=True)
    if dry_run:
        for message in report.planned:
            click.echo(f"MAIL FROM:<{message.sender}>\nRCPT TO:<{message.recipient}>\n{message.headers}\n")
        click.echo(
            f"dry run: {report.week} would go to {_count(len(report.planned), 'recipient')}; nothing sent", err=True
        )
        return
    if not report.sent and not report.refused:
        click.echo(f"{report.week}: nothing to send", err=True)
        return
    test = " (a test, not recorded)" if report.test else ""
    total = len(report.sent) + len(report.refused)
    click.echo(f"{report.week}: sent to {len(report.sent)} of {_count(total, 'recipient')}{test}", err=True)
    if report.refused:
        raise DigestError([f"{refused.recipient}: {refused.reason}" for refused in report.refused])


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@main.command()
@_config_option
@click.option("--vars", "show_vars", is_flag=True, help="List every template variable with its type instead.")
def templates(config_path: Path, show_vars: bool) -> None:
    """List the templates, and which are your own; or, with --vars, what templates can use.

    A file in your templates/ folder with one of these names replaces that
    part alone; the others come from digest's defaults.

    \b
    Example:
      digest templates              # which parts you override
      digest templates --vars       # digest.trends[].name  str  the trend's heading ...
    """
    if show_vars:
        from .render.reference import reference

        click.echo(reference(), nl=False)
        return
    from .render.templates import template_sources

    config = _load(config_path)
    listed = template_sources([config.templates])
    width = max(len(name) for name, _, _ in listed)
    for name, path, own in listed:
        click.echo(f"{name:{width}}  {where(path) + ' (yours)' if own else 'default'}")


def _files_in(given: Path) -> list[Path]:
    """A file stands for itself, a folder for the files in it digest reads (recursively); a warning if none."""
    from .collect.local import list_files

    found = list_files(str(given)) if given.is_dir() else [given]
    if not found:
        warn(f"{given}: no files to read in this folder (Markdown, text, HTML or news-wire)")
    return found


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--sentences", "-n", type=click.IntRange(min=1), help="How many passages (default 5).")
@click.option("--words", "-w", type=click.IntRange(min=1), help="A word budget instead of a count.")
@click.option("--query", "-q", help="Focus on a topic: a few keywords, or a topic statement.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: text, path, section, score.")
def summarize(
    files: tuple[Path, ...], sentences: int | None, words: int | None, query: str | None, as_json: bool
) -> None:
    """Summarize files as one cluster: the best passages, best first, each with its file.

    A folder stands for the files in it (Markdown, text, HTML, news-wire),
    read recursively.

    \b
    Example:
      digest summarize notes/ --words 250 --query "tool use"
    """
    from .collect.local import UnreadableFile, read_file
    from .models import Article
    from .summarize import summarize_cluster

    if sentences and words:
        raise UsageError("give --sentences or --words, not both")
    paths: dict[Path, None] = {}
    for given in files:
        paths.update(dict.fromkeys(_files_in(given)))
    articles = []
    for path in paths:
        try:
            doc = read_file(path)
        except UnreadableFile as exc:
            warn(f"{path}: {exc}")
            continue
        articles.append(
            Article(
                id=str(path),
                title=doc.title,
                source=str(path),
                blocks=doc.blocks,
                path=str(path),
                published=doc.published,
                author=doc.author,
            )
        )
    if not articles:
        raise DigestError("no readable files to summarize")
    for passage, score in summarize_cluster(articles, sentences=sentences, words=words, query=query):
        if as_json:
            click.echo(
                json.dumps(
                    {"text": passage.text, "path": passage.article_id, "section": passage.section, "score": score},
                    ensure_ascii=False,
                )
            )
        else:
            # The file last, so the passage reads first; a reader can still tell who said what.
            click.echo(f"{passage.text}  [{passage.article_id}]")


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: path, title, text, ...")
def extract(targets: tuple[str, ...], as_json: bool) -> None:
    """Print the main text of pages and documents (files, folders or URLs).

    A folder stands for the files in it (Markdown, text, HTML, news-wire),
    read recursively.

    \b
    Example:
      digest extract saved-page.html --json
      digest extract notes/
    """
    from .collect.extract import extract_target

    extracted = 0
    for given in targets:
        folder = not given.startswith(("http://", "https://")) and Path(given).is_dir()
        for target in map(str, _files_in(Path(given))) if folder else [given]:
            try:
                doc = extract_target(target)
            except DigestError as exc:
                warn(exc.message)
                continue
            extracted += 1
            if as_json:
                click.echo(json.dumps(doc, ensure_ascii=False))
            else:
                click.echo(f"# {doc['title']}\n\n{doc['text']}\n")
    if not extracted:
        raise DigestError("nothing could be extracted")


@main.command(name="collect")
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="ISO week (default: last complete week).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, with the text.")
def collect_cmd(config_path: Path, week, as_json: bool) -> None:
    """List the articles the build would use (with --json: one JSON object per line).

    A look changes nothing: it reads a scratch copy of the state file.

    \b
    Example:
      digest collect --week 2024-W17 --json
    """
    from .models import Digest
    from .pipeline import week_articles
    from .week import Week

    config = _load(config_path)
    week = week or Week.last_complete()
    collection = week_articles(config, week)
    for line in collection.warnings:
        warn(line)
    articles = collection.articles
    model = Digest(
        title=config.title, week=week.label, start=week.start, end=week.end, trends=(), articles=tuple(articles)
    ).to_dict()
    width = min(max((len(", ".join(a.sources)) for a in articles), default=0), 40)
    for article, data in zip(articles, model["articles"], strict=True):
        if as_json:
            data["text"] = article.text
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            day = article.published.date().isoformat() if article.published else "undated"
            click.echo(f"{day:10}  {_sources_label(article.sources, width):{max(width, 20)}}  {article.title}")


def _sources_label(sources: tuple[str, ...], width: int) -> str:
    """'Rust Blog, Rust Blog (mirror)', or as many whole names as fit and '+N more' (one name past `width`: cut)."""
    for shown in range(len(sources), 0, -1):
        label = ", ".join(sources[:shown]) + (f" +{len(sources) - shown} more" if shown < len(sources) else "")
        if len(label) <= width:
            return label
    more = f" +{len(sources) - 1} more" if len(sources) > 1 else ""
    return sources[0][: max(width - len(more) - 1, 1)] + "…" + more


@main.command()
@_config_option
@click.argument("articles", nargs=-1, required=True)
@click.option("--never", is_flag=True, help="Keep it out of every issue from now on, not only this one.")
def forget(config_path: Path, articles: tuple[str, ...], never: bool) -> None:
    """Take articles back out of the issue they went into: a rebuild of that week leaves them out.

    ARTICLE is an article's id as `digest collect --json` shows it (a
    feed entry's URL), or a local file's path. A later issue may take it
    (it is not used up); with --never, no issue will. Then rebuild the
    week to write the issue without it.

    \b
    Example:
      digest forget notes/draft.md && digest build --week 2024-W46
      digest forget https://example.org/post --never
    """
    import shlex

    from .collect import ids_for
    from .state import NEVER, State, writer_lock
    from .week import Week

    config = _load(config_path)
    rebuild = [] if config_path == Path("sources.yaml") else ["--config", shlex.quote(str(config_path))]
    with writer_lock(config.state, "digest forget") as stale, State(config.state) as state:
        if stale:
            warn(stale)
        unknown = []
        for given in articles:
            key = next((key for key in ids_for(given, config.root) if state.knows(key)), None)
            if key is None:
                unknown.append(given)
                continue
            issue = state.forget(key, never=never)
            if issue == NEVER:
                click.echo(f"{key}: kept out of every issue already" if never else f"{key}: let back in, new again")
                continue
            after = "kept out of every issue" if never else "a later issue may take it"
            if issue is None:
                click.echo(f"{key}: in no issue yet" + (f", {after}" if never else ""))
                continue
            click.echo(f"{key}: taken out of {issue}, {after}")
            force = [] if Week.parse(issue).has_ended() else ["--force"]  # built early: it was forced then too
            command = " ".join(["digest build", *rebuild, "--week", issue, *force])
            click.echo(f"  rebuild {issue} without it: {command}")
    if unknown:
        raise DigestError(
            [
                f"{given}: no such article in {where(config.state)} (digest collect --json lists ids)"
                for given in unknown
            ]
        )


@main.command()
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="ISO week to preview (default: last complete week).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to serve on; 0.0.0.0 shows the preview to your local network.",
)
def preview(config_path: Path, week, port: int, host: str) -> None:
    """Preview the issue in a browser studio; it rebuilds and reloads on every change.

    Desktop, mobile, dark, plaintext and JSON views, the inbox line, the
    warnings, and controls to drop, pin, move and rewrite trends and
    bullets (written to edits/<week>.yaml). Previews never use up articles:
    they build with a copy of the state file.

    \b
    Example:
      digest preview --week 2024-W46    # then open http://127.0.0.1:8000/
    """
    from .preview import serve

    _load(config_path)  # a bad config is an error line before anything starts
    shown = f"[{host}]" if ":" in host else host
    serve(
        config_path,
        week,
        port,
        host=host,
        ready=lambda bound: click.echo(f"previewing on http://{shown}:{bound}/ (Ctrl-C stops)", err=True),
    )


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Start a new newsletter folder: sources.yaml, notes/, templates/ with an example, .gitignore.

    \b
    Example:
      digest init my-newsletter && cd my-newsletter && digest build
    """
    from .scaffold import scaffold

    for path in scaffold(folder):
        click.echo(str(path))
    click.echo(
        "The email's templates are digest's defaults; to change one part, see "
        "templates/footer.mjml.j2.example (`digest templates` lists the parts).",
        err=True,
    )
