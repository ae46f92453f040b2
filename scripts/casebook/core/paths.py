"""Where casebook may read and write: no symlinks in the library, no output over the library.

A symlink in `docs/`, `cases/` or `outlets/` could make the site publish `/etc/passwd`; an
`--out` that is the library root (or holds it, or lies in one of its source folders) would be
replaced whole by the build's swap. Both are refused here, before anything is read or written.
"""
from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import Diagnostic, error
from .load import symlink_message

SOURCE_FOLDERS = ("cases", "docs", "outlets", "templates")


def symlinks(root: Path) -> list[Diagnostic]:
    """Every symlink (to a file or a folder, dangling or not) under the library's folders."""
    out: list[Diagnostic] = []
    for folder in SOURCE_FOLDERS:
        top = root / folder
        if top.is_symlink():
            out.append(_link(root, top))
            continue
        if not top.is_dir():
            continue
        out += [_link(root, Path(entry.path)) for entry in _walk(top) if entry.is_symlink()]
    return out


def _walk(top: Path):
    """Every entry under `top`, without following links (os.scandir's cached types: no lstat
    per file, which was a tenth of loading 5,000 items)."""
    stack = [str(top)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                yield entry
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)


def _link(root: Path, path: Path) -> Diagnostic:
    # the same words as the loader's, so a linked item file is reported once
    return error(path.relative_to(root).as_posix(), 1, 1, "L050", symlink_message(path))


def out_dir_problem(root: Path, out: Path, replaced: bool = False) -> str | None:
    """Why `out` must not be an output folder, or None: the root itself, a folder holding the
    root, or a place inside one of the library's source folders. A folder the build replaces
    whole (`replaced`) must also be empty or a site casebook built (it has casebook-build.json)."""
    root = root.resolve()
    out = out.resolve()
    if out == root:
        return f"输出目录 {out} 就是案例库根目录；构建会整个替换输出目录，请换一个，如 {root / 'site'}"
    if root.is_relative_to(out):
        return f"输出目录 {out} 包含案例库 {root}；构建会整个替换输出目录，请换一个，如 {root / 'site'}"
    for folder in SOURCE_FOLDERS:
        if out.is_relative_to(root / folder):
            return f"输出目录 {out} 在案例库的 {folder}/ 里；请换一个，如 {root / 'site'}"
    if replaced and out.is_dir() and any(out.iterdir()) and not (out / "casebook-build.json").is_file():
        return (f"输出目录 {out} 里已有别的文件（不是 casebook 生成的站点）；构建会整个替换它，"
                f"请换一个空目录，如 {root / 'site'}")
    if replaced and out.exists() and not out.is_dir():
        return f"输出目录 {out} 是一个文件；请换一个目录，如 {root / 'site'}"
    return None
