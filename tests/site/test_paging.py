"""List pages stay light however large the library grows.

A synthetic library of 300 items is built (in this process, so the page sizes of paging.py can
be made small enough that 300 items need cutting) and read back like a user would: every list
page under the limit, every item reachable by plain links from its type index and from each of
its facet pages, the filter of a cut index meaning every entry of the type in headless Chromium,
and no request leaving the site. The sample library itself keeps its pages as they were
(test_pages_ui.py and test_site.py), since paging only cuts what would pass the limit."""
from __future__ import annotations

import json
import re
import sys
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from casebook.core.library import Library
from casebook.core.model import TYPE_FOLDERS, VOCAB_FIELDS
from casebook.site import paging
from casebook.site.pagekit import FACETS, View, facet_items, item_values
from browsing import keep_screenshot, serve
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from gen_library import generate  # noqa: E402

PHONE = {"width": 360, "height": 740}
SMALL = {"LIMIT": 60_000, "PAGE_ITEMS": 20, "PAGE_BYTES": 30_000, "HEAD_ITEMS": 3, "HEAD_BYTES": 4_000}


@pytest.fixture(scope="module")
def paging_site(tmp_path_factory):
    from casebook.site.build import build_site

    tmp = tmp_path_factory.mktemp("paging")
    root = generate(tmp / "lib", 300)
    with pytest.MonkeyPatch.context() as mp:
        for name, value in SMALL.items():
            mp.setattr(paging, name, value)
        build_site(root, tmp / "site")
    httpd, url = serve(tmp / "site")
    yield {"dir": tmp / "site", "url": url,
           "lib": Library.load(root, use_cache=False)}
    httpd.shutdown()


def _page(site_dir: Path, url: str) -> Path:
    return site_dir / unquote(url) / "index.html"


def _links(site_dir: Path, url: str) -> list[str]:
    """Site paths ("complaints/x/") of the links on a page, as a browser without JavaScript follows them."""
    html = _page(site_dir, url).read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]  # not the site's nav
    base = f"http://site/{url}"
    out = []
    for href in re.findall(r'<a [^>]*href="([^"#]*)', article):
        target = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if target.netloc == "site":
            out.append(unquote(target.path.lstrip("/")))
    return out


def _crawl(site_dir: Path, start: str, within: str) -> tuple[set[str], set[str]]:
    """(pages visited under `within`, every other page linked from them)."""
    seen, found, todo = {start}, set(), deque([start])
    while todo:
        for link in _links(site_dir, todo.popleft()):
            if link.startswith(within) and (link == within or link[len(within):].split("/")[0] in paging_folders()):
                if link not in seen:
                    seen.add(link)
                    todo.append(link)
            else:
                found.add(link)
    return seen, found


def paging_folders() -> set[str]:
    """First path parts under a list page that belong to the list itself (numbered pages, cut sections)."""
    from casebook.site.lists import GROUP_SLUGS

    return {"", "page", "plans", *GROUP_SLUGS.values(), *TYPE_FOLDERS.values()}


def _list_pages(site_dir: Path, lib: Library) -> list[Path]:
    items = {f"{i}/index.html" for i in lib.items}
    return [p for p in site_dir.rglob("index.html")
            if (rel := p.relative_to(site_dir).as_posix()) not in items
            and rel.split("/")[0] in {"facets", *TYPE_FOLDERS.values()}]


def test_every_list_page_stays_under_the_limit(paging_site):
    pages = _list_pages(paging_site["dir"], paging_site["lib"])
    sizes = {p.relative_to(paging_site["dir"]).as_posix(): p.stat().st_size for p in pages}
    assert len(sizes) > 100
    over = {p: s for p, s in sizes.items() if s > SMALL["LIMIT"]}
    assert not over, over
    # the library is big enough that every kind of cut happened
    assert (paging_site["dir"] / "complaints/page/2/index.html").is_file()
    assert (paging_site["dir"] / "complaints/list.json").is_file()
    assert any("/scripts-" in p for p in sizes) and any("/plans/" in p for p in sizes)
    assert any(p.startswith("facets/") and "/page/" in p for p in sizes)
    # search records and item pages are what they were: one of each per item
    manifest = json.loads((paging_site["dir"] / "casebook-build.json").read_text(encoding="utf-8"))
    assert manifest["items"] == manifest["item_pages"] == manifest["records"] == len(paging_site["lib"].items)


