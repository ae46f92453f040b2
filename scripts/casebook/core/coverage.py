"""The coverage matrix — items per type × customer group / role / incident category — so editors
see what the library lacks. `casebook stats` prints it; the site's 内容覆盖 page shows it."""
from __future__ import annotations

from dataclasses import dataclass

from .library import Library
from .model import TYPE_FOLDERS

DIMENSIONS = [("customer_groups", "客户群体"), ("roles", "岗位"), ("category", "事件类别")]


@dataclass
class Matrix:
    title: str
    rows: list[str]  # vocabulary values
    columns: list[str]  # item types
    counts: dict[tuple[str, str], int]

    def empty(self) -> list[tuple[str, str]]:
        return [(r, c) for r in self.rows for c in self.columns if not self.counts.get((r, c))]


def _values(item, field: str) -> list[str]:
    value = getattr(item.meta, field, None)
    values = list(value) if isinstance(value, list) else ([value] if value else [])
    if field == "roles" and item.type == "emergency":
        values = list(dict.fromkeys([*values, *item.meta.duties]))
    return values


def coverage(lib: Library, items=None) -> list[Matrix]:
    items = list((items if items is not None else lib.items).values())
    out = []
    for field, title in DIMENSIONS:
        columns = [t for t in TYPE_FOLDERS if field != "category" or t == "emergency"]
        counts: dict[tuple[str, str], int] = {}
        for item in items:
            if item.type not in columns:
                continue
            for value in _values(item, field):
                counts[(value, item.type)] = counts.get((value, item.type), 0) + 1
        out.append(Matrix(title, lib.vocabulary.values(field), columns, counts))
    return out
