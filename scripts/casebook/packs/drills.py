"""The morning drills of a pack: for each coaching day, the 晨会微演练 the trainer runs.

The programme's morning meeting rehearses the previous evening's lesson (day 2 morning: the
etiquette of day 1's evening, and so on), so each day has the drill topics (`focus`) that fit;
within them, drills about the outlet's main customer groups come first. Each drill is used once
in the week; a day whose topics have no drill left takes the best remaining one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..core.library import Library
from ..core.model import Outlet
from ..core.validate import Item

# coaching day → drill topics, following the evening before (programme.yml's courses)
FOCUS_BY_DAY: dict[int, tuple[str, ...]] = {
    1: ("文明规范", "潜在投诉"),
    2: ("文明规范", "潜在投诉"),
    3: ("投诉处理", "厅堂营销", "潜在投诉"),
    4: ("特殊客户",),
    5: ("应急处置",),
}
PER_DAY = 2


@dataclass
class MorningDrills:
    day: int
    date: dt.date
    focus: tuple[str, ...]
    drills: list[tuple[Item, Markup]]


def _rank(drill: Item, outlet: Outlet) -> tuple:
    groups = outlet.profile.customer_groups
    weight = sum(len(groups) - groups.index(g) for g in drill.meta.customer_groups if g in groups)
    return (-weight, drill.meta.minutes, drill.id)


def morning_drills(lib: Library, outlet: Outlet, days: list[dt.date], to_html) -> list[MorningDrills]:
    drills = sorted(lib.of_type("drill"), key=lambda d: _rank(d, outlet))
    if not drills:
        return []
    used: set[str] = set()
    out = []
    for number, date in enumerate(days, start=1):
        focus = FOCUS_BY_DAY.get(number, ())
        chosen = [d for d in drills if d.meta.focus in focus and d.id not in used][:PER_DAY]
        if not chosen:
            chosen = [d for d in drills if d.id not in used][:1]
        used.update(d.id for d in chosen)
        out.append(MorningDrills(number, date, focus, [(d, to_html(d.body)) for d in chosen]))
    return out
