"""A cache of rendered Markdown across builds: the page's HTML, table of contents and title,
keyed by a hash of everything the rendering reads.

Rendering Markdown is the largest single cost of a build (13 of 33 s of MkDocs' CPU at 5,000
items), and between two builds of a library almost every page is unchanged. The key is the
page's Markdown (after casebook's own hooks), its path, and a salt made of the Markdown
configuration, the versions of the renderers and casebook, and the list of the site's pages
(relative links are resolved against it): change any of them and the page renders afresh.

Safety. The cache lives outside the library (the user's cache folder, never in a pull request's
tree), holds JSON and text only (no pickle: nothing in it can run), and what it returns still
passes through on_page_content's sanitiser like freshly rendered HTML. Entries a build did not
use are dropped at its end, so the file holds one site's worth of pages.

Pure of MkDocs: hooks.py wires it to Page.render.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

SCHEMA = "create table if not exists pages (key text primary key, content text, toc text, title text, anchors text)"


def cache_root() -> Path | None:
    """Where casebook's build caches live (this one and search_cache.py's); None when switched
    off (CASEBOOK_RENDER_CACHE=0: every build starts cold)."""
    if os.environ.get("CASEBOOK_RENDER_CACHE", "1") == "0":
        return None
    base = os.environ.get("CASEBOOK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "casebook"


def cache_folder() -> Path | None:
    root = cache_root()
    return None if root is None else root / "render"


def salt(*parts: object) -> str:
    return hashlib.sha256(json.dumps([repr(p) for p in parts], ensure_ascii=False).encode()).hexdigest()


class RenderCache:
    def __init__(self, path: Path, salt_: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute(SCHEMA)
        self.salt = salt_
        self.used: set[str] = set()
        self.hits = self.misses = 0

    @classmethod
    def for_library(cls, root: Path, salt_: str, variant: str = "") -> "RenderCache | None":
        """One file per library and variant (the public and the internal build keep their own:
        each build drops the entries it did not use)."""
        folder = cache_folder()
        if folder is None:
            return None
        name = hashlib.sha256(f"{root.resolve()}\0{variant}".encode()).hexdigest()[:16] + ".sqlite3"
        try:
            return cls(folder / name, salt_)
        except (OSError, sqlite3.Error):
            return None  # a read-only home: build without the cache

    def key(self, src_uri: str, markdown: str) -> str:
        return hashlib.sha256(f"{self.salt}\0{src_uri}\0{markdown}".encode()).hexdigest()

    def get(self, key: str) -> tuple[str, list, str | None, set[str]] | None:
        row = self.db.execute("select content, toc, title, anchors from pages where key = ?", (key,)).fetchone()
        self.used.add(key)
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        content, toc, title, anchors = row
        return content, json.loads(toc), title, set(json.loads(anchors))

    def put(self, key: str, content: str, toc: list, title: str | None, anchors: set[str]) -> None:
        self.db.execute("insert or replace into pages values (?, ?, ?, ?, ?)",
                        (key, content, json.dumps(toc, ensure_ascii=False), title,
                         json.dumps(sorted(anchors), ensure_ascii=False)))

    def close(self, prune: bool) -> None:
        """Commit; with prune, keep only the entries this build used."""
        close_store(self.db, "pages", self.used if prune else None)


def close_store(db: sqlite3.Connection, table: str, keep: set[str] | None) -> None:
    """Commit and close a cache file; with `keep`, first drop every entry of `table` not in it
    (the caches keep one build's worth). (Used by page_cache.py and search_cache.py too.)"""
    try:
        if keep:
            db.execute("create temp table used (key text primary key)")
            db.executemany("insert into used values (?)", ((k,) for k in keep))
            db.execute(f"delete from {table} where key not in (select key from used)")
        db.commit()
    finally:
        db.close()


def toc_tokens(links) -> list[dict]:
    """A rendered table of contents back to the tokens MkDocs builds it from (get_toc)."""
    return [{"name": a.title, "id": a.id, "level": a.level, "children": toc_tokens(a.children)} for a in links]
