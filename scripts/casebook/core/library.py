"""The Library: every file of a casebook tree, validated, indexed and cross-checked, once.

`Library.load(root)` reads `cases/` and `outlets/` through the one loader, validates each file,
then applies the rules that look across files (references resolve, images exist, public stories
show only consented images, programme courses exist, outlet overrides resolve). It keeps the
valid items indexed by id, by type and by vocabulary value, plus every diagnostic.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .check_cache import CheckCache, entry_text, timed_out
from .bank import BANK_FILE, Bank, fill_document, load_bank
from .bank_check import bank_problems
from .basis import BASIS_FILE, Registry, load_registry
from .content_rules import Rules, content_problems
from .diagnostics import Diagnostic, Severity, error
from .load_memo import LoadMemo
from .references import MEDIA_DIR, Refs, missing_ref as _missing_ref, reference_problems, referenced_media_problems
from .search_terms import check_search_terms
from .load import Document, load_document, load_yaml_file, relpath
from .tree import discover, kind_of, known_ids as _known_ids, mtime  # noqa: F401 (discover: used by callers)
from .item_index import index_library
from .model import FOLDERS, Outlet, Programme
from .outlet_dates import schedule_notes
from .validate import Item, validate_item, validate_outlet, validate_programme
from .vocabulary import Vocabulary, parse_vocabulary
from .wrong_advice import PHRASES_FILE, load_wrong_advice

VOCABULARY_FILE = "cases/vocabulary.yml"
PROGRAMME_FILE = "cases/programme.yml"


def today() -> dt.date:
    """Today, or CASEBOOK_TODAY (YYYY-MM-DD) so tests and CI are reproducible."""
    fixed = os.environ.get("CASEBOOK_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


@dataclass
class OutletEntry:
    stem: str  # file stem = the pack's folder name
    rel: str
    outlet: Outlet
    doc: Document = field(repr=False)


@dataclass
class Library:
    root: Path
    vocabulary: Vocabulary
    programme: Programme | None
    items: dict[str, Item] = field(default_factory=dict)  # valid items by id
    outlets: dict[str, OutletEntry] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    known_ids: set[str] = field(default_factory=set)  # every item file found, valid or not
    # item files without an error of their own that cannot be published: a 【bank.KEY】 they use
    # has no value while cases/bank.yml is in error (told by name, never left out unseen)
    withheld: list[str] = field(default_factory=list)
    by_type: dict[str, list[Item]] = field(default_factory=dict)
    by_value: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)  # cases/basis.yml and the rules of cases/bank.yml
    bank: Bank = field(default_factory=Bank)  # cases/bank.yml: the parameters items' 【bank.KEY】 are filled from

    _cache: dict = field(default_factory=dict, repr=False)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, root: Path | str, *, use_cache: bool = True, memo: LoadMemo | None = None) -> "Library":
        """Load a tree once per process (the site and the packs share one Library). With a memo
        (a live preview), files unchanged since the last load are not read or validated again."""
        root = Path(root).resolve()
        key = str(root)
        if use_cache and key in _LIBRARIES:
            return _LIBRARIES[key]
        lib = build_library(root, memo=memo)
        _LIBRARIES[key] = lib
        return lib

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def get(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def of_type(self, kind: str) -> list[Item]:
        return self.by_type.get(kind, [])

    def with_value(self, vocab: str, value: str) -> list[Item]:
        return self.by_value.get((vocab, value), [])

    def related(self, item: Item) -> list[Item]:
        """Related items in both directions: what it links to, then what links to it."""
        ids = list(dict.fromkeys([*item.meta.related, *self.backlinks.get(item.id, [])]))
        return [self.items[i] for i in ids if i in self.items and i != item.id]


_LIBRARIES: dict[str, Library] = {}


def load_vocabulary(root: Path) -> tuple[Vocabulary, list[Diagnostic]]:
    path = root / VOCABULARY_FILE
    if not path.is_file():
        return Vocabulary({}), [error(VOCABULARY_FILE, 1, 1, "F001", "缺少词表文件 cases/vocabulary.yml")]
    doc = load_yaml_file(path, root)
    if not doc.ok:
        return Vocabulary({}), doc.problems
    return parse_vocabulary(doc)


def build_library(root: Path, only: list[Path] | None = None, keep_items: bool = True,
                  memo: LoadMemo | None = None) -> Library:
    """Validate the tree (or only the given files, references checked against the file system).

    keep_items=False is for the checker: it needs every diagnostic but no item, which saves
    sending thousands of parsed items back from the worker processes."""
    when = today()
    vocabulary, problems = load_vocabulary(root)
    bank, found_bank = load_bank(root)
    registry, found_basis = load_registry(root, bank.rules)
    advice, found_advice = load_wrong_advice(root)
    data_files = {"cases/basis.yml": found_basis, PHRASES_FILE: found_advice, BANK_FILE: found_bank}
    item_paths, outlet_paths = discover(root, memo)
    known_ids = _known_ids(item_paths, root)
    programme: Programme | None = None
    programme_doc: Document | None = None
    check_programme = only is None or any(relpath(p, root) == PROGRAMME_FILE for p in only)
    if only is not None:
        wanted = {p.resolve() for p in only}
        item_paths = [p for p in item_paths if p.resolve() in wanted]
        outlet_paths = [p for p in outlet_paths if p.resolve() in wanted]
        for p in only:  # a file outside the known folders still gets its verdict
            rel = relpath(p, root)
            if rel.endswith(".md") and rel.startswith("cases/") and not rel.startswith(MEDIA_DIR + "/") \
                    and p.resolve() not in {q.resolve() for q in item_paths}:
                item_paths.append(p)
        if not any(relpath(p, root) == VOCABULARY_FILE for p in only):
            problems = []  # report the vocabulary's own problems only when it is checked
    for rel, found in data_files.items():  # the registry and the phrase list: like the vocabulary
        if only is None or any(relpath(p, root) == rel for p in only):
            problems = problems + found
    lib = Library(root=root, vocabulary=vocabulary, programme=None, known_ids=known_ids, registry=registry, bank=bank)
    lib.diagnostics.extend(problems)

    if check_programme:
        path = root / PROGRAMME_FILE
        if path.is_file():
            programme_doc = load_yaml_file(path, root)
            programme, found = validate_programme(programme_doc)
            lib.diagnostics.extend(found)
        else:
            lib.diagnostics.append(error(PROGRAMME_FILE, 1, 1, "F001", "缺少 1+5 项目安排文件 cases/programme.yml"))
    lib.programme = programme

    # checking some files also checks the images their stories show (a photo's GPS must not
    # pass locally and fail in CI); the whole tree checks every image below anyway
    job = _Job(root, vocabulary, when, frozenset(known_ids), keep_items, Rules(registry, advice, bank),
               check_media=only is not None)
    read: dict[Path, bytes] = {}  # (item files' bytes the check cache read: the search terms' check reads them too)
    for path, (item, found) in zip(item_paths, _validate_items(item_paths, job, memo, read)):
        lib.diagnostics.extend(found)
        if item is not None:
            lib.items[item.id] = item
        elif keep_items and not any(d.severity is Severity.ERROR for d in found):
            lib.withheld.append(relpath(path, root))

    for path in outlet_paths:
        doc = load_yaml_file(path, root)
        outlet, found = validate_outlet(doc, vocabulary, when)
        lib.diagnostics.extend(found)
        if outlet is not None:
            lib.outlets[path.stem] = OutletEntry(path.stem, doc.rel, outlet, doc)
            lib.diagnostics.extend(schedule_notes(doc.rel, outlet, doc))

    if only is None or any(relpath(p, root).startswith((MEDIA_DIR + "/", "docs/")) for p in only):
        from ..guards.media import check_image, image_files

        for path in image_files(root):  # cases/media/ and the images docs/ publishes
            rel = relpath(path, root)
            if only is None or path.resolve() in {p.resolve() for p in only}:
                lib.diagnostics.extend(Diagnostic(rel, 1, 1, Severity(f.severity), f.code, f.message)
                                       for f in check_image(path, rel))
    from .docs_check import check_docs, docs_files
    from .paths import symlinks

    from .file_names import file_name_problems, named_file_problems

    if only is None:
        lib.diagnostics.extend(symlinks(root))
        lib.diagnostics.extend(file_name_problems(root))  # Windows-reserved names; docs/ names
        lib.diagnostics.extend(check_docs(root, docs_files(root), when))
    else:
        lib.diagnostics.extend(named_file_problems([relpath(p, root) for p in only]))
        wanted_docs = [p for p in only if relpath(p, root).startswith("docs/") and p.suffix == ".md"]
        lib.diagnostics.extend(check_docs(root, wanted_docs, when))
    from .data_scan import scan_data_files

    lib.diagnostics.extend(scan_data_files(root, when, None if only is None else {relpath(p, root) for p in only}))
    _cross_check(lib, programme_doc)
    lib.diagnostics.extend(check_search_terms(root, only, item_paths if only is None else None, memo, read))  # cases/search-terms.yml (Q codes)
    index_library(lib, memo)
    lib.diagnostics = sorted(set(lib.diagnostics))
    return lib


PARALLEL_FROM = 600  # below this many files, starting worker processes costs more than it saves


@dataclass(frozen=True)
class _Job:
    """What every item's validation needs; small enough to send to worker processes."""

    root: Path
    vocabulary: Vocabulary
    when: dt.date
    known_ids: frozenset[str]
    keep_items: bool
    rules: Rules
    check_media: bool = False


