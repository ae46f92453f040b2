"""Property-based fuzz (Hypothesis) of the privacy guard's reader view: valid numbers (mobile,
resident ID with a right check digit, Luhn card — all computed here, independently of the guard)
written with generated digits of any script and generated markup, escapes and invisible
characters between them are caught; generated clean Chinese prose made of common words that
begin with a surname character, the house style and public numbers is never flagged."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.guards import privacy
from casebook.guards.reader import reader_view

TODAY = dt.date(2026, 11, 29)
FAST = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

MOBILES = st.builds(lambda p, rest: p + rest, st.sampled_from(["138", "139", "150", "158", "186", "187", "159", "136"]),
                    st.text("0123456789", min_size=8, max_size=8))


def _id(region: str, born: dt.date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, W)) % 11]


IDS = st.builds(_id, st.sampled_from(["110105", "420106", "440304", "510107", "320102", "610113"]),
                st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)), st.integers(0, 999))


def _luhn(body: str) -> str:
    for d in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + d)):
            n = int(ch) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return body + d
    raise AssertionError


CARDS = st.builds(lambda rest: _luhn("6222" + rest), st.text("0123456789", min_size=11, max_size=14))

# How one digit may be written (a function of the ASCII digit) and what may stand between two.
FORMS = {
    "ascii": lambda d: d,
    "full-width": lambda d: chr(0xFF10 + int(d)),
    "chinese": lambda d: "〇一二三四五六七八九"[int(d)],
    "capital": lambda d: "零壹贰叁肆伍陆柒捌玖"[int(d)],
    "arabic-indic": lambda d: chr(0x0660 + int(d)),
    "devanagari": lambda d: chr(0x0966 + int(d)),
    "thai": lambda d: chr(0x0E50 + int(d)),
    "math-bold": lambda d: chr(0x1D7CE + int(d)),
}
GAPS = ["", "", "", " ", "-", ".", "<!-- x -->", "<b></b>", "<span></span>", "\u200b", "\u2060", "\u00ad", "\n",
        "\\-", "\\.", "&#8203;", "\u0301", "\ufe0f", "\u034f", "&nbsp;"]


@st.composite
def disguised(draw, numbers):
    number = draw(numbers)
    form = draw(st.sampled_from(sorted(FORMS)))
    digits = [FORMS[form](ch) if ch.isdigit() else ch for ch in number]
    if draw(st.booleans()):  # emphasis or code around a middle stretch: 138**1234**5678
        cut = draw(st.integers(1, len(digits) - 2))
        end = draw(st.integers(cut + 1, len(digits) - 1))
        mark = draw(st.sampled_from(["**", "*", "~~", "`", "_"]))
        digits[cut] = mark + digits[cut]
        digits[end - 1] = digits[end - 1] + mark
    gaps = [draw(st.sampled_from(GAPS)) for _ in digits[1:]]
    return number, digits[0] + "".join(g + d for g, d in zip(gaps, digits[1:]))


def codes(text: str) -> set[str]:
    return {f.code for f in privacy.scan(text, today=TODAY)}


@FAST
@given(disguised(MOBILES))
def test_a_disguised_mobile_is_caught(case):
    _, written = case
    assert "P002" in codes(f"客户手机{written}，请回电。"), repr(written)


@FAST
@given(disguised(IDS))
def test_a_disguised_resident_id_is_caught(case):
    _, written = case
    assert "P001" in codes(f"客户身份证号{written}已登记。"), repr(written)


@FAST
@given(disguised(CARDS))
def test_a_disguised_card_number_is_caught(case):
    _, written = case
    assert "P004" in codes(f"客户卡号{written}。"), repr(written)


@FAST
@given(disguised(MOBILES))
def test_the_reader_view_maps_back_into_the_text(case):
    _, written = case
    text = f"第一行\n客户手机{written}。"
    view = reader_view(text)
    previous = 0
    for i in range(len(view.text) + 1):
        at = view.orig(i)
        assert 0 <= at <= len(text) and at >= previous
        previous = at
    (finding,) = [f for f in privacy.scan(text, today=TODAY) if f.code == "P002"]
    assert text.index("手机") + 2 <= finding.start < finding.end <= len(text)


# Clean prose: common words that begin with a surname character, the house style for people,
# public numbers, dates and amounts, in any order.
WORDS = ["黄昏时", "方才", "高兴地", "常常", "白天", "明白了", "金额较大", "按程序", "江边", "向来", "于是", "任何时候",
         "关于利息", "万一", "周末", "何时", "马上", "许多", "陆续", "曾经", "顾虑", "安心地", "常来", "高声", "白跑一趟",
         "黄金首饰", "石头", "钱款", "程序上", "周边", "方便", "余额", "温度", "夏天", "江湖", "林立", "田间"]
PEOPLE = ["王先生", "李阿姨", "张某", "刘大爷", "赵女士", "周经理", "杨师傅", "王老先生", "李老太太", "老人", "客户",
          "大堂经理", "柜员", "小周", "保安", "老人家"]
OTHERS = ["来到网点", "取钱", "说", "走了", "办理业务", "坐下", "点头", "排队", "等候", "打电话",
          "，拨打95566，", "，拨打12363，", "，拨打400-820-8820，", "，2026年5月12日，", "，3号窗口，", "，5万元，",
          "，掩码138****5678，", "，尾号1234，", "，上午九点，", "，报警电话一一零，"]
PROSE = st.lists(st.sampled_from(WORDS + PEOPLE + OTHERS), min_size=3, max_size=14).map(
    lambda parts: "".join(parts) + "。")


@FAST
@given(st.lists(PROSE, min_size=1, max_size=4).map("\n".join))
def test_clean_prose_with_common_words_is_not_flagged(text):
    found = privacy.scan(text, today=TODAY)
    assert found == [], [(f.code, f.text) for f in found]
