"""The starter library itself: enough of each type, written to the bar a trainer needs."""
from __future__ import annotations

import pytest

from casebook.core import markdown as mdtools
from casebook.packs.render import list_items
from conftest import REPO


@pytest.mark.parametrize("kind,minimum", [("complaint", 25), ("emergency", 14), ("guide", 18), ("story", 10),
                                          ("standard", 7), ("course", 6)])
def test_enough_items_of_each_type(clean_sample_lib, kind, minimum):
    assert len(clean_sample_lib.of_type(kind)) >= minimum


def test_three_outlets_with_different_profiles(clean_sample_lib):
    assert len(clean_sample_lib.outlets) >= 3
    firsts = {e.outlet.profile.customer_groups[0] for e in clean_sample_lib.outlets.values()}
    assert len(firsts) >= 3


def test_complaints_are_full_cases(clean_sample_lib):
    for item in clean_sample_lib.of_type("complaint"):
        body = item.body
        assert mdtools.text_length(body) >= 800, item.id
        assert len(item.meta.phrases) >= 2, item.id
        questions = list_items(mdtools.section(body, "讨论题"))
        assert 2 <= len(questions) <= 5, item.id
        script = mdtools.section(body, "演练脚本")
        assert "角色：" in script, item.id
        assert any(r.startswith(("guides/", "emergencies/")) for r in item.meta.related), item.id


def test_complaints_spread_over_profiles(clean_sample_lib):
    complaints = clean_sample_lib.of_type("complaint")
    for field in ("customer_groups", "business"):
        used = {v for c in complaints for v in getattr(c.meta, field)}
        assert len(used) >= 6, (field, used)
    assert {c.meta.severity for c in complaints} == {"一般", "较大", "重大"}
    assert len({c.meta.channel for c in complaints}) == 5
    assert len({r for c in complaints for r in c.meta.root_cause}) >= 8


INCIDENTS = ["突发疾病", "身体不适", "寻衅滋事", "系统", "机具", "业务差错", "投诉", "争执", "拍照", "媒体",
             "抢劫", "客流激增", "诈骗"]


def test_every_incident_of_the_seed_has_a_plan(clean_sample_lib):
    incidents = " ".join(e.meta.incident + e.meta.title for e in clean_sample_lib.of_type("emergency"))
    missing = [i for i in INCIDENTS if i not in incidents]
    assert not missing
    assert {e.meta.category for e in clean_sample_lib.of_type("emergency")} == {"客户自身原因", "我行原因", "第三方原因"}


def test_guides_cover_every_scope(clean_sample_lib):
    assert {g.meta.scope for g in clean_sample_lib.of_type("guide")} == {"特殊客户", "特殊时段", "特殊业务"}


def test_scripts_can_be_said_in_thirty_seconds(clean_sample_lib):
    for item in clean_sample_lib.items.values():
        for p in getattr(item.meta, "phrases", []):
            assert len(p.say) <= 130, (item.id, p.say)


def test_some_stories_are_public(clean_sample_lib):
    assert sum(s.meta.visibility == "public" for s in clean_sample_lib.of_type("story")) >= 3


def test_courses_match_the_programme(clean_sample_lib):
    evenings = {c for day in clean_sample_lib.programme.days for c in day.evening.courses}
    assert evenings | set(clean_sample_lib.programme.big_class.courses) == {c.id for c in clean_sample_lib.of_type("course")}
    for day in clean_sample_lib.programme.days:
        for course_id in day.evening.courses:
            assert clean_sample_lib.items[course_id].meta.day == day.day


def test_standards_feed_the_forms(clean_sample_lib):
    for std in clean_sample_lib.of_type("standard"):
        assert sum(s.points for s in std.meta.steps) == 100, std.id
    areas = {e.area for s in clean_sample_lib.of_type("standard") if s.meta.form == "网点现状问题诊断表" for e in s.meta.checklist}
    assert {"网点外部环境", "网点内部环境", "设施设备", "员工形象", "服务流程"} <= areas
    assert any(s.meta.form == "浓情暖域验收表" and len(s.meta.checklist) >= 8 for s in clean_sample_lib.of_type("standard"))


def test_the_preview_checks_items_again_when_what_they_are_checked_against_changes(tmp_path, monkeypatch):
    """`casebook serve` re-validates only changed files (a LoadMemo), but an edit to basis.yml or
    forbidden-phrases.yml changes every item's verdict: no cached verdict survives it."""
    import shutil

    from casebook.core import library
    from casebook.core.load_memo import LoadMemo

    memo = LoadMemo()
    root = tmp_path / "lib"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "outlets", root / "outlets")
    guide = "cases/guides/frozen-account.md"
    assert not [d for d in library.build_library(root, memo=memo).errors if d.path == guide]
    basis = root / "cases" / "basis.yml"  # the guide rests on judicial-freeze-assist-2002: rename it
    basis.write_text(basis.read_text(encoding="utf-8").replace("judicial-freeze-assist-2002:", "judicial-freeze-2002:"),
                     encoding="utf-8")
    assert [d.code for d in library.build_library(root, memo=memo).errors if d.path == guide] == ["B001"]
    phrases = root / "cases" / "forbidden-phrases.yml"  # a rule the guide's own words break
    text = (root / guide).read_text(encoding="utf-8")
    body_line = next(line for line in text.split("---", 2)[2].splitlines() if len(line.strip()) > 12)
    phrases.write_text(phrases.read_text(encoding="utf-8") + f"""
guide-words-under-test:
  pattern: {body_line.strip()[:6]}
  why: 测试
  instead: 测试
""", encoding="utf-8")
    assert "C001" in [d.code for d in library.build_library(root, memo=memo).errors if d.path == guide]


def test_the_preview_lists_the_tree_again_only_when_a_folder_changed(tmp_path, monkeypatch):
    """core.tree.discover in `casebook serve` (with the preview's LoadMemo): the last walk is reused while no folder changed;
    a file added or removed is seen at once, and a folder changed moments ago is not trusted."""
    import os
    import shutil

    from casebook.core import tree

    from casebook.core.load_memo import LoadMemo

    memo = LoadMemo()
    root = tmp_path / "lib"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "outlets", root / "outlets")

    def age(path):  # every folder last changed a minute ago
        for here, _dirs, _names in os.walk(path):
            os.utime(here, ns=(os.stat(here).st_atime_ns, os.stat(here).st_mtime_ns - 60 * 10**9))

    age(root)
    walks = []
    real_walk = tree._walk
    monkeypatch.setattr(tree, "_walk", lambda r, f: walks.append(1) or real_walk(r, f))
    first = tree.discover(root, memo)
    assert tree.discover(root, memo) == first and len(walks) == 1  # reused
    new = root / "cases" / "stories" / "zz-new-story.md"
    shutil.copy(root / "cases" / "stories" / "fraud-stopped-nephew.md", new)
    items, _ = tree.discover(root, memo)
    assert new in items and len(walks) == 2  # the folder changed: walked again
    tree.discover(root, memo)
    assert len(walks) == 3  # changed moments ago: not trusted yet
    new.unlink()
    age(root)
    assert new not in tree.discover(root, memo)[0] and tree.discover(root, memo) == first and len(walks) == 4
    assert tree.discover(root) == first and len(walks) == 5  # outside serve (no memo): always walked
