"""The bank's parameters (cases/bank.yml), through the installed `casebook check` and the Library:

- bank.yml is validated (unknown key → nearest valid key at its line; wrong type; a rule that
  is not `kind: bank`); the bank's rules join the basis registry; a `kind: bank` entry left in
  cases/basis.yml, or a key in both files, is an error;
- items write 【bank.KEY】: an unknown key is an error at line:col with the nearest valid key;
  known keys are filled in at load time, in the body and in front matter, and a whole-value
  reference to a number becomes that number (report_within_minutes);
- a bank-set number written by hand is a warning; an emergency's hand-written deadline is a
  warning naming the parameter (or saying it matches none);
- a starter rule is printed with “示例·部署前替换”.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, run_cli, write

BANK = """\
name: 青石银行
hotline: "95999"
report_minutes:
  life_safety: 5
  major: 10
  public_opinion: 15
  general: 30
written_report_hours: 24
card_return_days: 2
home_visit_days: 2
appointment:
  large_cash_amount: 50000
  lead_days: 1
queue:
  trigger_waiting: 15
  trigger_minutes: 30
rules:
  bank-anti-fraud:
    title: 反诈劝阻与交易风险核实（本行制度）
    issuer: 本行
    governs: 反诈劝阻
    kind: bank
    replace_before_use: true
"""

GUIDE = """---
title: 大额取现服务
summary: {summary}
scope: 特殊业务
updated: 2026-11-20
basis: [bank-anti-fraud]
phrases:
  - when: 客户要取大额现金
    say: {say}
  - when: 不愿用机器
    say: 没问题，我们在柜台办。
  - when: 转账给陌生人
    say: 我们先一起核实一下好吗？
---

## 服务要点

{body}

## 服务流程

1. 迎候。

## 禁忌

- 不强推。
"""

EMERGENCY = """---
title: 客户突发疾病
summary: 客户在厅堂晕倒时的处置。
category: 客户自身原因
incident: 突发疾病
report_within_minutes: {deadline}
updated: 2026-11-20
duties:
  网点负责人: [统一指挥]
  大堂经理: [第一时间到场]
  保安: [接应救护车]
phrases:
  - when: 走到客户身边
    say: 您好，先别动，我们已经在叫救护车了。
---

## 适用情形

客户晕倒。拨打 120。

## 处置流程

1. 到场。

## 参考话术

见卡片。

## 报告要求

网点负责人在【bank.report_minutes.major】分钟内报告。

## 演练要点

