"""Every kind of bad input gets its code at its exact file line — all found in ONE run.

One tree holds the valid fixture library plus one broken file per case; the installed
`casebook check` runs once over it, and each case asserts the exact set of (code, line) its
file produced: a missing rule fails the case, and so does a rule that fires where it should not.
"""
from __future__ import annotations

import shutil
from collections import defaultdict

import pytest

from conftest import VALID, run_cli, write

BASE = """---
title: 高峰排队客户投诉
summary: 代发日排队过长，客户在厅堂投诉。
customer_groups: [老年客户]
severity: 一般
channel: 现场
root_cause: [服务效率]
updated: 2026-11-20
phrases:
  - when: 客户等候时间长
    say: 让您久等了。
---

## 案例经过

客户排队。

## 客户诉求

尽快办理。

## 处理过程

致歉。

## 推荐话术

见卡片。

## 根因分析

窗口不足。

## 改进措施

加开窗口。

## 讨论题

1. 怎样分流？
"""


def line_sub(text: str, n: int, new: str) -> str:
    """Replace 1-based line n (new may hold several lines, or be None to delete it)."""
    lines = text.split("\n")
    lines[n - 1:n] = [] if new is None else new.split("\n")
    return "\n".join(lines)


def line_ins(text: str, after: int, new: str) -> str:
    lines = text.split("\n")
    lines[after:after] = new.split("\n")
    return "\n".join(lines)


EMERGENCY = """---
title: 客户突发疾病
summary: 客户在厅堂晕倒时的处置。
category: 客户自身原因
incident: 突发疾病
report_within_minutes: 15
updated: 2026-11-20
duties:
  网点负责人: [统一指挥]
  大堂经理: [第一时间到场]
phrases:
  - when: 走到客户身边
    say: 您好，先别动。
---

## 适用情形

晕倒。

## 处置流程

1. 到场。

## 参考话术

见卡片。

## 报告要求

15 分钟内。

## 演练要点

计时。
"""

GUIDE = """---
title: 老年客户服务
summary: 保留柜面服务。
scope: 特殊客户
updated: 2026-11-20
phrases:
  - {when: 进门, say: 阿姨您好。}
  - {when: 不愿用机器, say: 我们在柜台办。}
---

## 服务要点

尊重选择。

## 服务流程

1. 迎候。

## 禁忌

- 不强推。
"""

STORY = """---
title: 暖域驿站的一杯热水
summary: 环卫工人在网点歇脚。
visibility: public
date: 2026-01-15
outlet: 东湖路支行
staff: [周晓雯]
images:
  - src: media/rest-corner.png
    consent: true
updated: 2026-11-20
source: example
---

一月的早晨气温零下五度，环卫工人刘大爷和王师傅在网点门口清扫。大堂经理周晓雯请他们进暖域驿站歇脚，倒上热水，
又帮刘大爷的手机充上电。刘大爷说，以前总怕进银行给人添麻烦。周晓雯告诉他：这里就是给大家歇脚的，什么时候冷了、
渴了都可以进来。此后，附近的环卫工人每天早上都会来喝一杯热水，网点也在驿站里放了反诈宣传册。大家都说这里暖和。
"""

OUTLET = """name: 示例支行营业部
branch: 示例市分行
big_class_date: 2026-12-01
start_date: 2026-12-03
project_manager: [赵项目]
trainers: [孙老师, 钱老师]
staff:
  网点负责人: [吴敏]
  大堂经理: [周晓雯]
profile:
  customer_groups: [老年客户]
"""

# A resident ID number with a valid check digit (computed in test_privacy), a valid mobile,
# and a card number that passes Luhn.
VALID_ID = "11010519491231002X"
CARD = "6222021234567890128"  # passes Luhn

