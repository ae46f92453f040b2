"""The employee's whole path at 360 px, in headless Chromium: the 投稿 page → the web form → a
story with a phone photo that carries GPS → save → the saved files pass `casebook check --strict`
as saved (the form writes /media/x.webp, converts the photo to WebP and drops its location).

Set CASEBOOK_SCREENSHOTS=<folder> to keep a screenshot of every screen of the path."""
from __future__ import annotations

import base64
import io
import re

import pytest
import yaml

from browsing import keep_screenshot, screenshot_folder
from conftest import TODAY, run_cli
from web_form import BUNDLE, PICKER, SEED, STORY, field, fill_story_facts

pytestmark = pytest.mark.skipif(not BUNDLE.is_file(), reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test (npm ci)")

READ_FILES = """async (folder) => {
  let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('repo');
  for (const p of folder.split('/')) dir = await dir.getDirectoryHandle(p);
  const out = {};
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file' || name.startsWith('.')) continue;
    try {
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let s = ''; for (const b of bytes) s += String.fromCharCode(b);
      out[name] = btoa(s);
    } catch (e) { /* renamed while we read */ }
  }
  return out;
}"""


def phone_photo() -> bytes:
    """A JPEG as a phone takes it: a picture, the camera's make and where it was taken (GPS)."""
    from PIL import Image

    image = Image.new("RGB", (1600, 1200))
    image.putdata([((x * 7) % 256, (y * 5) % 256, 120) for y in range(1200) for x in range(1600)])
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 35.0, 12.5), "E", (114.0, 17.0, 45.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def test_an_employee_sends_a_story_with_a_photo_from_the_contribute_page(browser, form_site, tmp_path):  # noqa: F811
    photo = tmp_path / "IMG_20260715_153012.jpg"
    photo.write_bytes(phone_photo())
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    context.add_init_script(PICKER)
    page = context.new_page()
    page.on("request", lambda r: outside.append(r.url) if r.url.startswith(("http:", "https:"))
            and not r.url.startswith(form_site["url"]) else None)

    # 1. the 投稿 page: plain choices, each saying what happens next
    page.goto(f"{form_site['url']}/contribute/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("投稿")
    assert page.locator("ol > li").count() == 2  # no forge in this site: the editor, or the local folder
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    keep_screenshot(page, "1-contribute-page.png")
    page.get_by_role("link", name="用本地文件夹投稿").click()

    # 2. the sign-in screen: the library's name and logo, Chinese, and a way back for whoever has no token
    sign_in = page.get_by_role("button", name=re.compile("使用本地仓库"))
    sign_in.wait_for(timeout=30_000)
    assert page.get_by_text("网点服务案例库 · 投稿").count() >= 1
    page.locator(".casebook-help a").wait_for(timeout=5_000)
    assert page.locator(".casebook-help a").get_attribute("href") == "../contribute/"
    keep_screenshot(page, "2-sign-in.png")
    files = {p.relative_to(form_site["tree"]).as_posix(): base64.b64encode(p.read_bytes()).decode()
             for p in form_site["tree"].rglob("*") if p.is_file()}
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
    page.evaluate(SEED, files)
    sign_in.click()
    sign_in.wait_for(state="detached", timeout=30_000)

    # 3. the form, in an employee's words
    field(page, "title").locator("input").fill("雨天借出的爱心雨伞")
    assert page.locator(".casebook-help").count() == 0  # the sign-in note is gone in the form
    fill_story_facts(page)
    keep_screenshot(page, "3-form-top.png")
    body = field(page, "body").locator("textarea").first
    body.fill(STORY[:60])  # too short: the form itself says so before any check runs
    page.get_by_role("button", name="保存").click()
    page.get_by_text("至少要写 150 个字，现在还不够").wait_for(timeout=10_000)
    keep_screenshot(page, "4-too-short.png")
    body.fill(STORY)

    # 4. a phone photo, with the place it was taken
    images = field(page, "images")
    images.get_by_role("button", name=re.compile("添加")).click()
    src = field(page, "images.0.src")
    assert src.get_by_role("button", name="浏览").is_visible()
    # what 浏览 opens: the system's file dialog, which a test answers through the field's file input
    src.locator('input[type="file"]').first.set_input_files(str(photo))
    src.locator("img").first.wait_for(timeout=30_000)
    field(page, "images.0.caption").locator("input").fill("网点门口的爱心伞架")
    source = field(page, "source")
    assert source.get_by_text("真实发生的事", exact=True).count() == 1
    source.get_by_text("教学示例（人物和网点是编的）", exact=True).click()
    for key, question in (("consent.customer", "客户（或家属）同意公开这个故事吗？"),
                          ("consent.staff", "故事里的员工同意公开吗？")):  # two yes/no questions, in view
        assert question in field(page, key).inner_text()
    field(page, "updated").locator('input[type="date"]').fill(TODAY)
    keep_screenshot(page, "5-photo-and-questions.png")
    page.get_by_role("button", name="保存").click()

    # 5. saved: the story and the photo, read back from the folder the form wrote to
    saved: dict[str, str] = {}
    media: dict[str, str] = {}
    for _ in range(100):
        saved = {n: t for n, t in page.evaluate(READ_FILES, "cases/stories").items() if n != "rest-corner.md"}
        media = {n: t for n, t in page.evaluate(READ_FILES, "cases/media").items() if n != "rest-corner.png"}
        if saved and media:
            break
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)
    keep_screenshot(page, "6-saved.png")
    context.close()
    assert len(saved) == 1 and len(media) == 1, (saved.keys(), media.keys())
    (name, story), (image_name, image) = next(iter(saved.items())), next(iter(media.items()))
    text = base64.b64decode(story).decode("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["images"][0]["src"] == f"/media/{image_name}" and image_name.endswith(".webp")
    assert front["source"] == "example" and front["visibility"] == "internal"
    tree = form_site["tree"]
    (tree / "cases/stories" / name).write_text(text, encoding="utf-8")
    (tree / "cases/media" / image_name).write_bytes(base64.b64decode(image))
    result = run_cli("check", "--root", str(tree), "--strict", f"cases/stories/{name}", f"cases/media/{image_name}")
    assert result.code == 0, text + result.out + result.err  # as saved: the path, the photo, no location
    # … and the photo as the phone took it would not have passed: the form's conversion dropped the GPS
    (tree / "cases/media/as-taken.jpg").write_bytes(photo.read_bytes())
    raw = run_cli("check", "--root", str(tree), "cases/media/as-taken.jpg")
    (tree / "cases/media/as-taken.jpg").unlink()
    assert raw.code == 1 and "M004" in raw.out + raw.err
    assert outside == [], outside
    if (shots := screenshot_folder()) is not None:
        (shots / "saved-story.md").write_text(text, encoding="utf-8")


def test_a_gitea_site_offers_three_ways_and_a_wrong_token_is_told_in_chinese(browser, form_site):  # noqa: F811
    """On a Gitea host (the forge unreachable here, as with a mistyped address or a refused token):
    the 投稿 page offers all three ways at 360 px, and signing in says what went wrong in Chinese."""
    from casebook.editors.admin import render_config, render_index
    from casebook.site.contribute_page import contribute_page
    from conftest import REPO

    forge = "https://127.0.0.1:9/svc/casebook"  # nothing listens there
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    page = context.new_page()
    page.route(f"{form_site['url']}/contribute/", lambda r: r.fulfill(
        body=contribute_page(forge), content_type="text/html; charset=utf-8"))
    page.route(f"{form_site['url']}/admin/", lambda r: r.fulfill(
        body=render_index(forge), content_type="text/html; charset=utf-8"))
    page.route("**/admin/config.yml*", lambda r: r.fulfill(
        body=render_config(REPO, forge), content_type="application/yaml; charset=utf-8"))
    page.goto(f"{form_site['url']}/contribute/")
    assert page.locator("ol > li").count() == 3
    assert page.get_by_text("审核分支 contributions").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    keep_screenshot(page, "0-contribute-page-gitea.png")
    page.get_by_role("link", name="用网页表单投稿").click()
    page.get_by_role("button", name="使用访问令牌登录").click()
    page.locator('input[type="password"], input[type="text"]').last.fill("not-a-real-token")
    page.keyboard.press("Enter")
    message = page.get_by_text(re.compile("连不上代码平台"))
    message.first.wait_for(timeout=30_000)
    assert "Failed to fetch" not in page.locator("body").inner_text()
    keep_screenshot(page, "2b-wrong-token.png")
    context.close()


def test_fields_the_story_form_hides_survive_an_edit_in_the_form(browser, form_site):  # noqa: F811
    """A story an editor completed in git (related, tags, business, author) keeps those values when
    an employee corrects its title in the form: hidden is not deleted."""
    original = (form_site["tree"] / "cases/stories/rest-corner.md").read_text(encoding="utf-8")
    completed = original.replace("updated: 2026-11-20\n", "updated: 2026-11-20\nrelated: [guides/elderly]\n"
                                 "tags: [暖域驿站]\nbusiness: [存取款]\nauthor: 示例支行营业部\n")
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    context.add_init_script(PICKER)
    page = context.new_page()
    page.goto(f"{form_site['url']}/admin/")
    files = {p.relative_to(form_site["tree"]).as_posix(): base64.b64encode(p.read_bytes()).decode()
             for p in form_site["tree"].rglob("*") if p.is_file()}
    files["cases/stories/rest-corner.md"] = base64.b64encode(completed.encode("utf-8")).decode()
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
    page.evaluate(SEED, files)
    sign_in = page.get_by_role("button", name=re.compile("使用本地仓库"))
    sign_in.click()
    sign_in.wait_for(state="detached", timeout=30_000)
    page.goto(f"{form_site['url']}/admin/#/collections/stories/entries/rest-corner")
    field(page, "title").locator("input").fill("暖域驿站的一杯热水和充电线")
    page.get_by_role("button", name="保存").click()
    text = ""
    for _ in range(100):
        text = base64.b64decode(page.evaluate(READ_FILES, "cases/stories").get("rest-corner.md", "")).decode("utf-8")
        if "充电线" in text:
            break
        page.wait_for_timeout(200)
    context.close()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "暖域驿站的一杯热水和充电线"
    assert (front["related"], front["tags"], front["business"], front["author"]) == (
        ["guides/elderly"], ["暖域驿站"], ["存取款"], "示例支行营业部")
