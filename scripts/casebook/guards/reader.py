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

from .normalise import Normalised, merge_breaks, normalise

# Chinese digit characters read one by one (一三八 …, 壹叁捌 …, 幺 1, 两 2, 拐 7, 勾 9, 洞 0 as
# numbers are spoken; ○ and ◯, which input methods give for 零, as 〇).
CN_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")},
             **{c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}, "幺": "1", "两": "2",
             "洞": "0", "拐": "7", "勾": "9", "○": "0", "◯": "0"}  # radio style: 幺洞拐勾
_CN = "".join(CN_DIGITS)


# The zero of every block of ten decimal digits outside ASCII (Unicode 14: Arabic-Indic,
# Devanagari, Thai, full-width, mathematical …; tests/guards/test_reader.py checks the list
# against unicodedata). A character class scans fast where a Unicode \\d does not.
_ZEROS = (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50,
          0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
          0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
          0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
          0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
          0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0)
OTHER_DIGITS = "".join(f"\\U{z:08x}-\\U{z + 9:08x}" for z in _ZEROS)

# A run of at least seven digits (Chinese digits included) with at most one separator
# between two of them: only such runs are rewritten digit by digit (一二三 or 十五号 stay as they are).
# (Digits of other scripts are made ASCII first: a class holding them all scans slowly in a run.)
_DIGIT_RUN = re.compile(rf"[0-9{_CN}](?:[ .\-]?[0-9{_CN}]){{6,}}")

# Markup that renders as nothing or as its content; what a reader sees of it is the group
# "link" (a link's text), "esc" (an escaped character) or "inner" (emphasised text), else nothing.
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"  # an HTML comment (an unclosed one hides the rest)
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"  # a tag: an element renders its content only
    # a link shows its text (its target is scanned as written); neither part runs past the next
    # bracket: from every `[` of a line crowded with them, a search to the line's end cost its square
    r"|!?\[(?P<link>[^\[\]\n]*)\]\([^()\n]*\)"
    r"|\\(?P<esc>[!-/:-@\[-`{-~])"  # a Markdown backslash escape shows the character
    r"|\\(?=\n)"  # a backslash hard break
    r"|(?P<mark>\*{1,3}|_{1,3}|~~|`{1,16})(?=[^\s*_~`])(?P<inner>(?:[^\n]|\n(?![ \t]*\n))*?[^\s*_~`])(?P=mark)",  # emphasis, code
    # (within a paragraph: across a single line break)
    re.S)
# Where markup may start: the markup pattern is tried only there (a pattern of alternatives
# is slow to scan Chinese text with).
_MARKUP_START = re.compile(r"[<!\[\\*_~`]")
# A line break inside a paragraph (not a blank line, not the scanner's separator U+2029), and
# spaces between two Chinese characters (王 建 国 reads as 王建国): deleted in one pass.
# Each alternative starts with a character, not a lookbehind: the engine then skips ahead fast.
_JOIN = re.compile(r"\n(?<![\n\u2029]\n)(?<!\A\n)[ \t]*(?![\n\u2029])(?!\Z)"
                   r"|[ \t](?<=[\u4e00-\u9fff][ \t])[ \t]*(?=[\u4e00-\u9fff\n])")
# Characters of numbers, e-mail addresses and house addresses: a change that puts two of them
# side by side (138<b></b>1234, 路<!-- -->八号) can make a finding the written text does not hold.
_NUM_CHARS = rf"0-9A-Za-z@.\-{_CN}十百千拾佰仟路街道巷弄村组屯里号栋幢座单元室房楼"
_NUMERIC = re.compile(rf"[{_NUM_CHARS}{OTHER_DIGITS}]")
_NUMERIC_JOIN = re.compile(rf"[{_NUM_CHARS}][ \t]*\n[ \t]*[{_NUM_CHARS}]")


def _delete(view: View, rx: re.Pattern, near: bool) -> View:
    """Delete every match of `rx` (a fast path of _rewrite for the many soft line breaks)."""
    text = view.text
    breaks: list[tuple[int, int, bool]] = []
    parts: list[str] = []
    removed = last = 0
    for m in rx.finditer(text):
        parts.append(text[last:m.start()])
        last = m.end()
        removed += m.end() - m.start()
        breaks.append((m.end() - removed, m.end(), False))
    if not breaks:
        return view
    parts.append(text[last:])
    return View("".join(parts), view._stages + (Normalised("", merge_breaks(breaks)),), view.near_digits or near)


# Dashes of every kind read as "-", middle dots and bullets as "." (138—1234—5678, 138·1234·5678).
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\u00b7\u2022\u2027\u30fb\u22c5]")


# Letters that render as blank space (Hangul fillers, the braille blank).
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


def _invisible(ch: str) -> bool:
    """Combining marks (Mn, Me), format characters (Cf) and blank letters: nothing a reader sees."""
    return ch in _BLANK_LETTERS or unicodedata.category(ch) in ("Mn", "Me", "Cf")