# (case id, path, content, expected {(code, line)})
CASES: list[tuple[str, str, str | bytes, set[tuple[str, int]]]] = [
    ("not-utf8-gbk", "cases/complaints/gbk.md", BASE.encode("gbk"), {("L001", 2)}),
    ("empty-file", "cases/complaints/empty.md", "", {("L002", 1)}),
    ("whitespace-only", "cases/complaints/blank.md", "\n  \n", {("L002", 1)}),
    ("no-front-matter", "cases/complaints/no-fm.md", "## 案例经过\n\n正文\n", {("L003", 1)}),
    ("unclosed-front-matter", "cases/complaints/unclosed.md", line_sub(BASE, 12, "") , {("L004", 1)}),
    ("yaml-bad-indent", "cases/complaints/indent.md", line_sub(BASE, 4, "  customer_groups: [老年客户]"), {("L005", 4)}),
    # a Chinese input method's colon, and a space pasted from Word: YAML stumbles only on the next line
    ("yaml-fullwidth-colon", "cases/complaints/fwcolon.md", line_sub(BASE, 5, "severity：一般"), {("L005", 5)}),
    ("yaml-nbsp-after-colon", "cases/complaints/nbsp.md", line_sub(BASE, 6, "channel:\u00a0现场"), {("L005", 6)}),
    ("yaml-colon-in-value", "cases/complaints/colon.md", line_sub(BASE, 3, "summary: 注意: 客户投诉"), {("L005", 3)}),
    ("yaml-tab-indent", "cases/complaints/tab.md", line_sub(BASE, 11, "\tsay: 让您久等了。"), {("L005", 11)}),
    ("yaml-unclosed-bracket", "cases/complaints/bracket.md", line_sub(BASE, 7, "root_cause: [服务效率"), {("L005", 8)}),
    ("front-matter-is-list", "cases/complaints/list-fm.md", "---\n- 标题\n- 摘要\n---\n正文\n", {("L006", 2)}),
    ("front-matter-empty", "cases/complaints/empty-fm.md", "---\n---\n正文\n", {("L006", 2)}),
    ("duplicate-key", "cases/complaints/dup.md", line_ins(BASE, 3, "title: 重复的标题内容"), {("L007", 4)}),
    ("python-tag", "cases/complaints/pytag.md",
     line_sub(BASE, 3, 'summary: !!python/object/apply:os.system ["echo hi"]'), {("L008", 3)}),
    ("alias-bomb", "cases/complaints/bomb.md",
     line_ins(BASE, 8, "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]"), {("L009", 9)}),  # at the anchor
    ("file-name-upper", "cases/complaints/Bad_Name.md", BASE, {("L010", 1)}),
    ("unknown-folder", "cases/misc/note.md", BASE, {("L011", 1)}),
    ("missing-title", "cases/complaints/no-title.md", line_sub(BASE, 2, None), {("F001", 1)}),
    ("unknown-field", "cases/complaints/titel.md", line_sub(BASE, 2, "titel: 高峰排队客户投诉"),
     {("F002", 2), ("F001", 1)}),
    ("number-for-text", "cases/complaints/num.md", line_sub(BASE, 3, "summary: 2024"), {("F003", 3)}),
    ("list-for-text", "cases/complaints/listtext.md", line_sub(BASE, 3, "summary: [a, b]"), {("F003", 3)}),
    ("title-too-long", "cases/complaints/long-title.md", line_sub(BASE, 2, "title: " + "长" * 41), {("F004", 2)}),
    ("title-too-short", "cases/complaints/short-title.md", line_sub(BASE, 2, "title: 投诉"), {("F004", 2)}),
    ("summary-too-long", "cases/complaints/long-summary.md", line_sub(BASE, 3, "summary: " + "摘" * 121), {("F004", 3)}),
    ("no-phrases", "cases/complaints/no-phrases.md", line_sub(BASE, 9, "phrases: []").replace(
        "  - when: 客户等候时间长\n    say: 让您久等了。\n", ""), {("F004", 9)}),
    ("phrase-missing-say", "cases/complaints/no-say.md", line_sub(BASE, 11, None), {("F001", 10)}),
    ("date-feb-30", "cases/complaints/feb30.md", line_sub(BASE, 8, "updated: 2026-02-30"), {("F005", 8)}),
    ("date-13-45", "cases/complaints/month13.md", line_sub(BASE, 8, "updated: 2026-13-45"), {("F005", 8)}),
    ("date-words", "cases/complaints/date-words.md", line_sub(BASE, 8, "updated: 明天"), {("F005", 8)}),
    ("date-number", "cases/complaints/date-number.md", line_sub(BASE, 8, "updated: 20261120"), {("F003", 8)}),
    ("vocab-unknown", "cases/complaints/vocab.md", line_sub(BASE, 4, "customer_groups: [老年人群]"), {("F006", 4)}),
    ("vocab-unknown-scalar", "cases/complaints/vocab2.md", line_sub(BASE, 5, "severity: 严重"), {("F006", 5)}),
    ("vocab-alias", "cases/complaints/alias.md", line_sub(BASE, 4, "customer_groups: [老人]"), {("F007", 4)}),
    ("vocab-duplicate", "cases/complaints/vdup.md", line_sub(BASE, 4, "customer_groups: [老年客户, 老年客户]"),
     {("D004", 4)}),
    ("visibility-yes", "cases/complaints/vis.md", line_ins(BASE, 8, "visibility: yes"), {("F006", 9)}),
    ("type-mismatch", "cases/complaints/type.md", line_ins(BASE, 1, "type: guide"), {("F008", 2)}),
    ("missing-heading", "cases/complaints/no-root.md", line_sub(BASE, 30, None), {("S001", 26)}),
    ("heading-typo", "cases/complaints/typo.md", line_sub(BASE, 30, "## 根因分折"), {("S001", 26)}),
    ("heading-order", "cases/complaints/order.md",
     line_sub(line_sub(BASE, 30, "## 改进措施"), 34, "## 根因分析"), {("S002", 34)}),
    ("related-missing", "cases/complaints/ref.md", line_ins(BASE, 8, "related: [guides/no-such-guide]"), {("R001", 9)}),
    ("related-self", "cases/complaints/selfref.md", line_ins(BASE, 8, "related: [complaints/selfref]"), {("R004", 9)}),
    ("review-passed", "cases/complaints/stale.md", line_ins(BASE, 8, "review_by: 2026-01-31"), {("D003", 9)}),
    ("html-script", "cases/complaints/script.md", line_sub(BASE, 16, "<script>alert(1)</script>"), {("H001", 16)}),
    ("html-iframe", "cases/complaints/iframe.md", line_sub(BASE, 20, '<iframe src="https://x.test"></iframe>'),
     {("H001", 20)}),
    ("html-style", "cases/complaints/style.md", line_sub(BASE, 20, "<style>body{display:none}</style>"), {("H001", 20)}),
    ("html-form", "cases/complaints/form.md", line_sub(BASE, 20, '<form action="https://x.test">'), {("H001", 20)}),
    ("html-object-embed", "cases/complaints/object.md", line_sub(BASE, 24, '<object data="x"></object><embed src="x">'),
     {("H001", 24)}),
    ("event-handler", "cases/complaints/onclick.md", line_sub(BASE, 16, '<img src="x.png" onerror="alert(1)">'),
     {("H002", 16)}),
    ("javascript-link", "cases/complaints/jslink.md", line_sub(BASE, 16, "[点我](javascript:alert(1))"), {("H003", 16)}),
    ("javascript-entity", "cases/complaints/jsentity.md", line_sub(BASE, 16, "[点我](jav&#x61;script:alert(1))"),
     {("H003", 16)}),
    ("javascript-refdef", "cases/complaints/jsref.md", line_sub(BASE, 16, "[点我][x]\n\n[x]: JavaScript:alert(1)"),
     {("H003", 18)}),
    ("data-image", "cases/complaints/dataimg.md", line_sub(BASE, 16, "![图](data:image/png;base64,AAAA)"), {("H003", 16)}),
    ("vbscript-href", "cases/complaints/vbs.md", line_sub(BASE, 16, '<a href="vbscript:msgbox(1)">x</a>'), {("H003", 16)}),
    ("attr-list-onclick", "cases/complaints/attrlist.md", line_sub(BASE, 16, '点我{: onclick="alert(1)"}'), {("H004", 16)}),
    ("privacy-id", "cases/complaints/pid.md", line_sub(BASE, 16, f"客户身份证号 {VALID_ID}。"), {("P001", 16)}),
    ("privacy-mobile", "cases/complaints/pmobile.md", line_sub(BASE, 20, "回电 138 1234 5678。"), {("P002", 20)}),
    ("privacy-mobile-fm", "cases/complaints/pmobile2.md", line_sub(BASE, 3, "summary: 客户留下电话 13912345678 要求回电。"),
     {("P002", 3)}),
    ("privacy-landline", "cases/complaints/pland.md", line_sub(BASE, 24, "打到 027-87654321 找他。"), {("P003", 24)}),
    ("privacy-card-luhn", "cases/complaints/pcard.md", line_sub(BASE, 28, f"对方是 {CARD}。"), {("P004", 28)}),
    ("privacy-card-word", "cases/complaints/pcard2.md", line_sub(BASE, 28, "卡号 6222 0212 3456 7890 要核对。"),
     {("P004", 28)}),
    ("privacy-email", "cases/complaints/pemail.md", line_sub(BASE, 32, "发到 wang.jianguo@163.com 邮箱。"), {("P005", 32)}),
    ("privacy-address", "cases/complaints/paddr.md", line_sub(BASE, 36, "客户住在解放路88号。"), {("P006", 36)}),
    ("privacy-address-unit", "cases/complaints/paddr2.md", line_sub(BASE, 36, "住幸福小区5栋2单元301室。"), {("P006", 36)}),
    ("privacy-name", "cases/complaints/pname.md", line_sub(BASE, 16, "客户王建国来到网点，要求取款。"), {("P101", 16)}),
    ("privacy-name-title", "cases/complaints/pname2.md", line_sub(BASE, 16, "刘志强先生要求经理出面。"), {("P101", 16)}),
    # emergency plans
    ("duties-missing-role", "cases/emergencies/noduty.md", line_sub(EMERGENCY, 10, None), {("D001", 8)}),
    ("duties-missing-head", "cases/emergencies/nohead-duty.md", line_sub(EMERGENCY, 9, None), {("D001", 8)}),
    ("duties-unknown-role", "cases/emergencies/badrole.md", line_ins(EMERGENCY, 10, "  值班员: [看门]"), {("F006", 11)}),
    ("duties-role-alias", "cases/emergencies/aliasrole.md", line_ins(EMERGENCY, 10, "  柜员: [收好现金]"), {("F007", 11)}),
    ("report-zero", "cases/emergencies/zero.md", line_sub(EMERGENCY, 6, "report_within_minutes: 0"), {("F009", 6)}),
    ("report-true", "cases/emergencies/booltime.md", line_sub(EMERGENCY, 6, "report_within_minutes: true"), {("F003", 6)}),
    ("report-1-30", "cases/emergencies/sexagesimal.md", line_sub(EMERGENCY, 6, "report_within_minutes: 1:30"),
     {("F003", 6)}),
    ("emergency-missing-heading", "cases/emergencies/nohead.md", EMERGENCY.replace("## 报告要求", "## 报告"),
     {("S001", 24)}),
    # a heading the editor wrote with a full-width space, or none, after ##: told at its own line
    ("emergency-heading-fullwidth-space", "cases/emergencies/fwhead.md", EMERGENCY.replace("## 报告要求", "##\u3000报告要求"),
     {("S001", 28)}),
    ("emergency-heading-no-space", "cases/emergencies/nospace.md", EMERGENCY.replace("## 报告要求", "##报告要求"),
     {("S001", 28)}),
    # guides
    ("guide-two-phrases", "cases/guides/two.md", GUIDE, {("F004", 6)}),
    # stories
    ("story-short", "cases/stories/short.md", STORY.split("---\n\n")[0] + "---\n\n太短了。\n", {("S003", 14)}),
    ("story-image-missing", "cases/stories/noimg.md", STORY.replace("media/rest-corner.png", "media/none.png"),
     {("R002", 9)}),
    ("story-image-outside-media", "cases/stories/escape.md", STORY.replace("media/rest-corner.png", "../../etc/passwd"),
     {("R002", 9)}),
    ("story-no-consent", "cases/stories/noconsent.md", STORY.replace("consent: true", "consent: false"), {("R003", 9)}),
    ("story-consent-yes", "cases/stories/consentyes.md", STORY.replace("consent: true", "consent: yes"), {("F003", 10)}),
    ("story-no-staff", "cases/stories/nostaff.md", line_sub(STORY, 7, None), {("F001", 1)}),
    # outlets
    ("outlet-start-before-class", "outlets/early.yml", line_sub(OUTLET, 4, "start_date: 2026-11-30"), {("D002", 4)}),
    ("outlet-one-trainer", "outlets/onetrainer.yml", line_sub(OUTLET, 6, "trainers: [孙老师]"), {("F004", 6)}),
    ("outlet-no-pm", "outlets/nopm.yml", line_sub(OUTLET, 5, None), {("F001", 1)}),
    ("outlet-bad-role", "outlets/badrole.yml", line_ins(OUTLET, 9, "  值班员: [张三]"), {("F006", 10)}),
    ("outlet-bad-group", "outlets/badgroup.yml", line_sub(OUTLET, 11, "  customer_groups: [老年人群]"), {("F006", 11)}),
    ("outlet-override-missing", "outlets/override.yml", OUTLET + "overrides:\n  courses/etiquette: [guides/nope]\n",
     {("R001", 13)}),
    ("outlet-file-name", "outlets/城区网点.yml", OUTLET, {("L010", 1)}),
    ("outlet-staff-twice", "outlets/twice.yml", line_sub(OUTLET, 9, "  大堂经理: [周晓雯, 吴敏, 周晓雯]"), {("F013", 9)}),
    ("outlet-staff-blank", "outlets/blank.yml", line_sub(OUTLET, 9, '  大堂经理: [周晓雯, " "]'), {("F013", 9)}),
    # (a two-character name padded with a space to line up in a Word table: the same person)
    ("outlet-staff-twice-spaced", "outlets/spaced.yml", line_sub(OUTLET, 9, "  大堂经理: [周晓雯, 吴　敏, 吴敏]"), {("F013", 9)}),
    ("outlet-staff-two-in-one", "outlets/twoinone.yml", line_sub(OUTLET, 9, "  大堂经理: [周晓雯，吴敏]"), {("F013", 9)}),
    ("outlet-staff-empty", "outlets/empty.yml", line_sub(OUTLET, 9, '  大堂经理: [周晓雯, ""]'), {("F004", 9)}),
    # a phone on the pocket card someone dials in an emergency: a letter O, "无", a number that does not ring here
    ("outlet-phone-letter-o", "outlets/phoneo.yml", OUTLET + 'contacts:\n  - {name: 急救, phone: "12O", kind: 急救}\n',
     {("F003", 13)}),
    ("outlet-phone-none", "outlets/phonenone.yml", OUTLET + 'contacts:\n  - {name: 派出所, phone: "无", kind: 报警}\n',
     {("F003", 13)}),
    ("outlet-phone-911", "outlets/phone911.yml", OUTLET + 'contacts:\n  - {name: 报警, phone: "911", kind: 报警}\n',
     {("F003", 13)}),
]


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad") / "lib"
    shutil.copytree(VALID, root)
    for _, rel, content, _ in CASES:
        write(root, rel, content)
    result = run_cli("check", "--root", str(root), "--format", "json")
    assert result.code == 1, result.err
    by_file: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for d in result.json()["diagnostics"]:
        by_file[d["path"]].add((d["code"], d["line"]))
    return by_file


