"""The controlled vocabularies of `cases/vocabulary.yml`: values, their aliases, nearest matches.

Vocabularies are data, never Python: an editor adds a customer group by adding a line to the
YAML file. This module only knows how to look a value up.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from .diagnostics import Diagnostic, error
from .load import Document

# The vocabularies the content model requires; more may be added in the file.
REQUIRED = ("customer_groups", "roles", "business", "periods", "severity", "channel",
            "root_cause", "category", "scope")
# A value names a facet page (facets/<vocabulary>/<value>/) and shows in titles and filters:
# short, and nothing that means something in a path, a URL or HTML.
MAX_VALUE = 20
# A vocabulary has tens of values: with 19,000 of them each unknown value in an item took 0.45 s
# to find its nearest (260 s for one item listing 1,000)
MAX_VALUES, MAX_ALIASES = 200, 20
_BAD_VALUE = re.compile(r"[/\\<>&\"'`#?%{}\[\]|:\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|^\.|^\s|\s$")


@dataclass
class Entry:
    value: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class Lookup:
    kind: Literal["exact", "alias", "unknown"]
    canonical: str | None = None
    nearest: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    entries: dict[str, list[Entry]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._alias: dict[str, dict[str, str]] = {}
        for name, values in self.entries.items():
            self._exact[name] = {e.value for e in values}
            self._alias[name] = {a.casefold(): e.value for e in values for a in e.aliases}

    def names(self) -> list[str]:
        return list(self.entries)

    def values(self, name: str) -> list[str]:
        return [e.value for e in self.entries.get(name, [])]

    def lookup(self, name: str, value: str) -> Lookup:
        if value in self._exact.get(name, ()):
            return Lookup("exact", value)
        canonical = self._alias.get(name, {}).get(str(value).strip().casefold())
        if canonical is not None:
            return Lookup("alias", canonical)
        return Lookup("unknown", None, self.nearest(name, str(value)))

    def nearest(self, name: str, value: str, n: int = 3) -> list[str]:
        """Closest canonical values: shared characters first, then difflib similarity."""
        candidates: dict[str, str] = {e.value: e.value for e in self.entries.get(name, [])}
        for e in self.entries.get(name, []):
            for a in e.aliases:
                candidates.setdefault(a, e.value)
        chars = set(value)

        def score(text: str) -> float:
            overlap = len(chars & set(text)) / max(len(set(text) | chars), 1)
            return overlap + difflib.SequenceMatcher(None, value, text).ratio()

        ranked = sorted(candidates, key=score, reverse=True)
        out: list[str] = []
        for text in ranked:
            canonical = candidates[text]
            if canonical not in out and score(text) > 0:
                out.append(canonical)
            if len(out) == n:
                break
        return out or self.values(name)[:n]


def parse_vocabulary(doc: Document) -> tuple[Vocabulary, list[Diagnostic]]:
    """Build the Vocabulary from a loaded vocabulary.yml, reporting malformed entries."""
    problems: list[Diagnostic] = []
    entries: dict[str, list[Entry]] = {}
    data = doc.data or {}
    for name, values in data.items():
        line, col = doc.key_or_value_pos((name,))
        if not isinstance(values, list):
            problems.append(error(doc.rel, line, col, "F003", f"词表“{name}”应为值的列表"))
            continue
        if len(values) > MAX_VALUES:  # (each unknown value in an item is compared with every value and alias)
            problems.append(error(doc.rel, line, col, "F004",
                                  f"词表“{name}”有 {len(values)} 个值，最多 {MAX_VALUES} 个；只用前 {MAX_VALUES} 个，其余请删去"))
            values = values[:MAX_VALUES]
        seen: dict[str, str] = {}
        out: list[Entry] = []
        for i, raw in enumerate(values):
            vline, vcol = doc.pos((name, i))
            if isinstance(raw, str):
                entry = Entry(raw)
            elif isinstance(raw, dict) and isinstance(raw.get("value"), str):
                aliases = raw.get("aliases", []) or []
                unknown = set(raw) - {"value", "aliases", "description"}
                if unknown or not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                    problems.append(error(doc.rel, vline, vcol, "F003",
                                          f"词表“{name}”的第 {i + 1} 项只能有 value、aliases（文字列表）和 description"))
                    continue
                if len(aliases) > MAX_ALIASES:
                    problems.append(error(doc.rel, vline, vcol, "F004",
                                          f"词表“{name}”的“{str(raw['value'])[:30]}”有 {len(aliases)} 个别名，最多 {MAX_ALIASES} 个"))
                    aliases = aliases[:MAX_ALIASES]
                entry = Entry(raw["value"], list(aliases), str(raw.get("description") or ""))
            else:
                problems.append(error(doc.rel, vline, vcol, "F003",
                                      f"词表“{name}”的第 {i + 1} 项应为文字，或含 value 的映射"))
                continue
            bad = [t for t in [entry.value, *entry.aliases] if len(t) > MAX_VALUE or _BAD_VALUE.search(t)]
            if bad:
                problems.append(error(doc.rel, vline, vcol, "F050",
                                      f"词表“{name}”的取值“{bad[0][:30]}”太长或含有不允许的字符：最多 {MAX_VALUE} 个字，"
                                      "不能有 / \\ < > & 引号 # ? % 花括号、方括号、| 和英文冒号、控制字符和首尾空格（它会成为网址和页面标题）"))
                continue
            for text in [entry.value, *entry.aliases]:
                if text.casefold() in seen:
                    problems.append(error(doc.rel, vline, vcol, "D004",
                                          f"词表“{name}”里“{text}”出现了两次（另见“{seen[text.casefold()]}”）"))
                seen[text.casefold()] = entry.value
            out.append(entry)
        entries[name] = out
    for name in REQUIRED:
        if name not in entries:
            problems.append(error(doc.rel, 1, 1, "F001", f"词表文件缺少必需的词表“{name}”"))
            entries[name] = []
    return Vocabulary(entries), problems
