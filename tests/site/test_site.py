"""The site, built for real (`casebook build`) and used in headless Chromium like a person would."""
from __future__ import annotations

import gzip
import json
import hashlib
import html
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from casebook.site.asset_names import pagefind_folder
from casebook.site.search import item_text
from browsing import as_new, keep_screenshot
from conftest import CANARY, PUBLIC_MARK, REPO, SAMPLE_SITE_URL, STORY_TEXT, add_story, run_cli


# --- the build ------------------------------------------------------------------------------

def test_counts_agree(sample_site, sample_lib):
    manifest = (sample_site["dir"] / "casebook-build.json").read_text()
    assert sample_site["items"] == len(sample_lib.items) and sample_site["left_out"] == 0
    n = len(sample_lib.items)
    assert f'"items": {n}, "item_pages": {n}, "records": {n}' in manifest
    pf = pagefind_folder(sample_site["dir"]) / "pagefind-entry.json"  # (pagefind/<digest>/: site/asset_names.py)
    assert f'"page_count":{len(sample_lib.items)}' in pf.read_text().replace(" ", "")


def test_every_item_has_a_page_reachable_from_its_index(sample_site, sample_lib):
    for item in sample_lib.items.values():
        page = sample_site["dir"] / item.id / "index.html"
        assert page.is_file(), item.id
        folder, slug = item.id.split("/")
        index = (sample_site["dir"] / folder / "index.html").read_text(encoding="utf-8")
        assert f'href="{slug}/"' in index, item.id


