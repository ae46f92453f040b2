"""Privacy guard: find customers' personal data in text before it ships.

Errors: checksum-valid 18-digit resident ID numbers, mainland mobile numbers, landlines with an
area code, bank card / account numbers (Luhn, or any 16–19 digits next to 卡号/账号 words),
e-mail addresses (also written wang[at]163[dot]com, ＠, （at）) and house-level street addresses
(解放路88号, 建设路一百二十三号). Warning: a full name (guards.names: 王建国先生, 王建国老人,
客户王建国, 他叫王建国; 王先生, 李阿姨, 张某 are the house style and pass).

Never flagged: public numbers (95xxx, 96xxx, 400/800, 110/119/120/12378/12363), masked numbers
(138****5678, 110105********1234), dates, amounts, times, case numbers after 工单/编号 words, and
ID-shaped numbers whose check digit is wrong.

Every text is scanned twice: normalised (entities, NFKC, zero-width characters: guards.normalise)
and as a reader sees it (markup, escapes, combining marks and line breaks removed, Chinese
numerals, financial capitals and other scripts' digits read as digits: guards.reader), so a
number split by `<!-- -->` or written 壹叁捌… is still found, and one hidden in markup the reader
does not see (a link's target) is found in the first. Numbers grouped in any way (by four,
dotted, one digit at a time) are joined and checked as a whole.

Detection is pattern first (fast, in C), then a real check on the few candidates: the ISO 7064
check digit and a possible birth date for IDs, `phonenumbers` for mobiles, Luhn for cards.
Every message quotes the match masked (138****5678, 王**): the checker's output, which CI may
publish, never repeats the personal data it found.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from . import names
from .normalise import normalise
from .reader import CN_DIGITS, reader_view


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    code: str  # P001… (see diagnostics.CODES)
    severity: str  # "error" | "warning"
    message: str
    text: str = ""  # the match as scanned (for privacy_ok); never printed


# Codes a file may excuse in its front matter (privacy_ok): names and addresses are judged by
# words, so a false alarm is possible. A checksum-valid ID, a mobile number and a card number
# are numbers that pass a real check: no excuse.
EXCUSABLE = frozenset({"P003", "P005", "P006", "P101"})

# Digits or masks right next to a candidate mean it is part of something else (a longer number,
# or a masked number such as 138****5678): the lookarounds exclude both.
_EDGE_L = r"(?<![0-9A-Za-z*＊])"
_EDGE_R = r"(?![0-9A-Za-z*＊])"

_ID_RE = re.compile(
    _EDGE_L + r"([1-9]\d{5})[ -]?((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[ -]?(\d{3}[0-9Xx])" + _EDGE_R)
_CARD_RE = re.compile(
    _EDGE_L + r"(?:\d{16,19}|\d{4}(?:([ .\-])\d{4})(?:\1\d{4}){2}(?:\1?\d{1,3})?|\d{6}[ -]\d{10,13})" + _EDGE_R)
# Between the groups of a mobile number, also the marks a list or a table puts between values:
# 139|0652|0871, 139、0652、0871, 139，0652，0871, 139 和 0652 0871 read as one number all the same.
_GROUP_SEP = r"(?:[ -]?|\s*[|、，,；;/和]\s*)"
_MOBILE_RE = re.compile(
    _EDGE_L + rf"(?:\+?86[ -]?)?[(（]?(1[3-9]\d)[)）]?{_GROUP_SEP}(\d{{4}}){_GROUP_SEP}(\d{{4}})" + _EDGE_R)
# 15-digit IDs (issued until 1999): region, YYMMDD born in the 1900s, a 3-digit sequence.
_OLD_ID_RE = re.compile(
    _EDGE_L + r"([1-8]\d{5})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})" + _EDGE_R)
_CN_TABLE = str.maketrans(CN_DIGITS)  # numbers in Chinese numerals are read as digits by guards.reader
_LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z*＊-])(?:[(（](0[1-9]\d{1,2})[)）]\s?|(0[1-9]\d{1,2})[ -]?)([2-9]\d{2,3})[ -]?(\d{4})" + _EDGE_R)
# Any run of 11 to 19 digits, grouped in any way (4201 0619 …, 110105.19491231.002X, 1 5 9 2 …):
# joined and checked as an ID, a mobile or a card after the patterns above had their turn.
_LOOSE_RE = re.compile(r"(?<![0-9A-Za-z*＊.\-])[0-9](?:[ .\-/_]{0,3}[0-9]){10,18}(?:[ .\-/_]{0,3}[Xx])?(?![0-9A-Za-z*＊])")
# E-mail, also disguised: wang[at]163.com, wang (at) 163 (dot) com, wang at 163 dot com, wang @ 163.com.
_TLD = r"(?:com|cn|net|org|edu|gov|info|biz|io|me|cc|top|vip|hk|tw|mo|co|email)"
_AT_ANY = r"(?:\s?@\s?|\s?[\[({<]\s?(?:at|@)\s?[\])}>]\s?|\s?艾特\s?|#)"  # '#' for '@': a common disguise
_DOT_ANY = r"(?:\.|\s?[\[({<]\s?(?:dot|\.)\s?[\])}>]\s?|点)"
_EMAIL_HINT = re.compile(r"[@#]|艾特|\bat\b", re.I)  # cheap test before the two e-mail patterns
_EMAIL_RE = re.compile(r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_EMAIL_DISGUISED_RE = re.compile(
    rf"[A-Za-z0-9._%+-]+(?:{_AT_ANY}|\s+at\s+)[A-Za-z0-9-]+(?:(?:{_DOT_ANY}|\s+dot\s+)[A-Za-z0-9-]+)*?"
    rf"(?:{_DOT_ANY}|\s+dot\s+){_TLD}\b", re.I)
# House numbers in any numerals: 88, 一百二十三, 壹佰零捌, 三〇一.
_NUM = r"[0-9一二三四五六七八九十百千零〇两壹贰叁肆伍陆柒捌玖拾佰仟]+"
_BLDG = rf"(?:{_NUM}|[A-Za-z]{{1,2}})"  # building and unit: 5, 五, B
_ADDRESS_RES = [
    # (words the pattern needs, chars to look before / after each such word, the pattern)
    # road + house number: 解放路88号, 建设路一百二十三号 (not 3号窗口: no road word before it)
    (("号",), 28, 3, re.compile(r"(?:路|街|大道|大街|巷|弄|胡同|村|组|屯|里)\s*" + _NUM + r"(?:\s*[-之]\s*" + _NUM
                                 + r")?\s*号(?!窗口|柜台|机|线|码|桌|台|站)")),
    # building + unit (+ room): 5栋1单元302室, 3号楼2单元, 五栋二单元三〇一室
    (("单元",), 20, 16, re.compile(_BLDG + r"\s*(?:栋|幢|号楼|座)\s*" + _BLDG + r"\s*单元(?:\s*" + _NUM + r"\s*(?:室|号))?")),
    (("室", "房"), 24, 1, re.compile(_BLDG + r"\s*(?:栋|幢|号楼|座|单元)\s*" + _NUM + r"\s*(?:室|房)")),
    # compound + building: 幸福小区5栋
    (("小区", "花园", "公寓", "新村", "家园", "大厦"), 0, 12,
     re.compile(r"(?:小区|花园|公寓|新村|家园|大厦)\s*" + _BLDG + r"\s*(?:栋|幢|号楼|座)")),
]
# A run of digits (with spaces, dots or dashes) long enough to be a phone, card or ID number:
# the number patterns are tried only around these runs, which keeps the scan fast on long texts.
_RUN = re.compile(r"\d[\d .\-/_|、，,；;和]*\d")
_RUN_DIGITS = 7

# Words that say "this number is a card or account" and "this number is a case reference".
_CARD_WORDS = re.compile(r"(?:卡号|账号|帐号|银行卡|储蓄卡|借记卡|信用卡|社保卡|账户|帐户|存折|卡)[^0-9\n]{0,6}$")
_CASE_WORDS = re.compile(r"(?:工单|编号|单号|流水|案号|受理号|序号|订单|批次|凭证号|案件)[^0-9\n]{0,6}$")
_ID_WORDS = re.compile(r"(?:身份证|证件号|公民身份号码)[^0-9\n]{0,8}$")
_SEPARATORS = re.compile(r"[ .\-/_()（）+]")


def _id_checksum_ok(digits17: str, check: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(digits17, weights))
    return "10X98765432"[total % 11] == check.upper()


def _birth_ok(yyyymmdd: str, today: dt.date) -> bool:
    try:
        born = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= today


def is_resident_id(number: str, today: dt.date | None = None) -> bool:
    """An 18-character PRC resident ID with a valid check digit and a possible birth date.

    Deliberately no region-code table: codes change with redistricting, and a table rejects
    real IDs issued under old codes (python-stdnum's cn.ric does).
    """
    n = _SEPARATORS.sub("", number)
    if not re.fullmatch(r"[1-9]\d{16}[0-9Xx]", n):
        return False
    return _birth_ok(n[6:14], today or dt.date.today()) and _id_checksum_ok(n[:17], n[17])


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@lru_cache(maxsize=4096)
def mobile_ok(digits: str) -> bool:
    """An 11-digit mainland mobile number (phonenumbers: valid, and of a mobile type)."""
    try:
        num = phonenumbers.parse("+86" + digits)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(num)
    return phonenumbers.is_valid_number(num) and kind in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mask(code: str, matched: str) -> str:
    """The match as the message may quote it: enough to find it, not enough to use it."""
    if code == "P101":
        return matched[0] + "*" * (len(matched) - 1)
    if code == "P005":
        at = re.search(r"@|\[at]|\(at\)|\sat\s|艾特", matched, re.I)
        return matched[:1] + "***" + (matched[at.start():] if at else "")
    if code == "P006":
        return re.sub(_NUM, lambda m: "*" * len(m.group(0)), matched)
    digits = re.sub(r"[^0-9Xx]", "", matched.translate(_CN_TABLE))
    if code == "P001":
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    if code == "P002":
        digits = digits[-11:]
        return digits[:3] + "****" + digits[-4:]
    if code == "P003":
        return digits[:-8] + "-****" + digits[-4:] if len(digits) > 8 else "****" + digits[-4:]
    return digits[:4] + " **** " + digits[-4:]


_MESSAGES = {
    "P001": "疑似身份证号码“{m}”（校验位有效）：请删除，或只写掩码“{m}”",
    "P002": "疑似手机号码“{m}”：请删除，或只写掩码“{m}”",
    "P003": "疑似固定电话号码“{m}”：客户电话不能写进案例；本行对外电话请写客服热线",
    "P004": "疑似银行卡号或账号“{m}”：请只保留尾号，如“尾号 {tail}”",
    "P005": "疑似电子邮箱地址“{m}”：请删除；示例地址请用 someone@example.com",
    "P006": "疑似详细住址“{m}”：请只写到街道或小区名，如“某小区”",
    "P101": "疑似客户真实姓名“{m}”：请写成“{s}先生/{s}女士/{s}某”；员工请把全名写进 staff；"
            "确实不是姓名时，把原文写进 front matter 的 privacy_ok",
}


def _message(code: str, matched: str, note: str = "") -> str:
    m = mask(code, matched)
    text = _MESSAGES[code].format(m=m, tail=m[-4:], s=matched[:1])
    return text.replace("（校验位有效）", note) if note else text


def _before(text: str, start: int, width: int = 14) -> str:
    return text[max(0, start - width):start]


def _numeric_windows(text: str) -> list[tuple[int, int]]:
    """Spans around long digit runs, widened for a "+86 " or "(010)" prefix and one char after."""
    spans: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        if sum(ch.isdigit() for ch in m.group(0)) < _RUN_DIGITS:
            continue
        a, b = max(0, m.start() - 6), min(len(text), m.end() + 2)
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _windows_around(text: str, needles: tuple[str, ...], before: int, after: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            spans.append((max(0, i - before), min(len(text), i + len(needle) + after)))
            i = text.find(needle, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def scan(text: str, allowed_names: frozenset[str] = frozenset(), today: dt.date | None = None,
         normalised: bool = False) -> list[Finding]:
    """All personal-data findings in `text`, as character offsets of `text`.

    The text is normalised first (entities, NFKC, zero-width characters), unless the caller
    says it already is (core.scan normalises once for both guards); then it is scanned as it
    stands and as a reader sees it (guards.reader), and the findings of both are merged."""
    norm = None if normalised else normalise(text)
    plain = text if norm is None else norm.text
    found = _scan(plain, allowed_names, today)
    view = reader_view(plain, normalised=True)
    if view.text != plain:
        # joins away from digits and letters can only make a name: scan the view for names then
        for f in _scan(view.text, allowed_names, today, numbers=view.near_digits):
            start, end = view.orig(f.start), max(view.orig(f.end - 1) + 1, view.orig(f.start) + 1)
            if not any(g.code == f.code and g.start < end and start < g.end for g in found):
                found.append(Finding(start, end, f.code, f.severity, f.message, f.text))
        found.sort(key=lambda f: (f.start, f.code))
    if norm is None or norm.text is text:
        return found
    return [Finding(norm.orig(f.start), max(norm.orig(f.end), norm.orig(f.start) + 1), f.code, f.severity,
                    f.message, f.text) for f in found]


def _scan(text: str, allowed_names: frozenset[str], today: dt.date | None, numbers: bool = True) -> list[Finding]:
    """Findings in `text` as it stands; without `numbers`, names only."""
    today = today or dt.date.today()
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(m_start: int, m_end: int, code: str, note: str = "", severity: str = "error") -> None:
        matched = text[m_start:m_end]
        found.append(Finding(m_start, m_end, code, severity, _message(code, matched, note), matched))
        taken.append((m_start, m_end))

    windows = _numeric_windows(text) if numbers else []

    def matches(rx: re.Pattern):
        for a, b in windows:
            yield from rx.finditer(text, a, b)

    if windows:
        for m in matches(_ID_RE):
            if _birth_ok(m.group(2), today) and _id_checksum_ok(m.group(1) + m.group(2) + m.group(3)[:3], m.group(3)[3]):
                add(m.start(), m.end(), "P001")
            else:
                taken.append((m.start(), m.end()))  # an ID-shaped number that is not one: leave it alone
        for m in matches(_OLD_ID_RE):
            if _overlaps(taken, m.start(), m.end()) or _CASE_WORDS.search(_before(text, m.start())):
                continue
            if _birth_ok("19" + m.group(2), today):
                add(m.start(), m.end(), "P001", "（15 位旧身份证号码）")
        for m in matches(_CARD_RE):
            if _overlaps(taken, m.start(), m.end()):
                continue
            digits = _SEPARATORS.sub("", m.group(0))
            context = _before(text, m.start())
            if _CARD_WORDS.search(context):
                add(m.start(), m.end(), "P004")
            elif _CASE_WORDS.search(context) or _ID_WORDS.search(context):
                taken.append((m.start(), m.end()))
            elif luhn_ok(digits):
                add(m.start(), m.end(), "P004")
        for m in matches(_MOBILE_RE):
            if not _overlaps(taken, m.start(), m.end()) and mobile_ok("".join(m.groups())):
                add(m.start(), m.end(), "P002")
        for m in matches(_LANDLINE_RE):
            if _overlaps(taken, m.start(), m.end()):
                continue
            if _CASE_WORDS.search(_before(text, m.start())):
                continue
            add(m.start(), m.end(), "P003")
        for m in matches(_LOOSE_RE):  # after the patterns: only what none of them reported as checked
            if _overlaps([(f.start, f.end) for f in found if f.code != "P003"], m.start(), m.end()) or _CASE_WORDS.search(_before(text, m.start())):
                continue
            before = len(found)
            _loose(m, text, today, add)
            if len(found) > before:  # the whole run is an ID, a mobile or a card: not a landline
                found[:] = [f for f in found if not (f.code == "P003" and f.start < m.end() and m.start() < f.end)]
    for rx in (_EMAIL_RE, _EMAIL_DISGUISED_RE) if numbers and _EMAIL_HINT.search(text) else ():
        for m in rx.finditer(text):
            domain = re.split(r"@|\[at]|\(at\)|\sat\s|艾特", m.group(0), maxsplit=1, flags=re.I)[-1].strip().lower()
            if domain.startswith("example") or _overlaps(taken, m.start(), m.end()):
                continue  # RFC 2606 documentation domains
            add(m.start(), m.end(), "P005")
    for needles, before, after, rx in _ADDRESS_RES if numbers else ():
        for a, b in _windows_around(text, needles, before, after):
            for m in rx.finditer(text, a, b):
                if not _overlaps(taken, m.start(), m.end()):
                    add(m.start(), m.end(), "P006")
    for m in names.candidates(text):
        name = m.group(1) + m.group(2)
        if names.staff_allows(name, allowed_names) or _overlaps(taken, m.start(1), m.end(2)):
            continue
        add(m.start(1), m.end(2), "P101", severity="warning")
    found.sort(key=lambda f: (f.start, f.code))
    return found


def _loose(m: re.Match, text: str, today: dt.date, add) -> None:
    """A digit run grouped in no standard way: an ID, a mobile or a card once joined (a landline
    read inside the same run gives way to it: see _scan)."""
    raw = m.group(0)
    digits = _SEPARATORS.sub("", raw)
    if len(digits) == 18 and is_resident_id(digits, today):
        add(m.start(), m.end(), "P001")
    elif len(digits) == 11 and digits[0] == "1" and mobile_ok(digits):
        add(m.start(), m.end(), "P002")
    elif 16 <= len(digits) <= 19 and digits.isdigit() and luhn_ok(digits):
        groups = re.split(r"[ .\-/_]+", raw)
        if _CARD_WORDS.search(_before(text, m.start())) or (
                len(groups) > 1 and all(len(g) == 4 for g in groups[:-1]) and len(groups[-1]) <= 4):
            add(m.start(), m.end(), "P004")


def excuse(finding: Finding, allowed: list[str], text: str = "", at: int | None = None) -> str | None:
    """The privacy_ok entry that excuses `finding`, or None: an entry equal to the match, or one
    whose occurrence in `text` covers the match (中山路100号 covers the match 路100号; `at` is
    the finding's offset in `text`). Only EXCUSABLE codes: a number that passes a checksum or a
    mobile-number check is never excused."""
    if finding.code not in EXCUSABLE:
        return None
    start = finding.start if at is None else at
    end = start + (finding.end - finding.start)
    for entry in allowed:
        wanted = normalise(entry).text.strip() if entry else ""
        if not wanted:
            continue
        if wanted == finding.text:
            return entry
        i = text.find(wanted, max(0, end - len(wanted)))
        if 0 <= i <= start and end <= i + len(wanted):
            return entry
    return None
