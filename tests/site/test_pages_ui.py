"""Measured in headless Chromium on a real build: action first on a 360×740 phone,
role pages that open with scripts, nothing wider than the screen, axe on every page type, the
lesson basket (survives a reload, prints one item per A4 section without the site around it),
the public build's footer, programme and home page, and a sitemap that lists every page.

The session's sample site (built for a site_url, so QR codes and absolute sitemap entries exist)
and one public build (without) serve every test of this module."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from browsing import keep_screenshot, screenshot_folder
from conftest import SAMPLE_SITE_URL

SITE_URL = SAMPLE_SITE_URL  # (the session's sample site is built for it)
PHONE, LAPTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def public_site_dir(sample_public_site):
    return sample_public_site["dir"]


# --- action first -------------------------------------------------------------------------------

def test_every_emergency_plan_opens_with_the_first_minute_card(served_sample_site, sample_lib, phone):
    limit = 1.5 * PHONE["height"]
    seen = []
    for plan in sample_lib.of_type("emergency"):
        phone.goto(f"{served_sample_site['url']}/{plan.id}/")
        box = phone.evaluate("""() => {
          const r = s => { const el = document.querySelector(s); if (!el) return null;
            const b = el.getBoundingClientRect(); return {top: b.top + scrollY, bottom: b.bottom + scrollY}; };
          return {card: r('.cb-first'), say: r('.cb-first .cb-say'), jump: r('nav.cb-jump'),
                  roles: [...document.querySelectorAll('.cb-first__roles strong')].map(s => s.textContent),
                  report: document.querySelector('.cb-first__report')?.textContent || ''};
        }""")
        assert box["card"] and box["say"], plan.id
        assert box["card"]["bottom"] <= limit and box["say"]["bottom"] <= limit, (plan.id, box)
        assert box["roles"] == [r for r, d in plan.meta.duties.items() if d], plan.id
        assert f"{plan.meta.report_within_minutes} 分钟内" in box["report"], plan.id
        assert phone.inner_text(".cb-first .cb-say") == plan.meta.phrases[0].say
        seen.append((plan.id, round(box["card"]["bottom"]), round(box["say"]["bottom"])))
        if plan.id == "emergencies/sudden-illness":
            keep_screenshot(phone, "emergency-plan-360.png")
            keep_screenshot(phone, "emergency-plan-360-full.png", full_page=True)
    assert len(seen) == len(sample_lib.of_type("emergency")) > 0
    print("first-minute card bottom / first script bottom (px, limit 1110):", seen)


def test_numbers_to_call_are_the_plans_own(sample_site, sample_lib):
    from casebook.site.item import NUMBERS, plan_numbers

    for plan in sample_lib.of_type("emergency"):
        page = (sample_site["dir"] / plan.id / "index.html").read_text(encoding="utf-8")
        numbers = plan_numbers(plan)
        text = "\n".join([plan.body, *(p.say for p in plan.meta.phrases), *(d for ds in plan.meta.duties.values() for d in ds)])
        assert all(n in text for n in numbers)
        for n in NUMBERS:
            assert (f'href="tel:{n}"' in page) == (n in numbers), (plan.id, n)
    assert plan_numbers(sample_lib.items["emergencies/sudden-illness"]) == ["120"]


def test_jump_bar_stays_on_screen_and_lands_on_its_sections(served_sample_site, phone):
    # (in the order the page shows the sections: 话术 was listed third on a guide that opens with it)
    for path, labels in [("emergencies/system-failure/", ["话术", "岗位职责", "处置流程", "报告"]),
                         ("complaints/peak-queue-long-wait/", ["话术", "经过", "处理过程", "讨论题"]),
                         ("guides/elderly-customers/", ["话术", "服务要点", "服务流程", "禁忌"])]:
        phone.goto(f"{served_sample_site['url']}/{path}")
        assert phone.eval_on_selector_all("nav.cb-jump a", "as => as.map(a => a.textContent)") == labels, path
        tops = phone.eval_on_selector_all("nav.cb-jump a", """as => as.map(a =>
          document.getElementById(a.getAttribute('href').slice(1)).getBoundingClientRect().top + scrollY)""")
        assert tops == sorted(tops), (path, tops)
        for label in labels:
            phone.click(f"nav.cb-jump a:text-is('{label}')")
            phone.wait_for_timeout(100)
            where = phone.evaluate("""(label) => {
              const a = [...document.querySelectorAll('nav.cb-jump a')].find(a => a.textContent === label);
              const target = document.getElementById(a.getAttribute('href').slice(1));
              const bar = document.querySelector('nav.cb-jump').getBoundingClientRect();
              return {target: target.getBoundingClientRect().top, barTop: bar.top, barBottom: bar.bottom};
            }""", label)
            # the bar is still on screen under the header, and the section starts right below it
            assert 0 <= where["barTop"] <= 60 and where["barBottom"] <= where["target"] + 2, (path, label, where)
            assert where["target"] < PHONE["height"] / 2, (path, label, where)


def test_a_phone_on_its_side_keeps_its_height_for_reading(served_sample_site, phone):
    """740×360: the header and the sticky jump bar together took 105 of 360 px on every scroll."""
    phone.set_viewport_size({"width": 740, "height": 360})
    try:
        phone.goto(f"{served_sample_site['url']}/guides/elderly-customers/")
        phone.evaluate("window.scrollTo(0, 1500)")
        bar = phone.eval_on_selector("nav.cb-jump", "b => b.getBoundingClientRect().bottom")
        assert bar < 0, bar  # (scrolled away with the page, not held under the header)
    finally:
        phone.set_viewport_size(PHONE)


def test_tags_fold_into_one_line_below_the_summary(served_sample_site, phone):
    phone.goto(f"{served_sample_site['url']}/complaints/peak-queue-long-wait/")
    summary = phone.locator(".cb-summary").bounding_box()
    tags = phone.locator("details.cb-tags > summary").bounding_box()
    assert tags["y"] > summary["y"] and tags["height"] <= 48
    assert phone.locator("details.cb-tags a.cb-chip").first.is_hidden()


def test_role_and_customer_group_pages_open_with_scripts(served_sample_site, sample_lib, phone):
    limit = 6 * PHONE["height"]
    measured = []
    for vocab in ("roles", "customer_groups"):
        for value in sample_lib.vocabulary.values(vocab):
            page = served_sample_site["dir"] / "facets" / vocab / value / "index.html"
            if not page.exists():
                continue
            phone.goto(f"{served_sample_site['url']}/facets/{vocab}/{quote(value)}/")
            m = phone.evaluate("""() => {
              const copy = document.querySelector('.cb-copy');
              const all = document.querySelector('.cb-all');
              return {copy: copy ? copy.getBoundingClientRect().bottom + scrollY : null,
                      visible: copy ? copy.checkVisibility() : false,
                      all: all ? all.getBoundingClientRect().top + scrollY : document.documentElement.scrollHeight,
                      first: document.querySelector('article h2')?.textContent};
            }""")
            if vocab == "roles":
                assert m["first"] == "话术", value
                assert m["copy"] is not None and m["visible"] and m["copy"] <= PHONE["height"], (value, m)
            if m["copy"] is not None:
                assert m["copy"] <= PHONE["height"], (value, m)
            assert m["all"] <= limit, (value, m)
            measured.append((value, round(m["copy"] or 0), round(m["all"])))
    print("first copy button bottom / folded part top (px):", measured)
    # the role's duties in each plan come before the rest
    phone.goto(f"{served_sample_site['url']}/facets/roles/{quote('保安')}/")
    assert phone.locator(".cb-plans details.cb-situation").count() == sum(
        1 for p in sample_lib.of_type("emergency") if "保安" in p.meta.duties)
    keep_screenshot(phone, "role-page-360.png")


# --- every page type: width and axe -------------------------------------------------------------

PAGE_TYPES = [("home", ""), ("index", "complaints/"), ("complaint", "complaints/peak-queue-long-wait/"),
              ("emergency", "emergencies/sudden-illness/"), ("guide", "guides/elderly-customers/"),
              ("story", "stories/fraud-stopped-nephew/"), ("standard", "standards/teller-seven-steps/"),
              ("course", "courses/complaint-handling/"), ("role", "facets/roles/大堂经理/"),
              ("group", "facets/customer_groups/老年客户/"), ("facet", "facets/business/开户/"),
              ("facets", "facets/"), ("programme", "programme/"), ("coverage", "coverage/"), ("basket", "basket/")]

WIDER_THAN_SCREEN = """() => {
  const w = window.innerWidth;
  const inScrollBox = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const out = [];
  // everything on the page except Material's off-canvas drawer (it slides in from the left)
  for (const el of document.querySelectorAll('.md-header *, .md-main *, .md-footer *')) {
    if (el.closest('.md-sidebar--primary')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > w + 1 && !inScrollBox(el)) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, offenders: out.slice(0, 5)};
}"""


def test_no_page_is_wider_than_the_phone(served_sample_site, phone):
    for name, path in PAGE_TYPES:
        phone.goto(f"{served_sample_site['url']}/{quote(path)}")
        # open every folded part: what it shows must fit too
        phone.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        m = phone.evaluate(WIDER_THAN_SCREEN)
        assert m["scrollWidth"] <= PHONE["width"] and not m["offenders"], (name, m)


def test_pages_fit_a_phone_with_text_at_twice_the_size(served_sample_site, phone):
    """A reader who sets the phone's text to 200 % (a CSS width of 180 px on a 360 px phone): the
    script cards and their 复制 buttons ran off the screen (cards at least 16rem wide), and so did
    the search box."""
    phone.set_viewport_size({"width": 180, "height": 400})
    try:
        for name, path in PAGE_TYPES:
            if name in ("programme", "coverage"):  # (wide tables scroll in a box of their own)
                continue
            phone.goto(f"{served_sample_site['url']}/{quote(path)}")
            m = phone.evaluate(WIDER_THAN_SCREEN)
            assert m["scrollWidth"] <= 180 and not m["offenders"], (name, m)
    finally:
        phone.set_viewport_size(PHONE)


def test_programme_uses_the_laptop_width(served_sample_site, browser):
    (pg := browser.new_page(viewport=LAPTOP)).goto(f"{served_sample_site['url']}/programme/")
    table = pg.locator("table.cb-programme").bounding_box()
    forms = pg.locator("table.cb-programme thead th").last.bounding_box()
    # the menu stays on the left; the table takes the rest (no table of contents on the right)
    assert table["width"] >= 0.7 * LAPTOP["width"] and forms["x"] + forms["width"] <= LAPTOP["width"] - 32
    assert pg.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    pg.close()


# test_site.py runs axe on home, index, complaint and emergency pages; these are the other types
AXE_TYPES = [(n, p) for n, p in PAGE_TYPES if n not in ("home", "index", "complaint", "emergency", "group")]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["360", "1280"])
def test_axe_finds_nothing_serious_on_any_page_type(served_sample_site, browser, viewport):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pg = browser.new_page(viewport=viewport)
    report = []
    for name, path in AXE_TYPES:
        pg.goto(f"{served_sample_site['url']}/{quote(path)}")
        pg.wait_for_load_state("load")
        violations = axe.run(pg).response["violations"]
        bad = [(v["id"], v["nodes"][0]["html"][:100]) for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, (name, bad)
        report.append((name, len(violations)))
    print(f"axe at {viewport['width']} px (minor/moderate violations per page):", report)
    pg.close()


# --- lists ---------------------------------------------------------------------------------------

def test_the_whole_entry_is_the_link_and_kinds_show_only_where_mixed(served_sample_site, phone):
    phone.goto(f"{served_sample_site['url']}/complaints/")
    link = phone.locator("a.cb-entry__link").first
    assert link.bounding_box()["height"] >= 44 and link.locator(".cb-entry__summary").count() == 1
    assert phone.locator("ul.cb-list .cb-kind").count() == 0
    page = (served_sample_site["dir"] / "emergencies/sudden-illness/index.html").read_text(encoding="utf-8")
    related = page[page.index('class="cb-related"'):]
    assert 'class="cb-kind"' in related[:related.index("</nav>")]


# --- public build and sitemap ---------------------------------------------------------------------

def test_sitemap_lists_every_page(sample_site, public_site_dir, sample_lib):
    for site, prefix in [(sample_site["dir"], SITE_URL), (public_site_dir, "./")]:
        # /admin/ (the web form) and /contribute/ (the 投稿 page in front of it) are for contributors,
        # copied in beside the pages (noindex): not pages to list
        pages = sorted(rel for p in site.rglob("index.html")
                       if (rel := p.parent.relative_to(site).as_posix()).split("/")[0] not in ("admin", "contribute"))
        locs = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
        assert len(locs) == len(pages) > 10
        wanted = {prefix + ("" if p == "." else quote(p) + "/") for p in pages}
        assert set(locs) == wanted
    # a deployed site has its address: each item's page still says when it last changed
    sitemap = (sample_site["dir"] / "sitemap.xml").read_text(encoding="utf-8")
    for item in sample_lib.items.values():
        url = SITE_URL + quote(item.id) + "/"
        assert f"<url><loc>{url}</loc><lastmod>{item.meta.updated.isoformat()}</lastmod></url>" in sitemap, item.id


def test_public_build_footer_programme_and_home(public_site_dir, sample_lib):
    home = (public_site_dir / "index.html").read_text(encoding="utf-8")
    assert "内部资料" not in home and "服务案例与话术" in home
    assert not re.search(r"<strong>0</strong>", home)
    for path in public_site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "内部资料，请勿外传" not in text, path
        # no heading followed directly by another heading or the end of the article
        article = text[text.find("<article"):text.find("</article>")]
        assert not re.search(r"</h2>\s*(<h2|$)", article), path
    programme = (public_site_dir / "programme/index.html").read_text(encoding="utf-8")
    courses = [c for c in sample_lib.of_type("course") if c.meta.visibility != "public"]
    assert courses and "内部课程" in programme
    for course in courses:
        assert course.meta.title not in programme, course.id


# --- the lesson basket and print ------------------------------------------------------------------

def _used_fonts(pg, selector: str) -> set[str]:
    cdp = pg.context.new_cdp_session(pg)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"] for f in fonts}


def _pdf_text(pdf: Path, mode: str = "-layout") -> list[str]:
    out = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in out.split("\f") if p.strip()]


CHROME = ["网点服务案例库", "搜索话术", "按分类浏览", "内部资料", "加入备课", "复制", "页内跳转", "相关条目"]


def test_a_course_in_the_basket_prints_without_its_selection_rules(served_sample_site, sample_lib, browser):
    """A course page tells the trainer how its items are drawn for each outlet; the handout the
    staff get holds the course, not those notes."""
    ctx = browser.new_context(viewport=PHONE)
    pg = ctx.new_page()
    pg.goto(f"{served_sample_site['url']}/basket/")
    pg.click(".cb-trainer__switch")
    pg.goto(f"{served_sample_site['url']}/courses/special-customers/")
    assert "选材规则" in pg.inner_text("article")  # (on the page itself)
    pg.click(".cb-basket-add")
    pg.goto(f"{served_sample_site['url']}/basket/")
    pg.wait_for_selector('[data-basket-handout][data-ready="1"]')
    handout = pg.evaluate("document.querySelector('[data-basket-handout]').textContent")  # (shown in print)
    ctx.close()
    assert sample_lib.items["courses/special-customers"].meta.title in handout
    assert "选材规则" not in handout and "各网点本课选材" not in handout


def test_lesson_basket_survives_a_reload_and_prints_one_item_per_section(served_sample_site, sample_lib, browser, tmp_path):
    chosen = ["emergencies/sudden-illness", "complaints/peak-queue-long-wait", "guides/elderly-customers"]
    ctx = browser.new_context(viewport=PHONE)
    pg = ctx.new_page()
    pg.goto(f"{served_sample_site['url']}/basket/")  # 「加入备课」 is a trainer's: switched on once, here
    pg.click(".cb-trainer__switch")
    for item_id in chosen:
        pg.goto(f"{served_sample_site['url']}/{item_id}/")
        pg.click(".cb-basket-add")
        assert pg.get_attribute(".cb-basket-add", "aria-pressed") == "true"
    pg.goto(f"{served_sample_site['url']}/basket/")
    pg.reload()
    ids = lambda: pg.eval_on_selector_all("[data-basket-list] > li", "lis => lis.map(li => li.dataset.id)")  # noqa: E731
    assert ids() == chosen
    pg.click("[data-basket-list] > li:nth-child(3) button:text-is('上移')")  # guide before complaint
    pg.click("[data-basket-list] > li:nth-child(1) button:text-is('移除')")  # the plan goes
    pg.goto(f"{served_sample_site['url']}/guides/visually-impaired/")
    pg.click(".cb-basket-add")
    pg.goto(f"{served_sample_site['url']}/basket/")
    pg.reload()
    order = ["guides/elderly-customers", "complaints/peak-queue-long-wait", "guides/visually-impaired"]
    assert ids() == order
    pg.fill("[data-basket-date]", "2027-09-16")
    pg.dispatch_event("[data-basket-date]", "change")
    pg.fill("[data-basket-list] > li:nth-child(1) .cb-basket__minutes", "12")
    pg.dispatch_event("[data-basket-list] > li:nth-child(1) .cb-basket__minutes", "change")
    pg.wait_for_selector(f'[data-basket-handout][data-ready="{len(order)}"]')
    from axe_playwright_python.sync_playwright import Axe

    bad = [(v["id"], v["nodes"][0]["html"][:100]) for v in Axe().run(pg).response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad  # the filled basket too (its handout holds other pages' content)
    keep_screenshot(pg, "basket-screen-360.png")
    pg.emulate_media(media="print")
    keep_screenshot(pg, "basket-print-360.png")
    # Chromium embeds CJK faces as Type 3 (no names in pdffonts): ask it which face it used
    assert "Noto Serif CJK SC" in _used_fonts(pg, ".cb-handout-item .cb-say")
    pdf = tmp_path / "handout.pdf"
    pg.pdf(path=str(pdf), format="A4", print_background=True)
    ctx.close()

    pages = _pdf_text(pdf)
    titles = [sample_lib.items[i].meta.title for i in order]
    # the first page: the class date and the agenda with minutes and clock times
    agenda = re.sub(r"\s+", "", pages[0])
    assert "上课日期：2027年9月16日（周四）" in agenda and "18:30—18:42" in agenda and "第1页/共" in agenda
    assert all(re.sub(r"\s+", "", t) in agenda for t in titles)
    slots = re.findall(r"(\d\d:\d\d)—(\d\d:\d\d)", agenda)  # each item starts when the one before ends
    assert len(slots) == len(titles) >= 2 and slots[0][0] == "18:30", slots
    assert all(slots[n][0] == slots[n - 1][1] for n in range(1, len(slots))), slots
    pages = pages[1:]
    starts = [next(n for n, text in enumerate(pages) if title in text) for title in titles]
    assert starts == sorted(starts) and starts[0] == 0, starts
    for n, title in zip(starts, titles):  # every item begins a page of its own
        assert not any(t in pages[n] for t in titles if t != title), (title, n)
    whole = "\n".join(pages)
    raw = re.sub(r"\s+", "", "".join(_pdf_text(pdf, "-raw")))  # in drawing order: the QR caption stays whole
    for item_id in order:
        item = sample_lib.items[item_id]
        assert item.meta.phrases[0].say[:12] in whole.replace(" ", "").replace("\n", "")
        assert f"{SITE_URL}{item_id}/" in raw  # the address under each item's QR code
    assert "讨论题" in whole and whole.count("角色扮演") >= 2  # the guides' class exercises too
    for chrome in CHROME:
        assert chrome not in whole, chrome
    if (shots := screenshot_folder()) is not None:  # (its first page, for a person to look at)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(shots / "basket-pdf-page")],
                       check=True)


def test_an_item_page_prints_without_the_site_around_it(served_sample_site, sample_lib, browser, tmp_path):
    (pg := browser.new_page(viewport=PHONE)).goto(f"{served_sample_site['url']}/emergencies/system-failure/")
    pdf = tmp_path / "plan.pdf"
    pg.pdf(path=str(pdf), format="A4")
    pg.close()
    whole = "\n".join(_pdf_text(pdf))
    assert "第一分钟" in whole and "岗位职责" in whole and "处置流程" in whole
    # the first script once: on screen the card repeats it for the first minute, on paper 话术 has it
    first = sample_lib.items["emergencies/system-failure"].meta.phrases[0].say
    assert re.sub(r"\s+", "", whole).count(re.sub(r"\s+", "", first)[:20]) == 1, first
    assert f"{SITE_URL}emergencies/system-failure/" in re.sub(r"\s+", "", whole)
    for chrome in CHROME:
        assert chrome not in whole, chrome


def test_pages_read_without_javascript(served_sample_site, browser):
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False)
    (pg := ctx.new_page()).goto(f"{served_sample_site['url']}/emergencies/sudden-illness/")
    assert pg.locator(".cb-first").is_visible() and pg.locator(".cb-basket-add").is_hidden()
    pg.goto(f"{served_sample_site['url']}/basket/")
    assert "需要浏览器启用 JavaScript" in pg.inner_text("article")
    ctx.close()


def test_every_item_page_offers_the_basket_and_its_print_stylesheet(sample_site, sample_lib):
    for item in sample_lib.items.values():
        page = (sample_site["dir"] / item.id / "index.html").read_text(encoding="utf-8")
        assert f'class="cb-basket-add" hidden data-id="{item.id}"' in page, item.id
        # (casebook's stylesheets and scripts are joined at build time: site/asset_names.py)
        css, js = (re.search(rf'"[./]*(assets/casebook/casebook\.[0-9a-f]+\.{ext})"', page) for ext in ("css", "js"))
        assert css and js, item.id
        assert "/* basket.js */" in (sample_site["dir"] / js[1]).read_text(encoding="utf-8"), item.id
        assert 'class="cb-qr cb-print-only"' in page and f"{SITE_URL}{item.id}/" in page, item.id
    css = (sample_site["dir"] / css[1]).read_text(encoding="utf-8")
    assert "/* print.css */" in css and "size: A4" in css and '"Noto Serif CJK SC"' in css
