"""Every recent complaint type of an outlet gets a case in its week, when the library has one:
after the evenings are drawn (selection.draw_week), a type no drawn case serves takes the place
of the complaints evening's weakest case, or is added to it."""
from __future__ import annotations

from dataclasses import replace

from .library import Library
from .model import Outlet
from .selection import (EveningDraw, Selection, _fields, _memo_for, _pool, _profile_reason, match,
                        profile_terms)


def complaint_types_served(outlet: Outlet, week: list[EveningDraw]) -> dict[str, str | None]:
    """Each recent complaint type of the outlet → the id of a case of that type drawn this week
    (None: no case of that type)."""
    drawn = [s.item for ev in week for s in ev.selections if s.item.type == "complaint"]
    return {t: next((i.id for i in drawn if t in _fields(i, "root_cause")), None)
            for t in outlet.profile.recent_complaints}


def in_library(lib: Library, types: list[str]) -> set[str]:
    """The complaint types of `types` that some case in the library has."""
    return {t for t in types if any(t in _fields(i, "root_cause") for i in _pool(lib, "complaint"))}


def cover_complaint_types(lib: Library, outlet: Outlet, week: list[EveningDraw]) -> list[EveningDraw]:
    """Every recent complaint type gets a case when the library has one: the best case of a type
    the draw missed takes the place of the complaints evening's weakest case (one the trainer did
    not name and whose types other cases still cover), or is added to it."""
    # the complaints evening: the course that draws most cases by complaint type
    counts = [(max((r.count for r in ev.course.meta.draws if r.type == "complaint" and "root_cause" in r.match),
                   default=0), -n, ev) for n, ev in enumerate(week)]
    best = max(counts, key=lambda c: c[:2], default=None)
    if best is None or best[0] == 0:
        return week
    evening = best[2]
    terms = profile_terms(outlet)
    memo = _memo_for(lib, terms)
    selections = list(evening.selections)
    printed = {s.item.id for ev in week for s in ev.selections}
    for cause, served in complaint_types_served(outlet, week).items():
        if served is not None:
            continue
        candidates = [i for i in _pool(lib, "complaint") if i.id not in printed and cause in _fields(i, "root_cause")]
        if not candidates:
            continue
        candidates.sort(key=lambda i: -match(i, terms, memo)[0])  # stable: newest first among equals
        item = candidates[0]
        score, reasons = match(item, terms, memo)
        new = Selection(item, f"补足近期投诉类型“{cause}”：" + _profile_reason(reasons, outlet), score=score)
        printed.add(item.id)
        spare = [n for n, s in enumerate(selections) if s.item.type == "complaint" and not s.by_trainer
                 and s.first_day is None and _covered_elsewhere(s, selections, outlet)]
        if spare:
            weakest = min(spare, key=lambda n: (selections[n].score, -n))
            selections[weakest] = new
        else:
            selections.append(new)
    return [replace(ev, selections=selections) if ev is evening else ev for ev in week]


def _covered_elsewhere(s: Selection, selections: list[Selection], outlet: Outlet) -> bool:
    """The outlet's complaint types this case serves are served by another case too."""
    mine = [t for t in outlet.profile.recent_complaints if t in _fields(s.item, "root_cause")]
    others = [o.item for o in selections if o is not s and o.item.type == "complaint"]
    return all(any(t in _fields(o, "root_cause") for o in others) for t in mine)
