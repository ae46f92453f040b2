"""What a rebuild keeps from the last build besides rendered Markdown (test_render_cache.py):
whole built pages (site/page_cache.py) and the search index's records and shard bundles
(site/search_cache.py). A rebuild with nothing changed writes the same site and runs neither the
theme's templates nor Pagefind; an edit renders its page and re-indexes its shard only; damaged
cache entries are never used."""
from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

from conftest import REPO, run_cli

SHARDED = {"CASEBOOK_SEARCH_SHARD_PAIRS": "20000"}  # the sample library in 3+ shards


def _library(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _build(root: Path, out: Path, cache: Path, **env: str) -> dict:
    result = run_cli("build", "--root", str(root), "--out", str(out), env={"CASEBOOK_CACHE_DIR": str(cache), **env})
    assert result.code == 0, result.err
    return json.loads((out / "casebook-build.json").read_text(encoding="utf-8"))


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def _bundle(site: Path, shard: str = "") -> dict[str, bytes]:
    base = site / "pagefind" / shard
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*")
            if p.is_file() and (shard or "shards" not in p.relative_to(base).parts)}


def _fragments_with(site: Path, text: str) -> list[Path]:
    return [p for p in (site / "pagefind").rglob("*.pf_fragment") if text in gzip.decompress(p.read_bytes()).decode()]


def test_a_rebuild_reuses_pages_and_shards_and_an_edit_redoes_only_its_own(tmp_path):
    root, cache = _library(tmp_path), tmp_path / "cache"
    cold = _build(root, tmp_path / "cold", cache, **SHARDED)
    assert cold["search_shards"] >= 3 and cold["search_shards_reused"] == 0
    assert cold["page_cache_hits"] == 0 and cold["page_cache_misses"] > 100

    warm = _build(root, tmp_path / "warm", cache, **SHARDED)
    assert warm["search_shards_reused"] == warm["search_shards"] == cold["search_shards"]
    assert warm["page_cache_misses"] == 0 and warm["page_cache_hits"] == cold["page_cache_misses"]
    assert warm["records"] == warm["items"] == cold["records"]
    assert _pages(tmp_path / "cold") == _pages(tmp_path / "warm")
    assert _bundle(tmp_path / "cold") == _bundle(tmp_path / "warm")  # the same index files, byte for byte

    story = sorted((root / "cases" / "stories").glob("*.md"))[0]
    marker = "第二天客户带着锦旗又来致谢"
    story.write_text(story.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}。\n", encoding="utf-8")
    edited = _build(root, tmp_path / "edited", cache, **SHARDED)
    assert edited["search_shards_reused"] == edited["search_shards"] - 1  # the story's shard only
    assert 1 <= edited["page_cache_misses"] <= 3  # its page (lists show its title and summary: unchanged)
    assert marker in (tmp_path / "edited" / "stories" / story.stem / "index.html").read_text(encoding="utf-8")
    assert len(_fragments_with(tmp_path / "edited", marker)) == 1 and not _fragments_with(tmp_path / "warm", marker)
    terms = json.loads((tmp_path / "edited" / "pagefind" / "casebook-terms.json").read_text(encoding="utf-8"))
    changed = [s for s in ["", *terms["shards"]] if _bundle(tmp_path / "warm", s) != _bundle(tmp_path / "edited", s)]
    assert len(changed) == 1, changed

    # the same library built from nothing: the same pages (the index's own file names vary run to run)
    fresh = _build(root, tmp_path / "fresh", tmp_path / "cache2", **SHARDED)
    assert fresh["page_cache_hits"] == 0 and _pages(tmp_path / "fresh") == _pages(tmp_path / "edited")
    assert not list(root.rglob("*.sqlite3"))  # never in the library tree


def test_damaged_entries_are_not_used(tmp_path):
    root, cache = _library(tmp_path), tmp_path / "cache"
    _build(root, tmp_path / "cold", cache)
    (db_path,) = (cache / "casebook" / "pages").glob("*.sqlite3")
    db = sqlite3.connect(str(db_path))
    db.execute("update built set html = x'00ff'")  # not zlib: every entry unreadable
    db.commit()
    db.close()
    for done in (cache / "casebook" / "search").glob("*/*/.complete"):
        done.unlink()  # a bundle whose copy was cut short
    again = _build(root, tmp_path / "again", cache)
    assert again["page_cache_hits"] == 0 and again["search_shards_reused"] == 0
    assert again["records"] == again["items"]
    assert _pages(tmp_path / "cold") == _pages(tmp_path / "again")


def test_the_site_address_or_a_template_change_renders_every_page_afresh(tmp_path):
    from casebook.site.page_cache import template_hash

    root, cache = _library(tmp_path), tmp_path / "cache"
    _build(root, tmp_path / "one", cache)
    other = _build(root, tmp_path / "two", cache, CASEBOOK_SITE_URL="https://kb.example.bank/")
    assert other["page_cache_hits"] == 0
    assert 'href="https://kb.example.bank/complaints/"' in (tmp_path / "two" / "complaints" / "index.html").read_text(
        encoding="utf-8")
    # the theme's files are part of every key
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates" / "site", theme)
    before = template_hash([theme])
    main = theme / "main.html"
    kept: dict = {}  # (serve keeps the hash of installed folders only: the library's own theme is hashed afresh)
    assert template_hash([theme], kept) == before and kept == {}
    main.write_text(main.read_text(encoding="utf-8") + "\n{# 改了一个字 #}\n", encoding="utf-8")
    assert template_hash([theme]) != before and template_hash([theme], kept) != before
    import material

    installed = Path(material.__file__).parent / "templates"
    assert template_hash([theme, installed], kept) == template_hash([theme, installed]) and list(kept) == [installed]


def test_the_preview_makes_records_only_for_edited_items(tmp_path, monkeypatch):
    """serve (site/search.py SEEN): an unchanged item's record is not made again, by identity of
    the parsed item; the edited item's record is, and its shard is indexed afresh."""
    from casebook.core.library import build_library
    from casebook.site import search
    from casebook.site.pages import View

    monkeypatch.setenv("CASEBOOK_INCREMENTAL", "1")  # unchanged files keep their Item objects
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CASEBOOK_SEARCH_SHARD_PAIRS", "20000")
    monkeypatch.setattr(search, "SEEN", search.SeenRecords())
    root = _library(tmp_path)
    first = search.start_index(View(build_library(root)), reuse=True)
    items = len(build_library(root).items)
    assert first.finish(tmp_path / "one") == items and first.made == items  # the first job makes every record
    story = sorted((root / "cases" / "stories").glob("*.md"))[0]
    marker = "预览里新加的第二句"
    story.write_text(story.read_text(encoding="utf-8").rstrip() + f"\n\n{marker}。\n", encoding="utf-8")
    lib = build_library(root)
    job = search.start_index(View(lib), reuse=True)
    assert job.finish(tmp_path / "two") == len(lib.items)
    assert job.made == 1  # the edited story's record only
    assert job.reused == job.shards - 1 and len(_fragments_with(tmp_path / "two", marker)) == 1
    assert search.SEEN.by_url[f"stories/{story.stem}/"][0] is lib.items[f"stories/{story.stem}"]
    # the same library without reuse (a build): every record made, the same index
    again = search.start_index(View(lib))
    assert again.finish(tmp_path / "three") == len(lib.items) and again.made == len(lib.items)
    assert _bundle(tmp_path / "two") == _bundle(tmp_path / "three")