def check_item(path: Path, job: _Job) -> tuple[Item | None, list[Diagnostic], list[str]]:
    """One item file's check: its item (None if invalid) and diagnostics, and the images its
    story shows (whose existence decided some of them: core/check_cache.py re-asks)."""
    kind = kind_of(path, job.root)
    if kind is None:
        folders = "、".join(f"cases/{f}/" for f in FOLDERS)
        return None, [error(relpath(path, job.root), 1, 1, "L011", f"文件应放在 {folders} 之一里，文件夹决定条目类型")], []
    doc = load_document(path, job.root)
    # unknown 【bank.KEY】, bank numbers by hand; and where a parameter cannot be filled in
    as_written, unfilled = bank_problems(doc, kind, job.rules.bank)
    doc = fill_document(doc, job.rules.bank)  # every reader gets the bank's values filled in
    item, found = validate_item(doc, kind, job.vocabulary, job.when)
    more = as_written + content_problems(doc, kind, job.rules)  # basis keys, known-wrong advice, stories, drills
    # a parameter that could not be filled is the one problem of its place (not also "应为整数")
    found = [d for d in found if (d.line, d.col) not in unfilled] + more
    if unfilled:  # (an item with a blank where a number or a name belongs is not published)
        item = None
    if any(d.severity is Severity.ERROR for d in more):
        item = None
    # references, images and their photos are checked on an invalid entry too (from its raw
    # front matter): a wrong field must not hide a missing photo until the next round
    refs = Refs.of(item) if item is not None else Refs.raw(doc, kind)
    if refs is not None:
        ref_problems = reference_problems(refs, job.known_ids, job.root)
        if item is None:  # a line already in error (e.g. a disguised javascript: link) says it once
            taken = {(d.path, d.line) for d in found if d.severity is Severity.ERROR}
            ref_problems = [d for d in ref_problems if (d.path, d.line) not in taken]
        if job.check_media:
            found = found + referenced_media_problems(refs, job.root)
        if ref_problems:
            found += ref_problems
            item = None
    images = [src for src, _ in refs.images] if refs is not None else []
    return (item if job.keep_items else None), found, images


