"""`casebook stats`: the coverage matrix (core.coverage) printed as tables for editors."""
from __future__ import annotations

from ..core.coverage import Matrix
from ..core.model import TYPE_LABELS


def print_coverage(matrices: list[Matrix]) -> None:
    import sys

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..core.terminal import printable_line, unwrapped

    class PipedConsole(Console):
        def on_broken_pipe(self) -> None:
            # the reader went away (`casebook stats | head`): told as for every command (cli.main:
            # exit 141, nothing printed), where Rich's own handler exits 1, which reads as a failure
            self.quiet = True
            raise BrokenPipeError

    # Rich's own colours reach the terminal; the vocabulary's values are printed as plain text
    console = PipedConsole(file=unwrapped(sys.stdout))
    if not console.is_terminal:  # (a file or a pipe: Rich's 80 columns cut every label to "老年客…")
        console.width = 200
    for m in matrices:
        table = Table(title=f"内容覆盖：{m.title} × 类型（— 表示还没有内容）", show_lines=False)
        table.add_column(m.title, overflow="fold")  # (a narrow terminal wraps a label, never cuts it)
        for c in m.columns:
            table.add_column(TYPE_LABELS[c], justify="right", overflow="fold")
        for r in m.rows:
            cells = [str(m.counts[(r, c)]) if m.counts.get((r, c)) else "[red]—[/red]" for c in m.columns]
            table.add_row(escape(printable_line(r)), *cells)
        console.print(table)
        console.print(f"空格子 {len(m.empty())} 个\n")
