"""`casebook pack`: make packs for several outlets, on every core, with a progress bar.

An outlet whose file has errors is refused with the checker's lines; with --all one bad outlet
does not stop the others, and the exit code (1) names it.
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..core.diagnostics import Severity
from ..core.library import Library
from .render import PackError, write_pack

_LIB: Library | None = None  # the worker's library (inherited through fork, or rebuilt)


def _init(root: str) -> None:
    global _LIB
    if _LIB is None or str(_LIB.root) != root:
        _LIB = Library.load(root)


def _one(stem: str, out: str, formats: tuple[str, ...]) -> tuple[str, str | None]:
    try:
        assert _LIB is not None
        write_pack(_LIB, stem, Path(out), formats)
        return stem, None
    except PackError as exc:
        return stem, str(exc)


def outlet_errors(lib: Library, stem: str) -> list[str]:
    rels = {f"outlets/{stem}.yml", f"outlets/{stem}.yaml"}
    return [d.format_text() for d in lib.diagnostics if d.path in rels and d.severity is Severity.ERROR]


def run_packs(lib: Library, stems: list[str], out: Path, formats: tuple[str, ...], parallel: bool) -> int:
    err = Console(stderr=True)
    failed: dict[str, str] = {}
    todo: list[str] = []
    blocking = [d for d in lib.errors if not d.path.startswith("outlets/")]
    if blocking:
        for d in blocking[:50]:
            print(d.format_text(), file=sys.stderr)
        err.print(f"[red]案例库有 {len(blocking)} 个错误，先运行 casebook check 修正后再生成培训包[/red]")
        return 1
    for stem in stems:
        problems = outlet_errors(lib, stem)
        if problems or stem not in lib.outlets:
            for line in problems:
                print(line, file=sys.stderr)
            failed[stem] = "网点文件有错误"
        else:
            todo.append(stem)
    global _LIB
    _LIB = lib
    workers = min(os.cpu_count() or 1, len(todo)) if parallel else 1
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal and len(todo) < 2) as bar:
        task = bar.add_task("生成培训包", total=len(todo))
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(lib.root),)) as pool:
                futures = [pool.submit(_one, stem, str(out), formats) for stem in todo]
                for fut in as_completed(futures):
                    stem, problem = fut.result()
                    if problem:
                        failed[stem] = problem
                    bar.advance(task)
        else:
            for stem in todo:
                stem, problem = _one(stem, str(out), formats)
                if problem:
                    failed[stem] = problem
                bar.advance(task)
    made = [s for s in todo if s not in failed]
    for stem in made:
        err.print(f"已生成 {out / stem}/（{'、'.join(formats)}）", highlight=False)
    for stem, why in sorted(failed.items()):
        err.print(f"[red]未生成 outlets/{stem}：{why}[/red]", highlight=False)
    return 1 if failed else 0
