"""The outlet's own numbers and address where a plan, a call script or a pocket card needs them.

A plan's phone strip lists every contact of each kind the plan needs (the branch duty line
always; 急救 where someone may need an ambulance, 报警 where the police may be called, …), so a
卫生院 landline reaches the sudden-illness plan next to 120. A call script's placeholder address
(某某路某某号某某银行网点) becomes the outlet's own, or a blank to fill when the file has none.
"""
from __future__ import annotations

import re

from ..core.model import Outlet

# Which numbers a plan needs, by the words its title or text uses; 支行值班 every plan needs.
PLAN_NEEDS: list[tuple[str, tuple[str, ...]]] = [
    ("支行值班", ()),
    ("急救", ("120", "急救", "疾病", "不适", "受伤", "摔倒", "晕倒", "救护")),
    ("报警", ("110", "报警", "公安", "派出所", "抢劫", "寻衅", "滋事", "聚集")),
    ("保卫", ("保卫",)),
    ("运营", ("运营",)),
    ("科技报障", ("科技", "报障")),
    ("舆情", ("舆情", "媒体")),
    ("客服热线", ("客服热线", "95")),
    ("反诈", ("诈骗", "反诈", "96110")),
]
# The kinds a pocket card about a customer group carries (the numbers staff dial from the floor).
CARD_KINDS = ("支行值班", "急救", "报警")
# The public numbers every outlet has; and the kind of a contact whose file gives none, by its words.
DEFAULT_CONTACTS = [("急救", "急救中心", "120"), ("报警", "报警", "110"), ("反诈", "反诈专线", "96110")]
KIND_WORDS = {"支行值班": ("值班",), "保卫": ("保卫",), "运营": ("运营",), "科技报障": ("科技", "报障"),
              "舆情": ("舆情", "宣传"), "客服热线": ("客服", "95"), "急救": ("急救", "120"), "报警": ("报警", "110"),
              "反诈": ("反诈", "96110")}
# A call script's made-up address: the outlet's own goes there.
_PLACEHOLDER = re.compile(r"某某路某某号某某银行(?:网点)?")
BLANK = "____________"


def needed_kinds(text: str) -> list[str]:
    return [kind for kind, words in PLAN_NEEDS if not words or any(w in text for w in words)]


def numbers_for(kinds: list[str] | tuple[str, ...], contacts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(kind, name, phone) for every contact of each kind, in the kinds' order; a kind the
    outlet has no number for is one row with an empty phone (a blank to fill)."""
    rows: list[tuple[str, str, str]] = []
    for kind in kinds:
        mine = [c for c in contacts if c[0] == kind]
        rows += mine or [(kind, kind, "")]
    return rows


def place_of(outlet: Outlet) -> str:
    """How a caller names where they are: the address and the outlet's name."""
    return f"{outlet.address}{outlet.name}" if outlet.address else f"{BLANK}（网点地址）{outlet.name}"


def localise(text: str, outlet: Outlet) -> str:
    """The outlet's address in place of a script's made-up one."""
    return _PLACEHOLDER.sub(place_of(outlet), text)


def contact_rows(outlet: Outlet, hotline: str = "") -> list[tuple[str, str, str]]:
    """(kind, name, phone) for each contact; the kind from the file, else from the name. The
    bank's hotline (cases/bank.yml) stands for 客服热线 when the outlet gives none of its own:
    it is the same for every outlet, and scripts already print it from there."""
    rows = []
    for c in outlet.contacts:
        kind = c.kind or next((k for k, words in KIND_WORDS.items() if any(w in c.name + c.phone for w in words)), "其他")
        rows.append((kind, c.name, c.phone))
    known = {phone for _, _, phone in rows}
    rows += [row for row in DEFAULT_CONTACTS if row[2] not in known]
    if hotline and not any(kind == "客服热线" for kind, _, _ in rows):
        rows.append(("客服热线", "本行客服热线", hotline))
    return rows
