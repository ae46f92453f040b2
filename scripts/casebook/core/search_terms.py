"""The words staff type: `cases/search-terms.yml`, groups of words that mean the same thing.

    groups:
      - terms: [老年客户, 老年人, 老人, 长者]
        note: 员工和客户对老年客户的叫法

A query holding any word of a group finds the pages holding any word of it (the site's search
ranks the typed word itself a little above the others). The vocabulary's values and aliases
(`cases/vocabulary.yml`) are groups too. Editors extend the file by pull request; `casebook
check` reports its problems with codes Q001–Q006:

- Q001 the file is not `groups:` with a list of `{terms, note}`; Q002 an unknown key;
- Q003 a word listed twice (in one group or two); Q005 a word that is empty, one character or
  holds spaces or markup; Q006 a group with fewer than two words;
- Q004 (warning) a group none of whose words occurs anywhere in the library's items.

Two lists beside the groups tell the box how a question is put: `stop` (fillers and question
frames: 请问, 是不是, 了, 吗 — dropped from a query) and `howto` (怎么办, 如何处理 — dropped too,
and they put procedures first). Their phrases are checked like the words: Q001 not a list, Q003
listed twice, Q005 empty, over ten characters or holding spaces or markup, and Q007 a phrase that
is also a word of a group (the query would lose the very word the group is for).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .load_memo import LoadMemo
from .diagnostics import Diagnostic, error, warning
from .load import load_yaml_file, relpath

SEARCH_TERMS_FILE = "cases/search-terms.yml"
_BAD = re.compile(r"[\s<>&\"'`\\]")


@dataclass
class TermGroup:
    terms: list[str]
    note: str = ""
    line: int = 1
    col: int = 1


@dataclass
class SearchTerms:
    groups: list[TermGroup] = field(default_factory=list)
    stop: list[str] = field(default_factory=list)  # fillers and question frames
    howto: list[str] = field(default_factory=list)  # how-to question frames (also dropped)
    problems: list[Diagnostic] = field(default_factory=list)


PHRASE_LISTS = {"stop": "去掉的字词（stop）", "howto": "问怎么办的说法（howto）"}
MAX_PHRASE = 10


def parse_search_terms(root: Path) -> SearchTerms:
    """Read and check the file's shape (not what the words match). A missing file is no groups."""
    path = root / SEARCH_TERMS_FILE
    out = SearchTerms()
    if not path.is_file():
        return out
    doc = load_yaml_file(path, root)
    rel = doc.rel
    if not doc.ok:
        out.problems.extend(doc.problems)
        return out
    data = doc.data
    if data is None:
        return out
    if not isinstance(data, dict) or not isinstance(data.get("groups", []), list):
        out.problems.append(error(rel, *doc.pos(()), "Q001", "搜索词文件应为“groups:”加一个列表，每项写 terms（词语列表）和可选的 note"))
        return out
    for key in data:
        if key != "groups" and key not in PHRASE_LISTS:
            out.problems.append(error(rel, *doc.key_or_value_pos((key,)), "Q002",
                                      f"搜索词文件里有未知字段“{key}”，顶层只能有 groups、stop 和 howto"))
    seen: dict[str, int] = {}
    for i, raw in enumerate(data.get("groups") or []):
        line, col = doc.pos(("groups", i))
        if not isinstance(raw, dict) or not isinstance(raw.get("terms"), list):
            out.problems.append(error(rel, line, col, "Q001", f"第 {i + 1} 组应为含 terms（词语列表）的映射，例如 terms: [长者, 老年人]"))
            continue
        for key in raw:
            if key not in ("terms", "note"):
                out.problems.append(error(rel, *doc.key_or_value_pos(("groups", i, key)), "Q002",
                                          f"第 {i + 1} 组有未知字段“{key}”，只能有 terms 和 note"))
        terms: list[str] = []
        for j, term in enumerate(raw["terms"]):
            tline, tcol = doc.pos(("groups", i, "terms", j))
            if not isinstance(term, str) and isinstance(term, (int, float)):
                term = str(term)
            if not isinstance(term, str) or len(term.strip()) < 2 or _BAD.search(term.strip()):
                out.problems.append(error(rel, tline, tcol, "Q005",
                                          f"第 {i + 1} 组的词语“{term}”不可用：至少两个字，不含空格和 < > & 引号等符号"))
                continue
            term = term.strip()
            key = term.casefold()
            if key in seen:
                where = "本组" if seen[key] == i else f"第 {seen[key] + 1} 组"
                out.problems.append(error(rel, tline, tcol, "Q003", f"词语“{term}”重复（{where}已有），删去这一处"))
                continue
            seen[key] = i
            terms.append(term)
        if len(terms) < 2:
            out.problems.append(error(rel, line, col, "Q006", f"第 {i + 1} 组只有 {len(terms)} 个可用的词，至少要两个才能互相替代"))
            if not terms:
                continue
        note = raw.get("note") or ""
        out.groups.append(TermGroup(terms, str(note), line, col))
    _phrases(doc, data, seen, out)
    return out


