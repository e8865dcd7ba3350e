"""Multi-document summaries on WikiNews events, scored the DUC/TAC way, against the field's baselines.

Each event of `multidoc/` (10 articles, three human abstracts) is one
cluster. Every system writes a 250-word summary (cut at the budget, as
ROUGE's `-l 250` does), scored by ROUGE-2 and ROUGE-SU4 recall with Porter
stemming (ROUGE-1.5.5 `-m -n 2 -2 4 -u -f A`), jackknifed over the three
references: each score is the mean of the three leave-one-out scores, each
pooling the hits and counts of the two references kept. In the same run:
the lead of the newest article (DUC's NIST baseline), sumy LexRank and sumy
TextRank (best sentences first), all on the sentences of our own splitter,
and digest with the newest article's headline as `--query` (multidoc has
no topic statements; a headline is the closest thing it has). Then time
alone at DUC's cluster size, 25 articles drawn from several events.

    python bench/multidoc.py [--data ../shared/eval/multidoc] [--words 250]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bbc import _Words  # noqa: E402
from evaldata import SHARED, folder  # noqa: E402

from digest.collect.clean import text_to_blocks  # noqa: E402
from digest.models import Article, Block  # noqa: E402
from digest.summarize import summarize_cluster  # noqa: E402
from digest.summarize.text import split_sentences  # noqa: E402

_DATE_RE = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+(\w+ \d{1,2}, \d{4})$")


def load_event(path: Path) -> list[Article]:
    """The event's articles, newest first: the headline is the first line, a date line follows."""
    articles = []
    for file in sorted(path.glob("*.txt"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        lines = file.read_text(encoding="utf-8", errors="replace").split("\n")
        title, published, body = lines[0].strip(), None, []
        for line in lines[1:]:
            match = _DATE_RE.match(line.strip())
            if match and published is None:
                published = datetime.strptime(match.group(1), "%B %d, %Y")
            else:
                body.append(line)
        blocks = (Block("heading", title, 1), *text_to_blocks("\n".join(body)))
        articles.append(
            Article(id=f"{path.name}/{file.stem}", title=title, source=path.name, blocks=blocks, published=published)
        )
    return sorted(articles, key=lambda a: a.published or datetime.min, reverse=True)


def load(data: Path) -> dict[str, tuple[list[Article], list[str]]]:
    events = {}
    for event in sorted(p for p in (data / "articles").iterdir() if p.is_dir()):
        references = [
            p.read_text(encoding="utf-8", errors="replace")
            for p in sorted((data / "summaries" / event.name).glob("*.txt"))
        ]
        events[event.name] = (load_event(event), references)
    return events


def budget(sentences: list[str], words: int) -> str:
    """The first `words` words of the sentences, in order (ROUGE's -l truncation)."""
    return " ".join(" ".join(sentences).split()[:words])


def grams(tokens: list[str], su4: bool) -> Counter:
    if not su4:
        return Counter(zip(tokens, tokens[1:], strict=False))
    found: Counter = Counter(tokens)  # SU4: unigrams plus skip-bigrams with up to 4 words between
    for i, first in enumerate(tokens):
        for j in range(i + 1, min(i + 6, len(tokens))):
            found[(first, tokens[j])] += 1
    return found


def jackknifed(references: list[Counter], summary: Counter) -> float:
    """Mean over leave-one-out subsets of pooled recall (ROUGE's -f A), as DUC scores with several models."""

    def pooled(refs: list[Counter]) -> float:
        return sum(sum((r & summary).values()) for r in refs) / max(sum(sum(r.values()) for r in refs), 1)

    if len(references) < 2:
        return pooled(references)
    return statistics.mean(pooled(references[:i] + references[i + 1 :]) for i in range(len(references)))


def sentences_of(articles: list[Article]) -> list[list[list[str]]]:
    """Per article, its paragraphs as sentences (the headline left out, as sumy would read the body)."""
    return [[split_sentences(b.text) for b in a.blocks if b.kind != "heading"] for a in articles]


def sumy_cluster(kind: str, docs: list[list[list[str]]], count: int) -> list[str]:
    """sumy's sentences best first (its own order is the documents'), so the
    250-word cut keeps its best, as it keeps ours."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    words = _Words()
    document = ObjectDocumentModel(
        [Paragraph([Sentence(s, words) for s in p]) for paragraphs in docs for p in paragraphs if p]
    )
    base = LexRankSummarizer if kind == "lexrank" else TextRankSummarizer

    class BestFirst(base):  # type: ignore[misc, valid-type]
        @staticmethod
        def _get_best_sentences(sentences, count, rating, *args, **kwargs):
            return sorted(sentences, key=lambda s: -rating[s])[:count]

    return [str(s) for s in BestFirst(Stemmer("english"))(document, count)]


def ours(articles: list[Article], words: int, query: str | None = None) -> list[str]:
    return [p.text for p, _ in summarize_cluster(articles, words=words, query=query)]


def duc_size(events: dict[str, tuple[list[Article], list[str]]], words: int, size: int = 25, runs: int = 3) -> None:
    """Time alone, at DUC's cluster size: 25 articles drawn from several events."""
    pool = [a for _, (articles, _) in sorted(events.items()) for a in articles]
    seconds = {"digest": 0.0, "lexrank": 0.0}
    sentences = 0
    for run in range(runs):
        chosen = [pool[(run * 7 + i * 3) % len(pool)] for i in range(size)]
        docs = sentences_of(chosen)
        sentences = sum(len(p) for d in docs for p in d)
        for name, system in (
            ("digest", lambda chosen=chosen: ours(chosen, words)),
            ("lexrank", lambda docs=docs: sumy_cluster("lexrank", docs, 20)),
        ):
            started = time.perf_counter()
            system()
            seconds[name] += (time.perf_counter() - started) / runs
    print(
        f"at DUC size ({size} articles, about {sentences} sentences): digest {seconds['digest']:.3f} s, "
        f"lexrank {seconds['lexrank']:.3f} s per cluster ({seconds['lexrank'] / seconds['digest']:.1f}x faster)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=folder, default=str(SHARED / "eval/multidoc"))
    parser.add_argument("--words", type=int, default=250)
    parser.add_argument("--no-timing", action="store_true", help="skip the timing at DUC's cluster size")
    args = parser.parse_args()
    from rouge_score import tokenizers

    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    events = load(args.data)
    systems = {
        "lead": lambda arts: [s for p in sentences_of(arts[:1])[0] for s in p],
        "digest": lambda arts: ours(arts, args.words),
        "digest -q": lambda arts: ours(arts, args.words, query=arts[0].title),
        "lexrank": lambda arts: sumy_cluster("lexrank", sentences_of(arts), 20),
        "textrank": lambda arts: sumy_cluster("textrank", sentences_of(arts), 20),
    }
    scores: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    rows = []
    for event, (articles, references) in sorted(events.items()):
        tokens = [tokenizer.tokenize(r) for r in references]
        row = [event]
        for name, system in systems.items():
            started = time.perf_counter()
            summary = tokenizer.tokenize(budget(system(articles), args.words))
            seconds[name] += time.perf_counter() - started
            for su4, found in ((False, scores[name][0]), (True, scores[name][1])):
                found.append(jackknifed([grams(t, su4) for t in tokens], grams(summary, su4)))
            row.append(f"{scores[name][0][-1]:.3f}")
        rows.append(row)
    print(
        f"{len(events)} events from {args.data}, {args.words}-word summaries, "
        f"{sum(len(r) for _, r in events.values())} references; ROUGE recall, stemmed, jackknifed"
    )
    print(f"{'event':6} " + " ".join(f"{name:>9}" for name in systems) + "   (R-2 per event)")
    for row in rows:
        print(f"{row[0]:6} " + " ".join(f"{v:>9}" for v in row[1:]))
    print(f"\n{'system':10} {'R-2 rec':>8} {'R-SU4 rec':>10} {'s/cluster':>10}")
    for name in systems:
        r2, su4 = (statistics.mean(v) for v in scores[name])
        print(f"{name:10} {r2:8.4f} {su4:10.4f} {seconds[name] / len(events):10.3f}")
    if not args.no_timing:
        duc_size(events, args.words)
    return 0


if __name__ == "__main__":
    sys.exit(main())
