"""File and folder names under cases/, docs/ and outlets/: ones every editor's machine can check
out, and ones the site can show.

A name Windows reserves (`con`, `prn`, `aux`, `nul`, `com1`…`com9`, `lpt1`…`lpt9`, with any
extension, in any case) or a character it forbids makes the repository impossible to check out
there, and editors use Windows: L012. Under docs/, a page's or image's name becomes part of its
address, and a page with no title takes its title from its file name (and a nav section from
its folder's name): the site publishes only lower-case kebab-case names (core.docs_names), and
the checker refuses any other (L010), so markup or template syntax never arrives through a name.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .diagnostics import Diagnostic, error
from .docs_names import name_problem, publish_problem
from .terminal import printable

FOLDERS = ("cases", "docs", "outlets")
RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$",
            *(f"{p}{n}" for p in ("com", "lpt") for n in (*"123456789", "¹", "²", "³"))}
_WINDOWS_CHARS = re.compile(r'[<>:"\\|?*\x00-\x1f]')


def windows_problem(name: str) -> str | None:
    """Why Windows cannot hold a file or folder of this name, or None."""
    stem = name.split(".", 1)[0].rstrip(" .").lower()
    if stem in RESERVED:
        return f"“{stem}”是 Windows 的保留名（带任何扩展名都不行），在 Windows 上无法检出"
    if bad := _WINDOWS_CHARS.search(name):
        return f"含有 Windows 不允许的字符“{printable(bad.group())}”"
    if name.endswith((" ", ".")):
        return "以空格或句点结尾，Windows 会去掉它，检出后文件名就变了"
    return None


def _suggest(name: str) -> str:
    """A name both Windows and the docs/ rule take, with the extension kept: con.md → con-page.md
    (the docs/ rule's own suggestion for the same file), a:b.png → a-b.png."""
    base, ext = os.path.splitext(name.rstrip(" ."))
    ext = ext.lower() if re.fullmatch(r"\.[a-z0-9]{1,5}", ext.lower()) else ""
    stem = re.sub(r"[^a-z0-9]+", "-", base.lower())[:40].strip("-") or "page"
    return (f"{stem}-page" if stem.split("-")[0] in RESERVED else stem) + ext


def docs_name_problems(rel: str, root: Path | None = None) -> list[Diagnostic]:
    """L010 for a file under docs/ the site would not publish (core.docs_names, the rule the site
    applies): by its name, or (with the library's root) as a page at another page's address."""
    name = rel.removeprefix("docs/")
    why = name_problem(name) if root is None else publish_problem(name, root / "docs")
    return [error(rel, 1, 1, "L010", printable(why))] if why else []


def file_name_problems(root: Path) -> list[Diagnostic]:
    """L012 for every name Windows cannot hold under cases/, docs/ and outlets/; L010 for every
    file under docs/ the site would not publish by its name or its folders' names (pages are
    named by check_docs, which also runs on a page alone)."""
    out: list[Diagnostic] = []
    for top in FOLDERS:
        base = root / top
        if not base.is_dir() or base.is_symlink():
            continue
        for here, dirs, names in os.walk(base):  # (symlinks are not followed: core.paths reports them)
            rel_here = Path(here).relative_to(root).as_posix()
            for name in sorted(dirs) + sorted(names):
                rel = f"{rel_here}/{name}"
                if why := windows_problem(name):
                    out.append(error(rel, 1, 1, "L012", f"名字{why}；请改名，如 {_suggest(name)}"))
                    continue
                if top == "docs" and name in names and not name.startswith(".") \
                        and not name.lower().endswith(".md"):  # (pages: check_docs)
                    out += docs_name_problems(rel)
    return out


def named_file_problems(rels: list[str]) -> list[Diagnostic]:
    """L012 for the names in the paths of files checked one by one (`casebook check FILE…`)."""
    out = []
    for rel in rels:
        parts = rel.split("/")
        for i, name in enumerate(parts):
            if why := windows_problem(name):
                out.append(error("/".join(parts[:i + 1]), 1, 1, "L012", f"名字{why}；请改名，如 {_suggest(name)}"))
    return out
