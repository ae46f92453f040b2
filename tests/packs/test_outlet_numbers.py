"""An outlet's own numbers and address: landlines with an area code, extensions and short numbers
are accepted in `contacts[].phone` and reach each plan's phone strip, the pocket cards and the
120 call script; a mobile number, or a landline in any other field, is still refused."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.core.contact_numbers import classify
from conftest import REPO, run_cli

HERE = Path(__file__).parent / "outlets"
TOWNSHIP = HERE / "township-nine.yml"


@pytest.mark.parametrize("number, kinds", [
    ("0579-8555 6100 转 801", ["座机转分机"]), ("(0579)85551110", ["座机"]), ("（０５７９）８５５５１１１０", ["座机"]),
    ("0571-88886100-801", ["座机转分机"]), ("85551110", ["座机"]), ("120", ["短号"]), ("12345", ["短号"]),
    ("96110", ["短号"]), ("400-820-8888", ["短号"]), ("内线 6100", ["内线"]),
    ("0579-85551110 / 0579-85551111", ["座机", "座机"]),
    # as outlets write them: several extensions, a note on when to call, a Chinese input method's dash
    ("0571-8888 6666 转 801、802", ["座机转分机"]), ("0571-88886666转801/802", ["座机转分机"]),
    ("0571-8888 6666 转 801 或 802", ["座机转分机"]), ("0571-8888 6666（白天）", ["座机"]),
    ("0571—88886666", ["座机"]), ("0571－88886666 转 801（夜间）", ["座机转分机"]),
])
def test_outlet_numbers_are_classified(number, kinds):
    assert classify(number) == kinds


@pytest.mark.parametrize("number", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138-1234-5678",
                                    "0579-85551110 / 13812345678", "派出所 85551110", "0579-85551110 转 张三",
                                    # (no local number starts with 0 or 1)
                                    "0571-0000 0000", "0579-1234567",
                                    # (a note holds no number; a bare number after a landline is not its extension)
                                    "0571-88886666（13812345678）", "0571-88886666、13812345678", "0571-88886666、801",
                                    # (a note is Chinese words: no letters, quotes or markup ride along)
                                    "0571-88886666(onload)", '0571-88886666("x")', "0571-88886666（<i>白天</i>）"])
def test_anything_else_is_left_to_the_privacy_scan(number):
    assert classify(number) is None


def pack_html(yml: Path, tmp_path) -> tuple[int, str, str]:
    result = run_cli("pack", str(yml), "--root", str(REPO), "--out", str(tmp_path / "o"), "--format", "html", cwd=tmp_path)
    page = tmp_path / "o" / yml.stem / "pack.html"
    return result.code, result.err, page.read_text(encoding="utf-8") if page.exists() else ""


def text_of(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def test_landlines_reach_the_plans_the_cards_and_the_call_script(tmp_path):
    code, err, html = pack_html(TOWNSHIP, tmp_path)
    assert code == 0, err
    assert "P003" not in err and "P006" not in err
    plan = html[html.index('id="item-emergencies-sudden-illness"'):]
    plan = plan[:plan.index("</article>")]
    strip = text_of(plan[plan.index('class="plan-contacts"'):plan.index("</table>", plan.index('class="plan-contacts"'))])
    for number in ("0579-85556100转801", "0579-85552120", "(0579)85551110", "120"):
        assert number in strip, strip
    assert "青溪县石门乡石门街18号石门乡营业所" in strip
    # the 120 call script speaks the outlet's address, not the made-up one
    assert "我这里是青溪县石门乡石门街18号石门乡营业所" in text_of(plan)
    assert "某某路" not in html
    cards = text_of(html[html.index('id="cards"'):html.index('id="notes"')])
    assert cards.count("0579-85552120") >= 2 and "我这里是青溪县石门乡石门街18号" in cards


def test_without_an_address_the_script_leaves_a_blank(tmp_path):
    yml = tmp_path / "no-address.yml"
    yml.write_text(re.sub(r"^address:.*\n", "", TOWNSHIP.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    code, err, html = pack_html(yml, tmp_path)
    assert code == 0, err
    assert "我这里是____________（网点地址）石门乡营业所" in text_of(html)


@pytest.mark.parametrize("old, new, code", [
    ('phone: "(0579)85551110"', 'phone: "13912345678"', "P002"),  # a mobile is a person's
    ("name: 石门派出所,", "name: 石门派出所 0579-85551110,", "P003"),  # a landline outside the phone field
    ("address: 青溪县石门乡石门街 18 号", "address: 青溪县石门乡石门街 18 号 13912345678", "P002"),
    # the address steps aside from the customer-data rule only: markup in it is refused like anywhere
    ("address: 青溪县石门乡石门街 18 号", "address: '<img src=x onerror=alert(1)>石门街 18 号'", "H002"),
])
def test_a_customer_number_elsewhere_is_still_refused(tmp_path, old, new, code):
    text = TOWNSHIP.read_text(encoding="utf-8")
    assert old in text
    yml = tmp_path / "refused.yml"
    yml.write_text(text.replace(old, new), encoding="utf-8")
    code_, err, _ = pack_html(yml, tmp_path)
    assert code_ == 1 and f"error[{code}]" in err, err