def test_at_least_thirty_kinds_of_bad_input():
    assert len(CASES) >= 30
    assert len({code for *_, expected in CASES for code, _ in expected}) >= 30


@pytest.mark.parametrize("case_id,rel,content,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_reported_at_its_line(one_run, case_id, rel, content, expected):
    assert one_run.get(rel, set()) == expected


def test_valid_files_in_the_same_run_stay_clean(one_run):
    valid = {p.relative_to(VALID).as_posix() for p in VALID.rglob("*") if p.suffix in (".md", ".yml")}
    assert not (valid & set(one_run)), {k: one_run[k] for k in valid & set(one_run)}


def test_every_code_in_the_catalogue_is_exercised():
    from casebook.core.diagnostics import CODES

    from pathlib import Path

    tested = {code for *_, expected in CASES for code, _ in expected}
    # the rest (fill-in hints F010, images M…) must be asserted in another test file
    others = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parents[1].rglob("test_*.py")
                     if p.name != Path(__file__).name)
    tested |= {code for code in CODES if f'"{code}"' in others or f"[{code}]" in others}
    assert set(CODES) - tested <= set(), sorted(set(CODES) - tested)


def test_a_list_entry_is_counted_as_an_editor_counts_and_its_bound_is_said(valid_tree):
    """An empty name in an outlet's staff list: the entry counted from 1, and the length it needs
    (the message said "staff.大堂经理.1 应为至少 None 个字")."""
    write(valid_tree, "outlets/empty.yml", line_sub(OUTLET, 9, '  大堂经理: [周晓雯, ""]'))
    said = run_cli("check", "--root", str(valid_tree)).out
    assert "staff.大堂经理[2] 应为至少 1 个字，现在是 0 个字" in said and "None" not in said, said


