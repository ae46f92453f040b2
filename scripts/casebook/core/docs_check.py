"""Hand-written pages under docs/: checked like items, and never a way to run code.

A docs/ page that asks for macros (`macros: true`) is rendered by Jinja — in a sandbox, with
casebook's four macros as its only names (site/docs_pages.py) — and unsandboxed Jinja reaches
Python (`{{ cycler.__init__.__globals__.os.popen('id').read() }}`). So a docs/ page may call
only casebook's own macros, each written as a plain call with literal arguments — the
allow-list below; anything else that opens a template tag is an error (H052), and the site
neutralises it before the sandbox sees the page (`neutralise_templates`, used by the plugin).
The pages also get the safety and privacy scans that items get.

A page's metadata reaches the theme's templates, some of which print it unescaped (a nav
subtitle on every page, the description in a meta tag), and a key named like a macro could
shadow it. So the front matter is read as MkDocs reads it (YAML between `---`
lines, else MultiMarkdown `Key: value` lines at the top) and must fit a small schema: known keys
only — the ones the site keeps (F002; a key named like a macro, H055) — each value plain text
(H054: no markup, quotes, braces or control characters). A page's title comes from its front matter, else its first H1,
else its file name: the H1 is held to the same rule, and the names of docs/ files and folders to
lower-case kebab-case (core.file_names).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from .diagnostics import Diagnostic, error
from .load import Document, _read_text, parse_yaml
from .scan import crowded_problems, scan_text
from .terminal import CONTROL

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
    # (any case: MkDocs publishes x.MD as a page too)
    return sorted(p for p in docs.rglob("*") if p.suffix.lower() == ".md" and p.is_file() and not p.is_symlink())


# What a docs/ page may set: the keys the site keeps (site/docs_pages.clean_docs_meta drops
# every other one, and `template`, `subtitle` or `search` set by a page would otherwise reach
# the theme). `macros: true` asks for casebook's macros in the page's body.
TEXT_KEYS = {"title": 60, "description": 200}  # key → most characters
HIDE = ("navigation", "toc", "footer", "feedback", "path", "tags")
KEYS = (*TEXT_KEYS, "hide", "macros")
# names a page's metadata would shadow where a template or a macro call looks names up:
# casebook's macros and the names MkDocs' and the theme's templates use
MACRO_CONTEXT = (*MACROS, "config", "page", "nav", "navigation", "files", "environment", "plugin",
                 "filters", "extra", "context", "base_url", "mkdocs_version", "build_date_utc")
# Plain text: no markup (< > &), no attribute break (" '), no template syntax ({ }), no
# control, bidi or zero-width character. Chinese quotes and brackets are fine.
_NOT_PLAIN = re.compile(r"""[<>&"'{}\t\n\u200b\u2060\ufeff]|""" + CONTROL.pattern)
_YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as mkdocs.utils.meta
_META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
_H1 = re.compile(r"^ {0,3}#(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$")


def read_meta(doc: Document, text: str) -> tuple[dict, int]:
    """The metadata MkDocs reads from a page, with positions in `doc`, and the body's first
    line. YAML front matter is parsed with the library's strict loader (no tags, no anchors);
    without it, MkDocs takes `Key: value` lines at the very top as metadata, and so does this."""
    m = _YAML_RE.match(text)
    if m:
        data = parse_yaml(doc, m.group(1), line_offset=2)
        return (data if isinstance(data, dict) else {}), text[:m.end()].count("\n") + 1
    if text.startswith("---\n") or text.rstrip("\n") == "---":
        doc.problems.append(error(doc.rel, 1, 1, "L004", "front matter 没有结束：请在字段之后加一行 ---"))
        return {}, 1
    data: dict = {}
    key = None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            return data, i + 1
        if m1 := _META_RE.match(line):
            key = m1.group("key").lower().strip()
            data[key] = f"{data[key]} {m1.group('value').strip()}" if key in data else m1.group("value").strip()
            doc.key_pos.setdefault((key,), (i + 1, 1))
            doc.value_pos.setdefault((key,), (i + 1, m1.start("value") + 1))
        elif key and (m2 := _META_MORE_RE.match(line)):
            data[key] += f" {m2.group('value').strip()}"
        else:
            return data, i + 1
    return data, len(lines) + 1


def plain_text_problem(value: str) -> str | None:
    """Why `value` is not plain text, or None."""
    bad = _NOT_PLAIN.search(value)
    if bad is None:
        return None
    char = bad.group()
    shown = char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"
    return f"含有“{shown}”"


