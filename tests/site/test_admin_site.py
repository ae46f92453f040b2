"""/admin/ in the built site: the vendored form when npm installed it, and a plain page that
says how to contribute when it did not (the rest of the site builds as usual)."""
from __future__ import annotations

import html
import json
import re

import pytest

from casebook.site.admin import admin_files, localise_bundle
from conftest import REPO, VALID, run_cli


def test_site_builds_without_npm_and_admin_explains(tmp_path):
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(VALID), "--out", str(out),
                     env={"CASEBOOK_NODE_MODULES": str(tmp_path / "no-node-modules")})
    assert result.code == 0, result.err
    assert "未找到网页投稿表单" in result.err
    page = (out / "admin/index.html").read_text(encoding="utf-8")
    assert "投稿表单暂时不可用" in page and "<script" not in page
    assert not (out / "admin/config.yml").exists()
    assert (out / "stories/rest-corner/index.html").is_file()
    # no repo_url in mkdocs.yml: no 编辑本页/投稿 links (test_contribute_links builds one with it)
    assert not re.search(r"^repo_url:", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    for page in ("stories/rest-corner/index.html", "coverage/index.html"):
        assert 'class="cb-contribute"' not in (out / page).read_text(encoding="utf-8")


@pytest.mark.skipif(not (REPO / "node_modules/@sveltia/cms/dist/sveltia-cms.js").is_file(),
                    reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test (npm ci)")
def test_vendored_form_is_copied_whole_and_points_at_local_fonts():
    files = admin_files()
    assert {"admin/index.html", "admin/config.yml", "admin/offline.js", "admin/vendor/sveltia-cms.js",
            "admin/vendor/locales/zh-CN.json"} <= set(files)
    bundle = files["admin/vendor/sveltia-cms.js"]
    assert "cdn.jsdelivr.net/fontsource" not in bundle
    for font in re.findall(r"vendor/fonts/[a-z0-9-]+\.woff2", bundle):
        assert f"admin/{font}" in files and files[f"admin/{font}"].is_file()
    assert localise_bundle("url(https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2)") \
        == "url(vendor/fonts/noto-mono-latin-400-normal.woff2)"


def _choices(page: str) -> list[str]:
    return re.findall(r"<li><h2>\d\. (.*?)</h2>", page)


@pytest.mark.parametrize("url,form_link,issue", [
    ("https://github.com/bank/casebook", "合并请求", "https://github.com/bank/casebook/issues/new?template=story.yml"),
    ("https://gitlab.bank.internal/svc/casebook", "合并请求",
     "https://gitlab.bank.internal/svc/casebook/-/issues/new?issue%5Btitle%5D="),
    ("https://git.bank.internal/svc/casebook", "审核分支 contributions",
     "https://git.bank.internal/svc/casebook/issues/new?template=story.yml"),
])
def test_the_contribute_page_offers_three_ways_for_each_host(url, form_link, issue):
    from casebook.editors.admin import REVIEW_BRANCH
    from casebook.site.contribute_page import REVIEW_BRANCH as SITE_REVIEW_BRANCH, contribute_page

    assert SITE_REVIEW_BRANCH == REVIEW_BRANCH  # the page says where the form really saves
    page = contribute_page(url)
    assert len(_choices(page)) == 3
    assert page.count('href="../admin/#/collections/stories/new"') == 2  # the form, and the local folder
    assert form_link in page and html.escape(issue) in page
    assert "拍摄地点" in page  # photos dropped into an issue keep their location: said before they are
    if "gitlab" in url:  # no issue forms there: the questions come prefilled in the issue's text
        assert "%E8%BF%99%E6%98%AF%E7%9C%9F%E5%AE%9E" in page  # 这是真实…


def test_without_a_forge_or_the_form_the_page_says_what_still_works():
    from casebook.site.contribute_page import contribute_page

    local = contribute_page(None)
    assert len(_choices(local)) == 2 and "编辑同事" in local and "issues/new" not in local
    nothing = contribute_page(None, form=False)
    assert _choices(nothing) == ["我没有代码平台的账号"] and "../admin/#" not in nothing


@pytest.mark.skipif(not (REPO / "node_modules/@sveltia/cms/dist/sveltia-cms.js").is_file(),
                    reason="Sveltia CMS not vendored: run scripts/bootstrap.sh test (npm ci)")
def test_every_interface_string_has_chinese():
    """Every key of the form's English interface has a Chinese string, our words over the vendored ones."""
    en = json.loads((REPO / "node_modules/@sveltia/cms/locales/en-US.json").read_text(encoding="utf-8"))
    zh = json.loads(admin_files()["admin/vendor/locales/zh-CN.json"])

    def keys(d, prefix=""):
        for k, v in d.items():
            yield from keys(v, f"{prefix}{k}.") if isinstance(v, dict) else [f"{prefix}{k}"]

    def get(d, key):
        for part in key.split("."):
            d = d.get(part) if isinstance(d, dict) else None
        return d

    seen = [k for k in keys(en) if not k.startswith("config.")]  # config errors: for whoever edits the config
    missing = [k for k in seen if not get(zh, k)]
    assert not missing, missing[:10]
    assert get(zh, "show_errors") == "看看哪里要改" and get(zh, "assets_dialog.folder.global") == "已上传的照片"
    assert get(zh, "sign_in_with_x") == "使用 {$service} 登录"  # the vendored strings are kept


def test_item_pages_show_contribute_near_the_top(tmp_path):
    out = tmp_path / "site"
    assert run_cli("build", "--root", str(VALID), "--out", str(out)).code == 0
    page = (out / "stories/rest-corner/index.html").read_text(encoding="utf-8")
    top = page.index('class="cb-submit-top"')
    assert top < page.index('class="cb-summary"') + 2000 < len(page)  # beside 最后修订, before the story
    assert re.search(r'class="cb-submit-top" href="\.\./\.\./contribute/"', page)
    assert "投稿：写下你网点的服务故事" in (out / "contribute/index.html").read_text(encoding="utf-8")


def test_the_issue_link_under_items_picks_the_story_form_on_every_host():
    from casebook.site.contribute import forge_links

    assert forge_links("https://git.bank.internal/svc/casebook", "main", None)["issue"] == \
        "https://git.bank.internal/svc/casebook/issues/new?template=story.yml"  # Gitea, Forgejo
    assert "issue%5Bdescription%5D=" in forge_links("https://gitlab.com/bank/casebook", "main", None)["issue"]
