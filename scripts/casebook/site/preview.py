"""What `casebook serve` keeps from one rebuild to the next, in one object (the plugin's `preview`).

- pages: each generated page is staged as a file, rewritten only when its text changed (or the
  「按岗位」 menu every page shows changed). A page not staged anew is handed to MkDocs as an
  excluded file (InclusionLevel.EXCLUDED: links to it resolve, it is never built), so MkDocs'
  per-page work covers only the pages an edit changed; nav pages are never excluded, and MkDocs'
  own dirty build skips those older than their HTML. After a failed rebuild nothing is excluded
  and the dirty build alone decides. All through MkDocs' public API.
- page_memo: pages and list rows of unchanged items (page_memo.py); load_memo: the library's
  unchanged files (core.library.LoadMemo); index: the search index, one shard re-indexed after
  an edit (preview_index.py).
- templates: Jinja's compiled theme templates (a new environment each rebuild would compile all
  thirty again: half a second a rebuild); config_digest: the render cache's digest of the config.
- the garbage collector: paused while a rebuild runs (after the first); after each rebuild, the
  objects that survive a collection are frozen.
- status: a failed rebuild is shown in the browser page, in Chinese, with the problems
  (assets/casebook/preview.js polls it); the next good rebuild clears it.
"""
from __future__ import annotations

import gc
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..core.library import LoadMemo
from ..core.proc import stale, temp_prefix
from .page_memo import PageMemo
from .preview_index import PreviewIndex
from .template_code import TemplateCode

STATUS_FILE = "casebook-preview.json"


def preview_site_url(site_url: str | None) -> str | None:
    """The preview's site address: none when it is served at the root. MkDocs then makes no
    canonical address for each page (urljoin for every one of 5,000 pages: 0.7 s a rebuild);
    the preview's pages have no address of their own anyway (no QR codes, no sitemap). A
    site_url with a path stays: MkDocs serves the preview under that path."""
    from urllib.parse import urlsplit

    return None if urlsplit(site_url or "/").path in ("", "/") else site_url


def nav_titled(nav) -> bool:
    """Every page entry of mkdocs.yml's nav has its title there (`- 标题: page.md`)."""
    if nav is None:
        return False
    for entry in nav:
        if not isinstance(entry, dict) or len(entry) != 1:
            return False
        value = next(iter(entry.values()))
        if isinstance(value, list) and not nav_titled(value):
            return False
    return True


def nav_sources(nav) -> set[str]:
    """Every page named in mkdocs.yml's nav (a preview never excludes one: its nav entry would
    turn into a link; and rebuilds it every time unless the nav titles it, nav_titled)."""
    out: set[str] = set()
    for entry in nav or []:
        value = next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else entry
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, list):
            out |= nav_sources(value)
    return out


