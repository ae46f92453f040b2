"""The search box's dictionary: the words of this library, for cutting a typed sentence into
words (longest match first) and for correcting a one-character typo inside a phrase.

Built at build time from the library's own words: the word groups (cases/search-terms.yml and
the vocabulary's values and aliases), every item's tags, and the recurring pieces of titles and
常见问法 (questions). Titles have no spaces, so a piece is a run of 2–4 Chinese characters that
recurs in the titles or questions of at least two items, does not begin or end with a particle
or a stop phrase, is not part of a longer piece found as often (老年客户 kept, 年客户 not), and
holds together: at every cut into two parts, the piece is in at least COHESION of the items
holding its rarer part (客户说 or 人拿 is a word and a common character that happen to meet:
most items saying 客户 or 拿 do not say 客户说 or 人拿; 挂失补卡 and 陌生人 keep their parts).
What the dictionary does not know the browser cuts with Intl.Segmenter.
"""
from __future__ import annotations

import re
from collections import Counter

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# characters that glue words together rather than begin or end one
_EDGE = set("的了吗呢啊吧呀着过和与及或被把让给在对向从到就也都还又很太是有不没要会能可请该得地之其来去")  # (来取钱 is 来 + 取钱)
# … and of those, the ones a word hardly ever holds inside (客户在厅堂 is two words, not 户在厅堂)
_GLUE = set("的了吗呢啊吧呀着过和与及或被把让给在对向从到就也都还又很之其来去")
MAX_PIECE = 4
COHESION = 0.4
MAX_WORDS = 6000  # ~60 KB of JSON at most, fetched once with the first query


def _pieces(text: str) -> set[str]:
    out = set()
    for run in _CJK_RUN.findall(text):
        for n in range(2, MAX_PIECE + 1):
            for i in range(len(run) - n + 1):
                piece = run[i:i + n]
                if piece[0] not in _EDGE and piece[-1] not in _EDGE and not _GLUE.intersection(piece):
                    out.add(piece)
    return out


def coheres(piece: str, n: int, parts: Counter[str]) -> bool:
    """Is the piece (in n items) in at least COHESION of the items holding the rarer side of
    each of its cuts? (A word's parts are mostly found in it; a chance meeting's are not.)"""
    return all(n >= COHESION * min(parts[piece[:k]], parts[piece[k:]]) for k in range(1, len(piece)))


def recurring_pieces(texts_by_item: list[list[str]], stop: set[str] = frozenset()) -> list[str]:
    """Pieces of 2–4 characters found in the texts of at least two items, the longest kept
    where a shorter one occurs in no more items than it (a fragment of a word, not a word)."""
    df: Counter[str] = Counter()
    for texts in texts_by_item:
        df.update(set().union(*(_pieces(t) for t in texts)) if texts else set())
    parts: Counter[str] = Counter()  # every run of 1–3 characters, by the items holding it
    for texts in texts_by_item:
        parts.update({run[i:i + n] for t in texts for run in _CJK_RUN.findall(t)
                      for n in range(1, MAX_PIECE) for i in range(len(run) - n + 1)})
    kept = {p: n for p, n in df.items() if n >= 2 and p not in stop
            and not any(s in p for s in stop if len(s) >= 2) and coheres(p, n, parts)}
    # the most items any one-character-longer kept piece is found in, per piece it extends
    widest: Counter[str] = Counter()
    for k, n in kept.items():
        for inner in (k[:-1], k[1:]):
            widest[inner] = max(widest[inner], n)
    out = [p for p, n in kept.items() if widest[p] < n]
    out.sort(key=lambda p: (-kept[p], p))
    return out


def dictionary(items, groups: list[list[str]], stop: list[str]) -> tuple[list[str], list[str]]:
    """Every word of the library the box knows besides the group words (which it has with the
    groups), as (words, pieces): the tags, which are words for sure, and the recurring pieces of titles and questions, which the box
    trusts a little less when it cuts a sentence; at most MAX_WORDS in all, deterministic."""
    grouped = {w.casefold() for g in groups for w in g}  # (shipped with the groups already)
    words: dict[str, None] = {}
    for item in items:
        for t in getattr(item.meta, "tags", []) or []:
            if 2 <= len(t) <= 12 and t.casefold() not in grouped:
                words[t.casefold()] = None
    texts = [[item.meta.title, *(getattr(item.meta, "questions", []) or [])] for item in items]
    pieces = [p for p in recurring_pieces(texts, set(stop)) if p not in words and p not in grouped]
    core = list(words)[:MAX_WORDS]
    return core, pieces[:max(0, MAX_WORDS - len(core))]
