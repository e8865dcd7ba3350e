"""Cluster summaries by concept coverage: what most writers say comes first, and is said once."""

from __future__ import annotations

from builders import make_article

from digest.summarize import summarize_cluster
from digest.summarize.concepts import bigrams, query_terms

STORM = [
    make_article(
        "s1",
        "The storm flooded the harbour district on Monday night.",
        "A local baker lost a delivery van to the water near the old bridge.",
        source="A",
    ),
    make_article(
        "s2",
        "Rescue crews evacuated the harbour district after the storm flooded it overnight.",
        "The mayor opened two schools as shelters for the evacuated families.",
        source="B",
    ),
    make_article(
        "s3",
        "Hundreds of families were evacuated when the storm flooded the harbour district.",
        "Two schools opened as shelters for the evacuated families.",
        source="C",
    ),
    make_article(
        "s4",
        "Insurers expect claims from the flooded harbour district to pass ten million euros.",
        "A choir cancelled its concert in the town hall because of the storm.",
        source="D",
    ),
]


def test_concepts_are_stemmed_bigrams_that_are_not_two_stopwords():
    found = bigrams("The storms flooded the harbour district")
    assert "harbour district" in found and "storm flood" in found
    assert "the storm" in found and not any(c == "of the" for c in found)


def test_what_most_sources_say_leads_and_is_not_repeated():
    chosen = [p.text for p, _ in summarize_cluster(STORM, sentences=3)]
    assert "flooded the harbour district" in chosen[0] or "harbour district" in chosen[0]
    assert sum("harbour district" in text for text in chosen) <= 2  # the second telling adds little
    assert not any("baker" in text or "choir" in text for text in chosen)  # one writer's detail
    assert any("shelters" in text for text in chosen)  # said by two sources


def test_a_word_budget_is_kept():
    chosen = summarize_cluster(STORM, words=25)
    assert chosen and sum(len(p.text.split()) for p, _ in chosen) <= 25


def test_a_topic_statement_raises_what_it_asks_about():
    plain = [p.text for p, _ in summarize_cluster(STORM, sentences=2)]
    topic = "Describe what insurers expect the flood claims to cost."
    asked = [p.text for p, _ in summarize_cluster(STORM, sentences=2, query=topic)]
    assert not any("Insurers" in text for text in plain)
    assert any("Insurers" in text for text in asked)
    assert query_terms(topic) >= {"insur", "claim", "cost"} and "describ" not in query_terms(topic)
