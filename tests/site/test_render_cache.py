"""Rendered Markdown kept across builds (site/render_cache.py): a warm build writes the same
site byte for byte, an edited page renders afresh, and nothing planted in the cache reaches a
page unsanitised."""
from __future__ import annotations

import json
import sqlite3
import shutil
from pathlib import Path

from conftest import VALID, run_cli


def _build(root: Path, out: Path, cache: Path) -> dict:
    result = run_cli("build", "--root", str(root), "--out", str(out), env={"CASEBOOK_CACHE_DIR": str(cache)})
    assert result.code == 0, result.err
    return json.loads((out / "casebook-build.json").read_text(encoding="utf-8"))


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def test_a_warm_build_is_the_same_site_and_an_edit_renders_afresh(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    cache = tmp_path / "cache"
    cold = _build(root, tmp_path / "cold", cache)
    assert cold["render_cache_hits"] == 0 and cold["render_cache_misses"] > 10
    warm = _build(root, tmp_path / "warm", cache)
    assert warm["render_cache_misses"] == 0 and warm["render_cache_hits"] == cold["render_cache_misses"]
    assert _pages(tmp_path / "cold") == _pages(tmp_path / "warm")
    story = next((root / "cases" / "stories").glob("*.md"))
    story.write_text(story.read_text(encoding="utf-8").rstrip() + "\n\n新增的一段：客户第二天又来致谢。\n", encoding="utf-8")
    edited = _build(root, tmp_path / "edited", cache)
    assert edited["render_cache_misses"] >= 1 and edited["render_cache_hits"] >= cold["render_cache_misses"] - 3
    page = (tmp_path / "edited" / "stories" / story.stem / "index.html").read_text(encoding="utf-8")
    assert "新增的一段：客户第二天又来致谢。" in page
    assert (cache / "casebook" / "render").is_dir() and not list(root.rglob("*.sqlite3"))  # never in the tree


def test_switched_off_builds_the_same(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    on = _build(root, tmp_path / "on", tmp_path / "cache")
    result = run_cli("build", "--root", str(root), "--out", str(tmp_path / "off"),
                     env={"CASEBOOK_RENDER_CACHE": "0", "CASEBOOK_CACHE_DIR": str(tmp_path / "cache2")})
    assert result.code == 0
    off = json.loads((tmp_path / "off" / "casebook-build.json").read_text(encoding="utf-8"))
    assert "render_cache_hits" not in off and "render_cache_hits" in on
    assert not (tmp_path / "cache2").exists()
    assert _pages(tmp_path / "on") == _pages(tmp_path / "off")


def test_a_planted_entry_is_still_sanitised(tmp_path):
    """Whoever can write the cache file gets no script into a page: cached HTML passes the same
    sanitiser as freshly rendered HTML."""
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    cache = tmp_path / "cache"
    _build(root, tmp_path / "cold", cache)
    (db_path,) = (cache / "casebook" / "render").glob("*.sqlite3")
    db = sqlite3.connect(str(db_path))
    planted = ('<p>被篡改</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
               '<a href="javascript:alert(3)">x</a><img src="http://10.0.0.1/t.png">')
    db.execute("update pages set content = content || ?", (planted,))
    db.commit()
    db.close()
    _build(root, tmp_path / "warm", cache)
    pages = _pages(tmp_path / "warm")
    assert any("被篡改".encode() in html for html in pages.values())  # the entries were used
    for html in pages.values():
        text = html.decode("utf-8")
        assert "alert(1)" not in text and "onerror" not in text and "javascript:alert" not in text
        assert "10.0.0.1" not in text


def test_the_public_and_the_internal_build_keep_their_own(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    cache = tmp_path / "cache"
    _build(root, tmp_path / "internal", cache)
    result = run_cli("build", "--public", "--root", str(root), "--out", str(tmp_path / "public"),
                     env={"CASEBOOK_CACHE_DIR": str(cache)})
    assert result.code == 0, result.err
    again = _build(root, tmp_path / "internal2", cache)
    assert again["render_cache_misses"] == 0  # the public build did not prune the internal pages
    assert len(list((cache / "casebook" / "render").glob("*.sqlite3"))) == 2
