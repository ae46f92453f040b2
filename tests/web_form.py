"""The web form (Sveltia CMS, templates/admin/) in the browser, for the tests that fill it in: its
bundle, the local-folder workflow (a folder in the browser's own file system stands in for the
one the employee picks), a story long enough to pass the check, and the waits the form needs."""
from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError

from conftest import REPO

BUNDLE = REPO / "node_modules/@sveltia/cms/dist/sveltia-cms.js"

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
SCROLL_TO_LAST = """() => {
  const all = document.querySelectorAll('section[data-key-path]');
  if (all.length) all[all.length - 1].scrollIntoView({block: 'end'});
}"""


def field(page, key: str):
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


def new_files(page, folder: str, seeded: str) -> dict[str, str]:
    """What the form saved in `folder` beside the file seeded there: {name: text}, waited for
    (Chromium writes through a hidden swap file, .….crswap, and renames it when the write is done)."""
    saved: dict[str, str] = {}
    for _ in range(50):
        saved = {n: t for n, t in page.evaluate(READ_FOLDER, folder).items() if n != seeded and not n.startswith(".")}
        if saved:
            break
        page.wait_for_timeout(200)
    return saved


def fill_story_facts(page) -> None:
    """A story's summary, date, outlet and one staff member, as an employee types them."""
    field(page, "summary").locator("textarea").fill("暴雨天客户没带伞，大堂经理借出爱心雨伞并登记，客户第二天送回。")
    field(page, "date").locator('input[type="date"]').fill("2026-07-15")
    field(page, "outlet").locator("input").fill("东湖路支行营业部")
    staff = field(page, "staff")
    staff.get_by_role("button", name=re.compile("添加")).click()
    staff.locator("input").first.fill("周晓雯")
