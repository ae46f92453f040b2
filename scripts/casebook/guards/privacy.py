"""Privacy guard: find customers' personal data in text before it ships.

Errors: checksum-valid 18-digit resident ID numbers, mainland mobile numbers, landlines with an
area code, bank card / account numbers (Luhn, or any 16–19 digits next to 卡号/账号 words),
e-mail addresses and house-level street addresses. Warning: a full name next to 客户/先生/女士/
阿姨 (王先生, 李阿姨, 张某 are the house style and pass).

Never flagged: public numbers (95xxx, 96xxx, 400/800, 110/119/120/12378/12363), masked numbers
(138****5678, 110105********1234), dates, amounts, times, case numbers after 工单/编号 words, and
ID-shaped numbers whose check digit is wrong.

Also caught: the forms an editor (or an attacker) may use to slip a number past a pattern —
full-width digits and numbers split by zero-width spaces (scanned after `normalise`), mobile
numbers written in Chinese numerals (一三八…), 15-digit resident IDs issued before 1999 (no check
digit: a region, a birth date 19YYMMDD and a sequence), and mobile numbers dressed as a landline,
(139)1234-5678.

Detection is pattern first (fast, in C), then a real check on the few candidates: the ISO 7064
check digit and a possible birth date for IDs, `phonenumbers` for mobiles, Luhn for cards.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from .normalise import normalise


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    code: str  # P001… (see diagnostics.CODES)
    severity: str  # "error" | "warning"
    message: str


# Digits or masks right next to a candidate mean it is part of something else (a longer number,
# or a masked number such as 138****5678): the lookarounds exclude both.
_EDGE_L = r"(?<![0-9A-Za-z*＊])"
_EDGE_R = r"(?![0-9A-Za-z*＊])"

_ID_RE = re.compile(
    _EDGE_L + r"([1-9]\d{5})[ -]?((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[ -]?(\d{3}[0-9Xx])" + _EDGE_R)
_CARD_RE = re.compile(
    _EDGE_L + r"(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|\d{6}[ -]\d{10,13})" + _EDGE_R)
_MOBILE_RE = re.compile(
    _EDGE_L + r"(?:\+?86[ -]?)?[(（]?(1[3-9]\d)[)）]?[ -]?(\d{4})[ -]?(\d{4})" + _EDGE_R)
# 15-digit IDs (issued until 1999): region, YYMMDD born in the 1900s, a 3-digit sequence.
_OLD_ID_RE = re.compile(
    _EDGE_L + r"([1-8]\d{5})(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})" + _EDGE_R)
_CN_DIGITS = "零〇一二三四五六七八九幺"
_CN_MOBILE_RE = re.compile(f"(?<![{_CN_DIGITS}])(?:[{_CN_DIGITS}][ -]?){{10}}[{_CN_DIGITS}](?![{_CN_DIGITS}])")
_CN_TABLE = str.maketrans({c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "幺": "1"})
_LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z*＊-])(?:[(（](0\d{2,3})[)）]\s?|(0\d{2,3})[ -]?)([2-9]\d{2,3})[ -]?(\d{4})" + _EDGE_R)
_DIGIT = re.compile(r"\d")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NUM = r"[0-9０-９一二三四五六七八九十百零〇]+"
_ADDRESS_RES = [
    # (words the pattern needs, chars to look before / after each such word, the pattern)
    # road + house number: 解放路88号, 中山大道 1234 号 (not 3号窗口: no road word before it)
    (("号",), 16, 3, re.compile(r"(?:路|街|大道|大街|巷|弄|胡同|村|组|屯)\s*" + _NUM + r"\s*号(?!窗口|柜台|机|线|码)")),
    # building + unit (+ room): 5栋1单元302室, 3号楼2单元
    (("单元",), 14, 12, re.compile(r"\d+\s*(?:栋|幢|号楼|座)\s*\d+\s*单元(?:\s*\d+\s*(?:室|号))?")),
    (("室", "房"), 16, 1, re.compile(r"\d+\s*(?:栋|幢|号楼|单元)\s*\d{3,4}\s*(?:室|房)")),
    # compound + building: 幸福小区5栋
    (("小区", "花园", "公寓", "新村", "家园", "大厦"), 0, 12,
     re.compile(r"(?:小区|花园|公寓|新村|家园|大厦)\s*\d+\s*(?:栋|幢|号楼)")),
]
# A run of digits (with spaces or dashes) long enough to be a phone, card or ID number: the
# specific patterns are tried only around these runs, which keeps the scan fast on long texts.
_RUN = re.compile(r"\d[\d \-]*\d")
_RUN_DIGITS = 7

# Words that say "this number is a card or account" and "this number is a case reference".
_CARD_WORDS = re.compile(r"(?:卡号|账号|帐号|银行卡|储蓄卡|借记卡|信用卡|社保卡|账户|帐户|存折|卡)[^0-9\n]{0,6}$")
_CASE_WORDS = re.compile(r"(?:工单|编号|单号|流水|案号|受理号|序号|订单|批次|凭证号|案件)[^0-9\n]{0,6}$")
_ID_WORDS = re.compile(r"(?:身份证|证件号|公民身份号码)[^0-9\n]{0,8}$")

# Common single-character surnames, minus characters that are mostly prepositions or verbs
# in running text (向, 于, 和, 从, 把, 给…), which would otherwise flag 向王先生.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
             "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷"
             "黎史龙陶贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陈洪严莫")
_COMPOUND_SURNAMES = ("欧阳|司马|诸葛|上官|东方|皇甫|慕容|令狐|夏侯|公孙|长孙|宇文|尉迟|端木|南宫|司徒|轩辕|"
                      "呼延|独孤|澹台|西门|百里|钟离|万俟|闻人|赫连|申屠")
_SURNAME = rf"((?:{_COMPOUND_SURNAMES})|[{_SURNAMES}])"
_TITLES = r"(?:先生|女士|阿姨|大爷|大妈|奶奶|爷爷|叔叔|大姐|大哥|老师傅|师傅|老人家)"
# Characters that start a title or a placeholder rather than a given name: 王先生, 张某, 李老.
_NOT_GIVEN = set("某先女阿大奶爷叔姐哥师老小xX*＊的了是在们家这那位个和与及也都就还又")
# A given name does not hold these: 小李向刘大爷, 一段请黄先生 are a word, then 刘大爷 / 黄先生.
_FUNCTION_CHARS = set("向请让叫对给帮陪被把跟为替同将从由到和与及也都就还又的了是在们这那位个说问")
# Names before a title are found from the title backwards: a pattern that starts with the
# surname alternation cannot use the regex engine's fast first-character scan.
_TITLE_RE = re.compile(_TITLES)
_NAME_BEFORE = re.compile(rf"{_SURNAME}([\u4e00-\u9fff]{{1,2}})$")
_NAME_AFTER_WORD = re.compile(
    rf"(?:客户|储户|顾客|持卡人|老人|户主|当事人){_SURNAME}([\u4e00-\u9fff]{{1,2}})"
    r"(?=[，。、；：！？,.;:!?（(\s“”\"]|[的说来在到要称拿持留向对找打取存办想问和与带去又也就却等先把被给是从今昨已曾]|表示|反映|$)")
# Two-character words that begin with a surname character and are not names.
_NOT_NAMES = {
    "马上", "高兴", "方便", "余额", "于是", "金额", "张口", "周围", "周末", "程序", "江湖", "白天", "黄金",
    "钱款", "包括", "关于", "常常", "任何", "任务", "温度", "许多", "许可", "陆续", "万元", "石头", "龙头",
    "成功", "孙子", "孔明", "严重", "严格", "雷同", "毛病", "段时", "段落", "顾虑", "顾及", "贺卡", "汤水",
    "杨柳", "林立", "朱红", "胡乱", "郭外", "田间", "史上", "方式", "方面", "方法", "方案", "高峰", "高龄",
    "高度", "龚某", "钟头", "夏天", "秦岭", "黎明", "白色", "武汉", "戴着", "施工", "陈述", "付款", "付钱",
    "范围", "金卡", "石化", "江边", "吕剧", "韩国", "姜汤", "万一", "汪汪", "尹某", "何时", "何处", "曾经",
    "丁点", "苏醒", "罗列", "叶子", "谢谢", "董事", "肖像", "洪水", "宋体", "唐突", "邓某", "熊猫", "孟子",
    "白跑", "白白", "白等", "白来", "常年", "任意", "朱砂", "安心", "邱壑", "范例", "金钱", "石油", "高声",
}


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
    n = re.sub(r"[ -]", "", number)
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
def _mobile_ok(digits: str) -> bool:
    try:
        num = phonenumbers.parse("+86" + digits)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(num)
    return phonenumbers.is_valid_number(num) and kind in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _before(text: str, start: int, width: int = 14) -> str:
    return text[max(0, start - width):start]


def _numeric_windows(text: str) -> list[tuple[int, int]]:
    """Spans around long digit runs, widened for a "+86 " or "(010)" prefix and one char after."""
    spans: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        if sum(ch.isdigit() for ch in m.group(0)) < _RUN_DIGITS:
            continue
        a, b = max(0, m.start() - 6), min(len(text), m.end() + 1)
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


def _names(text: str):
    """Candidate names: surname + 1–2 characters before a title, or after 客户-like words."""
    for t in _TITLE_RE.finditer(text):
        start = max(0, t.start() - 4)
        m = _NAME_BEFORE.search(text, start, t.start())
        if m:
            yield m
    yield from _NAME_AFTER_WORD.finditer(text)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def scan(text: str, allowed_names: frozenset[str] = frozenset(), today: dt.date | None = None,
         normalised: bool = False) -> list[Finding]:
    """All personal-data findings in `text`, as character offsets.

    The text is normalised first (entities, NFKC, zero-width characters), unless the caller
    says it already is (core.scan normalises once for both guards); offsets are the input's."""
    if normalised:
        return _scan(text, allowed_names, today)
    norm = normalise(text)
    found = _scan(norm.text, allowed_names, today)
    if norm.text is text:
        return found
    return [Finding(norm.orig(f.start), max(norm.orig(f.end), norm.orig(f.start) + 1), f.code, f.severity, f.message)
            for f in found]


