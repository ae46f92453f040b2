"""The `questions:` field (常见问法): how staff and customers actually ask about an item.

Each entry is one plain sentence of 4–40 characters, as typed or said ("老人取不了养老金怎么办");
at most 12 (the model's limit), no two the same once case, width and the final question mark are
ignored. Plain means no Markdown or HTML: the sentences are shown on the page as text and indexed
for search with a high weight, so markup would only be noise there. The privacy and safety
guards run over them like over every other front-matter value (core/scan.py).
"""
from __future__ import annotations

import re
import unicodedata

from .diagnostics import Diagnostic, error
from .load import Document

MIN_CHARS, MAX_CHARS = 4, 40
# Markdown and HTML syntax, and line breaks: none of it belongs in a spoken question
_MARKUP = re.compile(r"[<>\[\]*`_#|\\{}&\r\n]|https?:|\]\(")
_END = "?？。.!！~～ "


def question_key(text: str) -> str:
    """Two questions that differ only in width, case, spacing or the final ?/。 are the same."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold()).rstrip(_END)


def question_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """Every problem of the item's questions, each at its line: F004 length, F011 markup,
    F012 a repeat (a value that is not text is the model's F003)."""
    raw = data.get("questions")
    if not isinstance(raw, list):
        return []  # absent, or not a list: the model says so (F003)
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(raw):
        line, col = doc.pos(("questions", i))
        where = f"questions[{i + 1}]（常见问法）"
        if not isinstance(q, str):
            continue  # the model reports it (F003)
        text = q.strip()
        if not MIN_CHARS <= len(text) <= MAX_CHARS:
            out.append(error(doc.rel, line, col, "F004",
                             f"{where} 应为 {MIN_CHARS}–{MAX_CHARS} 个字，现在是 {len(text)} 个字"))
        bad = _MARKUP.search(text)
        if bad:
            out.append(error(doc.rel, line, col, "F011",
                             f"{where} 只写一句普通的话，不能含“{bad.group(0).strip() or '换行'}”这样的标记或链接"))
        key = question_key(text)
        if key in seen:
            out.append(error(doc.rel, line, col, "F012",
                             f"{where} 与第 {seen[key] + 1} 句重复，删去这一句"))
        else:
            seen[key] = i
    return out
