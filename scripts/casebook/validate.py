"""Validate one loaded file on its own: fields, vocabulary, headings, privacy, safety.

Everything that needs only the file itself and the vocabulary lives here; rules that look
across files (references, images, programme courses) live in `library`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from . import markdown, privacy, safety
from .diagnostics import Diagnostic, error, warning
from .load import Document, KeyPath
from .model import (FOLDERS, ITEM_MODELS, MIN_BODY_CHARS, OPTIONAL_HEADINGS, REQUIRED_DUTY_ROLES,
                    REQUIRED_HEADINGS, TYPE_LABELS, VOCAB_FIELDS, ItemBase, Outlet, Programme)
from .vocabulary import Vocabulary

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What `casebook new` writes where an editor must fill something in: 【待填写：hint】
PLACEHOLDER = "【待填写"
_PLACEHOLDER_RE = re.compile(r"【待填写[：:]?([^】]*)】?")


def placeholder_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """An unfilled scaffold fails, saying what to fill in, at the line of each placeholder."""
    out: list[Diagnostic] = []
    for path, text in _strings(data):
        for m in _PLACEHOLDER_RE.finditer(text):
            line, col = doc.pos(path)
            out.append(error(doc.rel, line, col, "F010", f"{_loc_text(path)} 还没填写：{m.group(1).strip() or '请填写'}"))
    for line_no, line in doc.body_lines():
        for m in _PLACEHOLDER_RE.finditer(line):
            out.append(error(doc.rel, line_no, m.start() + 1, "F010", f"正文还没填写：{m.group(1).strip() or '请填写'}"))
    return out


@dataclass
class Item:
    """A valid library item: its id, type, typed front matter and Markdown body."""

    id: str  # e.g. "complaints/peak-queue-long-wait"
    type: str  # e.g. "complaint"
    meta: ItemBase
    body: str
    doc: Document = field(repr=False)

    @property
    def rel(self) -> str:
        return self.doc.rel

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def __getattr__(self, name: str) -> Any:  # item.title, item.phrases … read the front matter
        if name.startswith("_") or name in ("meta", "doc"):
            raise AttributeError(name)
        return getattr(self.meta, name)


# --- pydantic errors in words editors understand -------------------------------------------

_KIND = {
    "string_type": "文字", "int_type": "整数", "int_parsing": "整数", "float_type": "数字",
    "bool_type": "true 或 false", "list_type": "列表（每项一行，以“- ”开头；或写成 [甲, 乙]）",
    "dict_type": "“字段: 值”的映射", "model_type": "“字段: 值”的映射", "model_attributes_type": "“字段: 值”的映射",
    "date_type": "日期（YYYY-MM-DD）", "date_from_datetime_inexact": "日期（YYYY-MM-DD）",
}


def _describe(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"布尔值 {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"数字 {value}"
    if isinstance(value, dt.date):
        return f"日期 {value.isoformat()}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return f"文字“{value}”"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last part of `loc`."""
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if current is None:
            return None
        if isinstance(part, int) or part not in current.model_fields:
            continue
        current = _model_in(current.model_fields[part].annotation)
    return current


