"""An item as written against the bank's parameters (core/bank.py): an unknown 【bank.KEY】 is an
error naming the nearest key (K001); a bank-set number written by hand is a warning naming the
parameter to write instead (K002); an emergency plan's `report_within_minutes` written as a
number is checked against the bank's deadlines (K003)."""
from __future__ import annotations

import re

from .bank import BANK_FILE, KEY_RE, REFERENCE, Bank, parameter_kinds
from .diagnostics import Diagnostic, error, warning
from .load import Document
from .scan import strings

Place = tuple[int, int]


def bank_problems(doc: Document, kind: str, bank: Bank) -> tuple[list[Diagnostic], set[Place]]:
    """Problems of an item as written: unknown parameters (error K001), bank-set numbers written
    by hand (warning K002), an emergency's deadline not taken from bank.yml (K003); and the
    places (line, column) of every parameter that cannot be filled in, which are the one problem
    there (not also "应为整数"). A parameter that bank.yml should define but, having problems of
    its own, does not is no K001: bank.yml's line says it once, not every item that uses it."""
    unfilled: set[Place] = set()
    if not doc.ok or not isinstance(doc.data, dict):
        return [], unfilled
    fields = list(strings(doc.data))
    lines = doc.body_lines()
    # each check first looks once in the file's whole text: almost no file has a hit
    whole = "\n".join([*(t for _, t in fields), *(line for _, line in lines)])
    refs = "【bank." in whole
    hand = [(what, pattern, keys) for what, words, pattern, keys in bank.hand_written
            if all(any(w in whole for w in one) for one in words) and pattern.search(whole)]
    out: list[Diagnostic] = []
    if refs or hand:
        for path, text in fields:
            line, col = doc.pos(path)
            out += _text_problems(doc, text, line, col, bank, hand, unfilled, front=True)
        for line_no, line in lines:
            out += _text_problems(doc, line, line_no, 1, bank, hand, unfilled, front=False)
    if kind == "emergency":
        out += _deadline_problems(doc, bank)
    return out, unfilled


def _text_problems(doc: Document, text: str, line: int, col: int, bank: Bank,
                   hand: list[tuple[str, re.Pattern, list[str]]], unfilled: set[Place],
                   front: bool) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if "【bank." in text:
        for m in REFERENCE.finditer(text):
            key = "bank." + m.group(1)
            if key in bank.parameters:
                continue
            where = (line, col) if front else (line, col + m.start())
            unfilled.add(where)
            if not (bank.broken and key in parameter_kinds()):
                out.append(error(doc.rel, *where, "K001", _unknown(key, bank)))
    for what, pattern, keys in hand:
        for m in pattern.finditer(text):
            where = (line, col) if front else (line, col + m.start())
            refs = "、".join(f"【{k}】" for k in keys)
            out.append(warning(doc.rel, *where, "K002",
                               f"“{m.group(0)}”把{what}写成了固定的数：这是各行自定的数，请改写为 {refs}"
                               f"（取值在 {BANK_FILE}，部署的银行改一处，全库一致）"))
    return out


def _unknown(key: str, bank: Bank) -> str:
    shown = key if len(key) <= 50 else key[:50] + "…"
    if not bank.present:
        return f"参数【{shown}】无法填写：库里没有 {BANK_FILE}；请先建立它（本行名称、热线、报告时限等）"
    if not KEY_RE.match(key):
        hint = "参数名只能用小写英文字母、数字、下划线和点，如【bank.report_minutes.major】"
    else:
        hint = "请写 " + BANK_FILE + " 里有的参数"
    near = "、".join(f"【{k}】" for k in bank.nearest(key))
    return f"参数【{shown}】不在 {BANK_FILE} 中；{hint}" + (f"，最接近的有：{near}" if near else "")


def _deadline_problems(doc: Document, bank: Bank) -> list[Diagnostic]:
    raw = doc.data.get("report_within_minutes")
    if not isinstance(raw, int) or isinstance(raw, bool) or not bank.parameters:
        return []
    deadlines = {k: p.value for k, p in bank.parameters.items() if k.startswith("bank.report_minutes.")}
    if not deadlines:
        return []
    line, col = doc.pos(("report_within_minutes",))
    same = [k for k, v in deadlines.items() if v == raw]
    if same:
        message = (f"report_within_minutes 写了固定的 {raw}：请写 report_within_minutes: 【{same[0]}】，"
                   f"本行改时限时它跟着变")
    else:
        listed = "、".join(f"【{k}】= {v}" for k, v in deadlines.items())
        message = (f"report_within_minutes 写了 {raw} 分钟，与 {BANK_FILE} 的报告时限都不一致（{listed}）："
                   f"请改为其中一个参数")
    return [warning(doc.rel, line, col, "K003", message)]