def test_every_item_is_reached_by_plain_links_from_its_index_and_facet_pages(paging_site):
    lib, site_dir = paging_site["lib"], paging_site["dir"]
    for kind, folder in TYPE_FOLDERS.items():
        pages, found = _crawl(site_dir, f"{folder}/", f"{folder}/")
        want = {f"{i.id}/" for i in lib.of_type(kind)}
        assert want <= found, (folder, sorted(want - found)[:5])
        assert len(pages) == 1 + len(list((site_dir / folder / "page").glob("*/index.html"))), folder
        if folder == "complaints":
            assert len(pages) > 2
    view = View(lib)
    cut = 0
    for vocab in ("roles", "customer_groups", "business", "severity"):
        for value in lib.vocabulary.values(VOCAB_FIELDS[vocab]):
            items = facet_items(view, vocab, value)
            if not items:
                continue
            start = f"facets/{vocab}/{value}/"
            pages, found = _crawl(site_dir, start, start)
            cut += len(pages) > 1
            want = {f"{i.id}/" for i in items}
            assert want <= found, (start, sorted(want - found)[:5])
            for page in pages:  # a continuation page leads back to the page it continues
                assert page == start or start in _links(site_dir, page), page
    assert cut > 10


def test_a_list_that_fits_is_written_as_before(paging_site):
    """Only what would pass the limit is cut: a short index keeps its page-only filter, no pager."""
    short = [f for k, f in TYPE_FOLDERS.items() if 0 < len(paging_site["lib"].of_type(k)) <= SMALL["PAGE_ITEMS"]]
    assert short
    for folder in short:
        html = (paging_site["dir"] / folder / "index.html").read_text(encoding="utf-8")
        assert "cb-facets" in html and "data-entries" not in html and "cb-pager" not in html, folder
        assert not (paging_site["dir"] / folder / "list.json").exists() and not (paging_site["dir"] / folder / "page").exists()


def test_pages_are_cut_by_count_and_bytes():
    rows = ["x" * n for n in (10, 10, 500, 10, 10, 10, 10, 10)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paging, "PAGE_ITEMS", 3)
        mp.setattr(paging, "PAGE_BYTES", 400)
        mp.setattr(paging, "HEAD_ITEMS", 2)
        mp.setattr(paging, "HEAD_BYTES", 15)
        assert paging.split(rows) == [range(0, 2), range(2, 3), range(3, 6), range(6, 8)]
        assert paging.head(rows) == 1 and paging.head(rows[3:]) == 1 and paging.head(["x" * 900]) == 1
        nav = paging.pager("complaints/", "complaints/page/6/", 6, 70)
        assert [unquote(h) for h in re.findall(r'href="([^"]*)"', nav)] == [
            "../5/", "../../", "../4/", "../5/", "../7/", "../8/", "../70/", "../7/"]
        assert "上一页" in nav and "下一页" in nav and nav.count("…") == 2
        assert paging.pager("complaints/", "complaints/", 1, 1) == ""


def test_cut_index_lists_every_entry_in_its_json(paging_site):
    lib = paging_site["lib"]
    data = json.loads((paging_site["dir"] / "complaints/list.json").read_text(encoding="utf-8"))
    complaints = lib.of_type("complaint")
    assert len(data["entries"]) == len(complaints)
    by_title = {i.meta.title: i for i in complaints}
    facets = dict(data["facets"])
    assert list(facets) == [f.replace("_", "-") for f in FACETS["complaint"]]
    for u, title, summary, day, values in data["entries"]:
        item = by_title[title]
        assert u == item.id.split("/", 1)[1] + "/" and summary == item.meta.summary and day == item.meta.updated.isoformat()
        for (name, table), indexes in zip(data["facets"], values):
            assert [table[n] for n in indexes] == item_values(item, name.replace("-", "_")), (title, name)
    assert [x[3] for x in data["entries"]] == sorted((x[3] for x in data["entries"]), reverse=True)


