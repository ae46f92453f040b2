"""What `casebook serve` keeps from one rebuild to the next, in one object (the plugin's `preview`).

- pages: each generated page is staged as a file, rewritten only when its text changed; MkDocs'
  own dirty build then skips a page older than its HTML, so an edit rebuilds the pages it
  changed (and the nav pages, always), through MkDocs' public API alone.
- page_memo: pages and list rows of unchanged items (page_memo.py); load_memo: the library's
  unchanged files (core.library.LoadMemo); search_seen: the search records of unchanged items.
- status: a failed rebuild is shown in the browser page, in Chinese, with the problems
  (assets/casebook/preview.js polls it); the next good rebuild clears it.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..core.library import LoadMemo
from .page_memo import PageMemo
from .search_cache import SeenRecords

STATUS_FILE = "casebook-preview.json"


class Preview:
    def __init__(self) -> None:
        self.staging = Path(tempfile.mkdtemp(prefix="casebook-preview-"))
        self.page_memo = PageMemo()
        self.load_memo = LoadMemo()
        self.search_seen = SeenRecords()
        self.hashes: dict[str, str] = {}
        self._setting = ""
        self.last_library = None  # the last library without errors (shown while the next has some)

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
            self.hashes.clear()

    def stage(self, src_uri: str, markdown: str, slots: dict[str, str], always: bool = False) -> Path:
        """The staged file of a generated page: written again only when the page changed."""
        digest = hashlib.sha256((markdown + "\0" + repr(sorted(slots.items()))).encode()).hexdigest()
        path = self.staging / src_uri
        if always or self.hashes.get(src_uri) != digest or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
            self.hashes[src_uri] = digest
        return path

    def forget_missing(self, current: set[str], built_path: Callable[[str], str]) -> None:
        """Pages gone from the library (an item deleted or made internal) leave the preview too
        (`built_path`: where the engine wrote a page's HTML)."""
        for src_uri in set(self.hashes) - current:
            del self.hashes[src_uri]
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
        """(in a thread) the search index of the rebuild, after its pages are shown."""
        finish()

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

