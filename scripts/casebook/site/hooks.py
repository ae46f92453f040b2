"""MkDocs hooks (named in mkdocs.yml `hooks:`): the only place that knows MkDocs.

- on_config: reads CASEBOOK_PUBLIC (set by `casebook build --public`).
- on_files: loads the Library through casebook's loader (never page.meta: MkDocs ignores broken
  front matter silently), refuses to build on any error, and adds the pages of
  `pages.site_pages` with File.generated — nothing is written into docs/.
- on_page_content: every page's HTML passes through nh3, so no script, event handler or
  javascript: link survives even if it slipped past the checker.
- on_files also starts Pagefind on the search records (search.py), so indexing runs beside
  MkDocs' rendering; on_post_build waits for it and writes a manifest with the counts.
- on_serve: also watches cases/ and outlets/ (with the system's file notifications, not polling).
- Caches across builds (README: 构建缓存): rendered Markdown (on_pre_page, render_cache.py), whole
  pages (on_env/on_post_page via build_wiring.py, page_cache.py), search records and shard
  bundles (search_cache.py); `casebook serve` also reuses unchanged pages (page_memo.py).

Untrusted text is neutralised here even when the checker has passed it (site/neutralise.py):
docs/ pages lose any template syntax but casebook's macro calls before mkdocs-macros runs;
page titles reach Material's `page.title | striptags` as plain text that no unescaping can
turn back into markup; external images, imitation copy buttons and bidi controls are
stripped from the rendered HTML; symlinks and non-page files in docs/ are never published.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import nh3
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from casebook.core.library import Library
from casebook.site.page_memo import PageMemo
from casebook.site.pages import View, fill, site_pages
from casebook.site.search import start_index
from casebook.site import markdown_render
from casebook.site.search_page import search_pages

from casebook.site.build_wiring import (cached_page, collect_when_idle, compiled_templates, native_watcher,
                                       pause_collector, remembered_theme_files, use_page_cache)
from casebook.site.built_files import BuiltPage, is_page
from casebook.site.page_cache import PageCache
from casebook.site.render_cache import RenderCache, salt, toc_tokens
from casebook.site.neutralise import attribute_filter, clean_html, docs_file_allowed, plain_title
from casebook.site.state import STATE
from casebook.core.docs_check import neutralise_templates

# nh3 (ammonia) keeps safe HTML; these add what casebook's own markup and Material need.
# (form/select/option/label: the facet filter of index pages; a form keeps no action attribute)
_TAGS = set(nh3.ALLOWED_TAGS) | {"button", "section", "nav", "figure", "figcaption", "time", "form", "label",
                                  "select", "option", "details", "summary", "mark"}
_ATTRS = {"*": {"class", "id", "title", "role", "lang", "dir", "hidden", "tabindex"},
          "a": {"href", "hreflang", "title"}, "img": {"src", "alt", "width", "height", "loading", "title"},
          "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan", "align"}, "time": {"datetime"},
          "button": {"type"}, "ol": {"start"}, "select": {"name"}, "option": {"value", "selected"},
          "form": set(), "label": {"for"}}


def sanitize(html: str) -> str:
    html = nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
                     generic_attribute_prefixes={"data-", "aria-"}, link_rel=None, strip_comments=True,
                     attribute_filter=attribute_filter)
    return clean_html(html)


def _root(config) -> Path:
    """The library's root: set by `casebook build/serve --root`, else next to mkdocs.yml."""
    return Path(STATE.get("root") or Path(config["config_file_path"]).parent)


def on_config(config):
    STATE["public"] = os.environ.get("CASEBOOK_PUBLIC") == "1"
    if STATE.get("serving"):  # a preview has no use for a sitemap (every page, every rebuild)
        config["theme"].static_templates.discard("sitemap.xml")
        remembered_theme_files(config["theme"])
        if STATE.get("page_hashes"):  # a rebuild: collect garbage once it is done
            pause_collector()
    if STATE["public"]:  # the public build has a footer of its own (mkdocs.yml extra.public_copyright)
        config["copyright"] = config["extra"].get("public_copyright") or config["site_name"]
    return config