def _check_and_keep(path: Path, job: _Job, setting: str | None) -> tuple:
    """check_item, and with the check cache's setting, the entry to keep for it (check_cache.entry_text:
    made by the worker that checked the file, not by the process waiting for every worker)."""
    item, found, images = check_item(path, job)
    return item, found, images, entry_text(setting, job.root, path, (item, found), images) if setting else None


def _validate_chunk(args: tuple[list[Path], _Job, str | None]) -> list[tuple]:
    paths, job, setting = args
    return [_check_and_keep(p, job, setting) for p in paths]


def _validate_items(paths: list[Path], job: _Job, memo: LoadMemo | None = None,
                    read: dict[Path, bytes] | None = None) -> list[tuple[Item | None, list[Diagnostic]]]:
    """Validate item files, on every core for a large library (each file is independent). With a
    memo (a preview), a rebuild re-validates only the files that changed, as long as what every
    item is checked against stayed the same."""
    if memo is not None:
        seen = memo.validated
        # (what every item is checked against: the vocabulary, the basis registry, the phrase list)
        key = (hash(job.known_ids), job.when, job.keep_items,
               *(mtime(job.root / rel) for rel in (VOCABULARY_FILE, BASIS_FILE, PHRASES_FILE, BANK_FILE)))
        out: list = []
        stats, todo = {}, []
        for i, p in enumerate(paths):
            st = stats[i] = p.stat()
            hit = seen.get(p)
            out.append(hit[3] if hit and hit[:3] == (st.st_mtime_ns, st.st_size, key) else None)
            if out[i] is None:
                todo.append(i)
        # (the first load of a preview, or a rebuild after the vocabulary changed: from the kept results)
        # (in this process, as before: a preview's server has threads running; and keeping what
        # the other files' next load will need)
        for i, result in zip(todo, _validate_kept([paths[i] for i in todo], job, prune=False, parallel=False)):
            seen[paths[i]] = (stats[i].st_mtime_ns, stats[i].st_size, key, result)
            out[i] = result
        return out
    return _validate_kept(paths, job, read=read)


