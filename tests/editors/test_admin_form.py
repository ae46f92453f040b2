"""The web form under /admin/ (Sveltia CMS), used in headless Chromium like an outlet editor would:
it is served with the built site, works without the internet, offers every field with its Chinese
label and the vocabularies' values, and a story created through it passes `casebook check`."""
from __future__ import annotations

import base64
import re
import shutil
from contextlib import contextmanager

import pytest
from playwright.sync_api import Error as PlaywrightError
import yaml

from casebook.core.model import REQUIRED_HEADINGS
from browsing import as_new, keep_screenshot, screenshot_folder, serve
from conftest import REPO, TODAY, VALID, run_cli

BUNDLE = REPO / "node_modules/@sveltia/cms/dist/sveltia-cms.js"
pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test (npm ci)")

# The local-folder workflow: Sveltia asks the browser for a folder (File System Access API). A
# test cannot click through the system's folder dialog, so the picker returns a real directory
# handle of the browser's own file system (OPFS), seeded with the library and read back after saving.
PICKER = """
window.showDirectoryPicker = async () => {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle('repo', {create: true});
};
"""
SEED = """async (files) => {
  const root = await navigator.storage.getDirectory();
  try { await root.removeEntry('repo', {recursive: true}); } catch (e) {}
  const repo = await root.getDirectoryHandle('repo', {create: true});
  for (const [path, b64] of Object.entries(files)) {
    const parts = path.split('/'); let dir = repo;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, {create: true});
    const w = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await w.write(Uint8Array.from(atob(b64), c => c.charCodeAt(0)));
    await w.close();
  }
}"""
READ_FOLDER = """async (folder) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
  for (const p of folder.split('/')) dir = await dir.getDirectoryHandle(p);
  const out = {};
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file') continue;
    try { out[name] = await (await handle.getFile()).text(); } catch (e) { /* renamed while we read */ }
  }
  return out;
}"""
STORY = ("七月的一个下午突降暴雨，李阿姨办完业务站在门口发愁：没带伞，家里还有小孙子等着接。大堂经理周晓雯看到后，"
         "从爱心伞架上取了一把伞递给她，又帮她在借伞登记本上写好姓氏和日期。李阿姨说第二天一定送回来。\n\n"
         "第二天一早，李阿姨不但送回了伞，还带来一袋自家种的青菜，说要谢谢网点的姑娘。周晓雯婉拒了青菜，"
         "请阿姨以后有空来听网点的反诈小课堂。这把伞后来又借给了好几位客户，登记本上写满了感谢的话。")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tree = tmp_path_factory.mktemp("form") / "lib"
    shutil.copytree(VALID, tree)
    out = tree.parent / "site"
    result = run_cli("build", "--root", str(tree), "--out", str(out))
    assert result.code == 0, result.err
    httpd, url = serve(out)
    yield {"tree": tree, "site": out, "url": url}
    httpd.shutdown()


@pytest.fixture(scope="module")
def form_tab(browser):
    """One tab for the module's form tests (closed with the module's contexts): the form opened in
    a new context took 2.9 s of CPU, in this tab handed over as new (browsing.as_new) 1.4 s."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(PICKER)
    return context.new_page()


@contextmanager
def _open_form(tab, served, width: int, outside: list[str]):
    """The form signed in to the small library's folder, in `tab` handed over as new; every
    request for another host than the site's is added to `outside`, from the first one."""
    def watch(request) -> None:
        if request.url.startswith(("http:", "https:")) and not request.url.startswith(served["url"]):
            outside.append(request.url)

    tab.set_viewport_size({"width": width, "height": 900})
    with as_new(tab) as page:
        page.on("request", watch)
        try:
            page.goto(f"{served['url']}/admin/")
            files = {p.relative_to(served["tree"]).as_posix(): base64.b64encode(p.read_bytes()).decode()
                     for p in served["tree"].rglob("*") if p.is_file()}
            files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
            page.evaluate(SEED, files)
            page.get_by_role("button", name="使用本地仓库").click()
            page.get_by_role("button", name="使用本地仓库").wait_for(state="detached", timeout=30_000)  # signed in
            yield page
        finally:
            page.remove_listener("request", watch)


def _field(page, key: str):
    """A field's section; the form renders fields as they scroll into view, so scroll down to it."""
    section = page.locator(f'section[data-key-path="{key}"]')
    page.locator("section[data-key-path]").first.wait_for(timeout=30_000)
    for _ in range(60):
        if section.count():
            break
        # one atomic step in the page: after a route change the previous form's sections are
        # replaced while we scroll, and a handle taken a moment earlier may be detached
        page.evaluate(SCROLL_TO_LAST)
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    for _ in range(5):
        try:
            section.scroll_into_view_if_needed(timeout=5_000)
            break
        except PlaywrightError:  # re-rendered under us: the locator finds the new one next time
            page.wait_for_timeout(200)
    return section


def _new_files(page, folder: str, seeded: str) -> dict[str, str]:
    """What the form saved in `folder` beside the file seeded there: {name: text}, waited for
    (Chromium writes through a hidden swap file, .….crswap, and renames it when the write is done)."""
    saved: dict[str, str] = {}
    for _ in range(50):
        saved = {n: t for n, t in page.evaluate(READ_FOLDER, folder).items() if n != seeded and not n.startswith(".")}
        if saved:
            break
        page.wait_for_timeout(200)
    return saved


