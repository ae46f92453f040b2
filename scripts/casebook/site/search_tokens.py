"""The index's tokens: Chinese as character pairs spelled in ASCII (Pagefind's own Chinese
segmentation loses words inside sentences; a pair is always found), other words as they are.
search.js encodes a query the same way."""
from __future__ import annotations

import functools
import re

LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*")  # ATM, 95566, 3.5, 2026-05-12
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DIGITS = "abcdefghijklmnopqrstuvwxyz"  # letters only: Pagefind splits words at digits


@functools.lru_cache(maxsize=None)
def _code(ch: str) -> str:
    """A character's code point in base 26 as four letters (covers every CJK block)."""
    n, out = ord(ch), ""
    for _ in range(4):
        n, r = divmod(n, 26)
        out = _DIGITS[r] + out
    return out


def token(chars: str) -> str:
    """Two (or one) Chinese characters as one ASCII word; search.js encodes queries the same way."""
    return "z" + "".join(_code(c) for c in chars)


def grams(text: str) -> str:
    """Every neighbouring pair of Chinese characters of `text`, as tokens, once each."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            seen[token(run)] = None
            continue
        codes = [_code(c) for c in run]
        for i in range(len(codes) - 1):
            seen["z" + codes[i] + codes[i + 1]] = None
    return " ".join(seen)


_MD = re.compile(r"^#{1,6}\s+|^\s*(?:[-*+]|\d+[.)])\s+|^>\s?|[*_`|]", re.MULTILINE)


def plain(markdown_text: str) -> str:
    return _MD.sub("", markdown_text)
