"""The pages staff open every day, on a 360×740 phone in headless Chromium (the sample site):
copy buttons that never cover a script's last line, tap targets of 44 px (header) or WCAG 2.5.8
elsewhere, trainer tools a teller never sees, 「按岗位」 in the menu, role pages that open on the
everyday situations and count the phrases the home page says, and 添加到主屏幕 where it helps.

Screenshots for a person to look at go to the folder CASEBOOK_SCREENSHOTS names (none without it)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, unquote

from browsing import keep_screenshot
from casebook.core.library import Library
from conftest import REPO, library_with_site, run_cli

PHONE, LAPTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 800}
ROLE = "大堂经理"
IPHONE_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
IPHONE_CHROME = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1")
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
MAC_SAFARI = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/17.5 Safari/605.1.15")


def _open_everything(page) -> None:
    page.evaluate("document.querySelectorAll('article details').forEach((d) => { d.open = true; })")


# --- 1. copy buttons ------------------------------------------------------------------------------

# Every 话术 card on screen: the copy button's box against the box of the last line of its script.
LAST_LINES = """() => [...document.querySelectorAll('.cb-card')].filter((card) => card.querySelector('.cb-copy')?.checkVisibility())
  .map((card) => {
    const range = document.createRange();
    range.selectNodeContents(card.querySelector('.cb-say'));
    const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const last = lines[lines.length - 1], b = card.querySelector('.cb-copy').getBoundingClientRect();
    const dx = Math.min(last.right, b.right) - Math.max(last.left, b.left);
    const dy = Math.min(last.bottom, b.bottom) - Math.max(last.top, b.top);
    return {say: card.querySelector('.cb-say').textContent.slice(0, 12), covered: dx > 0 && dy > 0 ? dy : 0,
            button: [b.width, b.height]};
  })"""


def test_copy_buttons_never_cover_the_last_line_of_a_script(served_sample_site, phone):
    measured = {}
    for path in (f"facets/roles/{quote(ROLE)}/", "guides/elderly-customers/", "guides/visually-impaired/",
                 "emergencies/system-failure/", "complaints/peak-queue-long-wait/"):
        phone.goto(f"{served_sample_site['url']}/{path}")
        _open_everything(phone)
        cards = phone.evaluate(LAST_LINES)
        assert cards, path
        covered = [c for c in cards if c["covered"] > 0]
        assert not covered, (unquote(path), len(covered), len(cards), covered[:3])
        assert all(w >= 44 and h >= 44 for w, h in (c["button"] for c in cards)), (path, cards[:3])
        measured[unquote(path)] = len(cards)
    assert measured[f"facets/roles/{ROLE}/"] >= 50  # every situation opened, not only the first
    print("cards measured, none covered:", measured)
    phone.goto(f"{served_sample_site['url']}/guides/elderly-customers/#phrases")
    keep_screenshot(phone, "phone-guide-phrases-360.png")


# --- 2. tap targets -------------------------------------------------------------------------------

# Every target the reader can reach on the page (the closed drawer and folded parts are not on
# screen): in the header at least 44×44 px; elsewhere WCAG 2.5.8 — at least 24×24 px, or a 24 px
# circle on its centre that meets no other target, or a link inside a sentence.
TARGETS = """() => {
  const SEL = 'a[href], button, summary, input:not([type=hidden]), select, textarea, label[for], [role=button]';
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const drawer = document.getElementById('__drawer')?.checked;
  const inSentence = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.closest('p, li, td, dd, figcaption');
    return !!block && !block.closest('nav') && block.textContent.replace(el.textContent, '').trim().length > 0;
  };
  const boxes = [...document.querySelectorAll(SEL)]
    .filter((el) => shown(el) && (drawer || !el.closest('.md-sidebar--primary')) && !el.closest('.md-sidebar--secondary'))
    .map((el) => ({el, r: el.getBoundingClientRect()}))
    .filter(({r}) => r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth);
  const name = (el) => el.outerHTML.slice(0, 90).replace(/\\s+/g, ' ');
  const bad = [];
  let header = 0;
  for (const {el, r} of boxes) {
    if (el.closest('.md-header')) {
      header++;
      if (r.width < 44 || r.height < 44) bad.push({rule: 'header 44', el: name(el), w: r.width, h: r.height});
      continue;
    }
    if ((r.width >= 24 && r.height >= 24) || inSentence(el)) continue;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = boxes.find(({el: o, r: q}) => {
      if (o === el || o.contains(el) || el.contains(o)) return false;
      const nx = Math.max(q.left, Math.min(cx, q.right)), ny = Math.max(q.top, Math.min(cy, q.bottom));
      const small = q.width < 24 || q.height < 24;
      return Math.hypot(nx - cx, ny - cy) < 12 || (small && Math.hypot(q.left + q.width / 2 - cx, q.top + q.height / 2 - cy) < 24);
    });
    if (clash) bad.push({rule: '2.5.8 spacing', el: name(el), w: r.width, h: r.height, near: name(clash.el)});
  }
  return {targets: boxes.length, header, bad};
}"""

SIX_PAGES = {"home": "", "plan": "emergencies/system-failure/", "role": f"facets/roles/{quote(ROLE)}/",
             "guide": "guides/elderly-customers/", "list": "complaints/", "search": f"search/?q={quote('老人')}"}


def test_tap_targets_on_the_six_page_types(served_sample_site, phone):
    counts = {}
    for kind, path in SIX_PAGES.items():
        phone.goto(f"{served_sample_site['url']}/{path}")
        if kind == "search":
            phone.wait_for_selector(".cb-result a")
        _open_everything(phone)  # the folded parts' targets too
        found = phone.evaluate(TARGETS)
        assert found["header"] >= 2 and found["targets"] >= 10, (kind, found)
        assert not found["bad"], (kind, found["bad"][:5])
        counts[kind] = found["targets"]
    # the open menu, and its 「按岗位」 panel
    phone.goto(f"{served_sample_site['url']}/")
    phone.click("label.md-header__button[for='__drawer']")
    phone.wait_for_timeout(400)  # (the drawer slides in)
    found = phone.evaluate(TARGETS)
    assert not found["bad"], ("menu", found["bad"][:5])
    links = phone.evaluate("[...document.querySelectorAll('.md-sidebar--primary .md-nav__link')].filter((a) => a.checkVisibility())"
                           ".map((a) => a.getBoundingClientRect().height)")
    assert links and min(links) >= 44, links
    counts["menu"] = found["targets"]
    print("targets checked per page:", counts)
    header = phone.evaluate("[...document.querySelectorAll('.md-header .md-header__button, .md-header input')]"
                            ".filter((el) => el.checkVisibility()).map((el) => [el.getBoundingClientRect().width, el.getBoundingClientRect().height])")
    print("header controls (w, h):", header)


def test_a_finger_sized_chip_and_a_copy_that_a_screen_reader_hears(served_sample_site, phone):
    """The home page's chips (customer groups, roles, businesses) were 32 px tall on a phone, under
    the 44 px a finger needs; and "已复制" only changed the button's text, which a screen reader
    does not announce."""
    phone.goto(f"{served_sample_site['url']}/")
    heights = phone.eval_on_selector_all("a.cb-chip", "els => els.filter((a) => a.checkVisibility()).map((a) => a.getBoundingClientRect().height)")
    assert len(heights) >= 10 and min(heights) >= 44, heights
    phone.goto(f"{served_sample_site['url']}/{SIX_PAGES['guide']}")
    status = ".cb-said[role=status]"
    phone.locator(".cb-copy").first.click()
    phone.wait_for_function(f"document.querySelector('{status}')?.textContent === '已复制到剪贴板'")
    # said again on the next copy (a status line whose text stays the same is not read again)
    phone.evaluate(f"""() => {{ window.heard = [];
      new MutationObserver(() => heard.push(document.querySelector('{status}').textContent))
        .observe(document.querySelector('{status}'), {{childList: true, characterData: true, subtree: true}}); }}""")
    phone.locator(".cb-copy").nth(1).click()
    phone.wait_for_function("window.heard.at(-1) === '已复制到剪贴板' && window.heard.length >= 2")
    box = phone.locator(status).bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1  # (heard, not seen: the button shows it)


# --- 3. trainer tools -----------------------------------------------------------------------------

def _course(site) -> str:
    return next(p.parent.name for p in sorted((site["dir"] / "courses").glob("*/index.html")))


def test_trainer_tools_stay_out_of_a_tellers_way(served_sample_site, browser):
    ctx = browser.new_context(viewport=PHONE)
    pg = ctx.new_page()
    item = f"{served_sample_site['url']}/guides/elderly-customers/"
    pg.goto(item)  # a teller who never asked for them
    assert pg.locator(".cb-basket-add").is_hidden() and pg.locator(".cb-basket-link").is_hidden()
    keep_screenshot(pg, "phone-guide-teller-360.png")

    # a trainer opens 备课篮 (in the menu) and finds the switch at the top of it
    pg.goto(f"{served_sample_site['url']}/basket/")
    switch = pg.get_by_role("switch", name=re.compile("加入备课"))
    assert switch.is_visible() and not switch.is_checked()
    label = pg.locator(".cb-trainer__switch").bounding_box()
    assert label["height"] >= 44 and label["y"] + label["height"] <= PHONE["height"], label
    keep_screenshot(pg, "phone-basket-switch-360.png")
    pg.click(".cb-trainer__switch")
    assert switch.is_checked() and "已开启" in pg.inner_text("[data-cb-trainer-note]")

    pg.goto(item)
    assert pg.locator(".cb-basket-add").is_visible()
    pg.click(".cb-basket-add")
    assert pg.locator(".cb-basket-link").inner_text() == "备课篮（1）"
    pg.reload()  # remembered in this browser
    assert pg.locator(".cb-basket-add").is_visible() and pg.get_attribute(".cb-basket-add", "aria-pressed") == "true"
    keep_screenshot(pg, "phone-guide-trainer-360.png")

    # every course page carries the same switch; off is off, though the basket still holds an item
    pg.goto(f"{served_sample_site['url']}/courses/{_course(served_sample_site)}/")
    switch = pg.get_by_role("switch", name=re.compile("加入备课"))
    assert switch.is_visible() and switch.is_checked()
    pg.click(".cb-trainer__switch")
    assert pg.locator(".cb-basket-add").is_hidden()  # at once, on this page too
    pg.goto(item)
    assert pg.locator(".cb-basket-add").is_hidden() and pg.locator(".cb-basket-link").is_hidden()
    ctx.close()

    # a trainer who filled the basket before the switch existed keeps the tools
    ctx = browser.new_context(viewport=PHONE)
    pg = ctx.new_page()
    pg.goto(f"{served_sample_site['url']}/basket/")
    pg.evaluate("""localStorage.setItem('casebook.basket.v1', JSON.stringify([{id: 'guides/elderly-customers', title: 'x', kind: '服务指引'}]))""")
    pg.goto(item)
    assert pg.locator(".cb-basket-add").is_visible()
    ctx.close()


# --- 4. 按岗位 in the menu, everyday situations first ----------------------------------------------

def _role_pages(site_dir: Path, roles: list[str]) -> list[str]:
    return [r for r in roles if (site_dir / "facets" / "roles" / r / "index.html").exists()]


def test_the_menu_links_every_role_page_and_a_role_page_opens_on_everyday_situations(served_sample_site, sample_lib, phone):
    roles = _role_pages(served_sample_site["dir"], sample_lib.vocabulary.values("roles"))
    assert len(roles) >= 5
    phone.goto(f"{served_sample_site['url']}/")
    phone.click("label.md-header__button[for='__drawer']")
    phone.click("label[for='__nav_roles']")
    links = phone.locator(".cb-nav-roles nav a.md-nav__link")
    links.last.wait_for(state="visible")
    phone.wait_for_timeout(300)  # (the panel slides in)
    assert [t.strip() for t in links.all_inner_texts()] == [f"我是{r}" for r in roles]
    keep_screenshot(phone, "phone-menu-roles-360.png")
    links.nth(roles.index(ROLE)).click()
    phone.wait_for_url(f"**/facets/roles/{quote(ROLE)}/")

    groups = phone.eval_on_selector_all(
        "details.cb-group", "ds => ds.map((d) => [d.querySelector('summary span').textContent, d.open])")
    names = [g for g, _ in groups]
    assert groups[0] == ["特殊客户", True] and not any(opened for _, opened in groups[1:]), groups
    assert names.index("投诉应对") == 1 and names[-1] == "突发事件", names
    # the first screen: the first everyday situation, open, with its first script and copy button
    first = phone.evaluate("""() => { const d = document.querySelector('details.cb-situation[open]');
      return {group: d.closest('details.cb-group').querySelector('summary span').textContent,
              copy: d.querySelector('.cb-copy').getBoundingClientRect().bottom}; }""")
    assert first["group"] == "特殊客户" and first["copy"] <= PHONE["height"], first
    keep_screenshot(phone, "phone-role-page-360.png")


def test_a_small_librarys_menu_names_only_the_roles_it_has(tmp_path):
    root = library_with_site(tmp_path)
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.code == 0, result.err
    roles = Library.load(root, use_cache=False).vocabulary.values("roles")
    have = _role_pages(out, roles)
    assert 0 < len(have) < len(roles)  # (a library without a page for every role)
    for page in ("index.html", "guides/index.html", f"facets/roles/{have[0]}/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        menu = html[html.index('class="md-nav__item md-nav__item--nested cb-nav-roles"'):]
        menu = menu[:menu.index("</nav>")]
        hrefs = re.findall(r'href="([^"]+)"', menu)
        names = re.findall(r'<span class="md-ellipsis">([^<]+)</span>', menu)
        assert [unquote(h).rstrip("/").rpartition("/")[2] for h in hrefs] == have, (page, hrefs)
        assert [n for n in names if n != "按岗位"] == [f"我是{r}" for r in have]
        for href in hrefs:  # each link lands on the role's page
            assert (out / page).parent.joinpath(unquote(href), "index.html").resolve().is_file(), (page, href)


def test_the_menu_is_materials_but_for_the_role_section():
    """A Material upgrade that changes its nav.html fails here: compare, and carry the section over."""
    import material

    def without_ours(text: str) -> str:
        text = re.sub(r"\{#-.*?-#\}\n?", "", text, flags=re.S)
        text = re.sub(r"\{% set cb_root .*?%\}\n", "", text, flags=re.S)
        return re.sub(r"      \{% if loop.first and casebook_role_menu %\}.*?\n      \{% endif %\}\n", "", text, flags=re.S)

    ours = (REPO / "templates/site/partials/nav.html").read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates/partials/nav.html").read_text(encoding="utf-8")
    assert "cb-nav-roles" in ours and without_ours(ours) == without_ours(theirs)


def test_a_tellers_menu_keeps_the_trainers_and_editors_pages_in_one_line(served_sample_site, phone):
    """A teller's menu listed 内容覆盖, 备课篮 and 部署清单 (pages for trainers and editors) among the
    case types, one finger-height each. They are one line, 培训与管理, which opens onto them."""
    def shown() -> list[str]:
        # (a closed panel of the drawer slides out to the right of it, still "visible")
        return phone.evaluate("""() => { const edge = document.querySelector('.md-sidebar--primary').getBoundingClientRect().right;
          return [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')]
            .filter((a) => a.checkVisibility() && a.getBoundingClientRect().left >= 0 && a.getBoundingClientRect().left < edge)
            .map((a) => a.textContent.trim()); }""")

    phone.goto(f"{served_sample_site['url']}/")
    phone.click("label.md-header__button[for='__drawer']")
    phone.wait_for_timeout(400)  # (the drawer slides in)
    top = shown()
    assert {"投诉案例", "1+5 项目安排", "制度依据", "培训与管理"} <= set(top), top
    assert not {"备课篮", "内容覆盖", "部署清单"} & set(top), top
    phone.locator(".md-sidebar--primary .md-nav__link", has_text="培训与管理").first.click()
    phone.wait_for_timeout(400)
    assert {"备课篮", "内容覆盖", "部署清单"} <= set(shown()), shown()
    phone.locator(".md-sidebar--primary a.md-nav__link", has_text="部署清单").first.click()
    phone.wait_for_url("**/deploy/")



FOCUSED = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
  return { text: (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 20), inMenu: !!e.closest('.md-sidebar--primary'),
           onScreen: r.width > 0 && r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight }; }"""


def test_the_menu_by_keyboard_on_a_narrow_screen(served_sample_site, phone):
    """A phone with a keyboard, or a screen reader swiping: ☰ (Material's <label>) was never
    reached, while every link of the shut menu, off the screen to the left, was: 20 invisible
    stops before the page. Now ☰ is a button; Enter opens the menu at its first link; a section's
    panel is reached only once opened; Esc, or Tab out of the menu, shuts it."""
    phone.goto(f"{served_sample_site['url']}/guides/")
    stops = []
    for _ in range(8):
        phone.keyboard.press("Tab")
        stops.append(phone.evaluate(FOCUSED))
    assert all(s["onScreen"] and not s["inMenu"] for s in stops), stops
    assert [s["text"] for s in stops[:3]] == ["跳转至", "菜单", "搜索"], stops
    button = phone.locator(".cb-menu-button")
    button.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_timeout(400)  # (the drawer slides in)
    assert phone.evaluate("document.getElementById('__drawer').checked") and button.get_attribute("aria-expanded") == "true"
    inside = []
    for _ in range(30):
        now = phone.evaluate(FOCUSED)
        if not now["inMenu"]:
            break
        inside.append(now)
        phone.keyboard.press("Tab")
    texts = [s["text"] for s in inside]
    assert texts[0] == "首页" and {"按岗位", "投诉案例", "培训与管理"} <= set(texts), texts
    assert all(s["onScreen"] for s in inside), inside
    assert not {"我是大堂经理", "备课篮"} & set(texts), texts  # (in the sections' panels, not opened)
    assert not phone.evaluate("document.getElementById('__drawer').checked")  # Tab out of the menu shut it
    button.focus()
    phone.keyboard.press(" ")
    phone.wait_for_timeout(400)
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # 按岗位: its panel opens, and its links are the next stops
    phone.wait_for_timeout(400)
    phone.keyboard.press("Tab")
    assert phone.evaluate(FOCUSED)["text"].startswith("我是"), phone.evaluate(FOCUSED)
    phone.keyboard.press("Escape")
    assert not phone.evaluate("document.getElementById('__drawer').checked")
    assert phone.evaluate(FOCUSED)["text"] == "菜单" and button.get_attribute("aria-expanded") == "false"

# --- 5. the same phrase count on the home card and the role page ----------------------------------

def test_home_cards_and_role_pages_count_the_same_phrases_and_plans(served_sample_site, phone):
    phone.goto(f"{served_sample_site['url']}/")
    cards = phone.eval_on_selector_all(
        "a.cb-entry-card", "as => as.map((a) => [a.href, a.querySelector('strong').textContent, a.querySelector('span').textContent])")
    assert len(cards) >= 5
    seen = []
    for href, name, said in cards:
        phrases = re.search(r"(\d+) 句话术", said)
        plans = re.search(r"(\d+) 个预案", said)
        phone.goto(href)
        assert phone.inner_text("h1") == name
        _open_everything(phone)
        summary = phone.inner_text("article .cb-summary")
        shown = phone.evaluate("""() => ({cards: document.querySelectorAll('.cb-scripts .cb-card').length,
          cut: !!document.querySelector('.cb-scripts .cb-more-link'),
          plans: document.querySelectorAll('.cb-plans details.cb-situation').length,
          plans_cut: !!document.querySelector('.cb-plans .cb-more-link')})""")
        if phrases:
            assert f"话术 {phrases[1]} 句" in summary, (name, said, summary)
            assert shown["cut"] or shown["cards"] == int(phrases[1]), (name, said, shown)
        else:
            assert "话术" not in summary and shown["cards"] == 0, (name, summary)
        if plans:
            assert f"预案 {plans[1]} 个" in summary, (name, said, summary)
            assert shown["plans_cut"] or shown["plans"] == int(plans[1]), (name, said, shown)
        seen.append((name, phrases and int(phrases[1]), shown["cards"]))
    print("home card / role page phrases:", seen)


# --- 6. 添加到主屏幕 --------------------------------------------------------------------------------

PROMPT = "dispatchEvent(new Event('beforeinstallprompt', {cancelable: true}))"  # what Chrome fires when it would install


def test_add_to_home_screen_where_it_helps_and_nowhere_else(served_sample_site, browser):
    home, guide = f"{served_sample_site['url']}/", f"{served_sample_site['url']}/guides/elderly-customers/"
    # iPhone Safari (no prompt): a short hint on the home page, once, with a way to close it
    ctx = browser.new_context(viewport=PHONE, user_agent=IPHONE_SAFARI, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.goto(guide)
    assert pg.locator(".cb-install-hint").count() == 0  # the home page only
    pg.goto(home)
    hint = pg.locator(".cb-install-hint")
    assert hint.is_visible() and "在 Safari 点「分享」→「添加到主屏幕」" in hint.inner_text()
    box = hint.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] and pg.locator(".cb-install").count() == 0
    close = pg.locator(".cb-install-hint button").bounding_box()
    assert close["height"] >= 44 and close["width"] >= 44, close
    keep_screenshot(pg, "phone-home-ios-hint-360.png")
    pg.click(".cb-install-hint button")
    assert hint.count() == 0
    pg.reload()
    assert pg.locator(".cb-install-hint").count() == 0  # shown once
    ctx.close()

    # other browsers on an iPhone cannot add to the home screen this way: nothing
    ctx = browser.new_context(viewport=PHONE, user_agent=IPHONE_CHROME, is_mobile=True, has_touch=True)
    (pg := ctx.new_page()).goto(home)
    assert pg.locator(".cb-install-hint").count() == 0
    ctx.close()

    # Android Chrome fires beforeinstallprompt: a button, no Safari hint
    ctx = browser.new_context(viewport=PHONE, user_agent=ANDROID_CHROME, is_mobile=True, has_touch=True)
    (pg := ctx.new_page()).goto(home)
    pg.evaluate(PROMPT)
    assert pg.locator(".cb-install").is_visible() and pg.locator(".cb-install-hint").count() == 0
    keep_screenshot(pg, "phone-home-install-button-360.png")
    ctx.close()

    # desktop: nothing, though Chrome there offers to install too
    for ua in (MAC_SAFARI, None):
        ctx = browser.new_context(viewport=LAPTOP, **({"user_agent": ua} if ua else {}))
        (pg := ctx.new_page()).goto(home)
        pg.evaluate(PROMPT)
        assert pg.locator(".cb-install-hint").count() == 0 and not pg.locator(".cb-install").is_visible(), ua
        assert not pg.locator(".cb-install-bar").is_visible(), ua  # nor the bar with its 不用了
        ctx.close()
