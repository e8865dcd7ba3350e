"""Rendering: what a reader of the email, a mail client and an editor would notice."""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from factories import NOTE, SCRIPT_BULLET, TRENDS, WEEKEND, make_digest

from digest.render import Rendered, TemplateError, render_issue, templates
from digest.render.output import write_issue
from digest.render.templates import default_templates_dir

SUBJECT = "LLM Trends Weekly — 2024-W17: Agents and tool use, Small and efficient models, Multimodality"


class Page(HTMLParser):
    """The text a reader sees and the links they can follow (href → link text)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}
        self.chunks: list[str] = []
        self._anchor: tuple[str, list[str]] | None = None
        self.feed(html)
        self.text = re.sub(r"\s+", " ", "".join(self.chunks))

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._anchor = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag):
        if tag == "a" and self._anchor:
            href, text = self._anchor
            self.links[href] = re.sub(r"\s+", " ", "".join(text)).strip()
            self._anchor = None

    def handle_data(self, data):
        self.chunks.append(data)
        if self._anchor:
            self._anchor[1].append(data)


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return render_issue(make_digest())


@pytest.fixture(scope="module")
def page(rendered) -> Page:
    return Page(rendered.html)


def test_html_header_intro_and_footer(rendered, page):
    assert "<title>" + SUBJECT + "</title>" in rendered.html
    assert "LLM Trends Weekly" in page.text
    assert "Week 17 · April 22–28, 2024" in page.text
    assert "5 articles from 4 sources, in 3 trends." in page.text
    assert page.links["https://news.example.org/issues/2024-W17/digest.html"] == "View in browser"
    # Nothing configured: never a broken link, readers write to the sender.
    assert page.links["mailto:editor@news.example.org?subject=unsubscribe"] == "Unsubscribe"
    # The hidden preheader: what inboxes show next to the subject.
    assert "This week: Agents and tool use, Small and efficient models, Multimodality." in page.text


def test_html_has_every_trend_bullet_and_citation(page):
    for trend in TRENDS:
        assert f"{trend.name}{trend.momentum}" in page.text  # the heading, then its badge
        for bullet in trend.bullets:
            assert bullet.text in page.text
            for source in bullet.sources:
                if source.url:
                    assert page.links[source.url] == source.title
                else:  # a local note: named, with its source, but not a link
                    assert f"{source.title} ({source.source})" in page.text
    assert NOTE.title not in page.links.values()


def test_html_lists_every_article_by_source(page):
    reading = page.text[page.text.index("This week’s reading") :]
    for name in ("Clippings", "Lab Notes", "Notes", "The Gradient Log"):
        assert name in reading
    assert "Vision-language models read receipts · Apr 26 · also in Clippings" in reading
    assert "My notes on multimodal evals · Apr 25" in reading
    assert page.links[WEEKEND.url] == WEEKEND.title


def test_html_escapes_what_the_articles_say(rendered, page):
    assert "<script>" not in rendered.html
    assert "&lt;script&gt; tags &amp; shell commands" in rendered.html
    assert SCRIPT_BULLET in page.text
    assert 'href="https://clippings.example.com/w17?src=rss&amp;issue=17"' in rendered.html


def test_html_is_responsive_inlined_and_small(rendered):
    head, body = rendered.html.split("<body", 1)
    assert "@media only screen and (min-width:480px)" in head  # one column on phones, two-up on wide screens
    assert re.search(r'<span class="badge rising" style="[^"]*background: ?#dcfce7', body)  # inlined for Gmail
    assert len(rendered.html.encode()) < 40_000  # Gmail clips at ~102 KB; this issue is a typical week's third


def test_plaintext_reads_well_on_its_own(rendered):
    text = rendered.text
    lines = text.splitlines()
    assert lines[:2] == ["LLM TRENDS WEEKLY", "Week 17 · April 22–28, 2024"]
    assert all(len(line) <= 72 for line in lines), [line for line in lines if len(line) > 72]
    assert "AGENTS AND TOOL USE (rising)" in lines
    assert "  * An agent that can run <script> tags & shell commands needs a" in lines  # not escaped
    assert "    sandbox, not a longer prompt." in lines  # a hanging indent under the bullet
    assert "    — Agents & tools: a field report [1]; My notes on multimodal evals" in lines
    assert "      (Notes); Weekend reading #17 [2]" in lines  # a local note: no link number
    assert "Unsubscribe: mailto:editor@news.example.org?subject=unsubscribe" in lines


def test_plaintext_links_are_numbered_references(rendered):
    body, links = rendered.text.split("\nLINKS\n")
    listed = dict(re.findall(r"^\[(\d+)\] (\S+)$", links, re.M))
    assert listed == {
        "1": "https://example.org/agents",
        "2": WEEKEND.url,
        "3": "https://labnotes.example.org/phones",
        "4": "https://labnotes.example.org/receipts",
    }
    assert set(re.findall(r"\[(\d+)\]", body)) == set(listed)  # every reference resolves, none is unused
    assert "https://" not in body  # the URLs live in the list only


def test_eml_is_a_multipart_alternative_message(rendered):
    message = email.message_from_bytes(rendered.eml, policy=email.policy.default)
    assert message["Subject"] == SUBJECT
    assert message["From"] == "LLM Trends Weekly <editor@news.example.org>"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["Date"] == "Mon, 29 Apr 2024 08:00:00 +0000"  # the Monday after the issue's week
    assert re.fullmatch(r"<digest-2024-W17-[0-9a-f]{12}@news\.example\.org>", message["Message-ID"])
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(part.get_content_charset() == "utf-8" for part in message.iter_parts())
    # On the wire every line ends in CRLF; what a mail client shows is the same text.
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == rendered.text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == rendered.html
    assert all(len(line) <= 998 for line in rendered.eml.split(b"\r\n"))  # SMTP's line limit


def test_eml_defaults_without_a_sender():
    digest = make_digest(newsletter={"title": "Notes, Weekly"})
    message = email.message_from_bytes(render_issue(digest).eml, policy=email.policy.default)
    assert message["From"].addresses[0].display_name == "Notes, Weekly"  # quoted: one address, not two
    assert message["From"].addresses[0].addr_spec == "digest@localhost"
    assert message["Message-ID"].endswith("@localhost>")


def test_same_issue_renders_byte_identical():
    first, second = render_issue(make_digest()), render_issue(make_digest())
    assert (first.html, first.text, first.eml) == (second.html, second.text, second.eml)


def test_byte_identical_across_processes():
    """No set order, hash seed, clock or random boundary leaks into the output."""
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests'); from factories import make_digest; "
        "from digest.render import render_issue; r = render_issue(make_digest()); "
        "print(hashlib.sha256(r.html.encode() + r.text.encode() + r.eml).hexdigest())"
    )
    root = Path(__file__).resolve().parents[1]
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    here = render_issue(make_digest())
    assert digests == {hashlib.sha256(here.html.encode() + here.text.encode() + here.eml).hexdigest() + "\n"}


def test_newsletter_templates_come_before_the_defaults(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (first / "digest.txt.j2").write_text("first {{ digest.week }}\n")
    (second / "digest.txt.j2").write_text("second\n")
    result = render_issue(make_digest(), [first, second])
    assert result.text == "first 2024-W17\n"
    assert "Small and efficient models" in result.html  # no digest.mjml.j2 of their own: the default
    assert render_issue(make_digest(), [second]).text == "second\n"


def test_an_override_can_extend_the_default(tmp_path):
    (tmp_path / "digest.mjml.j2").write_text(
        '{% extends "default:digest.mjml.j2" %}\n'
        "{% block footer %}<mj-section><mj-column><mj-text>Sent with care by {{ newsletter.title }}"
        "</mj-text></mj-column></mj-section>{% endblock %}\n"
    )
    (tmp_path / "digest.txt.j2").write_text(
        '{% extends "default:digest.txt.j2" %}{% block intro %}Hello, {{ issue.articles }} reads.\n{% endblock %}'
    )
    result = render_issue(make_digest(), [tmp_path])
    assert "Sent with care by LLM Trends Weekly" in result.html
    assert "Unsubscribe" not in result.html  # the block was replaced
    assert "Coding agents now resolve" in result.html and "This week’s reading" in result.html  # the rest: default
    assert "\nHello, 5 reads.\n" in result.text and "AGENTS AND TOOL USE (rising)" in result.text


def test_one_partial_overrides_alone(tmp_path):
    (tmp_path / "bullet.mjml.j2").write_text("<li>Bullet: {{ bullet.text }}</li>\n")
    (tmp_path / "trend.txt.j2").write_text("== {{ trend.name }} ==\n")
    result = render_issue(make_digest(), [tmp_path])
    assert "Bullet: Coding agents now resolve" in Page(result.html).text
    assert "Agents and tool use" in result.html and "Unsubscribe" in result.html  # every other part: the default
    assert "== Agents and tool use ==\n" in result.text and "THIS WEEK’S READING" in result.text


def test_a_partial_can_include_the_default_it_replaces(tmp_path):
    (tmp_path / "footer.mjml.j2").write_text(
        "<mj-section><mj-column><mj-text>Forwarded? Subscribe.</mj-text></mj-column></mj-section>\n"
        '{% include "default:footer.mjml.j2" %}\n'
    )
    page = Page(render_issue(make_digest(), [tmp_path]).html)
    assert "Forwarded? Subscribe." in page.text and "Unsubscribe" in page.text


def test_an_edited_or_new_partial_is_used_at_the_next_render(tmp_path):
    assert "Unsubscribe" in render_issue(make_digest(), [tmp_path]).text  # the default, compiled and cached
    footer = tmp_path / "footer.txt.j2"
    footer.write_text("Bye.\n")
    assert "Bye." in render_issue(make_digest(), [tmp_path]).text
    footer.write_text("Bye now.\n")  # same file, new source: compiled again, not the cached code
    assert "Bye now." in render_issue(make_digest(), [tmp_path]).text


def test_subject_and_preheader_are_templates(tmp_path):
    (tmp_path / "subject.txt.j2").write_text("Week {{ issue.week_number }}:\n  {{ digest.trends[0].name }}\n")
    (tmp_path / "preheader.txt.j2").write_text("Read {{ issue.articles }} pieces.\n")
    result = render_issue(make_digest(), [tmp_path])
    message = email.message_from_bytes(result.eml, policy=email.policy.default)
    assert message["Subject"] == "Week 17: Agents and tool use"  # one line, as a header must be
    assert "<title>Week 17: Agents and tool use</title>" in result.html and "Read 5 pieces." in result.html


def test_an_empty_subject_is_a_template_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = broken(tmp_path, "subject.txt.j2", "{% if false %}never{% endif %}\n")
    assert message == "templates/subject.txt.j2: renders an empty line"


def test_installed_package_uses_its_own_templates(tmp_path, monkeypatch):
    assert default_templates_dir() == Path(__file__).resolve().parents[1] / "templates"  # a checkout
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(templates, "PACKAGE", tmp_path)  # a wheel: digest/templates, force-included
    assert default_templates_dir() == tmp_path / "templates"


def broken(tmp_path: Path, name: str, source: str, others: dict[str, str] | None = None) -> str:
    folder = tmp_path / "templates"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for file, text in {name: source, **(others or {})}.items():
        (folder / file).write_text(text)
    with pytest.raises(TemplateError) as caught:
        render_issue(make_digest(), [folder])
    assert isinstance(caught.value, click.ClickException) and caught.value.exit_code == 2
    assert "\n" not in caught.value.message and "Traceback" not in caught.value.message
    return caught.value.message


def test_template_errors_name_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = broken(tmp_path, "digest.mjml.j2", "<mjml>\n<mj-body>\n{{ digest.week }\n</mj-body></mjml>\n")
    assert message == "templates/digest.mjml.j2:3: unexpected '}'"
    message = broken(tmp_path, "digest.txt.j2", "one\n{% for t in digest.trends %}\n{{ t.nope }}\n{% endfor %}\n")
    assert message == "templates/digest.txt.j2:3: 'dict object' has no attribute 'nope'"
    message = broken(
        tmp_path,
        "digest.txt.j2",
        '{% extends "default:digest.txt.j2" %}\n\n{% block intro %}{{ 1 // 0 }}{% endblock %}',
    )
    assert message == "templates/digest.txt.j2:3: ZeroDivisionError: integer division or modulo by zero"
    message = broken(tmp_path, "digest.txt.j2", '{% extends "digest.txt.j2" %}\n')
    assert message == (
        "templates/digest.txt.j2: a template that extends or includes itself; "
        'to build on the default, write {% extends "default:digest.txt.j2" %}'
    )
    message = broken(tmp_path, "footer.mjml.j2", '{% extends "footer.mjml.j2" %}\n')  # the layout renders it
    assert message == (
        "templates/footer.mjml.j2: a template that extends or includes itself; "
        'to build on the default, write {% extends "default:footer.mjml.j2" %}'
    )
    message = broken(tmp_path, "footer.mjml.j2", '{% include "footer.mjml.j2" %}\n')
    assert message.startswith("templates/footer.mjml.j2: a template that extends or includes itself; ")
    message = broken(
        tmp_path, "footer.txt.j2", '{% include "mine.txt.j2" %}\n', {"mine.txt.j2": '{% include "mine.txt.j2" %}\n'}
    )
    assert message == "templates/mine.txt.j2: a template that extends or includes itself"  # no default to build on


def test_mjml_errors_name_file_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = broken(
        tmp_path,
        "digest.mjml.j2",
        (
            '{% extends "default:digest.mjml.j2" %}\n'
            "{% block footer %}\n"
            "<mj-section><mj-column>\n"
            "  <mj-text><p>Thanks for reading</mj-text>\n"
            "</mj-column></mj-section>\n"
            "{% endblock %}\n"
        ),
    )
    assert message.startswith("templates/digest.mjml.j2:4: <p> is never closed (</mj-text> on line 4 comes first)")
    message = broken(
        tmp_path,
        "digest.mjml.j2",
        "<mjml><mj-body>\n<mj-section><mj-column>\n"
        "<mj-text>1 < 2</mj-text>\n</mj-column></mj-section></mj-body></mjml>",
    )
    assert message.startswith("templates/digest.mjml.j2:3: a bare '<' (write &lt;)")


def test_write_issue_writes_a_new_folder(tmp_path):
    folder = write_issue(tmp_path / "output" / "2024-W17", {"digest.txt": "é", "digest.eml": b"\r\n"})
    assert folder == tmp_path / "output" / "2024-W17"
    assert (folder / "digest.txt").read_bytes() == "é".encode()
    assert (folder / "digest.eml").read_bytes() == b"\r\n"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert [p.name for p in (tmp_path / "output").iterdir()] == ["2024-W17"]


def test_write_issue_replaces_a_folder_whole(tmp_path):
    folder = write_issue(tmp_path / "2024-W17", {"a.txt": "old", "stale.txt": "x"})
    write_issue(folder, {"a.txt": "new"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]
    assert (folder / "a.txt").read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["2024-W17"]  # neither staging nor the old copy is left


def test_a_failed_write_leaves_the_old_issue(tmp_path):
    folder = write_issue(tmp_path / "2024-W17", {"a.txt": "old", "b.txt": "old"})
    with pytest.raises(TypeError):
        write_issue(folder, {"a.txt": "new", "b.txt": 42})  # type: ignore[dict-item] - fails after a.txt
    with pytest.raises(ValueError):
        write_issue(folder, {"a.txt": "new", "../escape.txt": "x"})
    assert {p.name: p.read_text() for p in folder.iterdir()} == {"a.txt": "old", "b.txt": "old"}
    assert [p.name for p in tmp_path.iterdir()] == ["2024-W17"]


def _headers(newsletter: dict) -> email.message.EmailMessage:
    digest = make_digest(
        newsletter={"title": "LLM Trends Weekly", "from": "Editor <editor@news.example.org>", **newsletter}
    )
    return email.message_from_bytes(render_issue(digest).eml, policy=email.policy.default)


def test_eml_carries_list_headers_and_one_click_unsubscribe_for_https():
    message = _headers(
        {
            "unsubscribe_url": "https://news.example.org/u?id=1",
            "unsubscribe_mailto": "leave@example.org",
            "reply_to": "letters@news.example.org",
            "to": ["a@example.net", "b@example.net"],
        }
    )
    assert message["List-Id"] == "LLM Trends Weekly <llm-trends-weekly.news.example.org>"
    assert message["List-Unsubscribe"] == (
        "<https://news.example.org/u?id=1>, <mailto:leave@example.org?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Reply-To"] == "letters@news.example.org"
    # The .eml may be sent by hand: several readers never see each other's addresses.
    assert message["To"] == "undisclosed-recipients:;"
    assert _headers({"to": ["readers@lists.example.net"]})["To"] == "readers@lists.example.net"


def test_without_an_unsubscribe_address_readers_write_to_the_sender():
    message = _headers({})
    assert message["List-Unsubscribe"] == "<mailto:editor@news.example.org?subject=unsubscribe>"
    assert "List-Unsubscribe-Post" not in message  # one-click needs https
    assert "Reply-To" not in message


def test_with_no_address_to_write_to_there_is_no_unsubscribe_link_and_a_warning():
    rendered = render_issue(make_digest(newsletter={"title": "LLM Trends Weekly", "url": "https://news.example.org"}))
    assert "localhost" not in rendered.html + rendered.text
    assert "Unsubscribe" not in Page(rendered.html).links.values() and "Unsubscribe" not in rendered.text
    assert "View in browser" in Page(rendered.html).links.values()
    message = email.message_from_bytes(rendered.eml, policy=email.policy.default)
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message
    assert rendered.warnings == (
        "newsletter.unsubscribe_url: not set, and no newsletter.from to write to: the email "
        "has no unsubscribe link; set unsubscribe_url (an https URL or your mailing tool's "
        "merge tag) or from",
    )


@pytest.mark.parametrize("tag", ["{{ UnsubscribeURL }}", "*|UNSUB|*", "{{ unsubscribe_url }}", "%unsubscribe_url%"])
def test_a_mailing_tools_merge_tag_is_kept_verbatim(tag):
    digest = make_digest(
        newsletter={"title": "LLM Trends Weekly", "from": "Editor <editor@news.example.org>", "unsubscribe_url": tag}
    )
    rendered = render_issue(digest)
    assert Page(rendered.html).links[tag] == "Unsubscribe"
    assert f"Unsubscribe: {tag}" in rendered.text
    message = email.message_from_bytes(rendered.eml, policy=email.policy.default)
    assert message["List-Unsubscribe"] == "<mailto:editor@news.example.org?subject=unsubscribe>"  # a tag is no URL


def test_message_ids_differ_between_newsletters_of_the_same_week():
    one = _headers({"url": "https://one.example.org"})["Message-ID"]
    other = _headers({"url": "https://other.example.org"})["Message-ID"]
    assert one != other


def test_html_makes_no_request_when_opened_and_declares_dark_mode(rendered):
    html = rendered.html
    assert not re.search(r"<link\b|@import|fonts\.googleapis|<img\b|<script\b", html)  # nothing fetched on open
    assert '<meta name="color-scheme" content="light dark"' in html
    assert '<meta name="supported-color-schemes" content="light dark"' in html
    assert "@media (prefers-color-scheme: dark)" in html
    assert "<title>" in html
    tables = re.findall(r"<table\b[^>]*>", html)
    assert tables and all('role="presentation"' in t for t in tables)  # layout, not data, for screen readers
    assert "<!--[if mso | IE]>" in html  # Outlook's conditional comments, as MJML emits them


def test_a_heavy_week_stays_under_gmails_clip():
    from factories import make_big_digest

    from digest.render.budget import GMAIL_CLIP

    rendered = render_issue(make_big_digest(trends=10, bullets=5))
    assert len(rendered.html.encode()) < GMAIL_CLIP
    message = email.message_from_bytes(rendered.eml, policy=email.policy.default)
    assert len(message.get_body(("html",)).get_content().encode()) < GMAIL_CLIP


def test_an_issue_over_budget_moves_its_lowest_ranked_bullets_to_the_web_version():
    full = render_issue(make_digest())
    assert full.web is None and full.warnings == ()
    budget = len(full.html.encode()) - 4000  # more than the reading list can give back
    cut = render_issue(make_digest(), budget=budget)
    assert len(cut.html.encode()) <= budget
    email_page, web_page = Page(cut.html), Page(cut.web)
    assert cut.web == full.html  # the web version holds everything
    for trend in TRENDS:
        assert trend.bullets[0].text in email_page.text  # every trend keeps its best bullet
        assert all(bullet.text in web_page.text for bullet in trend.bullets)
    assert TRENDS[2].bullets[-1].text not in email_page.text  # the lowest-ranked went first
    web = "https://news.example.org/issues/2024-W17/web.html"
    assert re.search(f'<a href="{web}"[^>]*>Read the full issue online</a>', cut.html)
    assert email_page.links[web] == "View in browser"  # which shows the whole issue too
    assert "This issue is long:" in email_page.text
    assert len(cut.warnings) == 1 and "moved to the web version; the full issue is web.html" in cut.warnings[0]
    text = " ".join(cut.text.split())
    assert all(bullet.text in text for trend in TRENDS for bullet in trend.bullets)  # the plaintext is never cut


def test_without_a_newsletter_url_the_cut_email_names_no_broken_link():
    digest = make_digest(newsletter={"title": "LLM Trends Weekly", "from": "Editor <editor@news.example.org>"})
    budget = len(render_issue(digest).html.encode()) - 4000
    cut = render_issue(digest, budget=budget)
    assert "Read the full issue online" not in cut.html
    assert "set newsletter.url to link it" in cut.warnings[0]
