"""Failures a user can meet and act on, as opposed to bugs (after pre-commit's errors.py).

Raise `Fatal` with one Chinese sentence that says what happened and what to do; the command line
(cli.main, the one place that maps outcomes to exit codes) prints it as one line and exits 1.
Anything else that escapes a command is a bug: a traceback, and a request to report it.
"""
from __future__ import annotations

import errno
import os
import sys
import tempfile


class Fatal(Exception):
    """An expected failure: Pagefind missing or failing, an unwritable output, a port in use."""


def keep_log(text: str, prefix: str) -> str:
    """A tool's own long output, kept in a file that the one-line message can name."""
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# what an unwritable output, a full disk or a path the system cannot take raises, in the user's
# words (anything else from the system is a bug)
_FILE_ERRORS = {errno.EACCES: "没有权限", errno.EPERM: "不允许这样操作", errno.ENOSPC: "磁盘已满",
                errno.EROFS: "文件系统是只读的", errno.EDQUOT: "超出磁盘配额", errno.ENOENT: "文件或文件夹不存在",
                errno.ENOTDIR: "路径里有一段不是文件夹", errno.EEXIST: "已经存在", errno.EISDIR: "这是一个文件夹",
                errno.ENAMETOOLONG: "名字或路径太长", errno.ELOOP: "符号链接绕成了圈"}


def file_problem(exc: OSError) -> str | None:
    """One Chinese sentence for a file the user can fix (permissions, a full disk, a name too
    long); None for a bug."""
    said = _FILE_ERRORS.get(exc.errno)
    if said is None:
        return None
    where = f"：{exc.filename}" if exc.filename else ""
    return f"无法读写文件{where}（{said}）；检查磁盘空间、文件夹权限和路径后重试"


def report_bug(version: str) -> int:
    """A bug: the traceback, a request to report it, and exit code 3."""
    import traceback

    traceback.print_exc()
    print(f"casebook {version}: 这是 casebook 自身的缺陷，不是案例库的问题。请把上面的全部输出和所用的命令"
          "发给维护者（在代码仓库里提一个问题）。", file=sys.stderr)
    return 3
