"""Multi-document summaries, scored the DUC 2006 way, against the field's baselines.

Each BBC category is one cluster (its articles as one week); the reference is
the union of the articles' reference summaries. Every system writes a
250-word summary (the last sentence cut at the budget, as DUC does), scored
by ROUGE-2 and ROUGE-SU4 recall with stemming. In the same run: the lead of
the first article (DUC's NIST baseline is the newest article's lead), sumy
LexRank and sumy TextRank (best sentences first, as ours), all on the
sentences of our own splitter. Then time alone at DUC's cluster size (25
articles), where LexRank's cost grows with the square of the sentences.

    python bench/multidoc.py [--data ../shared/eval/summarization/bbc] [--words 250]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbc import _Words, load  # noqa: E402

from evaldata import SHARED, folder  # noqa: E402
from digest.models import Article, Block  # noqa: E402
from digest.summarize import summarize_cluster  # noqa: E402


def budget(sentences: list[str], words: int) -> str:
    """The first `words` words of the sentences, in order (DUC truncation)."""
    return " ".join(" ".join(sentences).split()[:words])


def grams(tokens: list[str], su4: bool) -> Counter:
    if not su4:
        return Counter(zip(tokens, tokens[1:]))
    found: Counter = Counter(tokens)  # SU4: unigrams plus skip-bigrams with up to 4 words between
    for i, first in enumerate(tokens):
        for j in range(i + 1, min(i + 6, len(tokens))):
            found[(first, tokens[j])] += 1
    return found


def recall(reference: str, summary: str, su4: bool, tokenizer) -> float:
    ref, got = grams(tokenizer.tokenize(reference), su4), grams(tokenizer.tokenize(summary), su4)
    return sum((ref & got).values()) / max(sum(ref.values()), 1)


def sumy_cluster(kind: str, docs: list[list[list[str]]], count: int) -> list[str]:
    """sumy's sentences best first (its own order is the documents'), so the
    250-word cut keeps its best, as it keeps ours."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    words = _Words()
    document = ObjectDocumentModel([Paragraph([Sentence(s, words) for s in p]) for paragraphs in docs for p in paragraphs])
    base = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer

    class BestFirst(base):
        @staticmethod
        def _get_best_sentences(sentences, count, rating, *args, **kwargs):
            return sorted(sentences, key=lambda s: -rating[s])[:count]

    return [str(s) for s in BestFirst(Stemmer("english"))(document, count)]


def ours(docs, titles, words: int) -> list[str]:
    articles = [Article(id=f"d{i}", title=title, source=f"s{i}",
                        blocks=(Block("heading", title, 1), *(Block("paragraph", " ".join(p)) for p in paragraphs)))
                for i, (title, paragraphs) in enumerate(zip(titles, docs))]
    return [p.text for p, _ in summarize_cluster(articles, words=words)]


def duc_size(clusters: dict[str, list], words: int, size: int = 25, runs: int = 3) -> None:
    """Time alone, at DUC's cluster size: 25 articles, drawn from every category."""
    items = [item for _, group in sorted(clusters.items()) for item in group]
    seconds = {"digest": 0.0, "lexrank": 0.0}
    for run in range(runs):
        chosen = [items[(run * 7 + i * 2) % len(items)] for i in range(size)]
        titles, docs = [t for t, _, _ in chosen], [p for _, p, _ in chosen]
        for name, system in (("digest", lambda: ours(docs, titles, words)),
                             ("lexrank", lambda: sumy_cluster("lexrank", docs, 20))):
            started = time.perf_counter()
            system()
            seconds[name] += (time.perf_counter() - started) / runs
    sentences = sum(len(p) for _, paragraphs, _ in items[:size] for p in paragraphs)
    print(f"at DUC size ({size} articles, about {sentences} sentences): digest {seconds['digest']:.3f} s, "
          f"lexrank {seconds['lexrank']:.3f} s per cluster ({seconds['lexrank'] / seconds['digest']:.0f}x faster)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=folder, default=str(SHARED / "eval/summarization/bbc"))
    parser.add_argument("--words", type=int, default=250)
    args = parser.parse_args()
    from rouge_score import tokenizers

    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    clusters: dict[str, list] = {}
    for category, _, title, paragraphs, reference in load(args.data):
        clusters.setdefault(category, []).append((title, paragraphs, reference))
    systems = {
        "lead": lambda docs, titles: [s for p in docs[0] for s in p],
        "digest": lambda docs, titles: ours(docs, titles, args.words),
        "lexrank": lambda docs, titles: sumy_cluster("lexrank", docs, 20),
        "textrank": lambda docs, titles: sumy_cluster("textrank", docs, 20),
    }
    scores = {name: ([], []) for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for _category, items in sorted(clusters.items()):
        titles = [t for t, _, _ in items]
        docs = [p for _, p, _ in items]
        reference = " ".join(" ".join(r) for _, _, r in items)
        for name, system in systems.items():
            started = time.perf_counter()
            summary = budget(system(docs, titles), args.words)
            seconds[name] += time.perf_counter() - started
            scores[name][0].append(recall(reference, summary, False, tokenizer))
            scores[name][1].append(recall(reference, summary, True, tokenizer))
    print(f"{len(clusters)} clusters ({', '.join(sorted(clusters))}), {args.words}-word summaries")
    print(f"{'system':9} {'R-2 rec':>8} {'R-SU4 rec':>10} {'s/cluster':>10}")
    for name in systems:
        r2, su4 = (statistics.mean(v) for v in scores[name])
        print(f"{name:9} {r2:8.4f} {su4:10.4f} {seconds[name] / len(clusters):10.3f}")
    duc_size(clusters, args.words)
    return 0


if __name__ == "__main__":
    sys.exit(main())
