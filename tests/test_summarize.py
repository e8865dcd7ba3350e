"""The summarizer, on small clusters an editor can judge at a glance."""

from __future__ import annotations

from builders import make_article

from digest.summarize import summarize_cluster, summarize_week
from digest.summarize.bullets import clean_bullet
from digest.summarize.text import split_sentences, term

AGENTS = [
    make_article(
        "a1",
        "Coding agents now open pull requests on their own after planning a fix in several steps.",
        "Tool use lets an agent call a search API, read the result and decide what to do next.",
        "This shows how far things have come.",
        source="Alpha",
    ),
    make_article(
        "a2",
        "An agent that plans several steps ahead can open pull requests without help.",
        "Agents with tool use call APIs, read what comes back and choose the next action.",
        "I have been playing with one of these all week and you should too!",
        source="Beta",
    ),
    make_article(
        "a3",
        "Several labs showed agents that plan multi-step tasks and open pull requests.",
        "Reliable tool use is what separates a useful agent from a chatbot.",
        source="Gamma",
    ),
]
QUANT = [
    make_article(
        "q1",
        "Small language models (SLMs) with 4-bit quantization run on a laptop with 16 GB of RAM.",
        "Distillation moves what a large model knows into a small one.",
        source="Alpha",
    ),
    make_article(
        "q2",
        "SLMs are now good enough for on-device assistants on phones.",
        "A 4-bit quantized model needs a quarter of the memory of the 16-bit original.",
        source="Beta",
    ),
    make_article(
        "q3",
        "Small language models answer in milliseconds because they run on device.",
        "Quantization to 4 bits keeps most of the accuracy while cutting memory use.",
        source="Gamma",
    ),
    make_article(
        "q4",
        "Phones now ship with SLMs for offline dictation.",
        "Serving small language models costs a fraction of serving large ones.",
        source="Delta",
    ),
]


def test_sentences_keep_abbreviations_and_decimals_whole():
    text = "GPT-4.5 costs $2.50 per 1M tokens, e.g. for chat. Dr. Smith agrees. Is it worth it? Yes."
    assert split_sentences(text) == [
        "GPT-4.5 costs $2.50 per 1M tokens, e.g. for chat.",
        "Dr. Smith agrees.",
        "Is it worth it?",
        "Yes.",
    ]


def test_word_forms_meet_in_one_term():
    assert term("Optimisation") == term("optimization") == term("optimizations")
    assert term("SLMs") == term("SLM") == "SLM"
    assert term("US") != term("us")


def test_shared_claim_from_three_sources_is_one_bullet_citing_three():
    summary = summarize_week(AGENTS, [("Agents", ["agent", "tool use"])])
    agents = summary.trends[0]
    cited = [len(b.sources) for b in agents.bullets]
    assert max(cited) == 3
    texts = " ".join(b.text for b in agents.bullets)
    assert "pull requests" in texts


def test_dangling_and_chatty_sentences_are_not_chosen():
    summary = summarize_week(AGENTS, [("Agents", ["agent"])])
    texts = [b.text for t in summary.trends for b in t.bullets]
    assert not any(t.startswith("This shows") for t in texts)
    assert not any("playing with" in t for t in texts)


def test_acronym_and_expansion_are_one_discovered_trend():
    summary = summarize_week(QUANT + AGENTS, [])
    names = [t.name.lower() for t in summary.trends]
    assert sum("small language model" in n or "slm" in n for n in names) == 1
    slm = next(t for t in summary.trends if "small language model" in t.name.lower() or "slm" in t.name.lower())
    assert {"q2", "q3"} <= set(slm.article_ids)  # one says "SLMs", the other "Small language models"


def test_configured_trend_matches_word_forms_and_acronyms():
    summary = summarize_week(QUANT, [("On-device models", ["small language model", "quantized"])])
    trend = summary.trends[0]
    assert trend.name == "On-device models" and trend.configured
    assert set(trend.article_ids) == {"q1", "q2", "q3", "q4"}  # "SLMs", "Small language models", "Quantization"


def test_bullets_are_clean_sentences():
    assert clean_bullet("Moreover, agents can plan") == "Agents can plan."
    cleaned = clean_bullet("Quantization:  reducing the precision of weights.")
    assert cleaned == "Quantization: Reducing the precision of weights."


def test_summarize_cluster_respects_budget_and_query():
    best = summarize_cluster(QUANT + AGENTS, sentences=2)
    assert len(best) == 2
    focused = summarize_cluster(QUANT + AGENTS, sentences=2, query="quantization")
    assert all("quantiz" in p.text.lower() or "4-bit" in p.text for p, _ in focused)
    words = summarize_cluster(QUANT + AGENTS, words=30)
    assert sum(len(p.text.split()) for p, _ in words) <= 30


def test_a_topic_statement_focuses_without_occurring_word_for_word():
    topic = "Describe how agents plan their steps and which tools they call when they work alone."
    focused = summarize_cluster(QUANT + AGENTS, sentences=3, query=topic)
    assert len(focused) == 3
    assert all(p.article_id.startswith("a") for p, _ in focused)


