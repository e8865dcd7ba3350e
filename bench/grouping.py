"""Do discovered trends mix topics? BBC articles of five categories as one week.

Builds the week with `trends: []` and reports, per trend, its articles'
categories; purity is the share of a trend's articles from its majority
category (averaged over trends, weighted by articles), and coverage how many
categories lead at least one trend. Goal (issue 4): purity >= 0.85.

    python bench/grouping.py [--data ../shared/eval/summarization/bbc]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402
from digest.collect.clean import text_to_blocks  # noqa: E402
from digest.models import Article, Block  # noqa: E402
from digest.summarize import summarize_week  # noqa: E402


def load(data: Path) -> tuple[list[Article], dict[str, str]]:
    articles, category = [], {}
    for path in sorted((data / "article").glob("*/*.txt")):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        blocks = (Block("heading", lines[0].strip(), 1), *text_to_blocks("\n".join(lines[1:])))
        article_id = f"{path.parent.name}/{path.stem}"
        articles.append(Article(id=article_id, title=lines[0].strip(), source="BBC News", blocks=blocks))
        category[article_id] = path.parent.name
    return articles, category


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=folder, default=str(SHARED / "eval/summarization/bbc"))
    parser.add_argument("--max-trends", type=int, default=8)
    args = parser.parse_args()
    articles, category = load(args.data)
    summary = summarize_week(articles, [], max_trends=args.max_trends, theme="BBC News")
    weighted, total, leaders = 0.0, 0, set()
    for trend in summary.trends:
        counts = Counter(category[a] for a in trend.article_ids)
        leader, top = counts.most_common(1)[0]
        purity = top / sum(counts.values())
        weighted += top
        total += sum(counts.values())
        leaders.add(leader)
        print(f"{trend.name:40} {purity:5.2f}  {dict(counts)}")
    print(f"\npurity {weighted / max(total, 1):.3f} (weighted by articles; goal >= 0.85), "
          f"mean over trends {sum(Counter(category[a] for a in t.article_ids).most_common(1)[0][1] / len(t.article_ids) for t in summary.trends) / max(len(summary.trends), 1):.3f}; "
          f"{len(leaders)} of {len(set(category.values()))} categories lead a trend")
    return 0


if __name__ == "__main__":
    sys.exit(main())
