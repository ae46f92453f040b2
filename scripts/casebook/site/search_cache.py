"""What the search index keeps across builds: each item's record, and each shard's Pagefind bundle.

Pagefind is the largest cost of a warm build: it indexes every record again although almost none changed. Two caches, both keyed by content:

- records: an item's index tokens (character pairs and word groups: the slow part of a record)
  by a hash of the text they are made from and of the word groups. JSON text in SQLite.
- bundles: a shard's Pagefind output by a hash of its records' pages and of the Pagefind that
  made it (engine_version).
  A shard whose records are all unchanged is copied from the cache instead of indexed, so a
  rebuild after one edit re-indexes one shard, and a rebuild with no edit none.

Both keys start from cache_store.code_digest() (casebook's code and templates, the renderers'
versions). The caches live in the user's cache folder, never in the library tree, hold text
and Pagefind's own files only (nothing is unpickled or run), and are written whole (a folder renamed into place) so a killed build leaves no half
bundle. Each library keeps only what its last build used.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from ..core.proc import stale, temp_prefix
from ..core.cache_store import JsonStore, cache_root, code_digest, library_key

_DONE = ".complete"  # written last into a cached bundle: a folder without it is not used


class RecordCache(JsonStore):
    """Index tokens of records, by a hash of what they are made from (in the indexer's process)."""

    FOLDER, SUFFIX, TABLE, COLUMN = "search", ".records.sqlite3", "records", "sections"

    @staticmethod
    def key(salt: str, parts: dict[str, str]) -> str:
        return hashlib.sha256(json.dumps([salt, parts], ensure_ascii=False).encode()).hexdigest()

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values())


def shard_key(pages: dict[str, str], engine: str) -> str:
    """A shard's key: casebook's code and the renderers' versions (code_digest), its record pages
    (url → a hash of the page) and the indexer's version."""
    digest = hashlib.sha256(f"{code_digest()}\0{engine}".encode())
    for url in sorted(pages):
        digest.update(f"\0{url}\0{pages[url]}".encode())
    return digest.hexdigest()


class BundleCache:
    """Pagefind bundles of one library's shards, one folder per shard key."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.hits = self.misses = 0

    @classmethod
    def open(cls, root: Path, public: bool) -> "BundleCache | None":
        base = cache_root()
        if base is None:
            return None
        folder = base / "search" / library_key(root, public)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return cls(folder)

    def has(self, key: str) -> bool:
        return (self.folder / key / _DONE).is_file()

    def empty(self) -> bool:
        """No bundle kept (the library's first build, or its cache cleared)."""
        try:
            return not any((folder / _DONE).is_file() for folder in self.folder.iterdir())
        except OSError:
            return True

    def fetch(self, key: str, out: Path) -> int | None:
        """Copy the bundle cached under `key` to `out` (which must not exist) and return the
        number of pages Pagefind reported when it made it; None if there is none."""
        self.used.add(key)
        cached = self.folder / key
        try:
            count = int((cached / _DONE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        try:
            shutil.copytree(cached, out, ignore=shutil.ignore_patterns(_DONE))
        except OSError:  # pruned meanwhile by another build of the same library: index afresh
            shutil.rmtree(out, ignore_errors=True)
            self.misses += 1
            return None
        self.hits += 1
        return count

    def store(self, key: str, bundle: Path, count: int) -> None:
        """Keep a copy of a freshly made bundle and the page count Pagefind reported for it
        (best effort: a full disk only costs speed)."""
        self.used.add(key)
        target = self.folder / key
        if target.exists():
            return
        for leftover in stale(self.folder, ".new-"):
            shutil.rmtree(leftover, ignore_errors=True)
        tmp = self.folder / f"{temp_prefix('.new-')}{key[:12]}"
        try:
            shutil.copytree(bundle, tmp)
            (tmp / _DONE).write_text(str(count), encoding="utf-8")
            tmp.rename(target)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)

    def prune(self) -> None:
        """Keep the bundles of this build only."""
        for child in self.folder.iterdir():
            if child.is_dir() and child.name not in self.used and not child.name.startswith("."):
                shutil.rmtree(child, ignore_errors=True)


def engine_version(binary: Path) -> str:
    """What the bundles depend on besides the records: the Pagefind that makes them. pip's own
    binary is named by its package's version (the bundle's name in the site then stays the same
    from one machine to another); any other (PAGEFIND_BINARY_PATH, one found on PATH) by what it
    says its version is and a hash of its bytes (a launcher script that stays the same across
    upgrades still says the version it runs), so a bundle another binary made is never taken for
    this one's. (Hashing 59 MB: 0.05 s from the page cache, once a job.)"""
    if _pip_binary() == os.path.realpath(binary):
        try:
            from importlib.metadata import version

            return f"pagefind {version('pagefind-bin-extended')}"
        except Exception:  # (its metadata gone: the binary is keyed like any other)
            pass
    try:
        said = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        said = "?"  # (Pagefind itself then fails, and says why)
    with open(binary, "rb") as f:
        return f"{said} sha256:{hashlib.file_digest(f, 'sha256').hexdigest()}"


def _pip_binary() -> str | None:
    try:
        from pagefind_bin_extended import get_executable

        return os.path.realpath(get_executable())
    except Exception:  # (not installed, or its binary missing: PAGEFIND_BINARY_PATH may name another)
        return None


class SeenRecords:
    """`casebook serve`: each record's page hash and size from the last index job, held by the
    very Item it was made from (a rebuild's unchanged files keep their Item objects), so the next
    job makes records only for the edited items (5,000 records took 0.7 s a rebuild)."""

    def __init__(self) -> None:
        self.salt: str | None = None
        self.by_url: dict[str, tuple[object, str, int]] = {}

    def known(self, items_by_url: dict[str, object], salt: str) -> dict[str, tuple[str, int]]:
        if salt != self.salt:
            return {}
        return {url: (digest, pairs) for url, (item, digest, pairs) in self.by_url.items()
                if items_by_url.get(url) is item}

    def remember(self, items_by_url: dict[str, object], salt: str, made: Path) -> None:
        """Keep what the job wrote to `made` (url → [page hash, pairs])."""
        try:
            data = json.loads(made.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.salt, self.by_url = None, {}
            return
        self.salt = salt
        self.by_url = {url: (items_by_url[url], str(d), int(n)) for url, (d, n) in data.items() if url in items_by_url}
