"""The privacy guard against personal data hidden the ways a reader still sees it, one test per
attack class, and against the look-alikes that hold none (attacks.tsv, make_attacks.py)."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from casebook.guards import privacy
from casebook.core.contact_numbers import classify_one
from conftest import FIXTURES

TODAY = dt.date(2026, 11, 29)
KIND = {"P001": "id_number", "P002": "mobile", "P003": "landline", "P004": "bank_card",
        "P005": "email", "P006": "address", "P101": "name"}
MOBILE, ID = "13812345678", "420106198503120417"  # ID: check digit 7 is right for 42010619850312041


def kinds(text: str, names=frozenset()) -> set[str]:
    return {KIND[f.code] for f in privacy.scan(text, names, TODAY)}


def _attacks():
    with open(FIXTURES / "privacy" / "attacks.tsv", encoding="utf-8", newline="") as fh:
        return [(r["label"], r["sentence"].replace("\\n", "\n")) for r in csv.DictReader(fh, delimiter="\t")]


def test_whole_attack_set_is_caught_and_no_look_alike_is_flagged():
    rows = _attacks()
    misses = [(label, s) for label, s in rows if label != "none" and label not in kinds(s)]
    alarms = [(s, kinds(s)) for label, s in rows if label == "none" and kinds(s)]
    assert len(rows) >= 100
    assert misses == []
    assert alarms == []


@pytest.mark.parametrize("text", [
    f"客户手机138<!-- 备注 -->1234 5678。",
    f"客户手机138<span></span>1234<b></b>5678。",
    f"客户手机138**1234**5678。",
    f"客户手机`138`1234`5678`。",
    f"客户手机138[](x)12345678。",
])
def test_markup_that_renders_as_nothing_does_not_split_a_number(text):
    assert "mobile" in kinds(text)


@pytest.mark.parametrize("text", ["客户手机138\\-1234\\-5678。", "客户手机138\\.1234\\.5678。",
                                  f"证件号{ID[:6]}\\-{ID[6:14]}\\-{ID[14:]}。"])
def test_backslash_escapes_are_read_as_the_character(text):
    assert kinds(text) & {"mobile", "id_number"}


@pytest.mark.parametrize("mark", ["\u0301", "\u034f", "\ufe0f", "\u20e3", "\u2063", "\U000e0031", "\u3164", "\u09bc", "\u1ab0"])
def test_combining_and_invisible_characters_are_dropped(mark):
    assert "mobile" in kinds("客户手机" + mark.join(MOBILE) + "。")


@pytest.mark.parametrize("text", ["客户手机138123\n45678。", f"身份证号{ID[:10]}\n  {ID[10:]}。"])
def test_a_line_break_inside_a_paragraph_joins(text):
    assert kinds(text) & {"mobile", "id_number"}


def test_a_blank_line_does_not_join():
    assert kinds("上一段结尾是138123\n\n45678是下一段的开头。") == set()


@pytest.mark.parametrize("text", ["客户手机138一二三四五六七八。", "客户手机壹叁捌壹贰叁肆伍陆柒捌。",
                                  "客户手机幺三八两七幺八三三四五。", "客户手机一５九二七１８三三四５。",
                                  "证件号四二〇一〇六一九八五〇三一二〇四一七。", "客户手机幺三八洞洞洞拐幺二三四。"])
def test_chinese_numerals_and_financial_capitals_are_digits(text):
    assert kinds(text) & {"mobile", "id_number"}


@pytest.mark.parametrize("zero", ["\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\u1040", "\U0001d7ce"])
def test_digits_of_other_scripts_are_digits(zero):
    written = "".join(chr(ord(zero) + int(c)) for c in MOBILE)
    assert "mobile" in kinds(f"客户手机{written}。")


# digits written as enclosed or parenthesised numbers (an input method's 特殊符号 panel): ①②…⑨,
# ⑴⑵…, ⒈⒉…, ⓵⓶…, ❶❷…, ➀➁…; zero as ⓪ or ⓿
ENCLOSED = {"①": 1, "⑴": 1, "⒈": 1, "⓵": 1, "❶": 1, "➀": 1}


@pytest.mark.parametrize("one", sorted(ENCLOSED))
def test_enclosed_digits_are_digits(one):
    zero = {"①": "⓪", "⓵": "⓿", "❶": "⓿"}.get(one, "0")
    written = "".join(zero if c == "0" else chr(ord(one) + int(c) - 1) for c in MOBILE)
    assert "mobile" in kinds(f"客户留下的手机是{written}。"), written

@pytest.mark.parametrize("text", [
    "证件号 4201 0619 8503 1204 17。", f"证件号 {ID[:6]}.{ID[6:14]}.{ID[14:]}。", "证件号 " + " ".join(ID) + "。",
    f"证件号 {ID[:6]}/{ID[6:14]}/{ID[14:]}。", "客户手机 138 - 1234 - 5678。", "客户手机 138—1234—5678。",
    "客户手机 138·1234·5678。", "客户手机 " + " ".join(MOBILE) + "。", "客户手机139O755l234。"])
def test_numbers_grouped_in_any_way_are_joined(text):
    assert kinds(text) & {"mobile", "id_number"}


def test_luhn_card_dotted_is_caught_and_a_pair_of_dates_is_not():
    assert "bank_card" in kinds("转入 6217.0012.3456.7893 的款项。")
    assert kinds("日期 2026.05.12 2026.05.13 调整营业时间。") == set()


@pytest.mark.parametrize("text", ["邮箱 wang.jianguo[at]163.com", "邮箱 wangjg（at）qq.com", "邮箱 wangjg＠163．com",
                                  "邮箱 wangjg (at) 163 (dot) com", "邮箱 wangjg at 163 dot com",
                                  "邮箱 wangjg[AT]sina[DOT]cn", "邮箱 wangjg @ 126.com", "邮箱 wangjg#163.com",
                                  "邮箱 wangjg艾特163点com", "邮箱 王建国@163.com"])
def test_disguised_email_is_caught(text):
    assert "email" in kinds(text)


@pytest.mark.parametrize("text", ["示例 someone@example.com", "他说 meet at home 是密码提示", "投诉#3 已处理"])
def test_email_look_alikes_pass(text):
    assert kinds(text) == set()


@pytest.mark.parametrize("text", ["老人住在建设路一百二十三号。", "客户家在解放大道二十八号。", "客户住幸福小区五栋二单元三〇一室。",
                                  "老人住中山路壹佰零捌号。", "客户住在光明村三组十五号。", "客户住在人民路88-1号。",
                                  "客户住路<!-- -->八十八号", "客户住幸福花园C座1203室。", "客户住在B栋2单元301室。"])
def test_addresses_in_chinese_numerals_are_caught(text):
    assert "address" in kinds(text)


@pytest.mark.parametrize("text", ["沿着解放路走到三号柜台旁。", "请到中山路一号窗口。", "坐地铁2号线到人民路站。"])
def test_counter_and_line_numbers_are_not_addresses(text):
    assert kinds(text) == set()


@pytest.mark.parametrize("text", ["退休教师王建国老先生来到网点。", "王建国老人在大厅等候。", "他叫王建国，是附近的住户。",
                                  "一位名叫李秀英的老人来取养老金。", "李秀英老太太说忘了密码。", "赵国华大爷拿着存折。",
                                  "孙丽娟阿姨是老客户。", "周桂兰老奶奶由女儿陪同。", "客户自称叫张建华。",
                                  "这位老人叫刘志强，今年八十岁。", "客户：王建国，七十岁。", "姓名：李秀英",
                                  "王 建 国 老 先 生 来了。", "王**建国**老先生来了。", "客户王建\n国来到网点。",
                                  "客户王某某（真名王建国）来到网点。", "李小明先生来网点。", "王大伟先生说。",
                                  "老人赵福林腿脚不便。", "欧阳明先生来办卡。", "客户蔡文华投诉柜员。"])
def test_names_with_honorifics_and_after_jiao_are_caught(text):
    assert "name" in kinds(text)


@pytest.mark.parametrize("text", [
    "老人黄昏时来到网点。", "老人方才说要取钱。", "客户高兴地走了。", "老人常常来网点。", "客户白天来过。",
    "客户明白了。", "客户金额较大时需要预约。", "客户程序上没有问题。", "老人江边散步后来到网点。", "客户向来守时。",
    "客户于是把存折递过来。", "客户任何时候都可以来。", "老人关于利息的疑问。", "老人万一忘了密码。", "客户周末来。",
    "老人何时到，经理就何时接待。", "保安留意老人动向。", "客户向周边老人打听。", "大堂经理向杨师傅说明。",
    "张阿姨说她叫王师傅过来帮忙。", "大堂经理叫小周过来接待。", "柜员叫号后客户来到窗口。", "王老先生和李老太太一起来。",
    "客户常来网点存钱。", "客户安心地离开了。", "他叫周经理过来。", "客户王建国（化名）来到网点。", "客户王大妈说要存钱。",
    "李小姐和王大哥一起来。", "方才常来王先生。", "客户曾拨打12363反映问题。", "老人易忘事，柜员写了便条。",
    "客户龙飞凤舞地签了字。", "客户高高兴兴地走了。"])
def test_common_words_and_house_style_are_not_names(text):
    assert kinds(text) == set()


def test_one_character_staff_name_does_not_silence_the_surname():
    assert kinds("客户王建国来到网点。", frozenset({"王"})) == {"name"}
    assert kinds("周晓雯女士接待了客户。", frozenset({"周晓雯"})) == set()


@pytest.mark.parametrize("text,code,shown", [
    ("客户手机 13812345678。", "P002", "138****5678"),
    (f"证件号 {ID}。", "P001", "420106********0417"),
    ("卡号 6222 0212 3456 7890", "P004", "6222 **** 7890"),
    ("邮箱 wang.jianguo@163.com", "P005", "w***@163.com"),
    ("老人住在建设路一百二十三号。", "P006", "路*****号"),
    ("客户王建国来到网点。", "P101", "王**"),
    ("座机 027-87654321", "P003", "027-****4321"),
])
def test_every_message_quotes_the_masked_match_and_what_to_write(text, code, shown):
    (finding,) = [f for f in privacy.scan(text, today=TODAY) if f.code == code]
    assert f"“{shown}”" in finding.message
    assert "请" in finding.message  # what to write instead
    digits = "".join(c for c in finding.text if c.isdigit())
    if len(digits) >= 11:
        assert digits not in finding.message.replace(" ", "").replace("-", "")


def test_findings_point_at_the_original_offsets():
    text = "开头\n客户手机138<!-- x -->1234<b></b>5678。"
    (f,) = privacy.scan(text, today=TODAY)
    assert text[f.start:f.start + 3] == "138"
    assert text[f.end - 1] == "8" and text[f.end - 4:f.end] == "5678"


@pytest.mark.parametrize("number,kind", [
    ("13812345678", None), ("+86 138 1234 5678", None), ("0571-88881234", "座机"),
    ("(0571)88881234", "座机"), ("0571-88881234 转 801", "座机转分机"), ("0571-88881234-801", "座机转分机"),
    ("110", "短号"), ("12363", "短号"), ("95566", "短号"), ("400-820-8820", "短号"),
    ("内线 801", "内线"), ("801", None), ("看情况", None),
])
def test_an_outlet_number_is_told_from_a_customer_mobile(number, kind):
    """One classifier for outlet numbers (core.contact_numbers): a mobile is a person's, never
    the outlet's; the privacy scan then judges it."""
    assert classify_one(number) == kind


