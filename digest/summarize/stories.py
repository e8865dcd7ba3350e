"""The week's stories: its articles, and a roundup's sections, grouped by what they are about.

A unit is what belongs whole to one story: a news article, or one section or
labelled list item of a roundup ("Multimodality: ...", "## Efficient
inference"). Every unit is a tf-idf vector; each links to its nearest
neighbours by cosine similarity, and Leiden with the constant Potts model
cuts that graph into communities whose members are, on average, at least
`story_similarity` alike; a unit left alone joins the story whose centre it
is clearly nearest. The week decides how many stories there are; no
count is given. Neighbours are found through each term's strongest units,
never by comparing every pair, so a week of thousands of articles stays
fast and small.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .index import Index
from .text import split_label, term

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

NEIGHBOURS = 10  # edges kept per unit: enough to hold a story of any size together
POSTINGS_PER_TERM = 64  # a term links a unit to the units that use it most, this many
QUERY_TERMS = 48  # past EXACT_UP_TO units, a unit meets others through its strongest terms only
EXACT_UP_TO = 2000
CHUNK = 1000  # units compared at once: memory stays small at any size
MIN_PARTS = 3  # a roundup has at least this many sections or labelled items
NAME_WEIGHT = 2.0
_NAME_RE = re.compile(r"(?<=[a-z0-9,;)] )[A-Z][a-z][a-z'’]*")  # after a lower-case word: not a sentence's start
TITLE_WEIGHT = 2.0  # a headline says what the article is about
# A roundup's section is short, so it is less alike to anything, its own story included: in
# CPM it weighs this much of an article, so two sections join at a third of the resolution
# (0.02, the resolution at which the seeds' roundups hold together), a section and an article
# at 0.58 of it.
PART_SIZE = 0.58


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of the week that belongs whole to one story."""

    article_id: str
    entries: tuple[int, ...]
    part: str = ""  # '' for a whole article; else the section or item label it stands under


@dataclass(frozen=True, slots=True)
class Story:
    """Units about one thing, and the articles they come from."""

    units: tuple[Unit, ...]
    articles: tuple[str, ...]

    @property
    def entries(self) -> list[int]:
        return sorted(i for unit in self.units for i in unit.entries)


def find_stories(index: Index, exclude: frozenset[str] = frozenset(), similarity: float = 0.02) -> list[Story]:
    """The week's stories, most articles first.

    `exclude`: terms of the newsletter's subject, which say nothing about
    which story a unit tells; `similarity`: CPM's resolution (`story_similarity`).
    """
    units = split_units(index)
    if not units:
        return []
    sizes = [PART_SIZE if unit.part else 1.0 for unit in units]
    matrix = vectors(index, units, exclude)
    labels = communities(similarity_graph(matrix), similarity, sizes)
    labels = attach_strays(matrix, labels, [not unit.part for unit in units])
    return _whole_news(index, units, labels)


def split_units(index: Index) -> list[Unit]:
    """Whole articles, with the sections and labelled items of possible roundups apart."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(index.entries):
        by_article[entry.passage.article_id].append(i)
    units: list[Unit] = []
    for article, entries in by_article.items():
        parts = _parts(index, entries)
        if len(parts) >= MIN_PARTS:
            units.extend(Unit(article, tuple(members), label) for label, members in parts)
        else:
            units.append(Unit(article, tuple(entries)))
    return units


def _parts(index: Index, entries: list[int]) -> list[tuple[str, list[int]]]:
    """An article's sections, and within a section of several labelled items, each item alone."""
    sections: list[tuple[str, list[int]]] = [("", [])]
    for i in entries:
        passage = index.entries[i].passage
        if passage.kind == "heading" and passage.block >= 0:
            sections.append((passage.text, [i]))
        else:
            sections[-1][1].append(i)
    parts: list[tuple[str, list[int]]] = []
    for name, members in sections:
        labels = [i for i in members if _labelled_item(index, i)]
        if len(labels) < MIN_PARTS:
            parts.append((name, members))
            continue
        current: tuple[str, list[int]] = (name, [])
        parts.append(current)
        for i in members:
            if i in labels:
                current = (split_label(index.entries[i].passage.text)[0], [])  # type: ignore[index]
                parts.append(current)
            current[1].append(i)
    return [
        (name, members) for name, members in parts if any(index.entries[i].passage.kind != "heading" for i in members)
    ]


def _labelled_item(index: Index, i: int) -> bool:
    passage = index.entries[i].passage
    label = split_label(passage.text) if passage.kind == "item" else None
    return label is not None and len(label[0].split()) <= 8


