"""Feed files: RSS, Atom and JSON Feed into articles; broken feeds keep what they can."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.collect.feed import parse_feed, read_feed_file
from digest.collect.urls import canonical_url

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SAMPLE = Path(__file__).resolve().parents[1] / "sample" / "feeds" / "lab-notes.xml"


def test_rss_entries_become_articles_with_clean_text_and_canonical_urls():
    read = read_feed_file("Lab Notes", SAMPLE)
    assert read.error is None and read.warnings == []
    assert read.entries == 8 and len(read.articles) == 8
    first = read.articles[0]
    assert first.title == "Shipping a 3B model to phones"
    assert first.url == "https://labnotes.example.org/2024/11/phones"  # utm_* gone
    assert first.id == "url:https://labnotes.example.org/2024/11/phones"
    assert first.published == datetime(2024, 11, 11, 8, 30, tzinfo=timezone.utc)
    assert first.author == "Ana Costa" and first.tags == ("small models",)
    assert [b.kind for b in first.blocks] == ["paragraph", "item", "item", "item", "paragraph"]
    assert "<" not in first.text
    assert read.articles[4].url == "https://labnotes.example.org/2024/11/receipts"  # no #fragment


def test_atom_with_relative_links_html_titles_and_no_date():
    read = read_feed_file("Atom", FEEDS / "atom.xml")
    agents, undated = read.articles
    assert agents.title == "Agents & tools"
    assert agents.url == "https://atom.example.org/posts/agents?id=7"
    assert agents.published == datetime(2024, 4, 24, 8, 0, tzinfo=timezone.utc)
    assert [(b.kind, b.text) for b in agents.blocks] == [
        ("heading", "Tools"),
        ("paragraph", "Agents call tools."),
        ("item", "Search"),
        ("item", "Code"),
    ]
    assert undated.published is None


def test_json_feed():
    read = read_feed_file("JSON", FEEDS / "feed.json")
    assert read.entries == 2
    small, plain = read.articles
    assert small.url == "https://json.example.org/a" and small.author == "Bo" and small.tags == ("slm",)
    assert small.text == "Small models run on phones."
    assert plain.text == "Just text."
    assert plain.published == datetime(2024, 4, 25, 13, 0, tzinfo=timezone.utc)


def test_a_truncated_feed_keeps_what_was_recovered_and_warns():
    read = read_feed_file("Cut", FEEDS / "truncated.xml")
    assert read.error is None
    assert [a.title for a in read.articles][:1] == ["First"]
    assert len(read.warnings) == 1 and read.warnings[0].startswith("malformed feed, kept ")


def test_a_page_that_is_not_a_feed_is_an_error_not_a_crash():
    read = read_feed_file("Oops", FEEDS / "not-a-feed.html")
    assert read.articles == [] and read.error is not None and read.error.startswith("not a feed")


def test_canonical_urls():
    assert canonical_url("HTTPS://Example.ORG:443/a/?utm_source=x&b=1&fbclid=2#top") == "https://example.org/a/?b=1"
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/x?gclid=1") == "http://example.org:8080/x"
    assert canonical_url("http://[::1]:8080/feed#x") == "http://[::1]:8080/feed"


def test_mojibake_is_repaired_where_the_bytes_allow_it(tmp_path):
    garbled = "Caf\u00c3\u00a9 owners say it\u00e2\u20ac\u2122s the best week for small models."
    path = tmp_path / "feed.xml"
    path.write_text(
        f"<rss version='2.0'><channel><title>T</title><item><title>Caf\u00c3\u00a9 news</title>"
        f"<link>https://example.org/a</link><description>{garbled}</description></item></channel></rss>",
        encoding="utf-8",
    )
    article = read_feed_file("T", path).articles[0]
    assert article.title == "Caf\u00e9 news"
    assert article.text == "Caf\u00e9 owners say it\u2019s the best week for small models."


QUIRKY_TEXT = {
    "inline tags in a description": b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
        <title>T</title><link>https://example.org/</link><item><title>A</title><link>https://example.org/a</link>
        <description>Good compression is a trade: what exactly <em>is</em> good depends on the data.</description>
        </item></channel></rss>""",
    "RSS 1.0 with dc:description": b"""<?xml version="1.0" encoding="utf-8"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                 xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://example.org/"><title>T</title><link>https://example.org/</link></channel>
        <item rdf:about="https://example.org/b"><title>B</title><link>https://example.org/b</link>
        <dc:description>Agents now plan several steps before they call a tool.</dc:description></item></rdf:RDF>""",
    "Atom XHTML content": b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>T</title><id>t</id><updated>2024-04-23T10:00:00Z</updated><entry><title>C</title><id>c</id>
        <link href="https://example.org/c"/><updated>2024-04-23T10:00:00Z</updated>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><table><tr><td>Small models
        run on phones.</td></tr></table></div></content></entry></feed>""",
}


@pytest.mark.parametrize("quirk", QUIRKY_TEXT)
def test_the_fast_path_keeps_the_text_feedparser_keeps(quirk):
    data = QUIRKY_TEXT[quirk]
    fast = parse_feed("F", data, "https://example.org/feed.xml", fast=True)
    slow = parse_feed("F", data, "https://example.org/feed.xml", fast=False)
    assert fast.parser == "fastfeedparser" and slow.parser == "feedparser"
    assert [a.text for a in fast.articles] == [a.text for a in slow.articles]
    assert fast.articles[0].text  # not lost
