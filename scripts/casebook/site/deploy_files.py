"""What a web server needs beside the built pages: compressed copies, robots.txt, readable modes.

`finish_site` runs last on a finished build (after the search index and the offline files):

- every text file gets a `.gz` (libdeflate) and a `.br` (brotli) beside it, so nginx's
  `gzip_static` / `brotli_static` send them without compressing on every request (a phone on a
  weak link gets a third of the bytes). A copy that would not be smaller is not written.
  A copy of bytes an earlier build compressed is linked from the build cache (CompressedStore).
- sitemap.xml dated by each item's `updated` (sitemap_dates.py).
- robots.txt: an internal build keeps every search engine out; a public one lets them in and
  names the sitemap.
- every file readable and every folder listable by all (0644 / 0755): the web server runs as
  another user than the build, and a strict umask (0077) would otherwise hide the site from it.
"""
from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import deflate

from . import sitemap_dates
from ..core.cache_store import cache_root
from .pagekit import View

TEXT = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".webmanifest")
# (Pagefind's index, filter and fragment files are gzip already: they are not compressed again)
# the sample library's 286 text files (10.3 MiB), one thread: quality 5 2,540 KiB in 0.5 s,
# 9 2,465 KiB in 7.6 s, 11 2,275 KiB in 36 s (gzip -9: 2,813 KiB in 1.3 s); 5 keeps a build of
# 20,000 pages from waiting minutes for 3 %
BROTLI_QUALITY = 5
# the .gz copies are what a browser gets over plain HTTP (Chrome and Firefox offer brotli only over
# HTTPS: an intranet site without TLS serves every phone the .gz). At 1,000 items (1,489 files, 47.6 MB)
# zlib's level 9 took 1.22 s of CPU for 10.288 MB, level 6 0.62 s for 10.330 MB (0.4 % more); at
# 1,000 items of the pages of 2026-12-07 (1,493 files, 49.2 MB) libdeflate's level 6 took 0.38 s against
# zlib's 0.99 s for the same bytes (10.522 MB against 10.517 MB): a cold build is CPU-bound
GZIP_LEVEL = 6
SMALLEST = 256        # a smaller file fits in one packet as it is
# what a compressed copy depends on besides the bytes it is made from
COMPRESSORS = f"gzip {GZIP_LEVEL} libdeflate {deflate.__version__}; brotli {BROTLI_QUALITY} {brotli.__version__}"


def robots(public: bool, site_url: str | None) -> str:
    if not public:
        return "# 内部资料：不允许任何搜索引擎收录\nUser-agent: *\nDisallow: /\n"
    sitemap = f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else ""
    return "User-agent: *\nDisallow: /admin/\n" + sitemap


def compress_file(path: Path, store: CompressedStore | None = None) -> list[Path]:
    """Write path.gz and path.br when smaller; the copies written. With a store, a copy of the
    very same bytes made by an earlier build is linked from there instead of made again."""
    data = path.read_bytes()
    written = []
    key = hashlib.sha256(COMPRESSORS.encode() + b"\0" + data).hexdigest() if store is not None else ""
    for suffix, packed in ((".gz", lambda: deflate.gzip_compress(data, GZIP_LEVEL)),
                           (".br", lambda: brotli.compress(data, quality=BROTLI_QUALITY))):
        out = path.with_name(path.name + suffix)
        out.unlink(missing_ok=True)
        if store is None:
            body = packed()
            if len(body) < len(data):
                out.write_bytes(body)
                written.append(out)
            continue
        kept, body = store.get(key, suffix)
        if kept is None:
            body = packed()
            kept = store.put(key, suffix, body)
        if len(body) < len(data):
            store.place(kept, body, out)
            written.append(out)
    return written


class CompressedStore:
    """Compressed copies by content (the cache folder's compressed/): an entry's name is the key
    (the digest of the uncompressed bytes and of COMPRESSORS: nothing else goes into a copy),
    a digest of the entry's own bytes and the suffix. An entry whose bytes no longer match that
    digest (a damaged disk, a half-copied cache, a hand edit, a published copy edited in place:
    the site's copy is a hard link to the entry) is not used: it is made again and replaced. So
    the store can make a build faster but never change one byte of it.

    Linking instead of writing: writing the 3,000 copies of a 1,000-item site took 2 s of CPU
    on the build machine, linking them 0.07 s (and reading them back to check them 0.06 s)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.lock = threading.Lock()
        self.index: dict[str, Path] = {}  # key + suffix → entry
        for entry in folder.glob("*/*") if folder.is_dir() else ():
            key, _, rest = entry.name.partition(".")
            value, dot, suffix = rest.partition(".")
            if dot and len(value) == VALUE_DIGEST:
                self.index[f"{key}.{suffix}"] = entry

    def get(self, key: str, suffix: str) -> tuple[Path | None, bytes | None]:
        """The entry for these bytes and its body, when it holds what its name says."""
        entry = self.index.get(key + suffix)
        if entry is None:
            return None, None
        try:
            body = entry.read_bytes()
        except OSError:
            return None, None
        if _value_digest(body) != entry.name.split(".")[1]:
            return None, None
        with self.lock:
            self.used.add(entry.name)
        return entry, body

    def put(self, key: str, suffix: str, body: bytes) -> Path | None:
        """Keep a copy made by this build (whole or not at all: a killed build leaves no half entry)."""
        entry = self.folder / key[:2] / f"{key}.{_value_digest(body)}{suffix}"
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_name(f"{entry.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(body)
            tmp.replace(entry)
        except OSError:
            return None
        with self.lock:
            self.used.add(entry.name)
        return entry

    @staticmethod
    def place(entry: Path | None, body: bytes, out: Path) -> None:
        """The site's copy: a link to the entry, or the bytes written (another file system)."""
        if entry is not None:
            try:
                os.link(entry, out)
                return
            except OSError:
                pass
        out.write_bytes(body)

    def prune(self) -> None:
        """One build's worth is kept: every entry this build did not use goes."""
        for entry in self.folder.glob("*/*") if self.folder.is_dir() else ():
            if entry.name not in self.used and not entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)


