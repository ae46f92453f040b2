"""A cache of whole built pages across builds: the theme's HTML for a page, keyed by everything
the theme reads to make it.

Once Markdown comes from the render cache (render_cache.py), the theme's templates are the
largest cost of a rebuild (Material's base.html: ~2 ms a page, 3 s at 1,000 items) although
almost every page comes out the same as last time. The key of a page is what its template reads
of it — address, title, metadata, table of contents, the HTML of its content (sanitised and
filled), previous/next page, ancestors — and a salt of what every page reads: the theme's
template files (hashed, so an edited override or an upgraded Material misses), the versions of
the renderers, the configuration the theme shows (site name, extra, CSS and scripts, theme
options) and the navigation (every title and address in it). Change any of them and the page is
rendered afresh.

Safety. Like the render cache: in the user's cache folder (never in the library tree), zlib-
compressed text only (nothing in it is unpickled or run), dropped when unused by a build. The
content that goes into a key has passed the sanitiser; a page whose content changed misses.
The cache is trusted like `.venv`: whoever can write the user's cache folder can change the
site anyway.

Pure of MkDocs: hooks.py reads the page and the configuration and hands plain values here.
"""
from __future__ import annotations

import hashlib
import json
import os
import queue
import sqlite3
import threading
import zlib
from pathlib import Path

from .render_cache import cache_root, close_store

SCHEMA = "create table if not exists built (key text primary key, html blob)"


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True).encode()).hexdigest()


def template_hash(folders: list[Path], fixed: dict[Path, str] | None = None) -> str:
    """Every template file of the theme, by path and content (its assets, thousands of files
    that no template reads, are skipped). `fixed` (serve) keeps the hash of folders that cannot
    change while the process runs, those inside the installed packages: the walk of Material's
    14,500 files took 0.07 s of every rebuild."""
    h = hashlib.sha256()
    for folder in folders:
        one = fixed.get(folder) if fixed is not None else None
        if one is None:
            one = _folder_hash(folder)
            if fixed is not None and installed(folder):
                fixed[folder] = one
        h.update(one.encode() + b"\0")
    return h.hexdigest()


def _folder_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "assets")
        for name in sorted(names):
            if name.endswith((".html", ".xml", ".j2", ".jinja")):
                path = Path(here, name)
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def installed(folder: Path | str) -> bool:
    """Inside the installed packages (site-packages): unchanging while a process runs."""
    import sysconfig

    paths = sysconfig.get_paths()
    return any(Path(folder).resolve().is_relative_to(Path(paths[k]).resolve()) for k in ("purelib", "platlib"))


class PageCache:
    """Get a built page by key; put new ones from a writer thread (zlib and SQLite release the
    interpreter while they compress and write, so a first build barely waits for them)."""

    def __init__(self, path: Path, salt: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.execute(SCHEMA)
        self.salt = salt
        self.used: set[str] = set()
        self.hits = self.misses = 0
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    @classmethod
    def for_library(cls, root: Path, salt: str, variant: str) -> "PageCache | None":
        base = cache_root()
        if base is None:
            return None
        name = hashlib.sha256(f"{root.resolve()}\0{variant}".encode()).hexdigest()[:16] + ".sqlite3"
        try:
            return cls(base / "pages" / name, salt)
        except (OSError, sqlite3.Error):
            return None

    def key(self, *page_parts: object) -> str:
        return digest(self.salt, *page_parts)

    def keys(self) -> set[str]:
        with self._lock:
            return {k for (k,) in self.db.execute("select key from built")}

    def get(self, key: str) -> str | None:
        self.used.add(key)
        with self._lock:
            row = self.db.execute("select html from built where key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            html = zlib.decompress(row[0]).decode("utf-8")
        except (zlib.error, UnicodeDecodeError, TypeError):
            return None
        self.hits += 1
        return html

    def put(self, key: str, html: str) -> None:
        """A page rendered afresh (a miss: not in the cache, or its entry unreadable)."""
        self.used.add(key)
        self.misses += 1
        self._queue.put((key, html))

    def _write(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            key, html = job
            blob = zlib.compress(html.encode("utf-8"), 3)
            with self._lock:
                self.db.execute("insert or replace into built values (?, ?)", (key, blob))

    def close(self, prune: bool) -> None:
        """Finish writing and commit; with prune, keep only the pages this build used."""
        self._queue.put(None)
        self._writer.join()
        close_store(self.db, "built", self.used if prune else None)
