"""Read one casebook file: front matter + Markdown body, or a plain YAML file.

The one loader every consumer uses (checker, site, packs). It keeps the file line and column of
every front-matter key and value, so a problem points at the line an editor must change, and it
never raises on bad input: every problem becomes a Diagnostic.

YAML is read with a resolver of our own instead of PyYAML's YAML 1.1 one: only `true`/`false`
are booleans, only plain decimals are numbers, only `YYYY-MM-DD` is a date. So `no`, `on`,
`0755` and `1:30` stay text, never False or a number. Duplicate keys, tags such as
`!!python/object`, and anchors/aliases (the "billion laughs" bomb) are errors.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, error

try:  # libyaml parses ~10x faster; the pure-Python parser gives the same nodes
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

Pos = tuple[int, int]  # (line, col), both 1-based, in the file
KeyPath = tuple  # e.g. ("phrases", 2, "say")

MAX_NODES = 20_000  # far above any real item; stops pathological files early


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2-core-like implicit types: nothing that surprises a Chinese editor."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]+)$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), list("0123456789"))


class _Loader(_Parser, _Resolver):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str):
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


@dataclass
class Document:
    """One file as read: data plus where every piece of it sits in the file."""

    path: Path
    rel: str  # path relative to the library root, forward slashes
    data: Any = None  # front matter (a dict) or YAML content; None if unreadable
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    value_pos: dict[KeyPath, Pos] = field(default_factory=dict)
    key_pos: dict[KeyPath, Pos] = field(default_factory=dict)
    start_pos: Pos = (1, 1)  # where "the front matter as a whole" sits (for missing fields)
    problems: list[Diagnostic] = field(default_factory=list)
    bank_keys: tuple[str, ...] = ()  # the 【bank.KEY】 parameters filled in (core/bank.fill_document)

    @property
    def ok(self) -> bool:
        return self.data is not None

    def pos(self, path: KeyPath) -> Pos:
        """Best position for a key path: its value, else its key, else the nearest parent."""
        p = tuple(path)
        while p:
            if p in self.value_pos:
                return self.value_pos[p]
            if p in self.key_pos:
                return self.key_pos[p]
            p = p[:-1]
        return self.start_pos

    def key_or_value_pos(self, path: KeyPath) -> Pos:
        p = tuple(path)
        return self.key_pos.get(p) or self.pos(p)

    def body_lines(self) -> list[tuple[int, str]]:
        return [(self.body_line + i, line) for i, line in enumerate(self.body.split("\n"))]


class _Builder:
    """Turns a composed YAML node tree into plain Python values, recording positions."""

    def __init__(self, doc: Document, line_offset: int):
        self.doc = doc
        self.offset = line_offset  # file line of the YAML text's first line
        self.count = 0
        self.seen: set[int] = set()

    def at(self, node) -> Pos:
        return (node.start_mark.line + self.offset, node.start_mark.column + 1)

    def fail(self, node, code: str, message: str) -> None:
        line, col = self.at(node)
        self.doc.problems.append(error(self.doc.rel, line, col, code, message))

    def build(self, node, path: KeyPath = ()) -> Any:
        # hot path: every node of every file passes here
        if id(node) in self.seen:  # the same node twice means an alias (*name)
            self.fail(node, "L009", "不支持 YAML 锚点和别名（& 与 *）；请把内容直接写出来")
            raise _Abort
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(node, "L009", f"front matter 过于庞大（超过 {MAX_NODES} 个节点）")
            raise _Abort
        if node.tag not in _ALLOWED_TAGS:
            self.fail(node, "L008", f"不允许的 YAML 标签 {node.tag}；请去掉它，直接写值")
            raise _Abort
        mark = node.start_mark
        self.doc.value_pos[path] = (mark.line + self.offset, mark.column + 1)
        cls = node.__class__
        if cls is ScalarNode:
            if node.tag == _STR:
                return node.value
            return self.scalar(node)
        if cls is SequenceNode:
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if cls is MappingNode:
            return self.mapping(node, path)
        raise _Abort  # pragma: no cover - no other node kinds exist

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag.rsplit(":", 1)[1], node.value
        try:
            if tag == "int":
                return int(value, 10)
            if tag == "float":
                return float(value)
            if tag == "bool":
                return value.lower() == "true"
            if tag == "null":
                return None
            if tag == "timestamp":
                # an impossible date (2026-02-30) stays text; the model reports it at its line
                return date.fromisoformat(value)
        except ValueError:
            if tag == "timestamp":
                return value
            shown = value if len(value) <= 40 else f"{value[:20]}…（共 {len(value)} 个字符）"  # (not 5,000 digits)
            self.fail(node, "L005", f"“{shown}”不是有效的{ {'int': '整数', 'float': '数字', 'bool': '布尔值'}.get(tag, '值') }")
            raise _Abort from None
        return value

    def mapping(self, node: MappingNode, path: KeyPath) -> dict:
        out: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "L006", "字段名必须是简单的文字")
                raise _Abort
            if key_node.tag not in _ALLOWED_TAGS:
                self.fail(key_node, "L008", f"不允许的 YAML 标签 {key_node.tag}")
                raise _Abort
            key = self.scalar(key_node)
            if isinstance(key, date):
                key = key.isoformat()
            if key in first:
                line, col = self.at(key_node)
                self.doc.problems.append(error(
                    self.doc.rel, line, col, "L007",
                    f"字段“{key}”重复出现（第一次在第 {first[key][0]} 行）；请删除或合并其中一个"))
                continue  # keep the first value, keep reading for more problems
            first[key] = self.at(key_node)
            self.doc.key_pos[path + (key,)] = self.at(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out


_STR = "tag:yaml.org,2002:str"


class _Abort(Exception):
    """Stop building a document after a problem that makes the rest meaningless."""


# PyYAML's problems in words an editor can act on.
_YAML_HINTS = [
    ("mapping values are not allowed", "一行里出现了多余的“: ”（英文冒号加空格）；如果这是正文，请给整个值加引号"),
    ("found undefined alias", "以 * 开头的值会被当作别名；请给整个值加引号"),
    ("found character '\\t'", "不能用 Tab 缩进，请改用空格"),
    ("found a tab character", "不能用 Tab 缩进，请改用空格"),  # (libyaml's words for it)
    ("found character '@'", "以 @ 或 ` 开头的值请加引号"),
    ("found character '`'", "以 @ 或 ` 开头的值请加引号"),
    ("did not find expected key", "缩进不一致，或者引号没有配对"),
    ("did not find expected '-' indicator", "列表的缩进不一致"),
    ("found unexpected end of stream", "引号没有配对"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("expected <block end>, but found", "缩进不一致"),
    ("could not find expected ':'", "字段名后面缺少“: ”（英文冒号加空格），或引号没有配对"),
]


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or exc.context or "无法解析"
    full = f"{exc.context or ''} {problem}"
    mark = exc.problem_mark
    if mark is not None and problem.startswith("found character that cannot start any token"):
        # (libyaml, unlike PyYAML's own parser, does not say which character: read it from the text)
        lines = text.split("\n")
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            full += f" found character {lines[mark.line][mark.column]!r}"
    for needle, hint in _YAML_HINTS:
        if needle in full:
            return f"YAML 语法错误：{hint}（{problem}）"
    return f"YAML 语法错误：{problem}"


# a field name followed by a full-width colon (a Chinese input method's), or by a colon and a
# space that is not one (U+00A0 pasted from Word or a web page, U+3000 the full-width space)
_FULL_COLON = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*：")
_ODD_SPACE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):([\u00a0\u3000])")


def _width_slip(text: str, upto: int | None) -> tuple[int, int, str] | None:
    """(line, column, message) of the first such slip at or before line `upto` (0-based)."""
    for n, line in enumerate(text.split("\n")):
        if upto is not None and n > upto:
            break
        if m := _FULL_COLON.match(line):
            return n, m.end(2) + 1, (f"YAML 语法错误：字段名 {m.group(2)} 后面是全角冒号“：”；"
                                     f"请改成英文冒号加一个空格，如 {m.group(2)}: …")
        if m := _ODD_SPACE.match(line):
            space = "不换行空格（U+00A0，常见于从 Word 或网页复制的文字）" if m.group(3) == "\u00a0" else "全角空格"
            return n, m.end(2) + 2, f"YAML 语法错误：{m.group(2)}: 后面是{space}；请删掉它，换成一个普通空格"
    return None


def parse_yaml(doc: Document, text: str, line_offset: int) -> Any:
    """Parse YAML `text` whose first line is file line `line_offset`; problems go to doc."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = _width_slip(text, mark.line if mark else None)
        if slip is not None:  # (YAML only stumbles a line later, on what follows it)
            n, col, message = slip
            doc.problems.append(error(doc.rel, n + line_offset, col, "L005", message))
            return None
        line = (mark.line + line_offset) if mark else line_offset
        col = (mark.column + 1) if mark else 1
        doc.problems.append(error(doc.rel, line, col, "L005", _yaml_message(exc, text)))
        return None
    except yaml.YAMLError as exc:  # reader errors (control characters) and the like
        doc.problems.append(error(doc.rel, line_offset, 1, "L005", f"YAML 语法错误：{exc}"))
        return None
    if node is None:
        return None
    try:
        return _Builder(doc, line_offset).build(node)
    except _Abort:
        return None
    except RecursionError:
        doc.problems.append(error(doc.rel, line_offset, 1, "L009", "front matter 嵌套过深"))
        return None