def meta_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """The schema of a docs/ page's metadata (the values MkDocs, Material and the macros read)."""
    out: list[Diagnostic] = []
    for key, value in data.items():
        line, col = doc.key_or_value_pos((key,))
        if not isinstance(key, str):
            out.append(error(doc.rel, line, col, "F002", f"字段名“{key}”应为英文单词；可用字段：{'、'.join(KEYS)}"))
            continue
        if key in MACRO_CONTEXT or key.lower() in MACRO_CONTEXT:
            out.append(error(doc.rel, line, col, "H055", f"字段“{key}”与站点的宏或模板变量同名，会遮住它；"
                             f"请删去这个字段（可用字段：{'、'.join(KEYS)}）"))
            continue
        if key not in KEYS:
            near = difflib.get_close_matches(key.lower(), KEYS, n=1)
            hint = f"是不是“{near[0]}”？" if near else ""
            out.append(error(doc.rel, line, col, "F002", f"docs/ 页面不认识字段“{key}”；{hint}可用字段：{'、'.join(KEYS)}"))
            continue
        vline, vcol = doc.pos((key,))
        out += _value_problems(doc, key, value, vline, vcol)
    return out


def _value_problems(doc: Document, key: str, value, line: int, col: int) -> list[Diagnostic]:
    def bad(code: str, message: str) -> list[Diagnostic]:
        return [error(doc.rel, line, col, code, message)]

    if key in TEXT_KEYS:
        if not isinstance(value, str):
            return bad("F003", f"{key} 应为一段文字")
        if why := plain_text_problem(value):
            return bad("H054", f"{key} 只能写纯文字，不能有标记、引号、花括号或控制字符：{why}；"
                       "要引用请用中文引号“”")
        if len(value) > TEXT_KEYS[key]:
            return bad("F004", f"{key} 有 {len(value)} 个字，最多 {TEXT_KEYS[key]} 个")
        return []
    if key == "hide":
        items = value if isinstance(value, list) else None
        if items is None or not all(isinstance(v, str) for v in items):
            return bad("F003", f"hide 应为列表，如 [toc]；可用：{'、'.join(HIDE)}")
        wrong = [v for v in items if v not in HIDE]
        return bad("F006", f"hide 里的“{plain_label(wrong[0])}”不认识；可用：{'、'.join(HIDE)}") if wrong else []
    if key == "macros":
        return [] if isinstance(value, bool) else bad("F003", "macros 只能是 true（页面正文里用 casebook 的宏）或 false")
    return []


def plain_label(value: object) -> str:
    """A value quoted back in a message, cut short and without control characters."""
    return CONTROL.sub("?", str(value))[:30]


def h1_problems(doc: Document, body: str, first_line: int) -> list[Diagnostic]:
    """The page's first H1 (MkDocs' title when the metadata has none) must be plain text."""
    fence = False
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        m = _H1.match(line)
        heading = m.group(1) or "" if m else None
        if heading is None and line.strip() and i + 1 < len(lines) and _SETEXT.match(lines[i + 1]):
            heading = line.strip()  # a setext heading: the text over a line of =
        if heading is not None:
            why = plain_text_problem(heading)
            return [error(doc.rel, first_line + i, 1, "H054", f"页面标题（第一个一级标题）只能写纯文字：{why}；"
                          "要引用请用中文引号“”")] if why else []
    return []


def check_docs(root: Path, files: list[Path], today: dt.date) -> list[Diagnostic]:
    from .file_names import docs_name_problems

    out: list[Diagnostic] = []
    for path in files:
        doc = Document(path=path, rel=path.relative_to(root).as_posix())
        out += docs_name_problems(doc.rel, root)
        text = _read_text(doc)
        if text is None:
            out += doc.problems
            continue
        data, body_line = read_meta(doc, text)
        out += doc.problems
        out += meta_problems(doc, data)
        lines = text.split("\n")
        doc.body = "\n".join(lines[body_line - 1:])
        doc.body_line = body_line
        if "title" not in data:
            out += h1_problems(doc, doc.body, body_line)
        out += crowded_problems(doc)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for start, _ in template_problems(text):
            line = max(i for i, s in enumerate(starts) if s <= start)
            out.append(error(doc.rel, line + 1, start - starts[line] + 1, "H052",
                             "docs/ 页面里只能用 casebook 的宏（如 {{ items(type=\"story\", limit=5) }}、"
                             "{{ role_entries() }}），不允许其他 {{ }}、{% %} 或 {# #} 模板语法；"
                             "要显示花括号请写 &#123;"))
        out += scan_text(doc, data, frozenset(), today)
    return out
