"""What a commit changes in the library, and what checking it takes (for pre-commit).

Checking only the changed files is fast, but a deleted or renamed item, or a changed
vocabulary, can break files that did not change (their references, their values): then the
whole tree is checked. pre-commit passes no file for a deletion, so the hook runs
`casebook check --staged`, which asks git itself.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

WATCHED = ("cases/", "outlets/", "docs/")  # (docs/ pages and images are published too)
# a change to these applies to every item: the vocabulary, and the rules run on every text
WHOLE_TREE_FILES = {"cases/vocabulary.yml", "cases/forbidden-phrases.yml"}


class GitError(Exception):
    pass


def staged_changes(root: Path) -> list[tuple[str, str]]:
    """(status letter, path relative to the root) of the staged changes; renames as D + A."""
    try:
        out = subprocess.run(["git", "diff", "--cached", "--name-status", "--no-renames", "-z", "--relative"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):  # (git's own words are English: not repeated)
        raise GitError(f"无法读取 git 暂存区：{root} 不是 git 仓库，或没有安装 git；"
                       "不在 git 仓库里时去掉 --staged，检查整个案例库") from None
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
