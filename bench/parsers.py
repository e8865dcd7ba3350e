"""How digest's fast feed path agrees with feedparser on real feeds, and how fast it is.

For every feed in ../shared/eval/feeds/ (MANIFEST.tsv): the entry count
feedparser finds on the same bytes, and what digest's reader gives with its
fast path (fastfeedparser where the XML is well formed and the encoding
declared) and with feedparser alone, both given the address the feed would
have been fetched from: entries, titles, links, dates and text must match.
Prints disagreements, then totals and timings.

    python bench/parsers.py [--feeds ../shared/eval/feeds]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402

from digest.collect import feed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=folder, default=str(SHARED / "eval" / "feeds"))
    args = parser.parse_args()
    import feedparser

    rows = list(csv.DictReader((args.feeds / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    same = differ = fast_used = 0
    slow_seconds = fast_seconds = 0.0
    for row in rows:
        data = (args.feeds / row["path"]).read_bytes()
        reference = len(feedparser.parse(data).entries) if row["parse_status"] != "json" else int(row["entries"])
        base = f"https://feeds.example.org/{row['path']}"  # as if fetched: relative links resolve against it
        started = time.perf_counter()
        slow = feed.parse_feed("f", data, base, fast=False)
        slow_seconds += time.perf_counter() - started
        started = time.perf_counter()
        fast = feed.parse_feed("f", data, base, fast=True)
        fast_seconds += time.perf_counter() - started
        fast_used += fast.parser == "fastfeedparser"
        a = [(x.title, x.url, x.published, x.text) for x in slow.articles]
        b = [(x.title, x.url, x.published, x.text) for x in fast.articles]
        problems = []
        if fast.entries != reference:
            problems.append(f"entries {fast.entries} != feedparser's {reference}")
        if a != b:
            first = next(i for i, (x, y) in enumerate(itertools.zip_longest(a, b)) if x != y)
            ours, theirs = a[first] if first < len(a) else None, b[first] if first < len(b) else None
            problems.append(f"entry {first}: {ours} != {theirs}")
        if problems:
            differ += 1
            print(f"{row['path']} [{fast.parser}]: " + "; ".join(problems))
        else:
            same += 1
    print(f"\n{len(rows)} feeds: {same} agree, {differ} differ; fast path used for {fast_used}")
    print(f"feedparser only {slow_seconds * 1000:.0f} ms, with the fast path {fast_seconds * 1000:.0f} ms")
    served = serve_and_collect(args.feeds, rows)
    return 0 if differ == 0 and served else 1


def serve_and_collect(folder: Path, rows: list[dict]) -> bool:
    """The same feeds served over HTTP on 127.0.0.1 and collected as a newsletter would."""
    import functools
    import tempfile
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import feedparser

    from digest.collect import read_sources, summary
    from digest.config import load_config

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "sources.yaml"
            config.write_text(
                "newsletter: {title: Real feeds}\nsources:\n"
                + "".join(f"  - {{name: 'feed {i}', feed: '{base}{row['path']}'}}\n" for i, row in enumerate(rows))
            )
            loaded = load_config(config)
            collection = read_sources(loaded.sources, loaded.root)
    finally:
        httpd.shutdown()
    missing = []
    for row, stats in zip(rows, collection.stats, strict=True):
        data = (folder / row["path"]).read_bytes()
        expected = int(row["entries"]) if row["parse_status"] == "json" else len(feedparser.parse(data).entries)
        if stats.entries != expected:
            missing.append(f"{row['path']}: {stats.entries} entries, feedparser {expected} ({stats.error})")
    print(f"\nserved on 127.0.0.1: {summary(collection)}; {len(collection.warnings)} warnings")
    for line in collection.warnings:
        print(f"  warning: {line}")
    for line in missing:
        print(f"  MISSING {line}")
    return not missing


if __name__ == "__main__":
    sys.exit(main())
