"""One run at a time, with real processes: a second build exits 75 at once, a dead run's lock is taken over."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time

from locks import holding

from digest.state import writer_lock
from digest.studio import Studio
from digest.week import Week

HOLDER_RE = r"pid (\d+), since \d\d:\d\d:\d\d"


def start(weekly, week: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "digest", "build", "--config", str(weekly.config), "--week", week],
        cwd=weekly.folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(weekly, week: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digest", "build", "--config", str(weekly.config), "--week", week],
        cwd=weekly.folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def wait_for_lock(weekly, process: subprocess.Popen, seconds: float = 30.0) -> None:
    """Until the build holds the lock (its pid in the lock file), or fail."""
    lock = weekly.folder / ".digest-state.sqlite.lock"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().startswith(f"{process.pid} "):
            return
        assert process.poll() is None, process.communicate(timeout=5)
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the build never took the lock")


def test_a_second_build_exits_75_at_once_and_the_first_one_finishes(weekly):
    weekly.feed.hold()  # the first build waits on its feed, holding the lock
    first = start(weekly, "2024-W46")
    try:
        wait_for_lock(weekly, first)
        second = run(weekly, "2024-W45")  # another week: it would take the same new notes
        assert first.poll() is None  # the second one did not wait for the first to end
        weekly.feed.release()
        assert second.returncode == 75
        assert re.fullmatch(rf"error: another digest build is running \({HOLDER_RE}\)\n", second.stderr)
        assert re.search(HOLDER_RE, second.stderr).group(1) == str(first.pid)
        assert second.stdout == ""
        out, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 0, err
    assert out.strip().endswith("2024-W46")
    assert weekly.integrity() == "ok"
    assert (weekly.folder / ".digest-state.sqlite.lock").read_text() == ""  # released: nobody is running


def test_a_killed_build_leaves_the_issue_and_state_whole_and_its_lock_is_taken_over(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    before = weekly.issue()
    weekly.feed.hold()
    killed = start(weekly, "2024-W46")
    try:
        wait_for_lock(weekly, killed)
        killed.kill()  # SIGKILL: no clean-up runs
        killed.communicate(timeout=10)
    finally:
        killed.kill()
    assert weekly.issue() == before
    assert weekly.integrity() == "ok"
    weekly.feed.release()
    after = cli("build", "--config", str(weekly.config), "--week", "2024-W46")
    assert after.exit_code == 0, after.stderr
    assert (
        f"warning: .digest-state.sqlite.lock: took over the lock of digest build (pid {killed.pid}, since "
        in after.stderr
    )
    assert "), which is no longer running\n" in after.stderr
    assert weekly.issue()["digest.txt"] == before["digest.txt"]


def test_the_preview_neither_waits_for_a_build_nor_holds_one_up(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    writer = sqlite3.connect(weekly.state, isolation_level=None)
    try:
        with writer_lock(weekly.state):  # a build is running ...
            writer.execute("BEGIN IMMEDIATE")  # ... and in the middle of writing
            writer.execute("UPDATE articles SET title = 'half-written' WHERE 1")
            preview = Studio(weekly.config, Week(2024, 46))  # what `digest preview` serves
            started = time.monotonic()
            preview.rebuild()  # on its own snapshot of the state (copy_state), kept for the session
            assert time.monotonic() - started < 8
            preview.close()
            assert preview.status.errors == [], preview.status.errors
            assert "Test Weekly" in preview.view.html and "half-written" not in preview.view.html
            writer.execute("ROLLBACK")
    finally:
        writer.close()
    # The preview left no lock behind: a build runs straight after it.
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0


def test_forget_waits_for_no_build_either_it_exits_75(weekly, cli):
    assert cli("build", "--config", str(weekly.config), "--week", "2024-W46").exit_code == 0
    with holding(weekly.state):
        result = cli("forget", "--config", str(weekly.config), "notes/agents.md")
        dry = cli("build", "--config", str(weekly.config), "--week", "2024-W46", "--dry-run")
    assert result.exit_code == 75
    assert re.fullmatch(rf"error: another digest build is running \({HOLDER_RE}\)\n", result.stderr)
    assert dry.exit_code == 0, dry.stderr  # a look takes no lock: it reads a copy


def test_a_killed_builds_forked_children_do_not_keep_its_lock(weekly):
    with holding(weekly.state, fork=True) as (holder, child):
        holder.kill()  # SIGKILL the build; its forked worker lives on
        holder.wait(timeout=10)
        os.kill(child, 0)  # still there
        with writer_lock(weekly.state) as stale:
            assert stale is not None and f"(pid {holder.pid}, since " in stale