def test_a_full_width_colon_or_an_odd_space_is_named(valid_tree):
    write(valid_tree, "cases/complaints/fwcolon.md", line_sub(BASE, 5, "severity：一般"))
    write(valid_tree, "cases/complaints/nbsp.md", line_sub(BASE, 6, "channel:\u00a0现场"))
    said = run_cli("check", "--root", str(valid_tree)).out
    assert "fwcolon.md:5:9: error[L005]: YAML 语法错误：字段名 severity 后面是全角冒号“：”" in said, said
    assert "nbsp.md:6:9: error[L005]: YAML 语法错误：channel: 后面是不换行空格" in said, said


def test_a_value_with_a_character_nobody_sees_is_told_what_it_holds(valid_tree):
    """A vocabulary value or an item id pasted with a zero-width or no-break space: the message
    suggested exactly the value the editor sees ("最接近的有效值：“老年客户”")."""
    write(valid_tree, "cases/complaints/zw.md", line_sub(BASE, 4, "customer_groups: [老年客户\u200b]"))
    write(valid_tree, "cases/complaints/nb.md", BASE.replace("phrases:", "related: [guides/elderly\u00a0]\nphrases:"))
    said = run_cli("check", "--root", str(valid_tree)).out
    assert "zw.md:4:19: error[F006]: 客户群体“老年客户”里夹着看不见的字符（零宽空格 U+200B）" in said, said
    assert "nb.md:9:11: error[R001]: 引用的条目 guides/elderly 里夹着看不见的字符（不换行空格 U+00A0）" in said, said