def test_pages_are_chinese_first(sample_site):
    """Every page says zh-CN (Material's zh said "zh", which leaves a phone to choose the glyph
    shapes), and the page a wrong address shows is Chinese too: Material's said "404 - Not found",
    with no way on; it names the search box and links the home page (from the site's root: it is
    shown at any depth)."""
    pages = sorted(sample_site["dir"].rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        head = page.read_text(encoding="utf-8")[:400]
        assert '<html lang="zh-CN"' in head, page
    missing = (sample_site["dir"] / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in missing and "<h1>没有找到这个页面</h1>" in missing and "搜索框" in missing
    assert re.search(r'<a href="/kb/\.?">回到首页</a>', missing), re.findall(r'<a href="[^"]*">回到首页', missing)


EXTERNAL_LOAD = re.compile(
    r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["']?(?:https?:)?//|<link\b[^>]*\bhref=["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//|fonts\.googleapis|fonts\.gstatic""",
    re.IGNORECASE)


def test_nothing_loads_from_an_outside_host(sample_site):
    """Nothing from a host other than the site's own (its canonical links name its address)."""
    own = urlsplit(SAMPLE_SITE_URL).netloc + "/"
    offenders = []
    for path in sample_site["dir"].rglob("*"):
        if path.suffix in (".html", ".css", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in EXTERNAL_LOAD.finditer(text):
                if text.startswith(own, m.end()):
                    continue
                offenders.append((path.relative_to(sample_site["dir"]).as_posix(), text[m.start():m.start() + 80]))
    assert not offenders, offenders[:10]


def test_item_page_shows_phrases_duties_and_related(sample_site, sample_lib):
    page = (sample_site["dir"] / "emergencies/sudden-illness/index.html").read_text(encoding="utf-8")
    item = sample_lib.items["emergencies/sudden-illness"]
    for p in item.meta.phrases:
        assert f'data-copy="{p.say}"' in page
    # the deadline comes from cases/bank.yml (report_minutes.major), filled in at load time
    assert f"{item.meta.report_within_minutes} 分钟内" in page and "岗位职责" in page and "网点负责人" in page
    assert "最后修订" in page and "相关条目" in page
    # related in both directions: guides/elderly-customers links here, so here links back
    assert any(r.id == "guides/elderly-customers" for r in sample_lib.related(item))
    assert "../../guides/elderly-customers/" in page


def test_the_robbery_plan_s_first_minute_calls_the_police_first(sample_site):
    """拨打 on the card lists a plan's numbers in the order the plan names them: a robbery's duties
    mentioned 120 (for the injured, after the robbers leave) before 110 anywhere."""
    page = (sample_site["dir"] / "emergencies/robbery/index.html").read_text(encoding="utf-8")
    card = page[page.index('class="cb-first__calls"'):]
    calls = re.findall(r'href="tel:(\d+)"', card[:card.index("</p>")])
    assert calls[:2] == ["110", "120"], calls


def test_a_standard_page_shows_its_steps_and_its_checklist(sample_site, sample_lib):
    standards = [i for i in sample_lib.of_type("standard") if i.meta.checklist]
    assert standards
    for item in standards:  # (what the trainer checks the outlet against on day 1 and day 5)
        page = (sample_site["dir"] / item.id / "index.html").read_text(encoding="utf-8")
        assert "步骤与分值" in page and f"检查清单（用于《{item.meta.form}》）" in page, item.id
        for entry in item.meta.checklist:
            assert f"<li>{html.escape(entry.item, quote=False)}</li>" in page, (item.id, entry.item)


def test_a_plans_duties_and_a_standards_checklist_are_searchable(sample_site, sample_lib):
    """What sits in front matter, not in the body (a plan's duties by role, a standard's steps
    and checklist), is in the page's search record: read from the published index, against the
    items' own fields."""
    from casebook.site.search_tokens import grams

    records = {}
    for fragment in (sample_site["dir"] / "pagefind").rglob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        records[data["url"].strip("/")] = set(data["content"].replace("\u200b", " ").replace(".", " ").split())
    fields = {i.id: [d for duties in i.meta.duties.values() for d in duties] for i in sample_lib.of_type("emergency")}
    fields |= {i.id: [s.detail for s in i.meta.steps] + [c.item for c in i.meta.checklist]
               for i in sample_lib.of_type("standard")}
    for item_id, texts in fields.items():
        assert texts and item_id in records, item_id
        for text in texts:
            assert set(grams(text).split()) <= records[item_id], (item_id, text)


def test_a_role_page_lists_its_plans_by_report_deadline(sample_site, sample_lib):
    """我的预案职责 on a role page: the plans the role has duties in, the most urgent report first
    (a robbery before a media interview)."""
    for role in ("保安", "大堂经理"):
        page = (sample_site["dir"] / "facets" / "roles" / role / "index.html").read_text(encoding="utf-8")
        plans = page[page.index('class="cb-plans"'):]
        plans = plans[:plans.index("</section>")] if "</section>" in plans else plans
        shown = re.findall(r'<p class="cb-situation__more"><a href="\.\./\.\./\.\./(emergencies/[^/"]+)/"', plans)
        expected = [p.id for p in sample_lib.of_type("emergency") if role in p.meta.duties]
        assert set(shown) <= set(expected) and len(shown) >= 3, role  # (a long list goes on on later pages)
        minutes = [sample_lib.items[i].meta.report_within_minutes for i in shown]
        assert minutes == sorted(minutes) and minutes[0] < minutes[-1], (role, minutes)


def test_facet_and_programme_pages(sample_site):
    elderly = (sample_site["dir"] / "facets/customer_groups/老年客户/index.html").read_text(encoding="utf-8")
    assert "老年客户及行动不便客户服务" in elderly
    prog = (sample_site["dir"] / "programme/index.html").read_text(encoding="utf-8")
    for text in ["第1天", "第5天", "白天", "晚班", "投诉处理技巧及典型案例分析", "网点日辅导工作日志"]:
        assert text in prog
    course = (sample_site["dir"] / "courses/complaint-handling/index.html").read_text(encoding="utf-8")
    assert "选材规则" in course and "各网点本课选材" in course


# --- trees of our own: Jinja, sanitising, public builds, failed builds ------------------------

@pytest.fixture
def sample_tree(tmp_path):
    """A copy of the whole sample library, for tests that need its items or its outlets."""
    root = tmp_path / "lib"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "outlets", root / "outlets")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


def test_text_from_cases_is_never_jinja_and_docs_are_sanitised(valid_tree_with_docs, tmp_path):
    add_story(valid_tree_with_docs, "jinja", STORY_TEXT + "\n\n公式 {{ 1+1 }} 和 {% raw %} 要原样显示。")
    (valid_tree_with_docs / "docs" / "unsafe.md").write_text(
        '# 手写页面\n\n<script>alert(1)</script>\n\n<a href="javascript:alert(2)">点我</a>\n\n'
        '<img src="x.png" onerror="alert(3)">\n\n[md 链接](javascript:alert(4))\n', encoding="utf-8")
    out = tmp_path / "out"
    # docs/ is checked like cases/: the build refuses, naming each line
    refused = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert refused.code == 1 and not out.exists()
    for code, line in (("H001", 3), ("H003", 5), ("H002", 7), ("H003", 9)):
        assert f"docs/unsafe.md:{line}:" in refused.err and f"error[{code}]" in refused.err, refused.err
    (valid_tree_with_docs / "docs" / "unsafe.md").write_text("# 手写页面\n\n[点我](https://www.pbc.gov.cn/)\n", encoding="utf-8")
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert result.code == 0, result.err
    story = (out / "stories/jinja/index.html").read_text(encoding="utf-8")
    assert "{{ 1+1 }}" in story and "{% raw %}" in story
    unsafe = (out / "unsafe/index.html").read_text(encoding="utf-8")
    content = unsafe[unsafe.index('<article'):unsafe.index('</article>')]
    assert "点我" in content


def test_sanitize_removes_what_markdown_can_build():
    from casebook.site.sanitise import sanitize

    dirty = ('<p><a href="javascript:alert(1)">x</a><img src="a.png" onerror="alert(1)">'
             '<script>alert(1)</script><iframe src="https://x"></iframe><button onclick="x()" class="cb-copy" '
             'data-copy="话术">复制</button></p>')
    clean = sanitize(dirty)
    assert "javascript:" not in clean and "onerror" not in clean and "<script" not in clean
    assert "<iframe" not in clean and "onclick" not in clean
    # only casebook's own copy buttons (put back after sanitising) copy anything
    assert "data-copy" not in clean and "cb-copy" not in clean


def _all_text(directory: Path) -> str:
    """Every file of a site as text, Pagefind's gzip fragments and indexes decompressed."""
    parts = []
    for path in directory.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_public_build_has_no_trace_of_internal_items(sample_public_site, sample_site, sample_lib):
    public = sample_public_site["dir"]
    # the canary story was read and left out as internal, with every internal item of the library
    internal = [i for i in sample_lib.items.values() if i.meta.visibility != "public"]
    assert internal and sample_public_site["left_out"] == len(internal) + 1
    assert sample_public_site["items"] == len(sample_lib.items) - len(internal) + 1  # (and the public story)
    text = _all_text(public)
    assert CANARY not in text and "canary-internal" not in text
    assert PUBLIC_MARK in text  # the check can see what it looks for
    assert "中山大道支行营业部" not in text  # outlet profiles stay internal (course pages list them)
    # a public story's body links: to an internal item, its text only; to a public one, a link
    story = (public / "stories" / "public-one" / "index.html").read_text(encoding="utf-8")
    assert "同一个冬天的另一个故事" in story and "老年客户服务指引" in story
    assert "elderly-customers" not in story and ".md" not in story, story
    assert 'href="../outdoor-workers-rest-corner/"' in story
    manifest = json.loads((public / "casebook-build.json").read_text(encoding="utf-8"))
    # (how many internal items were left out is told to the person building, never published)
    assert set(manifest) == {"items", "item_pages", "records", "search_shards", "public"}, manifest
    assert "中山大道支行营业部" in _all_text(sample_site["dir"])  # (the internal build prints it)


def _digest(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        h.update(path.relative_to(directory).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_failed_build_leaves_the_previous_site_untouched(valid_tree_with_docs, tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out)).code == 0
    before = _digest(out)
    (valid_tree_with_docs / "docs" / "broken.md").write_text("# 坏页面\n\n{{ no_such_macro() }}\n", encoding="utf-8")
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert result.code != 0
    assert _digest(out) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_build_refuses_a_library_with_errors(valid_tree_with_docs, tmp_path):
    add_story(valid_tree_with_docs, "bad", "太短")
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "o"))
    assert result.code == 1 and "error[S003]" in result.err
    assert not (tmp_path / "o").exists()


def test_a_pull_request_preview_is_built_from_the_valid_items_and_still_fails(valid_tree_with_docs, tmp_path):
    """--keep-going (the pull-request job): the reviewer sees a preview even when the check fails,
    with every problem printed, the broken item left out, and the exit code still 1."""
    add_story(valid_tree_with_docs, "bad", "太短")
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "o"), "--keep-going")
    assert result.code == 1 and "error[S003]" in result.err and "1 个错误" in result.err
    assert (tmp_path / "o" / "index.html").is_file() and not (tmp_path / "o" / "stories" / "bad").exists()
    valid = next(p.stem for p in sorted((valid_tree_with_docs / "cases" / "stories").glob("*.md")) if p.stem != "bad")
    assert (tmp_path / "o" / "stories" / valid / "index.html").is_file()


