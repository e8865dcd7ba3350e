"""The template variables, every one with its type: `digest templates --vars` and docs/template-variables.md.

The names and types are not written by hand: they are read off the context
that `context()` builds for an issue holding one of every kind of thing (a
feed article and a local file, a failed source, a warning), so a field added
to the model shows up here at once. Only the descriptions are written here;
a variable without one is listed as undocumented, which a test does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from ..models import Article, Block, Brief, Bullet, Citation, Digest, SourceStats, Trend
from .context import context

DESCRIPTIONS = {
    "digest": "the issue: exactly the model digest.json holds",
    "digest.title": "the newsletter's title",
    "digest.week": 'the ISO week, "2024-W17"',
    "digest.start": 'its Monday, ISO date "2024-04-22"',
    "digest.end": "its Sunday, ISO date",
    "digest.newsletter": "`newsletter:` of sources.yaml as written (see `newsletter` for it filled in)",
    "digest.note": 'the editor\'s note, `note:` of edits/<week>.yaml ("" without one)',
    "digest.edits": "what the editor's edits/<week>.yaml changed, one line each (empty without one)",
    "digest.trends": "the week's trends, in the order of the email",
    "digest.trends[].key": "stable across rebuilds of the week: what edits/<week>.yaml names the trend by",
    "digest.trends[].name": "the trend's heading",
    "digest.trends[].edited": "what the editor changed: pinned, renamed, moved (empty: the machine's draft)",
    "digest.trends[].configured": "true for a trend named in sources.yaml, false for one discovered",
    "digest.trends[].keywords": "its keywords from sources.yaml (empty for a discovered trend)",
    "digest.trends[].momentum": "new | rising | steady | fading, against earlier issues",
    "digest.trends[].articles": "the ids of its articles",
    "digest.trends[].bullets": "its key points, best first",
    "digest.trends[].bullets[].key": "stable across rebuilds: what edits/<week>.yaml names the bullet by",
    "digest.trends[].bullets[].text": "the bullet's sentence",
    "digest.trends[].bullets[].edited": "what the editor changed: text, moved (empty: the machine's draft)",
    "digest.trends[].bullets[].sources": "the articles that say it",
    "digest.trends[].bullets[].sources[].title": "the article's title",
    "digest.trends[].bullets[].sources[].url": "its link; none for a local file",
    "digest.trends[].bullets[].sources[].source": "the name of its source",
    "digest.trends[].bullets[].sources[].article": "its id (digest.articles[].id)",
    "digest.also": '"Also this week": the stories told by one source or past max_trends, one line each',
    "digest.also[].title": "the story's headline (its trend's name when it was a trend past max_trends)",
    "digest.also[].text": 'its best sentence ("" when it has none)',
    "digest.also[].url": "the link of the article that says it; none for a local file",
    "digest.also[].source": "the name of that article's source",
    "digest.also[].articles": "the ids of all the story's articles (digest.articles[].id)",
    "digest.articles": "every article of the issue",
    "digest.articles[].id": "stable across runs: the canonical URL, or file: and the path",
    "digest.articles[].title": "its title",
    "digest.articles[].url": "its link; none for a local file",
    "digest.articles[].path": "its file, relative to sources.yaml; none for a feed entry",
    "digest.articles[].source": "the name of the source it was read from",
    "digest.articles[].sources": "every source that carried it, that one first",
    "digest.articles[].published": "when it was published, ISO date and time; none when unknown",
    "digest.articles[].author": "its author; none when unknown",
    "digest.articles[].tags": "its tags or categories",
    "digest.articles[].words": "its length in words",
    "digest.warnings": "what went wrong but did not stop the build, one line each",
    "digest.stats": "counts",
    "digest.stats.articles": "how many articles the issue holds",
    "digest.stats.sources": "one per configured source",
    "digest.stats.sources[].name": "its name",
    "digest.stats.sources[].feed": "its feed URL or file (feeds only)",
    "digest.stats.sources[].path": "its folder or glob (local sources only)",
    "digest.stats.sources[].status": "ok | empty | failed | not-modified",
    "digest.stats.sources[].entries": "how many entries it held when read",
    "digest.stats.sources[].used": "how many went into this issue",
    "digest.stats.sources[].error": "why it failed; none when it did not",
    "preview": "true only in `digest preview`: mark trends and bullets for its controls; false in the email",
    "newsletter": "`newsletter:` of sources.yaml with every optional key filled in, plus any key of your own",
    "newsletter.title": "the newsletter's title",
    "newsletter.description": 'its one-line description ("" without one)',
    "newsletter.url": 'where issues are published, without a trailing slash ("" without one)',
    "newsletter.from": "the From: address",
    "newsletter.to": "the To: address",
    "newsletter.reply_to": 'the Reply-To: address ("" without one)',
    "newsletter.list_id": "the List-Id: header, made from the title and the From: domain unless set",
    "newsletter.unsubscribe_url": 'the unsubscribe link, else a mailto to unsubscribe_mailto or from ("" with neither)',
    "issue": "ready-made strings for this issue",
    "issue.week_number": "the week's number, 17",
    "issue.dates": '"April 22–28, 2024"',
    "issue.view_url": 'the issue on newsletter.url ("" without one)',
    "issue.articles": "how many articles",
    "issue.sources": "how many sources they came from",
    "issue.trends": "how many trends",
    "issue.intro": '"12 articles from 5 sources, in 6 trends."',
    "issue.subject": "the Subject: line (subject.txt.j2)",
    "issue.preheader": "the inbox preview line (preheader.txt.j2)",
    "issue.online": "None, or what moved to the web version when the email was cut to fit an inbox: "
    "{url, bullets, articles, moved}",
}

# Set after the context is built: render_issue fills it in when the email is cut to fit an inbox.
LATER_KINDS = {"issue.online": {"dict"}}

# What the context holds besides data: the same in every issue, so written out.
HELPERS = (
    ("ref(url)", "function", 'plaintext only: "[n]", the number of url in the links list'),
    ("links", "list[(int, str)]", "plaintext only: the (n, url) pairs numbered so far; loop over it last"),
    ("value | day", "filter", '"April 23, 2024"; day("short"): "Apr 23"; takes the ISO strings above'),
    ("span(start, end)", "filter", '"April 22–28, 2024"'),
    ("trend", "dict", "in trend.*.j2 and the trend block: one of digest.trends"),
    ("bullet", "dict", "in bullet.*.j2: one of trend.bullets"),
)


@dataclass(frozen=True, slots=True)
class Variable:
    """One name a template can use, its type, and what it holds."""

    name: str
    type: str
    description: str


def variables() -> list[Variable]:
    """Every variable of the context, in the order of the model, with its type."""
    shapes: dict[str, set[str]] = {}
    items: dict[str, set[str]] = {}  # the kinds of what each list holds, over every list of that name
    for key, value in context(_one_of_each()).items():
        _walk(key, value, shapes, items)
    return [
        Variable(
            name, _type(name, kinds | LATER_KINDS.get(name, set()), items), DESCRIPTIONS.get(name, "(undocumented)")
        )
        for name, kinds in shapes.items()
        if not name.endswith("[]")
    ]


def reference() -> str:
    """The reference as text: `digest templates --vars` prints it, docs/template-variables.md holds it."""
    rows = [(v.name, v.type, v.description) for v in variables()] + [("", "", "")] + list(HELPERS)
    width = max(len(name) for name, _, _ in rows)
    kinds = max(len(kind) for _, kind, _ in rows)
    lines = ["Template variables (every template sees digest, preview, newsletter and issue)", ""]
    lines += [f"{name:{width}}  {kind:{kinds}}  {text}".rstrip() for name, kind, text in rows]
    return "\n".join(lines) + "\n"


def _walk(name: str, value: Any, shapes: dict[str, set[str]], items: dict[str, set[str]]) -> None:
    shapes.setdefault(name, set()).add(_kind(value))
    if isinstance(value, dict) and name != "digest.newsletter":  # the editor's own settings: documented as one
        for key, item in value.items():
            _walk(f"{name}.{key}", item, shapes, items)
    elif isinstance(value, list):
        items.setdefault(name, set())
        for item in value:
            items[name].add(_kind(item))
            _walk(f"{name}[]", item, shapes, items)


def _type(name: str, kinds: set[str], items: dict[str, set[str]]) -> str:
    if items.get(name):
        kinds = {f"list[{' | '.join(sorted(items[name], key=_type_order))}]"} | (kinds - {"list"})
    return " | ".join(sorted(kinds, key=_type_order))


def _kind(value: Any) -> str:
    if value is None:
        return "none"
    return {bool: "bool", int: "int", float: "float", str: "str", dict: "dict", list: "list"}.get(type(value), "any")


def _type_order(kind: str) -> tuple[bool, str]:
    return kind == "none", kind


def _one_of_each() -> Digest:
    """An issue with each kind of article, source and value, so every variable and type appears."""
    feed = Article(
        id="https://example.org/a",
        title="A feed article",
        source="Blog",
        url="https://example.org/a",
        blocks=(Block("paragraph", "Text."),),
        published=datetime(2024, 4, 23, tzinfo=timezone.utc),
        author="A. Writer",
        tags=("news",),
        also_sources=("Other blog",),
    )
    local = Article(
        id="file:notes/b.md", title="A note", source="Notes", path="notes/b.md", blocks=(Block("paragraph", "Text."),)
    )
    bullet = Bullet(
        text="A key point.",
        sources=(
            Citation(feed.id, feed.title, feed.url, feed.source),
            Citation(local.id, local.title, None, local.source),
        ),
        key="0a1b2c3d",
        edited=("text",),
    )
    trend = Trend(
        name="A trend",
        bullets=(bullet,),
        article_ids=(feed.id, local.id),
        configured=True,
        keywords=("point",),
        momentum="rising",
        key="a-trend",
        edited=("pinned",),
    )
    return Digest(
        title="Weekly",
        week="2024-W17",
        start=date(2024, 4, 22),
        end=date(2024, 4, 28),
        trends=(trend,),
        articles=(feed, local),
        warnings=("Blog: 404",),
        newsletter={"title": "Weekly"},
        also=(
            Brief("A story", "What it says.", feed.url, feed.source, (feed.id,)),
            Brief("A note's story", "", None, local.source, (local.id,)),
        ),
        note="A word from the editor.",
        edits=("pinned trend 'A trend'",),
        sources=(
            SourceStats("Blog", "feed", "https://example.org/feed.xml", "ok", 3, 1),
            SourceStats("Notes", "path", "notes/", "failed", 0, 0, error="no files"),
        ),
    )
