"""Which library items a course draws for one outlet: deterministic, and explained.

A course's `draws` rules ({type, count, match}) are matched against the outlet's profile; a
trainer's `overrides` for that course replace the drawn items entirely. Every selection says
why it was chosen, for the pack's 选材说明 table. Pure: Library + Outlet in, selections out.
"""
from __future__ import annotations

from dataclasses import dataclass

from .library import Library
from .model import Course, Outlet
from .validate import Item

FIELD_LABELS = {
    "customer_groups": "客户群体", "periods": "高峰时段", "root_cause": "近期投诉", "tags": "近期投诉",
    "roles": "岗位", "business": "业务", "category": "事件类别", "scope": "范围",
}


@dataclass(frozen=True)
class Selection:
    item: Item
    reason: str
    by_trainer: bool = False
    score: float = 0.0


def profile_values(outlet: Outlet, field: str) -> list[str]:
    """The outlet's values for a match field, most important first."""
    p = outlet.profile
    if field == "customer_groups":
        return list(p.customer_groups)
    if field == "periods":
        return list(p.peak_periods)
    if field in ("root_cause", "tags"):
        return list(p.recent_complaints)
    if field == "roles":
        return [role for role, names in outlet.staff.items() if names]
    return []


def _item_values(item: Item, field: str) -> list[str]:
    value = getattr(item.meta, field, None)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def score(item: Item, outlet: Outlet, fields: list[str]) -> tuple[float, list[str]]:
    """Sum of weights of the profile values the item carries; earlier profile values weigh more."""
    total = 0.0
    reasons: list[str] = []
    for field in fields:
        wanted = profile_values(outlet, field)
        have = set(_item_values(item, field))
        for rank, value in enumerate(wanted):
            if value in have:
                total += 1.0 / (1 + rank)
                reasons.append(f"{FIELD_LABELS.get(field, field)}：{value}")
    return total, reasons


def draw_items(lib: Library, course: Item, outlet: Outlet) -> list[Selection]:
    meta: Course = course.meta  # type: ignore[assignment]
    chosen = outlet.overrides.get(course.id)
    if chosen is not None:
        return [Selection(lib.items[i], "培训老师指定", by_trainer=True) for i in chosen if i in lib.items]
    out: list[Selection] = []
    taken: set[str] = set()
    for rule in meta.draws:
        ranked = []
        for item in lib.of_type(rule.type):
            if item.id in taken:
                continue
            s, reasons = score(item, outlet, list(rule.match))
            ranked.append((-s, -item.meta.updated.toordinal(), item.id, item, reasons))
        ranked.sort(key=lambda r: r[:3])
        for neg, _, _, item, reasons in ranked[:rule.count]:
            shown = reasons[:4] + ([f"等 {len(reasons)} 项"] if len(reasons) > 4 else [])
            reason = "匹配" + "；".join(shown) if reasons else "画像无匹配，按最近修订补足"
            out.append(Selection(item, reason, score=-neg))
            taken.add(item.id)
    return out