# --- in the browser -----------------------------------------------------------------------------

DOMAIN_WORDS = ["老年人", "大堂经理", "柜面经理", "网点负责人", "身份证", "应急预案", "排队", "手机银行", "反诈", "补位",
                "代发工资", "犹豫期", "轮椅", "手语"]


@pytest.fixture(scope="module")
def search_desk(served_sample_site, browser):
    pg = browser.new_page(viewport={"width": 1280, "height": 800})
    pg.goto(served_sample_site["url"] + "/")
    pg.wait_for_function("typeof window.casebookSearch === 'function'")
    yield pg
    pg.close()


def test_search_recall_against_the_library_text(search_desk, sample_lib):
    for word in DOMAIN_WORDS:
        truth = {f"{i.id}/" for i in sample_lib.items.values() if word in item_text(i)}
        body_truth = {f"{i.id}/" for i in sample_lib.items.values() if word in i.body}
        found = search_desk.evaluate("(q) => window.casebookSearch(q)", word)
        exact = {r["url"].lstrip("/") for r in found if r["exact"]}
        assert body_truth <= exact, (word, sorted(body_truth - exact))
        assert exact == truth, (word, sorted(truth ^ exact))
        # a page holding the word as typed or a word of its group (tests/site/test_search.py) comes
        # first; pages holding only part of it are weighed by what they miss (rank.js: HOLD), not
        # all put after every page that holds it
        assert found[0]["all"], word


