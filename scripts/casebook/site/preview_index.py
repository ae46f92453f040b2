"""`casebook serve`'s search index: after an edit, only the shard holding the edited item is
indexed again; the other shards of the served index are kept as they are.

A build (search.py) makes every record and copies every unchanged shard from the bundle cache:
at 5,000 items that is 5,000 fragment files copied, a few hundred record pages written for the
one shard Pagefind indexes, and the search box's word list made from every item, on each
rebuild. A preview keeps instead, between rebuilds:

- each shard's record pages, in a folder of its own (records/<shard>/…), so an edit rewrites
  one record page and Pagefind indexes that folder again;
- what the served index is made of (each record's page hash, each shard's page count), so the
  next job knows which shards an edit touched; the other shards are hard links to the files
  of the served index (nothing ever writes a served index file in place);
- the search box's word list (search.box_terms) with the inputs it was made from.

The new index is assembled whole and swapped in whole (IndexJob.finish), as in a build. Jobs
run one after another: a job waits for the last one to be in place before it reads what the
served index is made of. When that is not known for sure (the first job, a job cancelled or
failed, the number of shards changed) the job indexes every shard, from the bundle cache where
it can, as a build does. The indexer runs at the preview's own priority: on a busy machine a
lowered priority left the search minutes behind the page.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from ..core.proc import die_with_parent, stale, temp_prefix
from ..core.search_terms import SEARCH_TERMS_FILE, parse_search_terms
from .pagekit import View, item_url
from .search import (LANGUAGE, SHARDS_DIR, TERMS_FILE, IndexJob, index_shard,
                     _pagefind_binary, _salt, box_terms, record_html, records, shard_members, shard_of, shard_pairs)
from .search_cache import BundleCache, RecordCache, SeenRecords, engine_version, shard_key
from .search_groups import GroupMatcher, term_groups
from .search_readings import READINGS_FILE, readings_json

STATE = "state.json"  # written by a job: what its index is made of
SERVED = "served"  # written once a job's index is in place: that job's id
# A preview's shards are smaller than a build's: Pagefind's time grows with the records it
# indexes (a shard of ~150 records at 5,000 items: about a second), and the preview re-indexes
# one shard per edit. Its search box merges more shards than a built site's, on localhost.
PREVIEW_SHARD_PAIRS = 50_000
WAIT = 600  # seconds a job waits for the last one (which is killed with the preview, never hangs)


class PreviewJob(IndexJob):
    """An IndexJob that tells the next one when it is over, in place or not."""

    done: object = None  # a multiprocessing Event

    def finish(self, site_dir: Path) -> int:
        try:
            return super().finish(site_dir)
        finally:
            self.done.set()

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self.done.set()


class PreviewIndex:
    """The preview's search index across rebuilds (one per `casebook serve`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # records/<shard>/<url>/index.html, STATE, SERVED
        self.seen = SeenRecords()
        self.last: PreviewJob | None = None
        self._salted: tuple[bytes | None, dict, str] | None = None

    def _salt(self, view: View) -> str:
        """search._salt of the word groups, made again only when what term_groups reads changed:
        cases/search-terms.yml and the vocabulary (a tenth of a second of each rebuild)."""
        try:
            terms = (view.lib.root / SEARCH_TERMS_FILE).read_bytes()
        except OSError:
            terms = None
        entries = view.lib.vocabulary.entries
        if self._salted is None or self._salted[0] != terms or self._salted[1] != entries:
            self._salted = (terms, entries, _salt(GroupMatcher(term_groups(view.lib.root, view.lib.vocabulary))))
        return self._salted[2]

    def start(self, view: View, site_dir: Path) -> PreviewJob:
        binary = _pagefind_binary()
        by_url = {item_url(i): item for i, item in view.items.items()}
        salt = self._salt(view)
        known = self.seen.known(by_url, salt)
        for leftover in stale(Path(tempfile.gettempdir()), "casebook-pagefind-"):
            shutil.rmtree(leftover, ignore_errors=True)
        workdir = Path(tempfile.mkdtemp(prefix=temp_prefix("casebook-pagefind-")))
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        done = ctx.Event()
        before = self.last.done if self.last is not None else None
        job_id = uuid.uuid4().hex
        per_shard = min(PREVIEW_SHARD_PAIRS, shard_pairs())
        process = ctx.Process(target=_worker, daemon=True, args=(
            view, workdir, binary, known, per_shard, self.folder, site_dir / "pagefind", before, job_id))
        process.start()
        job = PreviewJob(process, workdir)
        job.done = done

        def served() -> None:  # (after the swap: the next job may build on this index)
            self.seen.remember(by_url, salt, workdir / "records.json")
            (self.folder / SERVED).write_text(job_id, encoding="utf-8")

        job.remember = served
        self.last = job
        return job


