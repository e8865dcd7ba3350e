"""The HTML email in a real browser: Debian's Chromium driven by Playwright.

In CI these run for real and a missing browser fails them; only on a
developer's machine without /usr/bin/chromium are they skipped. Screenshots
go to output/screenshots/ (git-ignored, CI keeps them as artifacts), or to
$DIGEST_SCREENSHOTS when set. Every wait has its own deadline.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories import TRENDS, make_digest

from digest.render import render_issue

SCREENSHOTS = Path(__file__).resolve().parents[1] / "output" / "screenshots"
DEADLINE_MS = 15_000  # for every navigation and wait of a page


@pytest.fixture(scope="module")
def email_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("issue") / "digest.html"
    path.write_text(render_issue(make_digest()).html, encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [600, 375])
def test_email_fits_the_screen_and_reads_well(browser, email_file, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(DEADLINE_MS)
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

        shots = Path(os.environ.get("DIGEST_SCREENSHOTS") or SCREENSHOTS)
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"email-{width}.png"), full_page=True)
    finally:
        page.close()


def _px(locator, prop: str) -> float:
    return float(locator.evaluate(f"e => getComputedStyle(e).{prop}").removesuffix("px"))


# Walks every piece of text a reader sees and measures it as WCAG does: the
# computed colour against the first opaque background behind it, blending
# translucent layers on the way; large text (24px, or 18.66px bold) needs 3:1.
CONTRAST_JS = """
(fallback) => {
  const rgba = (value) => {
    const m = value.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const channel = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = rgba(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    let colour = fallback;
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const el = node.parentElement;
    if (!text || !el || el.closest("[style*='display:none'], [style*='display: none']")) continue;
    const style = getComputedStyle(el);
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const bg = background(el);
    const fg = over(rgba(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    found.push({text: text.slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05),
                needed: size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5,
                left: box.left, right: box.right, width: box.width, height: box.height,
                visible: style.visibility === "visible" && parseFloat(style.opacity) > 0});
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def full_email_file(tmp_path_factory) -> Path:
    """An issue with every part in it: trends of every momentum, the cut-to-fit note, the reading list, the footer."""
    from dataclasses import replace

    trends = tuple(
        replace(t, momentum=m) for t, m in zip(TRENDS + TRENDS[:1], ("rising", "new", "steady", "fading"), strict=True)
    )
    path = tmp_path_factory.mktemp("full") / "digest.html"
    digest = make_digest(trends=trends)
    # A budget it overflows, so the "read the full issue online" note is on the page too.
    cut = render_issue(digest, budget=len(render_issue(digest).html.encode()) - 4000)
    assert "Read the full issue online" in cut.html
    path.write_text(cut.html, encoding="utf-8")
    return path


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 375, 600, 1024])
def test_every_text_is_visible_and_readable_in_light_and_dark(browser, full_email_file, width, scheme):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.set_default_timeout(DEADLINE_MS)
    remote: list[str] = []
    try:

        def offline(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                remote.append(route.request.url)
                route.abort()

        page.route("**/*", offline)
        page.goto(full_email_file.as_uri(), timeout=DEADLINE_MS)
        assert remote == []  # no fonts, no CSS, no pixels fetched on open
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width, f"horizontal scrolling at {width}px"

        fallback = [18, 18, 18, 1] if scheme == "dark" else [255, 255, 255, 1]
        texts = page.evaluate(CONTRAST_JS, fallback)
        assert len(texts) > 40
        unseen = [
            t["text"]
            for t in texts
            if not t["visible"] or t["width"] <= 0 or t["height"] <= 0 or t["left"] < -0.5 or t["right"] > width + 0.5
        ]
        assert unseen == [], f"text out of sight at {width}px ({scheme})"
        faint = [(t["text"], round(t["ratio"], 2)) for t in texts if t["ratio"] < t["needed"]]
        assert faint == [], f"below WCAG AA at {width}px ({scheme})"

        shots = Path(os.environ.get("DIGEST_SCREENSHOTS") or SCREENSHOTS)
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / f"email-{width}-{scheme}.png"), full_page=True, timeout=DEADLINE_MS)
    finally:
        page.close()