def _title(model: type[BaseModel], loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    owner = _model_at(model, loc)
    if owner is not None and names and names[-1] in owner.model_fields:
        title = owner.model_fields[names[-1]].title
        return f"{names[-1]}（{title}）" if title else names[-1]
    return ".".join(str(p) for p in loc)


def _loc_text(loc: tuple) -> str:
    out = ""
    for p in loc:
        out += f"[{p + 1}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def model_problems(doc: Document, exc: ValidationError, model: type[BaseModel], base: KeyPath = ()) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        value = err.get("input")
        name = _title(model, loc)
        where = _loc_text(loc)
        if kind == "missing":
            line, col = doc.pos(base + loc[:-1])
            out.append(error(doc.rel, line, col, "F001", f"缺少必填字段 {name}" + (f"（位置 {where}）" if len(loc) > 1 else "")))
            continue
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            valid = list(owner.model_fields) if owner else []
            near = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.5)
            hint = f"是否想写 {near[0]}？" if near else f"可用字段：{', '.join(valid)}"
            line, col = doc.key_or_value_pos(base + loc)
            out.append(error(doc.rel, line, col, "F002", f"未知字段“{loc[-1]}”；{hint}"))
            continue
        line, col = doc.pos(base + loc)
        if kind in ("date_type", "date_parsing", "date_from_datetime_parsing") and isinstance(value, str):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                msg = f"{name}：日期 {value} 不存在（月份 1–12，日期不超过当月天数）"
            else:
                msg = f"{name}：“{value}”不是日期；请写成 YYYY-MM-DD，如 2026-05-12"
            out.append(error(doc.rel, line, col, "F005", msg))
        elif kind in _KIND:
            hint = ""
            if kind == "string_type" and isinstance(value, (int, float, bool, dt.date)):
                hint = "；如果这是文字，请给值加上引号"
            if kind == "bool_type":
                hint = "；请写 true（是）或 false（否）"
            out.append(error(doc.rel, line, col, "F003",
                             f"{name} 应为{_KIND[kind]}，现在是{_describe(value)}{hint}"))
        elif kind in ("string_too_short", "string_too_long"):
            lo, hi = _length_bounds(model, loc)
            count = len(value) if isinstance(value, str) else 0
            rule = f"{lo}–{hi} 个字" if lo and hi else (f"不超过 {hi} 个字" if hi else f"至少 {lo} 个字")
            out.append(error(doc.rel, line, col, "F004", f"{name} 应为{rule}，现在是 {count} 个字"))
        elif kind in ("too_short", "too_long"):
            line, col = doc.key_or_value_pos(base + loc)
            actual = ctx.get("actual_length")
            if kind == "too_short":
                rule = f"至少需要 {ctx.get('min_length')} 项"
            else:
                rule = f"最多 {ctx.get('max_length')} 项"
            out.append(error(doc.rel, line, col, "F004", f"{name} {rule}，现在是 {actual} 项"))
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            bound = next(iter(ctx.values()), "")
            words = {"greater_than": "大于", "greater_than_equal": "不小于",
                     "less_than": "小于", "less_than_equal": "不大于"}[kind]
            out.append(error(doc.rel, line, col, "F009", f"{name} 应{words} {bound}，现在是 {value}"))
        elif kind == "literal_error":
            expected = ctx.get("expected", "")
            out.append(error(doc.rel, line, col, "F006",
                             f"{name} 只能是 {expected}，现在是{_describe(value)}"))
        elif kind == "string_pattern_mismatch":
            out.append(error(doc.rel, line, col, "F003", f"{name} 应以 http:// 或 https:// 开头，现在是{_describe(value)}"))
        else:
            out.append(error(doc.rel, line, col, "F003", f"{name}：{err['msg']}"))
    return out


def _length_bounds(model: type[BaseModel], loc: tuple) -> tuple[int | None, int | None]:
    owner = _model_at(model, loc)
    if owner is None or loc[-1] not in owner.model_fields:
        return None, None
    lo = hi = None
    for meta in owner.model_fields[loc[-1]].metadata:
        lo = getattr(meta, "min_length", lo)
        hi = getattr(meta, "max_length", hi)
    return lo, hi


# --- vocabulary -------------------------------------------------------------------------------

def normalise_vocab(doc: Document, data: dict, path: KeyPath, vocab_name: str, vocab: Vocabulary,
                    label: str, allow_free: bool = False) -> list[Diagnostic]:
    """Check data[path[-1]] (a value or a list) against a vocabulary; aliases become canonical."""
    out: list[Diagnostic] = []
    container = data
    for part in path[:-1]:
        container = container.get(part) if isinstance(container, dict) else None
        if container is None:
            return out
    key = path[-1]
    if not isinstance(container, dict) or key not in container:
        return out
    raw = container[key]
    values = raw if isinstance(raw, list) else [raw]
    kept: list[Any] = []
    seen: set[str] = set()
    for i, value in enumerate(values):
        vpath = path + (i,) if isinstance(raw, list) else path
        line, col = doc.pos(vpath)
        if not isinstance(value, str):
            kept.append(value)  # the model reports the wrong type
            continue
        if value.startswith(PLACEHOLDER):
            kept.append(value)  # reported once, as an unfilled placeholder (F010)
            continue
        found = vocab.lookup(vocab_name, value)
        if found.kind == "alias":
            out.append(warning(doc.rel, line, col, "F007",
                               f"{label}“{value}”是别名，请改为标准写法“{found.canonical}”"))
            value = found.canonical
        elif found.kind == "unknown":
            if allow_free:
                kept.append(value)
                continue
            near = "、".join(f"“{n}”" for n in found.nearest)
            out.append(error(doc.rel, line, col, "F006",
                             f"{label}“{value}”不在词表 {vocab_name} 中；最接近的有效值：{near}"
                             f"（如需新增，请在 cases/vocabulary.yml 中添加）"))
            kept.append(value)  # keep it, so no second error (e.g. "list too short") follows
            continue
        if value in seen:
            out.append(warning(doc.rel, line, col, "D004", f"{label}“{value}”重复出现"))
            continue
        seen.add(value)
        kept.append(value)
    container[key] = kept if isinstance(raw, list) else (kept[0] if kept else raw)
    return out