def _sentence_word(lib):
    """A 3-character word that only occurs inside a sentence of one item's paragraph."""
    item = lib.items["complaints/peak-queue-long-wait"]
    return item, "工业园"


def test_search_box_finds_a_word_inside_a_sentence(search_desk, sample_lib):
    item, word = _sentence_word(sample_lib)
    assert word in item.body and word not in item.meta.title
    search_desk.fill("#cb-search-input", word)
    search_desk.wait_for_function("(w) => document.querySelector('.cb-search__panel').dataset.query === w", arg=word)
    top = search_desk.eval_on_selector_all(".cb-result a", "els => els.slice(0, 5).map(a => a.getAttribute('href'))")
    assert any(h.endswith(f"/{item.id}/") for h in top), top
    assert search_desk.inner_text(".cb-result .cb-kind") and search_desk.locator(".cb-result .cb-snippet").count() >= 1


def test_search_filters_are_offered(search_desk):
    search_desk.fill("#cb-search-input", "老年")
    search_desk.wait_for_function("(w) => document.querySelector('.cb-search__panel').dataset.query === w", arg="老年")
    search_desk.click(".cb-filter-open")
    search_desk.wait_for_selector(".cb-search__filters select")
    names = search_desk.eval_on_selector_all(".cb-search__filters select", "els => els.map(s => s.dataset.filter)")
    assert {"类型", "客户群体", "岗位", "业务"} <= set(names)
    before = search_desk.locator(".cb-result").count()
    search_desk.select_option('.cb-search__filters select[data-filter="类型"]', "应急预案")
    search_desk.wait_for_function(
        "() => [...document.querySelectorAll('.cb-result .cb-kind')].every(k => k.textContent === '应急预案')")
    assert search_desk.locator(".cb-result").count() <= before


