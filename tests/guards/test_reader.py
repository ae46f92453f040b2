"""The reader view: every decimal digit of every script is known, and offsets map back."""
from __future__ import annotations

import re
import unicodedata

from casebook.guards.reader import OTHER_DIGITS, reader_view


def test_every_non_ascii_decimal_digit_is_in_the_class():
    known = re.compile(f"[{OTHER_DIGITS}]")
    digits = [chr(cp) for cp in range(0x80, 0x20000) if unicodedata.category(chr(cp)) == "Nd"]
    assert digits and all(known.match(d) for d in digits), [d for d in digits if not known.match(d)][:5]
    assert all(unicodedata.category(c) == "Nd" for c in map(chr, range(0x660, 0x66A)))


def test_markup_joins_and_numerals_with_offsets():
    text = "行一\n客户手机一三八<b></b>1234\n5678，王 建 国。"
    view = reader_view(text)
    assert "13812345678" in view.text and "王建国" in view.text
    i = view.text.index("13812345678")
    assert text[view.orig(i)] == "一" and text[view.orig(i + 10)] == "8"
    assert text[view.orig(view.text.index("国"))] == "国"
