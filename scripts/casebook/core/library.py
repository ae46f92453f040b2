"""The Library: every file of a casebook tree, validated, indexed and cross-checked, once.

`Library.load(root)` reads `cases/` and `outlets/` through the one loader, validates each file,
then applies the rules that look across files (references resolve, images exist, public stories
show only consented images, programme courses exist, outlet overrides resolve). It keeps the
valid items indexed by id, by type and by vocabulary value, plus every diagnostic.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .basis import BASIS_FILE, Registry, load_registry
from .content_rules import Rules, content_problems
from .diagnostics import Diagnostic, Severity, error
from .search_terms import check_search_terms
from .load import Document, load_document, load_yaml_file, relpath
from .tree import discover, kind_of, known_ids as _known_ids, mtime  # noqa: F401 (discover: used by callers)
from .item_index import index_library
from .model import FOLDERS, Outlet, Programme, Story
from .validate import Item, validate_item, validate_outlet, validate_programme
from .vocabulary import Vocabulary, parse_vocabulary
from .wrong_advice import PHRASES_FILE, load_wrong_advice

VOCABULARY_FILE = "cases/vocabulary.yml"
PROGRAMME_FILE = "cases/programme.yml"
MEDIA_DIR = "cases/media"


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
    by_type: dict[str, list[Item]] = field(default_factory=dict)
    by_value: dict[tuple[str, str], list[Item]] = field(default_factory=dict)
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)  # cases/basis.yml

    _cache: dict = field(default_factory=dict, repr=False)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def load(cls, root: Path | str, *, use_cache: bool = True) -> "Library":
        """Load a tree once per process (the site and the packs share one Library)."""
        root = Path(root).resolve()
        key = str(root)
        if use_cache and key in _LIBRARIES:
            return _LIBRARIES[key]
        lib = build_library(root)
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


def build_library(root: Path, only: list[Path] | None = None, keep_items: bool = True) -> Library:
    """Validate the tree (or only the given files, references checked against the file system).

    keep_items=False is for the checker: it needs every diagnostic but no item, which saves
    sending thousands of parsed items back from the worker processes."""
    when = today()
    vocabulary, problems = load_vocabulary(root)
    registry, found_basis = load_registry(root)
    advice, found_advice = load_wrong_advice(root)
    data_files = {"cases/basis.yml": found_basis, PHRASES_FILE: found_advice}
    item_paths, outlet_paths = discover(root)
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
    lib = Library(root=root, vocabulary=vocabulary, programme=None, known_ids=known_ids, registry=registry)
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
    job = _Job(root, vocabulary, when, frozenset(known_ids), keep_items, Rules(registry, advice),
               check_media=only is not None)
    for item, found in _validate_items(item_paths, job):
        lib.diagnostics.extend(found)
        if item is not None:
            lib.items[item.id] = item

    for path in outlet_paths:
        doc = load_yaml_file(path, root)
        outlet, found = validate_outlet(doc, vocabulary, when)
        lib.diagnostics.extend(found)
        if outlet is not None:
            lib.outlets[path.stem] = OutletEntry(path.stem, doc.rel, outlet, doc)

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
    _cross_check(lib, programme_doc)
    lib.diagnostics.extend(check_search_terms(root, only, item_paths if only is None else None))  # cases/search-terms.yml (Q codes)
    index_library(lib)
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


def _validate_one(path: Path, job: _Job) -> tuple[Item | None, list[Diagnostic]]:
    kind = kind_of(path, job.root)
    if kind is None:
        folders = "、".join(f"cases/{f}/" for f in FOLDERS)
        return None, [error(relpath(path, job.root), 1, 1, "L011", f"文件应放在 {folders} 之一里，文件夹决定条目类型")]
    doc = load_document(path, job.root)
    item, found = validate_item(doc, kind, job.vocabulary, job.when)
    more = content_problems(doc, kind, job.rules)  # basis keys, known-wrong advice, stories, drills
    found = found + more
    if any(d.severity is Severity.ERROR for d in more):
        item = None
    if item is not None:
        refs = _reference_problems(item, job.known_ids, job.root)
        if job.check_media:
            found = found + _referenced_media_problems(item, job.root)
        if refs:
            found += refs
            item = None
    return (item if job.keep_items else None), found


def _validate_chunk(args: tuple[list[Path], _Job]) -> list[tuple[Item | None, list[Diagnostic]]]:
    paths, job = args
    return [_validate_one(p, job) for p in paths]


# (path → (mtime_ns, size, job key, result)) for `casebook serve`: a rebuild re-validates only
# the files that changed, as long as the set of files and the vocabulary stayed the same.
_SEEN: dict[Path, tuple[int, int, tuple, tuple[Item | None, list[Diagnostic]]]] = {}


def _validate_items(paths: list[Path], job: _Job) -> list[tuple[Item | None, list[Diagnostic]]]:
    """Validate item files, on every core for a large library (each file is independent)."""
    if os.environ.get("CASEBOOK_INCREMENTAL"):
        # (what every item is checked against: the vocabulary, the basis registry, the phrase list)
        key = (hash(job.known_ids), job.when, job.keep_items,
               *(mtime(job.root / rel) for rel in (VOCABULARY_FILE, BASIS_FILE, PHRASES_FILE)))
        out = []
        for p in paths:
            st = p.stat()
            hit = _SEEN.get(p)
            if hit and hit[:3] == (st.st_mtime_ns, st.st_size, key):
                out.append(hit[3])
                continue
            result = _validate_one(p, job)
            _SEEN[p] = (st.st_mtime_ns, st.st_size, key, result)
            out.append(result)
        return out
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2 or os.environ.get("CASEBOOK_SERIAL"):
        return [_validate_one(p, job) for p in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(paths) // (workers * 2))
    chunks = [(paths[i:i + size], job) for i in range(0, len(paths), size)]
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    from .proc import die_with_parent

    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent) as pool:
        return [result for chunk in pool.map(_validate_chunk, chunks) for result in chunk]


def _reference_problems(item: Item, known_ids: frozenset[str], root: Path) -> list[Diagnostic]:
    """An item's references: related ids exist (valid or not: a broken target reports its own
    problems), images exist under cases/media/, a public story shows only consented images."""
    out: list[Diagnostic] = []
    doc = item.doc
    for i, ref in enumerate(item.meta.related):
        line, col = doc.pos(("related", i))
        if ref == item.id:
            out.append(error(doc.rel, line, col, "R004", "related 里写了条目自己"))
        elif ref not in known_ids:
            out.append(error(doc.rel, line, col, "R001", _missing_ref(known_ids, ref)))
    out += _body_link_problems(item, known_ids)
    if isinstance(item.meta, Story):
        for i, image in enumerate(item.meta.images):
            line, col = doc.pos(("images", i, "src"))
            target = _media_path(root, image.src)
            if target is None or not target.is_file():
                out.append(error(doc.rel, line, col, "R002",
                                 f"图片 {image.src} 不存在；图片须放在 {MEDIA_DIR}/ 下，写成 media/文件名"))
            if item.meta.visibility == "public" and not image.consent:
                out.append(error(doc.rel, line, col, "R003",
                                 f"公开故事只能展示已取得授权的图片：{image.src} 请写 consent: true（确已取得授权时），或删除该图片"))
    return out


def _referenced_media_problems(item: Item, root: Path) -> list[Diagnostic]:
    from ..guards.media import check_image

    out: list[Diagnostic] = []
    for image in getattr(item.meta, "images", None) or []:
        target = _media_path(root, image.src)
        if target is not None and target.is_file():
            rel = relpath(target, root)
            out += [Diagnostic(rel, 1, 1, Severity(f.severity), f.code, f.message) for f in check_image(target, rel)]
    return out


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


def _body_link_problems(item: Item, known_ids: frozenset[str]) -> list[Diagnostic]:
    from .links import body_links, linked_item

    out = []
    for line, col, target in body_links(item.doc.body, item.doc.body_line):
        ref = linked_item(item.id, target, FOLDERS)
        if ref is not None and ref not in known_ids:
            message = _missing_ref(known_ids, ref).replace("引用的条目", f"正文里的链接 {target} 指向的条目", 1)
            out.append(error(item.doc.rel, line, col, "R070",
                             message + "；链接写成 ../guides/elderly-customers.md 这样（从本条目所在文件夹出发）"))
    return out


def _missing_ref(known_ids, ref: str, prefix: str = "") -> str:
    import difflib
    folder = ref.split("/", 1)[0] + "/" if "/" in ref else ""
    if not prefix and folder in {f + "/" for f in FOLDERS}:
        prefix = folder  # suggest from the same folder: guides/peak-queue → guides/…
    pool = sorted(i for i in known_ids if i.startswith(prefix))
    near = difflib.get_close_matches(ref, pool, n=1, cutoff=0.85)
    hint = f"；是否想写 {near[0]}？" if near else ""
    if "/" not in ref:
        hint += "；id 要带文件夹，如 guides/elderly-customers"
    return f"引用的条目 {ref} 不存在{hint}"


def _media_path(root: Path, src: str) -> Path | None:
    rel = PurePosixPath(src.removeprefix("cases/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0] != "media":
        return None
    return root / "cases" / rel