def _phrases(doc, data: dict, terms: dict[str, int], out: SearchTerms) -> None:
    """The stop and howto lists: each phrase once across both, plain, and never a group's word."""
    rel = doc.rel
    seen: dict[str, str] = {}
    for key, label in PHRASE_LISTS.items():
        raw = data.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            out.problems.append(error(rel, *doc.pos((key,)), "Q001", f"{label}应为一个列表，例如 {key}: [请问, 是不是]"))
            continue
        kept: list[str] = getattr(out, key)
        for j, phrase in enumerate(raw):
            pline, pcol = doc.pos((key, j))
            text = str(phrase).strip() if isinstance(phrase, (str, int, float)) else ""
            if not text or len(text) > MAX_PHRASE or _BAD.search(text):
                out.problems.append(error(rel, pline, pcol, "Q005",
                                          f"{label}里的“{phrase}”不可用：1–{MAX_PHRASE} 个字，不含空格和 < > & 引号等符号"))
                continue
            low = text.casefold()
            if low in seen:
                where = "本表" if seen[low] == key else PHRASE_LISTS[seen[low]]
                out.problems.append(error(rel, pline, pcol, "Q003", f"“{text}”重复（{where}已有），删去这一处"))
                continue
            if low in terms:
                out.problems.append(error(rel, pline, pcol, "Q007",
                                          f"“{text}”是第 {terms[low] + 1} 组的同义词，写进{label}会让它搜不到；从其中一处删去"))
                continue
            seen[low] = key
            kept.append(text)


def check_search_terms(root: Path, only: list[Path] | None = None, paths: list[Path] | None = None,
                       memo: LoadMemo | None = None, read: dict[Path, bytes] | None = None) -> list[Diagnostic]:
    """Every problem of the file, plus a warning for each group that matches no item's text.
    With `only` (some files checked), the file is checked only when it is among them. `paths`:
    the item files, when the caller has already listed them; `read`: bytes of some of them the
    caller has read already."""
    path = root / SEARCH_TERMS_FILE
    if not path.is_file():
        return []
    if only is not None and not any(relpath(p, root) == SEARCH_TERMS_FILE for p in only):
        return []
    parsed = parse_search_terms(root)
    problems = list(parsed.problems)
    if not parsed.groups:
        return problems
    if paths is None:
        paths = sorted(p for p in (root / "cases").rglob("*.md") if "media" not in p.parts)
    if memo is not None:
        missing = _missing_incremental(parsed.groups, paths, memo)
    else:
        read = read or {}
        text = "\n".join(read[p].decode("utf-8", errors="replace") if p in read
                         else p.read_text(encoding="utf-8", errors="replace") for p in paths).casefold()
        missing = [g for g in parsed.groups if not any(t.casefold() in text for t in g.terms)]
    for g in missing:
        problems.append(warning(relpath(path, root), g.line, g.col, "Q004",
                                f"这一组词（{'、'.join(g.terms[:4])}）在案例库里一处也找不到，搜索时不起作用；"
                                "至少写进一个案例库里用到的说法"))
    return problems


def _missing_incremental(groups: list[TermGroup], paths: list[Path], memo: LoadMemo) -> list[TermGroup]:
    """A preview: each item file's text (by mtime and size) and, per group, a file holding one of
    its terms are kept, so a rebuild after one edit reads one file, not the whole library."""
    _TEXTS, _FOUND = memo.texts, memo.found
    texts: dict[Path, str] = {}
    for p in paths:
        st = p.stat()
        hit = _TEXTS.get(p)
        if hit is None or hit[:2] != (st.st_mtime_ns, st.st_size):
            hit = _TEXTS[p] = (st.st_mtime_ns, st.st_size, p.read_text(encoding="utf-8", errors="replace").casefold())
        texts[p] = hit[2]
    for gone in set(_TEXTS) - set(texts):
        del _TEXTS[gone]
    missing = []
    for g in groups:
        terms = tuple(t.casefold() for t in g.terms)
        where = _FOUND.get(terms)
        if where in texts and any(t in texts[where] for t in terms):
            continue
        where = next((p for p, text in texts.items() if any(t in text for t in terms)), None)
        if where is None:
            _FOUND.pop(terms, None)
            missing.append(g)
        else:
            _FOUND[terms] = where
    return missing
