"""`casebook serve` rebuilds only what an edit changed (site/preview.py: pages staged as files,
MkDocs' own dirty build skips those older than their HTML; site/preview_index.py: only the
search shard of an edited item is indexed again), and what it shows after any kind of edit must
be what a preview built from nothing shows: every page, byte for byte, and a search index that
holds the same records in the same shards. Run in-process with MkDocs' dirty build, as `mkdocs
serve` calls it on each change, on the plugin object that MkDocs keeps between rebuilds."""
from __future__ import annotations

import gzip
import json
import logging
import time
from pathlib import Path

import pytest

from conftest import library_with_site, run_cli

SERVE_URL = "http://127.0.0.1:8000/"


SHARD_PAIRS = "1000"  # (the smallest shard: the library below makes three, so an edit leaves two alone)


def _library(tmp_path: Path) -> Path:
    """The small library, and a dozen more stories: enough records for several search shards."""
    root = library_with_site(tmp_path)
    story = _story(root)
    text = story.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    for n in range(12):
        copy = text.replace(title, f"title: 第{n + 1}个驿站的故事").rstrip() + f"\n\n这是第{n + 1}个驿站，编号{n + 1}。\n"
        (story.parent / f"station-{n + 1:02d}.md").write_text(copy, encoding="utf-8")
    return root


class Handed(logging.Handler):
    """The pages MkDocs was handed to build, per rebuild: its build logs "Reading: <page>" for
    each documentation page it includes (an excluded page is only a link target)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.pages: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Reading: "):
            self.pages[-1] += 1


class Preview:
    """One `casebook serve` session: the plugin MkDocs keeps, rebuilt into one site folder."""

    def __init__(self, root: Path, site: Path):
        from casebook.site.build import _config

        self.root, self.site = root, site
        config = _config(root, site, False)
        self.plugin = config.plugins["casebook"]
        self.plugin.on_startup(command="serve", dirty=True)
        self.handed = Handed()

    def rebuild(self) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        # (as `mkdocs serve` loads the config again for every rebuild)
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site),
                             docs_dir=str(self.root / "docs"))
        assert config.plugins["casebook"] is self.plugin  # (MkDocs keeps it: it has on_startup)
        config.site_url = SERVE_URL
        self.handed.pages.append(0)
        logger = logging.getLogger("mkdocs.commands.build")
        level = logger.level
        logger.addHandler(self.handed)
        logger.setLevel(logging.DEBUG)
        try:
            build(config, serve_url=SERVE_URL, dirty=True)
        finally:
            logger.removeHandler(self.handed)
            logger.setLevel(level)
        deadline = time.time() + 60  # the search index follows in a thread
        while self.plugin.run.report is None and time.time() < deadline:
            time.sleep(0.02)
        self.plugin.run.report = None

    def close(self) -> None:
        self.plugin.on_shutdown()


def _html(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and "pagefind" not in p.parts}


def _index(site: Path) -> dict[str, bytes]:
    """The search index by what it holds: each shard's records (Pagefind's fragments; it names
    its other files afresh on every run) and the search box's own files."""
    bundle = site / "pagefind"
    out = {}
    for folder in [bundle, *sorted((bundle / "shards").glob("*"))]:
        fragments = sorted(gzip.decompress(p.read_bytes()) for p in (folder / "fragment").glob("*.pf_fragment"))
        out[f"records of {folder.relative_to(site).as_posix()}"] = b"\0".join(fragments)
    for own in bundle.glob("casebook-*.json"):
        out[own.name] = own.read_bytes()
    return out


def _shard_files(site: Path) -> dict[str, dict[str, int]]:
    """Each shard's index files (the first shard's folder aside its others) and their inodes."""
    bundle = site / "pagefind"
    out = {}
    for folder in [bundle, *sorted((bundle / "shards").glob("*"))]:
        out[folder.name] = {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
                            if p.is_file() and "shards" not in p.relative_to(folder).parts[:1]
                            and not p.name.startswith("casebook-")}
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _story(root: Path) -> Path:
    return root / "cases" / "stories" / "rest-corner.md"