@pytest.fixture(scope="module")
def laptop_tab(browser):
    """One tab for the module's tests that open pages of their own, each handed it as new (browsing.as_new)."""
    return browser.new_context(viewport={"width": 1280, "height": 800}).new_page()  # closed with the module's contexts


def test_facet_filter_narrows_an_index_page(served_sample_site, laptop_tab):
    laptop_tab.set_viewport_size({"width": 1280, "height": 800})
    with as_new(laptop_tab, served_sample_site["url"] + "/complaints/") as pg:
        total = int(pg.inner_text("[data-count]"))
        pg.select_option('select[data-facet="customer-groups"]', "老年客户")
        shown = int(pg.inner_text("[data-count]"))
        visible = pg.eval_on_selector_all(".cb-entry:not([hidden])", "els => els.map(e => e.dataset.customerGroups)")
        # and sorts it (a list on one page: ui.js; a list cut into pages has paging.js)
        order = "els => els.filter(e => !e.hidden).map(e => e.dataset.updated)"
        pg.select_option("select[data-sort]", "updated-asc")
        oldest_first = pg.eval_on_selector_all(".cb-entry", order)
        options = pg.eval_on_selector_all("select[data-sort] option", "os => os.map(o => o.value)")
        pg.select_option("select[data-sort]", options[0])
        newest_first = pg.eval_on_selector_all(".cb-entry", order)
    assert 0 < shown < total
    assert len(visible) == shown and all("老年客户" in v.split("|") for v in visible)
    assert oldest_first == sorted(oldest_first) and oldest_first[0] < oldest_first[-1], oldest_first
    assert newest_first == sorted(newest_first, reverse=True), newest_first


def test_back_to_a_filtered_list_shows_the_list_its_filters_say(served_sample_site, phone):
    """Filter, open a case, come back: the browser put 老年客户 and 重大 back in the selects, and the
    list showed all 42 cases under them, the filters folded away."""
    pg = phone
    pg.goto(served_sample_site["url"] + "/complaints/")
    pg.click(".cb-filter-box summary")
    pg.select_option('select[data-facet="customer-groups"]', "老年客户")
    pg.select_option('select[data-facet="severity"]', "重大")
    shown = int(pg.inner_text("[data-count]"))
    titles = pg.eval_on_selector_all(".cb-entry:not([hidden])", "els => els.map(e => e.dataset.title)")
    assert 0 < shown == len(titles), (shown, titles)
    pg.click(".cb-entry:not([hidden]) a")
    pg.wait_for_load_state()
    pg.go_back()
    pg.wait_for_function("() => document.querySelector('select[data-facet=\"severity\"]').value === '重大'")
    pg.wait_for_function(f"() => document.querySelector('[data-count]').textContent === '{shown}'")
    again = pg.eval_on_selector_all(".cb-entry:not([hidden])", "els => els.map(e => e.dataset.title)")
    assert sorted(again) == sorted(titles)
    assert pg.eval_on_selector(".cb-filter-box", "d => d.open")  # (the choices in force are in sight)


