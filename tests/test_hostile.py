"""Hostile input, one fixture per class: the build finishes, within its limits, and says what was wrong.

Each case builds a small newsletter with `digest build` in a child process
bounded in time (`timeout=`) and address space (RLIMIT_AS): a YAML alias
bomb in sources.yaml and in a note's front matter, a feed that references
one 4 KB entity 10,000 times, control characters in a note, a file name
that is not UTF-8. The fixtures are in tests/fixtures/hostile/, each with
its expectation written at its top.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digest.collect.clean import clean_article, escaped
from digest.collect.entities import defuse
from digest.collect.feed import parse_feed
from digest.collect.local import read_local
from digest.config import ConfigError, load_config
from digest.week import Week

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
WEEK = "2024-W46"
SECONDS = 60  # a build of this size takes about one second; the old behaviour hung past 90
MEMORY = 1 << 30  # 1 GB of address space; the old behaviour went past 3 GB
CONFIG = """\
newsletter: {title: Hostile Weekly, from: "Hostile Weekly <news@hostile.example.org>"}
sources:
  - {name: Notes, path: notes/}
"""
NOTES = {
    "agents.md": "---\ntitle: Agents that call tools\ndate: 2024-11-12\n---\n\n"
    "Coding agents call the test runner and the linter through function calling, and read each result "
    "before the next step.\n",
    "small.md": "---\ntitle: Small models on laptops\ndate: 2024-11-13\n---\n\n"
    "A 4-bit quantized 8B model runs on a laptop with 16 GB of RAM at reading speed.\n",
}


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def build(folder: Path) -> subprocess.CompletedProcess[str]:
    """`digest build` of the folder's sources.yaml in a child with a deadline and a memory limit."""
    return subprocess.run(
        [sys.executable, "-m", "digest", "build", "--week", WEEK],
        cwd=folder,
        text=True,
        capture_output=True,
        timeout=SECONDS,
        preexec_fn=_limit,
        errors="backslashreplace",
    )


@pytest.fixture
def folder(newsletter) -> Path:
    """A newsletter with two ordinary notes for week 2024-W46."""
    return newsletter(CONFIG, NOTES).parent


def issue(folder: Path) -> dict:
    return json.loads((folder / "output" / WEEK / "digest.json").read_text(encoding="utf-8"))


def warnings(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("warning:")]


def test_an_alias_bomb_in_the_config_is_one_error_line_at_once(folder: Path):
    shutil.copy(FIXTURES / "alias_bomb_sources.yaml", folder / "sources.yaml")
    result = build(folder)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: sources.yaml:7: bad YAML: aliases (*a) are not allowed, write the value out"
    ]


def test_an_alias_bomb_in_front_matter_costs_a_warning_not_the_note(folder: Path):
    shutil.copy(FIXTURES / "alias_bomb_front_matter.md", folder / "notes")
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert warnings(result) == [
        "warning: Notes: notes/alias_bomb_front_matter.md: front matter not read as YAML "
        "(line 5: aliases (*a) are not allowed, write the value out), its lines read one by one"
    ]
    note = next(a for a in issue(folder)["articles"] if a["path"] == "notes/alias_bomb_front_matter.md")
    assert note["title"] == "Laughing at the parser"
    assert note["published"].startswith("2024-11-13")


def test_a_feed_referencing_one_entity_ten_thousand_times_is_read_without_expanding_it(folder: Path):
    (folder / "feeds").mkdir()
    shutil.copy(FIXTURES / "quadratic_entities.xml", folder / "feeds")
    (folder / "sources.yaml").write_text(
        CONFIG + "  - {name: Entity Feed, feed: feeds/quadratic_entities.xml, fulltext: never}\n"
    )
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert warnings(result) == [
        "warning: Entity Feed: the feed declares XML entities: 10000 reference(s) to them dropped, not expanded"
    ]
    titles = {a["title"] for a in issue(folder)["articles"]}
    assert {"Entities everywhere", "A normal entry"} <= titles


def test_control_characters_in_a_note_never_reach_the_email(folder: Path):
    shutil.copy(FIXTURES / "control_chars.md", folder / "notes")
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert warnings(result) == []
    assert "Control characters" in {a["title"] for a in issue(folder)["articles"]}
    for name in ("digest.html", "digest.txt", "digest.json", "digest.eml"):
        text = (folder / "output" / WEEK / name).read_text(encoding="utf-8")
        assert escaped(text) == text, f"{name} carries a control character"


def test_a_file_name_that_is_not_utf8_is_shown_and_stored_escaped(folder: Path):
    name = os.fsdecode(b"caf\xe9.md")
    (folder / "notes" / name).write_text(
        "---\ntitle: Notes from the cafe\ndate: 2024-11-14\n---\n\n"
        "Over coffee we compared agents that plan before they call tools.\n"
    )
    (folder / "notes" / os.fsdecode(b"empty-\xff.md")).write_text("")
    result = build(folder)
    assert result.returncode == 0, result.stderr
    assert warnings(result) == ["warning: Notes: notes/empty-\\xff.md: empty file"]
    note = next(a for a in issue(folder)["articles"] if a["title"] == "Notes from the cafe")
    assert note["path"] == "notes/caf\\xe9.md" and note["id"] == "file:notes/caf\\xe9.md"
    first = issue(folder)["articles"]
    again = build(folder)  # the state file took the escaped id: the rebuild finds the note there again
    assert again.returncode == 0, again.stderr
    assert issue(folder)["articles"] == first


