"""The data of the pack's hand-filled forms, from the standards and the outlet. Pure.

- 通关评分表: one table per per-person standard, a column for every person of its roles,
  continued in further tables of at most PER_TABLE people (so nobody is cut off).
- An inspection standard (检查标准, 一日三巡检) is outlet-level: a checklist, not per person.
- 网点现状问题诊断表: the day-1 facts (神秘人得分, 投诉率, 客群, 高峰时段, staff) and the
  checklist items of every standard, near-duplicates merged.
- 厅堂高峰期补位方案: each link of the programme's chain with its duty from the standard.
- 浓情暖域验收表: the standard's own steps as areas, its checklist items under them.
- 网点日辅导工作日志: each day's daytime activities once, plus what the day adds.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.library import Library
from ..core.model import Day, Outlet, Programme, Standard
from ..core.selection import _common, _segments, named_in
from ..core.validate import Item
from . import people

PER_TABLE = 7
WARM_ZONE = "浓情暖域验收表"
# The 厅堂补位 chain of the programme (综合区大堂经理 → 客户经理 → 内勤行长 → 网点负责人 → 柜面经理).
BACKUP_CHAIN = [("大堂经理", "综合区大堂经理"), ("客户经理", "客户经理"), ("内勤行长", "内勤行长"),
                ("网点负责人", "网点负责人"), ("柜面经理", "柜面经理")]


QUESTION_PAIRS = {"是否", "有无"}  # how a checklist asks, not what it checks


def bigrams(text: str) -> set[str]:
    chars = [c for c in text if c.strip() and c not in "，。、；：“”（）()《》,;:"]
    return {a + b for a, b in zip(chars, chars[1:])} - QUESTION_PAIRS


def overlap(a: str, b: str) -> float:
    """Share of the shorter text's character pairs found in the other one."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


@dataclass
class ScoreTable:
    standard: Item
    people: list[str]
    part: int  # 1, 2, … (2 and later are continuations)
    parts: int
    roles: list[str] = field(default_factory=list)  # the roles scored
    when: str = ""  # the day of the week it is used: "第1天晚班"


@dataclass
class Checklist:
    standard: Item


def people_of(outlet: Outlet, roles: list[str]) -> list[str]:
    return list(dict.fromkeys(n for r in roles for n in outlet.staff.get(r, [])))


OUTLET_WORDS = ("检查", "巡检", "验收", "观察", "清单")


def is_outlet_level(std: Item) -> bool:
    """An inspection of the outlet (检查标准, 一日三巡检, 验收) rather than a person's 通关: its
    title or tags say so; a `通关` tag keeps a standard per person."""
    meta: Standard = std.meta  # type: ignore[assignment]
    if "通关" in meta.tags:
        return False
    words = [meta.title, *meta.tags]
    return meta.form == WARM_ZONE or any(w in t for w in OUTLET_WORDS for t in words)


def scored_roles(std: Item, aliases: dict[str, list[str]]) -> list[str]:
    """The roles a standard scores: those its title or tags name (保洁服务规范 scores 保洁, not the
    大堂经理 who supervises it; 柜员服务七步曲 scores 柜面经理), else every role it lists."""
    meta = std.meta
    words = " ".join([meta.title, *meta.tags])
    named = [r for r in meta.roles if any(w in words for w in [r, r[:2], *aliases.get(r, [])])]
    return named or list(meta.roles)


def week_place(std: Item, programme: Programme | None) -> tuple[int, int, int]:
    """When the week uses a standard: the first day whose evening drill (first) or daytime names
    it; one nobody names goes last, in the library's order."""
    if programme is None:
        return (9, 9, 0)
    for day in programme.days:
        texts = [day.evening.drill, "\n".join(a.title + "\n" + "\n".join(a.details) for a in day.daytime)]
        for slot, text in enumerate(texts):
            at = [(i, seg.find(_common(std.meta.title, seg))) for i, seg in enumerate(_segments(text))
                  if named_in(std.meta.title, seg)]
            if at:
                return (day.day, slot, at[0][0] * 1000 + at[0][1])
    return (9, 9, 0)


