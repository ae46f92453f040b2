"""The coaching week's calendar: pure date arithmetic, no I/O."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

WEEKDAYS = "一二三四五六日"


def coaching_days(start: dt.date, holidays: Iterable[dt.date] = (), count: int = 5) -> list[dt.date]:
    """The first `count` working days from `start`: Saturdays, Sundays and holidays skipped."""
    skip = set(holidays)
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5 and day not in skip:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def chinese_date(day: dt.date) -> str:
    """2026-12-03 → 2026年12月3日（周四）"""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"
