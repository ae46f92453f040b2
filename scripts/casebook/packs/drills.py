"""The morning drills of a pack: for each coaching day, the 晨会微演练 the trainer runs.

The programme's morning meeting rehearses the previous evening's lesson (day 2's morning: day
1's evening, and so on); day 1's morning is introductions, so it has none. A drill follows an
evening when its topic (`focus`, with the vocabulary's aliases) is what that evening's courses
are about, or when it is related to an item the evening printed; drills about the outlet's main
customer groups come first. Each drill is used once in the week; a morning with no drill of its
evening has none (the trainer rehearses the evening's own role-play), never another topic's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..core.library import Library
from ..core.model import Outlet
from ..core.selection import EveningDraw
from ..core.validate import Item

PER_DAY = 2


@dataclass
class MorningDrills:
    day: int
    date: dt.date
    after: list[str]  # the titles of the evening's courses it rehearses
    focus: tuple[str, ...]
    drills: list[tuple[Item, Markup]]


def course_focus(lib: Library, course: Item) -> list[str]:
    """The drill topics a course is about: those its title or tags name (or an alias of them)."""
    words = " ".join([course.meta.title, *course.meta.tags])
    return [e.value for e in lib.vocabulary.entries.get("drill_focus", [])
            if any(w in words for w in [e.value, *e.aliases])]


def _rank(drill: Item, outlet: Outlet, focus: list[str], printed: set[str]) -> tuple:
    groups = outlet.profile.customer_groups
    weight = sum(len(groups) - groups.index(g) for g in drill.meta.customer_groups if g in groups)
    return (drill.meta.focus not in focus, not (set(drill.meta.related) & printed), -weight, drill.meta.minutes, drill.id)


def morning_drills(lib: Library, outlet: Outlet, days: list[dt.date], to_html,
                   week: list[EveningDraw]) -> list[MorningDrills]:
    drills = lib.of_type("drill")
    used: set[str] = set()
    out = []
    for number, date in enumerate(days, start=1):
        evening = [ev for ev in week if ev.day == number - 1]
        if not evening:
            continue  # day 1: introductions; no evening before it
        focus = list(dict.fromkeys(f for ev in evening for f in course_focus(lib, ev.course)))
        printed = {s.item.id for ev in evening for s in ev.selections}
        fits = [d for d in drills if d.id not in used and (d.meta.focus in focus or set(d.meta.related) & printed)]
        chosen = sorted(fits, key=lambda d: _rank(d, outlet, focus, printed))[:PER_DAY]
        used.update(d.id for d in chosen)
        out.append(MorningDrills(number, date, [ev.course.meta.title for ev in evening], tuple(focus),
                                 [(d, to_html(d.body)) for d in chosen]))
    return out
