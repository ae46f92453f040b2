"""The home page's 添加到主屏幕 offer, in headless Chromium with a profile of its own (an incognito
context is never offered an install): it comes after the page is laid out, so it must move
nothing on the screen (Lighthouse counts a shift against the page), and it can be put away."""
from __future__ import annotations

from browsing import serve, with_profile
from conftest import VALID, run_cli

SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
  .observe({ type: "layout-shift", buffered: true });"""


def test_the_install_offer_moves_nothing_on_the_home_page(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(VALID), "--out", str(out))
    assert result.code == 0, result.err
    httpd, url = serve(out)
    try:
        with with_profile(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True) as context:
            page = context.new_page()
            page.add_init_script(SHIFTS)
            page.goto(url + "/")
            offer = page.wait_for_selector(".cb-install", timeout=30_000)
            assert "添加到主屏幕" in offer.inner_text() and offer.is_visible()
            page.wait_for_timeout(500)
            assert sum(page.evaluate("window.__shifts")) < 0.01
            box = offer.bounding_box()
            assert box["height"] >= 44 and box["y"] + box["height"] <= 823  # on the first screen
            page.click(".cb-install-later")
            assert page.locator(".cb-install-bar").count() == 0
    finally:
        httpd.shutdown()
        httpd.server_close()
