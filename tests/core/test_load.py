"""The loader: line numbers, YAML 1.1 traps, encodings, and hostile YAML never crash."""
from __future__ import annotations

import datetime as dt

import pytest

from casebook.core.load import load_document, load_yaml_file
from conftest import write


def load(tmp_path, text, name="x.md"):
    path = write(tmp_path, name, text)
    return load_document(path, tmp_path)


def test_positions_of_keys_values_and_body(tmp_path):
    doc = load(tmp_path, "---\ntitle: 标题四个字\nphrases:\n  - when: 甲\n    say: 乙\n---\n\n## 案例经过\n")
    assert doc.key_pos[("title",)] == (2, 1)
    assert doc.value_pos[("title",)] == (2, 8)
    assert doc.value_pos[("phrases", 0, "say")] == (5, 10)
    assert doc.body_line == 7
    assert dict(doc.body_lines())[8] == "## 案例经过"


@pytest.mark.parametrize("raw,expected", [
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("Y", "Y"), ("NO", "NO"),
    ("0755", "0755"), ("0o17", "0o17"), ("0x1F", "0x1F"), ("1:30", "1:30"), ("12:30:00", "12:30:00"),
    ("1_000", "1_000"), ("1e3", "1e3"), (".5", ".5"), ("+.inf", "+.inf"), (".nan", ".nan"),
    ("2026-1-5", "2026-1-5"), ("2026-02-30", "2026-02-30"), ("2026-13-45", "2026-13-45"),
    ("true", True), ("false", False), ("42", 42), ("-3", -3), ("0.8", 0.8), ("null", None), ("~", None),
    ("2026-05-12", dt.date(2026, 5, 12)), ('"2026-05-12"', "2026-05-12"), ("'0755'", "0755"),
])
def test_yaml_1_1_traps_are_defused(tmp_path, raw, expected):
    doc = load(tmp_path, f"---\nvalue: {raw}\n---\n")
    assert doc.problems == []
    assert doc.data["value"] == expected
    assert type(doc.data["value"]) is type(expected)


def test_bom_and_crlf_are_accepted_with_the_same_lines(tmp_path):
    text = "\ufeff---\r\ntitle: 标题四个字\r\nsummary: 摘要\r\n---\r\n\r\n正文\r\n"
    path = tmp_path / "bom.md"
    path.write_bytes(text.encode("utf-8"))
    doc = load_document(path, tmp_path)
    assert doc.problems == []
    assert doc.data == {"title": "标题四个字", "summary": "摘要"}
    assert doc.value_pos[("summary",)] == (3, 10)
    assert doc.body_line == 5
    assert "\r" not in doc.body


def test_old_mac_line_ends(tmp_path):
    path = tmp_path / "cr.md"
    path.write_bytes("---\rtitle: 标题四个字\r---\r正文\r".encode())
    doc = load_document(path, tmp_path)
    assert doc.data == {"title": "标题四个字"} and doc.body.strip() == "正文"


def test_gbk_is_reported_at_the_first_bad_byte(tmp_path):
    path = tmp_path / "gbk.md"
    path.write_bytes("---\ntitle: abc\nsummary: 中文\n---\n".encode("gbk"))
    doc = load_document(path, tmp_path)
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("L001", 3, 10)]
    assert "GBK" in doc.problems[0].message


def test_yaml_error_points_at_the_file_line_not_the_block_line(tmp_path):
    doc = load(tmp_path, "---\ntitle: 标题四个字\nsummary: \"未闭合\n---\n正文\n")
    # file line 3 holds the opening quote (it is line 2 of the YAML block)
    assert [(p.code, p.line) for p in doc.problems] == [("L005", 3)]
    assert "引号" in doc.problems[0].message


def test_duplicate_keys_all_reported_first_value_kept(tmp_path):
    doc = load(tmp_path, "---\ntitle: 第一个标题\nsummary: 甲\ntitle: 第二个标题\nsummary: 乙\n---\n")
    assert [(p.code, p.line) for p in doc.problems] == [("L007", 4), ("L007", 5)]
    assert "第 2 行" in doc.problems[0].message


def test_nested_duplicate_key(tmp_path):
    doc = load(tmp_path, "---\nduties:\n  大堂经理: [a]\n  大堂经理: [b]\n---\n")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("L007", 4, 3)]


@pytest.mark.parametrize("yaml_text,code", [
    ("x: !!python/object/apply:os.system ['true']", "L008"),
    ("x: !!python/name:os.system", "L008"),
    ("x: !custom 1", "L008"),
    ("!!python/str k: 1", "L008"),
    ("? !!python/object:object {}\n: 1", "L006"),
    ("x: !!binary aGVsbG8=", "L008"),
])
def test_unsafe_tags_are_errors(tmp_path, yaml_text, code):
    doc = load(tmp_path, f"---\n{yaml_text}\n---\n")
    assert doc.data is None
    assert [p.code for p in doc.problems] == [code]


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    doc = load(tmp_path, "---\n" + "\n".join(lines) + "\n---\n")
    assert doc.data is None and [p.code for p in doc.problems] == ["L009"]


def test_recursive_alias_does_not_hang(tmp_path):
    doc = load(tmp_path, "---\na: &a [*a]\n---\n")
    assert doc.data is None and doc.problems


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    doc = load(tmp_path, "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert doc.data is None and doc.problems


@pytest.mark.parametrize("text,code", [
    ("", "L002"), ("   \n\n", "L002"), ("正文没有 front matter\n", "L003"),
    ("---\ntitle: 没有结束\n", "L004"), ("---\n- 列表\n---\n", "L006"), ("---\n---\n", "L006"),
    ("---\n就一句话\n---\n", "L006"), ("---\n[a, b]: 1\n---\n", "L006"), ("---\ntitle: a\x07b\n---\n", "L005"),
])
def test_unreadable_documents(tmp_path, text, code):
    doc = load(tmp_path, text)
    assert doc.data is None
    assert [p.code for p in doc.problems] == [code]


def test_plain_yaml_file_lines_start_at_one(tmp_path):
    path = write(tmp_path, "o.yml", "name: 网点\nstaff:\n  大堂经理: [周]\n")
    doc = load_yaml_file(path, tmp_path)
    assert doc.value_pos[("staff", "大堂经理", 0)] == (3, 10)


def test_mapping_keys_that_are_dates_become_text(tmp_path):
    doc = load(tmp_path, "---\nx:\n  2026-05-12: 国庆\n---\n")
    assert doc.data == {"x": {"2026-05-12": "国庆"}}
