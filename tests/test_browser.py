"""The HTML email in a real browser (Debian's Chromium through Playwright).

In CI these run for real: a missing browser is a failure there, a skip only on
a developer's machine without Chromium.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import make_digest

from digest.render import render_issue

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("no /usr/bin/chromium (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def email_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("issue") / "digest.html"
    path.write_text(render_issue(make_digest()).html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [600, 375])
def test_email_fits_the_screen_and_reads_well(browser, email_file, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(email_file.as_uri())
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"horizontal scrolling at {width}px"
    heading = page.locator("text=Small models >> visible=true").first  # not the hidden preheader
    assert heading.is_visible()
    bullet = page.locator("li", has_text="Tool use is the core skill").first
    assert bullet.is_visible()
    size = float(bullet.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
    assert size >= 14
    box = bullet.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    page.screenshot(path=str(tmp_path / f"email-{width}.png"), full_page=True)
    page.close()