def test_filter_of_a_cut_index_means_every_entry_of_the_type(paging_site, browser):
    lib = paging_site["lib"]
    ctx = browser.new_context(viewport=PHONE)
    requests = []
    ctx.on("request", lambda r: requests.append(r.url))
    pg = ctx.new_page()
    pg.goto(f"{paging_site['url']}/complaints/page/2/")
    keep_screenshot(pg, "index-page-2-360.png")
    own = pg.locator(".cb-list > li").count()
    assert own <= SMALL["PAGE_ITEMS"] and pg.locator("[data-count]").text_content() == str(len(lib.of_type("complaint")))
    pg.locator(".cb-filter-box summary").click()
    value = "一般"
    want = {i.id for i in lib.of_type("complaint") if value in item_values(i, "severity")}
    assert len(want) > SMALL["PAGE_ITEMS"]  # more matches than one page holds
    pg.select_option("select[data-facet=severity]", value)
    pg.wait_for_function(f"document.querySelector('[data-count]').textContent === '{len(want)}'")
    pg.locator(".cb-pager").first.wait_for(state="hidden", timeout=5000)
    pg.locator("[data-page-of]").wait_for(state="hidden", timeout=5000)
    pg.locator("button.cb-more").scroll_into_view_if_needed()
    keep_screenshot(pg, "index-filtered-360.png")
    while pg.locator("button.cb-more").is_visible():
        pg.locator("button.cb-more").click()
    hrefs = pg.eval_on_selector_all(".cb-list a.cb-entry__link", "as => as.map(a => new URL(a.href).pathname)")
    assert {unquote(h).strip("/") for h in hrefs} == want
    # two facets at once: entries with both values
    both = {i for i in want if "大堂经理" in item_values(lib.items[i], "roles")}
    pg.select_option("select[data-facet=roles]", "大堂经理")
    pg.wait_for_function(f"document.querySelector('[data-count]').textContent === '{len(both)}'")
    assert 0 < len(both) < len(want)
    pg.select_option("select[data-facet=roles]", "")
    pg.wait_for_function(f"document.querySelector('[data-count]').textContent === '{len(want)}'")
    # sort across every entry: oldest first
    pg.select_option("select[data-sort]", "updated-asc")
    pg.wait_for_function("document.querySelector('.cb-list time')?.textContent === "
                         f"'{min(i.meta.updated for i in lib.of_type('complaint') if i.id in want).isoformat()}'")
    # clearing the filter brings back this page and its pager
    pg.locator("form.cb-facets button[type=reset]").click()
    pg.wait_for_function(f"document.querySelectorAll('.cb-list > li').length === {own}")
    pg.locator(".cb-pager").last.wait_for(state="visible", timeout=5000)  # (shown in the same task, a tick later)
    assert pg.locator("[data-count]").text_content() == str(len(lib.of_type("complaint")))
    # an entry found by the filter opens its item page
    pg.select_option("select[data-facet=severity]", value)
    pg.locator(".cb-list a.cb-entry__link").first.click()
    pg.wait_for_load_state()
    assert "/complaints/" in pg.url and "/page/" not in pg.url
    # and Back shows the filtered list again, as the select the browser restored says
    pg.go_back()
    pg.wait_for_function(f"document.querySelector('[data-count]').textContent === '{len(want)}'")
    assert pg.eval_on_selector("select[data-facet=severity]", "s => s.value") == value
    pg.locator(".cb-pager").first.wait_for(state="hidden", timeout=5000)
    assert all(u.startswith(paging_site["url"]) for u in requests), [u for u in requests if not u.startswith(paging_site["url"])]
    assert any(u.endswith("/complaints/list.json") for u in requests)
    ctx.close()


