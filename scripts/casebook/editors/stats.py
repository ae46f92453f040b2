"""`casebook stats`: the coverage matrix (core.coverage) printed as tables for editors."""
from __future__ import annotations

from ..core.coverage import Matrix
from ..core.model import TYPE_LABELS


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
