"""Content rules that sit beside the per-type model: basis keys, known-wrong advice,
stories' source and consent, sensitive details in public stories, and the drill's shape.

`content_problems` runs on every item file whose front matter could be read, valid or not,
so one run reports all of a file's problems.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..guards import sensitive
from . import markdown
from .bank import Bank
from .basis import Registry, basis_problems
from .diagnostics import Diagnostic, error, warning
from .load import Document
from .model_errors import loc_text
from .scan import strings
from .wrong_advice import WrongAdvice, wrong_advice_problems

# What a drill may rehearse (its `related` must name at least one of these).
DRILL_TARGETS = ("guides/", "emergencies/", "standards/", "complaints/")
_NUMBERED = re.compile(r"^\s{0,3}\d+[.、）)]\s*\S")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+\S")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@dataclass(frozen=True)
class Rules:
    """The data the content rules need, small enough to hand to worker processes."""

    registry: Registry
    advice: WrongAdvice
    bank: Bank = Bank()  # cases/bank.yml (items are checked as written, then filled in: library.check_item)


def content_problems(doc: Document, kind: str, rules: Rules) -> list[Diagnostic]:
    if not doc.ok or not isinstance(doc.data, dict):
        return []
    data = doc.data
    out: list[Diagnostic] = []
    basis = data.get("basis")
    if isinstance(basis, list) and all(isinstance(k, str) for k in basis):
        out += basis_problems(doc, basis, rules.registry)
    out += wrong_advice_problems(doc, rules.advice)
    if kind == "story":
        out += story_problems(doc, data)
    if kind == "drill":
        out += drill_problems(doc, data)
    return out


def story_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """A real public story records both consents; a public story is warned about health, exact
    age and disability details, naming each phrase."""
    out: list[Diagnostic] = []
    if data.get("visibility") != "public":
        return out
    consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
    if data.get("source") == "real" and not (consent.get("customer") is True and consent.get("staff") is True):
        missing = "、".join(n for k, n in (("customer", "客户"), ("staff", "员工")) if consent.get(k) is not True)
        line, col = doc.pos(("consent",)) if "consent" in data else doc.pos(("source",))
        out.append(error(doc.rel, line, col, "R005",
                         f"公开的真实故事须记录{missing}的同意：写 consent: {{customer: true, staff: true}}（确已取得同意时），"
                         f"或改为 visibility: internal"))
    for path, text in strings({k: v for k, v in data.items() if k in ("title", "summary")}):
        for f in sensitive.scan(text):
            line, col = doc.pos(path)
            out.append(_sensitive(doc, line, col, f, loc_text(path) + "："))
    for line_no, line in doc.body_lines():
        for f in sensitive.scan(line):
            out.append(_sensitive(doc, line_no, f.start + 1, f, "正文："))
    return out


def _sensitive(doc: Document, line: int, col: int, f: sensitive.Finding, where: str) -> Diagnostic:
    return warning(doc.rel, line, col, "P201",
                   f"{where}公开故事里有{f.label}细节“{f.phrase}”：个人健康、确切年龄和残障信息属于敏感个人信息，"
                   f"请改为概括说法（如“一位老人”），或把故事设为 visibility: internal")


def drill_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """场景 1–3 sentences; 步骤 3–6 numbered steps; 观察要点 2–5 bullets; related names a guide,
    plan, standard or complaint."""
    out: list[Diagnostic] = []
    heads = {h.text: h.line for h in markdown.headings(doc.body, doc.body_line) if h.level == 2}

    def check(title: str, count: int, low: int, high: int, what: str) -> None:
        if title in heads and not low <= count <= high:
            out.append(error(doc.rel, heads[title], 1, "S004",
                             f"晨会微演练的“## {title}”应有 {low}–{high} {what}，现在是 {count}"))

    scene = markdown.section(doc.body, "场景")
    sentences = [s for s in _SENTENCE.findall(re.sub(r"\s+", "", scene)) if s.strip("。！？!?")]
    check("场景", len(sentences), 1, 3, "句话")
    steps = markdown.section(doc.body, "步骤").split("\n")
    check("步骤", sum(bool(_NUMBERED.match(s)) for s in steps), 3, 6, "个编号步骤（1. 2. 3.）")
    points = markdown.section(doc.body, "观察要点").split("\n")
    check("观察要点", sum(bool(_BULLET.match(p)) for p in points), 2, 5, "条要点（- 开头）")
    related = data.get("related") if isinstance(data.get("related"), list) else []
    unfilled = any(isinstance(r, str) and r.startswith("【待填写") for r in related)  # F010 says it
    if not unfilled and not any(isinstance(r, str) and r.startswith(DRILL_TARGETS) for r in related):
        line, col = doc.pos(("related",)) if "related" in data else doc.start_pos
        out.append(error(doc.rel, line, col, "R006",
                         "晨会微演练的 related 须写明它演练的服务指引、应急预案、服务规范或投诉案例，"
                         "如 related: [guides/elderly-customers]"))
    return out
