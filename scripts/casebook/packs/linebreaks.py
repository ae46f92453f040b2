"""Where a printed line may break inside a person's name, a phone number or an outlet's name.

Chinese text may break between any two characters, so a narrow table cell printed "刘 / 洋" and
"0477-8612347转 / 2". The templates mark each name, each part of a long transliterated name and
each phone number as one unbroken run (`<span class="unbroken">`), with `<wbr>` where a break is
fine (after a name's dot, before 转). A browser keeps a run whole with CSS (pack.css, screen).
WeasyPrint has no `word-break: keep-all`, so for the PDF (for_print) word joiners (U+2060) go
between a run's characters: they forbid a break there, print nothing and are not in the PDF's
text. The cells that hold them set `overflow-wrap: anywhere`: a run too long for its cell still
breaks rather than run over the border. pack.html keeps the plain text (a number copied from it
dials as written).
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

WORD_JOINER = "\u2060"
_EXTENSION = re.compile(r"(\s*(?:转|分机|ext\.?)\s*)", re.IGNORECASE)
_RUN = re.compile(r'(<span class="unbroken">)([^<]*)(</span>)')


def _run(text: str) -> str:
    return f'<span class="unbroken">{escape(text)}</span>'


def person(name: object) -> Markup:
    """One name whole where it fits; a long transliterated name (阿依古丽·买买提) may break after
    its dot. (The outlet's names come with one kind of dot: core.model.person_name.)"""
    parts = str(name or "").split("·")
    return Markup("<wbr>".join(_run(p + ("·" if i < len(parts) - 1 else "")) for i, p in enumerate(parts)))


def people(names) -> Markup:
    """Names joined with 、 (a line breaks between names, or after a dot inside one)."""
    return Markup("、").join(person(n) for n in names or ())


def phone(number: object) -> Markup:
    """A phone number whole, as written; its extension (转 801, 分机 801) may go to the next
    line, never the extension's digits without 转."""
    pieces = _EXTENSION.split(str(number or ""))
    return Markup(_run(pieces[0]) + "".join("<wbr>" + _run(word + digits)
                                            for word, digits in zip(pieces[1::2], pieces[2::2])))


# Where an organisation's or a place's name ends (longest first): a long outlet name breaks after
# one of these, never inside a word (石门乡 / 营业所, not 石门乡营 / 业所).
_NAME_ENDS = ("股份有限公司|有限公司|农村商业银行|商业银行|银行|总行|分行|支行|营业部|营业所|营业室|分理处|储蓄所|信用社|"
              "自治区|自治州|自治县|开发区|新区|街道|社区|省|市|州|盟|县|旗|区|乡|镇|村")
_NAME_PART = re.compile(rf".+?(?:{_NAME_ENDS})|.+$")


def place(name: object) -> Markup:
    """An outlet's name (中国农业银行股份有限公司青溪县石门乡营业所): each part that ends in an
    organisation's or a place's word kept whole, a line break allowed between parts."""
    return Markup("<wbr>").join(Markup(_run(part)) for part in _NAME_PART.findall(str(name or "")))


def for_print(page: str) -> str:
    """The page as WeasyPrint gets it: word joiners between the characters of every run."""
    def joined(m: re.Match) -> str:
        text = html.unescape(m[2])
        return m[1] + str(escape(WORD_JOINER.join(text))) + m[3]

    return _RUN.sub(joined, page)
