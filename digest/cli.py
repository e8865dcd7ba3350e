"""The `digest` command: click declarations only, heavy imports inside commands."""
from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import DigestError, UsageError, warn, where

CONFIG_HELP = "The newsletter's config file (default: ./sources.yaml)."


def _config_option(f):
    return click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        default="sources.yaml", show_default=False, help=CONFIG_HELP)(f)


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

    config = load_config(config_path)
    for line in config.warnings:
        warn(line)
    return config


class DigestGroup(click.Group):
    """Click's group, with click's own usage errors as one `error:` line too."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
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
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), help="Folder for issues (default: from the config).")
@click.option("--explain", is_flag=True, help="Print why each trend and bullet was chosen.")
@click.option("--strict", is_flag=True, help="Exit 1 when there were warnings.")
@click.option("--verbose", "-v", is_flag=True, help="Show how long each feed took.")
def build(config_path: Path, week, output: Path | None, explain: bool, strict: bool, verbose: bool) -> None:
    """Build one issue and print its folder.

    \b
    Example:
      digest build --week 2024-W17
    """
    from .pipeline import build as run_build

    config = _load(config_path)
    feeds = sum(1 for s in config.sources if s.kind == "feed" and s.is_url)
    with _progress(feeds) as progress:
        result = run_build(config, week=week, output=output, progress=progress)
    if verbose:
        for fetched in sorted(result.fetched, key=lambda f: -f.seconds):
            click.echo(f"{fetched.seconds:6.2f} s  {fetched.status:12} {fetched.url}", err=True)
    for line in result.warnings:
        warn(line)
    terminal = sys.stderr.isatty()  # cron reads warnings and errors only
    if result.feeds and (terminal or any(f.status == "failed" for f in result.fetched)):
        click.echo(result.feeds, err=True)
    if result.folder is None:
        click.echo(f"nothing new for {result.week}: no issue written", err=True)
    else:
        if explain:
            _print_explanations(result.explanations)
        if terminal:
            click.echo(f"{result.week}: {len(result.digest.articles)} articles, {len(result.digest.trends)} trends",
                       err=True)
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


def _print_explanations(explanations) -> None:
    """Why each trend, its name and its bullets: on stdout, before the folder's line."""
    for ex in explanations:
        kind = "configured" if ex.configured else "discovered"
        phrases = ", ".join(f"{p} ({s:.1f})" for p, s in ex.phrases[:5])
        click.echo(f"# {ex.trend} [{kind}, {ex.articles} articles] phrases: {phrases}")
        if ex.names:
            click.echo("  name candidates:")
        for name, score, why in ex.names:
            click.echo(f"    {score:6.3f}  {name}: {why}")
        for text, parts, sources in ex.bullets:
            scores = " ".join(f"{k}={v:+.2f}" for k, v in parts.items() if v)
            click.echo(f"  - {text[:90]}\n      {scores}\n      sources: {'; '.join(sources)}")


@main.command()
@_config_option
def check(config_path: Path) -> None:
    """Validate the config and its templates, and report every problem at once.

    \b
    Example:
      digest check --config newsletter/sources.yaml
    """
    from .render import check_templates

    config = _load(config_path)
    check_templates([config.templates], config.newsletter)
    click.echo(f"{config_path}: ok ({len(config.sources)} sources, {len(config.trends)} trends, templates render)")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sentences", "-n", type=click.IntRange(min=1), help="How many passages (default 5).")
@click.option("--words", "-w", type=click.IntRange(min=1), help="A word budget instead of a count.")
@click.option("--query", "-q", help="Focus on a topic, like a configured trend's keywords.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def summarize(files: tuple[Path, ...], sentences: int | None, words: int | None, query: str | None, as_json: bool) -> None:
    """Summarize files as one cluster: the best passages, best first.

    \b
    Example:
      digest summarize notes/*.md --sentences 5
    """
    from .collect.local import UnreadableFile, read_file
    from .models import Article
    from .summarize import summarize_cluster

    if sentences and words:
        raise UsageError("give --sentences or --words, not both")
    articles = []
    for path in files:
        try:
            doc = read_file(path)
        except UnreadableFile as exc:
            warn(f"{path}: {exc}")
            continue
        articles.append(Article(id=str(path), title=doc.title, source=str(path), blocks=doc.blocks, path=str(path)))
    if not articles:
        raise DigestError("no readable files to summarize")
    for passage, score in summarize_cluster(articles, sentences=sentences, words=words, query=query):
        if as_json:
            click.echo(json.dumps({"text": passage.text, "path": passage.article_id, "section": passage.section,
                                   "score": score}, ensure_ascii=False))
        else:
            click.echo(passage.text)


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: path, title, text, ...")
def extract(targets: tuple[str, ...], as_json: bool) -> None:
    """Print the main text of pages and documents (files or URLs).

    \b
    Example:
      digest extract saved-page.html --json
    """
    from .collect.extract import extract_target

    failed = 0
    for target in targets:
        try:
            doc = extract_target(target)
        except DigestError as exc:
            warn(exc.message)
            failed += 1
            continue
        if as_json:
            click.echo(json.dumps(doc, ensure_ascii=False))
        else:
            click.echo(f"# {doc['title']}\n\n{doc['text']}\n")
    if failed == len(targets):
        raise DigestError("nothing could be extracted")


@main.command(name="collect")
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="ISO week (default: last complete week).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, with the text.")
def collect_cmd(config_path: Path, week, as_json: bool) -> None:
    """List the articles the build would use (with --json: one JSON object per line).

    \b
    Example:
      digest collect --week 2024-W17 --json
    """
    from .models import Digest
    from .pipeline import week_articles
    from .state import State
    from .week import Week

    config = _load(config_path)
    week = week or Week.last_complete()
    with State(config.state) as state:
        articles, _, warnings = week_articles(config, state, week)
    for line in warnings:
        warn(line)
    model = Digest(title=config.title, week=week.label, start=week.start, end=week.end, trends=(),
                   articles=tuple(articles)).to_dict()
    for article, data in zip(articles, model["articles"]):
        if as_json:
            data["text"] = article.text
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            day = article.published.date().isoformat() if article.published else "undated"
            click.echo(f"{day:10}  {', '.join(article.sources)[:20]:20}  {article.title}")


@main.command()
@_config_option
@click.option("--week", callback=_week, metavar="YYYY-Www", help="ISO week to preview (default: last complete week).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True)
def preview(config_path: Path, week, port: int) -> None:
    """Preview the issue in a browser; it rebuilds and reloads on every change.

    Previews never use up articles: they build with a copy of the state file.

    \b
    Example:
      digest preview --week 2024-W46    # then open http://127.0.0.1:8000/
    """
    from .preview import serve

    _load(config_path)  # a bad config is an error line before anything starts
    try:
        serve(config_path, week, port,
              ready=lambda bound: click.echo(f"previewing on http://127.0.0.1:{bound}/ (Ctrl-C stops)", err=True))
    except OSError as exc:
        raise DigestError(f"port {port}: cannot serve the preview ({exc.strerror or exc})") from None


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Start a new newsletter folder: sources.yaml, templates/, notes/.

    \b
    Example:
      digest init my-newsletter && cd my-newsletter && digest build
    """
    from .scaffold import scaffold

    for path in scaffold(folder):
        click.echo(str(path))


def run() -> None:  # pragma: no cover - console entry for `python -m digest`
    main(prog_name="digest")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
