"""The command line: exact error text, exit codes, help with examples."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from digest.cli import main


def test_bad_yaml_is_one_line_and_exit_2(newsletter, cli):
    path = newsletter("newsletter: {title: T}\nsources:\n  - name: [unclosed\n")
    result = cli("check", "--config", str(path))
    assert result.exit_code == 2
    assert result.stderr == "error: sources.yaml:4: bad YAML: expected ',' or ']', but got '<stream end>'\n"


def test_missing_path_names_key_and_line(newsletter, cli):
    path = newsletter(
        "newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n  - {name: Typo, path: note/}\n"
    )
    result = cli("build", "--config", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "warning: sources[0].path: the folder 'notes/' has no files yet (sources.yaml:3)\n"
        "error: sources[1].path: no such folder 'note/' (sources.yaml:4)\n"
    )
    assert result.stdout == ""


def test_unknown_key_is_a_warning_and_the_command_goes_on(newsletter, cli):
    path = newsletter(
        "newsletter: {title: T, colour: blue, unsubscribe_url: 'https://t.example/u'}\n"
        "sources:\n  - {name: Notes, path: notes/}\n",
        {"a.md": "# A\n\nText.\n"},
    )
    result = cli("check", "--config", str(path))
    assert result.exit_code == 0
    assert result.stderr == "warning: newsletter.colour: unknown key, ignored (sources.yaml:1)\n"
    assert result.stdout == f"{path}: ok (1 sources, 0 trends, templates render)\n"


@pytest.mark.parametrize(
    "week, message",
    [
        ("2024-17", "expected an ISO week like 2024-W17, got '2024-17'"),
        ("2023-W53", "2023 has no week 53"),
    ],
)
def test_bad_week_is_a_usage_error(newsletter, week, message, cli):
    path = newsletter("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n")
    result = cli("build", "--config", str(path), "--week", week)
    assert result.exit_code == 2
    assert result.stderr == f"error: --week: {message}\n"


def test_missing_config_file(tmp_path, cli):
    result = cli("check", "--config", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: no such config file (try `digest init DIR`)\n"


def test_every_command_has_help_with_an_example(cli):
    for name in main.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Example:" in result.stdout, f"`digest {name} --help` has no example"


def test_clicks_own_usage_errors_are_one_line_too(tmp_path):
    result = CliRunner().invoke(main, ["summarize", str(tmp_path / "nothere.md")], standalone_mode=True)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: Invalid value for 'FILES...': Path '{tmp_path / 'nothere.md'}' does not exist. "
        "(see 'main summarize --help')\n"
    )


def test_a_bare_digest_shows_the_help_not_an_error():
    result = CliRunner().invoke(main, [], standalone_mode=True)
    assert result.exit_code == 2  # as click has it: no command given
    assert result.stderr.startswith("Usage: ") and "Commands:" in result.stderr and "build" in result.stderr
    assert "error:" not in result.stderr and "see '" not in result.stderr


def test_extract_reads_the_files_of_a_folder(tmp_path, cli):
    (tmp_path / "notes" / "deeper").mkdir(parents=True)
    (tmp_path / "notes" / "a.md").write_text("# First note\n\nAgents call tools now.\n")
    (tmp_path / "notes" / "deeper" / "b.txt").write_text("Second note\n\nSmall models run on phones.\n")
    (tmp_path / "notes" / "skip.png").write_bytes(b"\x89PNG")
    result = cli("extract", str(tmp_path / "notes"), "--json")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["path"], row["title"]) for row in rows] == [
        (str(tmp_path / "notes" / "a.md"), "First note"),
        (str(tmp_path / "notes" / "deeper" / "b.txt"), "Second note"),
    ]
    assert "Agents call tools now." in rows[0]["text"] and result.stderr == ""
    (tmp_path / "empty").mkdir()
    result = cli("extract", str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"warning: {tmp_path / 'empty'}: no files to read in this folder (Markdown, text, HTML or news-wire)",
        "error: nothing could be extracted",
    ]


def test_collect_lists_the_articles_a_build_would_use(sample, cli):
    import json

    result = cli("collect", "--config", str(sample / "sources.yaml"), "--week", "2024-W46", "--json")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 17
    assert {"id", "title", "url", "source", "published", "text"} <= rows[0].keys()
    table = cli("collect", "--config", str(sample / "sources.yaml"), "--week", "2024-W46")
    assert "2024-11-16  Lab Notes             Retrieval beats a bigger context window for our docs" in table.stdout


def test_collect_shows_every_source_of_a_merged_article_whole(newsletter, cli):
    story = "Agents that call tools now open their own pull requests for a third of the small bugs in the backlog."
    notes = {"a.md": f"---\ntitle: Agents open pull requests\ndate: 2024-11-12\n---\n\n{story}\n"}
    config = newsletter(
        """\
        newsletter: {title: T}
        sources:
          - {name: Rust Blog, path: notes/}
          - {name: Rust Blog (mirror), path: mirror/}
        """,
        notes,
    )
    (config.parent / "mirror").mkdir()
    (config.parent / "mirror" / "a.md").write_text(notes["a.md"])
    table = cli("collect", "--config", str(config), "--week", "2024-W46")
    assert table.stdout == "2024-11-12  Rust Blog, Rust Blog (mirror)  Agents open pull requests\n"


def test_an_unwritable_output_or_state_is_one_error_line(newsletter, tmp_path, cli):
    (tmp_path / "notes" / "a.md").write_text("# A note\n\nAgents call tools now. Agents plan tasks.\n")
    (tmp_path / "blocker").write_text("a file where a folder should be")
    path = newsletter("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n")
    result = cli("build", "--config", str(path), "--week", "2024-W17", "--output", str(tmp_path / "blocker" / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'blocker' / 'out' / '2024-W17'}: cannot write the issue (")
    bad_state = newsletter(
        "newsletter: {title: T}\nstate: blocker/state.sqlite\nsources:\n  - {name: Notes, path: notes/}\n"
    )
    result = cli("build", "--config", str(bad_state), "--week", "2024-W17")
    assert result.exit_code == 2  # a mistyped state folder would start from nothing: every article new again
    assert result.stderr == (
        "error: state: no such folder 'blocker/' for the state file (create it first) (sources.yaml:2)\n"
    )
    (tmp_path / "notes" / "state.sqlite").mkdir()  # a folder where the state file should be
    bad_state = newsletter(
        "newsletter: {title: T}\nstate: notes/state.sqlite\nsources:\n  - {name: Notes, path: notes/}\n"
    )
    result = cli("build", "--config", str(bad_state), "--week", "2024-W17")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'notes' / 'state.sqlite'}: cannot open the state file (")


def test_check_renders_the_templates_too(newsletter, tmp_path, cli):
    path = newsletter("newsletter: {title: T}\nsources:\n  - {name: Notes, path: notes/}\n", {"a.md": "# A\n\nText.\n"})
    assert cli("check", "--config", str(path)).exit_code == 0
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "digest.txt.j2").write_text("{{ digest.title }\n")
    result = cli("check", "--config", str(path))
    assert result.exit_code == 2  # the template is at fault, as with a rule MJML breaks
    assert result.stderr.startswith("error: ") and "digest.txt.j2:1: " in result.stderr
    (tmp_path / "templates" / "digest.txt.j2").unlink()
    (tmp_path / "templates" / "archive.html.j2").write_text("{% if %}\n")
    result = cli("check", "--config", str(path))
    assert result.exit_code == 2 and "archive.html.j2:1: " in result.stderr


def test_init_keeps_an_editors_files_and_says_so(tmp_path, cli):
    folder = tmp_path / "news"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "welcome.md").write_text("# My own welcome\n")
    result = cli("init", str(folder))
    assert result.exit_code == 0, result.stderr
    assert (folder / "notes" / "welcome.md").read_text() == "# My own welcome\n"
    assert f"warning: {folder / 'notes' / 'welcome.md'}: already exists, kept as it is\n" in result.stderr
    assert result.stdout.splitlines() == [
        str(folder / "sources.yaml"),
        str(folder / "templates" / "footer.mjml.j2.example"),
        str(folder / ".gitignore"),
    ]


def test_init_where_no_folder_can_be_made_is_one_error_line(tmp_path, cli):
    (tmp_path / "a-file").write_text("not a folder")
    result = cli("init", str(tmp_path / "a-file" / "news"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'a-file' / 'news'}: cannot create the newsletter folder (Not a directory)\n"
    )
