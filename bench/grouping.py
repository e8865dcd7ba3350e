"""Are trends stories? News events mixed into one week, against k-means told the true k.

multidoc/ (default): WikiNews events of 10 articles each, all together and
in random subsets of 6 and 8 events (several seeds), each mix built as one
week with `trends: []` and `max_trends` = the number of events. Per mix:
purity (the share of a trend's articles from its majority event, over all
trends' articles), topic recall (events that lead a trend), split events
(events leading two or more trends), and the trend names. Small-story mixes
(--small, several seeds): every event with 2 to 6 of its articles, where a
story's nearest neighbours are mostly other stories' articles. Baseline in
the same run: TF-IDF + k-means (scikit-learn) told the true number of
events, each cluster with its LexRank sentence (sumy) beside it.

--bbc: BBC articles of five categories as one week; every category should
lead a trend, and trends should not mix categories.

    python bench/grouping.py [--data ../shared/eval/multidoc] [--seeds 3] [--small 3] [--names]
    python bench/grouping.py --bbc [--data ../shared/eval/summarization/bbc]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402

from digest.collect.clean import text_to_blocks  # noqa: E402
from digest.models import Article, Block  # noqa: E402
from digest.summarize import summarize_week  # noqa: E402


def load(files: list[Path], label_of) -> tuple[list[Article], dict[str, str]]:
    """Articles from plain files whose first line is the headline, and each one's label."""
    articles, labels = [], {}
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        article_id = f"{path.parent.name}/{path.stem}"
        blocks = (Block("heading", lines[0].strip(), 1), *text_to_blocks("\n".join(lines[1:])))
        # Each article its own source: a story two sources tell is a trend.
        articles.append(Article(id=article_id, title=lines[0].strip(), source=article_id, blocks=blocks))
        labels[article_id] = label_of(path)
    return articles, labels


def score(groups: list[list[str]], labels: dict[str, str], events: list[str]) -> dict:
    """Purity, topic recall and split events of groups of article ids."""
    top = total = 0
    leads: Counter[str] = Counter()
    for group in groups:
        counts = Counter(labels[a] for a in group)
        leader, n = counts.most_common(1)[0]
        top, total = top + n, total + len(group)
        leads[leader] += 1
    return {
        "purity": top / max(total, 1),
        "recall": len(leads) / len(events),
        "split": sum(1 for n in leads.values() if n > 1),
        "groups": len(groups),
    }


def ours(articles: list[Article], max_trends: int, theme: str = "") -> tuple[list[list[str]], list[str], float]:
    started = time.perf_counter()
    summary = summarize_week(articles, [], max_trends=max_trends, theme=theme)
    elapsed = time.perf_counter() - started
    return [list(t.article_ids) for t in summary.trends], [t.name for t in summary.trends], elapsed


def kmeans(articles: list[Article], k: int, seed: int) -> tuple[list[list[str]], float]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    started = time.perf_counter()
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(a.text for a in articles)
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(matrix)
    groups: dict[int, list[str]] = {}
    for article, label in zip(articles, labels, strict=True):
        groups.setdefault(int(label), []).append(article.id)
    return list(groups.values()), time.perf_counter() - started