# Everything but ASCII, Latin, general punctuation (“” …), CJK ideographs and punctuation and
# full-width forms: the few such
# characters in a text are each asked for their category (a superset of what _invisible drops;
# the soft hyphen, the ideographic tone marks and the Hangul filler are inside those ranges).
_MAYBE_INVISIBLE = re.compile("[^\x00-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u3000-\u3029\u3030-\u3098"
                              "\u309b-\u3163\u3165-\u9fff\uff00-\uffef]")


class View:
    """`text` as a reader sees it; `orig(i)` is the input offset of its character i.

    Each rewriting stage keeps a map of break points (guards.normalise.Normalised), so the
    cost is in the matches, not in the characters; `orig` maps back through every stage.
    `near_digits`: some change put two characters of a number, an e-mail or a house address
    side by side (or rewrote digits) — only then can the view hold a number or an address the
    text as written does not (a name can come from any join)."""

    __slots__ = ("text", "_stages", "near_digits")

    def __init__(self, text: str, stages: tuple = (), near_digits: bool = False):
        self.text = text
        self._stages = stages  # first stage first
        self.near_digits = near_digits

    def orig(self, offset: int) -> int:
        for stage in reversed(self._stages):
            offset = stage.orig(offset)
        return offset


def _matches_from(rx: re.Pattern, start: re.Pattern, text: str):
    """rx.finditer(text), trying rx only where `start` finds a possible first character."""
    pos = 0
    while True:
        s = start.search(text, pos)
        if s is None:
            return
        m = rx.match(text, s.start())
        if m is not None and m.end() > m.start():
            yield m
            pos = m.end()
        else:
            pos = s.start() + 1


def _rewrite(view: View, matches, repl) -> View:
    """Apply `repl(match) -> str` to every match (a pattern or an iterable of matches of
    view.text); kept characters keep their offsets, a replacement of the same length maps one
    to one, any other points at the match's start."""
    text = view.text
    parts: list[str] = []
    breaks: list[tuple[int, int, bool]] = []
    last = out_len = 0
    near = view.near_digits
    for m in matches.finditer(text) if isinstance(matches, re.Pattern) else matches:
        new = repl(m)
        if new == m.group(0):
            continue
        if not near and len(new) == m.end() - m.start() and any(c.isdigit() for c in new):
            near = True  # digits rewritten (一三八 → 138)
        parts.append(text[last:m.start()])
        out_len += m.start() - last
        parts.append(new)
        if isinstance(new, _Kept):
            breaks.append((out_len, new.at, False))
        else:
            breaks.append((out_len, m.start(), len(new) != m.end() - m.start()))
        out_len += len(new)
        breaks.append((out_len, m.end(), False))
        last = m.end()
    if not breaks:
        return view
    parts.append(text[last:])
    out = "".join(parts)
    if not near:  # does the result put two number characters side by side where text changed?
        near = any(0 < at < len(out) and _NUMERIC.match(out, at - 1) and _NUMERIC.match(out, at)
                   for at, _, _ in breaks)
    return View(out, view._stages + (Normalised("", merge_breaks(breaks)),), near)


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
    if m.group("link") is not None:
        return _Kept(m.group("link"), m.start("link"))
    if m.group("inner") is not None:
        inner = _MARKUP.sub(_markup_plain, m.group("inner"))
        if inner == m.group("inner"):
            return _Kept(inner, m.start("inner"))
        return inner
    return ""


def _markup_plain(m: re.Match) -> str:
    if m.group("esc") is not None:
        return m.group("esc")
    if m.group("link") is not None:
        return m.group("link")
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


_CN_DIGIT = re.compile(rf"[{_CN}]")
# Letters that stand for digits between digits: 139O755l234 reads as 13907551234.
_LOOKALIKE = re.compile(r"[0-9][OoIl]+(?=[0-9])")
_LOOKALIKE_DIGIT = str.maketrans("OoIl", "0011")
_OTHER_DIGIT = re.compile(rf"[{OTHER_DIGITS}]")


def reader_view(text: str, normalised: bool = False) -> View:
    """The text as rendered and read (see the module's docstring); `normalised`: the caller has
    already passed it through `normalise`."""
    if normalised:
        view = View(text)
    else:
        norm = normalise(text)
        view = View(norm.text, (norm,))
    if _MAYBE_INVISIBLE.search(view.text):
        view = _rewrite(view, _MAYBE_INVISIBLE, lambda m: "" if _invisible(m.group(0)) else m.group(0))
    if _MARKUP_START.search(view.text):
        view = _rewrite(view, _matches_from(_MARKUP, _MARKUP_START, view.text), _markup)
    view = _delete(view, _JOIN, bool(_NUMERIC_JOIN.search(view.text)))
    if _DASHES.search(view.text):
        view = _rewrite(view, _DASHES, lambda m: "." if m.group(0) in "\u00b7\u2022\u2027\u30fb\u22c5" else "-")
    if _OTHER_DIGIT.search(view.text):
        view = _rewrite(view, _OTHER_DIGIT, lambda m: _digit(m.group(0)))
    if _CN_DIGIT.search(view.text):
        view = _rewrite(view, _DIGIT_RUN, _digits)
    if _LOOKALIKE.search(view.text):
        view = _rewrite(view, _LOOKALIKE, lambda m: m.group(0)[0] + m.group(0)[1:].translate(_LOOKALIKE_DIGIT))
    return view
