"""/admin/ in the built site: the vendored form when npm installed it, and a plain page that
says how to contribute when it did not (the rest of the site builds as usual)."""
from __future__ import annotations

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
