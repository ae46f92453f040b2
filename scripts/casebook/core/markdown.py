"""Just enough Markdown structure for the checker and the packs: headings and sections.

Pure functions over a body string; fenced code blocks are skipped so a `## ` inside one is
not taken for a heading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    line: int  # file line
    level: int
    text: str


def prose_lines(body: str):
    """(index, line) of every body line outside fenced code blocks."""
    fence: str | None = None
    for i, line in enumerate(body.split("\n")):
        m = _FENCE_RE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            continue
        if fence is None:
            yield i, line


def headings(body: str, first_line: int = 1) -> list[Heading]:
    out: list[Heading] = []
    for i, line in prose_lines(body):
        h = _HEADING_RE.match(line)
        if h:
            out.append(Heading(first_line + i, len(h.group(1)), h.group(2).strip()))
    return out


def section(body: str, title: str, level: int = 2) -> str:
    """The text under the heading `title` (at `level`) up to the next heading of that level or above."""
    lines = body.split("\n")
    start = None
    heads = headings(body, 0)
    for h in heads:
        if start is None and h.level == level and h.text == title:
            start = h.line + 1
            continue
        if start is not None and h.level <= level:
            return "\n".join(lines[start:h.line]).strip()
    return "\n".join(lines[start:]).strip() if start is not None else ""


def text_length(body: str) -> int:
    """Characters a reader sees: no whitespace, no Markdown punctuation."""
    return len(re.sub(r"[\s#>*_`\-|]", "", body))
