"""`casebook check` as an editor and CI run it: the installed console script, real trees."""
from __future__ import annotations

import re
import time

import pytest

from conftest import REPO, VALID, run_cli, write

LINE_RE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>[A-Z]\d{3})\]: (?P<msg>.+)$")


def test_valid_fixture_is_clean_even_strict():
    """Hotlines, masked numbers, dates, amounts, case numbers and wrong-check-digit IDs pass."""
    result = run_cli("check", "--root", str(VALID), "--strict")
    assert result.code == 0, result.out + result.err
    assert result.out == ""
    assert "0 个错误，0 个警告" in result.err


def test_the_repository_library_is_clean():
    result = run_cli("check", "--root", str(REPO), "--strict")
    assert result.code == 0, result.out + result.err


def test_text_format_is_path_line_col_code_message_in_chinese(valid_tree):
    write(valid_tree, "cases/complaints/queue.md",
          (valid_tree / "cases/complaints/queue.md").read_text().replace("severity: 一般", "severity: 严重"))
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1
    lines = result.out.strip().split("\n")
    assert len(lines) == 1
    m = LINE_RE.match(lines[0])
    assert m, lines[0]
    assert m["path"] == "cases/complaints/queue.md"  # relative to the root, forward slashes
    assert (m["line"], m["col"], m["code"]) == ("7", "11", "F006")
    assert "“严重”" in m["msg"] and "最接近的有效值" in m["msg"] and "“重大”" in m["msg"]


def test_all_problems_of_all_files_in_one_run(valid_tree):
    for i in range(3):
        write(valid_tree, f"cases/complaints/bad-{i}.md", "---\ntitle: 短\nsummary: x\n---\n")
    result = run_cli("check", "--root", str(valid_tree))
    files = {LINE_RE.match(l)["path"] for l in result.out.strip().split("\n")}
    assert files == {f"cases/complaints/bad-{i}.md" for i in range(3)}
    # each file: title too short + several missing fields + missing headings, all listed
    assert result.out.count("cases/complaints/bad-0.md") >= 8


def test_warnings_pass_unless_strict(valid_tree):
    path = valid_tree / "cases/complaints/queue.md"
    path.write_text(path.read_text().replace("customer_groups: [老年客户]", "customer_groups: [老人]"))
    normal = run_cli("check", "--root", str(valid_tree))
    strict = run_cli("check", "--root", str(valid_tree), "--strict")
    assert normal.code == 0 and "warning[F007]" in normal.out and "“老年客户”" in normal.out
    assert strict.code == 1 and "--strict" in strict.err


def test_github_format(valid_tree):
    write(valid_tree, "cases/complaints/x.md", "---\ntitle: 标题四个字\n---\n")
    result = run_cli("check", "--root", str(valid_tree), "--format", "github")
    assert result.code == 1
    first = result.out.split("\n")[0]
    assert re.match(r"^::error file=cases/complaints/x\.md,line=\d+,col=\d+,title=[A-Z]\d{3} .+::.+", first)


def test_github_format_marks_a_warning_as_a_warning(valid_tree):
    """A warning shows in the pull request as a warning, not as an error that blocks it."""
    write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [甲乙丙丁, 戊己庚辛]\n")
    result = run_cli("check", "--root", str(valid_tree), "--format", "github")
    assert result.code == 0
    assert re.fullmatch(r"::warning file=cases/search-terms\.yml,line=2,col=5,title=Q004 .+::.+", result.out.strip())


@pytest.mark.parametrize("front, line, hint", [
    ("title: 排队等候太久客户投诉\nsummary: 客户等了很久。\n\troles: [大堂经理]\n", 4, "不能用 Tab 缩进，请改用空格"),
    ("title: 排队等候太久客户投诉\ntags:\n\t- 排队\n", 4, "不能用 Tab 缩进，请改用空格"),
    ("title: 排队等候太久客户投诉\nsummary: @大堂经理 的处理\n", 3, "以 @ 或 ` 开头的值请加引号"),
])
def test_a_yaml_slip_is_told_in_words_an_editor_can_act_on(valid_tree, front, line, hint):
    write(valid_tree, "cases/complaints/slip.md", f"---\n{front}---\n\n正文。\n")
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1
    assert re.search(rf"^cases/complaints/slip\.md:{line}:\d+: error\[L005\]: YAML 语法错误：{re.escape(hint)}（",
                     result.out, re.M), result.out

def test_json_format(valid_tree):
    write(valid_tree, "cases/complaints/x.md", "---\ntitle: 标题四个字\n---\n")
    data = run_cli("check", "--root", str(valid_tree), "--format", "json").json()
    assert data["errors"] >= 1 and data["warnings"] == 0
    d = data["diagnostics"][0]
    assert set(d) == {"path", "line", "col", "severity", "code", "message"}


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("check", "--root", str(tmp_path)).code == 2  # no cases/ folder
    assert run_cli("check", "--format", "xml", "--root", str(VALID)).code == 2
    assert run_cli("check", "--root", str(VALID), "cases/no/such.md").code == 2
    assert run_cli("nonsense").code == 2
    assert run_cli().code == 2


