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


# Python-Markdown looks for the end of a link from every `[` (and the checker's reader for
# markup from every `[` and backtick): text crowded with them costs the square of its length —
# 20,000 nested brackets in one story, inside the body's limit, kept a build busy for minutes.
# No paragraph an editor writes has a hundred; the checker refuses one that has (S051), and
# every output shows such a paragraph with those signs in their full-width forms, read as
# nothing (defuse: a backslash or an entity per sign is an inline match of its own, and
# Python-Markdown's inline matches cost the square of their number too).
# Runs of `*` or `_` nest emphasis: 3,000 on each side of a word passed the checker and then
# exceeded Python's recursion limit in Markdown's table of contents and in WeasyPrint (1,500
# still built); masked numbers (138****5678) in a table keep a paragraph well under 200.
CROWDED = {"[": 100, "`": 100, "*": 200, "_": 200}
SIGN_NAMES = {"[": "方括号", "`": "反引号", "*": "星号", "_": "下划线"}
_PARAGRAPH_RE = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
_FULL_WIDTH = str.maketrans("[]`*_", "［］｀＊＿")


def crowded_paragraphs(text: str) -> list[tuple[int, str, int]]:
    """(line within the text, sign, count) for each paragraph holding over its CROWDED of a sign."""
    out = []
    for m in _PARAGRAPH_RE.finditer(text):
        block = m.group(0)
        for sign, most in CROWDED.items():
            n = block.count(sign)
            if n > most:
                out.append((text.count("\n", 0, m.start()), sign, n))
    return out


def defuse(text: str) -> str:
    """The text with every crowded paragraph's `[` `]`, backticks, `*` and `_` made full-width."""
    if not any(text.count(sign) > most for sign, most in CROWDED.items()):
        return text

    def plain(m: re.Match) -> str:
        block = m.group(0)
        if all(block.count(sign) <= most for sign, most in CROWDED.items()):
            return block
        return block.translate(_FULL_WIDTH)

    return _PARAGRAPH_RE.sub(plain, text)
