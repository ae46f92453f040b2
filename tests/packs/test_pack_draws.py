"""What a pack draws for an outlet unlike the samples: overrides replace only their type, the
outline is told what the evening lacks, every recent complaint type is served or named."""
from __future__ import annotations

from pathlib import Path

from casebook.core.outlets import load_outlet_file
from casebook.core.selection import EveningDraw, Selection, draw_week
from casebook.packs.context import outline_gaps, pack_context

HERE = Path(__file__).parent / "outlets"


def entry_of(lib, text: str, tmp_path, name="x.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entry, problems = load_outlet_file(lib, path, name)
    assert entry is not None, problems
    return entry, problems


def township(**changes) -> str:
    text = (HERE / "township-nine.yml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def test_an_outline_is_told_what_its_evening_lacks(sample_lib):
    course = sample_lib.items["courses/special-customers"]
    guides = [Selection(sample_lib.items["guides/elderly-customers"], "培训老师指定", by_trainer=True)]
    assert outline_gaps(EveningDraw(3, course, guides)) == ["投诉案例", "暖心故事"]
    full = draw_week(sample_lib, sample_lib.outlets["county-migrant"].outlet, sample_lib.programme)
    assert all(outline_gaps(ev) == [] for ev in full)


def test_the_township_override_keeps_the_special_customers_class_whole(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(), tmp_path)
    ctx = pack_context(sample_lib, entry)
    special = next(c for ev in ctx["evenings"] for c in ev.courses if c.course.id == "courses/special-customers")
    types = [b.item.type for b in special.blocks]
    assert types[:2] == ["guide", "guide"] and all(b.selection.by_trainer for b in special.blocks[:2])
    assert "complaint" in types and "story" in types and not special.gaps
    assert not [w for w in ctx["warnings"] if w.code == "O010"]


def test_a_complaint_type_without_a_case_is_named(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(**{"recent_complaints: [服务态度, 收费定价, 系统设备]":
                                                "recent_complaints: [服务态度, 排队叫号机]"}), tmp_path)
    warnings = [w for w in pack_context(sample_lib, entry)["warnings"] if w.code == "O011"]
    assert len(warnings) == 1 and "排队叫号机" in warnings[0].message and "服务态度" not in warnings[0].message
    assert warnings[0].line == 24  # the recent_complaints line of the file


def test_one_person_in_two_roles_is_cast_once_and_counted_once(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(), tmp_path)
    ctx = pack_context(sample_lib, entry)
    assert [w.code for w in ctx["warnings"]].count("O012") == 1
    assert ctx["headcount"] == 9 and dict(ctx["facts"])["员工"].startswith("共 9 人")
    plan = next(p for p in ctx["plans"] if p.item.id == "emergencies/sudden-illness")
    rows = {role: (names, note) for role, names, _, note in plan.duties}
    assert rows["大堂经理"] == (["卫小燕"], "") and rows["客户经理"][0] == ["鲁建平"] and "卫小燕" in rows["客户经理"][1]
    backup = {r.label: r for r in ctx["backup"]}
    assert backup["综合区大堂经理"].names == ["卫小燕"] and backup["客户经理"].names == ["鲁建平"]
    # in every role-play a person plays one role
    blocks = [b for ev in ctx["evenings"] for c in ev.courses for b in c.blocks if b.drill] + ctx["plans"]
    for b in blocks:
        assert " ".join(b.drill.roles).count("卫小燕") <= 1, b.drill.roles


def test_a_role_everyone_of_which_is_busy_gets_a_stand_in(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(**{"客户经理: [卫小燕, 鲁建平]": "客户经理: [卫小燕]"}), tmp_path)
    ctx = pack_context(sample_lib, entry)
    plan = next(p for p in ctx["plans"] if p.item.id == "emergencies/sudden-illness")
    names, note = next((n, t) for role, n, _, t in plan.duties if role == "客户经理")
    assert names == [] and "替补" in note
    assert "替补" in next(r for r in ctx["backup"] if r.label == "客户经理").note
    assert ctx["headcount"] == 8


def test_day_four_says_which_plans_it_teaches_and_the_book_follows_the_programme(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(), tmp_path)
    ctx = pack_context(sample_lib, entry)
    day4 = next(c for ev in ctx["evenings"] for c in ev.courses if c.course.id == "courses/emergency-handling")
    assert "抽取四个预案" in day4.course.body and len(day4.tonight) == 4
    causes = [item.meta.category for item, _ in day4.tonight]
    assert set(causes) == {"客户自身原因", "我行原因", "第三方原因"} and all(why for _, why in day4.tonight)
    assert day4.book == sum(1 for b in day4.blocks if b.item.type == "emergency") > 4
    taught = [p.item.id for p in ctx["plans"] if p.taught]
    assert sorted(taught) == sorted(item.id for item, _ in day4.tonight)
    order = [p.item.meta.category for p in ctx["plans"]]
    assert order[0] == "客户自身原因" and order == sorted(order, key=["客户自身原因", "我行原因", "第三方原因"].index)


def test_the_diagnosis_asks_each_check_once(sample_lib):
    """Checklists of several standards ask the same thing in other words (门前台阶、玻璃门干净 twice):
    the 诊断表 keeps the first."""
    from casebook.packs.forms import diagnosis_areas, overlap

    items = [i for a in diagnosis_areas(sample_lib) for i in a.items]
    assert len(items) > 40
    same = [(a, b) for n, a in enumerate(items) for b in items[:n] if overlap(a, b) >= 0.5]
    assert not same, same[:3]
    assert "门前台阶、玻璃门是否干净，雨雪天门口是否铺防滑垫、放提示牌" not in items


def test_the_closing_meeting_compares_the_outlets_own_figures(sample_lib, tmp_path):
    entry, _ = entry_of(sample_lib, township(), tmp_path)
    rows = {label: (before, after) for label, before, after in pack_context(sample_lib, entry)["closing_rows"]}
    assert rows["往期神秘人得分"] == ("72 分", "本周自查 ______ 分") and rows["网点投诉率"][0] == "1.2 件/万户"  # (the unit: bank.yml)
    entry, _ = entry_of(sample_lib, township() + "results: {mystery_shopper_score: 85, diagnosis_found: 14, diagnosis_fixed: 11,"
                        " warm_zone_before: 62, warm_zone_after: 88}\n", tmp_path, "after.yml")
    rows = {label: (before, after) for label, before, after in pack_context(sample_lib, entry)["closing_rows"]}
    assert rows["往期神秘人得分"] == ("72 分", "本周自查 85 分")
    assert rows["诊断表：环境与服务问题"] == ("发现 14 项", "已整改 11 项")
    assert rows["浓情暖域验收得分"] == ("62 / 100 分", "88 / 100 分")


def test_a_complaint_type_the_library_has_but_no_evening_draws_is_not_said_to_be_missing():
    """The small library has a 服务效率 case; its programme has no evening that draws complaints.
    O011 said the library had none."""
    from casebook.core.library import Library
    from conftest import VALID

    lib = Library.load(VALID, use_cache=False)
    entry = lib.outlets["community"]
    assert entry.outlet.profile.recent_complaints == ["服务效率", "排队难"]
    said = [w.message for w in pack_context(lib, entry)["warnings"] if w.code == "O011"]
    assert any("案例库有近期投诉类型“服务效率”" in m for m in said), said
    assert any("案例库没有近期投诉类型“排队难”" in m for m in said), said
    assert not any("没有近期投诉类型“服务效率" in m for m in said), said
