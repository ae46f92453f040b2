"""The plan opens when the network is down: the built fixture library in headless Chromium.

A phone visits the home page once; then the server is gone and the browser is offline, and every
emergency plan, every role page and a search still answer, each saying when its copy was saved.
A rebuild that changes a plan is shown on the next online visit, with the 内容已更新 notice.
(Service workers need a secure context: http://127.0.0.1 is one in Chromium.)"""
from __future__ import annotations

import re
import shutil
import threading

import pytest

from browsing import LoopbackServer, _Quiet
from conftest import VALID, run_cli

PHONE = {"width": 360, "height": 740}
PLANS = ["emergencies/", "emergencies/illness/"]
ROLES = ["保安", "大堂经理", "柜面经理", "网点负责人"]


class Server:
    """The built site on one loopback port, stopped and started again at the same address (a
    service worker belongs to its origin)."""

    def __init__(self, directory):
        self.directory, self.port, self.httpd = str(directory), 0, None

    def start(self):
        handler = lambda *a, **k: _Quiet(*a, directory=self.directory, **k)  # noqa: E731
        self.httpd = LoopbackServer(("127.0.0.1", self.port), handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.port}/"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def offline_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("offline") / "lib"
    shutil.copytree(VALID, root)
    return root


def build(root, out):
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.code == 0, result.err


@pytest.fixture(scope="module")
def offline_phone(offline_tree, browser):
    out = offline_tree.parent / "site"
    build(offline_tree, out)
    server = Server(out)
    url = server.start()
    context = browser.new_context(viewport=PHONE, service_workers="allow")
    yield {"context": context, "url": url, "server": server, "out": out, "root": offline_tree}
    context.close()
    server.stop()


def wait_for_copies(page):
    """The worker is active (its precache is complete) and controls the page."""
    # (a controller is set once the worker is active, i.e. after its precache is complete)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    page.wait_for_selector(".cb-offline-note", timeout=10_000)


def test_every_plan_role_page_and_a_search_open_offline(offline_phone):
    page = offline_phone["context"].new_page()
    page.goto(offline_phone["url"])
    wait_for_copies(page)
    assert "离线可用" in page.inner_text(".cb-offline-note")

    offline_phone["server"].stop()  # the intranet server is gone …
    offline_phone["context"].set_offline(True)  # … and so is the phone's network
    try:
        for path in PLANS + [f"facets/roles/{role}/" for role in ROLES]:
            response = page.goto(offline_phone["url"] + path)
            assert response.ok, path
            assert page.locator("h1").count() and page.locator(".md-content").is_visible(), path
            note = page.wait_for_selector(".cb-offline-note").inner_text()
            assert re.search(r"网络未连接 · 正在看 \d{4}年\d+月\d+日 \d\d:\d\d 保存的副本", note), (path, note)
        page.goto(offline_phone["url"] + "emergencies/illness/")
        assert "拨打 120" in page.inner_text(".md-content")

        page.goto(offline_phone["url"] + "search/?q=" + "晕倒")
        page.wait_for_function("document.querySelector('.cb-search-results-page')?.dataset.query === '晕倒'")
        assert "emergencies/illness/" in page.inner_html(".cb-search-results-page .cb-search__results")
        assert "离线" in page.inner_text(".cb-search-results-page .cb-search__status")
        saved = ".cb-search-results-page a[href$='emergencies/illness/']"
        assert page.get_attribute(saved, "data-saved") == "yes" and "本机没有保存" not in page.inner_text(saved)
        # a result whose page was never read (not saved) says it needs the network; a saved one does not
        page.goto(offline_phone["url"] + "search/?q=" + "环卫工人")
        page.wait_for_function("document.querySelector('.cb-search-results-page')?.dataset.query === '环卫工人'")
        results = ".cb-search-results-page .cb-result"
        story = page.locator(results, has=page.locator("a[href$='stories/rest-corner/']"))
        assert "本机没有保存，联网后才能打开" in story.inner_text()

        # a page that was never read: the offline page, in Chinese, with the way back to the plans
        page.goto(offline_phone["url"] + "stories/rest-corner/")
        assert "网络未连接" in page.inner_text("h1")
        assert page.get_attribute(".cb-retry", "href") == offline_phone["url"] + "stories/rest-corner/"
        page.click("text=全部应急预案")
        page.wait_for_url(offline_phone["url"] + "emergencies/")
        assert "客户突发疾病" in page.inner_text(".md-content")
    finally:
        offline_phone["context"].set_offline(False)
        offline_phone["server"].start()
    page.close()


