"""Start-up and sample build times, against the bare interpreter in the same run.

    python bench/speed.py [--runs 5]

Goals (issue 2): `digest --help` under 0.3 s, the sample build under 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], runs: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    baseline = timed([python, "-c", "pass"], args.runs)
    help_time = timed([python, "-m", "digest", "--help"], args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "sources.yaml", work)
        shutil.copytree(ROOT / "sample", work / "sample")
        shutil.copytree(ROOT / "templates", work / "templates")
        build_time = timed([python, "-m", "digest", "build", "--week", "2024-W46"], args.runs, cwd=work)
    print(f"python -c pass        {baseline:6.3f} s (baseline)")
    print(f"digest --help         {help_time:6.3f} s  ({help_time / baseline:4.1f}x baseline; goal < 0.3 s)")
    print(f"sample build (W46)    {build_time:6.3f} s  ({build_time / baseline:4.1f}x baseline; goal < 2 s)")
    return 0 if help_time < 0.3 and build_time < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