def test_filters_that_leave_nothing_say_so_under_them_and_clear(served_sample_site, sample_lib, phone):
    """老年客户 and then 手机银行: 共 0 条, above the open filters and off the phone's screen, and nothing
    else. Now a line under the filters says so, beside the button that clears them."""
    from casebook.site.pagekit import item_values

    cases = sample_lib.of_type("complaint")
    group, business = next((g, b) for g in ("老年客户", "残障客户", "外籍客户") for b in sorted(
        {v for i in cases for v in item_values(i, "business")})
        if not any(g in item_values(i, "customer_groups") and b in item_values(i, "business") for i in cases))
    pg = phone
    pg.goto(served_sample_site["url"] + "/complaints/")
    pg.click(".cb-filter-box summary")
    pg.select_option('select[data-facet="customer-groups"]', group)
    assert not pg.locator(".cb-none").is_visible()
    pg.select_option('select[data-facet="business"]', business)
    assert pg.inner_text("[data-count]") == "0"
    note = pg.locator(".cb-none")
    assert note.is_visible() and "没有同时符合这些条件的条目" in note.inner_text(), (group, business)
    box = note.bounding_box()  # (in sight: not only 共 0 条, above the open filters)
    assert 0 <= box["y"] and box["y"] + box["height"] <= 740 + 1, box
    assert "清除筛选" in note.inner_text()
    pg.click("form.cb-facets button[type=reset]")  # (the list follows the reset a tick later: ui.js)
    pg.wait_for_function(f"() => document.querySelector('[data-count]').textContent === '{len(cases)}'")
    assert not note.is_visible()


def test_copy_button_puts_the_words_on_the_clipboard(served_sample_site, browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 780})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_sample_site["url"])
    pg = ctx.new_page()
    pg.goto(served_sample_site["url"] + "/complaints/peak-queue-long-wait/")
    button = pg.locator(".cb-copy").first
    expected = button.get_attribute("data-copy")
    button.click()
    assert pg.evaluate("navigator.clipboard.readText()") == expected
    assert button.inner_text() == "已复制"
    ctx.close()