MAX_FILE_BYTES = 1024 * 1024  # 1 MB: a hundred times the longest real item


def symlink_message(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:  # pragma: no cover - it was a link a moment ago
        target = "?"
    return (f"这是指向 {target} 的符号链接；案例库里只能放真实的文件和文件夹（链接可能把库外的文件发布出去），"
            "请换成文件本身")


def _read_text(doc: Document) -> str | None:
    try:
        if doc.path.is_symlink():  # never read through a link: it may point anywhere on the machine
            doc.problems.append(error(doc.rel, 1, 1, "L050", symlink_message(doc.path)))
            return None
        if doc.path.stat().st_size > MAX_FILE_BYTES:
            doc.problems.append(error(doc.rel, 1, 1, "L052",
                                      f"文件超过 {MAX_FILE_BYTES // 1024} KB；请拆成几个条目，图片放进 cases/media/"))
            return None
        raw = doc.path.read_bytes()
    except OSError as exc:
        doc.problems.append(error(doc.rel, 1, 1, "L001", f"无法读取文件：{exc.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = "UTF-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "GBK"  # (Windows Notepad's "Unicode")
        doc.problems.append(error(
            doc.rel, line, col, "L001",
            f"文件不是 UTF-8 编码（可能是 {guess}）；请在编辑器里用“UTF-8”另存"))
        return None
    text = text.removeprefix("\ufeff")  # a BOM from Windows Notepad is harmless
    return text.replace("\r\n", "\n").replace("\r", "\n")


def relpath(path: Path, root: Path) -> str:
    """Path relative to the library root, with forward slashes (as diagnostics print it)."""
    try:
        return path.relative_to(root).as_posix()  # fast path: paths found under the root
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_document(path: Path, root: Path) -> Document:
    """A Markdown file with YAML front matter between `---` lines."""
    doc = Document(path=path, rel=relpath(path, root))
    text = _read_text(doc)
    if text is None:
        return doc
    if not text.strip():
        doc.problems.append(error(doc.rel, 1, 1, "L002", "文件是空的；请从 casebook new 生成的模板开始写"))
        return doc
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        doc.problems.append(error(
            doc.rel, 1, 1, "L003", "文件第一行应为 ---，后面跟 front matter（标题、摘要等字段），再以 --- 结束"))
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        doc.problems.append(error(doc.rel, 1, 1, "L004", "front matter 没有结束：请在字段之后加一行 ---"))
        return doc
    doc.start_pos = (1, 1)
    doc.body_line = end + 2
    doc.body = "\n".join(lines[end + 1:])
    data = parse_yaml(doc, "\n".join(lines[1:end]), line_offset=2)
    if doc.problems:
        return doc
    if not isinstance(data, dict):
        what = "空的" if data is None else "一个单独的值或列表"
        doc.problems.append(error(doc.rel, 2, 1, "L006", f"front matter 是{what}，应为“字段: 值”的映射"))
        return doc
    doc.data = data
    return doc


def load_yaml_file(path: Path, root: Path) -> Document:
    """A plain YAML file (outlet profile, vocabulary, programme); must be a mapping."""
    doc = Document(path=path, rel=relpath(path, root))
    text = _read_text(doc)
    if text is None:
        return doc
    if not text.strip():
        doc.problems.append(error(doc.rel, 1, 1, "L002", "文件是空的"))
        return doc
    data = parse_yaml(doc, text, line_offset=1)
    if doc.problems:
        return doc
    if not isinstance(data, dict):
        doc.problems.append(error(doc.rel, 1, 1, "L006", "文件内容应为“字段: 值”的映射"))
        return doc
    doc.data = data
    return doc
