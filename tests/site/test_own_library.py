"""A bank's own library in a folder of its own: cases/, outlets/ and a mkdocs.yml copied and
edited, without casebook's templates/ folder. casebook's own site templates apply under the
library's overrides; what casebook cannot use in mkdocs.yml is one Chinese line naming the line
and the fix, exit 1, never a traceback or a site built without its stylesheets and search."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, VALID, run_cli


@pytest.fixture
def own_library(tmp_path: Path) -> Path:
    """The small valid library with the project's mkdocs.yml and nothing of casebook's templates/."""
    root = tmp_path / "bank"
    shutil.copytree(VALID, root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert not (root / "templates").exists()
    return root


def edit(root: Path, old: str, new: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def build(root: Path, out: Path):
    return run_cli("build", "--root", str(root), "--out", str(out))


def test_without_templates_the_site_has_casebooks_layout_and_search(own_library: Path, tmp_path: Path):
    edit(own_library, "  custom_dir: templates/site\n", "")
    edit(own_library, "site_name: 网点服务案例库", "site_name: 青禾农商银行服务案例库")
    result = build(own_library, tmp_path / "site")
    assert result.code == 0, result.err
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in home and "青禾农商银行服务案例库" in home
    for asset in re.findall(r'(?:href|src)="((?:\./)?assets/casebook/[^"]+)"', home):
        assert (site / asset.removeprefix("./")).is_file(), asset
    assert re.search(r'assets/casebook/casebook\.[0-9a-f]+\.css', home), "casebook's stylesheet is not on the page"
    assert list(site.glob("pagefind/*/pagefind.js")) or (site / "pagefind/pagefind.js").is_file()
    assert "Traceback" not in result.err


def test_a_bank_override_wins_and_casebook_fills_the_rest(own_library: Path, tmp_path: Path):
    override = own_library / "templates/site/partials/copyright.html"
    override.parent.mkdir(parents=True)
    override.write_text('<div class="qh-mark">青禾农商银行</div>\n', encoding="utf-8")
    result = build(own_library, tmp_path / "site")
    assert result.code == 0, result.err
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert 'class="qh-mark"' in home and re.search(r'assets/casebook/casebook\.[0-9a-f]+\.css', home)


@pytest.mark.parametrize("old, new, says", [
    ("language: zh-CN", "language: cn", ["theme.language", "“cn”", "zh-CN"]),
    ("docs_dir: docs", "docs_dir: pages", ["docs_dir", "“pages”", "docs/", "删去 docs_dir"]),
    ("custom_dir: templates/site", "custom_dir: templates/site", ["theme.custom_dir", "“templates/site”", "删去 custom_dir"]),
])
def test_what_casebook_cannot_use_is_one_chinese_line(own_library: Path, tmp_path: Path, old, new, says):
    """cn is not a language (Material's template import raised); a docs_dir other than docs/ was
    silently ignored (the bank's pages missing, and never checked); a custom_dir that does not
    exist stopped the build with MkDocs' English line."""
    if "custom_dir" not in new:
        edit(own_library, "  custom_dir: templates/site\n", "")
    edit(own_library, old, new)
    if "docs_dir" in new:
        (own_library / "pages").mkdir()
    result = build(own_library, tmp_path / "site")
    assert result.code == 1, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"casebook: {own_library / 'mkdocs.yml'}:"), result.err
    line_no = int(lines[0].split(":")[2])
    key = new.split(":")[0]
    assert (own_library / "mkdocs.yml").read_text(encoding="utf-8").splitlines()[line_no - 1].strip().startswith(key)
    for word in says:
        assert word in lines[0], lines[0]
    assert not (tmp_path / "site").exists()


def test_every_such_setting_is_told_in_one_run(own_library: Path, tmp_path: Path):
    """docs_dir, a missing custom_dir and an unknown language took three builds to see."""
    edit(own_library, "docs_dir: docs", "docs_dir: pages")
    edit(own_library, "language: zh-CN", "language: zh_CN")
    result = build(own_library, tmp_path / "site")
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 3, result.err
    assert ["docs_dir" in lines[0], "custom_dir" in lines[1], "“zh_CN”" in lines[2]] == [True] * 3, lines


def test_a_stylesheet_the_site_would_go_without_is_named(own_library: Path, tmp_path: Path):
    """The bank's colours in templates/site/assets/bank.css, listed in extra_css, with custom_dir
    deleted as the README allows without them: the build succeeded and every page linked a file
    the site did not have."""
    (own_library / "templates/site/assets").mkdir(parents=True)
    (own_library / "templates/site/assets/bank.css").write_text(":root { --cb-red: #1b5e20; }\n", encoding="utf-8")
    edit(own_library, "  custom_dir: templates/site\n", "")
    edit(own_library, "  - assets/casebook/paging.css\n", "  - assets/casebook/paging.css\n  - assets/bank.css\n")
    result = build(own_library, tmp_path / "site")
    lines = result.err.strip().splitlines()
    assert result.code == 1 and len(lines) == 1 and "extra_css" in lines[0] and "“assets/bank.css”" in lines[0], result.err
    assert "custom_dir: templates/site" in lines[0]
    edit(own_library, "theme:\n", "theme:\n  custom_dir: templates/site\n")
    again = build(own_library, tmp_path / "site")
    assert again.code == 0 and (tmp_path / "site/assets/bank.css").is_file(), again.err
