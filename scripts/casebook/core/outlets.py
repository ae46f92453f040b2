"""An outlet file as the input of one training pack: read from wherever it lies, validated
like `casebook check` validates outlets/, with its overrides resolved against the library.

`casebook pack some/dir/x.yml` uses exactly that file (not outlets/x.yml); every problem is a
Diagnostic with the path as the user wrote it, line and column.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .diagnostics import Diagnostic, error, warning
from .library import Library, OutletEntry, _missing_ref, today
from .load import load_yaml_file
from .schedule import chinese_date, coaching_days
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
    return entry, problems + schedule_warnings(entry)


def _relabel(d: Diagnostic, shown: str) -> Diagnostic:
    return Diagnostic(shown, d.line, d.col, d.severity, d.code, d.message)


LONG_BREAK = 5  # days from one coaching day to the next, and more: a weekend is 3, a long weekend 4


def schedule_warnings(entry: OutletEntry) -> list[Diagnostic]:
    """What a trainer should know about the dates: a start date on a weekend or a listed holiday
    moves to the next working day (O004); a big class on a day the outlet listed as a holiday
    (O014); five coaching days split by a long holiday (O015: the programme's week is five days
    in a row, each morning drill going over the evening before)."""
    outlet = entry.outlet
    out: list[Diagnostic] = []
    days = coaching_days(outlet.start_date, outlet.holidays)
    if days[0] != outlet.start_date:
        why = "节假日" if outlet.start_date in set(outlet.holidays) else "周末"
        line, col = entry.doc.pos(("start_date",))
        out.append(warning(entry.rel, line, col, "O004",
                           f"驻点开始日期{chinese_date(outlet.start_date)}是{why}，第1天顺延到{chinese_date(days[0])}；"
                           f"如需按原定日期，请改网点文件的“驻点开始日期”（start_date）"))
    if outlet.big_class_date in set(outlet.holidays):
        line, col = entry.doc.pos(("big_class_date",))
        out.append(warning(entry.rel, line, col, "O014",
                           f"大课日期{chinese_date(outlet.big_class_date)}在本网点列出的节假日（holidays）里；"
                           f"请确认是这一天上大课"))
    gaps = [(n, a, b) for n, (a, b) in enumerate(zip(days, days[1:]), 1) if (b - a).days >= LONG_BREAK]
    if gaps:
        n, a, b = max(gaps, key=lambda g: (g[2] - g[1]).days)
        line, col = entry.doc.pos(("start_date",))
        out.append(warning(entry.rel, line, col, "O015",
                           f"第{n}天{chinese_date(a)}和第{n + 1}天{chinese_date(b)}之间隔了 {(b - a).days - 1} 天假期，"
                           f"五个驻点日到{chinese_date(days[-1])}才结束，第{n + 1}天晨会演练的是 {(b - a).days} 天前的晚班课；"
                           f"可以把驻点开始日期改到假期之后"))
    return out


def staff_pos(entry: OutletEntry, role: str) -> tuple[int, int]:
    if role in (entry.outlet.staff or {}):
        return entry.doc.key_or_value_pos(("staff", role))
    return entry.doc.key_or_value_pos(("staff",))


def when_of(lib: Library, entry: OutletEntry) -> dt.date:
    """The date a pack is stamped with: fixed by the inputs, so the bytes are too."""
    return max([entry.outlet.start_date, *(i.meta.updated for i in lib.items.values())])