def test_copy_button_works_on_an_intranet_site_over_plain_http(sample_site, served_sample_site, browser):
    """Outlets reach the site over plain http on the bank's intranet: no secure context, so no
    navigator.clipboard; the button copies all the same (read back on a secure page)."""
    import mimetypes

    ctx = browser.new_context(viewport={"width": 360, "height": 780})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_sample_site["url"])

    def from_the_site(route):
        path = route.request.url.split("intranet.example", 1)[1].split("?")[0].lstrip("/")
        file = sample_site["dir"] / path / "index.html" if path.endswith("/") or not path else sample_site["dir"] / path
        if not file.is_file():
            return route.fulfill(status=404)
        route.fulfill(status=200, body=file.read_bytes(),
                      content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream")

    ctx.route("http://intranet.example/**", from_the_site)
    pg = ctx.new_page()
    pg.goto("http://intranet.example/complaints/peak-queue-long-wait/")
    assert pg.evaluate("window.isSecureContext") is False
    button = pg.locator(".cb-copy").first
    expected = button.get_attribute("data-copy")
    button.click()
    assert button.inner_text() == "已复制"
    reader = ctx.new_page()
    reader.goto(served_sample_site["url"] + "/")
    assert reader.evaluate("navigator.clipboard.readText()") == expected
    ctx.close()


def test_search_works_at_phone_width(served_sample_site, laptop_tab):
    laptop_tab.set_viewport_size({"width": 360, "height": 780})
    with as_new(laptop_tab, served_sample_site["url"] + "/") as pg:
        pg.click(".cb-search__input")  # (on a phone the field is in the header, visible)
        pg.keyboard.type("补位")
        pg.wait_for_function("(w) => document.querySelector('.cb-search__panel').dataset.query === w", arg="补位")
        box = pg.locator(".cb-search__panel").bounding_box()
        assert box["width"] <= 360 and pg.locator(".cb-result").count() > 0


PAGES = [("home", "/"), ("index", "/complaints/"), ("complaint", "/complaints/peak-queue-long-wait/"),
         ("emergency", "/emergencies/sudden-illness/")]


@pytest.mark.parametrize("width,height", [(360, 780), (1280, 800)])
def test_screenshots_and_accessibility(served_sample_site, laptop_tab, width, height):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    laptop_tab.set_viewport_size({"width": width, "height": height})
    with as_new(laptop_tab) as pg:
        for name, url in PAGES:
            pg.goto(served_sample_site["url"] + url)
            pg.wait_for_load_state("networkidle")
            keep_screenshot(pg, f"{name}-{width}.png")
            results = axe.run(pg)
            bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            assert not bad, (url, [(v["id"], v["nodes"][0]["html"][:120]) for v in bad])
            # no horizontal scrolling on a phone
            assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url


def _fragments_hold(site: Path, text: str) -> bool:
    """Whether a fragment of the search index (the text a hit shows) holds `text`."""
    for path in site.glob("pagefind/**/*.pf_fragment"):
        try:
            if text in gzip.decompress(path.read_bytes()).decode("utf-8", "replace"):
                return True
        except (OSError, EOFError):
            continue  # swapped out while being read
    return False


def test_serve_shows_an_edit_with_search_working(sample_tree):
    import socket
    import subprocess
    import time
    import urllib.request

    from conftest import CASEBOOK

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import tempfile

    earlier = set(Path(tempfile.gettempdir()).glob("mkdocs_*"))  # mkdocs serve builds into a new temporary folder
    log = sample_tree / "serve.log"
    proc = subprocess.Popen([CASEBOOK, "serve", "--root", str(sample_tree), "--dev-addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=log.open("wb"))

    def builds() -> int:
        return log.read_text(encoding="utf-8", errors="replace").count("站点已构建")

    def get(path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(path: str, text: str, seconds: float = 60) -> None:
        end = time.time() + seconds
        while text not in get(path):
            assert time.time() < end, f"{text} never appeared at {path}"
            time.sleep(0.2)

    try:
        story = sample_tree / "cases/stories/fraud-stopped-nephew.md"
        wait_for("/stories/fraud-stopped-nephew/", "侄子")
        wait_for("/pagefind/pagefind-entry.json", "zh-cn")
        story.write_text(story.read_text(encoding="utf-8") + "\n预览里新加的一句话。\n", encoding="utf-8")
        wait_for("/stories/fraud-stopped-nephew/", "预览里新加的一句话", seconds=30)
        page = get("/stories/fraud-stopped-nephew/")
        for entry in ("1+5 项目安排", "内容覆盖", "备课篮", "制度依据"):  # the nav stays whole in a rebuild
            assert entry in page, entry
        # a changed title reaches the lists (reused between rebuilds unless their items change)
        text = story.read_text(encoding="utf-8")
        story.write_text(text.replace("title: ", "title: 预览改名·", 1), encoding="utf-8")
        wait_for("/stories/", "预览改名·", seconds=30)
        # and the search index: a new fragment holds the new sentence
        wait_for("/stories/fraud-stopped-nephew/", "预览改名·", seconds=30)
        (site,) = set(Path(tempfile.gettempdir()).glob("mkdocs_*")) - earlier
        end = time.time() + 60
        while not _fragments_hold(site, "预览里新加的一句话"):
            assert time.time() < end, "the edit never reached the search index"
            time.sleep(0.5)
        # one build per change: reading files in a rebuild is no change (build_wiring.CHANGES);
        # counted as one, every rebuild started the next, for as long as the preview ran
        done = builds()
        time.sleep(3)
        assert builds() == done and 3 <= done <= 5, log.read_text(encoding="utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
