"""`casebook stats`: the coverage matrix — items per type × customer group / role / incident
category — so editors see what the library lacks. The same numbers feed the site's 内容覆盖 page."""
from __future__ import annotations

from dataclasses import dataclass

from .library import Library
from .model import TYPE_FOLDERS, TYPE_LABELS

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


def print_coverage(matrices: list[Matrix]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for m in matrices:
        table = Table(title=f"内容覆盖：{m.title} × 类型（— 表示还没有内容）", show_lines=False)
        table.add_column(m.title)
        for c in m.columns:
            table.add_column(TYPE_LABELS[c], justify="right")
        for r in m.rows:
            cells = [str(m.counts[(r, c)]) if m.counts.get((r, c)) else "[red]—[/red]" for c in m.columns]
            table.add_row(r, *cells)
        console.print(table)
        console.print(f"空格子 {len(m.empty())} 个\n")
