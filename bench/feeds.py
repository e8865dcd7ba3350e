"""Collecting many feeds over HTTP: first run, second run (all 304), peak memory.

Starts ../shared/bench/feedserver.py (200 feeds x 50 entries, 100 ms added to
every answer) on loopback, then in this same run measures:
  - baseline: httpx with 32 in flight + feedparser on the bytes with its defaults
  - digest's collector, first run (empty state), and second run (all 304)
Peak memory is the collector's own process (ru_maxrss), run in a child.

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


def ours(config: Path, runs: int) -> list[dict]:
    from digest.collect import collect, summary
    from digest.config import load_config
    from digest.state import State

    from digest.week import Week

    results = []
    week = Week.of(date.today())  # the feedserver dates its entries in the last 7 days
    loaded = load_config(config)
    with State(config.parent / "state.sqlite") as state:
        for _ in range(runs):
            started = time.perf_counter()
            collection = collect(loaded, state, since=week.start - timedelta(days=1))  # as build() does
            results.append({"seconds": time.perf_counter() - started, "articles": len(collection.articles),
                            "summary": summary(collection)})
    results.append({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    return results


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
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(ours(args.child, 2)))
        return 0
    server = subprocess.Popen([sys.executable, str(SERVER), "--port", str(args.port), "--feeds", str(args.feeds),
                               "--entries", str(args.entries), "--lifetime", "900"])
    try:
        _wait_for(args.port)
        urls = [f"http://127.0.0.1:{args.port}/feed/{i}.xml" for i in range(args.feeds)]
        base_seconds, base_entries = baseline(urls)
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "sources.yaml"
            config.write_text("newsletter: {title: Bench}\nsources:\n"
                              + "".join(f"  - {{name: 'Feed {i}', feed: '{u}'}}\n" for i, u in enumerate(urls)))
            out = subprocess.run([sys.executable, __file__, "--child", str(config)], check=True,
                                 capture_output=True, text=True).stdout
        first, second, memory = json.loads(out)
    finally:
        server.terminate()
    print(f"{args.feeds} feeds x {args.entries} entries, 100 ms latency, loopback")
    print(f"baseline httpx(32) + feedparser defaults  {base_seconds:6.2f} s  ({base_entries} entries)")
    print(f"digest collect, first run                 {first['seconds']:6.2f} s  ({first['articles']} articles; "
          f"{first['summary']}; {base_seconds / first['seconds']:.1f}x faster than the baseline)")
    print(f"digest collect, second run (304)          {second['seconds']:6.2f} s  ({second['summary']})")
    print(f"peak memory of the collector process      {memory['peak_mb']:6.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
