"""The build caches' and the preview's wiring into MkDocs, called from hooks.py (which stays the
one module MkDocs loads): Jinja's bytecode cache, the page cache (page_cache.py) around the
theme's templates, and the preview's file watcher. Only duck-typed MkDocs objects pass through
here; nothing imports MkDocs itself.
"""
from __future__ import annotations

import gc
import os
import threading
import time
from pathlib import Path

from casebook.site.page_cache import PageCache, digest, installed, template_hash
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


_TEMPLATE_HASHES: dict[Path, str] = {}  # (serve) page_cache.template_hash of installed theme folders
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
        versions, template_hash([Path(d) for d in theme.dirs], _TEMPLATE_HASHES if STATE.get("serving") else None),
        dict(theme), theme.name, shown, nav_sig,
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


# what a change is: watchdog's inotify observer also reports files merely opened and read
# ("opened", "closed_no_write"), and every rebuild reads docs/ and the templates: counted as
# changes, each rebuild would start the next, for ever
CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})


def native_watcher(server) -> None:
    """MkDocs polls every watched file twice a second: at 5,000 items each poll stats the whole
    library (CPU taken from the rebuild) and an edit waits up to half a second to be seen. The
    operating system's notifications (inotify on Linux) report it at once; only changes start a
    rebuild (CHANGES). CASEBOOK_SERVE_POLL=1 keeps polling (network drives send no notifications)."""
    if os.environ.get("CASEBOOK_SERVE_POLL") == "1":
        return
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        if Observer is PollingObserver or server.observer.is_alive():
            return

        class ChangesOnly(Observer):
            def schedule(self, event_handler, path, recursive=False, **options):
                class Forward(FileSystemEventHandler):
                    def dispatch(self, event):
                        if event.event_type in CHANGES:
                            event_handler.dispatch(event)

                return super().schedule(Forward(), path, recursive=recursive, **options)

        watched = list(server._watched_paths)
        native = ChangesOnly()
        server._watched_paths.clear()
        server._watch_refs.clear()
        server.observer = native
        for path in watched:
            server.watch(path)
    except (AttributeError, ImportError, OSError):  # another MkDocs or no inotify: keep polling
        return


# (serve) the theme's files in folders of installed packages, by (folder, filter, static templates)
_THEME_FILES: dict[tuple, list[str]] = {}


def remembered_theme_files(theme) -> None:
    """serve: every rebuild, MkDocs lists the theme's files to copy its assets (14,500 in
    Material's folder, its icons) and matches each against a dozen patterns: 0.2 s of every
    rebuild, whatever the library's size. A folder inside the installed packages does not change
    while the preview runs, so its filtered listing is kept; the library's own theme folder
    (templates/site/) is listed afresh each time."""
    from jinja2 import FileSystemLoader

    get_env = theme.get_env

    def env_with_listing():
        env = get_env()
        folders = list(getattr(env.loader, "searchpath", []))
        plain = env.list_templates

        def list_templates(extensions=None, filter_func=None):
            if extensions is not None or filter_func is None or not folders:
                return plain(extensions, filter_func)
            out: set[str] = set()
            for folder in folders:
                fixed = installed(folder)
                key = (folder, filter_func.__code__, tuple(sorted(theme.static_templates)))
                names = _THEME_FILES.get(key) if fixed else None
                if names is None:
                    names = [n for n in FileSystemLoader(folder).list_templates() if filter_func(n)]
                    if fixed:
                        _THEME_FILES[key] = names
                out.update(names)
            return sorted(out)

        env.list_templates = list_templates
        return env

    theme.get_env = env_with_listing


def pause_collector() -> None:
    """serve, from the second build on: no garbage collection while a rebuild runs. A full
    collection walks every object of a 5,000-item library (0.3 s, a third of a rebuild), and a
    rebuild of a few pages leaves little garbage; collect_when_idle clears it after."""
    timer = STATE.pop("gc_timer", None)
    if timer is not None:
        timer.cancel()
    gc.disable()


def collect_when_idle(delay: float = 0.5) -> None:
    """serve, once a rebuild's search index is in place too: after `delay` seconds more of quiet,
    collect the garbage and freeze what survives (gc.freeze: the collections of later rebuilds
    skip the library), then let the collector run again."""
    def tidy() -> None:
        started = time.perf_counter()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        gc.enable()
        STATE["gc_seconds"] = time.perf_counter() - started

    timer = threading.Timer(delay, tidy)
    timer.daemon = True
    STATE["gc_timer"] = timer
    timer.start()
