"""How grouping scales: synthetic weeks of 1,000, 5,000 and 20,000 articles.

A synthetic week has many stories, as a large real week does: about eight
articles per story, each story built on one dev article (BBC, multidoc/, the
seeds) whose paragraphs its articles resample and shuffle, with the story's
own made-up names ("the Kelvaro Dunmoth inquiry") in its sentences, so that
the number of stories grows with the week. Each size runs in a fresh process
so peak memory (ru_maxrss) is its own. In the same process: the baseline,
reading the same articles into passages and the index (what any summary
costs), then grouping alone (`find_stories`), with its CPU time (the
machine is shared: wall time is noisy) and peak memory, and up to
`--week-max` articles the whole week (`summarize_week`: grouping, names,
bullets). Goal (issue 7): grouping 5,000 articles in under 15 s, growth no
worse than n log n, peak under 1 GB.

    python bench/scale.py [--eval ../shared/eval] [--sizes 1000 5000 20000] [--week-max 5000]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402

PER_STORY = 8
SYLLABLES = "ka vel ro dun moth ar is tem bra lo qui zen fa mir oc tu har ne sol vi gra pon".split()


def corpus(eval_dir: Path) -> list[tuple[str, str]]:
    """(title, text) of every dev article we can use."""
    docs = []
    paths = sorted((eval_dir / "summarization" / "bbc" / "article").glob("*/*.txt"))
    paths += sorted((eval_dir / "multidoc" / "articles").glob("*/*.txt"))
    for path in paths:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        docs.append((lines[0].strip(), "\n".join(lines[1:])))
    seeds = eval_dir.parent / "seeds"
    if seeds.is_dir():
        from digest.collect.local import read_file

        for path in sorted(seeds.iterdir()):
            doc = read_file(path)
            docs.append((doc.title, "\n\n".join(b.text for b in doc.blocks)))
    return docs


def made_up(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def week(eval_dir: Path, size: int):
    from digest.collect.clean import text_to_blocks
    from digest.models import Article, Block

    docs = [(title, text_to_blocks(text)) for title, text in corpus(eval_dir)]
    rng = random.Random(size)
    stories = []
    for _ in range(max(1, size // PER_STORY)):
        title, blocks = docs[rng.randrange(len(docs))]
        stories.append((title, blocks, made_up(rng), made_up(rng)))
    articles = []
    for i in range(size):
        title, blocks, first, second = stories[rng.randrange(len(stories))]
        kept = [b for b in blocks if rng.random() < 0.7] or list(blocks)
        rng.shuffle(kept)
        named = [
            Block(
                "paragraph",
                f"The {first} {second} inquiry heard new evidence. "
                f"{first} officials said the {second} case would go on.",
            )
        ]
        articles.append(
            Article(
                id=f"a{i}", title=f"{first} {second}: {title}", source=f"source-{i % 40}", blocks=tuple(named + kept)
            )
        )
    return articles


def one(eval_dir: Path, size: int, whole_week: bool) -> dict:
    from digest.summarize import summarize_week
    from digest.summarize.index import build_index
    from digest.summarize.passages import split_all
    from digest.summarize.stories import find_stories

    articles = week(eval_dir, size)
    started, cpu = time.perf_counter(), time.process_time()
    index = build_index(articles, split_all(articles))
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    stories = find_stories(index)
    grouping, grouping_cpu = time.perf_counter() - started, time.process_time() - cpu
    grouping_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    elapsed = math.nan
    if whole_week:
        del index
        started = time.perf_counter()
        summarize_week(articles, [], max_trends=8, bullets=4)
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size,
        "seconds": elapsed,
        "grouping": grouping,
        "grouping_cpu": grouping_cpu,
        "baseline": baseline,
        "baseline_cpu": baseline_cpu,
        "before_mb": before,
        "grouping_mb": grouping_peak,
        "peak_mb": peak,
        "stories": len(stories),
        "passages": sum(len(a.blocks) for a in articles),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=folder, default=str(SHARED / "eval"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one size may take")
    parser.add_argument(
        "--week-max",
        type=int,
        default=5000,
        help="sizes above this time grouping alone, not the whole week (names, bullets)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.eval, args.one, args.one <= args.week_max)))
        return 0
    rows = []
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--eval", str(args.eval), "--one", str(size), "--week-max", str(args.week_max)],
            check=True,
            capture_output=True,
            text=True,
            timeout=args.timeout,
        ).stdout
        rows.append(json.loads(out))
    print(
        f"{'articles':>8} {'blocks':>7} | {'index s':>8} {'cpu':>6} | {'grouping s':>10} {'cpu':>6}"
        f" {'x index':>7} | {'week s':>7} | {'MB before':>9} {'grouping':>8} {'peak':>6} | {'stories':>7}"
    )
    for r in rows:
        print(
            f"{r['size']:8d} {r['passages']:7d} | {r['baseline']:8.2f} {r['baseline_cpu']:6.2f} |"
            f" {r['grouping']:10.2f}"
            f" {r['grouping_cpu']:6.2f} {r['grouping_cpu'] / max(r['baseline_cpu'], 1e-9):7.2f} |"
            f" {r['seconds']:7.2f} | {r['before_mb']:9.0f} {r['grouping_mb']:8.0f} {r['peak_mb']:6.0f} |"
            f" {r['stories']:7d}"
        )
    for a, b in zip(rows, rows[1:], strict=False):
        ratio = math.log(b["size"] / a["size"])
        nlogn = math.log(b["size"] * math.log(b["size"]) / (a["size"] * math.log(a["size"]))) / ratio
        grouping = math.log(b["grouping_cpu"] / a["grouping_cpu"]) / ratio
        print(
            f"growth {a['size']}->{b['size']} (cpu): grouping n^{grouping:.2f},"
            f" index (baseline) n^{math.log(b['baseline_cpu'] / a['baseline_cpu']) / ratio:.2f}; "
            f"n log n is n^{nlogn:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
