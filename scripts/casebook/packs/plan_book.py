"""Day 4's plans: the few taught that evening (the outline's "抽取四个预案，每个约 7 分钟") and
why, and the order of the outlet's plan book (the 应急预案 chapter).

Tonight: the outlet's own risks first (the plans drawn for its profile), then one plan for each
of the programme's three causes not yet covered (客户自身原因, 我行原因, 第三方原因), the one the
profile fits best; then the best fits. The book follows the programme's order of the causes,
so it opens with a plan of the customer's own cause, as the programme's day-4 text does.
"""
from __future__ import annotations

import re

from ..core.model import Outlet
from ..core.selection import match, profile_terms

CAUSES = ("客户自身原因", "我行原因", "第三方原因")
DEFAULT_TONIGHT = 4
_CN = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_HOW_MANY = re.compile(r"抽取([两二三四五六\d])个预案")
OWN_RISK = "本网点风险："


def tonight_count(outline: str) -> int:
    """How many plans the course outline says the evening teaches."""
    m = _HOW_MANY.search(outline)
    if not m:
        return DEFAULT_TONIGHT
    return int(m.group(1)) if m.group(1).isdigit() else _CN[m.group(1)]


def _cause_rank(item) -> int:
    category = getattr(item.meta, "category", "")
    return CAUSES.index(category) if category in CAUSES else len(CAUSES)


def tonight(selections: list, outlet: Outlet, count: int) -> list[tuple[object, str]]:
    """(selection, why tonight) for the plans taught that evening, in teaching order."""
    terms = profile_terms(outlet)
    plans = [s for s in selections if s.item.type == "emergency"]
    fit = {s.item.id: match(s.item, terms) for s in plans}
    chosen: list[tuple[object, str]] = []
    for s in plans:
        if s.reason.startswith(OWN_RISK) and len(chosen) < count:
            chosen.append((s, s.reason))
    by_fit = sorted(plans, key=lambda s: -fit[s.item.id][0])  # stable: the programme's order among equals
    for cause in CAUSES:
        if len(chosen) >= count or any(s.item.meta.category == cause for s, _ in chosen):
            continue
        best = next((s for s in by_fit if s.item.meta.category == cause and all(s is not c for c, _ in chosen)), None)
        if best is not None:
            reasons = fit[best.item.id][1]
            chosen.append((best, f"{cause}一类的代表" + (f"：{'；'.join(reasons[:2])}" if reasons else "：项目方案第4天点名")))
    for s in by_fit:
        if len(chosen) >= count:
            break
        if all(s is not c for c, _ in chosen):
            reasons = fit[s.item.id][1]
            chosen.append((s, "与本网点画像最贴近：" + "；".join(reasons[:2]) if reasons else "项目方案第4天点名"))
    return sorted(chosen, key=lambda c: _cause_rank(c[0].item))


def book_order(blocks: list) -> list:
    """The plan book: by the programme's order of causes, then as drawn."""
    return sorted(blocks, key=lambda b: _cause_rank(b.item))
