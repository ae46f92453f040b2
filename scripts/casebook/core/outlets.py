"""An outlet file as the input of one training pack: read from wherever it lies, validated
like `casebook check` validates outlets/, with its overrides resolved against the library.

`casebook pack some/dir/x.yml` uses exactly that file (not outlets/x.yml); every problem is a
Diagnostic with the path as the user wrote it, line and column.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import Diagnostic, error
from .library import Library, OutletEntry, _missing_ref, today
from .load import load_yaml_file
from .outlet_dates import schedule_notes
from .validate import validate_outlet


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as people read it: relative to the current folder when it lies below it."""
    cwd = (cwd or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def load_outlet_file(lib: Library, path: Path, shown: str | None = None) -> tuple[OutletEntry | None, list[Diagnostic]]:
    shown = shown or display_path(path)
    if not path.is_file():
        return None, [error(shown, 1, 1, "O001", f"网点文件不存在：{shown}；网点文件一般放在 outlets/ 下，如 outlets/example-community.yml")]
    if path.suffix not in (".yml", ".yaml"):
        return None, [error(shown, 1, 1, "O002", f"“{path.name}”不是 YAML 文件；网点文件的扩展名应为 .yml 或 .yaml")]
    doc = load_yaml_file(path, lib.root)
    doc.rel = shown
    outlet, problems = validate_outlet(doc, lib.vocabulary, today())
    problems = [_relabel(d, shown) for d in problems]
    if outlet is None:
        return None, problems
    for course_id, ids in outlet.overrides.items():
        line, col = doc.key_or_value_pos(("overrides", course_id))
        if course_id not in lib.items or not course_id.startswith("courses/"):
            problems.append(error(shown, line, col, "R001", _missing_ref(lib.known_ids, course_id, "courses/")))
        for i, ref in enumerate(ids):
            if ref not in lib.items:
                l2, c2 = doc.pos(("overrides", course_id, i))
                problems.append(error(shown, l2, c2, "R001", _missing_ref(lib.known_ids, ref)))
    if any(d.severity.value == "error" for d in problems):
        return None, problems
    entry = OutletEntry(path.stem, shown, outlet, doc)
    return entry, problems + schedule_notes(shown, outlet, doc)


def _relabel(d: Diagnostic, shown: str) -> Diagnostic:
    return Diagnostic(shown, d.line, d.col, d.severity, d.code, d.message)


def staff_pos(entry: OutletEntry, role: str) -> tuple[int, int]:
    if role in (entry.outlet.staff or {}):
        return entry.doc.key_or_value_pos(("staff", role))
    return entry.doc.key_or_value_pos(("staff",))


def when_of(lib: Library, entry: OutletEntry) -> dt.date:
    """The date a pack is stamped with: fixed by the inputs, so the bytes are too."""
    return max([entry.outlet.start_date, *(i.meta.updated for i in lib.items.values())])
