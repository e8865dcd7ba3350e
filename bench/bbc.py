"""Single-document extractive summaries on the BBC dev set, against baselines.

ROUGE-1/2/L F1 (rouge-score, stemming on), selecting as many sentences as the
reference has. In the same run: Lead-K, sumy LexRank and sumy TextRank, all
fed the same sentences from our splitter (sumy's own tokenizers want NLTK data
that cannot be downloaded here).

    python bench/bbc.py [--data ../shared/eval/summarization/bbc]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402

from digest.models import Article, Block  # noqa: E402
from digest.summarize import summarize_cluster  # noqa: E402
from digest.summarize.text import split_sentences  # noqa: E402


def load(data: Path):
    """(category, article title, paragraphs of sentences, reference sentences) per article."""
    for path in sorted((data / "article").glob("*/*.txt")):
        category = path.parent.name
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        title = lines[0].strip()
        paragraphs = [
            split_sentences(" ".join(p.split())) for p in re.split(r"\n\s*\n", "\n".join(lines[1:])) if p.strip()
        ]
        summary = (data / "summary" / category / path.name).read_text(encoding="utf-8", errors="replace")
        reference = [s for s in summary.splitlines() if s.strip()]
        yield category, path.stem, title, paragraphs, reference


def ours(title: str, paragraphs: list[list[str]], k: int) -> list[str]:
    blocks = (Block("heading", title, 1), *(Block("paragraph", " ".join(p)) for p in paragraphs))
    article = Article(id="a", title=title, source="bbc", blocks=blocks)
    chosen = summarize_cluster([article], sentences=k)
    return [p.text for p, _ in sorted(chosen, key=lambda pair: pair[0].position)]


class _Words:
    """The word tokenizer sumy needs, without NLTK data."""

    language = "english"

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return re.findall(r"\w+", sentence)

    @staticmethod
    def to_sentences(paragraph: str) -> list[str]:
        return split_sentences(paragraph)


def sumy_summary(kind: str, paragraphs: list[list[str]], k: int) -> list[str]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    words = _Words()
    document = ObjectDocumentModel([Paragraph([Sentence(s, words) for s in p]) for p in paragraphs])
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    return [str(s) for s in summarizer(document, k)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=folder, default=str(SHARED / "eval/summarization/bbc"))
    args = parser.parse_args()
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {
        "lead-k": lambda t, p, k: [s for para in p for s in para][:k],
        "digest": ours,
        "lexrank": lambda t, p, k: sumy_summary("lexrank", p, k),
        "textrank": lambda t, p, k: sumy_summary("textrank", p, k),
    }
    scores = {name: {"rouge1": [], "rouge2": [], "rougeL": []} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    count = 0
    for _category, _stem, title, paragraphs, reference in load(args.data):
        count += 1
        k = len(reference)
        for name, system in systems.items():
            started = time.perf_counter()
            summary = system(title, paragraphs, k)
            seconds[name] += time.perf_counter() - started
            result = scorer.score("\n".join(reference), "\n".join(summary))
            for metric, value in result.items():
                scores[name][metric].append(value.fmeasure)
    print(f"{count} articles from {args.data}")
    print(f"{'system':10} {'R-1 F':>7} {'R-2 F':>7} {'R-L F':>7} {'ms/doc':>8}")
    for name in systems:
        means = [statistics.mean(scores[name][m]) for m in ("rouge1", "rouge2", "rougeL")]
        print(f"{name:10} {means[0]:7.4f} {means[1]:7.4f} {means[2]:7.4f} {1000 * seconds[name] / count:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
