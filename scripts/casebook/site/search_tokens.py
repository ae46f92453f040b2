"""The index's tokens: Chinese as character pairs spelled in ASCII (Pagefind's own Chinese
segmentation loses words inside sentences; a pair is always found), other words as they are.
search.js encodes a query the same way."""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..core.links import link_texts

if TYPE_CHECKING:
    from .search_groups import GroupMatcher

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
    """The words a reader sees: no link targets (a search snippet is not a URL, and a public
    site's records must not name the internal pages an item links to)."""
    return _MD.sub("", link_texts(markdown_text))


def title_tokens(title: str, matcher: GroupMatcher | None) -> tuple[list[str], list[str]]:
    """The title's tokens laid out so that word positions measure characters (rank.js: title
    coverage, the share of the title a query accounts for):
    - before the part's marker, each word group the title holds, once per character pair its
      words cover there, as many positions as the word typed would hit (老年客户 in
      老年客户及行动不便客户服务: three);
    - after it, the title's Latin words and one token per Chinese character, in order: the pair
      starting there, and for a run's last character the run's last pair again (a lone character
      is its own token). So the part between two markers is as long as the title, and 老人 covers
      3 positions of 老年客户及行动不便客户服务's 13 but 3 of 疑似认知障碍（失智）老年客户服务's 14.
    A token repeated in one part adds word positions, not (token, record) pairs: Pagefind's memory
    does not grow."""
    groups: list[str] = []
    if matcher:
        low = title.casefold()
        for i in sorted(matcher.groups_in(title)):
            covered: set[int] = set()  # the character pairs its words cover, as a typed word's pairs do
            for word in matcher.words[i]:
                for m in re.finditer(re.escape(word), low):
                    covered.update(range(m.start(), m.end() - 1))
            groups += [matcher.tokens[i]] * max(1, len(covered))
    chars = list(dict.fromkeys(w.casefold() for w in LATIN_WORD.findall(title)))
    for run in CJK_RUN.findall(title):
        if len(run) == 1:
            chars.append(token(run))
            continue
        pairs = [token(run[i:i + 2]) for i in range(len(run) - 1)]
        chars += pairs + pairs[-1:]
    return groups, chars