def scoring_tables(lib: Library, outlet: Outlet) -> tuple[list[ScoreTable], list[Checklist]]:
    """The 通关 sheets in the order of the week (day 1's 七步曲 and 大堂服务流程 first), each with
    a column for every person of the roles it scores; outlet-level checklists apart."""
    tables: list[ScoreTable] = []
    checklists: list[Checklist] = []
    aliases = {e.value: list(e.aliases) for e in lib.vocabulary.entries.get("roles", [])}
    standards = sorted(lib.of_type("standard"), key=lambda s: week_place(s, lib.programme))
    for std in standards:
        if std.meta.form == WARM_ZONE:
            continue  # its own form
        if is_outlet_level(std):
            checklists.append(Checklist(std))
            continue
        roles = scored_roles(std, aliases) or list(outlet.staff)
        day = week_place(std, lib.programme)
        when = (f"第{day[0]}天" + ("晚班" if day[1] == 0 else "白天")) if day[0] < 9 else ""
        people = people_of(outlet, roles)
        parts = max(1, -(-len(people) // PER_TABLE))
        size = -(-len(people) // parts) if people else 0
        chunks = [people[i:i + size] for i in range(0, len(people), size)] if people else [[]]
        for n, chunk in enumerate(chunks, 1):
            tables.append(ScoreTable(std, chunk + [""] * (3 - len(chunk)) if len(chunk) < 3 else chunk, n, len(chunks),
                                     roles, when))
    return tables, checklists


@dataclass
class DiagnosisArea:
    area: str
    items: list[str] = field(default_factory=list)


def diagnosis_areas(lib: Library, threshold: float = 0.4) -> list[DiagnosisArea]:
    """Checklist items by area; an item whose words the area's earlier items already cover
    (one of them, or several together, at `threshold`) is the same check again and is left out."""
    areas: dict[str, DiagnosisArea] = {}
    covered: dict[str, set[str]] = {}
    # the fullest checklist (the inspection standard) first: its areas set the order
    for std in sorted(lib.of_type("standard"), key=lambda s: -len(s.meta.checklist)):
        if std.meta.form == WARM_ZONE:
            continue
        for entry in std.meta.checklist:
            area = areas.setdefault(entry.area, DiagnosisArea(entry.area))
            pairs = bigrams(entry.item)
            seen = covered.setdefault(entry.area, set())
            if pairs and len(pairs & seen) / len(pairs) >= threshold:
                continue  # the same check in other words
            area.items.append(entry.item)
            seen |= pairs
    return list(areas.values())


def day_one_facts(outlet: Outlet, rate_unit: str = "") -> list[tuple[str, str]]:
    p = outlet.profile
    staff = "；".join(f"{role} {len(names)} 人" for role, names in outlet.staff.items() if names)
    shared = people.several_roles(outlet)
    staff = f"共 {people.headcount(outlet)} 人：{staff}" + "".join(
        f"（{name}兼{'、'.join(roles)}）" for name, roles in shared.items())
    return [
        ("往期神秘人得分", f"{p.mystery_shopper_score:g} 分" if p.mystery_shopper_score is not None else ""),
        ("网点投诉率", f"{p.complaint_rate:g}{rate_unit}" if p.complaint_rate is not None else ""),
        ("主要客群", "、".join(p.customer_groups)),
        ("厅堂高峰时段", "、".join(p.peak_periods)),
        ("近期投诉", "、".join(p.recent_complaints)),
        ("员工", staff),
    ]


@dataclass
class BackupRow:
    label: str
    names: list[str]
    duty: str
    note: str = ""  # a person already on an earlier step: who stands in


def backup_rows(lib: Library, outlet: Outlet) -> list[BackupRow]:
    """The chain with each link's duty, from the standard whose steps name most links."""
    best, hits = None, 0
    for std in lib.of_type("standard"):
        n = sum(any(label in s.name for s in std.meta.steps) for _, label in BACKUP_CHAIN)
        if n > hits:
            best, hits = std, n
    rows = []
    casts = people.cast(outlet, [role for role, _ in BACKUP_CHAIN])
    for (role, label), c in zip(BACKUP_CHAIN, casts):
        duty = ""
        if best is not None:
            step = next((s for s in best.meta.steps if label in s.name), None)
            duty = step.detail if step else ""
        rows.append(BackupRow(label, c.names, duty, c.note()))
    return rows


@dataclass
class WarmArea:
    name: str
    detail: str
    points: int
    items: list[str] = field(default_factory=list)


def warm_zone(lib: Library) -> tuple[Item | None, list[WarmArea]]:
    std = next((s for s in lib.of_type("standard") if s.meta.form == WARM_ZONE), None)
    if std is None:
        return None, []
    areas = [WarmArea(s.name, s.detail, s.points) for s in std.meta.steps]
    for entry in std.meta.checklist:
        best = max(areas, key=lambda a: overlap(entry.item, a.name + a.detail))
        best.items.append(entry.item)
    return std, areas


def log_rows(day: Day) -> list[str]:
    """What the trainer logs that day: each activity once, then the evening."""
    rows = list(dict.fromkeys(a.title for a in day.daytime))
    if not any("暖心" in r for r in rows):
        rows.append("暖心服务故事挖掘")
    ev = day.evening
    rows.append("晚班：" + ("授课与演练" if ev.courses else "总结会与演练"))
    return rows


def closing_rows(outlet: Outlet, tables: list[ScoreTable], warm_total: int,
                 rate_unit: str = "") -> list[tuple[str, str, str]]:
    """The 总结会's before/after comparison: (item, day 1, day 5). The outlet file's figures where
    it has them (profile before, `results` after the week), else blanks to fill at the meeting."""
    p, r = outlet.profile, outlet.results

    def num(value, blank: str, unit: str = "") -> str:
        return f"{value:g}{unit}" if value is not None else blank

    rows = [
        ("往期神秘人得分", num(p.mystery_shopper_score, "______ 分", " 分"),
         "本周自查 " + num(r and r.mystery_shopper_score, "______ 分", " 分")),
        ("网点投诉率", num(p.complaint_rate, "______", rate_unit), num(r and r.complaint_rate, "______" + rate_unit, rate_unit)),
        ("诊断表：环境与服务问题", "发现 " + num(r and r.diagnosis_found, "______", "") + " 项",
         "已整改 " + num(r and r.diagnosis_fixed, "______", "") + " 项"),
    ]
    if warm_total:
        rows.append(("浓情暖域验收得分", num(r and r.warm_zone_before, "______") + f" / {warm_total} 分",
                     num(r and r.warm_zone_after, "______") + f" / {warm_total} 分"))
    seen: set[str] = set()
    for t in tables:
        if t.standard.id in seen:
            continue
        seen.add(t.standard.id)
        count = sum(len([n for n in x.people if n]) for x in tables if x.standard.id == t.standard.id)
        rows.append((f"通关：{t.standard.meta.title}", f"通关 ______ / {count} 人", f"通关 ______ / {count} 人"))
    rows += [("应急演练：首次报告用时", "", "______ 分钟"),
             ("萃取的投诉案例、收集的暖心故事", "", "案例 ______ 个，故事 ______ 个")]
    return rows
