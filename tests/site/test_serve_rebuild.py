"""`casebook serve` rebuilds only what an edit changed (site/built_files.py, page_memo.py), and
what it writes must be what a preview built from nothing writes: every page, byte for byte.
Run in-process with MkDocs' own dirty build, as `mkdocs serve` calls it on each change."""
from __future__ import annotations

import gc
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import REPO

SERVE_URL = "http://127.0.0.1:8000/"


@pytest.fixture
def preview(monkeypatch, tmp_path):
    """A fresh preview process state: the hook's STATE and the loader's per-file memo."""
    from casebook.core import item_index, library
    from casebook.site import built_files, search
    from casebook.site.state import STATE

    monkeypatch.setenv("CASEBOOK_INCREMENTAL", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    saved = dict(STATE)

    def fresh() -> None:
        _settle(STATE)
        STATE.clear()
        STATE["serving"] = True
        library._SEEN.clear()
        item_index._INDEX_KEYS.clear()
        built_files._MADE.clear()
        monkeypatch.setattr(search, "SEEN", search.SeenRecords())

    fresh()
    yield fresh
    _settle(STATE)
    STATE.clear()
    STATE.update(saved)
    gc.enable()


def _settle(state: dict) -> None:
    """Wait for the last build's search index and idle collection (threads of the preview)."""
    timer = state.get("gc_timer")
    if timer is not None:
        assert timer.finished.wait(60)
        timer.join(10)


def _rebuild(root: Path, site: Path) -> bool:
    """One build as `mkdocs serve` runs it; whether the collector was paused when it ended."""
    from mkdocs.commands.build import build

    from casebook.site.build import _config
    from casebook.site.state import STATE

    STATE.pop("gc_timer", None)
    config = _config(root, site, False)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL, dirty=True)
    paused = not gc.isenabled()
    deadline = time.time() + 60  # (the index is finished in a thread, which then starts the timer)
    while "gc_timer" not in STATE and time.time() < deadline:
        time.sleep(0.02)
    return paused


def _html(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_an_edit_rebuilds_its_pages_alone_and_they_match_a_preview_from_nothing(tmp_path, preview):
    from casebook.site.state import STATE

    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    site = tmp_path / "site"
    assert not _rebuild(root, site)  # (the first build collects as usual)
    _settle(STATE)
    story = root / "cases" / "stories" / "fraud-stopped-nephew.md"
    guide = "guides/agitated-customers"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
    time.sleep(0.05)
    # a new sentence, and a Markdown link to an item whose page this rebuild does not make
    story.write_text(story.read_text(encoding="utf-8").rstrip()
                     + f"\n\n预览里新加的一句，见[{guide}](../{guide}.md)。\n", encoding="utf-8")
    assert _rebuild(root, site)  # a rebuild runs without the collector …
    _settle(STATE)
    assert gc.isenabled()  # … and collects once the preview is quiet

    page = (site / "stories" / "fraud-stopped-nephew" / "index.html").read_text(encoding="utf-8")
    assert "预览里新加的一句" in page
    assert 'href="../../guides/agitated-customers/"' in page  # resolved as in a full build
    rewritten = [p for p, t in before.items() if p.stat().st_mtime_ns != t]
    item_pages = [p for p in before if p.parent.parent.name in {"complaints", "emergencies", "guides", "stories",
                                                                "standards", "courses", "drills"}]
    assert (site / "stories" / "fraud-stopped-nephew" / "index.html") in rewritten
    assert len(rewritten) < len(before) / 4 and len(item_pages) > 50  # not the whole site again

    preview()  # a new preview process, built from nothing on the edited library
    again = tmp_path / "again"
    _rebuild(root, again)
    _settle(STATE)
    built, fresh = _html(site), _html(again)
    assert built.keys() == fresh.keys()
    differ = sorted(k for k in built if built[k] != fresh[k])
    assert differ == [], differ[:5]


def test_a_built_page_has_the_address_mkdocs_gives_it():
    """built_files.page_dest is MkDocs' own rule (File._get_dest_path), for every kind of path."""
    from mkdocs.structure.files import File

    from casebook.site.built_files import BuiltPage

    for src in ["index.md", "basis.md", "complaints/index.md", "stories/fraud-stopped-nephew.md",
                "facets/customer_groups/老年客户.md", "facets/roles/index.md", "x/README.md", "stories/2.md"]:
        for directory_urls in (True, False):
            config = {"site_dir": os.sep + "site", "use_directory_urls": directory_urls}
            real = File(src, src_dir=None, dest_dir=config["site_dir"], use_directory_urls=directory_urls)
            built = BuiltPage.at(config, src)
            assert (built.dest_uri, built.url, built.abs_dest_path) == (real.dest_uri, real.url, real.abs_dest_path)
            assert not built.is_documentation_page() and not built.is_modified()
