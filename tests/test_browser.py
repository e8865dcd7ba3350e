"""The HTML email in a real browser: Debian's Chromium driven by Playwright.

In CI these run for real and a missing browser fails them; only on a
developer's machine without /usr/bin/chromium are they skipped. Screenshots
go to the test's tmp folder, or to $DIGEST_SCREENSHOTS when set, to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories import TRENDS, make_digest

from digest.render import render_issue


@pytest.fixture(scope="module")
def email_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("issue") / "digest.html"
    path.write_text(render_issue(make_digest()).html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [600, 375])
def test_email_fits_the_screen_and_reads_well(browser, email_file, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        # Offline on purpose: an email must not need the network to lay out.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(email_file.as_uri())
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"horizontal scrolling at {width}px"

        for trend in TRENDS:
            heading = page.locator("h2", has_text=trend.name)
            assert heading.is_visible(), trend.name
            assert _px(heading, "fontSize") >= 20
        preheader = page.get_by_text("This week: Agents and tool use", exact=False)
        assert not preheader.is_visible()  # for the inbox list only

        bullets = page.locator(".bullets li")
        assert bullets.count() == sum(len(t.bullets) for t in TRENDS)
        for i in range(bullets.count()):
            bullet = bullets.nth(i)
            assert bullet.is_visible()
            assert _px(bullet, "fontSize") >= 14
            box = bullet.bounding_box()
            assert box is not None and box["x"] >= 16 and box["x"] + box["width"] <= width - 16  # a margin each side
        assert all(_px(cite, "fontSize") >= 12 for cite in page.locator(".cite").all())

        shots = Path(os.environ.get("DIGEST_SCREENSHOTS") or tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"email-{width}.png"), full_page=True)
    finally:
        page.close()


def _px(locator, prop: str) -> float:
    return float(locator.evaluate(f"e => getComputedStyle(e).{prop}").removesuffix("px"))
