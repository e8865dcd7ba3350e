"""Local files: one fixture per quirk, with its expectation beside it.

Each `tests/fixtures/local/NAME.*` file has `NAME.expect.json`: the title,
author, date and tags the reader must find, the headings and list items it
must keep, text it must contain and text it must drop.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.collect.local import UnreadableFile, read_file, read_local

FIXTURES = Path(__file__).parent / "fixtures" / "local"
CASES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expect.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture(path: Path):
    expect = json.loads(path.with_name(path.stem + ".expect.json").read_text())
    doc = read_file(path)
    text = "\n".join(block.text for block in doc.blocks)
    assert doc.title == expect["title"]
    if "author" in expect:
        assert doc.author == expect["author"]
    if "date" in expect:
        assert (doc.published.date().isoformat() if doc.published else None) == expect["date"]
    if "tags" in expect:
        assert list(doc.tags) == expect["tags"]
    if "headings" in expect:
        assert [b.text for b in doc.blocks if b.kind == "heading"] == expect["headings"]
    if "items" in expect:
        assert [b.text for b in doc.blocks if b.kind == "item"] == expect["items"]
    for fragment in expect.get("contains", []):
        assert fragment in text
    for fragment in expect.get("absent", []):
        assert fragment not in text, f"{fragment!r} should have been removed"


TEXT = "Caf\u00e9 owners \u201clove\u201d small models.\n\nThey run on a laptop."


@pytest.mark.parametrize(
    "encoding, prefix",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "note.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    doc = read_file(path)
    assert doc.blocks[0].text == "Caf\u00e9 owners \u201clove\u201d small models."


def test_saved_page_in_its_declared_charset(tmp_path):
    html = (
        '<html><head><meta charset="windows-1252"><title>T</title></head>'
        "<body><article><h1>Na\u00efve Bayes</h1><p>It\u2019s back.</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))
    doc = read_file(path)
    assert doc.title == "Na\u00efve Bayes" and doc.blocks[0].text == "It\u2019s back."


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        (b"---\ntitle: Only metadata\n---\n", "no text"),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, reason):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_file(path)


def test_a_folder_source_reads_every_kind_and_warns_once_per_bad_file(tmp_path):
    notes = tmp_path / "notes"
    (notes / "deep").mkdir(parents=True)
    (notes / "a.md").write_text("# A note\n\nSome text about agents.\n")
    (notes / "deep" / "b.txt").write_text("Plain title\n\nPlain text about models.\n")
    (notes / "c.html").write_text("<html><body><h1>Page</h1><p>Text of a page.</p></body></html>")
    (notes / "broken.md").write_bytes(b"\x00\x01" * 10)
    (notes / ".hidden.md").write_text("# Hidden\n\nNever read.\n")
    (notes / "image.png").write_bytes(b"\x89PNG")
    (notes / "README").write_text("Notes for the newsletter live here.\n")  # no extension, not a wire story
    (notes / "NYT20240102.0031").write_text("<DOC><HEADLINE>Wire story</HEADLINE><TEXT><P>Text.</P></TEXT></DOC>")
    articles, warnings = read_local("Notes", str(notes), tmp_path)
    assert [a.path for a in articles] == ["notes/NYT20240102.0031", "notes/a.md", "notes/c.html", "notes/deep/b.txt"]
    assert [a.title for a in articles] == ["Wire story", "A note", "Page", "Plain title"]
    assert articles[1].id == "file:notes/a.md" and articles[1].source == "Notes"
    assert warnings == ["notes/broken.md: binary file"]


def test_a_file_named_without_a_known_extension_is_read_by_what_it_holds(tmp_path):
    text, page, binary = tmp_path / "notes-2024", tmp_path / "saved.0001", tmp_path / "blob"
    text.write_text("Small models\n\nWASHINGTON (AP) _ Small models now run on phones.\n")
    page.write_text("<!doctype html><html><body><h1>Saved</h1><p>A saved page.</p></body></html>")
    binary.write_bytes(b"\x00\x01\x02" * 40)
    assert [b.text for b in read_file(text).blocks] == ["Small models now run on phones."]
    assert read_file(page).title == "Saved"
    with pytest.raises(UnreadableFile, match="binary file"):
        read_file(binary)
    with pytest.raises(UnreadableFile, match="unsupported file type '.png'"):
        (tmp_path / "x.png").write_bytes(b"\x89PNG")
        read_file(tmp_path / "x.png")


def test_title_falls_back_to_the_file_name(tmp_path):
    path = tmp_path / "2024-05-01-why-small-models-win.md"
    path.write_text("Small models win on cost. They also win on latency.\n")
    assert read_file(path).title == "Why small models win"
