"""Which articles go into which issue, and never into two."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from builders import make_article

from digest.collect.window import merge_same, select_for_issue
from digest.state import State
from digest.week import Week

W17 = Week(2024, 17)
NOW = datetime(2024, 4, 29, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def state(tmp_path):
    with State(tmp_path / "state.sqlite") as s:
        yield s


def feed_entry(id, day):
    return make_article(
        id,
        "text",
        url=f"https://example.org/{id}",
        published=datetime(2024, 4, day, 12, tzinfo=timezone.utc),
        source="Blog",
    )


def test_weeks_parse_and_span():
    assert Week.parse("2024-W17").start == date(2024, 4, 22)
    assert Week.parse("2024-W17").end == date(2024, 4, 28)
    assert Week.last_complete(date(2024, 4, 29)) == W17
    assert Week.parse("2020-W53").label == "2020-W53"
    for bad, message in [
        ("2024-17", "expected an ISO week like 2024-W17, got '2024-17'"),
        ("2023-W53", "2023 has no week 53"),
    ]:
        with pytest.raises(ValueError, match=message):
            Week.parse(bad)


def test_feed_entries_go_into_the_week_they_were_published(state):
    entries = [feed_entry("in", 24), feed_entry("before", 15), feed_entry("after", 30)]
    chosen = select_for_issue(entries, W17, state, NOW)
    assert [a.id for a in chosen] == ["in"]


def test_local_files_go_into_the_first_issue_built_whatever_their_date(state):
    note = make_article("note", "text")  # local: has a path, no date
    assert [a.id for a in select_for_issue([note], W17, state, NOW)] == ["note"]


def test_a_later_issue_never_repeats_an_article_and_a_rebuild_keeps_it(state):
    note = make_article("note", "text")
    chosen = select_for_issue([note], W17, state, NOW)
    state.assign(W17.label, [a.id for a in chosen])
    assert select_for_issue([note], Week(2024, 18), state, NOW) == []
    assert [a.id for a in select_for_issue([note], W17, state, NOW)] == ["note"]


def test_undated_feed_entries_use_the_time_first_seen(state):
    undated = make_article("undated", "text", url="https://example.org/u", source="Blog")
    select_for_issue([undated], Week(2024, 18), state, NOW)  # seen on 2024-04-29 (W18)
    later = datetime(2024, 5, 7, tzinfo=timezone.utc)
    assert select_for_issue([undated], Week(2024, 18), state, later) == [undated]
    assert select_for_issue([undated], Week(2024, 19), state, later) == []


def test_the_same_story_from_two_feeds_is_one_article_citing_both():
    first, second = feed_entry("story", 24), feed_entry("story", 24)
    second = type(second)(**{**{f: getattr(second, f) for f in second.__slots__}, "source": "Mirror"})
    merged = merge_same([first, second])
    assert len(merged) == 1 and merged[0].sources == ("Blog", "Mirror")


def test_trend_history_feeds_momentum(state):
    state.record_trends("2024-W16", [("agent", "Agents", 2)])
    state.record_trends("2024-W17", [("agent", "Agents", 5)])
    assert state.trend_history(before="2024-W18") == [{"agent": 5}, {"agent": 2}]
    assert state.trend_history(before="2024-W17") == [{"agent": 2}]


def test_near_identical_text_from_two_feeds_is_one_article_citing_both():
    from digest.collect.dedupe import merge_near_duplicates

    story = (
        "The lab released a small language model that runs on phones. It answers in under "
        "100 milliseconds and keeps private data on the device. Quantization to 4 bits made it fit. "
    ) * 3
    first = make_article("url:https://a.example/x", story, source="Wire", url="https://a.example/x")
    copy = make_article(
        "url:https://b.example/y", story + " Via our partners.", source="Mirror", url="https://b.example/y"
    )
    other = make_article(
        "url:https://c.example/z",
        "A different story about agents that book trips. " * 5,
        source="Blog",
        url="https://c.example/z",
    )
    merged = merge_near_duplicates([first, copy, other])
    assert [a.id for a in merged] == [first.id, other.id]
    assert merged[0].sources == ("Wire", "Mirror")


def test_a_story_an_earlier_issue_told_is_not_told_again_under_a_new_url(state):
    from digest.collect.dedupe import fingerprint

    story = (
        "The lab released a small language model that runs on phones and answers in milliseconds. "
        "Quantization to four bits brought it down to under two gigabytes, small enough for mid-range "
        "devices. Distillation from the large model recovered most of the quality lost by going small, "
        "and serving costs fell by nine tenths because nothing leaves the device any more. The team says "
        "private data now stays on the phone, and the assistant works on a plane without a network."
    )
    old = feed_entry("old", 16)
    old = type(old)(**{**{f: getattr(old, f) for f in old.__slots__}, "blocks": make_article("x", story).blocks})
    state.store_prints("2024-W16", [(old.id, fingerprint(old))])
    again = make_article(
        "url:https://elsewhere.example/copy",
        story + "Reposted.",
        source="Mirror",
        url="https://elsewhere.example/copy",
        published=datetime(2024, 4, 24, tzinfo=timezone.utc),
    )
    fresh = feed_entry("fresh", 24)
    assert [a.id for a in select_for_issue([again, fresh], W17, state, NOW)] == [fresh.id]


def test_phrase_history_counts_recent_issues(state):
    for week in ("2024-W10", "2024-W11", "2024-W12"):
        state.record_phrases(week, ["open sourc", "agent"] if week != "2024-W12" else ["agent"])
    assert state.phrase_history(before="2024-W13") == {"agent": 3, "open sourc": 2}
    assert state.phrase_history(before="2024-W13", issues=1) == {"agent": 1}
