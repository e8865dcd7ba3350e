"""Weeks and rebuilds that cannot lose content; looks (collect, --dry-run) that change nothing; forget."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

from digest.week import Week


def digest_json(weekly, week: str = "2024-W46") -> dict:
    return json.loads(weekly.issue(week)["digest.json"])


def test_a_week_not_ended_or_in_the_future_is_refused_unless_forced(weekly, cli):
    this_week = Week.of(date.today())
    for week in (this_week, Week.of(date.today() + timedelta(days=70))):
        result = cli("build", "--config", str(weekly.config), "--week", week.label)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: --week {week}: the week has not ended yet (it ends on {week.end}); "
            f"building it now would use up articles of a later issue (--force builds it "
            f"anyway)\n"
        )
        assert not weekly.state.exists()  # refused before anything was read or written
    forced = cli("build", "--config", str(weekly.config), "--week", this_week.label, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout.strip().endswith(this_week.label)


def test_a_rebuild_with_the_feed_down_gives_the_same_issue_with_a_warning(weekly, cli):
    first = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert first.exit_code == 0, first.stderr
    before = digest_json(weekly)
    assert len(before["articles"]) == 8  # two notes and the six entries the feed dates in the week
    weekly.feed.down = True
    again = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert again.exit_code == 0, again.stderr
    assert "warning: Lab Notes: HTTP 503" in again.stderr
    assert "warning: Lab Notes: kept the 6 article(s) 2024-W46 already had from it\n" in again.stderr
    after = digest_json(weekly)
    assert after["articles"] == before["articles"]
    assert after["trends"] == before["trends"]


def test_a_rebuild_keeps_notes_whose_files_are_gone(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    text_before = weekly.issue()["digest.txt"]
    (weekly.folder / "notes" / "agents.md").unlink()
    again = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert again.exit_code == 0, again.stderr
    assert weekly.issue()["digest.txt"] == text_before


def test_a_thinner_issue_is_a_warning_and_strict_keeps_the_old_one(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    before = weekly.issue()
    forgot = cli("forget", "--config", str(weekly.config), "notes/agents.md")
    assert forgot.exit_code == 0, forgot.stderr
    assert forgot.stdout == (
        "file:notes/agents.md: taken out of 2024-W46, a later issue may take it\n"
        f"  rebuild 2024-W46 without it: digest build --config {weekly.config} --week 2024-W46\n"
    )
    strict = cli("build", "--config", str(weekly.config), "--week", "2024-W46", "--strict")
    assert strict.exit_code == 1
    assert strict.stderr == (
        "error: 2024-W46: the issue had 8 articles, this build has 7: kept the issue as it was (--strict)\n"
    )
    assert weekly.issue() == before
    thinner = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert thinner.exit_code == 0
    assert "warning: 2024-W46: the issue had 8 articles, this build has 7\n" in thinner.stderr
    assert "Agents that use tools" not in [a["title"] for a in digest_json(weekly)["articles"]]


def titles(weekly, week: str = "2024-W46") -> list[str]:
    return [a["title"] for a in digest_json(weekly, week)["articles"]]


def test_a_forgotten_article_stays_out_of_its_week_and_a_later_issue_may_take_it(weekly, cli):
    config = str(weekly.config)
    assert cli("build", "--config", config, "--week", "2024-W46").exit_code == 0
    assert {"Agents that use tools", "Small models on laptops"} <= set(titles(weekly))
    dpo = "https://labnotes.example.org/2024/11/dpo"
    dpo_title = next(a["title"] for a in digest_json(weekly)["articles"] if a.get("url") == dpo)
    assert cli("forget", "--config", config, "notes/agents.md", dpo).exit_code == 0
    for _ in range(2):  # the rebuild, and a rebuild of the rebuild: the forgotten stay out
        again = cli("build", "--config", config, "--week", "2024-W46")
        assert again.exit_code == 0, again.stderr
        assert "Agents that use tools" not in titles(weekly) and dpo_title not in titles(weekly)
        assert "Small models on laptops" in titles(weekly)
    # Not used up: the next issue takes both, the note and the entry dated in 2024-W46.
    later = cli("build", "--config", config, "--week", "2024-W47")
    assert later.exit_code == 0, later.stderr
    assert sorted(titles(weekly, "2024-W47")) == sorted(["Agents that use tools", dpo_title])
    assert "Agents that use tools" not in titles(weekly)  # and 2024-W46 does not take it back
    assert cli("build", "--config", config, "--week", "2024-W46").exit_code == 0
    assert "Agents that use tools" not in titles(weekly)


def test_an_article_forgotten_for_good_goes_into_no_issue(weekly, cli):
    config = str(weekly.config)
    assert cli("build", "--config", config, "--week", "2024-W46").exit_code == 0
    never = cli("forget", "--config", config, str(weekly.folder / "notes" / "agents.md"), "--never")
    assert never.exit_code == 0, never.stderr
    assert never.stdout.startswith("file:notes/agents.md: taken out of 2024-W46, kept out of every issue\n")
    assert cli("build", "--config", config, "--week", "2024-W46").exit_code == 0
    assert "Agents that use tools" not in titles(weekly)
    for week in ("2024-W47", "2024-W48"):
        later = cli("build", "--config", config, "--week", week)
        assert later.exit_code == 0
        assert f"nothing new for {week}" in later.stderr
    again = cli("forget", "--config", config, "notes/agents.md", "--never")
    assert again.stdout == "file:notes/agents.md: kept out of every issue already\n"
    back = cli("forget", "--config", config, "notes/agents.md")
    assert back.stdout == "file:notes/agents.md: let back in, new again\n"
    assert cli("build", "--config", config, "--week", "2024-W49").exit_code == 0
    assert titles(weekly, "2024-W49") == ["Agents that use tools"]


def test_forget_names_an_unknown_article(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    result = cli("forget", "--config", str(weekly.config), "https://example.org/nope")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: https://example.org/nope: no such article in {weekly.state} (digest collect --json lists ids)\n"
    )
    by_url = cli("forget", "--config", str(weekly.config), "https://labnotes.example.org/2024/11/dpo?utm_source=x")
    assert by_url.exit_code == 0, by_url.stderr  # the link as a reader has it: the entry's canonical URL
    assert by_url.stdout.startswith(
        "url:https://labnotes.example.org/2024/11/dpo: taken out of 2024-W46, a later issue may take it\n"
    )


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_collect_and_dry_run_leave_the_state_byte_identical(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W45").exit_code == 0  # takes the notes
    (weekly.folder / "notes" / "new.md").write_text("# A new note\n\nAgents plan before they call tools.\n")
    before = sha(weekly.state)
    listed = cli("collect", "--config", str(weekly.config), "--week", "2024-W46", "--json")
    assert listed.exit_code == 0, listed.stderr
    titles = [json.loads(line)["title"] for line in listed.stdout.splitlines()]
    assert "A new note" in titles and len(titles) == 7
    dry = cli("build", "--config", str(weekly.config), "--week", "2024-W46", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "AGENTS" in dry.stdout.upper() and "A NEW NOTE" in dry.stdout.upper()  # the plaintext it would write
    assert dry.stderr.startswith("2024-W46: 7 articles, ") and dry.stderr.endswith(" (dry run: nothing written)\n")
    assert sha(weekly.state) == before
    assert not (weekly.folder / "output" / "2024-W46").exists()
    real = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert real.exit_code == 0
    assert "A new note" in [a["title"] for a in digest_json(weekly)["articles"]]  # the looks used nothing up


def test_a_dry_run_of_a_future_week_needs_no_force(weekly, cli):
    week = Week.of(date.today() + timedelta(days=14))
    result = cli("build", "--config", str(weekly.config), "--week", week.label, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Agents that use tools" in result.stdout
    assert not (weekly.folder / "output").exists()
