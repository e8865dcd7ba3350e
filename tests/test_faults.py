"""Faults leave the last good state: the previous issue byte-identical, the state whole, one error line."""

from __future__ import annotations

import errno
import json
import os
import sqlite3

import digest.render.output
import digest.state

NOTE = "# A late note\n\nAgents now plan their tool use before they call anything.\n"


def build(cli, weekly, *extra: str):
    return cli("build", "--config", str(weekly.config), "--week", "2024-W46", *extra)


def titles(weekly) -> list[str]:
    return [a["title"] for a in json.loads(weekly.issue()["digest.json"])["articles"]]


def assert_nothing_changed(weekly, before: dict[str, bytes]) -> None:
    assert weekly.issue() == before
    assert sorted(p.name for p in (weekly.folder / "output").iterdir()) == ["2024-W46", "feed.xml", "index.html"]
    assert weekly.integrity() == "ok"


def test_a_full_disk_keeps_the_previous_issue_and_the_note_for_the_next_run(weekly, cli, monkeypatch):
    assert build(cli, weekly).exit_code == 0
    before = weekly.issue()
    (weekly.folder / "notes" / "late.md").write_text(NOTE)
    real_write = digest.render.output._write
    written = []

    def filling_up(staging, name, content):
        if written:  # the first file goes in, the disk is full on the second
            with open(staging / name, "wb") as handle:
                handle.write(b"half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(name)
        real_write(staging, name, content)

    monkeypatch.setattr(digest.render.output, "_write", filling_up)
    result = build(cli, weekly)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {weekly.folder / 'output' / '2024-W46'}: cannot write the issue (No space left on device)\n"
    )
    assert_nothing_changed(weekly, before)
    monkeypatch.undo()
    again = build(cli, weekly)
    assert again.exit_code == 0, again.stderr
    assert "A late note" in titles(weekly)  # the failed run used nothing up


def test_a_read_only_output_folder_is_one_line_and_changes_nothing(weekly, cli, monkeypatch):
    assert build(cli, weekly).exit_code == 0
    before = weekly.issue()
    (weekly.folder / "notes" / "late.md").write_text(NOTE)
    output = weekly.folder / "output"
    if os.geteuid() == 0:  # root writes through permissions: have the file system refuse, as a read-only mount does

        def refuse(*args, **kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(digest.render.output.tempfile, "mkdtemp", refuse)
    else:
        output.chmod(0o555)
    try:
        result = build(cli, weekly)
    finally:
        output.chmod(0o755)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {output / '2024-W46'}: cannot write the issue (")
    assert result.stderr.count("\n") == 1
    assert_nothing_changed(weekly, before)
    monkeypatch.undo()
    assert build(cli, weekly).exit_code == 0
    assert "A late note" in titles(weekly)


def test_a_state_file_another_program_holds_is_one_line_and_the_next_run_completes(weekly, cli, monkeypatch):
    assert build(cli, weekly).exit_code == 0
    before = weekly.issue()
    (weekly.folder / "notes" / "late.md").write_text(NOTE)
    monkeypatch.setattr(digest.state, "BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(weekly.state, isolation_level=None)  # say, a backup tool or the sqlite3 shell
    try:
        other.execute("BEGIN EXCLUSIVE")
        result = build(cli, weekly)
    finally:
        other.rollback()
        other.close()
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {weekly.state}: cannot write the state file (database is locked: another program holds it)\n"
    )
    assert_nothing_changed(weekly, before)
    again = build(cli, weekly)
    assert again.exit_code == 0, again.stderr
    assert "A late note" in titles(weekly)


def test_the_state_is_in_wal_mode_with_a_busy_timeout(weekly, cli):
    assert build(cli, weekly).exit_code == 0
    with digest.state.State(weekly.state) as state:
        assert state.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert state.db.execute("PRAGMA busy_timeout").fetchone() == (int(digest.state.BUSY_TIMEOUT * 1000),)