先到场，再报告。
"""


def guide(say: str = "【bank.appointment.large_cash_amount】元以上要提前【bank.appointment.lead_days】天预约。",
          body: str = "有疑问拨打【bank.name】客服热线【bank.hotline】。",
          summary: str = "【bank.name】大额取现的预约和核实。") -> str:
    return GUIDE.format(say=say, body=body, summary=summary)


def check(root: Path) -> tuple[int, list[dict]]:
    result = run_cli("check", "--root", str(root), "--format", "json")
    return result.code, result.json()["diagnostics"]


def found(diags: list[dict], rel: str) -> set[tuple[str, int, int]]:
    return {(d["code"], d["line"], d["col"]) for d in diags if d["path"] == rel}


@pytest.fixture
def bank_tree(valid_tree: Path) -> Path:
    write(valid_tree, "cases/bank.yml", BANK)
    return valid_tree


def test_parameters_are_filled_in_body_and_front_matter(bank_tree: Path):
    from casebook.core.library import Library

    write(bank_tree, "cases/guides/cash.md", guide())
    write(bank_tree, "cases/emergencies/faint.md", EMERGENCY.format(deadline="【bank.report_minutes.major】"))
    code, diags = check(bank_tree)
    assert not found(diags, "cases/guides/cash.md") and not found(diags, "cases/emergencies/faint.md"), diags
    lib = Library.load(bank_tree, use_cache=False)
    item = lib.get("guides/cash")
    assert item.meta.summary == "青石银行大额取现的预约和核实。"
    assert item.meta.phrases[0].say == "50000元以上要提前1天预约。"
    assert "拨打青石银行客服热线95999。" in item.doc.body and "【bank." not in item.doc.body
    plan = lib.get("emergencies/faint")
    assert plan.meta.report_within_minutes == 10 and isinstance(plan.meta.report_within_minutes, int)
    assert "网点负责人在10分钟内报告。" in plan.doc.body


def test_changing_one_parameter_changes_every_item(bank_tree: Path):
    from casebook.core.library import Library

    write(bank_tree, "cases/emergencies/faint.md", EMERGENCY.format(deadline="【bank.report_minutes.major】"))
    (bank_tree / "cases/bank.yml").write_text(BANK.replace("major: 10", "major: 7"), encoding="utf-8")
    plan = Library.load(bank_tree, use_cache=False).get("emergencies/faint")
    assert plan.meta.report_within_minutes == 7 and "在7分钟内报告" in plan.doc.body


def test_unknown_parameter_is_an_error_at_its_column_with_the_nearest_key(bank_tree: Path):
    write(bank_tree, "cases/guides/cash.md", guide(body="请在【bank.report_minutes.majr】分钟内报告，热线【bank.hotlin】。",
                                                   say="预约请【bank.Appointment】。"))
    code, diags = check(bank_tree)
    assert code == 1
    got = {(d["code"], d["line"], d["col"]): d["message"] for d in diags if d["path"] == "cases/guides/cash.md"}
    # body line 18: 请在 is two characters, so the reference starts at column 3
    assert ("K001", 18, 3) in got and "【bank.report_minutes.major】" in got[("K001", 18, 3)]
    hot = next(m for (c, line, col), m in got.items() if c == "K001" and line == 18 and col > 3)
    assert "【bank.hotline】" in hot
    assert any(c == "K001" and line == 9 for c, line, _ in got)  # the pocket card in front matter
    assert "小写英文字母" in next(m for (c, line, _), m in got.items() if c == "K001" and line == 9)


def test_without_bank_file_a_reference_says_what_is_missing(valid_tree: Path):
    write(valid_tree, "cases/guides/cash.md", guide().replace("basis: [bank-anti-fraud]\n", ""))
    code, diags = check(valid_tree)
    assert code == 1
    assert any(d["code"] == "K001" and "cases/bank.yml" in d["message"] for d in diags)


@pytest.mark.parametrize("text,key", [
    ("网点负责人 15 分钟内电话报告支行。", "bank.report_minutes"),
    ("网点负责人在一小时内向支行报告经过。", "bank.report_minutes"),
    ("15 分钟内向支行服务管理部门报告。", "bank.report_minutes"),  # (the reporting line named in between)
    ("事后 24 小时内提交书面报告。", "bank.written_report_hours"),
    ("我们两个工作日内就上门。", "bank.home_visit_days"),
    ("这个金额要提前一天预约。", "bank.appointment.lead_days"),
    ("5万元以上要提前预约。", "bank.appointment.large_cash_amount"),
    ("排队超过 20 人就补位。", "bank.queue.trigger_waiting"),
    ("他行卡当天退回发卡行。", "bank.card_return_days"),
    ("请拨打客服热线 95588。", "bank.hotline"),
])
def test_a_bank_number_written_by_hand_is_a_warning_naming_the_parameter(bank_tree: Path, text: str, key: str):
    write(bank_tree, "cases/guides/cash.md", guide(body=text))
    code, diags = check(bank_tree)
    hits = [d for d in diags if d["path"] == "cases/guides/cash.md"]
    assert [d["code"] for d in hits] == ["K002"], hits
    assert hits[0]["line"] == 18 and f"【{key}" in hits[0]["message"]


def test_the_same_numbers_through_parameters_pass(bank_tree: Path):
    write(bank_tree, "cases/guides/cash.md", guide(body="网点负责人【bank.report_minutes.general】分钟内电话报告支行；"
                                                   "事后【bank.written_report_hours】小时内提交书面报告。"))
    code, diags = check(bank_tree)
    assert not found(diags, "cases/guides/cash.md"), diags


def test_an_emergency_deadline_written_by_hand(bank_tree: Path):
    write(bank_tree, "cases/emergencies/faint.md", EMERGENCY.format(deadline="10"))
    write(bank_tree, "cases/emergencies/odd.md", EMERGENCY.format(deadline="12"))
    code, diags = check(bank_tree)
    same = [d for d in diags if d["path"] == "cases/emergencies/faint.md"]
    other = [d for d in diags if d["path"] == "cases/emergencies/odd.md"]
    assert [(d["code"], d["line"]) for d in same] == [("K003", 6)]
    assert "【bank.report_minutes.major】" in same[0]["message"]
    assert [(d["code"], d["line"]) for d in other] == [("K003", 6)]
    assert "都不一致" in other[0]["message"]


def test_bank_file_is_validated_with_the_nearest_key(bank_tree: Path):
    write(bank_tree, "cases/bank.yml", BANK.replace("  major: 10", "  majr: 10").replace('hotline: "95999"', "hotline: 95999")
          .replace("    kind: bank\n", "    kind: law\n").replace("home_visit_days: 2", "home_visit_days: 两天"))
    code, diags = check(bank_tree)
    got = found(diags, "cases/bank.yml")
    assert code == 1
    messages = {d["code"]: d["message"] for d in diags if d["path"] == "cases/bank.yml"}
    assert ("F002", 5, 3) in got and "major" in next(d["message"] for d in diags if d["code"] == "F002")
    assert ("F003", 2, 10) in got  # the hotline must be text
    assert ("F003", 10, 18) in got  # 两天 is not a number
    assert "F001" in messages  # major is missing


def test_a_rule_that_is_not_the_banks_own(bank_tree: Path):
    write(bank_tree, "cases/bank.yml", BANK.replace("    kind: bank\n", "    kind: law\n"))
    code, diags = check(bank_tree)
    assert code == 1 and ("K010", 22, 11) in found(diags, "cases/bank.yml")


def test_bank_rules_join_the_registry_and_may_not_hide_in_basis(bank_tree: Path):
    write(bank_tree, "cases/guides/cash.md", guide())
    write(bank_tree, "cases/basis.yml", "bank-anti-fraud:\n  title: 反诈\n  issuer: 本行\n  governs: 反诈\n  kind: bank\n"
          "bank-security:\n  title: 安保\n  issuer: 本行\n  governs: 安保\n  kind: bank\n")
    code, diags = check(bank_tree)
    got = found(diags, "cases/basis.yml")
    assert code == 1
    assert ("B003", 1, 1) in got  # in both files
    assert ("B004", 10, 9) in got  # a bank rule in the registry of laws
    assert not found(diags, "cases/guides/cash.md")  # its key still resolves (from bank.yml)


def test_a_starter_rule_is_labelled_wherever_basis_is_printed(bank_tree: Path):
    from casebook.core.library import Library

    write(bank_tree, "cases/guides/cash.md", guide())
    lib = Library.load(bank_tree, use_cache=False)
    assert lib.registry.title("bank-anti-fraud") == "反诈劝阻与交易风险核实（本行制度）（示例·部署前替换）"
    (bank_tree / "cases/bank.yml").write_text(BANK.replace("replace_before_use: true", "replace_before_use: false"),
                                              encoding="utf-8")
    lib = Library.load(bank_tree, use_cache=False)
    assert lib.registry.title("bank-anti-fraud") == "《反诈劝阻与交易风险核实（本行制度）》"


def test_a_parameter_value_with_markup_is_refused(bank_tree: Path):
    """bank.yml comes with pull requests: its values are pasted into every item, so markup,
    links and parameter syntax in them are refused at their line."""
    write(bank_tree, "cases/bank.yml", BANK.replace("name: 青石银行", "name: <img src=x onerror=alert(1)>")
          .replace('hotline: "95999"', 'hotline: "【bank.hotline】"'))
    code, diags = check(bank_tree)
    got = {(d["code"], d["line"]) for d in diags if d["path"] == "cases/bank.yml"}
    assert code == 1 and {("K010", 1), ("K010", 2)} <= got
    # the complaint rate's unit is printed in every pack: the same rule
    write(bank_tree, "cases/bank.yml", BANK + "complaint_rate_unit: 件/万户<script>x</script>\n")
    code, diags = check(bank_tree)
    assert code == 1 and [d["code"] for d in diags if "complaint_rate_unit" in d["message"]] == ["K010"], diags


def test_one_mistake_in_bank_yml_is_one_problem(tmp_path):
    """An editor's slip in bank.yml is reported there, once: the parameters and the bank's own
    rules it still defines stay known, so the hundred items that cite them are not all wrong."""
    import shutil

    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    bank = root / "cases" / "bank.yml"
    text = bank.read_text(encoding="utf-8")
    assert "\nhome_visit_days: 2 " in text
    bank.write_text(text.replace("\nhome_visit_days: 2 ", "\nhome_visit_days: 两天 ", 1), encoding="utf-8")
    data = run_cli("check", "--root", str(root), "--format", "json").json()
    assert [(d["path"], d["code"]) for d in data["diagnostics"]] == [("cases/bank.yml", "F003")], data["diagnostics"][:5]
    # a misspelt key: bank.yml says so (F002 naming hotline, F001); the fifteen items using
    # 【bank.hotline】 were each told to write the misspelling (K001 "最接近的有：【bank.hot_line】")
    bank.write_text(text.replace('\nhotline: "95XXX"', '\nhot_line: "96588"', 1), encoding="utf-8")
    data = run_cli("check", "--root", str(root), "--format", "json").json()
    said = [(d["path"], d["code"]) for d in data["diagnostics"]]
    assert sorted(said) == [("cases/bank.yml", "F001"), ("cases/bank.yml", "F002")], data["diagnostics"][:5]


def test_the_complaint_rate_is_printed_with_the_banks_unit(tmp_path):
    """网点投诉率 0.8 — of what? Per ten thousand customers, per hundred million of business: each
    bank counts its own way. bank.yml names the unit; the pack prints it after the rate (day 1's
    profile, the closing meeting's before/after rows); without one, the number alone, and the
    deployment checklist lists the unit as a to-do."""
    import re
    import shutil

    from casebook.core.library import Library
    from casebook.site.deploy_page import deploy_checklist_page

    root = tmp_path / "lib"
    for folder in ("cases", "outlets", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    bank = root / "cases/bank.yml"
    assert "complaint_rate_unit: 件/万户" in bank.read_text(encoding="utf-8")
    for unit, shown in (("件/万户", "0.8 件/万户"), (None, "0.8")):
        if unit is None:
            bank.write_text(re.sub(r"^complaint_rate_unit:.*\n", "", bank.read_text(encoding="utf-8"), flags=re.M),
                            encoding="utf-8")
        out = tmp_path / f"packs-{bool(unit)}"
        said = run_cli("pack", "outlets/example-community.yml", "--root", str(root), "--out", str(out), "--format", "html",
                       cwd=root)
        assert said.code == 0, said.err
        page = re.sub(r"<[^>]+>", "", (out / "example-community/pack.html").read_text(encoding="utf-8"))
        assert f"网点投诉率{shown}" in page.replace("\n", "") and page.count(f"网点投诉率{shown}") >= 2, unit
        if unit is None:
            assert "网点投诉率0.8 件" not in page
        checklist = deploy_checklist_page(Library.load(root, use_cache=False))
        assert ("**待办**：写上网点投诉率的单位" in checklist) == (unit is None), checklist


def test_the_rate_s_unit_prints_as_text(tmp_path):
    """bank.yml comes with pull requests: what the unit may hold past K010 (an &) prints as text."""
    import re
    import shutil

    root = tmp_path / "lib"
    for folder in ("cases", "outlets", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    bank = root / "cases/bank.yml"
    bank.write_text(re.sub(r"^complaint_rate_unit:.*$", "complaint_rate_unit: 件&amp;万户", bank.read_text(encoding="utf-8"),
                           flags=re.M), encoding="utf-8")
    said = run_cli("pack", "outlets/example-community.yml", "--root", str(root), "--out", str(tmp_path / "o"),
                   "--format", "html", cwd=root)
    assert said.code == 0, said.err
    page = (tmp_path / "o/example-community/pack.html").read_text(encoding="utf-8")
    assert "0.8 件&amp;amp;万户" in page and "件&amp;万户<" not in page


def test_a_deadline_is_quoted_alone_when_two_share_a_sentence(bank_tree: Path):
    """“10分钟内电话报告支行，24小时内书面报告”: two numbers, two warnings, each quoting its own
    deadline (the first once took the whole sentence up to the second's 报告)."""
    write(bank_tree, "cases/guides/cash.md", guide(body="发现后10分钟内电话报告支行，24小时内书面报告。"))
    code, diags = check(bank_tree)
    hits = sorted(d["message"].split("”")[0] for d in diags if d["path"] == "cases/guides/cash.md")
    assert hits == ["“10分钟内电话报告", "“24小时内书面报告"], hits


def test_the_plans_hotline_comes_from_bank_yml(bank_tree: Path, tmp_path):
    """An outlet file with no 客服热线 of its own: the plan's phone strip prints the bank's hotline
    (cases/bank.yml, the number scripts already print), and the pack does not ask the trainer to
    write it into every outlet file (O006)."""
    import re

    write(bank_tree, "cases/emergencies/faint.md",
          EMERGENCY.format(deadline="10").replace("客户晕倒。拨打 120。", "客户晕倒。拨打 120；客户投诉转客服热线。"))
    assert "客服热线" not in (bank_tree / "outlets/community.yml").read_text(encoding="utf-8")
    out = tmp_path / "packs"
    said = run_cli("pack", "outlets/community.yml", "--root", str(bank_tree), "--out", str(out), "--format", "html",
                   cwd=bank_tree)
    assert said.code == 0, said.err
    page = re.sub(r"<[^>]+>", " ", (out / "community/pack.html").read_text(encoding="utf-8"))
    assert re.search(r"客服热线\s+本行客服热线\s+95999", page), page[:2000]
    assert not [line for line in said.err.splitlines() if "O006" in line and "客服热线" in line], said.err


def test_the_cover_names_the_outlets_superiors_as_the_bank_does(bank_tree: Path, tmp_path):
    """A rural commercial bank is 总行—支行—分理处, not 二级分行—一级支行: bank.yml says what the
    cover calls the outlet file's branch and sub_branch; without it, the big banks' names."""
    import re

    def cover(tag: str) -> str:
        out = tmp_path / tag
        said = run_cli("pack", "outlets/community.yml", "--root", str(bank_tree), "--out", str(out), "--format", "html",
                       cwd=bank_tree)
        assert said.code == 0, said.err
        page = (out / "community/pack.html").read_text(encoding="utf-8")
        return re.sub(r"<[^>]+>", " ", page[page.index('class="cover-facts"'):page.index("</table>")])

    branch = re.search(r"^branch: (.+)$", (bank_tree / "outlets/community.yml").read_text(encoding="utf-8"), re.M)[1]
    assert re.search(rf"二级分行\s+{branch}", cover("default"))
    assert re.search(r"银行\s+青石银行", cover("default"))  # (bank.yml's name; the sample's 本行 is not printed)
    write(bank_tree, "cases/bank.yml", BANK + "outlet_levels:\n  branch: 总行\n  sub_branch: 支行\n")
    assert re.search(rf"总行\s+{branch}", cover("rural")) and "二级分行" not in cover("rural")
    write(bank_tree, "cases/bank.yml", BANK.replace("name: 青石银行", "name: 本行"))
    assert "本行" not in cover("plain")
    write(bank_tree, "cases/bank.yml", BANK + "outlet_levels:\n  branch: <b>总行</b>\n")
    code, diags = check(bank_tree)
    assert code == 1 and [d["code"] for d in diags if d["path"] == "cases/bank.yml"] == ["K010"], diags


def test_the_banks_own_hotline_written_by_hand_is_a_warning(bank_tree: Path):
    """A city bank's hotline is 96xxx: only 955xx and 400 numbers were recognised, so "拨打96588"
    in a script passed while the README promised a warning for every number bank.yml sets."""
    write(bank_tree, "cases/bank.yml", BANK.replace('hotline: "95999"', 'hotline: "96588"'))
    write(bank_tree, "cases/guides/cash.md", guide(body="有疑问拨打96588，或到柜台咨询。"))
    code, diags = check(bank_tree)
    hits = [d for d in diags if d["path"] == "cases/guides/cash.md"]
    assert [d["code"] for d in hits] == ["K002"] and "【bank.hotline】" in hits[0]["message"], hits
    write(bank_tree, "cases/bank.yml", BANK.replace('hotline: "95999"', 'hotline: "95588"'))
    write(bank_tree, "cases/guides/cash.md", guide(body="有疑问拨打95588，或拨打965880转人工。"))
    code, diags = check(bank_tree)
    assert [d["code"] for d in diags if d["path"] == "cases/guides/cash.md"] == ["K002"], diags


def test_values_confirmed_with_the_sample_hotline_is_an_error(bank_tree: Path):
    """values_confirmed: true while hotline is still the sample's 95XXX passed `check --strict`, and
    every plan's phone strip in every pack printed 95XXX."""
    write(bank_tree, "cases/bank.yml", BANK.replace('hotline: "95999"', 'hotline: "95XXX"') + "values_confirmed: true\n")
    code, diags = check(bank_tree)
    assert code == 1 and [(d["code"], d["line"]) for d in diags if d["path"] == "cases/bank.yml"] == [("K010", 2)], diags
    write(bank_tree, "cases/bank.yml", BANK.replace('hotline: "95999"', 'hotline: "95XXX"'))
    assert not [d for d in check(bank_tree)[1] if d["path"] == "cases/bank.yml"]


def test_a_preview_names_the_items_a_broken_bank_yml_keeps_out(bank_tree: Path, tmp_path):
    """A pull request's preview (--keep-going) of a library whose bank.yml is in error: the items
    that use the broken parameter have no error of their own and cannot be published; the build
    names them, so nothing leaves the site unseen."""
    write(bank_tree, "cases/guides/cash.md", guide())
    bank = bank_tree / "cases" / "bank.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace('hotline: "95999"', "hotline: [95, 999]"), encoding="utf-8")
    result = run_cli("build", "--keep-going", "--root", str(bank_tree), "--out", str(tmp_path / "site"))
    assert result.code == 1, result.err
    assert "cases/bank.yml:" in result.err and "F003" in result.err
    told = [line for line in result.err.splitlines() if "另有" in line]
    assert len(told) == 1 and "另有 1 个条目" in told[0] and "cases/guides/cash.md" in told[0], result.err
    assert not (tmp_path / "site" / "guides" / "cash").exists()
    assert (tmp_path / "site" / "guides").is_dir()  # (the other items are built)
