"""The privacy guard through `casebook check` on a real tree: every front-matter value, unquoted
numbers, the item's and an image's file name, the original line:col of a hit hidden in markup,
one-character staff names, and the file's own `privacy_ok` excuses (narrow, never for numbers
that pass a real check, reported when stale)."""
from __future__ import annotations

import shutil

from conftest import run_cli, write

STORY = """---
title: 暖域驿站的一杯热水
summary: 环卫工人在网点暖域驿站歇脚，员工送上热水。
visibility: internal
date: 2026-01-15
outlet: 东湖路支行
staff: {staff}
updated: 2026-11-20
source: example
{extra}---

一月的早晨气温零下五度，环卫工人刘大爷和王师傅在网点门口清扫。大堂经理周晓雯请他们进暖域驿站歇脚，
倒上热水，又帮刘大爷的手机充上电。刘大爷说，以前总怕进银行给人添麻烦。周晓雯告诉他：这里就是给大家歇脚的，
什么时候冷了、渴了都可以进来。此后，附近的环卫工人每天早上都会来喝一杯热水，网点也在驿站里放了反诈宣传册。
{body}
"""


def story(staff: str = "[周晓雯]", extra: str = "", body: str = "") -> str:
    return STORY.format(staff=staff, extra=extra, body=body)


def line_of(root, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(i + 1 for i, line in enumerate(lines) if needle in line)


def check(root, *extra: str):
    result = run_cli("check", "--root", str(root), "--strict", "--format", "json", *extra)
    return result, [(d["path"], d["line"], d["col"], d["code"], d["message"]) for d in result.json()["diagnostics"]]


def test_every_front_matter_value_is_scanned_quoted_or_not(valid_tree):
    write(valid_tree, "cases/stories/fm.md", story(extra='tags: ["159 2718 3345"]\nauthor: 18627183346\n'))
    _, found = check(valid_tree)
    codes = {(line, code) for path, line, _, code, _ in found if path == "cases/stories/fm.md"}
    assert (10, "P002") in codes  # tags, quoted
    assert (11, "P002") in codes  # author, written as a YAML number


def test_a_number_split_over_list_items_is_read_together(valid_tree):
    write(valid_tree, "cases/stories/tags.md", story(extra='tags: ["热水", "138", "1234", "5678", "暖域驿站"]\n'))
    _, found = check(valid_tree)
    mine = [(line, col, code, msg) for path, line, col, code, msg in found if path == "cases/stories/tags.md"]
    assert [(line, col, code) for line, col, code, _ in mine] == [(10, 14, "P002")]  # at the item "138"
    assert "138****5678" in mine[0][3]


def test_item_and_image_file_names_are_scanned(valid_tree):
    write(valid_tree, "cases/stories/visit-13812345678.md", story(extra=(
        "images:\n  - src: media/id-420106198503120417.png\n    caption: 暖域驿站\n    consent: true\n")))
    shutil.copy(valid_tree / "cases/media/rest-corner.png", valid_tree / "cases/media/id-420106198503120417.png")
    _, found = check(valid_tree)
    mine = [(line, code, msg) for path, line, _, code, msg in found if path == "cases/stories/visit-13812345678.md"]
    assert (1, "P002") in [(line, code) for line, code, _ in mine]
    assert any(code == "P001" and line == 11 and "images" in msg for line, code, msg in mine)
    assert all("13812345678" not in msg and "420106198503120417" not in msg for *_, msg in mine)  # masked


def test_a_hit_hidden_in_markup_is_reported_at_its_original_line_and_column(valid_tree):
    write(valid_tree, "cases/stories/markup.md", story(body="\n客户手机 138<!-- 备注 -->1234<b></b>5678，请回电。"))
    _, found = check(valid_tree)
    hits = [(line, col) for path, line, col, code, _ in found if path == "cases/stories/markup.md" and code == "P002"]
    assert hits == [(line_of(valid_tree, "cases/stories/markup.md", "客户手机"), 6)]  # the "1" of 138


def test_a_one_character_staff_name_does_not_allow_every_name_with_that_surname(valid_tree):
    write(valid_tree, "cases/stories/staff.md", story(staff="[周晓雯, 王]", body="\n客户王建国来到网点。"))
    _, found = check(valid_tree)
    assert [code for path, *_, code, _ in found if path == "cases/stories/staff.md"] == ["P101"]


def test_privacy_ok_excuses_exactly_the_quoted_text(valid_tree):
    body = "\n老人喜欢听刘兰芳先生的评书。我们网点在中山路100号，客户王建国也常来。"
    write(valid_tree, "cases/stories/ok.md", story(extra='privacy_ok: ["刘兰芳", "中山路100号"]\n', body=body))
    result, found = check(valid_tree)
    mine = [(code, msg) for path, _, _, code, msg in found if path == "cases/stories/ok.md"]
    assert mine and all(code == "P101" for code, _ in mine), mine  # 王建国 is still a name: never the whole file
    assert len(mine) == 1 and "王**" in mine[0][1]


def test_without_privacy_ok_the_same_text_is_reported(valid_tree):
    body = "\n老人喜欢听刘兰芳先生的评书。我们网点在中山路100号。"
    write(valid_tree, "cases/stories/ok.md", story(body=body))
    _, found = check(valid_tree)
    assert sorted(code for path, *_, code, _ in found if path == "cases/stories/ok.md") == ["P006", "P101"]


def test_a_stale_privacy_ok_entry_is_reported_where_it_is(valid_tree):
    write(valid_tree, "cases/stories/stale.md", story(extra='privacy_ok: ["黄昏时", "刘兰芳"]\n',
                                                      body="\n老人黄昏时来到网点。老人喜欢听刘兰芳先生的评书。"))
    result, found = check(valid_tree)
    mine = [(line, col, code) for path, line, col, code, _ in found if path == "cases/stories/stale.md"]
    assert mine == [(10, 14, "P102")]  # 黄昏时 is no false alarm any more; 刘兰芳 (a storyteller) is used
    assert result.code == 1  # --strict: a stale excuse blocks like any warning


def test_privacy_ok_never_excuses_a_mobile_an_id_or_a_card(valid_tree):
    body = "\n客户手机13812345678，证件号420106198503120417，转入6222021234567890128。"
    write(valid_tree, "cases/stories/nums.md", story(
        extra='privacy_ok: ["13812345678", "420106198503120417", "6222021234567890128"]\n', body=body))
    _, found = check(valid_tree)
    at = line_of(valid_tree, "cases/stories/nums.md", "客户手机")
    body_codes = sorted(code for path, line, _, code, _ in found if path == "cases/stories/nums.md" and line == at)
    assert body_codes == ["P001", "P002", "P004"]
    listed = {code for path, line, _, code, _ in found if path == "cases/stories/nums.md" and line == 10}
    assert {"P001", "P002", "P004", "P102"} <= listed  # the list itself is scanned, and excuses nothing


def test_privacy_ok_is_in_the_schema(valid_tree):
    result = run_cli("schema", "--root", str(valid_tree), "story")
    assert result.code == 0, result.err
    assert result.json()["properties"]["privacy_ok"]["type"] == "array"
