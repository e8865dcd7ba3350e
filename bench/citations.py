"""Does every source a bullet cites say the bullet's claim? The seeds and multidoc/ as weeks.

A citation is backed when the cited article holds a passage (a sentence or
list item, or two adjacent ones) that states what the bullet says beyond the
trend's name: at least `--threshold` of the bullet's content words (stemmed,
stopwords and the trend name's words out) occur in it. The passage the bullet
is taken from backs its own article trivially, so the figure that matters is
for the other sources cited. Every unbacked citation is printed with the
cited article's closest passage, to be judged by hand.

    python bench/citations.py [--seeds ../shared/seeds] [--multidoc ../shared/eval/multidoc] [--threshold 0.5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from evaldata import SHARED, folder  # noqa: E402
from multidoc import load_event  # noqa: E402

from digest.config import load_config  # noqa: E402
from digest.models import Article, Trend  # noqa: E402
from digest.pipeline import build  # noqa: E402
from digest.summarize import summarize_week  # noqa: E402
from digest.summarize.passages import split_passages  # noqa: E402
from digest.summarize.text import content_terms  # noqa: E402
from digest.week import Week  # noqa: E402


def windows(article: Article) -> list[str]:
    """The article's passages, alone and with the next one (a claim may span a sentence break)."""
    texts = [p.text for p in split_passages(article)]
    return texts + [f"{a} {b}" for a, b in zip(texts, texts[1:], strict=False)]


def backing(bullet: str, name: str, article: Article) -> tuple[float, str]:
    """The share of the bullet's own words that the article's best passage says, and that passage."""
    claim = set(content_terms(bullet)) - set(content_terms(name))
    if not claim:
        return 1.0, ""
    best, where = 0.0, ""
    for text in windows(article):
        share = len(claim & set(content_terms(text))) / len(claim)
        if share > best:
            best, where = share, text
    return best, where


def audit(
    label: str, trends: list[Trend], articles: dict[str, Article], threshold: float, verbose: bool = False
) -> tuple[int, int]:
    """Print the unbacked citations of one week; (other sources cited, of them backed)."""
    cited = backed = missed = 0
    print(f"# {label}: {len(trends)} trends, {sum(len(t.bullets) for t in trends)} bullets")
    for trend in trends:
        for bullet in trend.bullets:
            for i, citation in enumerate(bullet.sources):
                if i == 0:
                    continue  # the article the bullet is quoted from
                share, where = backing(bullet.text, trend.name, articles[citation.article_id])
                cited += 1
                if share >= threshold:
                    backed += 1
                else:
                    print(
                        f"  [{trend.name}] {bullet.text[:110]}\n    cites {citation.article_id} ({share:.2f}): "
                        f"{where[:140]}"
                    )
            # The other side: articles of the trend that say the claim but are not cited.
            quoted = {c.article_id for c in bullet.sources}
            for other in trend.article_ids:
                if other not in quoted:
                    share, where = backing(bullet.text, trend.name, articles[other])
                    if share >= threshold:
                        missed += 1
                        if verbose:
                            print(
                                f"  [{trend.name}] {bullet.text[:110]}\n    not cited: {other} ({share:.2f}): "
                                f"{where[:140]}"
                            )
    print(
        f"  {backed} of {cited} other citations backed at {threshold:.2f}; "
        f"{missed} articles of the trends that back a bullet are not cited\n"
    )
    return cited, backed


def seeds_week(seeds: Path) -> tuple[list[Trend], dict[str, Article]]:
    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "sources.yaml"
        config_path.write_text(
            "newsletter: {title: LLM Trends Weekly, description: 'Large language models and AI, every week'}\n"
            f"sources:\n  - {{name: Seeds, path: '{seeds.resolve()}'}}\ntrends: []\n",
            encoding="utf-8",
        )
        digest = build(load_config(config_path), week=Week(2024, 20)).digest
    assert digest is not None
    return list(digest.trends), {a.id: a for a in digest.articles}


def multidoc_week(data: Path) -> tuple[list[Trend], dict[str, Article]]:
    articles = [a for event in sorted((data / "articles").iterdir()) if event.is_dir() for a in load_event(event)]
    # Each article its own source, as ten wire services would be.
    articles = [Article(id=a.id, title=a.title, source=a.id, blocks=a.blocks, published=a.published) for a in articles]
    summary = summarize_week(articles, [], max_trends=10)
    return summary.trends, {a.id: a for a in articles}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=folder, default=str(SHARED / "seeds"))
    parser.add_argument("--multidoc", type=folder, default=str(SHARED / "eval/multidoc"))
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--missed", action="store_true", help="also print the backing articles not cited")
    args = parser.parse_args()
    total = [0, 0]
    for label, (trends, articles) in (("seeds", seeds_week(args.seeds)), ("multidoc", multidoc_week(args.multidoc))):
        cited, backed = audit(label, trends, articles, args.threshold, args.missed)
        total[0] += cited
        total[1] += backed
    print(
        f"all: {total[1]} of {total[0]} citations beyond the quoted article are backed "
        f"({total[1] / max(total[0], 1):.0%}) at a threshold of {args.threshold:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
