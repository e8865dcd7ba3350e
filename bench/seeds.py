"""The five seed articles as one week, with only discovered trends.

Prints each seed's title as read, then the trends found with how many seeds
each cites and their bullets, and flags any bullet that carries boilerplate.

    python bench/seeds.py [--seeds ../shared/seeds]
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402
from digest.collect.local import read_file  # noqa: E402
from digest.config import load_config  # noqa: E402
from digest.pipeline import build  # noqa: E402
from digest.week import Week  # noqa: E402

BOILERPLATE = re.compile(
    r"photographer|image source|min read|avatar|see also|loved this|todo|subscribe|stay tuned|"
    r"let me know|https?://|\.(?:jpe?g|png)|sdxl", re.IGNORECASE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=folder, default=str(SHARED / "seeds"))
    args = parser.parse_args()
    seeds = args.seeds.resolve()
    print(f"# Seeds in {seeds}\n")
    for path in sorted(seeds.iterdir()):
        doc = read_file(path)
        print(f"- {path.name}: {doc.title!r} by {doc.author or '-'}, "
              f"{doc.published.date() if doc.published else 'undated'}, {len(doc.blocks)} blocks")
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "sources.yaml"
        config_path.write_text(
            "newsletter: {title: LLM Trends Weekly, description: 'Large language models and AI, every week'}\n"
            f"sources:\n  - {{name: Seeds, path: '{seeds}'}}\ntrends: []\n", encoding="utf-8")
        started = time.perf_counter()
        result = build(load_config(config_path), week=Week(2024, 20))
        elapsed = time.perf_counter() - started
    digest = result.digest
    assert digest is not None
    multi = sum(1 for t in digest.trends if len(t.article_ids) >= 2)
    print(f"\n# {len(digest.trends)} trends ({multi} citing two or more seeds), built in {elapsed:.2f} s\n")
    flagged = 0
    for trend in digest.trends:
        cited = {c.article_id for b in trend.bullets for c in b.sources}
        print(f"## {trend.name} — {len(trend.article_ids)} seeds in the trend, {len(cited)} cited")
        for bullet in trend.bullets:
            mark = ""
            if BOILERPLATE.search(bullet.text):
                mark, flagged = "  <-- BOILERPLATE", flagged + 1
            seeds_cited = ", ".join(Path(c.article_id).name[:3] for c in bullet.sources)
            print(f"- {bullet.text} [{seeds_cited}]{mark}")
        print()
    print(f"bullets with boilerplate: {flagged}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
