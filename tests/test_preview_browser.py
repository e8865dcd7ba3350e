"""The preview studio in a real browser (Debian's Chromium via Playwright): what the editor sees and does.

Every wait has its deadline: the page's default timeout, and `expect`'s.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from playwright.sync_api import expect

from digest.cli import main

WAIT = 30_000  # ms: a render is tens of milliseconds, a build about a second; CI machines are shared and busy


@pytest.fixture
def studio(preview, browser):
    folder, url = preview
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.set_default_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    page.goto(url + "/")
    frame = page.frame_locator("#frame")
    expect(frame.locator("html[data-controls=ready]")).to_have_count(1)
    expect(frame.locator("[data-trend]").first).to_be_attached()  # the first build is in, not the empty page
    yield folder, url, page, frame
    page.close()


def test_editing_a_partial_updates_the_page_and_a_broken_one_overlays_the_last_render(studio):
    folder, _, page, frame = studio
    partial = folder / "templates" / "trend.mjml.j2"
    original = partial.read_text()
    name = '{{ trend.name }}<span class="badge'
    partial.write_text(original.replace(name, "{{ trend.name }} (edited)" + name[16:]))
    expect(frame.locator("h2", has_text="Agents and tool use (edited)")).to_have_count(1)

    partial.write_text(original.replace("{{ trend.name }}", "{{ trend.name | shout }}"))
    overlay = page.locator("#overlay")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text("trend.mjml.j2:8: ")  # the heading's line, under the comment
    expect(overlay).to_contain_text("shout")
    expect(frame.locator("h2", has_text="Agents and tool use (edited)")).to_have_count(1)  # still beneath

    partial.write_text(original.replace(name, "{{ trend.name }} (fixed)" + name[16:]))
    expect(overlay).to_be_hidden()
    expect(frame.locator("h2", has_text="Agents and tool use (fixed)")).to_have_count(1)


def test_drop_a_bullet_and_pin_a_trend_from_the_page(studio):
    folder, url, page, frame = studio
    first = frame.locator("[data-bullet]").first
    key = first.get_attribute("data-bullet")
    first.locator(".digest-controls [data-action=drop]").click()
    expect(frame.locator(f'[data-bullet="{key}"]')).to_have_count(0)

    frame.locator('[data-trend="multimodal-models"] .digest-controls [data-action=pin]').click()
    expect(frame.locator("[data-trend]").first).to_have_attribute("data-trend", "multimodal-models")
    expect(frame.locator('[data-trend="multimodal-models"] .digest-controls [data-action=unpin]')).to_have_count(1)
    expect(frame.locator('[data-trend="multimodal-models"]')).to_have_class(re.compile("digest-edited"))

    edits = yaml.safe_load((folder / "edits" / "2024-W46.yaml").read_text())
    assert edits == {"trends": {"multimodal-models": {"pin": True}}, "bullets": {key: {"drop": True}}}

    # The issue as `digest build` makes it holds the same edits, and no controls.
    main.main(["build", "--config", str(folder / "sources.yaml"), "--week", "2024-W46"], standalone_mode=False)
    issue = folder / "output" / "2024-W46"
    model = json.loads((issue / "digest.json").read_text())
    assert model["trends"][0]["key"] == "multimodal-models" and model["trends"][0]["edited"] == ["pinned"]
    assert key not in {b["key"] for t in model["trends"] for b in t["bullets"]}
    html = (issue / "digest.html").read_text()
    assert "data-bullet" not in html and "digest-controls" not in html and "frame.js" not in html


def test_rewrite_a_bullet_move_a_trend_and_write_a_note(studio):
    folder, _, page, frame = studio
    bullet = frame.locator("[data-bullet]").nth(1)
    key = bullet.get_attribute("data-bullet")
    bullet.locator(".digest-controls [data-action=text]").click()
    frame.locator(f'[data-bullet="{key}"] textarea').fill("Agents call tools; the editor says so.")
    frame.locator(f'[data-bullet="{key}"] [data-action=save]').click()
    expect(frame.locator(f'[data-bullet="{key}"]')).to_contain_text("Agents call tools; the editor says so.")

    trends = frame.locator("[data-trend]")
    second = trends.nth(1).get_attribute("data-trend")
    trends.first.locator(".digest-controls [data-action=down]").click()
    expect(trends.first).to_have_attribute("data-trend", second)

    page.locator("#note summary").click()
    page.locator("#note textarea").fill("A short week, and a long read.")
    page.locator("#note .save-note").click()
    expect(frame.locator(".note")).to_contain_text("A short week, and a long read.")
    page.reload()
    expect(page.locator("#note textarea")).to_have_value("A short week, and a long read.")
    edits = yaml.safe_load((folder / "edits" / "2024-W46.yaml").read_text())
    assert edits["note"] == "A short week, and a long read."
    assert edits["bullets"][key] == {"text": "Agents call tools; the editor says so."}
    assert edits["trends"][second] == {"move": 1}


def test_the_views_and_the_inbox_line(studio):
    _, url, page, frame = studio
    expect(page.locator("#inbox .from")).to_have_text("LLM Trends Weekly <editor@llm-trends.example.org>")
    expect(page.locator("#inbox .subject")).to_contain_text("LLM Trends Weekly — 2024-W46")
    expect(page.locator("#inbox .preheader")).to_contain_text("This week: Agents and tool use")

    page.locator("#views [data-view=mobile]").click()
    expect(frame.locator("html[data-controls=ready]")).to_have_count(1)
    box = page.locator("#frame").bounding_box()
    assert box is not None and 370 <= box["width"] <= 380
    assert page.locator("#frame").evaluate("f => f.contentDocument.documentElement.scrollWidth") <= 377

    page.locator("#views [data-view=dark]").click()
    expect(frame.locator("html[data-dark]")).to_have_count(1)

    page.locator("#views [data-view=text]").click()
    expect(page.locator("#plain")).to_contain_text("LLM TRENDS WEEKLY")
    expect(page.locator("#frame")).to_be_hidden()
    page.locator("#views [data-view=json]").click()
    expect(page.locator("#plain")).to_contain_text('"key": "agents-tool-use"')

    for path in ("/%2e%2e/sources.yaml", "/draft/..%2f..%2fsources.yaml", "/issues/2024-W46/..%2f..%2fsources.yaml"):
        response = page.goto(url + path)
        assert response is not None and response.status == 404, path


def test_the_built_issues_are_listed_and_shown_without_controls(studio):
    folder, _, page, frame = studio
    main.main(["build", "--config", str(folder / "sources.yaml"), "--week", "2024-W46"], standalone_mode=False)
    page.reload()
    expect(page.locator("#issue option[value='2024-W46']")).to_have_count(1)
    page.locator("#issue").select_option("2024-W46")
    expect(page.locator("#frame")).to_have_attribute("src", re.compile(r"^/issues/2024-W46/digest\.html\?"))
    expect(frame.locator("h2", has_text="Agents and tool use")).to_have_count(1)
    assert frame.locator(".digest-controls").count() == 0  # the issue as sent: no controls
