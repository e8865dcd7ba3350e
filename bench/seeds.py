"""The five seed articles as one week, with only discovered trends (`trends: []`).

The seeds are roundups: each lists about six trends. Prints each seed's title
as read, the trends found with how many seeds each cites and their bullets,
and flags any bullet that carries boilerplate. Then the check: every topic
that two or more seeds discuss (listed below by hand, from reading them)
should get a trend that cites those seeds, and its name or bullets should
say what the topic is.

    python bench/seeds.py [--seeds ../shared/seeds] [--max-trends 20]
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
    r"let me know|https?://|\.(?:jpe?g|png)|sdxl",
    re.IGNORECASE,
)


# Topics two or more seeds discuss: which seeds (by file-name prefix), and words that say the topic.
TOPICS = [
    ("Multimodality", {"000", "001", "002"}, r"multimodal|image|video|audio"),
    ("Direct Preference Optimization", {"000", "001"}, r"preference optimi[sz]ation"),
    ("Specialised / small models", {"000", "001", "002"}, r"speciali[sz]ed|small language|SLM"),
    ("Bias and fairness", {"001", "002", "004"}, r"bias|fair"),
    ("Agents", {"000", "003"}, r"agent"),
    ("Efficiency and cost", {"000", "001", "002", "004"}, r"efficien|cost|comput|quantiz"),
]


def coverage(digest) -> int:
    """Print, for each topic, the trend that tells it (or what is missing); return how many are told."""
    told = 0
    print("# Topics two or more seeds discuss\n")
    for topic, seeds, words in TOPICS:
        best = None
        for trend in digest.trends:
            cited = {Path(c.article_id).name[:3] for b in trend.bullets for c in b.sources}
            text = " ".join([trend.name, *(b.text for b in trend.bullets)])
            if len(cited & seeds) >= 2 and re.search(words, text, re.IGNORECASE):
                if best is None or len(cited & seeds) > len(best[1] & seeds):
                    best = (trend, cited)
        if best:
            told += 1
            cited = ", ".join(sorted(best[1] & seeds))
            print(f"- {topic}: '{best[0].name}' cites {cited} of {', '.join(sorted(seeds))}")
        else:
            print(f"- {topic}: MISSING (no trend cites two of {', '.join(sorted(seeds))} saying it)")
    print(f"\n{told} of {len(TOPICS)} topics have a trend citing two or more of their seeds")
    return told


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=folder, default=str(SHARED / "seeds"))
    parser.add_argument("--max-trends", type=int, default=20, help="trends shown (the check wants them all)")
    args = parser.parse_args()
    seeds = args.seeds.resolve()
    print(f"# Seeds in {seeds}\n")
    for path in sorted(seeds.iterdir()):
        doc = read_file(path)
        print(
            f"- {path.name}: {doc.title!r} by {doc.author or '-'}, "
            f"{doc.published.date() if doc.published else 'undated'}, {len(doc.blocks)} blocks"
        )
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "sources.yaml"
        config_path.write_text(
            "newsletter: {title: LLM Trends Weekly, description: 'Large language models and AI, every week'}\n"
            f"sources:\n  - {{name: Seeds, path: '{seeds}'}}\ntrends: []\nmax_trends: {args.max_trends}\n",
            encoding="utf-8",
        )
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
    print(
        f"also this week: {len(digest.also)} stories ({', '.join(b.title for b in digest.also[:6])}"
        f"{', ...' if len(digest.also) > 6 else ''})\n"
    )
    told = coverage(digest)
    return 1 if flagged or told < len(TOPICS) else 0


if __name__ == "__main__":
    sys.exit(main())
