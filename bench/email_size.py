"""How big is the email at 5, 10 and 15 trends of 5 bullets, and does it stay under Gmail's clip?

Two weeks, each summarized and rendered as `digest build` would:
- real: the WikiNews events (multidoc, 100 articles) and the BBC articles
  (54) as one week, each article given a feed-like URL, so every bullet's
  citations are links, as they are for feeds;
- heavy: a made-up week of long headlines, long URLs and three sources per
  bullet, the worst case the budget is for.
For each, the HTML with no budget (the baseline, same run) and with the
budget, what moved to the web version, and the render time with the budget
as a ratio to the time without it.

    python bench/email_size.py [--data ../shared/eval]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402

from digest.collect.clean import text_to_blocks  # noqa: E402
from digest.models import Article, Block, Bullet, Citation, Digest, Trend  # noqa: E402
from digest.render import render_issue  # noqa: E402
from digest.render.budget import BUDGET, GMAIL_CLIP  # noqa: E402
from digest.summarize import summarize_week  # noqa: E402

NEWSLETTER = {
    "title": "Newsroom Weekly",
    "url": "https://news.example.org/issues",
    "from": "Newsroom Weekly <editor@news.example.org>",
    "unsubscribe_url": "https://news.example.org/unsubscribe",
    "description": "The week's news in five minutes.",
}
SIZES = (5, 10, 15)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def real_articles(data: Path) -> list[Article]:
    articles = []
    paths = sorted((data / "multidoc" / "articles").glob("*/*.txt")) + sorted(
        (data / "summarization" / "bbc" / "article").glob("*/*.txt")
    )
    for n, path in enumerate(paths):
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        title = lines[0].strip()
        source = f"{path.parent.name.title()} Desk"
        url = f"https://{slug(source)}.example.com/2024/04/{n:03d}/{slug(title)}"
        articles.append(
            Article(
                id=url,
                url=url,
                title=title,
                source=source,
                blocks=(Block("heading", title, 1), *text_to_blocks("\n".join(lines[1:]))),
                published=datetime(2024, 4, 22 + n % 7, 9, tzinfo=timezone.utc),
            )
        )
    return articles


def heavy_week(trends: int) -> tuple[tuple[Trend, ...], tuple[Article, ...]]:
    articles: list[Article] = []
    made = []
    for t in range(trends):
        bullets = []
        for b in range(5):
            cited = []
            for _ in range(3):
                n = len(articles)
                url = f"https://blog{n % 17}.example.org/2024/04/{n}/a-rather-long-slug-for-the-article-{n}?ref=rss"
                articles.append(
                    Article(
                        id=url,
                        url=url,
                        source=f"A source with a long name {n % 17}",
                        title=f"Article {n}: a long headline about trend {t}, the way news sites "
                        "write them, with a subtitle after the colon",
                        blocks=(Block("paragraph", "Text."),),
                        published=datetime(2024, 4, 22 + n % 7, tzinfo=timezone.utc),
                    )
                )
                cited.append(articles[-1])
            bullets.append(
                Bullet(
                    f"Bullet {b} of trend {t}: a sentence of some thirty words stating a claim its "
                    "sources share, with a figure like 42% and a name or two, as the summarizer "
                    "picks them.",
                    tuple(Citation(a.id, a.title, a.url, a.source) for a in cited),
                )
            )
        made.append(
            Trend(
                f"Trend {t} with a long descriptive name",
                tuple(bullets),
                tuple(a.id for a in articles[-15:]),
                configured=False,
                momentum="steady",
            )
        )
    return tuple(made), tuple(articles)


def digest_of(trends, articles) -> Digest:
    return Digest(
        title=NEWSLETTER["title"],
        week="2024-W17",
        start=date(2024, 4, 22),
        end=date(2024, 4, 28),
        trends=tuple(trends),
        articles=tuple(articles),
        newsletter=dict(NEWSLETTER),
    )


def measure(label: str, digest: Digest) -> None:
    render_issue(digest, budget=10**9)  # warm: templates loaded and compiled once, for both timings alike
    started = time.perf_counter()
    unbudgeted = render_issue(digest, budget=10**9)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    fitted = render_issue(digest, budget=BUDGET)
    seconds = time.perf_counter() - started
    bullets = sum(len(t.bullets) for t in digest.trends)
    full_kb, kb = len(unbudgeted.html.encode()) / 1024, len(fitted.html.encode()) / 1024
    moved = fitted.warnings[0].split(": ", 1)[1].split(" moved")[0] if fitted.warnings else "nothing"
    clip = "under" if kb * 1024 < GMAIL_CLIP else "OVER"
    print(
        f"{label:6} {len(digest.trends):3} trends {bullets:3} bullets {len(digest.articles):4} articles  "
        f"no budget {full_kb:6.1f} KB  budget {kb:6.1f} KB ({clip} the {GMAIL_CLIP // 1024} KB clip)  "
        f"moved: {moved:45}  time x{seconds / baseline:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=folder,
        default=str(SHARED / "eval"),
        help="the evaluation folder holding multidoc/ and summarization/bbc/",
    )
    args = parser.parse_args()
    articles = real_articles(args.data)
    print(f"budget {BUDGET // 1024} KB of HTML; baseline: the same issue rendered without a budget\n")
    for trends in SIZES:
        summary = summarize_week(articles, [], max_trends=trends, bullets=5, theme="The week's news")
        used = {a for t in summary.trends for a in t.article_ids}
        measure("real", digest_of(summary.trends, [a for a in articles if a.id in used]))
    for trends in SIZES:
        measure("heavy", digest_of(*heavy_week(trends)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