def _body(root):
    story = _story(root)
    story.write_text(story.read_text(encoding="utf-8").rstrip() + "\n\n预览里新加的一句。\n", encoding="utf-8")


def _meta(root):
    story = _story(root)
    title = next(line for line in story.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    _edit(story, title, title + "（修订）")


def _related_title(root):
    """complaints/queue.md names guides/elderly as related: its page shows the guide's title."""
    assert "guides/elderly" in (root / "cases" / "complaints" / "queue.md").read_text(encoding="utf-8")
    target = root / "cases" / "guides" / "elderly.md"
    title = next(line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    _edit(target, title, title + "（修订）")


def _new(root):
    story = _story(root)
    text = story.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (story.parent / "added-in-preview.md").write_text(text.replace(title, "title: 预览里新增的故事"), encoding="utf-8")


def _deleted(root):
    (root / "cases" / "stories" / "added-in-preview.md").unlink()


def _vocabulary(root):
    _edit(root / "cases" / "vocabulary.yml", "  - value: 老年客户", "  - value: 孕妇客户\n  - value: 老年客户")


def _basis(root):
    path = root / "cases" / "basis.yml"
    title = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("title:"))
    _edit(path, title, title.rstrip() + "（修订版）")


def _search_terms(root):
    """A new group of words that mean the same: every record holding one of them gets its token."""
    _edit(root / "cases" / "search-terms.yml", "groups:\n", "groups:\n  - terms: [歇脚, 歇歇脚, 歇一会儿]\n")


def _first_of_a_role(root):
    """An item gives a role its first item: a new role page, and every page's 「按岗位」 menu names it."""
    _edit(root / "cases" / "complaints" / "queue.md", "roles: [大堂经理]", "roles: [大堂经理, 保洁]")


def _docs(root):
    _edit(root / "docs" / "index.md", "# 网点服务案例库", "# 网点服务案例库（预览）")


def _site_config(root):
    """mkdocs.yml itself: the site's name is on every page."""
    path = root / "mkdocs.yml"
    name = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("site_name:"))
    _edit(path, name, name.rstrip() + "（预览）")


def _theme(root):
    _edit(root / "templates" / "site" / "main.html", "{% block site_nav %}", "{% block site_nav %}<!-- 改过 -->")


def _failed_between(root):
    """An edit saved with a broken docs page: that rebuild fails half-way (the edited page is
    staged, nothing is written). The rebuild after the fix must still show the edit."""
    _body(root)
    index = root / "docs" / "index.md"
    good = index.read_text(encoding="utf-8")
    _edit(index, "{{ library_counts() }}", "{{ items(limit=\"多\") }}")  # (passes the checker, fails to run)
    return lambda: index.write_text(good, encoding="utf-8")


def test_serve_watches_the_library_s_own_folders(tmp_path):
    """MkDocs watches docs/ and mkdocs.yml (a theme only with its --watch-theme); `casebook serve`
    adds the library's items (cases/), its outlets (outlets/: the courses' draws per outlet are on
    the site) and its theme folder (an edited override template or stylesheet is shown at once)."""
    from casebook.site.build import _config

    root = _library(tmp_path)
    config = _config(root, tmp_path / "site", False)
    plugin = config.plugins["casebook"]

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    assert plugin.on_serve(server, config, None) is server
    assert sorted(server.watched) == [str(root / "cases"), str(root / "outlets"), str(root / "templates" / "site")]


EDITS = [_body, _meta, _related_title, _new, _deleted, _vocabulary, _basis, _search_terms, _first_of_a_role, _docs,
         _site_config, _theme, _failed_between]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.strip("_") for e in EDITS])
