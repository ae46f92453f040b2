"""What a web server needs beside the built pages: compressed copies, robots.txt, readable modes.

`finish_site` runs last on a finished build (after the search index and the offline files):

- every text file gets a `.gz` (standard library) and a `.br` (brotli) beside it, so nginx's
  `gzip_static` / `brotli_static` send them without compressing on every request (a phone on a
  weak link gets a third of the bytes). A copy that would not be smaller is not written.
- sitemap.xml dated by each item's `updated` (sitemap_dates.py).
- robots.txt: an internal build keeps every search engine out; a public one lets them in and
  names the sitemap.
- every file readable and every folder listable by all (0644 / 0755): the web server runs as
  another user than the build, and a strict umask (0077) would otherwise hide the site from it.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from . import sitemap_dates
from .cache_store import cache_root
from .pagekit import View

TEXT = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".webmanifest")
# (Pagefind's index, filter and fragment files are gzip already: they are not compressed again)
# the sample library's 286 text files (10.3 MiB), one thread: quality 5 2,540 KiB in 0.5 s,
# 9 2,465 KiB in 7.6 s, 11 2,275 KiB in 36 s (gzip -9: 2,813 KiB in 1.3 s); 5 keeps a build of
# 20,000 pages from waiting minutes for 3 %
BROTLI_QUALITY = 5
GZIP_LEVEL = 9
SMALLEST = 256        # a smaller file fits in one packet as it is
# what a compressed copy depends on besides the bytes it is made from
COMPRESSORS = f"gzip {GZIP_LEVEL} zlib {zlib.ZLIB_RUNTIME_VERSION}; brotli {BROTLI_QUALITY} {brotli.__version__}"


def robots(public: bool, site_url: str | None) -> str:
    if not public:
        return "# 内部资料：不允许任何搜索引擎收录\nUser-agent: *\nDisallow: /\n"
    sitemap = f"Sitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else ""
    return "User-agent: *\nDisallow: /admin/\n" + sitemap


def compress_file(path: Path, cache: Path | None = None, used: set[str] | None = None) -> int:
    """Write path.gz and path.br when smaller; the number of copies written. With a cache folder,
    a copy of the very same bytes made by an earlier build is taken from there (its key: the
    file's content and the compressors' settings and versions: nothing else goes in)."""
    data = path.read_bytes()
    written = 0
    key = hashlib.sha256(COMPRESSORS.encode() + b"\0" + data).hexdigest() if cache is not None else ""
    for suffix, packed in ((".gz", lambda: gzip.compress(data, GZIP_LEVEL, mtime=0)),
                           (".br", lambda: brotli.compress(data, quality=BROTLI_QUALITY))):
        out = path.with_name(path.name + suffix)
        body = None
        if cache is not None:
            kept = cache / key[:2] / (key + suffix)
            if used is not None:
                used.add(kept.name)
            try:
                body = kept.read_bytes()
            except OSError:
                body = packed()
                _store(kept, body)
        else:
            body = packed()
        if len(body) < len(data):
            out.write_bytes(body)
            written += 1
        else:
            out.unlink(missing_ok=True)
    return written


def text_files(site_dir: Path) -> list[Path]:
    return [p for p in site_dir.rglob("*") if p.suffix in TEXT and p.is_file() and not p.is_symlink()
            and p.stat().st_size >= SMALLEST]


def compress_site(site_dir: Path, workers: int | None = None) -> int:
    """Compressed copies beside every text file; (brotli and zlib release the GIL: threads suffice).
    Copies of unchanged files come from the build cache (4 s of CPU at 1,000 items otherwise)."""
    files = text_files(site_dir)
    base = cache_root()
    cache = base / "compressed" if base is not None else None
    used: set[str] = set()
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        written = sum(pool.map(lambda p: compress_file(p, cache, used), files))
    if cache is not None and cache.is_dir():  # one build's worth is kept
        for entry in cache.glob("*/*"):
            if entry.name not in used and not entry.name.endswith(".tmp"):
                entry.unlink(missing_ok=True)
    return written


def _store(path: Path, body: bytes) -> None:
    """Write a cache entry whole (a killed build leaves no half entry)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(body)
        tmp.replace(path)
    except OSError:
        pass


def readable(site_dir: Path) -> None:
    """Files 0644 and folders 0755, whatever the builder's umask."""
    site_dir.chmod(0o755)
    for folder, dirs, files in os.walk(site_dir):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


def finish_site(site_dir: Path, view: View, site_url: str | None = None) -> dict:
    sitemap_dates.finish_site(site_dir, view, site_url)
    (site_dir / "robots.txt").write_text(robots(view.public, site_url), encoding="utf-8")
    copies = compress_site(site_dir)
    readable(site_dir)
    return {"compressed_copies": copies}
