"""The coaching week's calendar: pure date arithmetic, no I/O."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

WEEKDAYS = "一二三四五六日"


def coaching_days(start: dt.date, holidays: Iterable[dt.date] = (), count: int = 5,
                  open_days: Iterable[int] = range(5)) -> list[dt.date]:
    """The first `count` days from `start` the outlet is open (weekday numbers, Monday 0: by
    default Monday to Friday; a township outlet may open on Saturday), its holidays skipped."""
    skip, weekdays = set(holidays), frozenset(open_days)
    if not weekdays:
        raise ValueError("an outlet open on no day of the week")
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() in weekdays and day not in skip:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def chinese_date(day: dt.date) -> str:
    """2026-12-03 → 2026年12月3日（周四）"""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"
