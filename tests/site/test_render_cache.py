"""The render cache's entries are checked as they are read (site/render_cache.py): a damaged or
tampered entry is a miss, never a page; a hit gives MkDocs the title the whole page had."""
from __future__ import annotations

from casebook.site.render_cache import RenderCache, stub

GOOD = {"html": "<h1 id=\"t\">标题</h1><p>正文</p>", "toc": [], "title": "标题", "anchors": ["t"],
        "links_to_anchors": {}}


def test_a_damaged_or_tampered_entry_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CASEBOOK_RENDER_CACHE", raising=False)
    cache = RenderCache.open(tmp_path / "lib", False)
    cache.put("good", GOOD)
    cache.put("no-title", {k: v for k, v in GOOD.items() if k != "title"})  # (MkDocs would title the page by its file name)
    cache.put("html-not-text", {**GOOD, "html": ["<p>"]})
    cache.db.execute("insert or replace into pages values ('not-json', '{\"html\": ')")
    assert cache.get("good") == GOOD
    assert [cache.get(k) for k in ("no-title", "html-not-text", "not-json", "absent")] == [None] * 4
    cache.close()


def test_only_a_page_opening_with_its_title_is_kept():
    assert stub("# 老年客户服务指引\n\n正文") == "# 老年客户服务指引\n"
    assert stub("正文\n# 标题") is None
    assert stub("# [标题][ref]\n\n[ref]: x") is None  # (a reference defined elsewhere in the page)


def test_the_cache_stands_aside_for_another_plugin_that_handles_pages():
    from mkdocs.plugins import BasePlugin

    from casebook.site.render_cache import usable

    class Own(BasePlugin):
        def on_page_markdown(self, markdown, **kwargs):
            return markdown

    class Quiet(BasePlugin):  # (no page event: a second plugin like this used to crash the check)
        def on_post_build(self, config):
            pass

    class Reader(BasePlugin):
        def on_page_read_source(self, page, config):
            return None

    own = Own()

    def config(*others):
        return {"plugins": {"own": own, **{f"p{i}": p for i, p in enumerate(others)}},
                "markdown_extensions": ["toc", "tables"]}

    assert usable(config(), own) and usable(config(Quiet()), own)
    assert not usable(config(Reader()), own)
    assert not usable({**config(), "markdown_extensions": ["toc", "pymdownx.snippets"]}, own)
