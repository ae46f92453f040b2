"""`casebook serve` reuses pages of unchanged items between rebuilds (site/page_memo.py). Whatever
the edit, the reused pages must be exactly what a fresh build makes: each case below edits the
sample library, rebuilds with the memo and compares every page with site_pages made from
nothing."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import REPO

from casebook.core.library import build_library
from casebook.core.load_memo import LoadMemo
from casebook.site.page_memo import PageMemo
from casebook.site.pages import site_pages


def _as_text(pages) -> dict:
    return {src: (p.markdown, p.slots) for src, p in pages.items()}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip() + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first(root: Path, folder: str) -> Path:
    return sorted((root / "cases" / folder).glob("*.md"))[0]


def _unreferenced_story(root: Path) -> Path:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "cases").rglob("*.md"))
    return next(p for p in sorted((root / "cases" / "stories").glob("*.md")) if text.count(f"stories/{p.stem}") == 0)


EDITS = {
    "story body": lambda root: _append(_first(root, "stories"), "\n\n第二天客户又来致谢。\n"),
    "story title": lambda root: _replace(_first(root, "stories"), "title: ", "title: 改过的"),
    "guide phrase": lambda root: _replace(_first(root, "guides"), "say: ", "say: 您好，"),
    "complaint body words an outlet profile knows": lambda root: _append(
        _first(root, "complaints"), "\n\n老年客户 残疾人 外籍客户 企业开户 排队 现金 理财 反诈\n"),
    "a plan's duties": lambda root: _replace(_first(root, "emergencies"), "duties:\n", "duties:\n  保安: [先守住门口]\n"),
    "an outlet": lambda root: _replace(sorted((root / "outlets").glob("*.yml"))[0], "name: ", "name: 改名"),
    "an item deleted": lambda root: _unreferenced_story(root).unlink(),
    "an item added": lambda root: shutil.copy(_first(root, "stories"), _first(root, "stories").with_name("zz-copy.md")),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_pages_after_an_edit_are_what_a_fresh_build_makes(tmp_path, edit):
    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    memo = PageMemo()
    first = build_library(root)
    assert not first.errors
    first_pages = site_pages(first, memo=memo)
    before = _as_text(first_pages)
    EDITS[edit](root)
    lib = build_library(root)
    assert not lib.errors, [d.format_text() for d in lib.errors]
    second_pages = site_pages(lib, memo=memo)
    reused = _as_text(second_pages)
    assert reused == _as_text(site_pages(lib))  # a fresh build of the edited library
    assert reused != before  # (the edit shows somewhere)
    # and the memo did its work: the pages of items the edit cannot reach (64–70 of 155 on the
    # sample: an item page also shows its related items) are the very objects of the first build
    kept = [src for src, page in second_pages.items() if first_pages.get(src) is page]
    assert len(kept) >= len(lib.items) // 4, (edit, len(kept))


def test_a_public_preview_links_an_item_once_it_is_public(tmp_path):
    """On a public site a body link to an internal item keeps its text only (site/item.py); when
    that item turns public, the preview's next rebuild must link it, as a fresh build does —
    though nothing about the linking item itself changed."""
    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    story = root / "cases" / "stories" / "rainstorm-shelter.md"
    guide = root / "cases" / "guides" / "elderly-customers.md"
    assert "visibility: public" in story.read_text(encoding="utf-8")
    assert "visibility: public" not in guide.read_text(encoding="utf-8")
    _append(story, "\n\n另见[老年客户服务指引](../guides/elderly-customers.md)。\n")
    loaded, memo = LoadMemo(), PageMemo()  # (as a preview: unchanged files keep their items)
    first = site_pages(build_library(root, memo=loaded), public=True, memo=memo)
    page = first["stories/rainstorm-shelter.md"].markdown
    assert "另见老年客户服务指引。" in page and "elderly-customers" not in page
    same = site_pages(build_library(root, memo=loaded), public=True, memo=memo)
    assert same["stories/rainstorm-shelter.md"] is first["stories/rainstorm-shelter.md"]  # (the memo is used)
    time.sleep(0.01)
    _replace(guide, "---\n", "---\nvisibility: public\n")  # (internal by default)
    lib = build_library(root, memo=loaded)
    assert not lib.errors, [d.format_text() for d in lib.errors]
    again = site_pages(lib, public=True, memo=memo)
    assert "[老年客户服务指引](../guides/elderly-customers.md)" in again["stories/rainstorm-shelter.md"].markdown
    assert _as_text(again) == _as_text(site_pages(lib, public=True))