# --- The same, one level down ------------------------------------------------


def test_aliases_in_the_config_are_refused_with_their_line(tmp_path: Path):
    path = tmp_path / "sources.yaml"
    path.write_text("base: &base {name: Notes, path: notes/}\nsources:\n  - *base\nnewsletter: {title: T}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.lines == ["sources.yaml:3: bad YAML: aliases (*base) are not allowed, write the value out"]


def test_a_control_character_in_the_config_is_one_line_with_its_place(tmp_path: Path):
    path = tmp_path / "sources.yaml"
    path.write_text("newsletter: {title: T}\nsources: [{name: N\x01, path: notes/}]\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert error.value.lines == [
        "sources.yaml:2: bad YAML: character #x0001 is not allowed in YAML (special characters are not allowed)"
    ]


def test_short_plain_entities_are_still_put_in_place():
    feed = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY co "Lab Co">'
        b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>\n<rss version="2.0"><channel><title>F</title>'
        b"<item><title>Made by &co;</title><link>https://e.example.org/1</link>"
        b"<description>One&nbsp;two &ext;and &amp; three.</description></item></channel></rss>"
    )
    read = parse_feed("F", feed, base_url=None)
    assert [a.title for a in read.articles] == ["Made by Lab Co"]
    assert read.articles[0].text == "One two and & three."  # the no-break space, as normalize() writes it
    assert read.warnings == ["the feed declares XML entities: 1 reference(s) to them dropped, not expanded"]


def test_a_utf16_feed_is_defused_as_well():
    text = (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY big "' + "x" * 500 + '">]>'
        '<rss version="2.0"><channel><title>F</title><item><title>T</title><link>https://e.example.org/1</link>'
        "<description>" + "&big;" * 2000 + " the rest</description></item></channel></rss>"
    )
    data, warning = defuse(text.encode("utf-16"))
    assert b"x" * 500 not in data.decode("utf-16").encode() and warning
    read = parse_feed("F", text.encode("utf-16"), base_url=None)
    assert [a.text for a in read.articles] == ["the rest"]


def test_character_references_no_email_can_carry_are_dropped_from_feeds():
    feed = (
        b'<rss version="2.0"><channel><title>F</title><item><title>A&#1;B</title>'
        b"<link>https://e.example.org/1</link><description>lone &#xD800; surrogate, &#150; dash</description>"
        b"</item></channel></rss>"
    )
    read = parse_feed("F", feed, base_url=None)
    assert [(a.title, a.text) for a in read.articles] == [("AB", "lone surrogate, \u2013 dash")]


def test_json_feeds_with_fields_of_the_wrong_type_keep_what_is_right():
    items = [
        {
            "id": 1,
            "url": "https://e.example.org/1",
            "title": ["not", "a title"],
            "content_text": "Body \x01 text.",
            "author": "not a dict",
            "authors": "nor a list",
            "tags": None,
            "date_published": 20241112,
        },
        {"id": "2", "url": 7, "title": "Second", "content_html": "<p>Has &#1; a control reference.</p>"},
    ]
    read = parse_feed("F", json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode(), None)
    assert [(a.title, a.text) for a in read.articles] == [
        ("Body text.", "Body text."),
        ("Second", "Has a control reference."),
    ]


def test_every_text_a_reader_hands_on_is_cleaned(tmp_path: Path):
    (tmp_path / "note.md").write_text(
        '---\ntitle: "Bell\\a and\\x1b escape"\ntags: ["a\\x01"]\n---\n\n'
        "Text\x0bwith\x0cbreaks and \x7f a lone\ufffe non-character.\n"
    )
    [article], warnings = read_local("Notes", str(tmp_path), tmp_path)
    assert warnings == []
    assert (article.title, article.text, article.tags) == (
        "Bell and escape",
        "Text with breaks and a lone non-character.",
        ("a",),
    )
    assert clean_article(article) is article  # already clean: nothing copied


# --- One bad article never costs the issue -----------------------------------


def test_an_article_that_makes_the_render_fail_is_left_out_with_a_warning(folder: Path, monkeypatch):
    from digest.collect import local
    from digest.pipeline import build as run_build

    # As if the readers had missed a character: MJML itself then refuses the issue this note is in.
    monkeypatch.setattr(local, "clean_article", lambda article: article)
    shutil.copy(FIXTURES / "control_chars.md", folder / "notes")
    result = run_build(load_config(folder / "sources.yaml"), week=Week.parse(WEEK))
    assert [w.split(" (")[0] for w in result.warnings] == [
        "notes/control_chars.md: left out of the issue, it makes the build fail"
    ]
    assert "MJML does not compile" in result.warnings[0]
    assert {a.title for a in result.digest.articles} == {"Agents that call tools", "Small models on laptops"}
    assert (folder / "output" / WEEK / "digest.html").exists()
    assert list(issue(folder)["warnings"]) == result.warnings


def test_a_failure_that_is_not_an_articles_fault_is_still_an_error(folder: Path):
    from digest.errors import DigestError
    from digest.pipeline import build as run_build

    (folder / "templates").mkdir()
    (folder / "templates" / "digest.mjml.j2").write_text("<mjml><mj-body>{{ nothing.here() }}</mj-body></mjml>\n")
    with pytest.raises(DigestError, match="digest.mjml.j2"):
        run_build(load_config(folder / "sources.yaml"), week=Week.parse(WEEK))
    assert not (folder / "output" / WEEK).exists()
