"""`digest build` end to end, on the sample newsletter and on small folders."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "sample-2024-W46"
WEEK = "2024-W46"


def test_sample_issue_matches_golden_files(sample, cli):
    """Regenerate with: DIGEST_UPDATE_GOLDEN=1 pytest tests/test_pipeline.py"""
    result = cli("build", "--config", str(sample / "sources.yaml"), "--week", WEEK)
    assert result.exit_code == 0, result.stderr
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert folder == sample / "output" / WEEK
    assert sorted(p.name for p in folder.iterdir()) == ["digest.eml", "digest.html", "digest.json", "digest.txt"]
    if os.environ.get("DIGEST_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(folder, GOLDEN)
    for name in ("digest.txt", "digest.json", "digest.html", "digest.eml"):
        assert (folder / name).read_bytes() == (GOLDEN / name).read_bytes(), f"{name} differs from the golden file"


def test_sample_issue_is_a_full_issue(sample, cli):
    result = cli("build", "--config", str(sample / "sources.yaml"), "--week", WEEK)
    model = json.loads((sample / "output" / WEEK / "digest.json").read_text())
    assert len(model["trends"]) >= 5
    assert {t["name"] for t in model["trends"]} >= {
        "Agents and tool use",
        "Small and efficient models",
        "Preference optimization and alignment",
    }
    for trend in model["trends"]:
        assert 1 <= len(trend["bullets"]) <= 5
        for bullet in trend["bullets"]:
            assert bullet["sources"], bullet
    # Only passages that state the same claim merge: the sample has several, none said by three sources alike.
    assert any(len(b["sources"]) >= 2 for t in model["trends"] for b in t["bullets"])
    stats = {s["name"]: s for s in model["stats"]["sources"]}
    assert stats["Lab Notes"] == {
        "name": "Lab Notes",
        "feed": "sample/feeds/lab-notes.xml",
        "status": "ok",
        "entries": 8,
        "used": 6,
        "error": None,
    }
    message = email.message_from_bytes(
        (sample / "output" / WEEK / "digest.eml").read_bytes(), policy=email.policy.default
    )
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert result.stderr == ""  # not a terminal: nothing but warnings and errors


def test_rebuilding_a_week_is_byte_identical_and_later_weeks_repeat_nothing(sample, cli):
    config = str(sample / "sources.yaml")
    cli("build", "--config", config, "--week", WEEK)
    first = {p.name: p.read_bytes() for p in (sample / "output" / WEEK).iterdir()}
    cli("build", "--config", config, "--week", WEEK)
    again = {p.name: p.read_bytes() for p in (sample / "output" / WEEK).iterdir()}
    assert first == again
    result = cli("build", "--config", config, "--week", "2024-W47")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "nothing new for 2024-W47: no issue written\n"
    assert not (sample / "output" / "2024-W47").exists()


def test_a_new_note_goes_into_the_next_issue_only(sample, cli):
    config = str(sample / "sources.yaml")
    cli("build", "--config", config, "--week", WEEK)
    (sample / "sample" / "notes" / "late.md").write_text(
        "# Late news\n\nAgents that use tools now book trips on their own. Tool use keeps improving for agents.\n"
    )
    result = cli("build", "--config", config, "--week", "2024-W47")
    assert result.exit_code == 0, result.stderr
    model = json.loads((sample / "output" / "2024-W47" / "digest.json").read_text())
    assert [a["title"] for a in model["articles"]] == ["Late news"]


def test_bad_files_are_warnings_and_the_build_goes_on(sample, cli):
    notes = sample / "sample" / "notes"
    (notes / "empty.md").write_text("")
    (notes / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 50)
    result = cli("build", "--config", str(sample / "sources.yaml"), "--week", WEEK)
    assert result.exit_code == 0
    assert "warning: Notes: sample/notes/binary.txt: binary file\n" in result.stderr
    assert "warning: Notes: sample/notes/empty.md: empty file\n" in result.stderr
    strict = cli("build", "--config", str(sample / "sources.yaml"), "--week", WEEK, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.endswith("error: 2 warning(s) and --strict\n")


def test_init_scaffolds_a_newsletter_that_builds(tmp_path, cli):
    folder = tmp_path / "news"
    assert cli("init", str(folder)).exit_code == 0
    assert not (folder / "templates" / "digest.mjml.j2").exists()  # the defaults fill in, fixes and all
    result = cli("build", "--config", str(folder / "sources.yaml"), "--week", WEEK)
    assert result.exit_code == 0, result.stderr
    assert (folder / "output" / WEEK / "digest.html").exists()
    example = folder / "templates" / "footer.mjml.j2.example"  # how to override one partial
    config = folder / "sources.yaml"
    config.write_text(config.read_text().replace("# url: https", "url: https").replace("# from: ", "from: "))
    example.rename(example.with_suffix(""))
    result = cli("build", "--config", str(config), "--week", WEEK)
    assert result.exit_code == 0, result.stderr
    html = (folder / "output" / WEEK / "digest.html").read_text()
    assert "Forwarded this?" in html and "Unsubscribe" in html
    again = cli("init", str(folder))
    assert again.exit_code == 2  # bad usage: the folder is already a newsletter
    assert again.stderr == f"error: {folder / 'sources.yaml'}: already exists, not overwriting it\n"


def test_init_ignores_what_builds_write_and_keeps_an_existing_gitignore(tmp_path, cli):
    fresh, existing = tmp_path / "fresh", tmp_path / "existing"
    existing.mkdir()
    (existing / ".gitignore").write_text("*.pyc\noutput/")
    assert cli("init", str(fresh)).exit_code == 0
    assert cli("init", str(existing)).exit_code == 0
    assert (fresh / ".gitignore").read_text().splitlines()[1:] == ["output/", ".digest-state.sqlite*"]
    assert (existing / ".gitignore").read_text() == (
        "*.pyc\noutput/\n# Built by digest: issues and the state file\n.digest-state.sqlite*\n"
    )


def test_the_archive_lists_every_issue_newest_first_and_its_feed_reads(sample, cli):
    import feedparser

    config = str(sample / "sources.yaml")
    assert cli("build", "--config", config, "--week", WEEK).exit_code == 0
    (sample / "sample" / "notes" / "later.md").write_text(
        "# Agents book trips\n\nAgents that use tools now book trips on their own, end to end, in a test web shop.\n"
    )
    assert cli("build", "--config", config, "--week", "2024-W48").exit_code == 0
    output = sample / "output"
    page = (output / "index.html").read_text()
    assert page.index('href="2024-W48/digest.html"') < page.index('href="2024-W46/digest.html"')
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo and [e.link for e in feed.entries] == [
        "https://llm-trends.example.org/issues/2024-W48/digest.html",
        "https://llm-trends.example.org/issues/2024-W46/digest.html",
    ]
    before = (output / "feed.xml").read_bytes(), page
    assert cli("build", "--config", config, "--week", WEEK).exit_code == 0  # a rebuild says the same
    assert ((output / "feed.xml").read_bytes(), (output / "index.html").read_text()) == before


def test_an_issue_cut_to_fit_an_inbox_keeps_its_whole_self_as_web_html(tmp_path):
    from factories import make_digest

    from digest.pipeline import write
    from digest.render import render_issue

    digest = make_digest()
    rendered = render_issue(digest, budget=len(render_issue(digest).html.encode()) - 4000)
    folder = write(digest, rendered, tmp_path / "output")
    assert sorted(p.name for p in folder.iterdir()) == [
        "digest.eml",
        "digest.html",
        "digest.json",
        "digest.txt",
        "web.html",
    ]
    assert (folder / "web.html").read_text(encoding="utf-8") == rendered.web
    assert len((folder / "digest.html").read_bytes()) < len((folder / "web.html").read_bytes())


def test_what_happened_to_earlier_runs_stays_out_of_the_issue(sample, cli):
    """A lock taken over or a thinner rebuild is said on stderr; digest.json is the issue's, the same every rebuild."""
    config = str(sample / "sources.yaml")
    assert cli("build", "--config", config, "--week", WEEK).exit_code == 0
    before = {p.name: p.read_bytes() for p in (sample / "output" / WEEK).iterdir()}
    # What a run killed on the way leaves behind: its pid and start in a lock nobody holds any more.
    (sample / ".digest-state.sqlite.lock").write_text("999999999 2024-11-18T07:24:14+00:00 digest build\n")
    after = cli("build", "--config", config, "--week", WEEK)
    assert after.exit_code == 0, after.stderr
    assert "warning: .digest-state.sqlite.lock: took over the lock of digest build (pid 999999999" in after.stderr
    assert {p.name: p.read_bytes() for p in (sample / "output" / WEEK).iterdir()} == before
    assert cli("forget", "--config", config, "sample/notes/evaluation-notebook.md").exit_code == 0
    thinner = cli("build", "--config", config, "--week", WEEK)
    assert "warning: 2024-W46: the issue had 17 articles, this build has 16\n" in thinner.stderr
    model = (sample / "output" / WEEK / "digest.json").read_bytes()
    assert json.loads(model)["warnings"] == []
    again = cli("build", "--config", config, "--week", WEEK)
    assert again.stderr == ""
    assert (sample / "output" / WEEK / "digest.json").read_bytes() == model


def test_a_build_with_no_address_to_unsubscribe_at_warns_and_links_nowhere(newsletter, cli):
    path = newsletter(
        """
        newsletter: {title: T, url: "https://t.example/issues"}
        sources:
          - {name: Notes, path: notes/}
    """,
        {"a.md": "# Agents\n\nAgents call tools before they edit code.\n"},
    )
    result = cli("build", "--config", str(path), "--week", WEEK)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "warning: newsletter.unsubscribe_url: not set, and no newsletter.from to write to: "
        "the email has no unsubscribe link; set unsubscribe_url (an https URL or your mailing "
        "tool's merge tag) or from\n"
    )
    folder = path.parent / "output" / WEEK
    html, text, eml = ((folder / name).read_text() for name in ("digest.html", "digest.txt", "digest.eml"))
    assert "localhost?subject" not in html + text + eml and "Unsubscribe" not in text
    assert "List-Unsubscribe" not in eml
    assert ">View in browser</a>" in html
