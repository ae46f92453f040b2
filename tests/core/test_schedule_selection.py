"""Pure parts of the packs: the coaching calendar and the item selection."""
from __future__ import annotations

import datetime as dt

from casebook.core.library import Library
from casebook.core.schedule import chinese_date, coaching_days
from casebook.core.selection import draw_items
from conftest import VALID

D = dt.date


def test_five_working_days_skip_weekend_and_holidays():
    # 2026-12-03 is a Thursday; 12-05/06 weekend; 12-07 a listed holiday
    assert coaching_days(D(2026, 12, 3), [D(2026, 12, 7)]) == [
        D(2026, 12, 3), D(2026, 12, 4), D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 10)]


def test_start_on_a_saturday_moves_to_monday():
    assert coaching_days(D(2026, 12, 5))[0] == D(2026, 12, 7)


def test_chinese_date():
    assert chinese_date(D(2026, 12, 3)) == "2026年12月3日（周四）"


def test_override_replaces_the_drawn_items(valid_tree):
    lib = Library.load(valid_tree, use_cache=False)
    outlet = lib.outlets["community"].outlet
    course = lib.items["courses/etiquette"]
    chosen = draw_items(lib, course, outlet)
    assert [(s.item.id, s.by_trainer) for s in chosen] == [("standards/seven-steps", True)]
    outlet_without = outlet.model_copy(update={"overrides": {}})
    drawn = draw_items(lib, course, outlet_without)
    assert [s.item.id for s in drawn] == ["standards/seven-steps"] and not drawn[0].by_trainer
    assert "岗位" in drawn[0].reason or "补足" in drawn[0].reason


def test_selection_is_deterministic_and_explained():
    lib = Library.load(VALID, use_cache=False)
    outlet = lib.outlets["community"].outlet.model_copy(update={"overrides": {}})
    course = lib.items["courses/etiquette"]
    first = [(s.item.id, s.reason) for s in draw_items(lib, course, outlet)]
    again = [(s.item.id, s.reason) for s in draw_items(lib, course, outlet)]
    assert first == again and all(reason for _, reason in first)
