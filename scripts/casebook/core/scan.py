"""The text scanners over every string of an item: personal data (guards.privacy) and unsafe
markup or links (guards.safety), reported at the file line and column of the match.

The privacy scan also reads numbers written without quotes (`author: 13812345678`) and the file's
own name, and honours the file's `privacy_ok` list: each entry excuses exactly the text it
quotes, for the kinds a word-based check may get wrong (names, addresses, landlines, e-mail),
and an entry that excuses nothing is reported, so stale excuses do not pile up."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Any

from ..guards import privacy, safety
from ..guards.normalise import normalise
from ..guards.reader import CN_DIGITS
from .diagnostics import Diagnostic, error, warning
from .load import Document, KeyPath
from .markdown import CROWDED, SIGN_NAMES, crowded_paragraphs
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


def _scalars(value: Any, path: KeyPath = ()):
    """Like `strings`, with numbers too: an unquoted 13812345678 is published as written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, str(value)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _scalars(v, path + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _scalars(v, path + (k,))
    elif isinstance(value, str):
        yield path, value


EXCUSE_KEY = "privacy_ok"


def _string_lists(value: Any, path: KeyPath = ()):
    """Lists of two or more scalars (tags, staff …): shown side by side, so read together too."""
    if isinstance(value, list):
        items = [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        if len(items) >= 2 and path[:1] != (EXCUSE_KEY,):
            yield path, items
        for i, v in enumerate(value):
            yield from _string_lists(v, path + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _string_lists(v, path + (k,))


def _across_items(doc: Document, data: dict, names: frozenset[str], today: dt.date) -> list[Diagnostic]:
    """Findings that only a list read as one line holds (tags: ["138", "1234", "5678"])."""
    out: list[Diagnostic] = []
    for path, items in _string_lists(data):
        shown = " ".join(items)
        if sum(c.isdigit() or c in CN_DIGITS for c in shown) < 7 and "@" not in shown:
            continue  # too few digits for a number split over items (the common case: words)
        ends, pos = [], 0
        for item in items:
            pos += len(item)
            ends.append(pos)
            pos += 1
        for f in privacy.scan(shown, names, today):
            first = bisect.bisect_left(ends, f.start + 1)
            if bisect.bisect_left(ends, f.end) == first:
                continue  # inside one item: reported with that item
            line, col = doc.pos(path + (first,))
            make = error if f.severity == "error" else warning
            out.append(make(doc.rel, line, col, f.code, f"{loc_text(path)}（几项连起来读）：{f.message}"))
    return out


def _offset_pos(line: int, col: int, text: str, offset: int) -> tuple[int, int]:
    newlines = text.count("\n", 0, offset)
    if newlines == 0:
        return line, col + offset
    return line + newlines, offset - text.rfind("\n", 0, offset)


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


_NEWLINE = re.compile("\n")
_SEP = "\n\u2029\n"  # between joined strings: no pattern matches across it


# Markdown's signs in a title: the page's <h1> is Markdown ("[领取补贴](https://…)" became a
# link there; the site escapes them too: site/pagekit.plain_heading). HTML is the safety scan's (H001).
_TITLE_MARKUP = re.compile(r"[\[\]`*_{}#|\\~]")


def crowded_problems(doc: Document) -> list[Diagnostic]:
    """S051: a paragraph of the body crowded with `[`, backticks, `*` or `_` (core/markdown.CROWDED)."""
    return [error(doc.rel, doc.body_line + line, 1, "S051",
                  f"这一段有 {n} 个“{sign}”，最多 {CROWDED[sign]} 个（这么多的{SIGN_NAMES[sign]}会让站点和培训包的"
                  "生成慢上几分钟甚至失败，且不是正常的写法）；请删去多余的符号，或把这一段拆开")
            for line, sign, n in crowded_paragraphs(doc.body)]


def _plain_title(doc: Document, data: dict) -> list[Diagnostic]:
    title = data.get("title")
    m = _TITLE_MARKUP.search(normalise(title).text) if isinstance(title, str) else None
    if m is None:
        return []
    line, col = doc.pos(("title",))
    return [error(doc.rel, line, col, "H058", f"标题只能写纯文字：“{m.group(0)}”是 Markdown 的标记，会让标题变成链接、"
                  "加粗或代码；请删去，需要括号时用中文的【】「」（）")]


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
    for path, text in _scalars(data):
        paths.append(path)
        texts.append(text)
    excuses = [e if isinstance(e, str) else "" for e in data.get(EXCUSE_KEY) or []] \
        if isinstance(data.get(EXCUSE_KEY), list) else []
    used: set[int] = set()

    def excused(f: privacy.Finding, path: KeyPath = (), text: str = "", offset: int = 0) -> bool:
        """True when the finding is not to be reported: excused by privacy_ok, or an excusable
        finding inside privacy_ok itself (an entry quoting a name is not a name to report)."""
        if path[:1] == (EXCUSE_KEY,):
            return f.code in privacy.EXCUSABLE
        entry = privacy.excuse(f, excuses, text, offset)
        if entry is None:
            return False
        used.add(excuses.index(entry))
        return True

    offsets: list[int] = []
    pos = 0
    for text in texts:
        offsets.append(pos)
        pos += len(text) + len(_SEP)
    joined = _SEP.join(texts)

    def place(offset: int) -> tuple[int, int, int]:
        i = bisect.bisect_right(offsets, offset) - 1
        line, col = doc.pos(paths[i])
        return (i, *_offset_pos(line, col, texts[i], offset - offsets[i]))

    if joined:
        norm = normalise(joined)
        for f in privacy.scan(norm.text, names, today, normalised=True):
            i, fl, fc = place(norm.orig(f.start))
            if not excused(f, paths[i], norm.text, f.start):
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
                if not excused(f, (), bnorm.text, f.start):
                    make = error if f.severity == "error" else warning
                    out.append(make(doc.rel, *at(f.start), f.code, f.message))
            for f in found_s:
                out.append(error(doc.rel, *at(f.start), f.code, f.message))
            for f in controls:
                out.append(error(doc.rel, *at(f.start, raw=True), f.code, f.message))
    out += _across_items(doc, data, names, today)
    out += _plain_title(doc, data)
    for f in privacy.scan(doc.path.name, names, today):
        if not excused(f, (), doc.path.name, f.start):
            make = error if f.severity == "error" else warning
            out.append(make(doc.rel, 1, 1, f.code, f"文件名：{f.message}"))
    for i, entry in enumerate(excuses):
        if i not in used:
            line, col = doc.pos((EXCUSE_KEY, i))
            out.append(warning(doc.rel, line, col, "P102",
                               f"privacy_ok 第 {i + 1} 项没有用到：没有一条姓名、住址、座机或邮箱提示的原文与它相同"
                               "（身份证号、手机号、银行卡号不能豁免）；请删除这一项"))
    return out
