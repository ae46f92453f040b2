"""The text scanners over every string of an item: personal data (guards.privacy) and unsafe
markup or links (guards.safety), reported at the file line and column of the match."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from ..guards import privacy, safety
from ..guards.normalise import normalise
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


_SKIP_PRIVACY = {"src"}  # file paths, not prose (media[].url is scanned: a URL can carry a phone number)


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

    Both guards see the text normalised once (entities decoded, NFKC, zero-width and bidi
    controls dropped: guards.normalise); bidi controls are reported on the text as written.
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
        norm = normalise(joined)
        for f in privacy.scan(norm.text, names, today, normalised=True):
            i, fl, fc = place(norm.orig(f.start))
            if not skip[i]:
                make = error if f.severity == "error" else warning
                out.append(make(doc.rel, fl, fc, f.code, f"{loc_text(paths[i])}：{f.message}"))
        for f in safety.scan(norm.text, normalised=True) + safety.control_findings(joined):
            at = f.start if f.code in ("H050", "H056") else norm.orig(f.start)
            i, fl, fc = place(at)
            out.append(error(doc.rel, fl, fc, f.code, f"{loc_text(paths[i])}：{f.message}"))
    body = doc.body
    if body.strip():
        bnorm = normalise(body)
        found_p = privacy.scan(bnorm.text, names, today, normalised=True)
        found_s = safety.scan(bnorm.text, normalised=True)
        controls = safety.control_findings(body)
        if found_p or found_s or controls:
            starts = _line_starts(body)

            def at(offset: int, raw: bool = False) -> tuple[int, int]:
                offset = offset if raw else bnorm.orig(offset)
                i = bisect.bisect_right(starts, offset) - 1
                return doc.body_line + i, offset - starts[i] + 1

            for f in found_p:
                make = error if f.severity == "error" else warning
                out.append(make(doc.rel, *at(f.start), f.code, f.message))
            for f in found_s:
                out.append(error(doc.rel, *at(f.start), f.code, f.message))
            for f in controls:
                out.append(error(doc.rel, *at(f.start, raw=True), f.code, f.message))
    return out