def test_a_preview_after_an_edit_is_a_preview_built_from_nothing(tmp_path, monkeypatch, edit):
    monkeypatch.setenv("CASEBOOK_SEARCH_SHARD_PAIRS", SHARD_PAIRS)
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    root = _library(tmp_path)
    if edit is _deleted:
        _new(root)
    live = Preview(root, tmp_path / "live")
    try:
        live.rebuild()
        before = {p: p.stat().st_mtime_ns for p in (tmp_path / "live").rglob("*.html")}
        shards_before = _shard_files(tmp_path / "live")
        time.sleep(0.02)
        fix = edit(root)
        if fix is not None:  # (a rebuild that fails first)
            from mkdocs.exceptions import Abort

            with pytest.raises(Abort):
                live.rebuild()
            fix()
        live.rebuild()
        shards_after = _shard_files(tmp_path / "live")
    finally:
        live.close()
    rewritten = [p for p, t in before.items() if not p.exists() or p.stat().st_mtime_ns != t]
    monkeypatch.setenv("CASEBOOK_RENDER_CACHE", "0")  # (from nothing: not from the pages the live preview kept)
    differ = _differ_from_fresh(root, tmp_path)
    assert differ == [], differ[:5]
    shown, expected = _index(tmp_path / "live"), _index(tmp_path / "fresh")
    assert len(shown) >= 3 + 2, sorted(shown)  # (three shards at least, and the box's files)
    differ = sorted(k for k in shown.keys() | expected.keys() if shown.get(k) != expected.get(k))
    assert differ == [], differ
    if edit in (_body, _meta):  # an item's edit rebuilds its page and the pages that list it, not the site
        assert len(rewritten) < len(before) * 0.8, (len(rewritten), len(before))
        # and MkDocs is handed only those and the pages it builds every time (nav, docs/): the
        # others' HTML stands, their files are only link targets
        first, then = live.handed.pages
        assert 0 < then < first * 0.5, (first, then)
        # and indexes its search shard again, the others kept as they were (the very same files)
        kept = [k for k in shards_before if shards_after.get(k) == shards_before[k]]
        assert len(kept) == len(shards_before) - 1, (sorted(shards_before), kept)


def _differ_from_fresh(root: Path, tmp_path: Path) -> list[str]:
    """The pages of the live preview (tmp_path/live) that differ from a preview built from nothing."""
    fresh = Preview(root, tmp_path / "fresh")
    try:
        fresh.rebuild()
    finally:
        fresh.close()
    shown, expected = _html(tmp_path / "live"), _html(tmp_path / "fresh")
    return sorted(k for k in shown.keys() | expected.keys() if shown.get(k) != expected.get(k))


def test_a_nav_page_titled_by_its_own_heading_is_rebuilt_with_every_edit(tmp_path, monkeypatch):
    """A nav page without a title in mkdocs.yml takes it from its Markdown, which MkDocs reads
    only for a page it rebuilds: every page's nav would lose the title otherwise."""
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    root = _library(tmp_path)
    _edit(root / "mkdocs.yml", "  - 投诉案例: complaints/index.md", "  - complaints/index.md")
    live = Preview(root, tmp_path / "live")
    try:
        live.rebuild()
        time.sleep(0.02)
        _body(root)
        live.rebuild()
    finally:
        live.close()
    differ = _differ_from_fresh(root, tmp_path)
    assert differ == [], differ[:5]


def test_a_failed_rebuild_shows_in_the_page_and_the_next_good_one_clears_it(tmp_path):
    root = _library(tmp_path)
    live = Preview(root, tmp_path / "live")
    status = tmp_path / "live" / "casebook-preview.json"
    try:
        live.rebuild()
        assert json.loads(status.read_text(encoding="utf-8")) == {"ok": True}
        story = _story(root)
        good = story.read_text(encoding="utf-8")
        story.write_text(good.replace("title:", "titel:", 1) + "\n新加的一句。\n", encoding="utf-8")
        live.rebuild()  # (no traceback: the preview keeps the last good library)
        shown = json.loads(status.read_text(encoding="utf-8"))
        assert shown["ok"] is False and shown["count"] >= 1
        assert any(story.name in line and "error[" in line for line in shown["problems"])
        page = (tmp_path / "live" / "index.html").read_text(encoding="utf-8")
        assert "assets/casebook/preview.js" in page  # the page that polls the status
        shown_page = (tmp_path / "live" / "stories" / story.stem / "index.html").read_text(encoding="utf-8")
        assert "新加的一句" not in shown_page  # the last good page stays
        story.write_text(good, encoding="utf-8")
        live.rebuild()
        assert json.loads(status.read_text(encoding="utf-8")) == {"ok": True}
    finally:
        live.close()


