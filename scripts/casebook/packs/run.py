"""`casebook pack`: make packs for several outlet files, on every core, with a progress bar.

Each named file is used as it is, wherever it lies. Its problems print as
`path:line:col: error[CODE]: …` (warnings too: they also go onto the pack's last page); a file
with errors is refused, and with several files one bad outlet does not stop the others.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..core.diagnostics import Diagnostic, Severity, error, warning
from ..core.library import Library
from ..core.proc import die_with_parent, stale
from ..core.terminal import printable_line, unwrapped
from ..core.outlets import load_outlet_file
from .qr import site_url, usable
from .render import PackError, foreign_folder, write_pack

_LIB: Library | None = None  # the worker's library (inherited through fork, or rebuilt)


def _init(root: str) -> None:
    global _LIB
    die_with_parent()  # a killed `casebook pack --all` leaves no worker behind
    if _LIB is None or str(_LIB.root) != root:
        _LIB = Library.load(root)


def _one(path: str, shown: str, out: str, formats: tuple[str, ...], base_url: str | None,
         given: list[Diagnostic]) -> tuple[str, str | None, list[Diagnostic]]:
    assert _LIB is not None
    entry, _ = load_outlet_file(_LIB, Path(path), shown)
    if entry is None:
        return shown, "网点文件有错误", []
    try:
        _, found = write_pack(_LIB, entry, Path(out), formats, base_url, given)
        return shown, None, found
    except PackError as exc:
        return shown, str(exc), []


def _stop_workers(pool: ProcessPoolExecutor, out: Path, todo: list) -> None:
    """Stop the workers now (waiting for the pool would finish every PDF begun) and remove the
    half-made packs they leave, which only the next pack would otherwise remove."""
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in multiprocessing.active_children():
        worker.terminate()
        worker.join(5)
    for path, _, _ in todo:
        for leftover in stale(out, f".{Path(path).stem}.new-"):
            shutil.rmtree(leftover, ignore_errors=True)


def pack_site_url(lib: Library) -> tuple[str | None, list[Diagnostic]]:
    url, line = site_url(lib.root)
    if url is None:
        return None, []
    if not usable(url):
        return None, [warning("mkdocs.yml", line, 1, "O009",
                              f"site_url“{url[:60]}”不是 http(s) 网址，培训包不印二维码；例如 https://cases.example.cn/")]
    return url, []


def run_packs(lib: Library, files: list[tuple[Path, str]], out: Path, formats: tuple[str, ...], parallel: bool) -> int:
    # Rich writes its colours and progress bar to the terminal itself; what it prints of the
    # content is made printable and escaped as text here (never read as Rich markup)
    err = Console(file=unwrapped(sys.stderr), highlight=False, soft_wrap=True)
    failed: dict[str, str] = {}
    todo: list[tuple[str, str, list[Diagnostic]]] = []
    blocking = [d for d in lib.errors if not d.path.startswith("outlets/")]
    if blocking:
        for d in blocking[:50]:
            print(d.format_text(), file=sys.stderr)
        for _, shown in files:
            print(error(shown, 1, 1, "O007", f"案例库有 {len(blocking)} 个错误（见上），先运行 casebook check 修正后再生成培训包")
                  .format_text(), file=sys.stderr)
        return 1
    base_url, url_problems = pack_site_url(lib)
    for d in url_problems:
        print(d.format_text(), file=sys.stderr)
    stems: dict[str, str] = {}
    for path, shown in files:
        entry, problems = load_outlet_file(lib, path, shown)
        if entry is not None and entry.stem in stems:
            problems.append(error(shown, 1, 1, "O003", f"与 {stems[entry.stem]} 同名，培训包都会写进 {entry.stem}/；请改一个文件名"))
            entry = None
        if entry is not None and (foreign := foreign_folder(out / entry.stem)) is not None:
            problems.append(error(shown, 1, 1, "O013", foreign))  # (refused before any pack is made)
            entry = None
        for d in problems:
            print(d.format_text(), file=sys.stderr)
        if entry is None:
            failed[shown] = "网点文件有错误（见上）"
            continue
        stems[entry.stem] = shown
        todo.append((str(path), shown, [d for d in problems if d.severity is not Severity.ERROR] + url_problems))
    global _LIB
    _LIB = lib
    workers = min(os.cpu_count() or 1, len(todo)) if parallel else 1
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    made: list[str] = []
    with Progress(*columns, console=err, transient=False, disable=not err.is_terminal and len(todo) < 2) as bar:
        task = bar.add_task("生成培训包", total=len(todo))
        results = []
        if workers > 1:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(lib.root),))
            try:
                futures = [pool.submit(_one, p, s, str(out), formats, base_url, g) for p, s, g in todo]
                for fut in as_completed(futures):
                    results.append(fut.result())
                    bar.advance(task)
            except BaseException:  # stopped (Ctrl-C, SIGTERM): not a minute more for the PDFs in the making
                _stop_workers(pool, out, todo)
                raise
            pool.shutdown()
        else:
            for p, s, g in todo:
                results.append(_one(p, s, str(out), formats, base_url, g))
                bar.advance(task)
    for shown, problem, found in sorted(results, key=lambda r: r[0]):
        for d in found:
            print(d.format_text(), file=sys.stderr)
        if problem:
            failed[shown] = problem
        else:
            made.append(shown)
    for shown in sorted(made):  # (file names and messages are text, never Rich markup)
        err.print(escape(printable_line(f"已生成 {out / Path(shown).stem}/（{'、'.join(formats)}）← {shown}")))
    for shown, why in sorted(failed.items()):
        err.print(f"[red]{escape(printable_line(f'未生成 {shown}：{why}'))}[/red]")
    return 1 if failed else 0