def on_files(files: Files, config) -> Files:
    root = _root(config)
    # `casebook build` hands over the library it just checked; a rebuild (serve) must reload
    lib = STATE.pop("library", None) or Library.load(root, use_cache=False)
    if lib.errors:
        shown = "\n".join(d.format_text() for d in lib.errors[:30])
        raise PluginError(f"案例库有 {len(lib.errors)} 个错误，请先运行 casebook check 修正：\n{shown}")
    public = STATE.get("public", False)
    # QR codes on printed pages point at the site's address; `serve` sets it to the preview's
    site_url = None if STATE.get("serving") else config.get("site_url") or None
    view = View(lib, public, site_url)
    STATE["view"] = view
    # Pagefind indexes the records (known now, from the Library) while the pages are made and
    # MkDocs renders them
    if STATE.get("index_job"):
        STATE.pop("index_job").cancel()
    STATE["index_job"] = start_index(view, reuse=bool(STATE.get("serving")))
    # serve: pages of unchanged items from the last rebuild (page_memo.py)
    memo = STATE.setdefault("page_memo", PageMemo()) if STATE.get("serving") else None
    pages = site_pages(lib, public, site_url, memo) | search_pages()  # + /search/?q=… (search_page.py)
    STATE["slots"] = {src_uri: page.slots for src_uri, page in pages.items()}
    # `casebook serve` rebuilds dirty: a page whose text did not change since the last build is
    # not handed to MkDocs again (its HTML is still in the site folder). Index pages always are.
    previous = STATE.get("page_hashes", {}) if STATE.get("serving") else {}
    hashes = {src: _page_hash(p, previous.get(src)) for src, p in pages.items()}
    STATE["page_hashes"] = hashes if STATE.get("serving") else {}
    docs_dir = Path(config["docs_dir"])
    for file in list(files):  # docs/: real Markdown pages and images only, never a link out
        if not file.generated_by and not docs_file_allowed(Path(file.abs_src_path), docs_dir, config):
            files.remove(file)
    in_nav = _nav_sources(config.get("nav"))
    for src_uri, page in pages.items():
        if previous.get(src_uri, (None, None))[1] == hashes[src_uri][1] and src_uri not in in_nav:
            # serve: its HTML from the last build is still in the site folder; MkDocs still knows
            # where it is (links to it resolve alike) but makes no page of it (built_files.py)
            files.append(BuiltPage.at(config, src_uri))
            STATE["slots"].pop(src_uri, None)
        else:
            files.append(File.generated(config, src_uri, content=page.markdown))
    media = (root / "cases" / "media").resolve()
    for src_uri in _images(view):
        image = root / "cases" / src_uri
        if image.is_symlink() or not image.resolve().is_relative_to(media):
            continue  # never publish a file from outside cases/media/
        files.append(File.generated(config, src_uri, abs_src_path=str(root / "cases" / src_uri)))
    _open_render_cache(root, files, config)
    return files


def _page_hash(page, before: tuple | None) -> tuple:
    """(the page, a hash of its text): a page the memo handed back unchanged (the same object)
    keeps its hash without hashing its text again."""
    if before is not None and before[0] is page:
        return before
    return page, hashlib.sha1((page.markdown + repr(sorted(page.slots.items()))).encode()).hexdigest()


def _nav_sources(nav) -> set[str]:
    """Every page named in mkdocs.yml's nav (rebuilt on every serve rebuild: its nav entry shows
    its title, known only once the page is read)."""
    out: set[str] = set()
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else entry
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, list):
            out |= _nav_sources(value)
    return out


