"""Rendering: what a reader of the email, and the mail client, would notice."""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from builders import make_digest

from digest.render import TemplateError, render_issue
from digest.render.output import write_issue


@pytest.fixture(scope="module")
def rendered():
    return render_issue(make_digest())


def test_html_has_title_week_bullets_and_links(rendered):
    html = rendered.html
    assert "Test Weekly" in html and "WEEK 17 · APRIL 22–28, 2024" in html
    assert "2 articles from 2 sources this week, in 2 trends." in html
    assert 'href="https://example.org/a"' in html
    assert "My note" in html  # a local article: cited without a link
    assert 'href="https://news.example.org/2024-W17/digest.html"' in html  # view in browser
    assert 'href="%unsubscribe_url%"' in html
    assert len(html.encode()) < 102_000  # Gmail clips larger messages


def test_html_escapes_article_text(rendered):
    assert "<script>alert(1)</script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "Agents &amp; tools" in rendered.html


def test_plaintext_wraps_at_72_with_numbered_links(rendered):
    text = rendered.text
    assert all(len(line) <= 72 for line in text.splitlines()), text
    assert "AGENTS (rising)" in text
    assert "  * Tool use is the core skill" in text
    assert "\n    tasks without help from anyone" in text  # hanging indent after the wrap
    assert "Agents & tools [1]" in text  # plaintext is not HTML-escaped
    assert "[1] https://example.org/a" in text


def test_eml_parses_into_text_and_html_parts(rendered):
    message = email.message_from_bytes(rendered.eml, policy=email.policy.default)
    assert message["Subject"] == "Test Weekly, 2024-W17: Agents, Small models"
    assert message["From"] == "Test Weekly <editor@news.example.org>"
    assert message["Date"] == "Mon, 29 Apr 2024 08:00:00 +0000"
    assert message["Message-ID"].endswith("@news.example.org>")
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert "Tool use is the core skill" in message.get_body(("plain",)).get_content()
    assert "Tool use is the core skill" in message.get_body(("html",)).get_content()


def test_same_issue_renders_byte_identical():
    first, second = render_issue(make_digest()), render_issue(make_digest())
    assert (first.html, first.text, first.eml) == (second.html, second.text, second.eml)


def test_newsletter_templates_override_defaults_and_can_extend_them(tmp_path):
    (tmp_path / "digest.txt.j2").write_text("Custom {{ digest.week }}\n")
    (tmp_path / "digest.mjml.j2").write_text(
        '{% extends "default:digest.mjml.j2" %}{% block intro %}<mj-section><mj-column>'
        "<mj-text>Hello from the editor</mj-text></mj-column></mj-section>{% endblock %}")
    result = render_issue(make_digest(), [tmp_path])
    assert result.text == "Custom 2024-W17\n"
    assert "Hello from the editor" in result.html
    assert "Agents open pull requests" in result.html  # the rest is the default


def test_template_errors_name_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "digest.txt.j2").write_text("line one\n{% for x in %}\n")
    with pytest.raises(TemplateError) as caught:
        render_issue(make_digest(), [tmp_path])
    assert caught.value.message.startswith("digest.txt.j2:2: ")
    (tmp_path / "digest.txt.j2").write_text("one\ntwo {{ digest.nope }}\n")
    with pytest.raises(TemplateError) as caught:
        render_issue(make_digest(), [tmp_path])
    assert caught.value.message == "digest.txt.j2:2: 'dict object' has no attribute 'nope'"


def test_write_issue_replaces_a_folder_whole(tmp_path):
    folder = write_issue(tmp_path / "2024-W17", {"a.txt": "old", "stale.txt": "x"})
    write_issue(folder, {"a.txt": "new"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    assert (folder / "a.txt").read_text() == "new"


def test_a_failed_write_leaves_the_old_issue(tmp_path):
    folder = write_issue(tmp_path / "2024-W17", {"a.txt": "old"})
    with pytest.raises(TypeError):
        write_issue(folder, {"a.txt": "new", "b.txt": 42})  # type: ignore[dict-item]
    assert (folder / "a.txt").read_text() == "old"
    assert [p.name for p in Path(tmp_path).iterdir()] == ["2024-W17"]  # no staging left behind
