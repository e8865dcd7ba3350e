"""The config schema: every error at once, with key path and line."""

from __future__ import annotations

import pytest

from digest.config import ConfigError, FetchConfig, load_config

GOOD = """
newsletter: {title: Test Weekly}
sources:
  - {name: Notes, path: notes/}
trends:
  - {name: Agents, keywords: [agent, tool use]}
"""


def test_valid_config_resolves_paths_against_its_folder(newsletter, tmp_path):
    config = load_config(newsletter(GOOD))
    assert config.title == "Test Weekly"
    assert config.sources[0].location == str(tmp_path / "notes")
    assert config.trends[0].keywords == ("agent", "tool use")
    assert config.state == tmp_path / ".digest-state.sqlite"
    assert config.output == tmp_path / "output"


def test_every_error_is_reported_at_once_with_key_and_line(newsletter):
    path = newsletter("""
        newsletter:
          title: Test Weekly
        sources:
          - name: Notes
            path: notes/
          - name: Missing
            path: note/
          - name: Broken feed
            feed: example
        max_trends: lots
    """)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.lines == [
        "sources[1].path: no such folder 'note/' (sources.yaml:7)",
        "sources[2].feed: expected an http(s) URL or a file, got 'example' (no such file) (sources.yaml:9)",
        "max_trends: expected a whole number from 1 to 30, got 'lots' (sources.yaml:10)",
    ]
    assert caught.value.exit_code == 2


def test_unknown_keys_are_warned_with_a_hint_not_fatal(newsletter):
    config = load_config(
        newsletter(
            """
        newsletter: {title: T}
        sources:
          - {name: Notes, path: notes/, fulltxt: always}
        trend: []
    """,
            {"a.md": "# A\n"},
        )
    )
    assert config.warnings == (
        "sources[0].fulltxt: unknown key, ignored (did you mean 'fulltext'?) (sources.yaml:3)",
        "trend: unknown key, ignored (did you mean 'trends'?) (sources.yaml:4)",
    )


def test_missing_required_keys(newsletter):
    with pytest.raises(ConfigError) as caught:
        load_config(newsletter("sources: []\n"))
    assert caught.value.lines == [
        "newsletter: missing: give at least `newsletter: {title: ...}` (sources.yaml:1)",
        "sources: empty: list at least one feed or path (sources.yaml:1)",
    ]


def test_bad_yaml_is_one_line_with_its_line(newsletter):
    with pytest.raises(ConfigError) as caught:
        load_config(newsletter("newsletter: {title: T}\nsources:\n  - name: [unclosed\n"))
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith("sources.yaml:4: bad YAML: ")


def test_a_source_needs_exactly_one_of_path_or_feed(newsletter):
    with pytest.raises(ConfigError) as caught:
        load_config(
            newsletter("""
            newsletter: {title: T}
            sources:
              - {name: Both, path: notes/, feed: https://example.org/feed.xml}
        """)
        )
    assert caught.value.lines == [
        "sources[0]: give exactly one of `path:` (local files) or `feed:` (URL or file) (sources.yaml:3)"
    ]


def test_feed_urls_and_globs(newsletter, tmp_path):
    config = load_config(
        newsletter("""
        newsletter: {title: T}
        sources:
          - {name: Blog, feed: https://example.org/feed.xml}
          - {name: Markdown only, path: "notes/*.md"}
    """)
    )
    assert config.sources[0].is_url
    assert config.sources[1].location == str(tmp_path / "notes/*.md")


def test_fetch_settings(newsletter):
    config = load_config(
        newsletter("""
        newsletter: {title: T}
        sources: [{name: Notes, path: notes/}]
        fetch: {concurrency: 8, timeout: 20}
    """)
    )
    assert config.fetch == FetchConfig(concurrency=8, timeout=20, per_host=0)  # per_host: the default
    with pytest.raises(ConfigError) as caught:
        load_config(
            newsletter("""
            newsletter: {title: T}
            sources: [{name: Notes, path: notes/}]
            fetch: {concurrency: 0}
        """)
        )
    assert caught.value.lines == ["fetch.concurrency: expected a whole number from 1 to 256, got 0 (sources.yaml:3)"]


def test_values_are_quoted_as_written_in_yaml_and_empty_keywords_say_so(newsletter):
    path = newsletter("""
        newsletter: {title: T}
        sources:
          - {name: Notes, path: notes/}
        trends:
          - {name: Agents, keywords: []}
        bullets: true
    """)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.lines == [
        "trends[0].keywords: is empty: give at least one word or phrase (sources.yaml:5)",
        "bullets: expected a whole number from 1 to 10, got true (sources.yaml:6)",
    ]


def test_a_source_with_no_files_yet_is_a_warning(newsletter):
    config = load_config(
        newsletter("""
        newsletter: {title: T}
        sources:
          - {name: Notes, path: notes/}
          - {name: Drafts, path: "notes/*.md"}
    """)
    )
    assert config.warnings == (
        "sources[0].path: the folder 'notes/' has no files yet (sources.yaml:3)",
        "sources[1].path: no files match 'notes/*.md' yet (sources.yaml:4)",
    )


