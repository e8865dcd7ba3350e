"""The renderer: a Digest into HTML (Jinja2 + MJML), plaintext and a .eml.

Both templates get the same variables (see `context`): `digest`, the very
model `digest.json` holds, plus the `newsletter` settings and `issue` strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Digest
from .archive import archive_files, archive_page, entry
from .budget import BUDGET, GMAIL_CLIP, Fitted, fit
from .context import context, newsletter_settings, settings_for
from .eml import build_eml, no_unsubscribe_warning
from .eml import mail_headers as _mail_headers
from .html import compile_mjml
from .output import write_files, write_issue
from .templates import TemplateError, environment, render, template_files
from .text import References, wrap
from .validate import InvalidTemplate, ensure_valid

HTML_TEMPLATE = "digest.mjml.j2"
TEXT_TEMPLATE = "digest.txt.j2"
WEB_PAGE = "web.html"  # the whole issue, beside digest.html, when the email had to leave some out
# The settings the default templates write into the email itself, not only into its headers.
BODY_SETTINGS = ("title", "description", "url", "unsubscribe_url")


@dataclass(frozen=True, slots=True)
class Rendered:
    """The three faces of one issue: a web page, a text, a ready-to-send message."""

    html: str
    text: str
    eml: bytes
    web: str | None = None  # the whole issue as a web page, when `html` is cut to fit an inbox
    warnings: tuple[str, ...] = ()


def render_issue(
    digest: Digest,
    template_dirs: Sequence[Path] = (),
    *,
    validate: bool = True,
    budget: int = BUDGET,
    preview: bool = False,
) -> Rendered:
    """Render one issue with the newsletter's templates (`template_dirs`) over the defaults.

    With `validate`, MJML that breaks MJML's rules stops here (InvalidTemplate,
    every problem at its template line) before anything is written. The HTML
    stays under `budget` bytes: what does not fit moves to the web version (`Rendered.web`).
    `preview` is `digest preview`'s render alone: the templates mark trends and bullets for its controls.
    """
    model = context(digest, template_dirs, preview)
    env = environment(template_dirs, html=True)
    if validate:
        ensure_valid(template_dirs, HTML_TEMPLATE, model)

    def compile_html(variables: dict) -> str:
        return compile_mjml(render(env, HTML_TEMPLATE, **variables), template_files(env, HTML_TEMPLATE))

    full = compile_html(model)
    base = model["newsletter"]["url"]
    fitted = fit(model, compile_html, f"{base}/{digest.week}/{WEB_PAGE}" if base else "", budget, full=full)
    html = fitted.html
    warnings = _budget_warnings(fitted, len(full.encode("utf-8")), bool(base), budget)
    links = References()
    text = wrap(render(environment(template_dirs, html=False), TEXT_TEMPLATE, ref=links, links=links, **model))
    settings = newsletter_settings(digest)
    eml = build_eml(digest, model["issue"]["subject"], text, html, settings)
    warnings += tuple(filter(None, [no_unsubscribe_warning(settings)]))
    return Rendered(html=html, text=text, eml=eml, web=full if fitted.moved else None, warnings=warnings)


def mail_headers(newsletter: Mapping[str, Any], title: str = "") -> dict[str, str]:
    """From, Reply-To, To, List-Id and List-Unsubscribe(-Post) for `newsletter:` as the config gives it."""
    return _mail_headers(settings_for(newsletter, title))


def changed_in_body(built: Mapping[str, Any], current: Mapping[str, Any], title: str = "") -> list[str]:
    """The settings the email's text shows (BODY_SETTINGS) that differ between `built` and `current`."""
    before, now = settings_for(built, title), settings_for(current, title)
    return [key for key in BODY_SETTINGS if before[key] != now[key]]


