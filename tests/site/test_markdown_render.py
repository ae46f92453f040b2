"""The build's one Markdown converter (site/markdown_render.py) renders every page exactly as
MkDocs' own Page.render, which makes a new converter per page: nothing of one page (reference
links, the HTML stash, headings, anchors) reaches the next."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO

PAGES = {
    "a.md": "# 甲页\n\n见[乙页](b.md)与[参考][r]。\n\n[r]: b.md#second\n\n!!! note \"提示\"\n    先问候。\n\n"
            "<div id=\"raw-anchor\">原样 HTML</div>\n\n## 第二节 {#second-a}\n\n| 列 | 值 |\n|---|---|\n| x | 1 |\n",
    "b.md": "# 乙页\n\n这里没有定义[参考][r]，它必须原样显示。\n\n## second\n\n```\ncode <b>\n```\n",
    "c.md": "",  # an empty page after two full ones
    "d.md": "没有标题的一段。\n\n- 一\n- 二\n\n1. 甲\n2. 乙\n",
}


def _site(tmp_path: Path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"),
                         hooks=[], plugins=[])
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in PAGES])
    pages = []
    for f in files:
        page = Page(None, f, config)
        page.read_source(config)
        pages.append(page)
    return config, files, pages


def _rendered(page) -> tuple:
    return (page.content, [(t.title, t.id, t.level) for t in page.toc], page._title_from_render,
            sorted(page.present_anchor_ids or ()), page.links_to_anchors)


def test_one_converter_renders_each_page_as_a_new_one_would(tmp_path):
    from casebook.site import markdown_render

    config, files, pages = _site(tmp_path)
    expected = []
    for page in pages:
        page.render(config, files)  # MkDocs: a new converter per page
        expected.append(_rendered(page))
    try:
        for _ in range(2):  # and once more, on the same converter
            got = []
            for page in pages:
                markdown_render.render(page, config, files)
                got.append(_rendered(page))
            assert got == expected
    finally:
        markdown_render.forget()
    a, b = expected[0], expected[1]
    assert 'href="b/#second"' in a[0] or 'href="../b/#second"' in a[0]  # the reference link resolved on its page
    assert "[参考][r]" in b[0]  # and not on the next
    assert "raw-anchor" in a[3] and "raw-anchor" not in b[3]
    assert expected[2][0] == "" and expected[2][1] == []


def test_a_new_build_gets_a_new_converter(tmp_path):
    from casebook.site import markdown_render

    config, files, pages = _site(tmp_path)
    markdown_render.render(pages[0], config, files)
    first = markdown_render._converter(config)
    assert markdown_render._converter(config) is first
    config2, files2, pages2 = _site(tmp_path / "again")
    markdown_render.render(pages2[0], config2, files2)
    assert markdown_render._converter(config2) is not first
    markdown_render.forget()