class Preview:
    def __init__(self) -> None:
        for leftover in stale(Path(tempfile.gettempdir()), "casebook-preview-"):  # (a preview killed outright)
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(prefix=temp_prefix("casebook-preview-")))
        self._staging = str(self.staging)
        self.page_memo = PageMemo()
        self.load_memo = LoadMemo()
        self.index = PreviewIndex(self.staging / ".search-index")  # (no page's source starts with a dot)
        self.templates = TemplateCode()
        self.pages: dict[str, tuple[str, dict[str, str]]] = {}  # each staged page's text and slots
        self.changed: set[str] = set()  # the pages staged anew in this rebuild
        self.settled = False  # the last rebuild wrote every page it staged (not so before the first)
        self._setting = ""
        self._menu: list[dict[str, str]] | None = None
        self._config_digest: tuple[tuple, str] | None = None
        self.last_library = None  # the last library without errors (shown while the next has some)
        self.served: tuple[Path, str | None] | None = None  # the library and its theme folder, once MkDocs serves it (on_serve)

    def setting(self, config) -> None:
        """What every page's HTML depends on besides its own text: mkdocs.yml and the library's own
        theme folders (installed packages do not change while the preview runs). When it changed,
        every page is staged again, so every page is rebuilt."""
        digest = hashlib.sha256()
        config_file = config.get("config_file_path")
        if config_file and Path(config_file).is_file():
            digest.update(Path(config_file).read_bytes())
        for folder in config["theme"].dirs:
            if "site-packages" in Path(folder).parts or not Path(folder).is_dir():
                continue
            for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
                digest.update(f"\0{path}\0".encode() + path.read_bytes())
        if digest.hexdigest() != self._setting:
            self._setting = digest.hexdigest()
            self.pages.clear()
            self.templates.clear()

    def config_digest(self, config, digest: Callable, installed: Callable[[], list[str]]) -> str:
        """`digest(config)` (render_cache.config_digest: the whole resolved config, the theme's
        files), made again only when what the preview's config is loaded from changed (setting())
        or any installed package did (`installed()`: their versions, cheap to list)."""
        key = (self._setting, tuple(installed()))
        if self._config_digest is None or self._config_digest[0] != key:
            self._config_digest = (key, digest(config))
        return self._config_digest[1]

    def shown_everywhere(self, menu: list[dict[str, str]]) -> None:
        """What every page shows of the library besides its own text: the 「按岗位」 menu (a role's
        first item adds a role page to it). When it changed, every page is staged again."""
        if menu != self._menu:
            self._menu = menu
            self.pages.clear()

    def staged(self, src_uri: str) -> str:
        # (a string: joining 6,000 pathlib paths twice a rebuild cost a tenth of a second)
        return f"{self._staging}/{src_uri}"

    def stage(self, src_uri: str, markdown: str, slots: dict[str, str], always: bool = False) -> None:
        """The staged file of a generated page: written again only when the page changed (its
        text and slots compared with the last ones: an unchanged item's page is the very same
        strings, page_memo.py, so the comparison costs nothing)."""
        if always or self.pages.get(src_uri) != (markdown, slots):  # (the folder is the preview's own)
            path = self.staging / src_uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
            self.pages[src_uri] = (markdown, slots)
            self.changed.add(src_uri)

    def standing(self, src_uri: str) -> bool:
        """The page's HTML from the last rebuild is what this one would write: its text was not
        staged again, and the last rebuild wrote every page it staged. The engine is then not
        even handed the page (at 5,000 items, its per-page work on the pages it would skip took
        longer than rendering the edited ones). After a failed rebuild, nothing stands: the
        engine's own dirty build decides, by modification time."""
        return self.settled and src_uri not in self.changed

    def begin(self) -> None:
        """A rebuild starts. Python's automatic garbage collection waits until it is over: what
        a rebuild makes lives until its end, and a full collection in the middle of it walked
        every object made since the last freeze (after_build collects, then freezes)."""
        self.changed.clear()
        if self.settled:  # (not on the first build of the whole site: its garbage is collected as it goes)
            gc.disable()

    def end(self, written: bool) -> None:
        """The rebuild is over: its pages written (or not: a failure)."""
        self.settled = written
        gc.enable()

    def forget_missing(self, current: set[str], built_path: Callable[[str], str]) -> None:
        """Pages gone from the library (an item deleted or made internal) leave the preview too
        (`built_path`: where the engine wrote a page's HTML)."""
        for src_uri in set(self.pages) - current:
            del self.pages[src_uri]
            (self.staging / src_uri).unlink(missing_ok=True)
            built = Path(built_path(src_uri))
            built.unlink(missing_ok=True)
            try:
                built.parent.rmdir()  # (only when empty)
            except OSError:
                pass

    def failed(self, lines: list[str], site_dir: Path) -> None:
        self._status(site_dir, {"ok": False, "problems": lines[:50], "count": len(lines)})

    def succeeded(self, site_dir: Path) -> None:
        self._status(site_dir, {"ok": True})

    def _status(self, site_dir: Path, status: dict) -> None:
        site_dir.mkdir(parents=True, exist_ok=True)
        tmp = site_dir / f".{STATUS_FILE}.tmp"
        tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        tmp.replace(site_dir / STATUS_FILE)

    def after_build(self, finish) -> None:
        """(in a thread) the search index of the rebuild, after its pages are shown; then one
        full garbage collection, and what survives it is frozen (gc.freeze), so the next
        rebuild's collections skip the library: at 5,000 items they took 2.5 s of a rebuild on a
        busy machine. (Unfrozen and collected again after each rebuild: nothing piles up.)"""
        try:
            finish()
        finally:
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def close(self) -> None:
        gc.enable()
        gc.unfreeze()
        shutil.rmtree(self.staging, ignore_errors=True)

