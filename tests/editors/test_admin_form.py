"""The web form under /admin/ (Sveltia CMS), used in headless Chromium like an outlet editor would:
it is served with the built site, works without the internet, offers every field with its Chinese
label and the vocabularies' values, and a story created through it passes `casebook check`."""
from __future__ import annotations

import base64
import re
from contextlib import contextmanager

import pytest
import yaml

from casebook.core.model import REQUIRED_HEADINGS
from browsing import as_new, keep_screenshot, screenshot_folder
from conftest import TODAY, run_cli
from web_form import BUNDLE, PICKER, READ_FOLDER, SEED, STORY, field, fill_story_facts, new_files

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test (npm ci)")


@pytest.fixture(scope="module")
def form_tab(browser):
    """One tab for the module's form tests (closed with the module's contexts): the form opened in
    a new context took 2.9 s of CPU, in this tab handed over as new (browsing.as_new) 1.4 s."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(PICKER)
    return context.new_page()


@contextmanager
def _open_form(tab, site: dict, width: int, outside: list[str]):
    """The form signed in to the small library's folder, in `tab` handed over as new; every
    request for another host than the site's is added to `outside`, from the first one."""
    def watch(request) -> None:
        if request.url.startswith(("http:", "https:")) and not request.url.startswith(site["url"]):
            outside.append(request.url)

    tab.set_viewport_size({"width": width, "height": 900})
    with as_new(tab) as page:
        page.on("request", watch)
        try:
            page.goto(f"{site['url']}/admin/")
            files = {p.relative_to(site["tree"]).as_posix(): base64.b64encode(p.read_bytes()).decode()
                     for p in site["tree"].rglob("*") if p.is_file()}
            files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
            page.evaluate(SEED, files)
            page.get_by_role("button", name="使用本地仓库").click()
            page.get_by_role("button", name="使用本地仓库").wait_for(state="detached", timeout=30_000)  # signed in
            yield page
        finally:
            page.remove_listener("request", watch)


def test_a_story_made_in_the_web_form_passes_the_check(form_tab, form_site):
    outside: list[str] = []
    with _open_form(form_tab, form_site, 1280, outside) as page:
        page.goto(f"{form_site['url']}/admin/#/collections/stories/new")
        field(page, "title").locator("input").fill("雨天为客户准备爱心雨伞")
        fill_story_facts(page)
        groups = field(page, "customer_groups")
        assert groups.get_by_text("户外劳动者").count() == 1  # vocabulary values are the choices
        groups.get_by_text("老年客户", exact=True).click()
        field(page, "updated").locator('input[type="date"]').fill(TODAY)
        field(page, "body").locator("textarea").first.fill(STORY)
        keep_screenshot(page, "admin-story-filled-1280.png")
        page.get_by_role("button", name="保存").click()
        saved = new_files(page, "cases/stories", "rest-corner.md")
    assert len(saved) == 1, saved
    name, text = next(iter(saved.items()))
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", name)
    path = form_site["tree"] / "cases/stories" / name
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(form_site["tree"]), "--strict", f"cases/stories/{name}")
    assert result.code == 0, text + result.out + result.err  # unchanged, the file passes the check
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "雨天为客户准备爱心雨伞" and front["staff"] == ["周晓雯"]
    assert front["customer_groups"] == ["老年客户"] and str(front["date"]) == "2026-07-15"
    assert "李阿姨不但送回了伞" in text
    assert outside == [], outside  # no CDN, no status page, no font host: nothing left the site
    if (shots := screenshot_folder()) is not None:
        (shots / "saved-story.md").write_text(text, encoding="utf-8")


