"""Collecting many feeds over HTTP: first run, second run (all 304), peak memory.

Starts ../shared/bench/feedserver.py (200 feeds x 50 entries, 100 ms added to
every answer) on loopback, then in this same run measures:
  - baseline: httpx with 32 in flight + feedparser on the bytes with its defaults
  - digest's collector, first run (empty state), and second run (all 304)
Peak memory is the collector's own process (ru_maxrss), run in a child, and
the summed RSS of it and its parse workers, sampled.

    python bench/feeds.py [--feeds 200] [--entries 50] [--port 8765]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = ROOT.parent / "shared" / "bench" / "feedserver.py"


def baseline(urls: list[str]) -> tuple[float, int]:
    import feedparser
    import httpx

    async def get_all() -> list[bytes]:
        gate = asyncio.Semaphore(32)
        async with httpx.AsyncClient(timeout=30) as client:

            async def one(url):
                async with gate:
                    return (await client.get(url)).content

            return await asyncio.gather(*(one(u) for u in urls))

    started = time.perf_counter()
    bodies = asyncio.run(get_all())
    entries = sum(len(feedparser.parse(body).entries) for body in bodies)
    return time.perf_counter() - started, entries


def rss2email(r2e: str, urls: list[str]) -> tuple[float, float]:
    """rss2email's first and second `run --no-send` over the same feeds (one feed at a time)."""
    with tempfile.TemporaryDirectory() as tmp:
        cfg, data = Path(tmp) / "cfg", Path(tmp) / "data.json"
        subprocess.run(
            [r2e, "-c", str(cfg), "-d", str(data), "new", "bench@example.org"], check=True, capture_output=True
        )
        cfg.write_text(cfg.read_text() + "".join(f"[feed.f{i}]\nurl = {u}\n\n" for i, u in enumerate(urls)))
        data.write_text(
            json.dumps(
                {
                    "version": 2,
                    "feeds": [{"name": f"f{i}", "etag": None, "modified": None, "seen": {}} for i in range(len(urls))],
                }
            )
        )
        times = []
        for _ in range(2):
            started = time.perf_counter()
            subprocess.run([r2e, "-c", str(cfg), "-d", str(data), "run", "--no-send"], capture_output=True)
            times.append(time.perf_counter() - started)
    return times[0], times[1]


def ours(config: Path, runs: int) -> list[dict]:
    from digest.collect import read_sources, summary
    from digest.config import load_config
    from digest.state import State
    from digest.week import Week

    results = []
    week = Week.of(date.today())  # the feedserver dates its entries in the last 7 days
    loaded = load_config(config)
    tree = TreeMemory()
    with State(config.parent / "state.sqlite") as state, tree:
        for _ in range(runs):
            started = time.perf_counter()
            # as build() does
            collection = read_sources(loaded.sources, loaded.root, state, since=week.start - timedelta(days=1))
            results.append(
                {
                    "seconds": time.perf_counter() - started,
                    "articles": len(collection.articles),
                    "summary": summary(collection),
                }
            )
    results.append(
        {
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "tree_mb": tree.peak_mb,
        }
    )
    return results


class TreeMemory:
    """The peak of the summed RSS of this process and its parse workers, sampled every 20 ms.

    Forked workers share pages with their parent, which a sum counts twice:
    an upper bound of what the run takes, not an underestimate.
    """

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        import os

        while not self._stop.wait(0.02):
            self.peak_mb = max(self.peak_mb, _tree_rss_kb(os.getpid()) / 1024)


def _tree_rss_kb(pid: int) -> int:
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue  # a worker that just ended
    return total


def _wait_for(port: int, seconds: float = 60) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"feedserver did not start on port {port}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--rss2email",
        metavar="R2E",
        help="path to rss2email's r2e, to run it side by side (install it in a venv of its own: pip install rss2email)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(ours(args.child, 2)))
        return 0
    server = subprocess.Popen(
        [
            sys.executable,
            str(SERVER),
            "--port",
            str(args.port),
            "--feeds",
            str(args.feeds),
            "--entries",
            str(args.entries),
            "--lifetime",
            "900",
        ]
    )
    try:
        _wait_for(args.port)
        urls = [f"http://127.0.0.1:{args.port}/feed/{i}.xml" for i in range(args.feeds)]
        base_seconds, base_entries = baseline(urls)
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "sources.yaml"
            config.write_text(
                "newsletter: {title: Bench}\nsources:\n"
                + "".join(f"  - {{name: 'Feed {i}', feed: '{u}'}}\n" for i, u in enumerate(urls))
            )
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(config)], check=True, capture_output=True, text=True
            ).stdout
        first, second, memory = json.loads(out)
        r2e = rss2email(args.rss2email, urls) if args.rss2email else None
    finally:
        server.terminate()
    print(f"{args.feeds} feeds x {args.entries} entries, 100 ms latency, loopback")
    print(f"baseline httpx(32) + feedparser defaults  {base_seconds:6.2f} s  ({base_entries} entries)")
    print(
        f"digest collect, first run                 {first['seconds']:6.2f} s  ({first['articles']} articles; "
        f"{first['summary']}; {base_seconds / first['seconds']:.1f}x faster than the baseline)"
    )
    print(f"digest collect, second run (304)          {second['seconds']:6.2f} s  ({second['summary']})")
    print(
        f"peak memory of the collector process      {memory['peak_mb']:6.0f} MB  (largest parse worker "
        f"{memory['worker_mb']:.0f} MB; all processes together at most {memory['tree_mb']:.0f} MB)"
    )
    if r2e:
        print(
            f"rss2email run --no-send, first / second   {r2e[0]:6.2f} s / {r2e[1]:.2f} s "
            f"(digest {r2e[0] / first['seconds']:.0f}x / {r2e[1] / second['seconds']:.0f}x faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