def _scan(text: str, allowed_names: frozenset[str], today: dt.date | None) -> list[Finding]:
    today = today or dt.date.today()
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(m_start: int, m_end: int, code: str, message: str, severity: str = "error") -> None:
        found.append(Finding(m_start, m_end, code, severity, message))
        taken.append((m_start, m_end))

    windows = _numeric_windows(text)

    def matches(rx: re.Pattern):
        for a, b in windows:
            yield from rx.finditer(text, a, b)

    if windows:
        for m in matches(_ID_RE):
            if _birth_ok(m.group(2), today) and _id_checksum_ok(m.group(1) + m.group(2) + m.group(3)[:3], m.group(3)[3]):
                add(m.start(), m.end(), "P001",
                    "疑似身份证号码（校验位有效）；请删除或改成 110105********1234 这样的掩码")
            else:
                taken.append((m.start(), m.end()))  # an ID-shaped number that is not one: leave it alone
        for m in matches(_OLD_ID_RE):
            if _overlaps(taken, m.start(), m.end()) or _CASE_WORDS.search(_before(text, m.start())):
                continue
            if _birth_ok("19" + m.group(2), today):
                add(m.start(), m.end(), "P001",
                    "疑似 15 位旧身份证号码；请删除或改成 110105******123 这样的掩码")
        for m in matches(_CARD_RE):
            if _overlaps(taken, m.start(), m.end()):
                continue
            digits = re.sub(r"[ -]", "", m.group(0))
            context = _before(text, m.start())
            if _CARD_WORDS.search(context):
                add(m.start(), m.end(), "P004", "疑似银行卡号或账号；请只保留尾号，如“尾号 1234”")
            elif _CASE_WORDS.search(context) or _ID_WORDS.search(context):
                taken.append((m.start(), m.end()))
            elif luhn_ok(digits):
                add(m.start(), m.end(), "P004", "疑似银行卡号（通过 Luhn 校验）；请只保留尾号，如“尾号 1234”")
        for m in matches(_MOBILE_RE):
            if not _overlaps(taken, m.start(), m.end()) and _mobile_ok("".join(m.groups())):
                add(m.start(), m.end(), "P002", "疑似手机号码；请删除或改成 138****5678 这样的掩码")
        for m in matches(_LANDLINE_RE):
            if _overlaps(taken, m.start(), m.end()):
                continue
            if _CASE_WORDS.search(_before(text, m.start())):
                continue
            add(m.start(), m.end(), "P003", "疑似固定电话号码；客户电话不能写进案例，本行对外电话请写客服热线")
    if _CN_MOBILE_RE.search(text):
        for m in _CN_MOBILE_RE.finditer(text):
            digits = re.sub(r"[ -]", "", m.group(0)).translate(_CN_TABLE)
            if _mobile_ok(digits):
                add(m.start(), m.end(), "P002", "疑似用汉字写的手机号码；请删除或改成 138****5678 这样的掩码")
    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            domain = m.group(0).rsplit("@", 1)[1].lower()
            if domain.split(".")[0] == "example":  # RFC 2606 documentation domains
                continue
            add(m.start(), m.end(), "P005", "疑似电子邮箱地址；请删除")
    if _DIGIT.search(text):
        for needles, before, after, rx in _ADDRESS_RES:
            for a, b in _windows_around(text, needles, before, after):
                for m in rx.finditer(text, a, b):
                    if not _overlaps(taken, m.start(), m.end()):
                        add(m.start(), m.end(), "P006", "疑似详细住址（含门牌号）；请只写到街道或小区名，如“某小区”")
    for m in _names(text):
        surname, given = m.group(1), m.group(2)
        if given[0] in _NOT_GIVEN or (surname + given[:1]) in _NOT_NAMES or (surname + given) in _NOT_NAMES \
                or _FUNCTION_CHARS.intersection(given):
            continue
        if m.start(1) > 0 and text[m.start(1) - 1] == "姓":  # 姓杨的师傅: a surname, not a name
            continue
        name = surname + given
        if name in allowed_names or any(name.startswith(a) or a.startswith(name) for a in allowed_names):
            continue
        if _overlaps(taken, m.start(1), m.end(2)):
            continue
        add(m.start(1), m.end(2), "P101",
            f"疑似客户真实姓名“{name}”；请写成“{surname}先生/{surname}女士/{surname}某”", "warning")
    found.sort(key=lambda f: (f.start, f.code))
    return found