def test_files_mode_checks_only_those_files_and_their_references(valid_tree):
    write(valid_tree, "cases/complaints/other-bad.md", "---\ntitle: 短\n---\n")
    good = valid_tree / "cases/complaints/queue.md"
    result = run_cli("check", "--root", str(valid_tree), str(good))
    assert result.code == 0, result.out  # other-bad.md is not looked at
    bad_ref = good.read_text().replace("guides/elderly", "guides/elderl")
    write(valid_tree, "cases/complaints/queue.md", bad_ref)
    result = run_cli("check", "cases/complaints/queue.md", cwd=valid_tree)  # relative path, root = cwd
    assert result.code == 1 and "R001" in result.out and "guides/elderly" in result.out
    assert "other-bad" not in result.out


def test_a_file_named_twice_is_one_file_checked_and_told_once(valid_tree):
    """An editor pastes a path twice, or names it relative and absolute: one file, one problem."""
    write(valid_tree, "cases/complaints/other-bad.md", "---\ntitle: 短\n---\n")
    name = "cases/complaints/other-bad.md"
    result = run_cli("check", name, f"./{name}", str(valid_tree / name), "cases/complaints/queue.md", cwd=valid_tree)
    assert result.code == 1
    assert "检查了 2 个文件" in result.err, result.err
    lines = result.out.splitlines()
    assert lines and all("other-bad.md" in line for line in lines) and len(lines) == len(set(lines)), lines


def test_a_reference_to_an_item_renamed_with_more_words_suggests_the_new_name(valid_tree):
    """guides/elderly renamed guides/elderly-customers: the references still name the old one."""
    guides = valid_tree / "cases/guides"
    (guides / "elderly.md").rename(guides / "elderly-customers.md")
    result = run_cli("check", "--root", str(valid_tree))
    assert "引用的条目 guides/elderly 不存在；是否想写 guides/elderly-customers？" in result.out, result.out
    (guides / "elderly-customers.md").rename(guides / "senior-care.md")  # (nothing alike: no guess)
    result = run_cli("check", "--root", str(valid_tree))
    assert "引用的条目 guides/elderly 不存在" in result.out and "是否想写" not in result.out, result.out


def test_files_mode_reference_to_existing_but_broken_file_is_not_a_ref_error(valid_tree):
    write(valid_tree, "cases/guides/elderly.md", "---\ntitle: 坏\n---\n")
    result = run_cli("check", "--root", str(valid_tree), str(valid_tree / "cases/complaints/queue.md"))
    assert result.code == 0, result.out


def test_vocabulary_file_problems(valid_tree):
    vocab = valid_tree / "cases/vocabulary.yml"
    text = vocab.read_text()
    text = text.replace("scope:\n  - 特殊客户", "scope:\n  - 特殊客户\n  - value: 特殊客户")
    text = text.replace("category:", "categories:")
    vocab.write_text(text)
    result = run_cli("check", "--root", str(valid_tree), "--format", "json")
    found = {(d["path"], d["code"]) for d in result.json()["diagnostics"]}
    assert ("cases/vocabulary.yml", "D004") in found  # a value listed twice
    assert ("cases/vocabulary.yml", "F001") in found  # a required vocabulary missing


def test_programme_problems(valid_tree):
    prog = valid_tree / "cases/programme.yml"
    prog.write_text(prog.read_text().replace("courses: [courses/etiquette]", "courses: [courses/etiquete]")
                    .replace("  - day: 3\n", "  - day: 4\n", 1))
    result = run_cli("check", "--root", str(valid_tree), "--format", "json")
    found = {(d["code"], d["line"]) for d in result.json()["diagnostics"] if d["path"] == "cases/programme.yml"}
    assert found == {("R001", 10), ("F009", 15)}


def test_a_value_of_a_vocabulary_left_empty_says_the_list_is_empty(valid_tree):
    """No nearest value to offer (the message showed an empty list): the list itself is named."""
    vocab = valid_tree / "cases/vocabulary.yml"
    vocab.write_text(re.sub(r"(?m)^channel:\n(?:  .*\n)+", "channel: []\n", vocab.read_text(encoding="utf-8")),
                     encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1
    line = next(line for line in result.out.splitlines() if "error[F006]" in line)
    assert "“现场”不在词表 channel 中" in line and "channel 还没有任何取值" in line, line
    assert "最接近的有效值" not in line and "：（" not in line, line


def test_missing_programme_and_vocabulary(valid_tree):
    (valid_tree / "cases/programme.yml").unlink()
    (valid_tree / "cases/vocabulary.yml").unlink()
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1
    assert "cases/programme.yml:1:1: error[F001]" in result.out
    assert "cases/vocabulary.yml:1:1: error[F001]" in result.out


def test_messages_name_the_field_and_the_nearest_valid_value(valid_tree):
    path = valid_tree / "cases/complaints/queue.md"
    path.write_text(path.read_text().replace("summary:", "sumary:"))
    out = run_cli("check", "--root", str(valid_tree)).out
    assert "未知字段“sumary”；是否想写 summary？" in out
    assert "缺少必填字段 summary（摘要）" in out


def test_check_of_a_few_files_is_fast(valid_tree):
    start = time.perf_counter()
    result = run_cli("check", "--root", str(valid_tree), str(valid_tree / "cases/complaints/queue.md"))
    assert result.code == 0
    assert time.perf_counter() - start < 5  # generous: process start + imports dominate


def test_core_never_imports_mkdocs_or_weasyprint():
    import subprocess
    import sys

    code = ("import sys, casebook.core.check, casebook.core.library, casebook.core.load, casebook.core.model; "
            "from pathlib import Path; casebook.core.check.run_check(Path(sys.argv[1])); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'weasyprint', 'material')))")
    out = subprocess.run([sys.executable, "-c", code, str(VALID)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