def test_same_input_same_trends():
    first = summarize_week(QUANT + AGENTS, [])
    second = summarize_week(list(reversed(QUANT + AGENTS)), [])
    assert [t.name for t in first.trends] == [t.name for t in second.trends]


def test_momentum_against_earlier_issues():
    from digest.summarize.momentum import momentum

    assert momentum("agent", 3, []) == "new"
    assert momentum("agent", 6, [{"agent": 3}]) == "rising"
    assert momentum("agent", 3, [{"agent": 3}, {"agent": 1}]) == "steady"
    assert momentum("agent", 1, [{"agent": 4}]) == "fading"
    assert momentum("agent", 2, [{}, {"agent": 2}]) == "rising"  # back after a week away


def test_explanations_say_why_each_bullet_was_chosen():
    summary = summarize_week(AGENTS, [("Agents", ["agent", "tool use"])])
    explained = summary.explanations[0]
    assert explained.trend == "Agents" and explained.configured
    text, parts, sources = explained.bullets[0]
    assert {"centrality", "coverage", "position"} <= parts.keys()
    assert len(sources) >= 1


def test_a_phrase_strong_every_week_gives_way_as_a_name():
    fresh = summarize_week(QUANT + AGENTS, [])
    assert fresh.phrases  # the week's strongest phrases, for the state file
    slm = fresh.trends[0]
    assert slm.name == "Small language models (SLMs)"
    evergreen = {key: 8 for key in ("small languag model", "languag model", "small languag")}
    later = summarize_week(QUANT + AGENTS, [], seen_phrases=evergreen)
    assert later.trends[0].article_ids == slm.article_ids  # the same story ...
    assert later.trends[0].name != slm.name  # ... under what is new in it


def test_max_trends_shows_the_widest_stories_and_lists_the_rest():
    summary = summarize_week(QUANT + AGENTS, [], max_trends=1)
    assert [set(t.article_ids) for t in summary.trends] == [{"q1", "q2", "q3", "q4"}]  # four sources before three
    assert [set(b.article_ids) for b in summary.also] == [{"a1", "a2", "a3"}]
    assert summary.also[0].title == summary.explanations[0].trend or summary.also[0].text


def test_paraphrases_that_share_phrases_count_as_similar_for_bullets():
    from digest.summarize.bullets import _similarity
    from digest.summarize.index import build_index, cosine
    from digest.summarize.passages import split_all

    articles = [
        make_article("p1", "Agent benchmarks measure whole multi-step tasks rather than single answers.", source="A"),
        make_article("p2", "Agent benchmarks score complete multi-step tasks such as booking a trip.", source="B"),
        make_article("p3", "Quantization shrinks small models so they run on phones.", source="C"),
    ]
    index = build_index(articles, split_all(articles))
    first, second, other = [e for e in index.entries if e.passage.kind != "heading"]
    weights = {"phrase_overlap": 0.2}
    assert _similarity(first, second, weights) >= 0.6 > cosine(first, second)
    assert _similarity(first, other, weights) < 0.2


DPO = [
    make_article(
        "d1",
        "Focus on Direct Preference Optimization: instead of reinforcement learning with a reward model, "
        "labs train on pairs of answers that people ranked.",
        "Preference pairs are cheaper to collect than reward labels.",
        source="Alpha",
    ),
    make_article(
        "d2",
        "Direct Preference Optimization lets a team of two align an eight-billion-parameter model "
        "on a single GPU over a weekend.",
        "Ranked preference pairs were all the team collected.",
        source="Beta",
    ),
    make_article(
        "d3",
        "Retrieval keeps answers current without retraining the model.",
        "Retrieval also lets each answer cite the passage it used.",
        source="Gamma",
    ),
]


def test_two_sources_saying_different_things_about_one_name_are_two_bullets_of_a_trend():
    summary = summarize_week(DPO + AGENTS + QUANT, [])
    dpo = next(t for t in summary.trends if "preference" in t.name.lower())
    assert dpo.name == "Direct Preference Optimization"
    named = [b for b in dpo.bullets if "Direct Preference Optimization" in b.text]
    assert len(named) == 2  # they share the name, not the claim: nothing to merge
    assert {s.article_id for b in dpo.bullets for s in b.sources} == {"d1", "d2"}


def test_one_fact_in_other_words_is_one_bullet():
    takeover = [
        make_article(
            "ledger",
            "Quantel will pay $38 per share for Brightleaf, a 31% premium over its closing price.",
            "Brightleaf makes design software for chip makers in three countries.",
            source="Ledger",
        ),
        make_article(
            "review",
            "The all-cash Brightleaf deal is worth $38 a share to its owners, the companies said.",
            "Regulators in two countries must approve the Brightleaf takeover before it closes.",
            source="Review",
        ),
    ]
    summary = summarize_week(takeover, [("Brightleaf takeover", ["Brightleaf", "Quantel"])])
    texts = [b.text for t in summary.trends for b in t.bullets]
    assert sum("$38" in text for text in texts) == 1, texts