def _normalise_keys(doc: Document, data: dict, field_name: str, vocab: Vocabulary, label: str) -> list[Diagnostic]:
    """Mapping keys that must be roles (duties, outlet staff)."""
    out: list[Diagnostic] = []
    mapping = data.get(field_name)
    if not isinstance(mapping, dict):
        return out
    fixed: dict = {}
    for key, value in mapping.items():
        line, col = doc.key_or_value_pos((field_name, key))
        found = vocab.lookup("roles", str(key))
        if found.kind == "alias":
            out.append(warning(doc.rel, line, col, "F007", f"{label}“{key}”是别名，请改为标准写法“{found.canonical}”"))
            key = found.canonical
        elif found.kind == "unknown":
            near = "、".join(f"“{n}”" for n in found.nearest)
            out.append(error(doc.rel, line, col, "F006",
                             f"{label}“{key}”不在岗位词表 roles 中；最接近的有效值：{near}"))
            continue
        if key in fixed:
            out.append(error(doc.rel, line, col, "L007", f"岗位“{key}”重复出现"))
            continue
        fixed[key] = value
    data[field_name] = fixed
    return out


# --- text scanners over every string ---------------------------------------------------------

def _strings(value: Any, path: KeyPath = ()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))


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
    for path, text in _strings(data):
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
                out.append(make(doc.rel, fl, fc, f.code, f"{_loc_text(paths[i])}：{f.message}"))
        for f in safety.scan(joined):
            i, fl, fc = place(f.start)
            out.append(error(doc.rel, fl, fc, f.code, f"{_loc_text(paths[i])}：{f.message}"))
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


# --- per type ---------------------------------------------------------------------------------

def _heading_problems(doc: Document, kind: str) -> list[Diagnostic]:
    required = REQUIRED_HEADINGS.get(kind)
    if not required:
        return []
    out: list[Diagnostic] = []
    found = [h for h in markdown.headings(doc.body, doc.body_line) if h.level == 2]
    lines = {h.text: h.line for h in reversed(found)}  # first occurrence wins
    last_index, last_text = -1, None
    for h in found:
        if h.text not in required:
            continue
        index = required.index(h.text)
        if index < last_index:
            out.append(error(doc.rel, h.line, 1, "S002",
                             f"二级标题“## {h.text}”应放在“## {last_text}”之前（顺序：{' → '.join(required)}）"))
        else:
            last_index, last_text = index, h.text
    optional = OPTIONAL_HEADINGS.get(kind, [])
    for i, text in enumerate(required):
        if text in lines:
            continue
        previous = [lines[t] for t in required[:i] if t in lines]
        line = previous[-1] if previous else doc.body_line
        near = difflib.get_close_matches(text, [h.text for h in found if h.text not in required + optional], n=1, cutoff=0.4)
        hint = f"（“{near[0]}”是不是它？标题文字须完全一致）" if near else ""
        out.append(error(doc.rel, line, 1, "S001",
                         f"{TYPE_LABELS[kind]}缺少二级标题“## {text}”{hint}；应有：{'、'.join(required)}"))
    return out


def _review_problem(doc: Document, data: dict, today: dt.date) -> list[Diagnostic]:
    review_by = data.get("review_by")
    if isinstance(review_by, dt.date) and review_by < today:
        line, col = doc.pos(("review_by",))
        return [warning(doc.rel, line, col, "D003",
                        f"复核日期 {review_by.isoformat()} 已过：请核对内容（规则可能已变），更新后修改 review_by 和 updated")]
    return []


def item_id(rel: str) -> str:
    """cases/complaints/x.md → complaints/x"""
    return rel.removeprefix("cases/").removesuffix(".md")


