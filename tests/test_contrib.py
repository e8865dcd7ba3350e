"""The systemd units in contrib/: valid for systemd, and they run what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[1] / "contrib" / "systemd"


def test_the_service_builds_last_week_and_the_timer_fires_on_monday_mornings():
    service = (UNITS / "digest.service").read_text()
    timer = (UNITS / "digest.timer").read_text()
    assert "ExecStart=/srv/newsletter/.venv/bin/digest build --config /srv/newsletter/sources.yaml\n" in service
    assert "Type=oneshot\n" in service and "SuccessExitStatus=75\n" in service
    assert "OnCalendar=Mon *-*-* 06:00:00\n" in timer and "Persistent=true\n" in timer


def test_systemd_analyze_verifies_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    # The unit names /srv/newsletter; verify checks that ExecStart exists, so point it at this digest.
    digest = Path(sys.executable).with_name("digest")
    service = (UNITS / "digest.service").read_text()
    service = service.replace("/srv/newsletter/.venv/bin/digest", str(digest)).replace("/srv/newsletter", str(tmp_path))
    (tmp_path / "digest.service").write_text(service)
    shutil.copy(UNITS / "digest.timer", tmp_path / "digest.timer")
    result = subprocess.run(
        [analyze, "verify", "--man=no", "digest.service", "digest.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
