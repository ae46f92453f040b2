"""The privacy guard: exact cases, and precision/recall on a labelled set written blind."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from casebook.guards import privacy
from conftest import FIXTURES

TODAY = dt.date(2026, 11, 29)


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, written out here independently of casebook.privacy."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def codes(text: str, names=frozenset()) -> list[str]:
    return [f.code for f in privacy.scan(text, names, TODAY)]


@pytest.mark.parametrize("first17", ["11010519491231002", "42010619900307123", "44030420011111888", "51010019850228000"])
def test_valid_resident_ids_are_found(first17):
    number = first17 + id_check_digit(first17)
    assert privacy.is_resident_id(number, TODAY)
    assert codes(f"证件号{number}。") == ["P001"]
    grouped = f"{number[:6]} {number[6:14]} {number[14:]}"
    assert codes(f"证件号 {grouped}") == ["P001"]


def test_a_check_digit_x_is_found_in_either_case():
    first17 = "42010619900307018"
    assert id_check_digit(first17) == "X"
    for last in ("X", "x"):  # (people type the x in lower case as often as not)
        assert codes(f"证件号{first17}{last}。") == ["P001"], last


def test_id_with_wrong_check_digit_or_impossible_birthday_is_not_flagged():
    first17 = "42010619900307123"
    right = id_check_digit(first17)
    wrong = next(d for d in "0123456789X" if d != right)
    assert codes(f"编码 {first17}{wrong} 不是身份证") == []
    bad_birth = "42010619900230123"  # 30 February
    assert codes(f"编码 {bad_birth}{id_check_digit(bad_birth)}") == []
    future = "42010620300101123"
    assert codes(f"编码 {future}{id_check_digit(future)}") == []


@pytest.mark.parametrize("text,expected", [
    ("客户手机 13812345678", ["P002"]),
    ("客户手机 138-1234-5678", ["P002"]),
    ("客户手机 +86 139 1234 5678", ["P002"]),
    ("来电 19912345678", ["P002"]),
    ("号码 12012345678", []),  # 120 is not a mobile prefix
    ("掩码 138****5678", []),
    ("尾号 5678", []),
    ("座机 027-87654321", ["P003"]),
    ("座机 (010)62345678", ["P003"]),
    ("座机 0755-2345678", ["P003"]),
    ("座机（021）6123 4567", ["P003"]),
    ("拨打 95566、96110、110、119、120、12378、12363", []),
    ("拨打 400-820-8820 或 800-820-8820", []),
    ("日期 2026-05-12，时间 09:30，金额 50000元、5万元、¥1,234.50", []),
    ("工单号 TS20260512001，投诉编号 2026051200123456789，案件编号 2025-0031", []),
    ("卡号 6222 0212 3456 7890", ["P004"]),
    ("对方账号 6217000012345678", ["P004"]),
    ("转入 6222021234567890128", ["P004"]),  # passes Luhn
    ("编号 6222021234567890128", []),  # a case number, even if it passes Luhn
    ("数字 6222021234567890123", []),  # fails Luhn, no card words
    ("卡号 6222 **** **** 1234", []),
    ("邮箱 wang.jianguo@163.com", ["P005"]),
    ("示例 someone@example.com", []),
    ("住在解放路88号", ["P006"]),
    ("住在中山大道 1234 号", ["P006"]),
    ("住幸福小区5栋2单元301室", ["P006"]),
    ("3号楼2单元", ["P006"]),
    ("请到3号窗口、5号柜台，取号 A023号，解放大道支行、中山路网点", []),
    ("客户王建国来到网点", ["P101"]),
    ("刘志强先生要求经理出面", ["P101"]),
    ("张秀英女士说", ["P101"]),
    ("王先生、李阿姨、张某、刘大爷、赵女士来到网点", []),
    ("客户马上说要投诉，客户高兴地走了", []),
    ("一位姓杨的师傅说", []),
    ("大堂经理小周、周经理", []),
])
def test_cases(text, expected):
    assert codes(text) == expected


def test_staff_names_are_allowed():
    assert codes("周晓雯女士接待了客户", frozenset({"周晓雯"})) == []
    assert codes("周晓雯女士接待了客户") == ["P101"]


def test_name_is_a_warning_and_numbers_are_errors():
    found = privacy.scan("客户王建国留下 13812345678", today=TODAY)
    assert {f.code: f.severity for f in found} == {"P101": "warning", "P002": "error"}


# --- measured on a labelled set written without looking at the detector --------------------

KIND = {"P001": "id_number", "P002": "mobile", "P003": "landline", "P004": "bank_card",
        "P005": "email", "P006": "address", "P101": "name"}


def _labelled(name: str = "labelled.tsv"):
    with open(FIXTURES / "privacy" / name, encoding="utf-8", newline="") as fh:
        return [(row["label"], row["sentence"]) for row in csv.DictReader(fh, delimiter="\t")]


def measure(name: str = "labelled.tsv"):
    """Precision and recall of 'this sentence holds personal data of kind K'."""
    tp = fp = fn = 0
    misses, false_alarms = [], []
    for label, sentence in _labelled(name):
        kinds = {KIND[f.code] for f in privacy.scan(sentence, today=TODAY)}
        if label == "none":
            if kinds:
                fp += 1
                false_alarms.append((sentence, kinds))
        elif label in kinds:
            tp += 1
        else:
            fn += 1
            misses.append((label, sentence, kinds))
            if kinds:
                fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, misses, false_alarms


def test_labelled_set_is_big_enough():
    rows = _labelled()
    assert len(rows) >= 200
    labels = {label for label, _ in rows}
    assert labels == set(KIND.values()) | {"none"}


def test_precision_and_recall_on_the_labelled_set():
    precision, recall, misses, false_alarms = measure()
    print(f"\nprivacy guard: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.97, false_alarms
    assert recall >= 0.95, misses


@pytest.mark.parametrize("text", ["小李向刘大爷道歉", "每读完一段请黄先生确认", "他让王阿姨先坐", "大堂经理陪张奶奶去柜台",
                                  "不要让客户白跑，让客户白等"])
def test_a_word_before_an_anonymised_customer_is_not_a_name(text):
    assert codes(text) == []


def test_precision_and_recall_on_the_held_out_set():
    """A second set, written blind and never used to tune the guard (199 sentences)."""
    precision, recall, misses, false_alarms = measure("holdout.tsv")
    print(f"\nheld-out: precision {precision:.3f}, recall {recall:.3f}")
    assert len(_labelled("holdout.tsv")) >= 150
    assert precision >= 0.95, false_alarms
    assert recall >= 0.95, misses


def test_precision_and_recall_on_the_disguised_set():
    """Full-width digits, zero-width splits, Chinese numerals, 15-digit IDs, bracketed numbers and
    entities, with look-alikes that are not personal data (make_disguised.py)."""
    precision, recall, misses, false_alarms = measure("disguised.tsv")
    print(f"\ndisguised: precision {precision:.3f}, recall {recall:.3f}")
    assert len(_labelled("disguised.tsv")) >= 30
    assert precision >= 0.95, false_alarms
    assert recall >= 0.95, misses
