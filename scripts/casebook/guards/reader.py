"""The text a reader sees, for the privacy guard: what is left when the page is rendered.

A number split by markup that renders as nothing (`138<!-- -->1234 5678`, `138<b></b>…`,
`138**1234**5678`, escaped `\\-`), by combining or invisible marks, by a line break (a soft
break inside a paragraph), or written in Chinese numerals, financial capitals or another
script's digits, still reads as a phone number. `reader_view` undoes all of that on top of
`normalise` (entities, NFKC, zero-width characters) and keeps, for every character of the
result, the offset it came from, so a finding still points at the editor's line and column.

The reader view is scanned in addition to the normalised text, never instead of it: markup the
reader does not see (a `tel:` link's target, an attribute) is published all the same.
"""
from __future__ import annotations

import re
import unicodedata

from .normalise import normalise

# Chinese digit characters read one by one (一三八 …, 壹叁捌 …, 幺 for 1 and 两 for 2 in spoken numbers).
CN_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")},
             **{c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}, "幺": "1", "两": "2"}
_CN = "".join(CN_DIGITS)
# A run of at least seven digits (any script, Chinese digits included) with at most one separator
# between two of them: only such runs are rewritten digit by digit (一二三 or 十五号 stay as they are).
_DIGIT_RUN = re.compile(rf"[\d{_CN}](?:[ .\-]?[\d{_CN}]){{6,}}")

# Markup that renders as nothing or as its content. Each alternative's kept text is group "keep".
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"  # an HTML comment (an unclosed one hides the rest)
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # a tag: an element renders its content only
    r"|\\(?P<esc>[!-/:-@\[-`{-~])"  # a Markdown backslash escape shows the character
    r"|(?P<mark>\*{1,3}|_{1,3}|~~|`+)(?=[^\s*_~`])(?P<inner>[^\n]*?[^\s*_~`])(?P=mark)",  # emphasis, code
    re.S)
# A line break inside a paragraph (not a blank line, not the scanner's separator U+2029).
_SOFT_BREAK = re.compile(r"(?<=[^\n\u2029])[ \t]*\n[ \t]*(?=[^\n\u2029])")


def _invisible(ch: str) -> bool:
    """Combining marks (Mn, Me) and format characters (Cf): nothing a reader sees on their own."""
    return unicodedata.category(ch) in ("Mn", "Me", "Cf")


_MAYBE_INVISIBLE = re.compile(r"[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
                              r"\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0e31-\u0e4e\u180b-\u180f\u1ab0-\u1aff"
                              r"\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e\u2060-\u206f\u20d0-\u20ff\u302a-\u302f"
                              r"\u3099\u309a\ufe00-\ufe0f\ufe20-\ufe2f\ufeff\ufff9-\ufffb\U000e0000-\U000e01ef"
                              r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u3164\uffa0]")


class View:
    """`text` as a reader sees it; `orig(i)` is the input offset of its character i."""

    __slots__ = ("text", "_idx")

    def __init__(self, text: str, idx: list[int]):
        self.text = text
        self._idx = idx  # one entry per character, plus the end

    def orig(self, offset: int) -> int:
        return self._idx[min(max(offset, 0), len(self._idx) - 1)]


def _rewrite(view: View, rx: re.Pattern, repl) -> View:
    """Apply `repl(match) -> str` to every match of `rx`; kept characters keep their offsets, a
    replacement of the same length maps one to one, any other points at the match's start."""
    text, idx = view.text, view._idx
    parts: list[str] = []
    out_idx: list[int] = []
    last = 0
    changed = False
    for m in rx.finditer(text):
        new = repl(m)
        if new == m.group(0):
            continue
        changed = True
        parts.append(text[last:m.start()])
        out_idx.extend(idx[last:m.start()])
        parts.append(new)
        if len(new) == m.end() - m.start():
            out_idx.extend(idx[m.start():m.end()])
        elif isinstance(new, _Kept):
            out_idx.extend(idx[new.at:new.at + len(new)])
        else:
            out_idx.extend([idx[m.start()]] * len(new))
        last = m.end()
    if not changed:
        return view
    parts.append(text[last:])
    out_idx.extend(idx[last:])
    return View("".join(parts), out_idx)


class _Kept(str):
    """A replacement that is a slice of the matched text: its characters keep their offsets."""
    at: int

    def __new__(cls, text: str, at: int):
        obj = super().__new__(cls, text)
        obj.at = at
        return obj


def _markup(m: re.Match) -> str:
    if m.group("esc") is not None:
        return _Kept(m.group("esc"), m.start("esc"))
    if m.group("inner") is not None:
        inner = _MARKUP.sub(_markup_plain, m.group("inner"))
        if inner == m.group("inner"):
            return _Kept(inner, m.start("inner"))
        return inner
    return ""


def _markup_plain(m: re.Match) -> str:
    if m.group("esc") is not None:
        return m.group("esc")
    if m.group("inner") is not None:
        return _MARKUP.sub(_markup_plain, m.group("inner"))
    return ""


def _digit(ch: str) -> str:
    if ch in CN_DIGITS:
        return CN_DIGITS[ch]
    if ch.isdigit() and not ch.isascii():
        try:
            return str(unicodedata.digit(ch))
        except ValueError:
            return ch
    return ch


def _digits(m: re.Match) -> str:
    return "".join(_digit(c) for c in m.group(0))


_NON_ASCII_DIGIT = re.compile(r"[^\x00-\x7f]")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def reader_view(text: str, normalised: bool = False) -> View:
    """The text as rendered and read (see the module's docstring); `normalised`: the caller has
    already passed it through `normalise`."""
    if normalised:
        view = View(text, list(range(len(text) + 1)))
    else:
        norm = normalise(text)
        view = View(norm.text, [norm.orig(i) for i in range(len(norm.text) + 1)])
    if _MAYBE_INVISIBLE.search(view.text):
        view = _rewrite(view, _MAYBE_INVISIBLE, lambda m: "" if _invisible(m.group(0)) else m.group(0))
    if any(c in view.text for c in "<\\*_~`"):
        view = _rewrite(view, _MARKUP, _markup)
    if "\n" in view.text:
        view = _rewrite(view, _SOFT_BREAK, lambda m: "")
    if _NON_ASCII_DIGIT.search(view.text):
        view = _rewrite(view, _DIGIT_RUN, _digits)
        view = _rewrite(view, _OTHER_DIGIT, lambda m: _digit(m.group(0)))
    return view
