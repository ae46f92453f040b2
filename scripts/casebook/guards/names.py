"""Customers' full names in running text: where a name is written, and what only looks like one.

A name is looked for where Chinese writes one: before a form of address (王建国先生, 王建国老人,
李秀英老太太), after a word for the person (客户王建国, 老人王建国) and after 叫/名叫/叫做 (他叫王建国).
The house style — a surname with a form of address (王先生, 张阿姨, 刘大爷, 李老太太) or 某
(张某) — is not a name: the given name is missing.

What only looks like a name: a common word or idiom that starts with a surname character (黄昏,
方才, 周末, 高兴, 龙飞凤舞: surname_words, from a dictionary), a role (周经理, 王师傅), a function
word inside the "given name" (小李向刘大爷: 向 is a preposition, so the name is 刘大爷, house style).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .surname_words import ENDING, LONG3, LONG4, SURNAMES, WORDS

_COMPOUND_SURNAMES = ("欧阳|司马|诸葛|上官|东方|皇甫|慕容|令狐|夏侯|公孙|长孙|宇文|尉迟|端木|南宫|司徒|轩辕|"
                      "呼延|独孤|澹台|西门|百里|钟离|万俟|闻人|赫连|申屠")
_SURNAME = rf"((?:{_COMPOUND_SURNAMES})|[{SURNAMES}])"
_GIVEN = r"([\u4e00-\u9fff]{1,2})"
# Forms of address after a name, longest first (老先生 before 先生, 老人家 before 老人).
_TITLES = ("老先生|老太太|老奶奶|老爷爷|老大爷|老大妈|老大娘|老人家|老师傅|老阿姨|老婆婆|老伯伯|老同志|"
           "先生|女士|小姐|阿姨|大爷|大妈|大娘|大婶|大伯|大叔|大嫂|奶奶|爷爷|婆婆|阿婆|老伯|伯伯|叔叔|阿叔|大姐|大哥|"
           "老太|老汉|老哥|老弟|师傅|老人|同志|夫妇|夫妻|一家")
_TITLE_RE = re.compile(_TITLES)
TITLES = _TITLES  # (also asked by core.contact_numbers: does a duty line's name name someone?)
_NAME_BEFORE = re.compile(rf"{_SURNAME}{_GIVEN}$")
# What may follow a name: punctuation, a title, or a word that starts a predicate.
_FOLLOW = (r"(?=[，。、；：！？,.;:!?（()）「」『』【】《》\s“”‘’\"']|[的说来在到要称拿持留向对找打取存办想问和与带去又也就却等先把被给是从今昨已曾]"
           rf"|表示|反映|{_TITLES}|$)")
# Words for the person that a name may follow: 客户王建国, 老人王建国, 女儿李娟.
_PERSON_WORDS = ("客户|储户|顾客|持卡人|老人|户主|当事人|家属|儿子|女儿|老伴|丈夫|妻子|代理人|委托人|"
                 "申请人|借款人|收款人|汇款人|存款人|监护人|居民|村民|市民|患者|病人|业主|商户|个体户|老板|"
                 "教师|老师|职工|工人|农民|学生|老先生|老太太|老奶奶|老爷爷|老大爷|老人家")
_NAME_AFTER_WORD = re.compile(rf"(?:{_PERSON_WORDS})[:：]?{_SURNAME}{_GIVEN}{_FOLLOW}")
# "He is called …": 叫王建国, 名叫李秀英, 叫做, 名为, 自称, 署名, 姓名是.
_NAME_AFTER_CALLED = re.compile(
    rf"(?:叫做|叫作|叫|名为|自称|署名|真名|本名|原名|全名|实名|名字是|姓名是|姓名为|姓名[:：]\s?){_SURNAME}{_GIVEN}{_FOLLOW}")
# A three-character name of usual given-name characters needs nothing after it (客户蔡文华投诉):
# built below, once _GIVEN_CHARS is known.
_FULL_NAME_AFTER: re.Pattern
# A name marked as made up (王建国（化名）) is not a real name: the house style of case writing.
_PSEUDONYM = re.compile(r"\s?[(（]化名[)）]")

# Characters that start a form of address or a placeholder rather than a given name; 小 and 大
# only when nothing follows them (王小 / 李大, but 李小明 and 王大伟 are names).
_NOT_GIVEN = set("某先女阿奶爷叔姐哥师老xX*＊的了是在们家这那位个和与及也都就还又")
_NOT_GIVEN_ALONE = set("小大")
# A given name does not hold these: 小李向刘大爷, 一段请黄先生 are a word, then 刘大爷 / 黄先生.
_FUNCTION_CHARS = set("向请让叫对给帮陪被把跟为替同将从由到和与及也都就还又的了是在们这那位个说问")
# Roles after a surname: 周经理, 王师傅, 李老师 are how staff are named in the house style.
_ROLES = re.compile("经理|主任|行长|柜员|师傅|老师|大夫|医生|警官|民警|同学|总|科长|处长|局长|书记|会计|保安|专员|"
                    "阿姨|大爷|大妈|奶奶|爷爷|叔|伯|婶|嫂|姨|舅|姑")
# Words and phrases the dictionary lacks or tags as names (钱款, 段时间, 白跑一趟 …).
_EXTRA = "丁点于是付钱史上吕剧姜汤尹某成功戴着林立段时白来白等白跑邓某邱壑郭外金卡钱款高峰龚某"
_EXTRA_WORDS = {_EXTRA[k:k + 2] for k in range(0, len(_EXTRA), 2)}
# Characters common in given names: a common word followed by one of these may still be a name
# (王国强 = 王 + 国强, though 王国 is a word); followed by anything else it is the word (黄昏时).
_GIVEN_CHARS = set(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玲燕萍红鹏辉建国峰林云飞斌波宇浩凯健俊帆帅"
    "亮龙春梅琴晶婷雪宁欣怡佳琳颖倩婕丹彤璐莉莎蕾露瑶珍娥凤翠荣贞淑惠慧娇巧美玉珠琼莹瑞嘉晨曦昊"
    "然轩睿哲博文武志忠德仁义礼智信孝勤良康福寿喜庆安泰祥瑜璇楠栋梁豪毅诚晓鸿海江河山川岩石松柏"
    "森树荣昌盛兴旺发财贵宝金银铭锋钢铁清泉源涵润泽洁冰雯霖露霏娴婉媛姝姣嫣媚妍娅姗妮静蓉芬芝茹"
    "菊莲荷薇蔚蓓莺鹃燕鸣凤鹤鹏鹰飞翔腾跃振奋斌彬彦炜焕煜炎烨灿晖旭昭阳曙光耀新生永长久远宏伟"
    "中正方圆立成功业学思维达通顺利民众家邦兵卫东南西北京津沪渝湘鄂赣皖苏浙闽粤桂琼川黔滇藏陕"
    "甘青宁新疆蒙辽吉黑冀豫鲁晋秋冬红军根水土木火炳坤乾汉唐宋元明清小")


_GIVEN_CLASS = "".join(sorted(_GIVEN_CHARS))
_FULL_NAME_AFTER = re.compile(
    rf"(?:{_PERSON_WORDS}|叫做|叫作|叫|名为|自称|真名|本名|姓名[:：]\s?)[:：]?{_SURNAME}([{_GIVEN_CLASS}]{{2}})")

# Surname characters that are far more often an adverb or a verb (客户曾拨打, 老人常来, 客户安排):
# a name with one of them needs a usual given-name character next (曾国强, 常建华).
_AMBIGUOUS_SURNAMES = set("曾常明安关单文齐易管尚费包左甘温苗童")


def staff_allows(name: str, allowed: frozenset[str]) -> bool:
    """A staff member's own name, or the longer name it starts (周晓雯 allows 周晓雯女士's 周晓雯).

    A one-character entry (王) is not a name: it allows nothing, or every 王… would pass."""
    for a in allowed:
        if len(a) < 2:
            continue
        if name == a or name.startswith(a) or (len(name) >= 2 and a.startswith(name)):
            return True
    return False


def is_word(surname: str, given: str) -> bool:
    """The candidate is a word, or a word and the start of what follows (黄昏 + 时), not a name."""
    head = surname + given[:1]
    if surname + given in WORDS or surname + given in _EXTRA_WORDS:
        return True
    if head in WORDS or head in _EXTRA_WORDS:
        return len(given) == 1 or given[1] not in _GIVEN_CHARS
    return False


def _plausible(text: str, m: re.Match, before_title: bool = False) -> bool:
    surname, given = m.group(1), m.group(2)
    if given[0] in _NOT_GIVEN or _FUNCTION_CHARS.intersection(given) or _ROLES.match(given) \
            or _TITLE_RE.match(given) or (len(given) == 1 and given in _NOT_GIVEN_ALONE):
        return False
    if _PSEUDONYM.match(text, m.end(2)):
        return False
    if is_word(surname, given) or (surname in _AMBIGUOUS_SURNAMES and given[0] not in _GIVEN_CHARS):
        return False
    at = m.start(1)
    if text[at:at + 3] in LONG3 or text[at:at + 4] in LONG4:  # 高高兴兴, 龙飞凤舞, 马到成功
        return False
    previous = text[m.start(1) - 1] if m.start(1) > 0 else ""
    if previous == "姓":  # 姓杨的师傅: a surname, not a name
        return False
    if before_title:
        # 保安留意老人: 安 ends the word 保安; 请杨师傅 / 向周边老人: the title's own surname or a word
        if previous + surname in ENDING or (len(given) == 1 and given in SURNAMES and len(surname) == 1) \
                or given in WORDS:
            return False
        # 常来王先生: the title's own surname (王先生) after a word, unless the middle character
        # is a usual given-name character (王建林先生 is a full name)
        if len(given) == 2 and given[1] in SURNAMES and given[0] not in _GIVEN_CHARS:
            return False
    return True


def candidates(text: str) -> Iterator[re.Match]:
    """Matches whose groups 1 and 2 are the surname and the given name of a likely full name."""
    for t in _TITLE_RE.finditer(text):
        m = _NAME_BEFORE.search(text, max(0, t.start() - 4), t.start())
        if m and _plausible(text, m, before_title=True):
            yield m
    for rx in (_NAME_AFTER_WORD, _NAME_AFTER_CALLED, _FULL_NAME_AFTER):
        for m in rx.finditer(text):
            if _plausible(text, m):
                yield m
