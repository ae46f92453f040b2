"""An outlet's own phone numbers and address: what `contacts[].phone` and `address` may hold,
classified before the privacy scan sees them.

The privacy guard refuses landlines because in a case they are a customer's. In an outlet
file's contact list they are the outlet's: the 派出所 or 卫生院 landline with its area code,
the branch switchboard with an extension, the local short numbers. `classify` says which kind
of outlet number a string is; the outlet validation keeps only what it accepts out of the
customer-phone rule. A mobile number is never an outlet number here (it is a person's), and
any other text in the field is scanned as before. The outlet's `address` has a house number
(the 120 call script needs it); it leaves the scan only when a house number is all the scan
finds in it.
"""
from __future__ import annotations

import re

from ..guards import privacy, safety
from ..guards.normalise import normalise

# Service and emergency short numbers: 110/119/120/122, 112 (the international mobile emergency
# number), 114 (directory enquiries), 12345 (政务便民热线), 123xx (监管与公共服务), 95xxx/96xxx
# (银行、保险客服；96110 反诈), 400/800 hotlines.
_SHORT = re.compile(r"(?:11[0249]|12[02]|12\d{3}|9[56]\d{3,4}|[48]00[ -]?\d{3}[ -]?\d{4})")
# A landline: (0571)8888 6100, 0571-88886100, 0571 8888 6100, or the local part alone (7–8 digits).
_LANDLINE = re.compile(r"(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}[ -]?)?[2-9]\d{2,3}[ -]?\d{4}")
# An extension after the number: 转 801, 转801, -801, 分机 801, ext. 801.
_EXTENSION = re.compile(r"\s*(?:转|分机|-|ext\.?|x)\s*\d{1,5}", re.I)
# Between two numbers of one contact: 0571-88886100 / 88886101, 或, 、.
_SPLIT = re.compile(r"\s*(?:/|、|，|,|；|;|或)\s*")

# The branch's internal line: 内线 6100.
_INTERNAL = re.compile(r"内线\s*\d{3,6}")
# More extensions of the number before it: 转 801、802, 转801/802, 转 801 或 802.
_MORE_EXTENSION = re.compile(r"(?:转|分机)?\s*\d{1,5}")
# A short note after a number, in Chinese words only: （白天）, (值班), （夜间）. (Anything else in
# brackets, a digit, a letter, markup, leaves the field to the privacy and markup scans.)
_NOTE = re.compile(r"\s*[(（][\u4e00-\u9fff]{1,8}[)）]$")
# Dashes a Chinese input method types for "-" (—, –, －, ―, ‐, ‑).
_DASHES = str.maketrans({c: "-" for c in "\u2014\u2013\uff0d\u2015\u2010\u2011"})

KINDS = ("短号", "内线", "座机", "座机转分机")


def classify_one(number: str) -> str | None:
    """One of KINDS for one outlet number, None for anything else."""
    text = _NOTE.sub("", normalise(number).text.strip().translate(_DASHES))
    if _SHORT.fullmatch(text):
        return "短号"
    if _INTERNAL.fullmatch(text):
        return "内线"
    m = _LANDLINE.match(text)
    if m is None:
        return None
    rest = text[m.end():]
    if not rest:
        return "座机"
    return "座机转分机" if _EXTENSION.fullmatch(rest) else None


def classify(phone: str) -> list[str] | None:
    """The kind of each number in a contact's phone field, or None when any part is not an
    outlet number (a mobile, a number with other words around it): then the privacy scan
    judges the whole field as before."""
    parts = [p for p in _SPLIT.split(phone.strip()) if p]
    kinds: list[str | None] = []
    for part in parts:
        if kinds and kinds[-1] == "座机转分机" and _MORE_EXTENSION.fullmatch(_NOTE.sub("", part.strip())):
            continue  # (another extension of the same number: one contact, one kind)
        kinds.append(classify_one(part))
    return kinds if kinds and all(kinds) else None


def not_a_number(phone: str) -> str | None:
    """Why a contact's phone is no number anyone can dial, or None. The pack prints it on the
    plans and the pocket card someone dials from in an emergency: a letter O, 无, or a
    three-digit number that is none of the service numbers above (911)."""
    text = phone.strip()
    if not text or classify(text):
        return None
    if not re.search(r"\d", text):
        return f"电话“{text}”里没有号码；还没有号码就删去这一项（培训包里这个电话留空，待手写）"
    if re.search(r"[A-WYZa-wyz]", re.sub(r"(?i)ext\.?", "", text)):  # (x: a mask, as in 95xxx)
        return f"电话“{text}”里有字母；电话只写数字，字母 O 请改成数字 0"
    if re.fullmatch(r"\d{3}", text):
        return f"“{text}”不是中国大陆的报警、急救或服务号码；报警 110、急救 120、火警 119、交通事故 122"
    return None


ADDRESS_CODE = "P006"  # the privacy guard's house-number finding


def outlet_own(data: dict) -> set[tuple]:
    """Key paths of the values that are the outlet's own number or address: each
    `contacts[i].phone` that is all outlet numbers, and `address` when its only finding is a
    house number. The customer-data rules do not apply to these; every other field is scanned."""
    out: set[tuple] = set()
    contacts = data.get("contacts")
    for i, c in enumerate(contacts if isinstance(contacts, list) else []):
        if isinstance(c, dict) and isinstance(c.get("phone"), str) and classify(c["phone"]):
            out.add(("contacts", i, "phone"))
    address = data.get("address")
    # (only the customer-data rule steps aside: an address with markup or links is scanned whole)
    if isinstance(address, str) and all(f.code == ADDRESS_CODE for f in privacy.scan(address)) \
            and not safety.scan(address):
        out.add(("address",))
    return out


def without(data: dict, paths: set[tuple]) -> dict:
    """A copy of `data` with the values at `paths` blanked (for the scan only)."""
    if not paths:
        return data
    copy = dict(data)
    for path in paths:
        if path == ("address",):
            copy["address"] = ""
        else:
            _, i, key = path
            copy["contacts"] = list(copy["contacts"])
            copy["contacts"][i] = {**copy["contacts"][i], key: ""}
    return copy
