"""A bullet cites the sources that say it, and reads alone: a week of Rust tooling notes."""

from __future__ import annotations

from builders import make_article

from digest.summarize import summarize_week

RUST = [
    make_article(
        "notes",
        "Incremental compilation also got cheaper: the query cache is smaller on disk, about 40% "
        "less for a large workspace.",
        "cargo-deny now checks the licenses of every dependency before a release is tagged.",
        "The release also adds a lint for unused lifetimes.",
        source="Notes",
    ),
    make_article(
        "blog",
        "Incremental compilation remains the reason large Rust workspaces rebuild in seconds, and "
        "teams tune it with care.",
        "cargo-deny flags a crate whose license changed between two versions of the lockfile.",
        "This makes audits much faster for everyone.",
        source="Blog",
    ),
    make_article(
        "feed",
        "Incremental compilation is a topic every Rust team argues about at length on forums.",
        "The headline of this release is a faster borrow checker for async code.",
        "It ships in six weeks with the next stable toolchain.",
        source="Feed",
    ),
    make_article(
        "weekly",
        "Incremental compilation also got cheaper, with a query cache that is smaller on disk: "
        "about 40% less for a large workspace.",
        source="Weekly",
    ),
]
TRENDS = [("Rust tooling", ["incremental compilation", "cargo-deny", "release"])]


def bullets():
    summary = summarize_week(RUST, TRENDS, bullets=5)
    return [b for t in summary.trends for b in t.bullets]


def cited(bullet) -> set[str]:
    return {s.article_id for s in bullet.sources}


def first_passages(texts: dict[str, str]):
    """A week of one-passage articles (id -> text): its index, and each article's first passage."""
    from digest.summarize.index import build_index
    from digest.summarize.passages import split_all

    week = [make_article(name, text, source=name) for name, text in texts.items()]
    index = build_index(week, split_all(week))
    first = {}
    for entry in index.entries:
        if entry.passage.kind != "heading":
            first.setdefault(entry.passage.article_id, entry)
    return index, first


def test_a_bullet_cites_only_the_sources_that_state_its_claim():
    cache = next(b for b in bullets() if "query cache" in b.text)
    # The blog and the feed write about incremental compilation too, but neither says the cache shrank.
    assert cited(cache) == {"notes", "weekly"}


def test_a_source_on_the_same_subject_is_never_cited_for_anothers_claim():
    for bullet in bullets():
        if "license" in bullet.text:
            assert "feed" not in cited(bullet)  # the feed never mentions licenses
        if "async" in bullet.text:
            assert cited(bullet) == {"feed"}


def test_bullets_never_lean_on_a_sentence_they_leave_behind():
    texts = [b.text for b in bullets()]
    assert texts
    for text in texts:
        assert not text.startswith(("The release also", "The headline of this release", "This ", "It "))


def test_a_tool_named_in_lower_case_keeps_its_case():
    deny = [b.text for b in bullets() if "argo-deny" in b.text]
    assert deny and all(text.startswith("cargo-deny") for text in deny)


def test_a_claim_made_of_the_trends_own_words_is_not_backed_by_one_shared_word():
    """Beyond the trend's words, the roundup's claim says only "decrease" and "numbers": a passage of
    the trend that shares "decrease" never says what it says; one that says it backs it."""
    from digest.summarize.claims import backs
    from digest.summarize.text import content_terms

    texts = {
        "roundup": "Quantization: Reducing the precision of numbers can decrease computational demands.",
        "outlook": "Cost: As the technology matures, the cost of training and deploying is expected to decrease.",
        "lab": "Reducing the precision of numbers in quantization will decrease computational demands, the lab found.",
        "downloads": "Download numbers rose this week.",
        "readers": "The numbers of readers grew.",
    }
    index, first = first_passages(texts)
    claim, outlook, lab = first["roundup"], first["outlook"], first["lab"]
    topic = frozenset(content_terms("quantization reducing precision computational demands cost training deploying"))
    assert not backs(index, claim, outlook, 0.5, topic)
    assert backs(index, claim, lab, 0.5, topic)


