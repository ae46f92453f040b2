"""Groups of words that mean the same thing, for search: `cases/search-terms.yml` plus the
vocabulary's values and aliases, merged where they share a word.

Each group gets a fixed-width ASCII token ("qq" + four letters, base 26: no token is a prefix of
another, and Pagefind matches query words as prefixes). A record carries a group's token in the
best part of the item (title, 话术 card heading, summary, body) where any word of the group
occurs; the search box turns a typed word of a group into that token. The groups also ship to
the browser as a small JSON file (`pagefind/casebook-terms.json`).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..core.search_terms import parse_search_terms

_DIGITS = "abcdefghijklmnopqrstuvwxyz"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def group_token(i: int) -> str:
    out = ""
    for _ in range(4):
        i, r = divmod(i, 26)
        out = _DIGITS[r] + out
    return "qq" + out


def term_groups(root: Path, vocabulary) -> list[list[str]]:
    """Every group of words (typed word first as written), merged where two share a word.
    Deterministic: groups keep the order of the search-terms file, then the vocabulary's.

    A vocabulary entry joins the search-terms group that shares a word with it (老年客户 and its
    aliases with 长者, 老人). But an entry is a category, not always a set of synonyms (存取款:
    取款, 存款): when its words are in two or more groups of the search-terms file, the file has
    told them apart, so the entry joins none of them — those words stay in their own groups
    (取款 with 取钱, 存款 with 存钱) and the rest of the entry is a group of its own."""
    raw: list[list[str]] = [g.terms for g in parse_search_terms(root).groups]
    curated = {w.casefold(): i for i, words in enumerate(raw) for w in words}

    def told(word: str) -> set[int]:
        """The search-terms groups a word is in, or holds a word of (听障客户 holds 听障)."""
        low = word.casefold()
        return {i for w, i in curated.items() if w == low or (len(w) >= 2 and w in low)}

    for name in vocabulary.names():
        for entry in vocabulary.entries.get(name, []):
            words = [w for w in [entry.value, *entry.aliases] if len(w.strip()) >= 2]
            # (a category whose kinds the file tells apart: 残障客户 with 视障客户, 听障客户, 轮椅客户)
            if len(set().union(*(told(w) for w in words))) > 1:
                words = [w for w in words if not told(w)]
            if len(words) >= 2:
                raw.append(words)
    owner: dict[str, int] = {}
    groups: list[list[str] | None] = []
    for words in raw:
        hit = sorted({owner[w.casefold()] for w in words if w.casefold() in owner})
        target = hit[0] if hit else len(groups)
        if not hit:
            groups.append([])
        for other in hit[1:]:  # a word in two groups joins them
            for w in groups[other] or []:
                owner[w.casefold()] = target
                groups[target].append(w)
            groups[other] = None
        for w in words:
            if w.casefold() not in owner:
                owner[w.casefold()] = target
                groups[target].append(w)
    return [g for g in groups if g]


class GroupMatcher:
    """Which groups occur in a text. Terms are filed under their first pair of Chinese
    characters, so a text only tries the terms whose first pair it holds, then checks the
    whole term as a substring (terms without Chinese pairs are always tried)."""

    def __init__(self, groups: list[list[str]]):
        self.tokens = [group_token(i) for i in range(len(groups))]
        self.words = [[w.casefold() for w in words] for words in groups]  # (search_tokens.title_tokens)
        self.by_pair: dict[str, list[tuple[str, int]]] = {}
        self.plain: list[tuple[str, int]] = []
        for i, words in enumerate(groups):
            for w in words:
                low = w.casefold()
                runs = _CJK.findall(low)
                if runs:
                    self.by_pair.setdefault(runs[0][:2], []).append((low, i))
                else:
                    self.plain.append((low, i))

    def groups_in(self, text: str) -> set[int]:
        low = text.casefold()
        pairs = {run[j:j + 2] for run in _CJK.findall(low) for j in range(len(run) - 1)}
        found = {i for term, i in self.plain if term in low}
        for pair in pairs:
            for term, i in self.by_pair.get(pair, ()):
                if i not in found and term in low:
                    found.add(i)
        return found


def terms_json(groups: list[list[str]], shards: list[str] | None = None, **more) -> str:
    """The search box's one extra file: the word groups, the folders (relative to the first
    bundle) of the other index shards it merges, when the library has more than one, and what
    else the box reads once (`more`: the dictionary, stop and how-to phrases, the item count)."""
    data: dict = {"groups": groups, **more}
    if shards:
        data["shards"] = shards
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
