"""What a trainer should know about an outlet's dates before the week starts: notes, not
problems (a start on a Saturday or across a holiday may be meant). `casebook check` shows them
for outlets/ and `casebook pack` for the file it packs, and the pack prints them on its last page.
One date is a problem: a big class or a start further than ten years from today (F009)."""
from __future__ import annotations

import datetime as dt

from .diagnostics import Diagnostic, error, note
from .load import Document
from .model import Outlet
from .schedule import chinese_date, coaching_days

LONG_BREAK = 5  # days from one coaching day to the next, and more: a weekend is 3, a long weekend 4


def schedule_notes(rel: str, outlet: Outlet, doc: Document) -> list[Diagnostic]:
    """What a trainer should know about the dates: a start date on a day the outlet is closed (by
    default a weekend: `open_days`) or a listed holiday moves to the next open day (O004); a big
    class on a day the outlet listed as a holiday (O014); five coaching days split by a long
    holiday (O015: the programme's week is five days in a row, each morning drill going over the
    evening before)."""
    out: list[Diagnostic] = []
    days = coaching_days(outlet.start_date, outlet.holidays, open_days=outlet.weekdays)
    if days[0] != outlet.start_date:
        holiday = outlet.start_date in set(outlet.holidays)
        line, col = doc.pos(("start_date",))
        out.append(note(rel, line, col, "O004",
                        f"驻点开始日期{chinese_date(outlet.start_date)}是{'节假日' if holiday else '本网点不营业的日子'}，"
                        f"第1天顺延到{chinese_date(days[0])}；如需按原定日期，请改网点文件的“驻点开始日期”（start_date）"
                        + ("" if holiday else "；这一天也营业的网点，把它写进“营业日”（open_days），"
                                              "如 [周一, 周二, 周三, 周四, 周五, 周六]")))
    if outlet.big_class_date in set(outlet.holidays):
        line, col = doc.pos(("big_class_date",))
        out.append(note(rel, line, col, "O014",
                        f"大课日期{chinese_date(outlet.big_class_date)}在本网点列出的节假日（holidays）里；"
                        f"请确认是这一天上大课"))
    gaps = [(n, a, b) for n, (a, b) in enumerate(zip(days, days[1:]), 1) if (b - a).days >= LONG_BREAK]
    if gaps:
        n, a, b = max(gaps, key=lambda g: (g[2] - g[1]).days)
        line, col = doc.pos(("start_date",))
        out.append(note(rel, line, col, "O015",
                        f"第{n}天{chinese_date(a)}和第{n + 1}天{chinese_date(b)}之间隔了 {(b - a).days - 1} 天假期，"
                        f"五个驻点日到{chinese_date(days[-1])}才结束，第{n + 1}天晨会演练的是 {(b - a).days} 天前的晚班课；"
                        f"可以把驻点开始日期改到假期之后"))
    return out


def dates_out_of_range(doc: Document, outlet: Outlet, today: dt.date) -> list[Diagnostic]:
    """F009 for a big class or a start more than ten years from today: the week is counted day by
    day from start_date, and 9999-12-30 ran off the calendar (a traceback in check, build and pack)."""
    first, last = today - dt.timedelta(days=3652), today + dt.timedelta(days=3652)
    for key in ("big_class_date", "start_date"):
        when = getattr(outlet, key)
        if not first <= when <= last:
            line, col = doc.pos((key,))
            return [error(doc.rel, line, col, "F009",
                          f"{key}（{Outlet.model_fields[key].title}）{when} 应在 {first} 到 {last} 之间")]
    return []
