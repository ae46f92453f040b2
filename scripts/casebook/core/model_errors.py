"""Pydantic validation errors in words editors understand: the field's Chinese title, what kind
of value was expected, and what was written instead, at the line and column of the value."""
from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, error
from .load import Document, KeyPath

# What `casebook new` writes where an editor must fill something in: 【待填写：hint】
PLACEHOLDER = "【待填写"

_KIND = {
    "string_type": "文字", "int_type": "整数", "int_parsing": "整数", "float_type": "数字",
    "bool_type": "true 或 false", "list_type": "列表（每项一行，以“- ”开头；或写成 [甲, 乙]）",
    "dict_type": "“字段: 值”的映射", "model_type": "“字段: 值”的映射", "model_attributes_type": "“字段: 值”的映射",
    "date_type": "日期（YYYY-MM-DD）", "date_from_datetime_inexact": "日期（YYYY-MM-DD）",
}


# Where a bound is the programme's rule rather than the format's, the editor is told whose rule
# it is (a village outlet's one trainer is refused; the reason is not the checker's taste).
_WHY = {"trainers": "（项目方案：每个网点应配备不少于 2 名专业培训老师驻点辅导）"}


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
    return loc_text(loc)  # (a list's entry counted from 1, as an editor counts: staff.柜面经理[1])


def loc_text(loc: tuple) -> str:
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
        where = loc_text(loc)
        if isinstance(value, str) and value.startswith(PLACEHOLDER) and kind != "extra_forbidden":
            continue  # an unfilled 【待填写…】 is reported once, as F010, with what to fill in
        if kind == "missing":
            line, col = doc.pos(base + loc[:-1])
            out.append(error(doc.rel, line, col, "F001", f"缺少必填字段 {name}" + (f"（位置 {where}）" if len(loc) > 1 else "")))
            continue
        if kind == "extra_forbidden":
            owner = _model_at(model, loc)
            valid = list(owner.model_fields) if owner else []
            near = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.5)
            # a Chinese label where the field's English name belongs (网点: → outlet:)
            named = {f.title: n for n, f in owner.model_fields.items() if f.title} if owner else {}
            said = str(loc[-1])
            # (or a part of its label: 名称 for 网点名称, 地址 for 网点地址; only when one label has it)
            within = {n for t, n in named.items() if len(said) >= 2 and re.search(r"[\u4e00-\u9fff]", said) and said in t}
            if said in named:
                hint = f"字段名要写英文：{named[said]}（{said}）"
            elif len(within) == 1:
                field_name = within.pop()
                hint = f"字段名要写英文：{field_name}（{owner.model_fields[field_name].title}）"
            else:
                hint = f"是否想写 {near[0]}？" if near else f"可用字段：{'、'.join(valid)}"
            line, col = doc.key_or_value_pos(base + loc)
            out.append(error(doc.rel, line, col, "F002", f"未知字段“{loc[-1]}”；{hint}"))
            continue
        line, col = doc.pos(base + loc)
        if kind in ("date_type", "date_parsing", "date_from_datetime_parsing") and isinstance(value, str):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                msg = f"{name}：日期 {value} 不存在（月份 1–12，日期不超过当月天数）"
            else:
                meant = _date_meant(value)
                msg = (f"{name}：“{value}”要写成 {meant}（年-月-日，用短横，月和日写两位）" if meant
                       else f"{name}：“{value}”不是日期；请写成 YYYY-MM-DD，如 2026-05-12")
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
            if lo is None and hi is None:  # (a list's or a mapping's items: the bound is pydantic's own)
                lo, hi = ctx.get("min_length"), ctx.get("max_length")
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
            why = _WHY.get(str(loc[-1]), "") if kind == "too_short" else ""
            out.append(error(doc.rel, line, col, "F004", f"{name} {rule}，现在是 {actual} 项{why}"))
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            bound = next(iter(ctx.values()), "")
            words = {"greater_than": "大于", "greater_than_equal": "不小于",
                     "less_than": "小于", "less_than_equal": "不大于"}[kind]
            out.append(error(doc.rel, line, col, "F009", f"{name} 应{words} {bound}，现在是 {value}"))
        elif kind == "literal_error":
            values = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))  # pydantic says "'a' or 'b'"
            expected = "、".join(values) + " 之一" if len(values) > 1 else "".join(values)
            out.append(error(doc.rel, line, col, "F006",
                             f"{name} 只能是 {expected}，现在是{_describe(value)}"))
        elif kind == "string_pattern_mismatch":
            out.append(error(doc.rel, line, col, "F003", f"{name} 应以 http:// 或 https:// 开头，现在是{_describe(value)}"))
        else:
            out.append(error(doc.rel, line, col, "F003", f"{name}：{err['msg']}"))
    return out


# a date as an editor writes it elsewhere: 2026/1/15, 2026.01.15, 2026年1月15日, 20260115
_OTHER_DATE = re.compile(r"(\d{4})\s*(?:[/.\-]|年)\s*(\d{1,2})\s*(?:[/.\-]|月)\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")


def _date_meant(value: str) -> str | None:
    """The YYYY-MM-DD form of a date written another way, when it is a real date; else None."""
    m = _OTHER_DATE.fullmatch(value.strip())
    if m is None:
        return None
    year, month, day = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _length_bounds(model: type[BaseModel], loc: tuple) -> tuple[int | None, int | None]:
    owner = _model_at(model, loc)
    if owner is None or loc[-1] not in owner.model_fields:
        return None, None
    lo = hi = None
    for meta in owner.model_fields[loc[-1]].metadata:
        lo = getattr(meta, "min_length", lo)
        hi = getattr(meta, "max_length", hi)
    return lo, hi
