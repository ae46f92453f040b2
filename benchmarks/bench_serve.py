"""How long `casebook serve` takes to show an edit, on a synthetic library (default 1,000 items).

    python benchmarks/bench_serve.py [--items 1000]

Starts `casebook serve` on a free port, waits for the first build and its search index, then appends a sentence to
one story and polls the served page until the sentence appears (and the search index has been
rewritten). Prints the seconds from the save to the page showing it, and to the search index
holding it: a new Pagefind fragment (the file the search box reads a hit's text from; fragments
are written with the index, and the bundle is swapped in whole) that contains the new sentence.
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def fragments(site: Path) -> set[Path]:
    return set(site.glob("pagefind/fragment/*.pf_fragment")) | set(site.glob("pagefind/shards/*/fragment/*.pf_fragment"))


def bundle_id(site: Path) -> int | None:
    """The served index folder's inode: a new index is swapped in whole, as a new folder."""
    try:
        return (site / "pagefind").stat().st_ino
    except OSError:
        return None


def searchable(site: Path, before: set[Path], marker: str) -> bool:
    for path in fragments(site) - before:
        try:
            if marker in gzip.decompress(path.read_bytes()).decode("utf-8", "replace"):
                return True
        except (OSError, EOFError):
            continue  # swapped out while being read
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--without-phrase-rules", action="store_true",
                        help="leave out cases/forbidden-phrases.yml: its checks stop on a wall-time budget that a "
                             "heavily loaded machine can use up (error C003), and a preview then shows nothing")
    args = parser.parse_args()
    root = generate(HERE / "out" / f"serve-{args.items}", args.items)
    if args.without_phrase_rules:
        (root / "cases" / "forbidden-phrases.yml").unlink(missing_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temp = Path(tempfile.gettempdir())
    earlier = set(temp.glob("mkdocs_*"))  # mkdocs serve builds into a new temporary folder
    # (its build caches in a folder of its own, emptied: the first build is a cold one, never the user's cache)
    cache = HERE / "out" / "serve-cache"
    shutil.rmtree(cache, ignore_errors=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "serve", "--root", str(root),
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "CASEBOOK_CACHE_DIR": str(cache)})
    try:
        story = sorted((root / "cases" / "stories").glob("synthetic-*.md"))[0]
        url = f"http://127.0.0.1:{port}/stories/{story.stem}/"
        start = time.perf_counter()
        while "合成条目" not in get(url):
            time.sleep(0.2)
            if time.perf_counter() - start > 600:
                raise SystemExit("first build did not finish")
        print(f"first build served after {time.perf_counter() - start:.1f} s")
        # (the folder of this preview: another `mkdocs serve` on the machine makes folders of its own)
        (site,) = [d for d in set(temp.glob("mkdocs_*")) - earlier if (d / "stories" / story.stem).is_dir()]
        # the edits are timed from a preview at rest: its first search index in place (written last)
        while not (site / "casebook-build.json").is_file():
            time.sleep(0.2)
            if time.perf_counter() - start > 900:
                raise SystemExit("first search index did not finish")
        print(f"first search index in place after {time.perf_counter() - start:.1f} s")
        time.sleep(2)
        results, found = [], []
        for n in range(args.edits):
            marker = f"编辑标记{n}号"
            before, old_bundle = fragments(site), bundle_id(site)
            story.write_text(story.read_text(encoding="utf-8") + f"\n新加的一句话：{marker}。\n", encoding="utf-8")
            t0 = time.perf_counter()
            shown = None
            while True:
                if shown is None and marker in get(url):
                    shown = time.perf_counter() - t0
                # (listing 5,000 fragments every poll took a core from the preview being timed:
                # they are read only once a new index folder has been swapped in)
                bundle = bundle_id(site)
                if shown is not None and bundle != old_bundle:
                    if searchable(site, before, marker):
                        break
                    old_bundle = bundle
                time.sleep(0.05)
                if time.perf_counter() - t0 > 300:
                    raise SystemExit(f"edit never showed (page after {shown} s)")
            results.append(shown)
            found.append(time.perf_counter() - t0)
            time.sleep(3)
        print(f"{args.items} items, edit → page shows it: " + ", ".join(f"{r:.2f} s" for r in results)
              + f" (median {statistics.median(results):.2f} s)")
        print(f"{args.items} items, edit → search finds it: " + ", ".join(f"{r:.2f} s" for r in found)
              + f" (median {statistics.median(found):.2f} s)")
        print(f"load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
