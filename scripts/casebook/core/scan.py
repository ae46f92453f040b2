"""The text scanners over every string of an item: personal data (guards.privacy) and unsafe
markup or links (guards.safety), reported at the file line and column of the match."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from ..guards import privacy, safety
from .diagnostics import Diagnostic, error, warning
from .load import Document, KeyPath
from .model_errors import loc_text

def strings(value: Any, path: KeyPath = ()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, path + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, path + (k,))


_SKIP_PRIVACY = {"url", "src"}  # URLs and file paths, not prose


def _offset_pos(line: int, col: int, text: str, offset: int) -> tuple[int, int]:
    newlines = text.count("\n", 0, offset)
    if newlines == 0:
        return line, col + offset
    return line + newlines, offset - text.rfind("\n", 0, offset)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


_NEWLINE = re.compile("\n")
_SEP = "\n\u2029\n"  # between joined strings: no pattern matches across it


def scan_text(doc: Document, data: dict, names: frozenset[str], today: dt.date) -> list[Diagnostic]:
    """Privacy and safety scans over every front-matter string and the body.

    The strings are joined and scanned once (a scan per string costs more in calls than in
    matching); each finding is mapped back to its string, then to its file line and column.
    """
    out: list[Diagnostic] = []
    paths: list[KeyPath] = []
    texts: list[str] = []
    for path, text in strings(data):
        paths.append(path)
        texts.append(text)
    offsets: list[int] = []
    pos = 0
    for text in texts:
        offsets.append(pos)
        pos += len(text) + len(_SEP)
    joined = _SEP.join(texts)
    skip = [any(isinstance(p, str) and p in _SKIP_PRIVACY for p in path) for path in paths]

    def place(offset: int) -> tuple[int, int, int]:
        i = bisect.bisect_right(offsets, offset) - 1
        line, col = doc.pos(paths[i])
        return (i, *_offset_pos(line, col, texts[i], offset - offsets[i]))

    if joined:
        for f in privacy.scan(joined, names, today):
            i, fl, fc = place(f.start)
            if not skip[i]:
                make = error if f.severity == "error" else warning
                out.append(make(doc.rel, fl, fc, f.code, f"{loc_text(paths[i])}：{f.message}"))
        for f in safety.scan(joined):
            i, fl, fc = place(f.start)
            out.append(error(doc.rel, fl, fc, f.code, f"{loc_text(paths[i])}：{f.message}"))
    body = doc.body
    if body.strip():
        found_p = privacy.scan(body, names, today)
        found_s = safety.scan(body)
        if found_p or found_s:
            starts = _line_starts(body)

            def at(offset: int) -> tuple[int, int]:
                i = bisect.bisect_right(starts, offset) - 1
                return doc.body_line + i, offset - starts[i] + 1

            for f in found_p:
                make = error if f.severity == "error" else warning
                out.append(make(doc.rel, *at(f.start), f.code, f.message))
            for f in found_s:
                out.append(error(doc.rel, *at(f.start), f.code, f.message))
    return out
