"""What a browser or a reader would see, before any scan: entities decoded, Unicode normalised.

`１３８…` (full-width digits), `&lt;svg&gt;`, `&#x3c;script`, a number split by zero-width
spaces and a title reversed by U+202E all look harmless to a pattern written for plain text.
`normalise` decodes HTML entities (also double-encoded ones such as `&amp;lt;`), applies NFKC
(full-width letters and digits become ASCII, ① and ⑴ become 1) and drops zero-width and bidi
controls; it keeps a map back to the original offsets, so a finding still points at the
editor's line and column. `controls` finds the bidi controls themselves, which are always an
error: they make a text read differently from what it is.
"""
from __future__ import annotations

import bisect
import html
import re
import unicodedata
from functools import lru_cache

# Invisible characters: zero-width space/joiners, word joiner, BOM, soft hyphen, invisible operators.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
# Bidirectional controls: embeddings, overrides, isolates and marks (Trojan Source).
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_ENTITY = r"&(?:amp;)*(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,7};?|[A-Za-z][A-Za-z0-9]{1,31};?)"
# Characters whose NFKC form may differ: Latin-1 supplement (nbsp, superscripts, ¼), letterlike
# and number forms, enclosed alphanumerics, CJK compatibility, presentation forms, half- and
# full-width forms, mathematical alphanumerics. A superset: each is checked with unicodedata.
_COMPAT = ("\u00a0-\u00bf\u0132-\u0133\u013f-\u0140\u0149\u017f\u02b0-\u02ff\u2000-\u200a\u2024-\u2026"
           "\u202f\u2033-\u2037\u203c-\u2057\u205f\u2070-\u209f\u20a8\u2100-\u218f\u2460-\u24ff\u2776-\u2793"
           "\u2a0c-\u2a76\u2c7c-\u2c7d\u2e9f\u2ef3\u2f00-\u2fdf\u3036-\u303a\u309b-\u309c"
           "\u309f\u30ff\u3131-\u318e\u3192-\u319f\u3200-\u33ff\ua69c-\ua69d\ua770\ua7f8-\ua7f9"
           "\uab5c-\uab5f\uf900-\ufaff\ufb00-\ufb4f\ufb50-\ufdff\ufe10-\ufe6f\ufe70-\ufefc\uff5f-\uffef"
           "\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f")
# Full-width ASCII (，：（）１２３ …) and the ideographic space: NFKC maps each to one ASCII
# character, so str.translate folds them without moving any offset (most Chinese text has them).
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_RE = re.compile(f"({_ENTITY})|([{ZERO_WIDTH}{BIDI}])|([{_COMPAT}])")
_QUICK = re.compile(f"[&{ZERO_WIDTH}{BIDI}{_COMPAT}]")
_BIDI_RE = re.compile(f"[{BIDI}]")


# Enclosed numbers an input method's symbol panel offers (①, ⑴, ⒈, ⓵, ⓿, ❶, ➀, ➊): NFKC leaves some
# as they are (⓵, ❶) or wraps them in brackets (⑴ → "(1)"); each reads as its number
_ENCLOSED_NUMBERS = re.compile("[\u2460-\u24ff\u2776-\u2793]")


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    if _ENCLOSED_NUMBERS.match(ch):
        value = unicodedata.numeric(ch, None)
        if value is not None and value == int(value):
            return str(int(value))
    return unicodedata.normalize("NFKC", ch)


def _entity(text: str) -> str:
    decoded = text
    for _ in range(4):  # &amp;amp;lt; → &amp;lt; → &lt; → <
        step = html.unescape(decoded)
        if step == decoded:
            break
        decoded = step
    return "".join(_nfkc(c) for c in decoded if c not in ZERO_WIDTH and c not in BIDI)


class Normalised:
    """`text` as scanned, with `orig(offset)` mapping one of its offsets back to the input."""

    __slots__ = ("text", "_norm", "_orig", "_const")

    def __init__(self, text: str, breaks: list[tuple[int, int, bool]]):
        self.text = text
        self._norm = [b[0] for b in breaks]
        self._orig = [b[1] for b in breaks]
        self._const = [b[2] for b in breaks]  # inside a replacement of another length: its start

    def orig(self, offset: int) -> int:
        i = bisect.bisect_right(self._norm, offset) - 1
        if i < 0:
            return offset
        if self._const[i]:
            return self._orig[i]
        return self._orig[i] + (offset - self._norm[i])


def normalise(text: str) -> Normalised:
    text = text.translate(_WIDTH)
    if not _QUICK.search(text):
        return Normalised(text, [])
    parts: list[str] = []
    breaks: list[tuple[int, int, bool]] = []
    last = 0  # end of the previous match in the input
    out_len = 0
    for m in _RE.finditer(text):
        if m.group(3) is not None:
            new = _nfkc(m.group(3))
        elif m.group(2) is not None:
            new = ""
        else:
            new = _entity(m.group(1))
        old = m.group(0)
        if new == old:
            continue
        parts.append(text[last:m.start()])
        out_len += m.start() - last
        parts.append(new)
        # a same-length replacement maps one to one; in one of another length every character
        # points at the replaced text's start; what follows continues after the replaced text
        breaks.append((out_len, m.start(), len(new) != len(old)))
        out_len += len(new)
        breaks.append((out_len, m.end(), False))
        last = m.end()
    if not breaks:
        return Normalised(text, [])
    parts.append(text[last:])
    return Normalised("".join(parts), merge_breaks(breaks))


def merge_breaks(breaks: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Break points that continue the previous linear run are dropped; at one offset the
    last break point wins (an empty replacement ends where it starts)."""
    out: list[tuple[int, int, bool]] = [(0, 0, False)]
    for n, o, const in breaks:
        if out[-1][0] == n:
            out[-1] = (n, o, const)
        elif not const and not out[-1][2] and o - out[-1][1] == n - out[-1][0]:
            continue
        else:
            out.append((n, o, const))
    return out


def clean(text: str) -> str:
    """The normalised text alone (for output stages: titles, names, search records)."""
    return normalise(text).text


def strip_controls(text: str) -> str:
    """Text with zero-width and bidi controls removed, nothing else changed (for output)."""
    if not _QUICK.search(text):
        return text
    return re.sub(f"[{ZERO_WIDTH}{BIDI}]", "", text)


def controls(text: str) -> list[tuple[int, str]]:
    """(offset, U+XXXX) of every bidi control in the text."""
    return [(m.start(), f"U+{ord(m.group(0)):04X}") for m in _BIDI_RE.finditer(text)]
