"""Where the seconds of one `casebook serve` rebuild go, phase by phase (not a test).

    python benchmarks/serve_phases.py [--items 1000] [--edits 3]

Runs the preview in-process as `mkdocs serve` does on each change (the config loaded again, a
dirty build on the plugin object MkDocs keeps), on a synthetic library, after a first build with
an empty cache folder of its own. For each edit (a sentence appended to one story) it prints the
seconds of each phase in the main process — loading and checking, making pages, MkDocs' own
per-file work, rendering the changed pages — and in the search indexer's process, and how many
pages each MkDocs step touched. What happens before a rebuild starts (MkDocs' file watcher
noticing the save) is timed separately: one snapshot of cases/ as its polling observer takes it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)
WORKER_LOG = Path(tempfile.gettempdir()) / f"casebook-serve-phases-{os.getpid()}.json"


def timed(name: str, fn, count: bool = False):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name] += time.perf_counter() - t
            COUNTS[name] += 1
    wrapper.__wrapped__ = fn
    return wrapper


def instrument() -> None:
    """Wrap the steps of MkDocs' build and casebook's plugin with timers (this process only)."""
    import mkdocs.commands.build as mb
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from casebook.core import library
    from casebook.site import plugin, search

    for name in ("get_files", "get_navigation", "_populate_page", "_build_page", "_build_theme_template"):
        setattr(mb, name, timed(f"mkdocs.{name}", getattr(mb, name)))
    Files.copy_static_files = timed("mkdocs.copy_static_files", Files.copy_static_files)
    Page.validate_anchor_links = timed("mkdocs.validate_anchor_links", Page.validate_anchor_links)
    library.Library.load = classmethod(timed("casebook.Library.load", library.Library.load.__func__))
    plugin.site_pages = timed("casebook.site_pages", plugin.site_pages)
    from casebook.site.preview_index import PreviewIndex

    PreviewIndex.start = timed("casebook.PreviewIndex.start (fork)", PreviewIndex.start)
    for event in ("on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content", "on_env", "on_post_build"):
        setattr(plugin.CasebookPlugin, event, timed(f"plugin.{event}", getattr(plugin.CasebookPlugin, event)))
    plugin.File.generated = staticmethod(timed("plugin.File.generated", plugin.File.generated))

    # Python's garbage collector, in this process (a full collection walks the whole library)
    import gc

    started: list[float] = []

    def collector(phase, info):
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            # (the preview's own collection after a rebuild runs in a thread of its own)
            where = "" if threading.current_thread() is threading.main_thread() else ", another thread"
            name = f"python.gc generation {info['generation']}{where}"
            TIMES[name] += time.perf_counter() - started[0]
            COUNTS[name] += 1

    gc.callbacks.append(collector)

    # the indexer's process (forked: these wrappers are inherited), its times written at its end
    from casebook.site import preview_index

    worker = preview_index._worker

    def index_worker(*args):
        for name in ("records", "box_terms", "readings_json", "_stage_shard", "_link", "_terms"):
            setattr(preview_index, name, timed(f"index.{name}", getattr(preview_index, name)))
        preview_index.subprocess.run = timed("index.pagefind", preview_index.subprocess.run)
        preview_index.BundleCache.fetch = timed("index.bundle_fetch", preview_index.BundleCache.fetch)
        TIMES.clear(), COUNTS.clear()
        start = time.perf_counter()
        try:
            worker(*args)
        finally:
            TIMES["index.total"] = time.perf_counter() - start
            WORKER_LOG.write_text(json.dumps([TIMES, COUNTS]), encoding="utf-8")

    preview_index._worker = index_worker
    job_finish = search.IndexJob.finish
    search.IndexJob.finish = timed("index.finish (wait + move in)", job_finish)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="also profile the last rebuild (main process)")
    args = parser.parse_args()
    root = generate(HERE / "out" / f"serve-{args.items}", args.items)
    cache = HERE / "out" / f"phases-cache-{args.items}"
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    os.environ["CASEBOOK_CACHE_DIR"] = str(cache)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from casebook.site.build import _config

    instrument()
    site = Path(tempfile.mkdtemp(prefix="casebook-phases-"))
    config = _config(root, site, False)
    plugin = config.plugins["casebook"]
    plugin.on_startup(command="serve", dirty=True)
    serve_url = "http://127.0.0.1:8000/"

    def rebuild() -> tuple[float, float]:
        t0, cpu = time.perf_counter(), time.process_time()
        conf = load_config(config_file=str(config["config_file_path"]), site_dir=str(site), docs_dir=config["docs_dir"])
        conf.site_url = serve_url
        TIMES["mkdocs.load_config"] += time.perf_counter() - t0
        build(conf, serve_url=serve_url, dirty=True)
        page = time.perf_counter() - t0
        TIMES["= rebuild, CPU seconds of this process"] += time.process_time() - cpu
        while plugin.run.report is None:
            time.sleep(0.01)
        plugin.run.report = None
        return page, time.perf_counter() - t0

    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    WORKER_LOG.unlink(missing_ok=True)
    t = time.perf_counter()
    rebuild()
    print(f"first build: {time.perf_counter() - t:.1f} s")
    import watchdog.utils.dirsnapshot as ds

    snaps = []
    for _ in range(3):
        t = time.perf_counter()
        ds.DirectorySnapshot(str(root / "cases"))
        snaps.append(time.perf_counter() - t)
    story = sorted((root / "cases" / "stories").glob("synthetic-*.md"))[0]
    rows: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = {}
    for n in range(args.edits):
        time.sleep(1.1)  # (MkDocs' dirty build compares modification times)
        TIMES.clear(), COUNTS.clear()
        WORKER_LOG.unlink(missing_ok=True)
        story.write_text(story.read_text(encoding="utf-8") + f"\n新加的一句话：阶段标记{n}号。\n", encoding="utf-8")
        if args.profile and n == args.edits - 1:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            page, searchable = rebuild()
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(70)
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        else:
            page, searchable = rebuild()
        worker_times, worker_counts = json.loads(WORKER_LOG.read_text(encoding="utf-8"))
        for name, value in [*TIMES.items(), *worker_times.items()]:
            rows[name].append(value)
        counts = {**COUNTS, **worker_counts}
        rows["= rebuild (page written)"].append(page)
        rows["= until the search index is in place"].append(searchable)
    print(f"{args.items} items, {args.edits} edits to one story's body; median seconds (calls in the last edit):")
    print(f"  MkDocs' watcher, one snapshot of cases/ (every 0.5 s): {statistics.median(snaps):.3f}")
    for name in sorted(rows, key=lambda k: (k.startswith("="), k.split(".")[0], -statistics.median(rows[k]))):
        print(f"  {name:45s} {statistics.median(rows[name]):7.3f}  ({counts.get(name, '')})")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    plugin.on_shutdown()
    shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()
