"""What a commit changes in the library, and what checking it takes (for pre-commit).

Checking only the changed files is fast, but a deleted or renamed item, or a changed
vocabulary, can break files that did not change (their references, their values): then the
whole tree is checked. pre-commit passes no file for a deletion, so the hook runs
`casebook check --staged`, which asks git itself.

What is checked is what the commit holds: git's staged copies, written to a temporary folder
(staged_library), not the working tree. A file edited again after `git add`, or one that was never
added (an item or a photo the staged files refer to), would otherwise pass the check and be
missing from, or different in, the commit.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

WATCHED = ("cases/", "outlets/", "docs/")  # (docs/ pages and images are published too)
# a change to these applies to every item: the vocabulary, and the rules run on every text
WHOLE_TREE_FILES = {"cases/vocabulary.yml", "cases/forbidden-phrases.yml"}


class GitError(Exception):
    pass


def staged_changes(root: Path) -> list[tuple[str, str]]:
    """(status letter, path relative to the root) of the staged changes; renames as D + A."""
    out = _git(root, "diff", "--cached", "--name-status", "--no-renames", "-z", "--relative")
    fields = out.split("\0")
    return [(fields[i][:1], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]


def plan(changes: list[tuple[str, str]]) -> tuple[list[str] | None, str]:
    """Files to check (None = the whole tree) and why, for the given changes."""
    relevant = [(s, p) for s, p in changes if p.startswith(WATCHED)]
    gone = [p for s, p in relevant if s == "D"]  # an item, an outlet or a photo: others may refer to it
    if gone:
        return None, f"{'、'.join(gone[:3])} 被删除或改名：检查整个案例库的引用"
    if any(p in WHOLE_TREE_FILES for _, p in relevant):
        return None, "词表或错误说法列表改了：检查整个案例库"
    files = [p for s, p in relevant if s != "D"]
    return files, f"检查改动的 {len(files)} 个文件（及其引用）"


def _git(root: Path, *args: str, data: str | None = None) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, input=data, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # (git's own words are English: not repeated)
        raise GitError(f"无法读取 git 暂存区：{root} 不是 git 仓库，或没有安装 git；"
                       "不在 git 仓库里时去掉 --staged，检查整个案例库") from None


@contextmanager
def staged_library(root: Path):
    """(the library as the commit holds it, in a temporary folder; the files to check there, None
    for all of it, [] for none; why). Only the library's own files are written out: mkdocs.yml,
    cases/, outlets/ and docs/, as staged."""
    wanted, why = plan(staged_changes(root))
    # (said, so that "不存在" for a file the editor can see is not a puzzle: it was never added)
    aside = sorted(set(_git(root, "ls-files", "-z", "--others", "--modified", "--exclude-standard", "--",
                            *WATCHED).split("\0")) - {""})
    if aside and wanted != []:
        shown = "、".join(aside[:3]) + ("等" if len(aside) > 3 else "")
        why += f"；另有 {len(aside)} 个文件的改动没有 git add，不在这次提交里，也没有检查：{shown}"
    prefix = _git(root, "rev-parse", "--show-prefix").strip()  # (the library may be a folder of the repository)
    names = _git(root, "ls-files", "-z", "--cached", "--", "mkdocs.yml", *WATCHED)
    folder = Path(tempfile.mkdtemp(prefix="casebook-staged-"))
    try:
        if names:  # (paths relative to the library's folder in, paths from the repository's top out)
            _git(root, "checkout-index", "-z", "--stdin", f"--prefix={folder}/", data=names)
        tree = folder / prefix
        tree.mkdir(parents=True, exist_ok=True)
        yield tree, wanted, why
    finally:
        shutil.rmtree(folder, ignore_errors=True)
