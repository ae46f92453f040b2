"""An outlet's own phone numbers and address: what `contacts[].phone` and `address` may hold,
classified before the privacy scan sees them.

The privacy guard refuses landlines because in a case they are a customer's. In an outlet
file's contact list they are the outlet's: the 派出所 or 卫生院 landline with its area code,
the branch switchboard with an extension, the local short numbers. `classify` says which kind
of outlet number a string is; the outlet validation keeps only what it accepts out of the
customer-phone rule. A mobile number is a person's, and stays one, except on a duty line: a
contact named for a duty post (支行值班手机, 镇派出所值班) that names nobody, whose one mobile is
carried by whoever is on duty (township outlets often have no other). Any other text in the
field is scanned as before. The outlet's `address` has a house number
(the 120 call script needs it); it leaves the scan only when a house number is all the scan
finds in it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..guards import names, privacy, safety
from ..guards.normalise import BIDI, ZERO_WIDTH, normalise
from ..guards.surname_words import SURNAMES

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
_NOTE = re.compile(r"\s*[(（]((?:\d{1,2}\s?小时)?[\u4e00-\u9fff]{0,8})[)）]$")  # (24小时: two digits hide no number)
# Dashes a Chinese input method types for "-" (—, –, －, ―, ‐, ‑).
_DASHES = str.maketrans({c: "-" for c in "\u2014\u2013\uff0d\u2015\u2010\u2011"})

# A mainland mobile: 13905781234, 139 0578 1234, 139-0578-1234, +86 139…, (+86) 139…, (139)…
_MOBILE = re.compile(r"(?:[(（]?\+?86[)）]?[ -]?)?[(（]?(1[3-9]\d)[)）]?[ -]?(\d{4})[ -]?(\d{4})")
# A label before the number that only says what it is: 值班手机：139…, 电话: 0571…
_LABEL = re.compile(r"^(?:(?:值班)?(?:手机|电话|座机|号码)\s*[:：]|【[\u4e00-\u9fff]{1,6}】)\s*")  # (【值班】139…)

KINDS = ("短号", "内线", "座机", "座机转分机", "值班手机")
DUTY_MOBILES = 2  # a duty line's mobiles: one, or a main and a backup (值班手机主、备); more is a list of people

# A duty post's name: 值班, 值守, 带班 or 24小时 in it (支行值班手机, 总值班, 保卫部值班电话, 夜间值守,
# 运营部带班手机, 卫生院24小时急诊电话)...
_DUTY = re.compile(r"值班|值守|带班|24小时")
# ...that names a post or a line (not a sentence: 值班室没人接的话打这个), a note in brackets aside
_POST = re.compile(r"(?:值班|值守|带班|室|岗|台|车|机|中心|手机|电话|专线|热线|座机|号码)(?:[(（][\u4e00-\u9fff0-9、]{1,10}[)）])?$")
# ...naming nobody: no form of address or word for a person (客户, 家属, 先生, 阿姨, 本人, 私人),
# no "who" after a colon (值班人：…) or 找 (找林工), no surname with a title (张科长, 王所长, 林工;
# not 值班经理, 保卫科长), no office's head (总值班室主任) and no nickname (小林, 老王)
_SOMEONE = re.compile(rf"[:：]|找|客户|家属|亲属|本人|个人|私人|老师|的(?:手机|电话)|{names.TITLES}")
_TITLED = re.compile(rf"(?<![值保内总带])[{SURNAMES}](?:科长|主任|所长|院长|站长|队长|部长|处长|行长|经理|书记|警官|工|总)"
                     r"|(?:室|部|科|所|站|院|处|队|局|办|中心)(?:主任|科长|所长|站长|院长|处长|队长|部长|经理|行长|局长|书记)"
                     rf"|[小老][{SURNAMES}](?![\u4e00-\u9fff]{{2}})")
# ...in plain Chinese words, with the digits and brackets of a note (支行值班（24小时）): no letters
# (a name in pinyin), no markup, and nothing hidden (a zero-width character, an HTML entity)
_PLAIN = re.compile(r"[\u4e00-\u9fff0-9（）() ·/、-]+")
_HIDDEN = frozenset(ZERO_WIDTH + BIDI + "&")


def duty_line(name: object, people: frozenset[str] = frozenset()) -> bool:
    """Whether a contact's name is a duty post's (its mobile may be listed), naming none of the
    outlet's `people` and no one else."""
    if not isinstance(name, str) or _HIDDEN.intersection(name):
        return False
    text = normalise(name).text.strip()
    return bool(_PLAIN.fullmatch(text) and _DUTY.search(text) and _POST.search(text)) and not names_someone(text, people)


def names_someone(text: str, people: frozenset[str] = frozenset()) -> bool:
    """Whether words name a person: one of `people`, a word for a person, a title or a nickname."""
    return bool(_SOMEONE.search(text) or _TITLED.search(text) or any(p and p in text for p in people))


def _mobile(text: str) -> bool:
    m = _MOBILE.fullmatch(text)
    return m is not None and privacy.mobile_ok("".join(m.groups()))


def classify_one(number: str, duty: bool = False, people: frozenset[str] = frozenset()) -> str | None:
    """One of KINDS for one outlet number (a mobile only on a duty line, its note naming no one),
    None for anything else."""
    text = _LABEL.sub("", normalise(number).text.strip().translate(_DASHES))
    note = _NOTE.search(text)
    text = text[:note.start()] if note else text
    if duty and _mobile(text):  # (a mobile with something hidden in it is not taken on trust)
        return None if (note and names_someone(note[1], people)) or _HIDDEN.intersection(number) else "值班手机"
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


def classify(phone: str, duty: bool = False, people: frozenset[str] = frozenset()) -> list[str] | None:
    """The kind of each number in a contact's phone field, or None when any part is not an
    outlet number (a mobile off a duty line, a third mobile, a number with other words around
    it): then the privacy scan judges the whole field as before."""
    parts = [p for p in _SPLIT.split(phone.strip()) if p]
    kinds: list[str | None] = []
    for part in parts:
        if kinds and kinds[-1] == "座机转分机" and _MORE_EXTENSION.fullmatch(_NOTE.sub("", part.strip())):
            continue  # (another extension of the same number: one contact, one kind)
        kinds.append(classify_one(part, duty, people))
    return kinds if kinds and all(kinds) and kinds.count("值班手机") <= DUTY_MOBILES else None


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


def outlet_own(data: dict, people: frozenset[str] = frozenset()) -> set[tuple]:
    """Key paths of the values that are the outlet's own number or address: each
    `contacts[i].phone` that is all outlet numbers (with one mobile on a duty line naming none of
    `people`), and `address` when its only finding is a house number. The customer-data rules
    do not apply to these; every other field is scanned."""
    out: set[tuple] = set()
    contacts = data.get("contacts")
    for i, c in enumerate(contacts if isinstance(contacts, list) else []):
        if isinstance(c, dict) and isinstance(c.get("phone"), str) \
                and classify(c["phone"], duty_line(c.get("name"), people), people):
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


DUTY_HINT = "；如果这是值班线路的手机，在名称里写明“值班”、不写人名（如 支行值班手机、镇派出所值班），就可以写"


def with_duty_hint(problems: list) -> list:
    """The privacy scan's findings, a mobile refused in a contact's phone told how a duty line's is
    written (P002 says "delete it": for an outlet's duty mobile, that is not the answer)."""
    return [replace(d, message=d.message + DUTY_HINT)
            if d.code == "P002" and re.match(r"contacts\[\d+\]\.phone：", d.message) else d for d in problems]