def lexrank_line(articles: list[Article], ids: list[str]) -> str:
    """The LexRank sentence of one k-means cluster (sumy), as its bullet would read."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    text = "\n\n".join(a.text for a in articles if a.id in set(ids))
    parser = PlaintextParser.from_string(text, Tokenizer("english"))
    best = LexRankSummarizer(Stemmer("english"))(parser.document, 1)
    return str(best[0])[:100] if best else ""


def multidoc(data: Path, seeds: int, names: bool, small: int = 3) -> int:
    files = sorted((data / "articles").glob("*/*.txt"))
    if not files:
        print(f"error: {data}: no articles/*/*.txt (the multidoc/ set)", file=sys.stderr)
        return 2
    everything, labels = load(files, lambda p: p.parent.name)
    events = sorted(set(labels.values()))
    mixes = [(len(events), 0)] + [(k, seed) for k in (8, 6) for seed in range(1, seeds + 1)]
    mixes += [(-len(events), seed) for seed in range(1, small + 1)]
    rows = []
    print(
        f"{'mix':>9} | {'digest: purity recall split trends  s':>38} | {'k-means (true k): purity recall split  s':>41}"
    )
    for k, seed in mixes:
        if k < 0:
            k, rng, chosen = -k, random.Random(seed), events
            by_event = {e: [a for a in everything if labels[a.id] == e] for e in events}
            week = [a for e in events for a in rng.sample(by_event[e], rng.choice([2, 3, 4, 5, 6]))]
        else:
            chosen = sorted(random.Random(seed).sample(events, k)) if k < len(events) else events
            week = [a for a in everything if labels[a.id] in chosen]
        groups, trend_names, seconds = ours(week, max_trends=k)
        base, base_seconds = kmeans(week, k, seed)
        mine, theirs = score(groups, labels, chosen), score(base, labels, chosen)
        rows.append((mine, theirs, seconds, base_seconds))
        label = f"{'small' if len(week) < 10 * k else f'{k:2d} ev'} s{seed}"
        print(
            f"{label:>9} | {mine['purity']:14.3f} {mine['recall']:6.2f} {mine['split']:5d} {mine['groups']:6d}"
            f" {seconds:5.1f} | {theirs['purity']:22.3f} {theirs['recall']:6.2f} {theirs['split']:5d}"
            f" {base_seconds:4.1f}"
        )
        if names or len(week) == len(everything):
            for name, group in zip(trend_names, groups, strict=True):
                print(f"           {name:40} {dict(Counter(labels[a] for a in group))}")
        if names:
            for group in base:
                print(f"           k-means {dict(Counter(labels[a] for a in group))}: {lexrank_line(week, group)}")
    print()
    for label, i in (("digest", 0), ("k-means told k", 1)):
        purity = statistics.mean(r[i]["purity"] for r in rows)
        recall = statistics.mean(r[i]["recall"] for r in rows)
        worst = min(r[i]["purity"] for r in rows)
        splits = sum(r[i]["split"] for r in rows)
        print(
            f"{label:15} purity mean {purity:.3f} (worst {worst:.3f}), topic recall mean {recall:.3f}, "
            f"split events {splits} over {len(rows)} mixes"
        )
    mine_s, base_s = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(
        f"time: digest {mine_s:.1f} s with bullets and names, k-means {base_s:.1f} s clusters only "
        f"({mine_s / max(base_s, 1e-9):.1f}x)"
    )
    return 0


def bbc(data: Path, max_trends: int) -> int:
    files = sorted((data / "article").glob("*/*.txt"))
    if not files:
        print(f"error: {data}: no article/*/*.txt (the BBC set)", file=sys.stderr)
        return 2
    articles, category = load(files, lambda p: p.parent.name)
    groups, trend_names, seconds = ours(articles, max_trends=max_trends, theme="BBC News")
    categories = sorted(set(category.values()))
    for name, group in zip(trend_names, groups, strict=True):
        counts = Counter(category[a] for a in group)
        print(f"{name:40} {counts.most_common(1)[0][1] / len(group):5.2f}  {dict(counts)}")
    mine = score(groups, category, categories)
    base, _ = kmeans(articles, len(categories), 0)
    theirs = score(base, category, categories)
    print(
        f"\ndigest: purity {mine['purity']:.3f}, {round(mine['recall'] * len(categories))} of {len(categories)} "
        f"categories lead a trend, {mine['groups']} trends shown, {seconds:.1f} s"
    )
    print(
        f"k-means told k={len(categories)}: purity {theirs['purity']:.3f}, "
        f"{round(theirs['recall'] * len(categories))} of {len(categories)} categories lead a cluster"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbc", action="store_true", help="the BBC mix of five categories instead of multidoc/")
    parser.add_argument("--data", type=folder, help="the data set's folder (default: in ../shared/eval/)")
    parser.add_argument("--seeds", type=int, default=3, help="random subsets of 6 and 8 events per size")
    parser.add_argument("--small", type=int, default=3, help="mixes of all events with 2-6 articles each")
    parser.add_argument("--names", action="store_true", help="every mix's trend names, and k-means with LexRank")
    parser.add_argument("--max-trends", type=int, default=12, help="BBC mix: trends shown")
    args = parser.parse_args()
    try:
        data = args.data or folder(str(SHARED / ("eval/summarization/bbc" if args.bbc else "eval/multidoc")))
    except argparse.ArgumentTypeError as exc:
        parser.error(f"--data: {exc}")
    return bbc(data, args.max_trends) if args.bbc else multidoc(data, args.seeds, args.names, args.small)


if __name__ == "__main__":
    sys.exit(main())