VALUE_DIGEST = 32  # hex characters of an entry's own digest, in its name


def _value_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:VALUE_DIGEST]


Listing = list[tuple[str, os.stat_result]]


def site_entries(site_dir: Path) -> tuple[Listing, Listing]:
    """Every file and folder below site_dir with its lstat, in one walk (the compressor and the
    permissions both use it: four walks of 1,500 folders were 0.1 s at 1,000 items)."""
    files, folders = [], []
    for folder, dirs, names in os.walk(site_dir):
        for name in dirs:
            path = os.path.join(folder, name)
            folders.append((path, os.lstat(path)))
        for name in names:
            path = os.path.join(folder, name)
            files.append((path, os.lstat(path)))
    return files, folders


def worth_compressing(path: str, st: os.stat_result) -> bool:
    """A regular file (never a link) of a text type, large enough to gain from a copy."""
    return os.path.splitext(path)[1] in TEXT and stat.S_ISREG(st.st_mode) and st.st_size >= SMALLEST


class Compressor:
    """Compressed copies made by threads as files become final (brotli and libdeflate release the GIL:
    threads suffice). A build hands over its pages once MkDocs has written the last one, to one
    thread while the search index is still being made (Pagefind leaves about one core idle then; more
    threads only slow it down), and the rest of the site at the end, to every thread. Copies of
    bytes an earlier build compressed come from the build cache."""

    def __init__(self):
        base = cache_root()
        self.store = CompressedStore(base / "compressed") if base is not None else None
        self.workers = min(4, os.cpu_count() or 1)
        self.pool = ThreadPoolExecutor(max_workers=self.workers)
        self.todo: deque[Path] = deque()
        self.sources: set[str] = set()
        self.threads = []

    def add(self, paths, threads: int = 1) -> None:
        """Compress these files (those worth it, each once) in the background, `threads` at work."""
        for path in paths:
            path = os.path.normpath(path)
            if path in self.sources:
                continue
            self.sources.add(path)
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            if worth_compressing(path, st):
                self.todo.append(Path(path))
        running = sum(not thread.done() for thread in self.threads)
        for _ in range(min(threads, self.workers) - running):
            self.threads.append(self.pool.submit(self._drain))

    def _drain(self) -> list[Path]:
        made = []
        while True:
            try:
                path = self.todo.popleft()
            except IndexError:
                return made
            made += compress_file(path, self.store)

    def wait(self) -> list[Path]:
        """Every copy made, once all are; the store then keeps this build's entries only."""
        for _ in range(self.workers):  # (the rest of the queue, on every thread)
            self.threads.append(self.pool.submit(self._drain))
        made = [out for thread in self.threads for out in thread.result()]
        made += self._drain()  # (nothing, unless a thread stopped as the last files came in)
        self.threads = []
        if self.store is not None:
            self.store.prune()
        return made

    def close(self) -> None:
        self.todo.clear()
        self.pool.shutdown(wait=True)


def compress_site(site_dir: Path) -> int:
    """Compressed copies beside every text file of a site; how many were written."""
    copies = Compressor()
    try:
        copies.add(path for path, _ in site_entries(site_dir)[0])
        return len(copies.wait())
    finally:
        copies.close()


def readable(site_dir: Path, entries: tuple[Listing, Listing] | None = None) -> None:
    """Files 0644 and folders 0755, whatever the builder's umask (changed only where they differ:
    a chmod writes the inode, and most files are right already)."""
    files, folders = site_entries(site_dir) if entries is None else entries
    site_dir.chmod(0o755)
    for listing, mode in ((folders, 0o755), (files, 0o644)):
        for path, st in listing:
            if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) != mode:
                os.chmod(path, mode)


def finish_site(site_dir: Path, view: View, site_url: str | None = None, copies: Compressor | None = None) -> dict:
    """The sitemap's dates, robots.txt, compressed copies and permissions; {compressed_copies,
    pages: the HTML files published, 404.html aside}. `copies`: a Compressor already given the
    files that were final before (the pages); it is given the rest here, and closed by its owner."""
    sitemap_dates.finish_site(site_dir, view, site_url)
    (site_dir / "robots.txt").write_text(robots(view.public, site_url), encoding="utf-8")
    own = copies is None
    copies = Compressor() if own else copies
    try:
        files, folders = site_entries(site_dir)
        copies.add(path for path, _ in files)  # (it keeps those worth compressing, each once)
        made = copies.wait()
    finally:
        if own:
            copies.close()
    readable(site_dir, (files + [(str(p), os.lstat(p)) for p in made], folders))
    pages = sum(path.endswith(".html") for path, _ in files) - (site_dir / "404.html").is_file()
    return {"compressed_copies": len(made), "pages": pages}