def test_an_override_keyed_by_an_item_that_is_not_a_course_says_so(valid_tree):
    """`overrides: {guides/elderly: […]}`: the guide exists; it is not a course ("不存在" said the
    opposite of what the editor can see)."""
    write(valid_tree, "outlets/notcourse.yml", OUTLET + "overrides:\n  guides/elderly: [complaints/queue]\n")
    said = run_cli("check", "--root", str(valid_tree)).out
    assert "notcourse.yml:13:3: error[R001]: guides/elderly 不是 courses/ 下的条目（课程）；这里要写课程的 id，如 courses/" \
        in said and "不存在" not in said, said


def test_a_date_written_another_way_is_given_back_in_the_form_to_write(valid_tree):
    """`2026/11/20`, `2026年11月20日`: the message gave only the format and an unrelated example."""
    write(valid_tree, "cases/complaints/slash.md", line_sub(BASE, 8, "updated: 2026/11/20"))
    write(valid_tree, "cases/complaints/words.md", line_sub(BASE, 8, "updated: 2026年11月2日"))
    write(valid_tree, "cases/complaints/nodate.md", line_sub(BASE, 8, "updated: 2026/02/30"))
    said = run_cli("check", "--root", str(valid_tree)).out
    assert "slash.md:8:10: error[F005]" in said and "“2026/11/20”要写成 2026-11-20" in said, said
    assert "“2026年11月2日”要写成 2026-11-02" in said, said
    assert "“2026/02/30”不是日期" in said, said  # (no such day: nothing to give back)
