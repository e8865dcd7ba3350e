"""Every weight and threshold of the summarizer, in one place.

Editors override any of these under `summarizer:` in `sources.yaml`;
`digest build --explain` shows how they played out.
"""

from __future__ import annotations

DEFAULTS: dict[str, float] = {
    # Trend discovery
    "min_articles": 2,  # a discovered trend spans at least this many articles
    "theme_share": 0.05,  # a phrase in more passages than this share ...
    "theme_articles": 0.6,  # ... and what this share of the articles are about is the week's backdrop, not a trend
    "merge_overlap": 0.5,  # a story whose passages are this much the editor's trends' is not a trend again
    "story_similarity": 0.06,  # how alike (cosine, on average) a story's articles are at least: Leiden's CPM
    "heading_boost": 0.5,  # extra weight of a phrase used in a heading
    "evergreen": 0.25,  # a phrase strong in each of n recent issues counts 1/(1 + this * n)
    # Bullet scoring
    "centrality": 2.0,  # similarity to the trend's centre
    "centroid_terms": 20,  # the centre is its 20 strongest terms, as in MEAD (0: all terms)
    "coverage": 0.6,  # how many of the trend's phrases the passage uses
    "specificity": 0.2,  # numbers, names, concrete terms
    "corroboration": 0.35,  # other sources saying the same
    "substance": 0.0,  # content terms beyond the trend's own (summaries: a word budget prices length)
    "trend_substance": 0.6,  # ... for a trend's bullets ("One technique is called DPO" has few)
    "structure": 0.15,  # list items, lead sentences, sections named after the trend
    "position": 0.2,  # early in its article: news puts what matters first
    "query": 1.5,  # summarize --query with a topic statement: its terms in the passage
    "dangling": 1.2,  # penalty (halved) for referring back early; an opening "This", "It" is never a bullet
    "chatter": 1.0,  # penalty: first/second person, calls to action (questions are never chosen)
    "redundancy": 0.4,  # MMR: weight of similarity to passages already chosen (summaries)
    "trend_redundancy": 1.0,  # the same within a trend's 3-5 bullets, where a repeat shows more
    "phrase_overlap": 0.0,  # similarity per shared multi-word phrase (summaries: words only)
    "trend_phrase_overlap": 0.2,  # ... between a trend's bullets
    "duplicate": 0.4,  # similarity above which two passages say the same thing
    "support": 0.25,  # similarity from which a passage of another article may back a bullet (see claim)
    "trend_support": 0.15,  # ... within a trend, where the trend's own terms weigh little
    "claim": 0.5,  # a cited passage says this share of the bullet's own terms (idf-weighted and word by word)
    "min_coverage": 0.5,  # a bullet uses a phrase at least this strong, against the trend's best
    # Cluster summaries (`digest summarize`): concept coverage
    "concept_min_share": 0.1,  # a concept is used by at least this share of the documents (and two)
    "concept_length": 0.6,  # gain per word^this: 1 favours dense passages, 0 long ones
    "concept_position": 3.0,  # extra weight of an article's first passages: 1 + this / (1 + rank)
    "concept_dangling": 0.3,  # a dangling or chatty passage's gain counts this much
    "concept_query": 1.0,  # a topic's concepts weigh 1 + this times more
    "concept_relevance": 1.0,  # a passage's gain times 1 + this * how much of the topic it says (0-1)
    "min_words": 6,
    "max_words": 55,
}


def merged(overrides: dict[str, float] | None = None) -> dict[str, float]:
    weights = dict(DEFAULTS)
    weights.update(overrides or {})
    return weights