def _worker(view: View, workdir: Path, binary: Path, known: dict[str, tuple[str, int]], per_shard: int,
            folder: Path, served: Path, before, job_id: str) -> None:
    die_with_parent()
    gc.enable()  # (forked from a rebuild that paused the collector: site/preview.py)
    if before is not None:
        before.wait(WAIT)
    try:
        last = json.loads((folder / STATE).read_text(encoding="utf-8"))
        if (folder / SERVED).read_text(encoding="utf-8") != last["job"] or not served.is_dir():
            last = None
    except (OSError, ValueError, KeyError):
        last = None
    (folder / STATE).unlink(missing_ok=True)  # (rewritten at the end: a killed job leaves none)
    # (made here: when every shard comes from the build cache, no shard's records are staged in it)
    folder.mkdir(parents=True, exist_ok=True)
    groups = term_groups(view.lib.root, view.lib.vocabulary)
    matcher = GroupMatcher(groups)
    record_cache = RecordCache.open(view.lib.root, view.public)
    urls = {item_url(i) for i in view.items}
    texts: dict[str, str] = {}
    digests: dict[str, str] = {}
    pairs: dict[str, int] = {}
    for r in records(view, matcher, record_cache, only=urls - known.keys()):
        texts[r.url] = record_html(r)
        digests[r.url] = hashlib.sha256(texts[r.url].encode("utf-8")).hexdigest()
        pairs[r.url] = len({t for tokens in r.sections.values() for t in tokens.split()})
    made = len(digests)
    for url, (digest, n) in known.items():
        digests[url], pairs[url] = digest, n
    members = shard_members(sorted(pairs), sum(pairs.values()), per_shard)
    shards = len(members)
    if last is not None and last["shards"] == shards:
        old = last["digests"]
        touched = {url for url in digests.keys() | old.keys() if digests.get(url) != old.get(url)}
        redo = sorted({shard_of(url, shards) for url in touched})
        staged = set(last["staged"])
    else:
        old, touched, redo, staged = {}, set(urls), list(range(shards)), set()
        shutil.rmtree(folder / "records", ignore_errors=True)
    bundles = BundleCache.open(view.lib.root, view.public) if last is None and record_cache is not None else None
    engine = f"{engine_version(binary)} {LANGUAGE}"
    bundle = workdir / "bundle"
    counts = {int(k): n for k, n in last["counts"].items()} if last is not None else {}
    logs, code = [f"Records made: {made} of {len(pairs)}"], 0
    for k in redo:  # (the first shard first: its bundle is the folder the others go into)
        out = bundle if k == 0 else bundle / SHARDS_DIR / str(k)
        key = shard_key({url: digests[url] for url in members[k]}, f"{engine} {'full' if k == 0 else 'index'}")
        count = bundles.fetch(key, out) if bundles is not None else None
        if count is not None:
            counts[k] = count
            logs.append(f"Indexed {count} pages (shard {k}: unchanged, from the cache)")
            continue
        site = folder / "records" / str(k)
        _stage_shard(site, k in staged, members[k], touched, texts, view, matcher, record_cache)
        staged.add(k)
        code, log, count = index_shard(binary, site, out, k)
        logs.append(log)
        if code != 0:
            break
        counts[k] = count if count is not None else -1
        if bundles is not None and count is not None:
            bundles.store(key, out, count)
    kept = [k for k in range(shards) if k not in redo]
    if code == 0:
        _link(served, bundle, kept)
        logs += [f"Indexed {counts[k]} pages (shard {k}: unchanged, kept from the served index)" for k in kept]
    if record_cache is not None:
        record_cache.close(prune=False)
    (workdir / "log.txt").write_text("\n".join(logs), encoding="utf-8")
    if code == 0:
        extra = [f"{SHARDS_DIR}/{k}/" for k in range(1, shards)]
        terms_key, terms = _terms(view, groups, extra, last)
        (bundle / TERMS_FILE).write_text(terms, encoding="utf-8")
        (bundle / READINGS_FILE).write_text(readings_json(), encoding="utf-8")
        (workdir / "records.json").write_text(json.dumps({u: [digests[u], pairs[u]] for u in pairs}), encoding="utf-8")
        (folder / STATE).write_text(json.dumps({
            "job": job_id, "shards": shards, "digests": digests, "counts": counts, "staged": sorted(staged),
            "terms": [terms_key, terms]}), encoding="utf-8")
    sys.exit(code)


