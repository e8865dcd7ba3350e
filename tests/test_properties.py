"""Every reader takes whatever it is given: random bytes and random documents never raise.

Property-based (hypothesis): each reader gets random bytes, and random
documents of its own kind (front matter, HTML, feed XML, JSON Feed, the
config's YAML) with control characters, entities, aliases and deep nesting
mixed in. They must return (or, for the config, fail with a ConfigError
line), never raise anything else, hand on only text an email can carry, and
stay within a time bound (hypothesis' deadline) and a memory bound (the
process's peak RSS over the whole module).
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.collect.clean import clean_article, escaped
from digest.collect.feed import parse_feed
from digest.collect.frontmatter import split_front_matter
from digest.collect.html import html_to_blocks
from digest.collect.local import UnreadableFile, read_file, read_html_bytes, read_local
from digest.config import TOP_KEYS, ConfigError, load_config
from digest.models import Article

# CI runs the same 100 examples a test every time; DIGEST_EXAMPLES=5000 explores anew, for a longer look.
EXAMPLES = int(os.environ.get("DIGEST_EXAMPLES", "0")) or None
BOUNDED = settings(
    max_examples=EXAMPLES or 100,
    derandomize=EXAMPLES is None,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MEMORY_MB = 400  # the most this module may add to the process's peak RSS

# Text as hostile files carry it: mostly words, with what XML, HTML and YAML choke on mixed in.
NASTY = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x0b",
        "\x0c",
        "\x1b[31m",
        "\x7f",
        "\x85",
        "\ud800",
        "\udce9",
        "\ufffe",
        "\uffff",
        "&",
        "&amp;",
        "&big;",
        "&#1;",
        "&#xD800;",
        "<",
        ">",
        "]]>",
        "<!--",
        "*a",
        "&a ",
        "---",
        "+++",
        ":",
        "- ",
        "\t",
        "\r",
        "\n\n",
        "{",
        "[",
        "'",
        '"',
        "\\",
    ]
)
WORDS = st.sampled_from(
    [
        "agents",
        "tool use",
        "small models",
        "quantization",
        "The week",
        "Title",
        "2024-11-12",
        "Nov 12, 2024",
        "By Jo Park",
        "café",
        "日本語",
        "emoji 🎉",
        " ",
        "\n",
    ]
)
TEXT = st.lists(st.one_of(WORDS, NASTY, st.text(max_size=8)), max_size=30).map("".join)


def _carriable(text: str) -> bool:
    return escaped(text) == text


def _assert_carriable(article: Article) -> None:
    for text in (article.id, article.title, article.author or "", *article.tags, *(b.text for b in article.blocks)):
        assert _carriable(text), repr(text)


@pytest.fixture(scope="module", autouse=True)
def memory_bound():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown < MEMORY_MB, f"the readers grew the peak memory by {grown:.0f} MB"


# --- Local files -------------------------------------------------------------


@BOUNDED
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".md", ".txt", ".html", ".xhtml", "", ".0117"]))
def test_any_bytes_in_a_local_file_are_read_or_refused_in_words(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"note{suffix}"
        path.write_bytes(data)
        try:
            doc = read_file(path)
        except UnreadableFile as exc:
            assert str(exc) and "\n" not in str(exc)
            return
        assert doc.title


FRONT_VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "&a [1, 2]",
            "*a",
            "[*a, *a]",
            "{x: *a}",
            "!!python/object:os.system",
            "[" * 200,
            "2024-11-12",
            "[agents, tools]",
            "'unclosed",
        ]
    ),
)


@st.composite
def front_matter_notes(draw) -> str:
    fence = draw(st.sampled_from(["---", "+++", ""]))
    keys = draw(st.lists(st.sampled_from(["title", "date", "tags", "author", "lol", "x", "Title"]), max_size=6))
    lines = [f"{key}: {draw(FRONT_VALUES)}" if fence != "+++" else f"{key} = {draw(FRONT_VALUES)}" for key in keys]
    close = draw(st.sampled_from([fence, "...", ""]))
    return "\n".join([fence, *lines, close, "", draw(TEXT), "", f"- {draw(TEXT)}", draw(TEXT)])


@BOUNDED
@given(text=front_matter_notes())
def test_front_matter_of_any_shape_never_raises(text: str):
    meta, body, problem = split_front_matter(text)
    assert isinstance(meta, dict) and isinstance(body, str)
    assert problem is None or "\n" not in problem


@BOUNDED
@given(text=front_matter_notes(), suffix=st.sampled_from([".md", ".txt"]))
def test_notes_reach_the_issue_only_as_carriable_text(text: str, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / f"note{suffix}").write_text(text, encoding="utf-8", errors="surrogatepass")
        articles, warnings = read_local("Notes", folder, root)
    assert len(articles) + len(warnings) >= 1
    for article in articles:
        _assert_carriable(article)
    assert all("\n" not in w for w in warnings)


# --- HTML --------------------------------------------------------------------

TAGS = st.sampled_from(
    [
        "p",
        "div",
        "h1",
        "h2",
        "ul",
        "li",
        "article",
        "main",
        "script",
        "table",
        "td",
        "span",
        "a",
        "br",
        "nav",
        "time",
        "meta",
        "title",
        "head",
        "body",
        "html",
        "!DOCTYPE html",
    ]
)


def _html(children) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, inner, attr: f"<{tag}{attr}>{inner}</{tag.split()[0]}>",
        TAGS,
        st.lists(children, max_size=4).map("".join),
        st.sampled_from(
            [
                "",
                ' class="share"',
                " hidden",
                ' style="display:none"',
                ' id="x"',
                ' content="2024-11-12"',
                ' name="author" content="Jo"',
            ]
        ),
    )


HTML = st.recursive(TEXT, _html, max_leaves=25)


@BOUNDED
@given(
    html=HTML,
    prefix=st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE html>", '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>']),
)
def test_html_of_any_shape_never_raises(html: str, prefix: str):
    html_to_blocks(prefix + html)
    try:
        doc = read_html_bytes((prefix + html).encode("utf-8", errors="surrogatepass"), "page.html")
    except UnreadableFile:
        return
    _assert_carriable(clean_article(Article(id="x", title=doc.title, source="S", blocks=doc.blocks)))


# --- Feeds -------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;") if len(text) % 3 else text  # some escaped, some raw


@st.composite
def feed_documents(draw) -> bytes:
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    entity = draw(
        st.sampled_from(
            [
                "",
                '<!ENTITY a "x">',
                '<!ENTITY big "' + "y" * 3000 + '">',
                '<!ENTITY e SYSTEM "file:///etc/passwd">',
                '<!ENTITY % p "q"> %p;',
                '<!ENTITY a "&b;"><!ENTITY b "&a;">',
                '<!ENTITY q "]>">',
            ]
        )
    )
    doctype = f"<!DOCTYPE {kind} [{entity}]>" if entity else ""
    refs = draw(st.sampled_from(["", "&a;", "&big;" * 200, "&e;", "&nbsp;", "&#1;", "&#x41;"]))
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, body = _xml_text(draw(TEXT)), draw(st.one_of(HTML, TEXT))
        wrapped = f"<![CDATA[{body}]]>" if draw(st.booleans()) else _xml_text(body)
        date = draw(st.sampled_from(["Tue, 12 Nov 2024 10:00:00 GMT", "2024-11-12T10:00:00Z", "yesterday", ""]))
        if kind == "atom":
            entries.append(
                f"<entry><title>{title}{refs}</title><link href='https://e.example.org/{len(entries)}'/>"
                f"<updated>{date}</updated><content type='html'>{wrapped}{refs}</content></entry>"
            )
        else:
            entries.append(
                f"<item><title>{title}</title><link>https://e.example.org/{len(entries)}</link>"
                f"<pubDate>{date}</pubDate><description>{wrapped}{refs}</description></item>"
            )
    if kind == "atom":
        body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{"".join(entries)}</feed>'
    elif kind == "rdf":
        body = (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
            f"<channel><title>F</title></channel>{''.join(entries)}</rdf:RDF>"
        )
    else:
        body = f'<rss version="2.0"><channel><title>F</title>{"".join(entries)}</channel></rss>'
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "iso-8859-1", "windows-1252"]))
    text = f'<?xml version="1.0" encoding="{encoding}"?>\n{doctype}\n{body}'
    cut = draw(st.one_of(st.none(), st.integers(0, len(text))))  # some feeds arrive truncated
    return text[:cut].encode(encoding, errors="replace")


@BOUNDED
@given(data=feed_documents())
def test_feed_xml_of_any_shape_never_raises_and_never_expands_much(data: bytes):
    read = parse_feed("F", data, base_url="https://e.example.org/feed.xml")
    size = sum(len(b.text) for a in read.articles for b in a.blocks) + sum(len(a.title) for a in read.articles)
    assert size <= 4 * len(data) + 1000  # entities substitute short values at most
    for article in read.articles:
        _assert_carriable(article)
    assert all("\n" not in w for w in read.warnings)


@BOUNDED
@given(
    data=st.binary(max_size=4096),
    start=st.sampled_from(
        [b"", b"<?xml version='1.0'?><rss>", b"{", b"\xef\xbb\xbf", b"\xff\xfe", b'<!DOCTYPE rss [<!ENTITY a "b">]>']
    ),
)
def test_any_bytes_as_a_feed_never_raise(data: bytes, start: bytes):
    read = parse_feed("F", start + data, base_url=None)
    assert read.error is None or "\n" not in read.error


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)
JSON_ITEMS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUES,
        "url": st.one_of(JSON_VALUES, st.just("https://e.example.org/1")),
        "title": JSON_VALUES,
        "content_html": st.one_of(HTML, JSON_VALUES),
        "content_text": JSON_VALUES,
        "summary": JSON_VALUES,
        "author": JSON_VALUES,
        "authors": JSON_VALUES,
        "tags": JSON_VALUES,
        "date_published": JSON_VALUES,
        "date_modified": JSON_VALUES,
        "external_url": JSON_VALUES,
    },
)


@BOUNDED
@given(items=st.one_of(st.lists(st.one_of(JSON_ITEMS, JSON_VALUES), max_size=4), JSON_VALUES))
def test_json_feeds_of_any_shape_never_raise(items):
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": items})
    read = parse_feed("F", data.encode("utf-8", errors="surrogatepass"), base_url=None)
    for article in read.articles:
        _assert_carriable(article)


# --- The config --------------------------------------------------------------

CONFIG_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5000)
    | TEXT
    | st.sampled_from(["notes/", "https://e.example.org/feed.xml", "feed.xml", "*a", "&a x", "[" * 100]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "path", "feed", "keywords", "title", "from", "url", "timeout", "fulltext", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)
# Every key the config knows, and one it does not.
CONFIGS = st.fixed_dictionaries({}, optional={key: CONFIG_VALUES for key in (*sorted(TOP_KEYS), "unknown")})


@BOUNDED
@given(config=CONFIGS, raw=st.one_of(st.none(), TEXT))
def test_any_config_loads_or_fails_with_error_lines(config: dict, raw: str | None):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sources.yaml"
        (Path(folder) / "notes").mkdir()
        text = raw if raw is not None else yaml.safe_dump(config, allow_unicode=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_config(path)
        except ConfigError as exc:
            assert exc.lines and all(line and "\n" not in line for line in exc.lines)