def vectors(index: Index, units: Sequence[Unit], exclude: frozenset[str] = frozenset()) -> csr_matrix:
    """One l2-normalised tf-idf row per unit: its terms and multi-word phrases."""
    import numpy as np
    from scipy.sparse import csr_matrix

    columns: dict[str, int] = {}
    phrase_ok: dict[str, bool] = {}
    rows: list[int] = []
    cols: list[int] = []
    counts: list[float] = []
    column, idf = columns.setdefault, index.idf  # the hot loop of grouping: names bound once
    add_row, add_col, add_count = rows.append, cols.append, counts.append
    for row, unit in enumerate(units):
        for i in unit.entries:
            entry = index.entries[i]
            weight = TITLE_WEIGHT if entry.passage.kind == "heading" and entry.passage.block < 0 else 1.0
            names = _names(entry.passage.text) if entry.passage.kind != "heading" else frozenset()
            for t, v in entry.vector.items():
                if t not in exclude:
                    # The entry holds tf x idf: back to counts. Names tell stories apart best.
                    add_row(row)
                    add_col(column(t, len(columns)))
                    add_count(weight * v / idf[t] * (NAME_WEIGHT if t in names else 1.0))
            for key in entry.phrases:
                ok = phrase_ok.get(key)
                if ok is None:
                    ok = phrase_ok[key] = " " in key and not set(key.split()) <= exclude
                if ok:
                    add_row(row)
                    add_col(column(key, len(columns)))
                    add_count(weight)
    # Repeated (row, column) pairs add up: a unit's counts over its passages.
    matrix = csr_matrix((np.array(counts, dtype=np.float64), (rows, cols)), shape=(len(units), len(columns)))
    matrix.sum_duplicates()
    df = np.bincount(matrix.indices, minlength=len(columns))
    unit_idf = np.log((1 + len(units)) / (1 + df)) + 1.0  # over units, unlike the index's idf above
    matrix.data = (1.0 + np.log(np.maximum(matrix.data, 1e-9))).clip(min=0.1) * unit_idf[matrix.indices]
    return _normalised(matrix)


def _names(text: str) -> frozenset[str]:
    """Terms of the words capitalised within a sentence: names of people, places, things."""
    return frozenset(term(w) for w in _NAME_RE.findall(text))


def _top_per_row(matrix: csr_matrix, keep: int) -> csr_matrix:
    """Each row's `keep` largest entries, the rest dropped."""
    import numpy as np
    from scipy.sparse import csr_matrix

    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    order = np.lexsort((-matrix.data, row_of))
    rank = np.arange(len(order)) - matrix.indptr[row_of[order]]
    chosen = order[rank < keep]
    return csr_matrix((matrix.data[chosen], (row_of[chosen], matrix.indices[chosen])), shape=matrix.shape)


def similarity_graph(matrix: csr_matrix) -> csr_matrix:
    """Each unit's nearest neighbours by cosine, as a symmetric sparse graph.

    Approximate, so that it is linear in the week and never n x n: each term
    counts only among the `POSTINGS_PER_TERM` units that use it most (a rare
    term, a name or a place, counts in full; a term that hundreds of articles
    use adds little to any one pair), and in a large week a unit is compared
    through its `QUERY_TERMS` strongest terms, which carry most of its weight.
    """
    import numpy as np
    from scipy.sparse import coo_matrix

    n = matrix.shape[0]
    postings = _top_per_row(matrix.T.tocsr(), POSTINGS_PER_TERM)  # term -> the units that use it most
    query = _top_per_row(matrix, QUERY_TERMS) if n > EXACT_UP_TO else matrix
    src, dst, sim = [], [], []
    for start in range(0, n, CHUNK):
        nearest = _top_per_row((query[start : start + CHUNK] @ postings).tocsr(), NEIGHBOURS + 1).tocoo()
        rows, cols = nearest.row + start, nearest.col
        keep = (rows != cols) & (nearest.data > 0)
        src.append(rows[keep])
        dst.append(cols[keep])
        sim.append(nearest.data[keep])
    rows, cols, sims = np.concatenate(src), np.concatenate(dst), np.concatenate(sim)
    graph = _top_per_row(coo_matrix((sims, (rows, cols)), shape=(n, n)).tocsr(), NEIGHBOURS)
    return graph.maximum(graph.T).tocsr()


def communities(graph: csr_matrix, resolution: float, sizes: Sequence[float] | None = None, seed: int = 7) -> list[int]:
    """A story label per unit: Leiden communities under the constant Potts model.

    CPM keeps a group together only while its members are on average more
    alike than `resolution` (times the product of two members' `sizes`),
    whatever the week's size, where modularity would grow and shrink stories
    with the number of articles.
    """
    import igraph
    import leidenalg

    n = graph.shape[0]
    upper = graph.tocoo()
    keep = upper.row < upper.col
    g = igraph.Graph(n=n, edges=list(zip(upper.row[keep].tolist(), upper.col[keep].tolist(), strict=True)))
    g.es["weight"] = upper.data[keep].tolist()
    partition = leidenalg.find_partition(
        g,
        leidenalg.CPMVertexPartition,
        weights="weight",
        node_sizes=list(sizes) if sizes is not None else None,
        resolution_parameter=resolution,
        seed=seed,
        # till nothing moves in a usual week; in a huge one, Leiden's two rounds
        n_iterations=-1 if n <= EXACT_UP_TO else 2,
    )
    return list(partition.membership)