def test_cut_pages_on_a_phone_without_javascript(paging_site, browser):
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(f"{paging_site['url']}/complaints/")
    pg.locator('nav.cb-pager:not(.cb-pager--compact) a[aria-label="第 2 页"]').click()
    pg.wait_for_load_state()
    assert pg.url.endswith("/complaints/page/2/") and pg.locator(".cb-list > li").count() > 0
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    role = "大堂经理"
    pg.goto(f"{paging_site['url']}/facets/roles/{role}/")
    more = pg.locator(".cb-more-link a").first
    more.scroll_into_view_if_needed()
    keep_screenshot(pg, "role-cut-360.png")
    assert more.text_content().startswith("查看全部")
    more.click()
    pg.wait_for_load_state()
    assert f"/facets/roles/" in pg.url and pg.locator("h1").text_content().startswith(f"我是{role} · ")
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    keep_screenshot(pg, "role-continuation-360.png")
    ctx.close()


def test_a_public_build_lists_and_counts_only_public_items(paging_site):
    """list.json, numbered pages and continuation pages of a public build carry no internal item
    (the synthetic library's public items are stories)."""
    from casebook.site.lists import index_pages, list_pages

    lib = paging_site["lib"]
    internal = {i.id for i in lib.items.values() if i.meta.visibility != "public"}
    public = [i for i in lib.of_type("story") if i.id not in internal]
    assert internal and public
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**SMALL, "LIMIT": 25_000}.items():  # fewer items: a smaller page to cut
            mp.setattr(paging, name, value)
        view = View(lib, public=True)
        pages = index_pages(view, "story") | list_pages(view)
    data = json.loads(pages["stories/list.json"].markdown)
    assert len(data["entries"]) == len(public) and "stories/page/2/index.md" in pages
    assert any(src.startswith("facets/") for src in pages)
    text = "".join(p.markdown + "".join(p.slots.values()) for p in pages.values())
    for item_id in internal:
        slug = item_id.split("/", 1)[1]
        assert f'/{slug}/"' not in text and f'"{slug}/"' not in text, item_id


def test_axe_finds_nothing_serious_on_cut_pages(paging_site, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pg = browser.new_page(viewport=PHONE)
    for path in ("complaints/", "complaints/page/2/", "facets/roles/大堂经理/", "facets/roles/大堂经理/complaints/page/2/"):
        assert pg.goto(f"{paging_site['url']}/{path}").ok, path
        pg.wait_for_load_state("load")
        if path == "complaints/":  # after a filter: the entries written by paging.js and 「再显示」
            pg.locator(".cb-filter-box summary").click()
            pg.select_option("select[data-facet=severity]", "一般")
            pg.wait_for_selector("button.cb-more:not([hidden])")
        violations = axe.run(pg).response["violations"]
        bad = [(v["id"], v["nodes"][0]["html"][:100]) for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, (path, bad)
    pg.close()


def test_a_tampered_list_json_shows_text_and_links_nowhere_else(paging_site, browser):
    """list.json is data from the library, written by the build; should anything rewrite it on the
    way (a cache, a proxy, a bug), paging.js still shows titles as text and links only into the site."""
    data = json.loads((paging_site["dir"] / "complaints/list.json").read_text(encoding="utf-8"))
    evil = '<img src=x onerror="window.__pwn=1"><script>window.__pwn=2</script>'
    data["entries"][0][0], data["entries"][0][1] = "javascript:window.__pwn=3", evil
    data["entries"][1][0], data["entries"][1][2] = "https://evil.example/x", evil
    ctx = browser.new_context(viewport=PHONE)
    ctx.route("**/complaints/list.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(data, ensure_ascii=False)))
    pg = ctx.new_page()
    pg.goto(f"{paging_site['url']}/complaints/page/2/")
    pg.locator(".cb-filter-box summary").click()
    pg.select_option("select[data-sort]", "title")  # any filter or sort loads list.json
    pg.wait_for_function("document.querySelectorAll('.cb-list > li').length > 0 && "
                         "[...document.querySelectorAll('.cb-list')].some(l => l.textContent.includes('onerror'))")
    while pg.locator("button.cb-more").is_visible():
        pg.locator("button.cb-more").click()
    assert pg.evaluate("window.__pwn") is None
    assert pg.locator(".cb-list img, .cb-list script").count() == 0
    hrefs = pg.eval_on_selector_all(".cb-list a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h is None or h.startswith(paging_site["url"] + "/") for h in hrefs), hrefs
    ctx.close()