def test_required_headings_are_pre_filled_and_screenshots(form_tab, form_site):
    outside: list[str] = []
    with _open_form(form_tab, form_site, 360, outside) as page:
        for width in (360, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{form_site['url']}/admin/#/collections/stories/new")
            field(page, "title").wait_for()
            keep_screenshot(page, f"admin-story-{width}.png")
            page.goto(f"{form_site['url']}/admin/#/collections/complaints/new")
            severity = field(page, "severity")
            for value in ("一般", "较大", "重大"):
                assert severity.get_by_text(value, exact=True).count() == 1
            keep_screenshot(page, f"admin-complaint-{width}.png")
            body = field(page, "body").locator("textarea").first.input_value()
            headings = re.findall(r"^## (.+)$", body, re.M)
            assert headings == REQUIRED_HEADINGS["complaint"]
            keep_screenshot(page, f"admin-complaint-body-{width}.png")
    assert outside == [], outside


def test_a_complaint_with_phrases_and_headings_passes_the_check(form_tab, form_site):
    outside: list[str] = []
    with _open_form(form_tab, form_site, 1280, outside) as page:
        page.goto(f"{form_site['url']}/admin/#/collections/complaints/new")
        field(page, "title").locator("input").fill("取号机故障时的排队解释")
        field(page, "summary").locator("textarea").fill("取号机故障，客户不满排队顺序，大堂经理手工登记并解释。")
        field(page, "severity").get_by_text("一般", exact=True).click()
        field(page, "channel").get_by_text("现场", exact=True).click()
        field(page, "root_cause").get_by_text("系统设备", exact=True).click()
        phrases = field(page, "phrases")
        phrases.get_by_role("button", name=re.compile("添加")).click()
        field(page, "phrases.0.when").locator("textarea, input").first.fill("取号机故障、客户担心被插队")
        field(page, "phrases.0.say").locator("textarea, input").first.fill(
            "先生，取号机暂时出了故障，我按您到店的先后给您登记，轮到您时我来叫您。")
        field(page, "updated").locator('input[type="date"]').fill(TODAY)
        body = field(page, "body").locator("textarea").first
        text = body.input_value()
        for heading in REQUIRED_HEADINGS["complaint"]:
            text = text.replace(f"## {heading}\n\n", f"## {heading}\n\n{heading}：网点按流程处理，并向客户说明原因。\n", 1)
        body.fill(text)
        page.get_by_role("button", name="保存").click()
        saved = new_files(page, "cases/complaints", "queue.md")
    assert len(saved) == 1, saved
    name, text = next(iter(saved.items()))
    (form_site["tree"] / "cases/complaints" / name).write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(form_site["tree"]), "--strict", f"cases/complaints/{name}")
    assert result.code == 0, text + result.out + result.err
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["phrases"] == [{"when": "取号机故障、客户担心被插队",
                                 "say": "先生，取号机暂时出了故障，我按您到店的先后给您登记，轮到您时我来叫您。"}]
    assert (front["severity"], front["channel"], front["root_cause"]) == ("一般", "现场", ["系统设备"])
    assert outside == [], outside


def test_a_title_the_checker_refuses_is_refused_before_saving_on_a_phone(form_tab, form_site):
    """A story titled in three characters: the form says why (the checker would say F004 after the
    pull request) and saves nothing; four are enough."""
    outside: list[str] = []
    with _open_form(form_tab, form_site, 360, outside) as page:
        page.goto(f"{form_site['url']}/admin/#/collections/stories/new")
        title = field(page, "title").locator("input")
        title.fill("借雨伞")
        fill_story_facts(page)
        field(page, "customer_groups").get_by_text("老年客户", exact=True).click()
        field(page, "updated").locator('input[type="date"]').fill(TODAY)
        field(page, "body").locator("textarea").first.fill(STORY)
        seeded = set(page.evaluate(READ_FOLDER, "cases/stories"))  # (other tests of the module add stories)
        page.get_by_role("button", name="保存").click()
        said = page.get_by_text("标题至少要 4 个字")
        said.first.wait_for(timeout=10_000)
        field(page, "title")
        keep_screenshot(page, "admin-story-short-title-360.png")
        page.wait_for_timeout(1000)  # (a save would have been written by now: the other tests see theirs sooner)
        assert {n for n in page.evaluate(READ_FOLDER, "cases/stories") if not n.startswith(".")} - seeded == set()
    assert outside == [], outside
