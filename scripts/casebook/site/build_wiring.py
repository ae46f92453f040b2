"""The build caches' and the preview's wiring into MkDocs, called from hooks.py (which stays the
one module MkDocs loads): Jinja's bytecode cache, the page cache (page_cache.py) around the
theme's templates, and the preview's file watcher. Only duck-typed MkDocs objects pass through
here; nothing imports MkDocs itself.
"""
from __future__ import annotations

import os
from pathlib import Path

from casebook.site.page_cache import PageCache, digest, template_hash
from casebook.site.render_cache import cache_root, toc_tokens
from casebook.site.state import STATE


def compiled_templates(env) -> None:
    """MkDocs makes a new Jinja environment per build, compiling Material's templates again
    (0.4 s, every serve rebuild). Jinja's own bytecode cache keeps them, keyed by each
    template's source checksum, beside casebook's other caches (like Python's __pycache__)."""
    from jinja2 import FileSystemBytecodeCache

    env.auto_reload = False  # a build makes its own environment: no stat of every template per page
    base = cache_root()
    if base is None or env.bytecode_cache is not None:
        return
    try:
        (base / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = FileSystemBytecodeCache(str(base / "jinja"))


CACHED_TEMPLATE = "casebook-cached.html"  # renders nothing: on_post_page puts the cached page there


def use_page_cache(env, config, files, root: Path) -> None:
    """Pages whose built HTML is in the page cache (page_cache.py) skip the theme's templates:
    every page is rendered by now, so each key can be made from the page's final content."""
    from importlib.metadata import version

    from jinja2 import TemplateNotFound

    if STATE.get("page_cache") is not None:
        STATE.pop("page_cache").close(prune=False)
    STATE["page_hits"], STATE["page_keys"] = {}, {}
    try:
        env.get_template(CACHED_TEMPLATE)
    except TemplateNotFound:  # a library's own theme folder without it: build without the cache
        return
    theme = config["theme"]
    shown = {name: config.get(name) for name in ("site_name", "site_url", "site_description", "site_author", "copyright",
                                                 "repo_url", "repo_name", "edit_uri", "use_directory_urls", "extra",
                                                 "extra_css", "extra_javascript", "nav")}
    nav = STATE.get("nav")
    nav_sig = _nav_signature(nav.items) if nav is not None else None
    versions = [version(name) for name in ("casebook", "mkdocs", "mkdocs-material", "jinja2")]
    cache = PageCache.for_library(root, digest(
        versions, template_hash([Path(d) for d in theme.dirs]), dict(theme), theme.name, shown, nav_sig,
        STATE.get("public")), "public" if STATE.get("public") else "internal")
    if cache is None:
        return
    STATE["page_cache"] = cache
    stored = cache.keys()
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is None:
            continue  # (serve: a page not rebuilt)
        key = cache.key(_page_signature(page))
        STATE["page_keys"][file.src_uri] = key
        if key in stored:
            STATE["page_hits"][file.src_uri] = page.meta.get("template")
            page.meta["template"] = CACHED_TEMPLATE


def _nav_signature(items) -> list:
    return [(type(i).__name__, i.title, getattr(i, "url", None), _nav_signature(getattr(i, "children", None) or []))
            for i in items]


def _page_signature(page) -> tuple:
    """What the theme's templates read of a page."""
    def near(p):
        return None if p is None else (p.url, p.title)

    return (page.file.src_uri, page.url, page.title, page.meta, page.content, toc_tokens(page.toc),
            page.canonical_url, page.edit_url, page.is_homepage, near(page.previous_page), near(page.next_page),
            [(a.title, getattr(a, "url", None)) for a in page.ancestors])


def cached_page(output: str, page) -> str:
    """on_post_page: a page that rendered nothing takes its cached HTML; a page rendered afresh
    is kept for the next build."""
    cache: PageCache | None = STATE.get("page_cache")
    src = page.file.src_uri
    if cache is None or src not in STATE.get("page_keys", {}):
        return output
    key = STATE["page_keys"].pop(src)
    if src in STATE["page_hits"]:
        template = STATE["page_hits"].pop(src)
        context = STATE.get("page_contexts", {}).pop(src, None)
        if template is None:
            page.meta.pop("template", None)
        else:
            page.meta["template"] = template
        cached = cache.get(key)
        if cached is not None:
            return cached
        output = STATE["env"].get_template(template or "main.html").render(context)  # damaged: render it now
    cache.put(key, output)
    return output


def native_watcher(server) -> None:
    """MkDocs polls every watched file twice a second: at 5,000 items each poll stats the whole
    library (CPU taken from the rebuild) and an edit waits up to half a second to be seen. The
    operating system's notifications (inotify on Linux) report it at once. CASEBOOK_SERVE_POLL=1
    keeps polling (network drives send no notifications)."""
    if os.environ.get("CASEBOOK_SERVE_POLL") == "1":
        return
    try:
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        if Observer is PollingObserver or server.observer.is_alive():
            return
        watched = list(server._watched_paths)
        native = Observer()
        server._watched_paths.clear()
        server._watch_refs.clear()
        server.observer = native
        for path in watched:
            server.watch(path)
    except (AttributeError, ImportError, OSError):  # another MkDocs or no inotify: keep polling
        return