@pytest.mark.parametrize("text,kind", [
    ("客户（电话139○6520871）傍晚来网点避雨。", "mobile"),  # ○ (U+25CB): what an input method gives for 零
    ("客户留下的手机是 一三九○六五二○八七一。", "mobile"),
    ("身份证 一一○一○一一九九○○三○七七五七一。", "id_number"),
    ("客户手机 139◯6520871。", "mobile"),
    ("备用 139|0652|0871。", "mobile"),  # a number cut by the marks a list or a table puts between values
    ("备用 139 | 0652 | 0871。", "mobile"),
    ("备用 139、0652、0871。", "mobile"),
    ("备用 139，0652，0871。", "mobile"),
    ("备用 139 和 0652 0871。", "mobile"),
    ("回电 幺三八幺两三四拐八勾洞。", "mobile"),  # radio style: 幺 1, 两 2, 拐 7, 勾 9, 洞 0
])
def test_numbers_a_pull_request_hid_from_the_guard_are_read(text, kind):
    """A tester attacking the checker as a contributor would found these passing `check --strict`
    and shown as written on the item page."""
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize("text", ["2019、2020、2021、2022 年的投诉台账", "| 13 | 2 | 4 | 15 | 20 | 30 |",
                                  "请勾选第一二三项，洞口和拐角处放置警示牌", "○○银行○○支行", "客户手机 138****5678（已掩码）",
                                  "第 1、3、5、7、9 号窗口", "营业时间 9:00—17:00，1、2 楼"])
def test_lists_tables_and_placeholders_are_not_numbers(text):
    assert kinds(text) == set(), (text, kinds(text))
