"""How the summarizer scales: synthetic weeks of 100, 1,000 and 5,000 articles.

Articles are resampled from the dev sets (BBC articles and the seeds), each
copy given its own id and source so nothing merges. Each size runs in a
fresh process so peak memory (ru_maxrss) is its own; the baseline in the
same run is the time to read and split the same articles without
summarizing. Prints time, peak memory and the growth exponent between sizes.

    python bench/scale.py [--eval ../shared/eval] [--sizes 100 1000 5000]
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


def corpus(eval_dir: Path) -> list[tuple[str, str]]:
    """(title, text) of every dev article we can use."""
    docs = []
    for path in sorted((eval_dir / "summarization" / "bbc" / "article").glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        docs.append((lines[0].strip(), "\n".join(lines[1:])))
    seeds = eval_dir.parent / "seeds"
    if seeds.is_dir():
        from digest.collect.local import read_file

        for path in sorted(seeds.iterdir()):
            doc = read_file(path)
            docs.append((doc.title, "\n\n".join(b.text for b in doc.blocks)))
    return docs


def week(eval_dir: Path, size: int):
    from digest.collect.clean import text_to_blocks
    from digest.models import Article

    docs = [(title, text_to_blocks(text)) for title, text in corpus(eval_dir)]
    rng = random.Random(size)
    articles = []
    for i in range(size):
        # A resampled article: a dev article's title and most of its paragraphs, shuffled, so that
        # copies are not identical (a real week has few exact duplicates; dedupe removes those).
        title, blocks = docs[rng.randrange(len(docs))]
        kept = [b for b in blocks if rng.random() < 0.8] or list(blocks)
        rng.shuffle(kept)
        articles.append(Article(id=f"a{i}", title=title, source=f"source-{i % 40}", blocks=tuple(kept)))
    return articles


def one(eval_dir: Path, size: int) -> dict:
    from digest.summarize import summarize_week
    from digest.summarize.passages import split_all

    articles = week(eval_dir, size)
    started = time.perf_counter()
    split_all(articles)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    summary = summarize_week(articles, [], max_trends=8, bullets=4)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"size": size, "seconds": elapsed, "baseline": baseline, "peak_mb": peak, "trends": len(summary.trends)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=folder, default=str(SHARED / "eval"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.eval, args.one)))
        return 0
    rows = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--eval", str(args.eval), "--one", str(size)],
                             check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out))
    print(f"{'articles':>8} {'summarize s':>12} {'split-only s':>13} {'ratio':>6} {'peak MB':>8} {'trends':>6}")
    for row in rows:
        print(f"{row['size']:8d} {row['seconds']:12.2f} {row['baseline']:13.2f} "
              f"{row['seconds'] / max(row['baseline'], 1e-9):6.1f} {row['peak_mb']:8.0f} {row['trends']:6d}")
    for a, b in zip(rows, rows[1:]):
        exponent = math.log(b["seconds"] / a["seconds"]) / math.log(b["size"] / a["size"])
        print(f"growth exponent {a['size']}->{b['size']}: {exponent:.2f} (n log n is about 1.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
