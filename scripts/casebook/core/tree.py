"""Which files make up a library tree: item files under cases/<folder>/, outlet files under
outlets/, and the item ids they give (the folder decides an item's type)."""
from __future__ import annotations

import os
import time
from pathlib import Path, PurePosixPath

from .load import relpath
from .model import FOLDERS
from .load_memo import LoadMemo
from .validate import item_id


def discover(root: Path, memo: LoadMemo | None = None) -> tuple[list[Path], list[Path]]:
    """Item files under cases/<folder>/ and outlet files under outlets/, sorted for stable output
    (in Path order: by folder names, then file names). Walked with os.scandir's types: rglob and
    sorting Path objects were a third of a serve rebuild's loading at 5,000 items. In serve, the
    last walk is reused while no walked folder has changed (a file added, removed or renamed
    changes its folder's mtime; an edit inside a file does not matter here)."""
    walked = memo.walked if memo is not None else {}
    last = walked.get(root)
    if last is not None and _unchanged(last[0]):
        return list(last[1]), list(last[2])
    folders: list[tuple[str, int | None]] = []
    started = time.time_ns()
    items, outlets = _walk(root, folders)
    # (a folder changed while or just before it was listed may not show that change: not kept;
    # file systems stamp times from a clock a few milliseconds coarse)
    if memo is not None and all(m is None or m < started - 50_000_000 for _, m in folders):
        walked[root] = (tuple(folders), items, outlets)
        return list(items), list(outlets)
    walked.pop(root, None)
    return items, outlets


def _unchanged(folders: tuple) -> bool:
    return all(mtime(folder) == stamp for folder, stamp in folders)


def mtime(path: str | Path) -> int | None:
    """A file's or folder's modification time in ns; None when it does not exist."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _walk(root: Path, folders: list) -> tuple[list[Path], list[Path]]:
    cases = root / "cases"
    found: list[tuple[list[str], Path]] = []
    folders += [(str(root), mtime(str(root))), (str(cases), mtime(str(cases)))]
    if cases.is_dir():
        for here, dirs, names in os.walk(cases):
            if here != str(cases):
                folders.append((here, mtime(here)))
            rel = os.path.relpath(here, cases)
            parts = [] if rel == "." else rel.split(os.sep)
            if parts[:1] == ["media"]:
                dirs[:] = []
                continue
            found += [([*parts, n], Path(here, n)) for n in names if n.endswith(".md")]
    found.sort(key=lambda f: f[0])
    items = [p for _, p in found if p.is_file()]
    outlets_dir = root / "outlets"
    folders.append((str(outlets_dir), mtime(str(outlets_dir))))
    outlets = sorted(p for p in outlets_dir.glob("*.y*ml") if p.is_file()) if outlets_dir.is_dir() else []
    return items, outlets


def kind_of(path: Path, root: Path) -> str | None:
    parts = PurePosixPath(relpath(path, root)).parts
    if len(parts) == 3 and parts[0] == "cases":
        return FOLDERS.get(parts[1])
    return None


def known_ids(paths: list[Path], root: Path) -> set[str]:
    """Ids of the item files found (paths straight from discover: under root, no '..')."""
    prefix = len(str(root)) + 1
    out = set()
    for p in paths:
        rel = str(p)[prefix:].replace(os.sep, "/")
        parts = rel.split("/")
        if len(parts) == 3 and parts[0] == "cases" and parts[1] in FOLDERS:
            out.add(item_id(rel))
    return out