def test_a_rebuilt_plan_shows_on_the_next_online_visit(offline_phone):
    page = offline_phone["context"].new_page()
    page.goto(offline_phone["url"] + "emergencies/illness/")
    wait_for_copies(page)
    plan = offline_phone["root"] / "cases" / "emergencies" / "illness.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("2 分钟内拨打 120。", "1 分钟内拨打 120 并通知支行。"),
                    encoding="utf-8")
    build(offline_phone["root"], offline_phone["out"])
    page.goto(offline_phone["url"] + "emergencies/illness/")
    assert "1 分钟内拨打 120 并通知支行" in page.inner_text(".md-content")
    # (the new worker stores the whole new version before it takes over: a minute on a loaded machine)
    notice = page.wait_for_selector(".cb-offline-update", timeout=60_000).inner_text()
    assert "内容已更新" in notice
    # the old build's copies are gone: offline, the new text is what the phone has
    offline_phone["server"].stop()
    offline_phone["context"].set_offline(True)
    try:
        page.goto(offline_phone["url"] + "emergencies/illness/")
        assert "1 分钟内拨打 120 并通知支行" in page.inner_text(".md-content")
        assert len(page.evaluate("caches.keys()")) == 1
    finally:
        offline_phone["context"].set_offline(False)
        offline_phone["server"].start()
    page.close()


def test_a_search_that_cannot_load_its_index_says_so_and_recovers(offline_phone):
    # (no worker here: the index is fetched from the network, which fails, then comes back)
    browser = offline_phone["context"].browser
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.goto(offline_phone["url"])
    page.route("**/pagefind/**", lambda route: route.abort("internetdisconnected"))
    page.click(".cb-search__input")  # (on a phone the field is in the header)
    page.keyboard.type("晕倒")
    page.wait_for_function("document.querySelector('.cb-search__panel').dataset.failed === '晕倒'", timeout=20_000)
    assert "搜索没有完成" in page.inner_text(".cb-search__status")
    page.unroute("**/pagefind/**")
    page.click(".cb-search__panel ~ .cb-retry, .cb-retry")
    page.wait_for_function("document.querySelector('.cb-search__panel').dataset.query === '晕倒'", timeout=20_000)
    assert "emergencies/illness/" in page.inner_html(".cb-search__results")
    assert page.locator(".cb-retry").count() == 0
    context.close()


def test_a_large_index_precaches_only_the_cached_pages_fragments(sample_site, monkeypatch):
    """Up to a size the whole index goes to the phone on the first visit; above it, the search
    code and every shard's index still do, and of the fragments (one per page) only those of the
    pages stored for offline use: what is read without a network is still found."""
    from casebook.site import offline

    site = sample_site["dir"]
    fragments = {p.relative_to(site).as_posix(): offline.fragment_url(p) for p in site.glob("pagefind*/**/*.pf_fragment")}
    stored = {"emergencies/sudden-illness/", "search/"}
    everything = offline.search_files(site, stored)
    assert set(fragments) <= set(everything)  # (the sample's index is small)
    monkeypatch.setattr(offline, "ALL_FRAGMENTS_UP_TO", 0)
    some = offline.search_files(site, stored)
    assert {f for f in some if f in fragments} == {f for f, url in fragments.items() if url in stored}
    assert any(fragments[f] == "emergencies/sudden-illness/" for f in some if f in fragments)
    assert [f for f in everything if f not in fragments] == [f for f in some if f not in fragments]