def _open_render_cache(root: Path, files: Files, config) -> None:
    """Rendered Markdown kept across builds (render_cache.py); the salt is everything a page's
    rendering reads besides its own Markdown."""
    from importlib.metadata import version

    if STATE.get("render_cache") is not None:
        STATE.pop("render_cache").close(prune=False)
    pages = sorted(f.src_uri for f in files if is_page(f))  # (the same set in a rebuild)
    versions = [version(name) for name in ("casebook", "mkdocs", "markdown")]
    STATE["render_cache"] = RenderCache.for_library(root, salt(
        versions, config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"], pages),
        "public" if STATE.get("public") else "internal")


def on_pre_page(page, config, files):
    """Every page renders on the build's one Markdown converter (markdown_render.py); a page
    whose Markdown rendered the same way before takes its HTML from the cache."""
    def render(config, files):
        markdown_render.render(page, config, files)  # the build's one converter

    cache: RenderCache | None = STATE.get("render_cache")
    if cache is None:
        page.render = render
        return page

    def cached_render(config, files):
        from mkdocs.structure.toc import get_toc

        key = cache.key(page.file.src_uri, page.markdown)
        hit = cache.get(key)
        if hit is not None:
            page.content, tokens, page._title_from_render, page.present_anchor_ids = hit
            page.toc = get_toc(tokens)
            page.links_to_anchors = {}
            return
        render(config, files)
        cache.put(key, page.content, toc_tokens(page.toc), page._title_from_render, page.present_anchor_ids or set())

    page.render = cached_render
    return page


def _images(view: View) -> list[str]:
    """media/… files shown by visible stories (only consented ones in a public build)."""
    out = []
    for item in view.items.values():
        for image in getattr(item.meta, "images", []) or []:
            if view.public and not image.consent:
                continue
            out.append(image.src.removeprefix("cases/"))
    return sorted(set(out))


@event_priority(100)  # before mkdocs-macros renders the page
def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.generated_by:
        return markdown  # casebook's own pages carry render_macros: false
    page.meta.pop("template", None)  # a docs page cannot pick a theme template (an empty one, 404.html)
    title = page.meta.get("title")
    if isinstance(title, str):
        page.meta["title"] = neutralise_templates(title)
    return neutralise_templates(markdown)


def on_page_content(html: str, page, config, files) -> str:
    html = sanitize(html)  # the Markdown from cases/ and docs/, rendered
    # the title as text: Material prints `page.title | striptags`, which unescapes entities
    title = page.title or ""
    safe = plain_title(title)
    if safe != title:  # (untouched otherwise: the built site stays byte for byte the same)
        if "title" in page.meta:
            page.meta["title"] = safe
        else:
            page._title_from_render = safe  # what MkDocs took from the page's first heading
    slots = STATE.get("slots", {}).pop(page.file.src_uri, None)  # (used once: let it go)
    return fill(html, slots) if slots else html  # casebook's own markup, every value escaped


def on_nav(nav, config, files):
    STATE["nav_pages"] = {p.file.src_uri for p in nav.pages}
    STATE["nav"] = nav
    return nav


def on_env(env, config, files):
    """The primary navigation, once per parent folder for pages outside the nav (templates/site/
    main.html): its links are relative to that folder (courses/a/ and courses/b/ link alike),
    and nothing in it is active on such a page."""
    navs: dict[str, str] = {}
    in_nav = STATE.get("nav_pages", set())

    def key(page):
        url = getattr(page, "url", None)
        if page is None or not isinstance(url, str) or not url.endswith("/") or page.file.src_uri in in_nav:
            return None
        return url.rstrip("/").rpartition("/")[0]  # complaints/x/ → complaints

    def remember(nav_key, html):
        if nav_key is not None:
            navs[nav_key] = html
        return html

    STATE["env"] = env
    compiled_templates(env)
    env.globals.update(casebook_nav_key=key, casebook_navs=navs, casebook_remember_nav=remember)
    use_page_cache(env, config, files, _root(config))
    return env


def on_page_context(context, page, config, nav):
    if page.file.src_uri in STATE.get("page_hits", {}):
        STATE.setdefault("page_contexts", {})[page.file.src_uri] = context  # (for a damaged entry)
    return context


@event_priority(-100)  # the page as written: after every other hook
def on_post_page(output: str, page, config) -> str:
    return cached_page(output, page)


def on_post_build(config) -> None:
    view: View = STATE["view"]
    site_dir = Path(config["site_dir"])
    job = STATE.pop("index_job")
    cache: RenderCache | None = STATE.pop("render_cache", None)
    rendered = {}
    if cache is not None:  # (serve renders only the changed pages: keep the others' entries)
        rendered = {"render_cache_hits": cache.hits, "render_cache_misses": cache.misses}
        cache.close(prune=not STATE.get("serving"))
    built: PageCache | None = STATE.pop("page_cache", None)
    if built is not None:
        rendered |= {"page_cache_hits": built.hits, "page_cache_misses": built.misses}
        built.close(prune=not STATE.get("serving"))
    for name in ("page_hits", "page_keys", "page_contexts", "env", "nav"):
        STATE.pop(name, None)
    markdown_render.forget()

    def finish() -> None:
        count = job.finish(site_dir)
        item_pages = sum(1 for item_id in view.items if (site_dir / item_id / "index.html").is_file())
        manifest = {"items": len(view.items), "item_pages": item_pages, "records": count,
                    "search_shards": job.shards, "search_shards_reused": job.reused,
                    "internal_left_out": len(view.lib.items) - len(view.items) if view.public else 0,
                    "public": view.public, **rendered}
        (site_dir / "casebook-build.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    if STATE.get("serving"):
        # live preview: show the edited page now; the search index follows a moment later
        def finish_then_collect() -> None:
            try:
                finish()
            finally:
                collect_when_idle()

        threading.Thread(target=finish_then_collect, daemon=True).start()
    else:
        finish()


def on_build_error(error, **kwargs) -> None:
    markdown_render.forget()
    for name in ("render_cache", "page_cache"):
        cache = STATE.pop(name, None)
        if cache is not None:
            cache.close(prune=False)
    job = STATE.pop("index_job", None)
    if job is not None:
        job.cancel()
    if STATE.get("serving"):
        collect_when_idle()  # (a rebuild paused the collector)


def on_serve(server, config, builder):
    native_watcher(server)
    root = _root(config)
    for folder in ("cases", "outlets"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