def test_a_preview_served_at_the_root_makes_no_canonical_addresses(tmp_path):
    """MkDocs joins the site's address with every page's for its canonical link: at 5,000 items
    the largest step of a preview's rebuild, for an address the preview does not have."""
    from casebook.site.preview import preview_site_url

    root = _library(tmp_path)
    live = Preview(root, tmp_path / "live")
    try:
        live.rebuild()
    finally:
        live.close()
    for page in ("index.html", f"stories/{_story(root).stem}/index.html"):
        assert 'rel="canonical"' not in (tmp_path / "live" / page).read_text(encoding="utf-8"), page
    # (served under a path, MkDocs needs the address to know where: it stays)
    assert preview_site_url("https://example.com/casebook/") == "https://example.com/casebook/"
    assert preview_site_url("https://example.com/") is None and preview_site_url(None) is None


def test_after_a_rebuild_the_preview_freezes_what_survives_a_collection(tmp_path):
    """The library outlives every rebuild: frozen (gc.freeze) after one, the next rebuild's
    collections skip it. Closing the preview unfreezes it."""
    import gc

    root = _library(tmp_path)
    live = Preview(root, tmp_path / "live")
    try:
        live.rebuild()
        deadline = time.time() + 30  # (after the search index, in the same thread)
        while gc.get_freeze_count() == 0 and time.time() < deadline:
            time.sleep(0.05)
        item = next(iter(live.plugin.view.items.values()))
        assert gc.get_freeze_count() > 1000
        assert not any(o is item for o in gc.get_objects())  # (the frozen are in no generation)
    finally:
        live.close()
    assert gc.get_freeze_count() == 0


def test_a_preview_of_a_library_built_before_has_its_search(tmp_path, monkeypatch):
    """`make serve` a second time, or after a build: every search shard comes from the build
    cache, and the preview's index job still records what it served (its folder was made only
    when a shard's records were staged: the job failed, and the preview had no search)."""
    cache = tmp_path / "cache"
    root = library_with_site(tmp_path)
    built = run_cli("build", "--root", str(root), "--out", str(tmp_path / "built"), env={"CASEBOOK_CACHE_DIR": str(cache)})
    assert built.code == 0, built.err
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(cache))
    live = Preview(root, tmp_path / "live")
    try:
        live.rebuild()
        job = live.plugin.preview.index.last
        assert job.process.exitcode == 0 and job.reused == job.shards >= 1  # (nothing staged)
        entry = json.loads((tmp_path / "live" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        indexed = sum(language["page_count"] for language in entry["languages"].values())
        assert indexed == len(live.plugin.view.items) >= 1
    finally:
        live.close()


def test_a_preview_killed_outright_leaves_nothing_the_next_one_keeps(tmp_path):
    """`casebook serve` stopped by SIGTERM or SIGKILL leaves its working folder in the temporary
    folder; the next preview removes those whose process is gone (named by it), no other."""
    import os
    import tempfile

    gone = Path(tempfile.mkdtemp(prefix="casebook-preview-999999999-"))  # (no process has that number)
    mine = Path(tempfile.mkdtemp(prefix=f"casebook-preview-{os.getpid()}-"))  # (a preview still running)
    live = Preview(_library(tmp_path), tmp_path / "live")
    try:
        assert not gone.exists() and mine.exists()
        assert live.plugin.preview.staging.name.startswith(f"casebook-preview-{os.getpid()}-")
    finally:
        live.close()
        mine.rmdir()