def test_unknown_key_warnings_show_with_the_errors_in_file_order(newsletter, cli):
    path = newsletter(
        """
        newsletter: {title: T}
        sources:
          - {name: Notes, path: notes/}
        trends:
          - {name: Agents, keywrds: [agent]}
          - {keywords: [tool]}
    """,
        {"a.md": "# A\n\nText.\n"},
    )
    result = cli("check", "--config", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "warning: trends[0].keywrds: unknown key, ignored (did you mean 'keywords'?) (sources.yaml:5)\n"
        "error: trends[1].name: missing: a trend needs a name (sources.yaml:6)\n"
    )


def test_addresses_urls_and_a_missing_templates_folder_are_errors(newsletter):
    path = newsletter(
        """
        newsletter:
          title: T
          from: editor at example.org
          to: "Readers <readers@example.org>, list@example.org"
          url: example.org/issues
          unsubscribe_url: "%unsubscribe_url%"
        templates: my-templates
        sources:
          - {name: Notes, path: notes/}
    """,
        {"a.md": "# A\n\nText.\n"},
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.lines == [
        "newsletter.from: expected an address like 'Name <news@example.org>', got 'editor at example.org' "
        "(sources.yaml:3)",
        "newsletter.url: expected an absolute http(s) URL like 'https://example.org/issues', "
        "got 'example.org/issues' (sources.yaml:5)",
        "templates: no such folder 'my-templates': your templates would go unused (sources.yaml:7)",
    ]


def test_good_addresses_and_urls_pass_and_reach_the_issue_settings(newsletter, tmp_path):
    (tmp_path / "my-templates").mkdir()
    config = load_config(
        newsletter(
            """
        newsletter:
          title: T
          from: T Weekly <news@example.org>
          url: https://example.org/issues
          unsubscribe_url: "https://example.org/unsubscribe?u=%id%"
        templates: my-templates
        sources:
          - {name: Notes, path: notes/}
    """,
            {"a.md": "# A\n\nText.\n"},
        )
    )
    assert config.newsletter.as_dict() == {
        "from": "T Weekly <news@example.org>",
        "title": "T",
        "unsubscribe_url": "https://example.org/unsubscribe?u=%id%",
        "url": "https://example.org/issues",
    }
    assert config.templates == tmp_path / "my-templates"
    assert config.summarizer.max_trends == 8 and config.fetch.concurrency == 32  # the sections' own defaults


def test_summarizer_weights_are_numbers_and_their_names_the_summarizers(newsletter, cli):
    path = newsletter(
        """
        newsletter: {title: T, unsubscribe_url: "https://t.example/u"}
        sources:
          - {name: Notes, path: notes/}
        summarizer:
          centrality: 2.5
          centralty: 3
    """,
        {"a.md": "# A\n\nText.\n"},
    )
    config = load_config(path)
    assert config.summarizer.weights == {"centrality": 2.5, "centralty": 3.0}
    result = cli("check", "--config", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        "warning: summarizer.centralty: unknown key, ignored (did you mean 'centrality'?) (sources.yaml:6)\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(
            newsletter(
                "newsletter: {title: T}\nsources: [{name: Notes, path: notes/}]\nsummarizer: {centrality: high}\n"
            )
        )
    assert caught.value.lines == ["summarizer.centrality: expected a number, got 'high' (sources.yaml:3)"]


def test_loading_the_config_imports_no_stage():
    import subprocess
    import sys

    code = (
        "import sys, digest.config; print(sorted(m for m in sys.modules if m.startswith("
        "('digest.collect', 'digest.summarize', 'digest.render'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "[]\n", result.stderr


def test_unknown_summarizer_weights_show_with_the_errors(newsletter, cli):
    path = newsletter(
        """
        newsletter: {title: T, unsubscribe_url: "https://t.example/u"}
        sources:
          - {name: Notes, path: notes/}
        bullets: 0
        summarizer: {redundancy_penalty: 1, centralty: 2}
    """,
        {"a.md": "# A\n\nText.\n"},
    )
    for args in (["check"], ["build", "--week", "2024-W46"]):
        result = cli(*args, "--config", str(path))
        assert result.exit_code == 2
        assert result.stderr == (
            "error: bullets: expected a whole number from 1 to 10, got 0 (sources.yaml:4)\n"
            "warning: summarizer.redundancy_penalty: unknown key, ignored (sources.yaml:5)\n"
            "warning: summarizer.centralty: unknown key, ignored (did you mean 'centrality'?) "
            "(sources.yaml:5)\n"
        )


def test_a_control_character_in_a_setting_is_an_error_at_its_line(newsletter):
    # A YAML escape puts a character in the title that no email can carry: MJML would refuse the whole issue.
    path = newsletter(
        'newsletter: {title: "Weekly\\x01"}\nsources:\n  - {name: Notes, path: notes/}\n', {"a.md": "# A\n"}
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.lines == [
        "newsletter.title: contains a control character (U+0001) that an email cannot carry (sources.yaml:1)"
    ]
