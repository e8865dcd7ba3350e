"""Hostile inputs, before and after: each case built in its own process, wall time and peak memory.

One newsletter folder per case: two ordinary notes and a small feed for week
2024-W46, plus one hostile thing from tests/fixtures/hostile/ (a YAML alias
bomb in sources.yaml or in a note's front matter, a feed whose one entity is
referenced 10,000 times, control characters in a note, a file name that is
not UTF-8). The same folder without the hostile thing is the baseline of the
same run, so times are given as a ratio to it.

Each build runs `python -m digest build` in a child with a wall-clock bound
and an address-space limit (RLIMIT_AS); peak memory is the child's own
ru_maxrss from wait4. The old behaviour is the code of a git ref (default
`main`), exported with `git archive` into a temporary folder and put first
on PYTHONPATH; the new is this tree.

    python bench/hostile.py [--old main] [--timeout 60] [--memory-gb 3] [--cases NAME,...] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
WEEK = "2024-W46"

SOURCES = """\
newsletter: {title: Hostile Weekly}
sources:
  - {name: Notes, path: notes/}
  - {name: Lab Feed, feed: feeds/lab.xml, fulltext: never}
"""
NOTES = {
    "agents.md": "---\ntitle: Agents that call tools\ndate: 2024-11-12\n---\n\n"
    "Coding agents now call the test runner and the linter through function calling, and read each "
    "result before the next step. Tool use made the difference this quarter.\n\n"
    "- A written plan comes first, and agents that plan give up less often.\n"
    "- Every action runs in a sandbox without network access.\n",
    "small.md": "---\ntitle: Small models on laptops\ndate: 2024-11-13\n---\n\n"
    "A 4-bit quantized 8B model now runs on a laptop with 16 GB of RAM at reading speed. "
    "Distillation from a larger teacher recovers most of the quality lost by going small.\n",
}
FEED = """\
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lab Feed</title><link>https://lab.example.org/</link>
<item><title>Tool use in our agent</title><link>https://lab.example.org/agents</link>
<pubDate>Tue, 12 Nov 2024 10:00:00 GMT</pubDate>
<description>Our coding agent calls tools through function calling and opens its own pull requests for
small bugs; a sandbox keeps every action away from the network.</description></item>
<item><title>Quantization for phones</title><link>https://lab.example.org/phones</link>
<pubDate>Wed, 13 Nov 2024 10:00:00 GMT</pubDate>
<description>Quantization to 4 bits and distillation brought a small language model onto phones,
and answers start in under 100 milliseconds.</description></item>
</channel></rss>
"""


def _base(folder: Path) -> Path:
    (folder / "notes").mkdir(parents=True)
    (folder / "feeds").mkdir()
    for name, text in NOTES.items():
        (folder / "notes" / name).write_text(text, encoding="utf-8")
    (folder / "feeds" / "lab.xml").write_text(FEED, encoding="utf-8")
    config = folder / "sources.yaml"
    config.write_text(SOURCES, encoding="utf-8")
    return config


def _baseline(folder: Path) -> Path:
    return _base(folder)


def _config_bomb(folder: Path) -> Path:
    config = _base(folder)
    shutil.copy(FIXTURES / "alias_bomb_sources.yaml", config)
    return config


def _front_matter_bomb(folder: Path) -> Path:
    config = _base(folder)
    shutil.copy(FIXTURES / "alias_bomb_front_matter.md", folder / "notes")
    return config


def _entities(folder: Path) -> Path:
    config = _base(folder)
    shutil.copy(FIXTURES / "quadratic_entities.xml", folder / "feeds")
    config.write_text(SOURCES + "  - {name: Entity Feed, feed: feeds/quadratic_entities.xml, fulltext: never}\n")
    return config


def _control(folder: Path) -> Path:
    config = _base(folder)
    shutil.copy(FIXTURES / "control_chars.md", folder / "notes")
    return config


def _file_name(folder: Path) -> Path:
    config = _base(folder)
    name = os.fsdecode(b"caf\xe9-notes.md")  # Latin-1 bytes: not UTF-8
    (folder / "notes" / name).write_text(
        "---\ntitle: Notes from the cafe\ndate: 2024-11-14\n---\n\n"
        "Over coffee we compared agents that plan before they call tools with "
        "agents that do not; planning ones gave up less often.\n"
    )
    return config


CASES = {
    "baseline": _baseline,
    "alias bomb in sources.yaml": _config_bomb,
    "alias bomb in front matter": _front_matter_bomb,
    "quadratic XML entities": _entities,
    "control characters": _control,
    "non-UTF-8 file name": _file_name,
}


@dataclass(frozen=True, slots=True)
class Run:
    """One build: how it ended, how long it took, the most memory it held."""

    code: int | None  # None: killed at the time bound
    seconds: float
    peak_mb: float
    articles: int | None
    stderr: str

    @property
    def outcome(self) -> str:
        if self.code is None:
            return "timeout"
        if "Traceback" in self.stderr or "MemoryError" in self.stderr:
            last = [line for line in self.stderr.splitlines() if line.strip()][-1:]
            return f"traceback ({last[0][:48]})" if last else "traceback"
        if self.code != 0:
            return f"exit {self.code}"
        return f"ok, {self.articles} articles"


def build(config: Path, pythonpath: str, timeout: float, memory: int) -> Run:
    """`digest build` of one folder in a child bounded in time and address space."""
    env = {**os.environ, "PYTHONPATH": pythonpath, "PYTHONDONTWRITEBYTECODE": "1"}
    out, err = config.parent / "stdout.txt", config.parent / "stderr.txt"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    started = time.perf_counter()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "digest", "build", "--config", str(config), "--week", WEEK],
            cwd=config.parent,
            env=env,
            stdout=stdout,
            stderr=stderr,
            preexec_fn=limit,
            start_new_session=True,
        )
        status, usage = 0, None
        while time.perf_counter() - started < timeout:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)
        else:
            os.killpg(child.pid, signal.SIGKILL)
            _, _, usage = os.wait4(child.pid, 0)
            status = None
    seconds = time.perf_counter() - started
    child.returncode = 0  # reaped above: keep Popen from waiting again
    code = None if status is None else os.waitstatus_to_exitcode(status)
    issue = config.parent / "output" / WEEK / "digest.json"
    articles = json.loads(issue.read_text())["stats"]["articles"] if code == 0 and issue.exists() else None
    peak = usage.ru_maxrss / 1024 if usage else 0.0  # KB on Linux
    return Run(code, seconds, peak, articles, err.read_text(errors="replace"))


def old_tree(ref: str, into: Path) -> Path:
    """The code of `ref`, exported (no checkout of this worktree is touched)."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "digest", "templates"], capture_output=True, check=True, timeout=60
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True, timeout=60)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="main", help="git ref of the old behaviour (default: main)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per build before it is killed")
    parser.add_argument("--memory-gb", type=float, default=3.0, help="address-space limit per build, GB")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--runs", type=int, default=1, help="builds per case and version; the median is shown")
    parser.add_argument("--new-only", action="store_true", help="skip the old behaviour")
    args = parser.parse_args()
    names = [n.strip() for n in args.cases.split(",")] if args.cases else list(CASES)
    if "baseline" not in names:
        names.insert(0, "baseline")
    memory = int(args.memory_gb * 1024**3)
    with tempfile.TemporaryDirectory(prefix="digest-hostile-") as tmp:
        versions = {"new": str(ROOT)}
        if not args.new_only:
            versions = {"old": str(old_tree(args.old, Path(tmp) / "old").resolve()), **versions}
        results: dict[tuple[str, str], Run] = {}
        for version, path in versions.items():
            for name in names:
                runs = []
                for i in range(args.runs):
                    folder = Path(tmp) / f"{version}-{name.replace(' ', '_')}-{i}"
                    runs.append(build(CASES[name](folder), path, args.timeout, memory))
                runs.sort(key=lambda r: r.seconds)
                results[version, name] = runs[len(runs) // 2]
                run = results[version, name]
                print(
                    f"{version:4} {name:28} {run.seconds:7.2f} s {run.peak_mb:8.0f} MB  {run.outcome}",
                    file=sys.stderr,
                    flush=True,
                )
    print(
        f"\nlimits per build: {args.timeout:.0f} s, {args.memory_gb:.1f} GB address space; "
        f"old = {args.old}, new = this tree; time also as a ratio to the same version's baseline build\n"
    )
    print("| case | version | outcome | wall s | x baseline | peak MB | warnings |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        for version in versions:
            run, base = results[version, name], results[version, "baseline"]
            warnings = sum(1 for line in run.stderr.splitlines() if line.startswith("warning:"))
            print(
                f"| {name} | {version} | {run.outcome} | {run.seconds:.2f} | {run.seconds / base.seconds:.2f} "
                f"| {run.peak_mb:.0f} | {warnings} |"
            )


if __name__ == "__main__":
    main()