SCROLL_TO_LAST = """() => {
  const all = document.querySelectorAll('section[data-key-path]');
  if (all.length) all[all.length - 1].scrollIntoView({block: 'end'});
}"""


def test_a_story_made_in_the_web_form_passes_the_check(form_tab, served):
    outside: list[str] = []
    with _open_form(form_tab, served, 1280, outside) as page:
        page.goto(f"{served['url']}/admin/#/collections/stories/new")
        _field(page, "title").locator("input").fill("雨天为客户准备爱心雨伞")
        _field(page, "summary").locator("textarea").fill("暴雨天客户没带伞，大堂经理借出爱心雨伞并登记，客户第二天送回。")
        _field(page, "date").locator('input[type="date"]').fill("2026-07-15")
        _field(page, "outlet").locator("input").fill("东湖路支行营业部")
        staff = _field(page, "staff")
        staff.get_by_role("button", name=re.compile("添加")).click()
        staff.locator("input").first.fill("周晓雯")
        groups = _field(page, "customer_groups")
        assert groups.get_by_text("户外劳动者").count() == 1  # vocabulary values are the choices
        groups.get_by_text("老年客户", exact=True).click()
        _field(page, "updated").locator('input[type="date"]').fill(TODAY)
        _field(page, "body").locator("textarea").first.fill(STORY)
        keep_screenshot(page, "admin-story-filled-1280.png")
        page.get_by_role("button", name="保存").click()
        saved = _new_files(page, "cases/stories", "rest-corner.md")
    assert len(saved) == 1, saved
    name, text = next(iter(saved.items()))
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", name)
    path = served["tree"] / "cases/stories" / name
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(served["tree"]), "--strict", f"cases/stories/{name}")
    assert result.code == 0, text + result.out + result.err  # unchanged, the file passes the check
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "雨天为客户准备爱心雨伞" and front["staff"] == ["周晓雯"]
    assert front["customer_groups"] == ["老年客户"] and str(front["date"]) == "2026-07-15"
    assert "李阿姨不但送回了伞" in text
    assert outside == [], outside  # no CDN, no status page, no font host: nothing left the site
    if (shots := screenshot_folder()) is not None:
        (shots / "saved-story.md").write_text(text, encoding="utf-8")


def test_required_headings_are_pre_filled_and_screenshots(form_tab, served):
    outside: list[str] = []
    with _open_form(form_tab, served, 360, outside) as page:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{served['url']}/admin/#/collections/stories/new")
            _field(page, "title").wait_for()
            keep_screenshot(page, f"admin-story-{width}.png")
            page.goto(f"{served['url']}/admin/#/collections/complaints/new")
            severity = _field(page, "severity")
            for value in ("一般", "较大", "重大"):
                assert severity.get_by_text(value, exact=True).count() == 1
            keep_screenshot(page, f"admin-complaint-{width}.png")
            body = _field(page, "body").locator("textarea").first.input_value()
            headings = re.findall(r"^## (.+)$", body, re.M)
            assert headings == REQUIRED_HEADINGS["complaint"]
            keep_screenshot(page, f"admin-complaint-body-{width}.png")
    assert outside == [], outside


def test_a_complaint_with_phrases_and_headings_passes_the_check(form_tab, served):
    outside: list[str] = []
    with _open_form(form_tab, served, 1280, outside) as page:
        page.goto(f"{served['url']}/admin/#/collections/complaints/new")
        _field(page, "title").locator("input").fill("取号机故障时的排队解释")
        _field(page, "summary").locator("textarea").fill("取号机故障，客户不满排队顺序，大堂经理手工登记并解释。")
        _field(page, "severity").get_by_text("一般", exact=True).click()
        _field(page, "channel").get_by_text("现场", exact=True).click()
        _field(page, "root_cause").get_by_text("系统设备", exact=True).click()
        phrases = _field(page, "phrases")
        phrases.get_by_role("button", name=re.compile("添加")).click()
        _field(page, "phrases.0.when").locator("textarea, input").first.fill("取号机故障、客户担心被插队")
        _field(page, "phrases.0.say").locator("textarea, input").first.fill(
            "先生，取号机暂时出了故障，我按您到店的先后给您登记，轮到您时我来叫您。")
        _field(page, "updated").locator('input[type="date"]').fill(TODAY)
        body = _field(page, "body").locator("textarea").first
        text = body.input_value()
        for heading in REQUIRED_HEADINGS["complaint"]:
            text = text.replace(f"## {heading}\n\n", f"## {heading}\n\n{heading}：网点按流程处理，并向客户说明原因。\n", 1)
        body.fill(text)
        page.get_by_role("button", name="保存").click()
        saved = _new_files(page, "cases/complaints", "queue.md")
    assert len(saved) == 1, saved
    name, text = next(iter(saved.items()))
    (served["tree"] / "cases/complaints" / name).write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(served["tree"]), "--strict", f"cases/complaints/{name}")
    assert result.code == 0, text + result.out + result.err
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["phrases"] == [{"when": "取号机故障、客户担心被插队",
                                 "say": "先生，取号机暂时出了故障，我按您到店的先后给您登记，轮到您时我来叫您。"}]
    assert (front["severity"], front["channel"], front["root_cause"]) == ("一般", "现场", ["系统设备"])
    assert outside == [], outside