def _stage_shard(site: Path, kept: bool, members: list[str], touched: set[str], texts: dict[str, str],
                 view: View, matcher: GroupMatcher, cache: RecordCache | None) -> None:
    """Bring a shard's record pages up to date: only the touched records when the folder holds
    the shard of the served index, every member's otherwise."""
    if not kept:
        shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True, exist_ok=True)  # (a shard may hold no record)
    wanted = set(members) if not kept else touched & set(members)
    for url in touched - set(members):  # (gone from the library, or moved to another shard)
        page = site / url / "index.html"
        if page.is_file():
            page.unlink()
    missing = wanted - texts.keys()
    for r in records(view, matcher, cache, only=missing) if missing else ():
        texts[r.url] = record_html(r)
    for url in wanted:
        page = site / url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(texts[url], encoding="utf-8")


def _link(served: Path, bundle: Path, kept: list[int]) -> None:
    """The kept shards: hard links to the served index's files (the first shard's folder holds
    the others and the box's files: those are made afresh). One `cp -al` for all of them:
    linking 6,000 files one by one from Python, or a process per shard, took 2-3 s at 5,000
    items on a busy machine."""
    sources, targets = [], []
    for k in kept:
        if k == 0:
            for entry in os.scandir(served):
                if entry.name not in (SHARDS_DIR, TERMS_FILE, READINGS_FILE):
                    sources.append(Path(entry.path))
                    targets.append(bundle / entry.name)
        else:
            sources.append(served / SHARDS_DIR / str(k))
            targets.append(bundle / SHARDS_DIR / str(k))
    for folder in {t.parent for t in targets}:
        folder.mkdir(parents=True, exist_ok=True)
    by_folder: dict[Path, list[str]] = {}
    for source, target in zip(sources, targets):
        by_folder.setdefault(target.parent, []).append(str(source))
    for folder, names in by_folder.items():
        if shutil.which("cp") and subprocess.run(["cp", "-al", "--", *names, str(folder)],
                                                 stderr=subprocess.DEVNULL).returncode == 0:
            continue
        for name in names:  # (no GNU cp, or another file system)
            source, target = Path(name), folder / Path(name).name
            if source.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target, copy_function=_hard_link)
            else:
                target.unlink(missing_ok=True)
                _hard_link(name, str(target))


def _hard_link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # (another file system)
        shutil.copy2(source, target)


def _terms(view: View, groups: list[list[str]], extra: list[str], last: dict | None) -> tuple[str, str]:
    """The search box's word list (search.box_terms), made again only when what it is made from
    changed: the word groups, the search-terms file's phrases, the shards, and each item's title,
    tags and questions (an edit to a body changes none of them)."""
    phrases = parse_search_terms(view.lib.root)
    inputs = [groups, extra, phrases.stop, phrases.howto,
              [[i, view.items[i].meta.title, list(getattr(view.items[i].meta, "tags", []) or []),
                list(getattr(view.items[i].meta, "questions", []) or [])] for i in sorted(view.items)]]
    key = hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode()).hexdigest()
    if last is not None and last.get("terms", [None])[0] == key:
        return key, last["terms"][1]
    return key, box_terms(view, groups, extra)