DERAILMENT = [
    make_article(
        "wire",
        "Investigators said a broken rail on the Wendle river bridge was the likely cause of the Pelham derailment.",
        'Rail director Anna Holm said the crews were "cautiously hopeful" about reopening the Pelham line.',
        source="Wire",
    ),
    make_article(
        "post",
        "The operator said the cause of the Pelham derailment on the Wendle river bridge was not yet known.",
        'Rail director Anna Holm said the Pelham line would reopen "within days".',
        source="Post",
    ),
    make_article(
        "herald",
        "A broken rail on the Wendle river bridge probably caused the Pelham derailment, investigators said.",
        source="Herald",
    ),
]


def test_a_source_that_denies_the_claim_or_quotes_someone_else_is_never_cited():
    summary = summarize_week(DERAILMENT, [("Pelham derailment", ["Pelham", "derailment"])])
    bullets = [b for t in summary.trends for b in t.bullets]
    cause = next(b for b in bullets if "broken rail" in b.text)
    assert "post" not in cited(cause)  # "the cause ... was not yet known"
    assert "herald" in cited(cause)  # says it in other words
    for bullet in bullets:
        if "cautiously hopeful" in bullet.text or "within days" in bullet.text:
            assert len(cited(bullet)) == 1  # the same man, saying something else


def test_figures_written_as_words_are_the_claim():
    from digest.summarize.claims import backs

    texts = {
        "agency": "Aurora-3 is the agency's first attempt at a landing on the Moon after two orbiters.",
        "times": "Aurora-3 will attempt a landing on the Moon in three weeks, its operators said.",
        "review": "It is the agency's first attempt at a Moon landing, after two orbiters, Aurora-3's team said.",
    }
    index, first = first_passages(texts)
    claim, times, review = first["agency"], first["times"], first["review"]
    assert not backs(index, claim, times, 0.5)  # "three weeks" is not "first ... after two orbiters"
    assert backs(index, claim, review, 0.5)


def test_a_claim_in_the_trends_own_words_and_figures_is_backed_by_a_source_that_says_it():
    from digest.summarize.claims import backs
    from digest.summarize.text import content_terms

    texts = {
        "pep": "PEP 750 was accepted this week, so Python 3.14 will get template strings.",
        "council": "The steering council accepted PEP 750, which adds template strings to Python 3.14.",
        "lock": "The uv lockfile changed revision in 0.6, and older uv versions cannot read the new uv.lock.",
        "format": "The uv.lock file format moved to a new revision, and older releases of uv refuse to read it.",
    }
    index, first = first_passages(texts)
    pep, council, lock, file_format = first["pep"], first["council"], first["lock"], first["format"]
    assert backs(index, pep, council, 0.5, frozenset(content_terms("PEP 750 template strings Python 3.14")))
    assert backs(index, lock, file_format, 0.5, frozenset(content_terms("uv 0.6")))  # 0.6 is the trend's name


def test_a_trend_named_after_a_lower_case_tool_keeps_its_case():
    week = [
        make_article(
            "release",
            "uv 0.6 fetches a Python interpreter on its own when the project asks for one.",
            "Astral says uv 0.6 also makes managed installs the default.",
            title="uv 0.6 makes managed Python installs the default",
            source="Notes",
        ),
        make_article(
            "ci",
            "We moved our CI to uv 0.6 and the install step fell from 90 seconds to 9.",
            "uv 0.6 caches the interpreter between runs.",
            title="Our CI on uv 0.6",
            source="Field",
        ),
        make_article(
            "laptop",
            "Since uv 0.6 I use one tool for interpreters, tools, lock files and environments.",
            title="uv 0.6 replaced four tools on my laptop",
            source="Blog",
        ),
    ]
    summary = summarize_week(week + RUST, [])
    assert "uv 0.6" in [t.name for t in summary.trends]
    assert not any(b.text.startswith("Uv") for t in summary.trends for b in t.bullets)
