"""Main-text extraction on ../shared/eval/extraction/, with the benchmark's own metric.

Word tokens (\\w+), shingles of 4, matched as multisets per page; each page's
tp/fp/fn normalised to sum to 1; precision and recall averaged over pages;
F1 of the averages. In the same run: trafilatura (plain extract()),
readability-lxml, digest's own HTML cleaner alone, and digest's page reader.

    python bench/extraction.py [--data ../shared/eval/extraction]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaldata import SHARED, folder  # noqa: E402


def shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(len(tokens) - 3, 0)))


def page_scores(expected: str, got: str) -> tuple[float, float, float]:
    truth, found = shingles(expected), shingles(got)
    tp = sum((truth & found).values())
    fp = sum(found.values()) - tp
    fn = sum(truth.values()) - tp
    total = tp + fp + fn or 1
    return tp / total, fp / total, fn / total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=folder, default=str(SHARED / "eval" / "extraction"))
    args = parser.parse_args()
    import trafilatura
    from readability import Document

    from digest.collect.html import html_to_blocks
    from digest.collect.local import read_html_bytes

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    systems = {
        "digest": lambda raw, html: "\n".join(b.text for b in read_html_bytes(raw, "page.html").blocks),
        "trafilatura": lambda raw, html: trafilatura.extract(html) or "",
        "readability-lxml": lambda raw, html: " ".join(b.text for b in html_to_blocks(Document(html).summary())),
        "digest cleaner only": lambda raw, html: "\n".join(b.text for b in html_to_blocks(html)),
    }
    sums = {name: [0.0, 0.0, 0.0] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    pages = 0
    for page, expected in sorted(truth.items()):
        path = args.data / "html" / f"{page}.html.gz"
        if not path.exists():
            continue
        raw = gzip.decompress(path.read_bytes())
        html = raw.decode("utf-8", errors="replace")
        pages += 1
        for name, system in systems.items():
            started = time.perf_counter()
            try:
                got = system(raw, html)
            except Exception:  # noqa: BLE001 - a crash scores as nothing extracted
                got = ""
            seconds[name] += time.perf_counter() - started
            tp, fp, fn = page_scores(expected["articleBody"], got)
            sums[name][0] += tp
            sums[name][1] += fp
            sums[name][2] += fn
    print(f"{pages} pages")
    print(f"{'system':22} {'P':>6} {'R':>6} {'F1':>6} {'ms/page':>8}")
    for name, (tp, fp, fn) in sums.items():
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{name:22} {precision:6.3f} {recall:6.3f} {f1:6.3f} {1000 * seconds[name] / pages:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