def _budget_warnings(fitted: Fitted, full: int, linked: bool, budget: int) -> tuple[str, ...]:
    if not fitted.moved:
        return ()
    parts = (_count(fitted.bullets, "bullet"), _count(fitted.articles, "reading-list article"))
    what = " and ".join(part for part in parts if not part.startswith("0 "))
    where = f"the full issue is {WEB_PAGE}" + ("" if linked else " (set newsletter.url to link it)")
    lines = [
        f"the email's HTML would be {full // 1024} KB, over its {budget // 1024} KB budget (Gmail clips at "
        f"{GMAIL_CLIP // 1024} KB): {what} moved to the web version; {where}"
    ]
    if fitted.over:
        lines.append(f"email still over {budget // 1024} KB with everything movable moved: shorten the templates")
    return tuple(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def check_templates(template_dirs: Sequence[Path], newsletter: dict | None = None) -> None:
    """Render small made-up issues and the archive, so `digest check` finds a template error before Monday's build.

    Three issues, so that both sides of the templates' usual {% if %}s are
    rendered and validated: a plain one, a full one (links, dates, authors,
    a local file, a newsletter URL, an editor's note and edits) and one without trends;
    each as the email and as `digest preview` renders it (`preview`: its data-* hooks).
    """
    problems: list[str] = []
    for digest in made_up_issues(newsletter):
        for preview in (False, True):
            try:
                render_issue(digest, template_dirs, preview=preview)
            except InvalidTemplate as exc:
                problems += [line for line in exc.lines if line not in problems]
    if problems:
        raise InvalidTemplate(problems)
    digest = made_up_issue(newsletter)
    settings = newsletter_settings(digest)
    archive_page(settings, [entry(digest.to_dict(), settings)], template_dirs)


def made_up_issue(newsletter: dict | None = None) -> Digest:
    """An issue with one of everything the templates show: what `check` (and the validator's benchmark) render."""
    from datetime import date

    from ..models import Article, Block, Bullet, Citation, SourceStats, Trend

    article = Article(
        id="check",
        title="A checked article",
        source="Check",
        blocks=(Block("paragraph", "Text."),),
        url="https://example.org/check",
    )
    bullet = Bullet(
        text="A bullet that cites its source.", sources=(Citation("check", article.title, article.url, article.source),)
    )
    trend = Trend(name="A trend", bullets=(bullet,), article_ids=("check",), configured=True, keywords=("trend",))
    return Digest(
        title=(newsletter or {}).get("title", "Check"),
        week="2024-W01",
        start=date(2024, 1, 1),
        end=date(2024, 1, 7),
        trends=(trend,),
        articles=(article,),
        sources=(SourceStats("Check", "feed", article.url or "", "ok", 1, 1),),
        newsletter=dict(newsletter or {}),
    )


def made_up_issues(newsletter: dict | None = None) -> list[Digest]:
    """The plain made-up issue, a full one (four trends, every momentum, longer lists) and one without trends."""
    from datetime import datetime, timezone

    from ..models import Article, Block, Bullet, Citation, SourceStats, Trend, replace

    plain = made_up_issue(newsletter)
    settings = dict(newsletter or {})
    settings.setdefault("url", "https://example.org/issues")
    settings.setdefault("description", "A made-up issue.")
    feed = replace(
        plain.articles[0],
        published=datetime(2024, 1, 2, tzinfo=timezone.utc),
        author="A. Writer",
        also_sources=("Elsewhere",),
        tags=("check",),
    )
    local = Article(
        id="file:notes/check.md",
        title="A checked note",
        source="Notes",
        path="notes/check.md",
        blocks=(Block("paragraph", "Text."),),
    )
    cites = (Citation(feed.id, feed.title, feed.url, feed.source), Citation(local.id, local.title, None, local.source))
    trends = (
        replace(
            plain.trends[0],
            momentum="rising",
            key="a-trend",
            edited=("pinned",),
            bullets=(
                Bullet("A bullet citing two sources.", cites, key="0a1b2c3d", edited=("text",)),
                Bullet("Another.", cites[1:]),
            ),
        ),
        Trend(
            name="Another trend",
            bullets=(Bullet("A bullet of a note.", cites[1:]),),
            article_ids=(local.id,),
            configured=False,
            momentum="fading",
        ),
        *(
            Trend(
                name=f"Trend {n}",
                bullets=(Bullet(f"Bullet {n}.", cites[:1]),) * n,
                article_ids=(feed.id,),
                configured=False,
                momentum="steady",
            )
            for n in (3, 4)
        ),
    )
    full = replace(
        plain,
        trends=trends,
        articles=(feed, local),
        newsletter=settings,
        warnings=("Check: a warning",),
        note="A word from the editor.",
        edits=("pinned trend 'A trend'",),
        sources=(*plain.sources, SourceStats("Notes", "path", "notes/", "failed", 0, 0, "no files")),
    )
    return [plain, full, replace(plain, trends=())]


__all__ = [
    "WEB_PAGE",
    "InvalidTemplate",
    "Rendered",
    "TemplateError",
    "archive_files",
    "changed_in_body",
    "check_templates",
    "mail_headers",
    "newsletter_settings",
    "no_unsubscribe_warning",
    "render_issue",
    "write_files",
    "write_issue",
]
