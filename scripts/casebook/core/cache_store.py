"""Where casebook's caches live, and what every key starts from.

The caches: each item's check result (core/check_cache.py), the site's rendered pages
(site/render_cache.py), each item's search record and each shard's Pagefind bundle
(site/search_cache.py). A cache may never change the output, so every key starts from
`code_digest()`: casebook's own source and templates byte for byte, the installed versions of
every package that reads the library or turns it into the site, and Python's version — a
`git pull` of a newer casebook, an edited tokenizer or an upgraded Pagefind starts afresh,
without a version number to remember. What a key adds is the entry's own input, whole (each
cache's module says which).

Safety: the caches live in the user's cache folder, never in the library tree; they hold text
and Pagefind's own files only (nothing is unpickled or run); each build drops what it did not use.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .project import PACKAGE, TEMPLATES

RENDERERS = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "nh3", "pagefind", "pagefind-bin-extended", "pyyaml",
             "pydantic", "pydantic-core", "regex", "pillow")  # (the last four: what the checker reads with)


def cache_root() -> Path | None:
    """The folder of casebook's build caches; None when switched off (CASEBOOK_RENDER_CACHE=0:
    every build starts cold)."""
    if os.environ.get("CASEBOOK_RENDER_CACHE", "1") == "0":
        return None
    base = os.environ.get("CASEBOOK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "casebook"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """casebook's source and templates, the renderers' and readers' installed versions and
    Python's, as one hash."""
    digest = hashlib.sha256(sys.version.encode())
    for folder in (PACKAGE, TEMPLATES):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"\0{path.relative_to(folder.parent).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for name in RENDERERS:
        try:
            digest.update(f"\0{name}={version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{name}=-".encode())
    return digest.hexdigest()


def close_store(db: sqlite3.Connection, table: str, keep: set[str] | None) -> None:
    """Commit and close a cache file; with `keep`, first drop every entry of `table` not in it
    (the caches keep one build's worth)."""
    try:
        if keep:
            db.execute("create temp table used (key text primary key)")
            db.executemany("insert into used values (?)", ((k,) for k in keep))
            db.execute(f"delete from {table} where key not in (select key from used)")
        db.commit()
    finally:
        db.close()


def library_key(root: Path, public: bool) -> str:
    """One library's caches apart from another's, and its public build's from its internal one."""
    return hashlib.sha256(f"{Path(root).resolve()}\0{'public' if public else 'internal'}".encode()).hexdigest()[:16]


class JsonStore:
    """One library's entries of one kind by key, as JSON text in SQLite (nothing unpickled or
    run); a kind says its folder, file suffix and table, and what a valid entry is (`valid`)."""

    FOLDER = SUFFIX = TABLE = ""
    COLUMN = "entry"  # (the records table has called it "sections" since before this class)

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute(f"create table if not exists {self.TABLE} (key text primary key, {self.COLUMN} text)")
        self.used: set[str] = set()
        self.hits = self.misses = 0

    @classmethod
    def open(cls, root: Path, public: bool):
        """The store of this library, or None with no cache folder (or an unusable one)."""
        base = cache_root()
        if base is None:
            return None
        try:
            return cls(base / cls.FOLDER / f"{library_key(root, public)}{cls.SUFFIX}")
        except (OSError, sqlite3.Error):
            return None

    @staticmethod
    def valid(entry) -> bool:
        return True

    def get(self, key: str):
        self.used.add(key)
        try:
            row = self.db.execute(f"select {self.COLUMN} from {self.TABLE} where key = ?", (key,)).fetchone()
            entry = json.loads(row[0]) if row else None
        except (sqlite3.Error, TypeError, ValueError):  # (a damaged or tampered file: as if empty)
            entry = None
        if entry is None or not self.valid(entry):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry) -> None:
        self.put_text(key, json.dumps(entry, ensure_ascii=False))

    def put_text(self, key: str, text: str) -> None:
        """An entry already written as JSON text (by a worker process: check_cache.entry_text)."""
        self.used.add(key)
        try:
            self.db.execute(f"insert or replace into {self.TABLE} values (?, ?)", (key, text))
        except sqlite3.Error:
            pass  # (a full disk costs speed only)

    def close(self, prune: bool = True) -> None:
        try:
            close_store(self.db, self.TABLE, self.used if prune else None)
        except sqlite3.Error:
            pass  # (a damaged file or a full disk: the next run starts cold)
