"""编辑本页 and 投稿 on every item page and on the coverage page, when mkdocs.yml sets repo_url;
none without it. Built for real with `casebook build`."""
from __future__ import annotations

import re
from pathlib import Path

from casebook.core.library import Library
from casebook.site.contribute import forge_links
from conftest import REPO, run_cli

LINKS = re.compile(r'<p class="cb-contribute">(.*?)</p>')


def _with_repo_url(tree: Path, url: str, branch: str = "main") -> None:
    """The project's mkdocs.yml for a library elsewhere, with repo_url set (and edit_uri on `branch`)."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("scripts/casebook/site/", f"{REPO}/scripts/casebook/site/")
    text = text.replace("custom_dir: templates/site", f"custom_dir: {REPO}/templates/site")
    (tree / "mkdocs.yml").write_text(f"repo_url: {url}\nedit_uri: edit/{branch}/cases/\n{text}", encoding="utf-8")


def test_links_on_every_item_page_and_the_coverage_page(valid_tree, tmp_path):
    _with_repo_url(valid_tree, "https://github.com/bank/casebook", branch="master")  # (not the default)
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(valid_tree), "--out", str(out))
    assert result.code == 0, result.err
    lib = Library.load(valid_tree, use_cache=False)
    for item in lib.items.values():
        page = (out / item.id / "index.html").read_text(encoding="utf-8")
        found = LINKS.findall(page)
        assert len(found) == 1, item.id
        edit = re.search(r'href="([^"]+)"[^>]*>编辑本页<', found[0]).group(1)
        assert edit == f"https://github.com/bank/casebook/edit/master/{item.doc.rel}"
        submit = re.search(r'href="([^"#]+)#/collections/stories/new">投稿<', found[0]).group(1)
        assert (out / item.id / submit / "index.html").resolve().is_file()  # the web form is in the site
        assert "https://github.com/bank/casebook/issues/new?template=story.yml" in found[0]
    coverage = LINKS.findall((out / "coverage/index.html").read_text(encoding="utf-8"))
    assert len(coverage) == 1 and "投稿" in coverage[0] and "编辑本页" not in coverage[0]
    assert not LINKS.search((out / "stories/index.html").read_text(encoding="utf-8"))
    assert "md-source" not in (out / "index.html").read_text(encoding="utf-8")  # no widget calling the forge's API


def test_forge_links_escape_and_follow_the_forge():
    gitlab = forge_links("https://gitlab.example.org/svc/casebook.git", "main", "cases/stories/x.md")
    assert gitlab["edit"] == "https://gitlab.example.org/svc/casebook/-/edit/main/cases/stories/x.md"
    gitea = forge_links("https://git.example.org/svc/casebook", "dev", "cases/stories/a b.md")
    assert gitea["edit"] == "https://git.example.org/svc/casebook/_edit/dev/cases/stories/a%20b.md"