STRAY_SIMILARITY = 0.05  # a unit alone joins a story whose centre is at least this alike ...
STRAY_MARGIN = 1.8  # ... and this many times more alike than the next story's


def attach_strays(matrix: csr_matrix, labels: list[int], movable: Sequence[bool]) -> list[int]:
    """An article alone in its community (`movable`: whole articles, not a roundup's items, which
    are short and each about one thing) joins the story whose centre it is clearly nearest.

    A story told from several angles ("rationing", "wildfires", "hydropower" of one drought) has
    articles whose nearest neighbours are not each other, and CPM leaves them alone; each is still
    far nearer the story's centre than any other story's.
    """
    import numpy as np
    from scipy.sparse import csr_matrix as sparse

    counts = Counter(labels)
    strays = [u for u, label in enumerate(labels) if counts[label] == 1 and movable[u]]
    groups = sorted(label for label, n in counts.items() if n >= 2)
    if not strays or not groups:
        return labels
    column = {label: c for c, label in enumerate(groups)}
    members = [(u, column[label]) for u, label in enumerate(labels) if label in column]
    assign = sparse(
        (np.ones(len(members)), ([c for _, c in members], [u for u, _ in members])),
        shape=(len(groups), matrix.shape[0]),
    )
    centres = _normalised(assign @ matrix).T.tocsr()
    out = list(labels)
    for start in range(0, len(strays), CHUNK):
        chunk = strays[start : start + CHUNK]
        nearest = _top_per_row(sparse(matrix[chunk] @ centres), 2)  # each stray's two nearest stories
        for row, u in enumerate(chunk):
            span = slice(nearest.indptr[row], nearest.indptr[row + 1])
            found = sorted(zip(nearest.data[span], nearest.indices[span], strict=True), reverse=True)
            best, story = found[0] if found else (0.0, -1)
            second = found[1][0] if len(found) > 1 else 0.0
            if best >= STRAY_SIMILARITY and best >= STRAY_MARGIN * second:
                out[u] = groups[story]
    return out


def _normalised(matrix: csr_matrix) -> csr_matrix:
    """Each row scaled to length 1 (an empty row stays empty)."""
    import numpy as np
    from scipy.sparse import csr_matrix as sparse

    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse(matrix.multiply(1.0 / norms[:, None]))


def _whole_news(index: Index, units: list[Unit], labels: list[int]) -> list[Story]:
    """Stories from labels, with news articles back in one piece.

    A split article whose parts (those not alone in a story) mostly tell one
    story is a news article with subheadings: it goes whole to that story.
    Otherwise it is a roundup, and each part stays in its own story; a
    labelled item no other article shares is a story of its own (told once:
    "Also this week"); a lone section of a long article, or its opening, is
    none (the article is still in the issue's reading list).
    """
    size = Counter(labels)
    words: dict[int, int] = {u: sum(index.entries[i].words for i in unit.entries) for u, unit in enumerate(units)}
    by_article: dict[str, list[int]] = defaultdict(list)
    for u, unit in enumerate(units):
        by_article[unit.article_id].append(u)
    groups: dict[int, list[Unit]] = defaultdict(list)
    for article, members in by_article.items():
        if len(members) == 1:
            groups[labels[members[0]]].append(units[members[0]])
            continue
        shared: Counter[int] = Counter()
        for u in members:
            if size[labels[u]] > sum(1 for v in members if labels[v] == labels[u]):
                shared[labels[u]] += words[u]
        whole = Unit(article, tuple(sorted(i for u in members for i in units[u].entries)))
        total = sum(shared.values())
        if not shared:
            groups[-1 - len(groups)].append(whole)  # about nothing else of the week: a story of its own
        elif shared.most_common(1)[0][1] >= 0.75 * total:
            groups[shared.most_common(1)[0][0]].append(whole)
        else:
            for u in members:
                if labels[u] in shared:
                    groups[labels[u]].append(units[u])
                elif _labelled_item(index, units[u].entries[0]):  # a news item no other article tells:
                    groups[-1 - len(groups)].append(units[u])  # a story of its own, never lost
    stories = [
        Story(units=tuple(group), articles=tuple(dict.fromkeys(u.article_id for u in group)))
        for group in groups.values()
    ]
    stories.sort(key=lambda s: (-len(s.articles), s.entries[0] if s.entries else math.inf))
    return stories