def _validate_kept(paths: list[Path], job: _Job, prune: bool = True, parallel: bool = True,
                   read: dict[Path, bytes] | None = None) -> list[tuple[Item | None, list[Diagnostic]]]:
    """Validate item files, each from its kept result when its key is the same (core/check_cache.py);
    with `prune`, the store then keeps these files' results only."""
    cache = CheckCache.for_job(replace(job, keep_items=True)) if not job.check_media and paths else None
    if cache is None:
        return [(item, found) for item, found, *_ in _check_items(paths, job, parallel)]
    try:
        out: list = [None] * len(paths)
        keys: dict[int, tuple | None] = {}
        for i, path in enumerate(paths):
            keys[i], out[i] = cache.lookup(path, kind_of(path, job.root), job.vocabulary)
            if read is not None and keys[i] is not None and isinstance(keys[i][1], bytes):
                read[path] = keys[i][1]
            if out[i] is not None and not job.keep_items:
                out[i] = (None, out[i][1])
        todo = [i for i in range(len(paths)) if out[i] is None]
        fresh = _check_items([paths[i] for i in todo], replace(job, keep_items=True), parallel, cache.setting)
        keep = not timed_out(fresh)
        for i, (item, found, _, entry) in zip(todo, fresh):
            if keep and keys[i] is not None:
                cache.keep(keys[i], entry)
            out[i] = (item if job.keep_items else None, found)
        return out
    finally:
        cache.close(prune=prune)


def _check_items(paths: list[Path], job: _Job, parallel: bool = True, setting: str | None = None) -> list[tuple]:
    """Check item files, on every core for a large library (each file is independent):
    (item, diagnostics, images, the check cache's entry when given its `setting`) for each."""
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or len(paths) < PARALLEL_FROM or workers < 2:
        return [_check_and_keep(p, job, setting) for p in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // (workers * 2))
    chunks = [(paths[i:i + size], job, setting) for i in range(0, len(paths), size)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    from .proc import die_with_parent

    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent) as pool:
        return [result for chunk in pool.map(_validate_chunk, chunks) for result in chunk]


def _cross_check(lib: Library, programme_doc: Document | None) -> None:
    """Rules across files that are not items: outlet overrides and programme courses resolve."""
    for entry in lib.outlets.values():
        for course_id, ids in entry.outlet.overrides.items():
            line, col = entry.doc.key_or_value_pos(("overrides", course_id))
            if course_id not in lib.known_ids or not course_id.startswith("courses/"):
                lib.diagnostics.append(error(entry.rel, line, col, "R001", _missing_ref(lib.known_ids, course_id, "courses/")))
            for i, ref in enumerate(ids):
                if ref not in lib.known_ids:
                    l2, c2 = entry.doc.pos(("overrides", course_id, i))
                    lib.diagnostics.append(error(entry.rel, l2, c2, "R001", _missing_ref(lib.known_ids, ref)))
    if lib.programme is not None and programme_doc is not None:
        for c, course_id in enumerate(lib.programme.big_class.courses):
            if course_id not in lib.known_ids or not course_id.startswith("courses/"):
                line, col = programme_doc.pos(("big_class", "courses", c))
                lib.diagnostics.append(error(programme_doc.rel, line, col, "R001",
                                             _missing_ref(lib.known_ids, course_id, "courses/")))
        for d, day in enumerate(lib.programme.days):
            for c, course_id in enumerate(day.evening.courses):
                if course_id not in lib.known_ids or not course_id.startswith("courses/"):
                    line, col = programme_doc.pos(("days", d, "evening", "courses", c))
                    lib.diagnostics.append(error(programme_doc.rel, line, col, "R001",
                                                 _missing_ref(lib.known_ids, course_id, "courses/")))
