"""Failures a user can meet and act on, as opposed to bugs (after pre-commit's errors.py).

Raise `Fatal` with one Chinese sentence that says what happened and what to do; the command line
(cli.main, the one place that maps outcomes to exit codes) prints it as one line and exits 1.
Anything else that escapes a command is a bug: a traceback, and a request to report it.
"""
from __future__ import annotations

import os
import tempfile


class Fatal(Exception):
    """An expected failure: Pagefind missing or failing, an unwritable output, a port in use."""


def keep_log(text: str, prefix: str) -> str:
    """A tool's own long output, kept in a file that the one-line message can name."""
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return path
