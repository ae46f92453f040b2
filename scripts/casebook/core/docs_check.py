"""Hand-written pages under docs/: checked like items, and never a way to run code.

mkdocs-macros evaluates `{{ … }}` and `{% … %}` in docs/ pages as Jinja, and Jinja reaches
Python (`{{ cycler.__init__.__globals__.os.popen('id').read() }}`). So a docs/ page may call
only casebook's own macros, each written as a plain call with literal arguments — the
allow-list below; anything else that opens a template tag is an error (H052), and the site
neutralises it before mkdocs-macros sees the page (`neutralise_templates`, used by the hook).
The pages also get the safety and privacy scans that items get.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .diagnostics import Diagnostic, error
from .load import Document, _read_text
from .scan import scan_text

# The macros of site/macros.py (a test keeps the two lists equal).
MACROS = ("items", "role_entries", "situations", "library_counts")
_ARG = r"""(?:[a-z_]{1,20}\s*=\s*)?(?:"[^"{}%\\\n]{0,40}"|'[^'{}%\\\n]{0,40}'|[0-9]{1,4})"""
ALLOWED_CALL = re.compile(
    r"\{\{\s*(?:" + "|".join(MACROS) + r")\(\s*(?:" + _ARG + r"(?:\s*,\s*" + _ARG + r")*)?\s*\)\s*\}\}")
_OPEN = re.compile(r"\{[{%#]")


def template_problems(text: str) -> list[tuple[int, int]]:
    """(start, end) of every template opening that is not an allowed macro call."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _OPEN.search(text, pos)
        if m is None:
            return out
        call = ALLOWED_CALL.match(text, m.start())
        if call:
            pos = call.end()
            continue
        out.append((m.start(), m.end()))
        pos = m.start() + 1


def neutralise_templates(text: str) -> str:
    """The text with every disallowed `{{`, `{%`, `{#` made inert (`&#123;` shows as `{`)."""
    spans = template_problems(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, _ in spans:
        parts += [text[last:start], "&#123;"]
        last = start + 1
    parts.append(text[last:])
    return "".join(parts)


def docs_files(root: Path) -> list[Path]:
    docs = root / "docs"
    if not docs.is_dir() or docs.is_symlink():
        return []
    return sorted(p for p in docs.rglob("*.md") if p.is_file() and not p.is_symlink())


def check_docs(root: Path, files: list[Path], today: dt.date) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for path in files:
        doc = Document(path=path, rel=path.relative_to(root).as_posix())
        text = _read_text(doc)
        out += doc.problems
        if text is None:
            continue
        doc.body = text
        doc.body_line = 1
        lines = text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for start, _ in template_problems(text):
            line = max(i for i, s in enumerate(starts) if s <= start)
            out.append(error(doc.rel, line + 1, start - starts[line] + 1, "H052",
                             "docs/ 页面里只能用 casebook 的宏（如 {{ items(type=\"story\", limit=5) }}、"
                             "{{ role_entries() }}），不允许其他 {{ }}、{% %} 或 {# #} 模板语法；"
                             "要显示花括号请写 &#123;"))
        out += scan_text(doc, {}, frozenset(), today)
    return out