def validate_item(doc: Document, kind: str, vocab: Vocabulary, today: dt.date) -> tuple[Item | None, list[Diagnostic]]:
    problems = list(doc.problems)
    stem = doc.path.stem
    if not SLUG_RE.match(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "new-item"
        problems.append(error(doc.rel, 1, 1, "L010",
                              f"文件名“{doc.path.name}”只能用小写英文字母、数字和连字符，如 {suggestion}.md"))
    if not doc.ok:
        return None, problems
    data = dict(doc.data)
    declared = data.get("type")
    if declared is not None and declared != kind:
        line, col = doc.pos(("type",))
        folder = {v: k for k, v in FOLDERS.items()}[kind]
        problems.append(error(doc.rel, line, col, "F008",
                              f"type 写的是“{declared}”，但文件在 cases/{folder}/ 下（应为 {kind}）；删除 type 或移动文件"))
    for field_name, vocab_name in VOCAB_FIELDS.items():
        if field_name in data:
            label = ITEM_MODELS[kind].model_fields.get(field_name)
            problems += normalise_vocab(doc, data, (field_name,), vocab_name, vocab,
                                        label.title if label else field_name)
    if kind == "emergency":
        problems += _normalise_keys(doc, data, "duties", vocab, "职责岗位")
    model = ITEM_MODELS[kind]
    meta = None
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(doc, exc, model)
    problems += _heading_problems(doc, kind)
    minimum = MIN_BODY_CHARS.get(kind)
    if minimum and markdown.text_length(doc.body) < minimum:
        problems.append(error(doc.rel, doc.body_line, 1, "S003",
                              f"{TYPE_LABELS[kind]}正文至少 {minimum} 个字，现在是 {markdown.text_length(doc.body)} 个字"))
    if kind == "emergency" and isinstance(data.get("duties"), dict):
        missing = [r for r in REQUIRED_DUTY_ROLES if r not in data["duties"]]
        if missing:
            line, col = doc.key_or_value_pos(("duties",))
            problems.append(error(doc.rel, line, col, "D001",
                                  f"duties（岗位职责）必须写明 {'、'.join(missing)} 的职责"))
    problems += _review_problem(doc, data, today)
    problems += placeholder_problems(doc, doc.data)
    names = frozenset(n for n in data.get("staff", []) or [] if isinstance(n, str))
    problems += scan_text(doc, data, names, today)
    if meta is None or any(p.severity.value == "error" for p in problems):
        return None, problems
    return Item(item_id(doc.rel), kind, meta, doc.body, doc), problems


def validate_outlet(doc: Document, vocab: Vocabulary, today: dt.date) -> tuple[Outlet | None, list[Diagnostic]]:
    problems = list(doc.problems)
    if not SLUG_RE.match(doc.path.stem):
        problems.append(error(doc.rel, 1, 1, "L010",
                              f"文件名“{doc.path.name}”只能用小写英文字母、数字和连字符（它也是培训包的文件夹名）"))
    if not doc.ok:
        return None, problems
    data = dict(doc.data)
    problems += _normalise_keys(doc, data, "staff", vocab, "岗位")
    profile = data.get("profile")
    if isinstance(profile, dict):
        data["profile"] = profile = dict(profile)
        problems += normalise_vocab(doc, data, ("profile", "customer_groups"), "customer_groups", vocab, "客户群体")
        problems += normalise_vocab(doc, data, ("profile", "peak_periods"), "periods", vocab, "高峰时段")
        problems += normalise_vocab(doc, data, ("profile", "recent_complaints"), "root_cause", vocab, "近期投诉",
                                    allow_free=True)
    meta = None
    try:
        meta = Outlet.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(doc, exc, Outlet)
    if meta is not None and meta.start_date <= meta.big_class_date:
        line, col = doc.pos(("start_date",))
        problems.append(error(doc.rel, line, col, "D002",
                              f"驻点开始日期 {meta.start_date} 应在大课日期 {meta.big_class_date} 之后"))
    names: set[str] = set()
    for key in ("trainers", "project_manager"):
        names.update(n for n in data.get(key, []) or [] if isinstance(n, str))
    for people in (data.get("staff") or {}).values():
        if isinstance(people, list):
            names.update(n for n in people if isinstance(n, str))
    problems += scan_text(doc, {k: v for k, v in data.items() if k != "contacts"}, frozenset(names), today)
    if meta is None or any(p.severity.value == "error" for p in problems):
        return None, problems
    return meta, problems


def validate_programme(doc: Document) -> tuple[Programme | None, list[Diagnostic]]:
    problems = list(doc.problems)
    if not doc.ok:
        return None, problems
    try:
        programme = Programme.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + model_problems(doc, exc, Programme)
    for i, day in enumerate(programme.days):
        if day.day != i + 1:
            line, col = doc.pos(("days", i, "day"))
            problems.append(error(doc.rel, line, col, "F009", f"第 {i + 1} 天的 day 应为 {i + 1}，现在是 {day.day}"))
    return programme, problems
