"""Known-wrong advice (`cases/forbidden-phrases.yml`): wording that would get staff in trouble.

The list is data, so a trainer who finds another wrong phrase adds one entry, no code. Each
entry, keyed by a short id: `pattern` (a Python regular expression), optional `unless` (if the same sentence
also matches it, the hit is a negation such as “不能以……为由”, not advice), `why` and `instead`.
`casebook check` reports every hit in an item's front matter or body as error C001, naming the
phrase, why it is wrong and what to say instead. A `## 错误示范` section exists to quote wrong
words, so it is not scanned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, error
from .load import Document, load_yaml_file
from .model_errors import loc_text
from .scan import strings

PHRASES_FILE = "cases/forbidden-phrases.yml"
EXEMPT_SECTIONS = ("错误示范",)
_QUOTING = re.compile(r"不要说|不说|不能说|错误示范|禁语")
_SENTENCE_END = re.compile(r"[。！？!?\n；;]")
_FIELDS = {"pattern", "unless", "why", "instead"}
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern
    why: str
    instead: str
    unless: re.Pattern | None = None


@dataclass(frozen=True)
class WrongAdvice:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # Each rule is first looked for once in a file's whole text (gate): almost no file holds
        # a wrong phrase, and one search per rule over the text is 2.4× cheaper than searching
        # every line (41,000 lines at 1,000 items: 0.27 s against 0.64 s with one alternation).
        object.__setattr__(self, "_gates", tuple(_gate(r.pattern) for r in self.rules))

    def in_text(self, text: str) -> tuple[Rule, ...]:
        """The rules that may hit somewhere in `text` (the lines of one file, joined)."""
        return tuple(r for r, gate in zip(self.rules, self._gates) if gate is None or gate.search(text))

    def find(self, text: str, rules: tuple[Rule, ...] | None = None) -> list[tuple[int, str, Rule]]:
        """(offset, matched phrase, rule) for every hit that is not negated in its sentence."""
        out: list[tuple[int, str, Rule]] = []
        for rule in self.rules if rules is None else rules:
            for m in rule.pattern.finditer(text):
                if rule.unless is not None and rule.unless.search(_sentence(text, m.start(), m.end())):
                    continue
                out.append((m.start(), m.group(0), rule))
        return out


# what makes a match depend on the text around it: anchors, word boundaries, lookarounds
_CONTEXT = re.compile(r"[\^$]|\\[bBAZ]|\(\?<?[=!]")
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_LEADING_LOOKBEHIND = re.compile(r"^\(\?<[=!][^()]*\)")


def _gate(pattern: re.Pattern) -> re.Pattern | None:
    """A pattern that finds, in a file's joined lines, at least whatever `pattern` finds in any
    one line: the pattern itself when nothing in it looks outside the match (a leading
    lookbehind dropped: without it the pattern only finds more). None: search every line."""
    source = _LEADING_LOOKBEHIND.sub("", pattern.pattern, count=1)
    if _CONTEXT.search(_CLASS.sub("", source)):  # ([^。！？] is a class, not an anchor)
        return None
    try:
        return re.compile(source, pattern.flags)
    except re.error:
        return None


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def load_wrong_advice(root: Path) -> tuple[WrongAdvice, list[Diagnostic]]:
    path = root / PHRASES_FILE
    if not path.is_file():
        return WrongAdvice(), []
    doc = load_yaml_file(path, root)
    if not doc.ok:
        return WrongAdvice(), doc.problems
    return parse_wrong_advice(doc)


def parse_wrong_advice(doc: Document) -> tuple[WrongAdvice, list[Diagnostic]]:
    """id → {pattern, unless, why, instead}; every problem reported at its line."""
    problems: list[Diagnostic] = list(doc.problems)
    data = doc.data if isinstance(doc.data, dict) else {}
    rules: list[Rule] = []
    for key, raw in data.items():
        line, col = doc.key_or_value_pos((key,))
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(error(doc.rel, line, col, "C002", f"标识“{key}”只能用小写英文字母、数字和连字符"))
            continue
        if not isinstance(raw, dict):
            problems.append(error(doc.rel, line, col, "F003", f"“{key}”应为含 pattern、why、instead 的映射"))
            continue
        bad = False
        for name in sorted(set(raw) - _FIELDS):
            l2, c2 = doc.key_or_value_pos((key, name))
            problems.append(error(doc.rel, l2, c2, "F002", f"未知字段“{name}”；可用字段：pattern、unless、why、instead"))
            bad = True
        for name in ("pattern", "why", "instead"):
            if not isinstance(raw.get(name), str) or not raw[name].strip():
                problems.append(error(doc.rel, line, col, "F001", f"“{key}”缺少文字字段 {name}"))
                bad = True
        compiled = {}
        for name in ("pattern", "unless"):
            if isinstance(raw.get(name), str):
                l2, c2 = doc.pos((key, name))
                try:
                    compiled[name] = re.compile(raw[name])
                except re.error as exc:
                    problems.append(error(doc.rel, l2, c2, "C002", f"{name} 不是有效的正则表达式：{exc}"))
                    bad = True
                    continue
                if risk := _runaway(raw[name]):
                    problems.append(error(doc.rel, l2, c2, "C003", f"{name} {risk}：这样的写法遇到长文本可能让检查"
                                          "（和 CI）卡住很久；重复次数请写上限，如 [^。！？\\n]{0,30}"))
                    bad = True
        if not bad:
            rules.append(Rule(key, compiled["pattern"], raw["why"].strip(), raw["instead"].strip(), compiled.get("unless")))
    return WrongAdvice(tuple(rules)), problems


def _runaway(source: str) -> str | None:
    """Why a pattern could backtrack for ever on a long text, if it could: Python's re has no
    time limit, and a pull request may edit this list. Rules only need bounded repeats."""
    import re._parser as sre

    def walk(items, inside: bool) -> str | None:
        for op, av in items:
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) or op.name == "POSSESSIVE_REPEAT":
                low, high, sub = av
                if high == sre.MAXREPEAT:
                    return "用了不限次数的重复（* + {n,}）"
                if inside and high > 1:
                    return "在重复的部分里又套了重复"
                if found := walk(sub, inside or high > 1):
                    return found
            elif op == sre.SUBPATTERN:
                if found := walk(av[-1], inside):
                    return found
            elif op == sre.BRANCH:
                for branch in av[1]:
                    if found := walk(branch, inside):
                        return found
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                if found := walk(av[1], inside):
                    return found
        return None

    try:
        return walk(sre.parse(source), False)
    except Exception:  # (re.compile accepted it; a parser detail we do not know: leave it)
        return None


def _exempt_lines(doc: Document) -> set[int]:
    """File lines that quote wrong words on purpose: a `## 错误示范` section, and block quotes
    right after a line that introduces them (“不要说：”)."""
    out, inside, lead = set(), False, ""
    for line_no, line in doc.body_lines():
        if line.startswith("## "):
            inside, lead = line[3:].strip() in EXEMPT_SECTIONS, ""
        elif inside or (line.lstrip().startswith(">") and _QUOTING.search(lead)):
            out.add(line_no)
        elif line.strip():
            lead = line
    return out


def wrong_advice_problems(doc: Document, advice: WrongAdvice) -> list[Diagnostic]:
    if not advice.rules or not doc.ok:
        return []
    out: list[Diagnostic] = []

    def report(line: int, col: int, where: str, phrase: str, rule: Rule) -> None:
        out.append(error(doc.rel, line, col, "C001",
                         f"{where}“{phrase}”是已知的错误说法（{rule.id}）：{rule.why}；应改为：{rule.instead}"))

    data = doc.data if isinstance(doc.data, dict) else {}
    fields = list(strings(data))
    lines = list(doc.body_lines())
    rules = advice.in_text("\n".join([*(t for _, t in fields), *(line for _, line in lines)]))
    if not rules:
        return out
    for path, text in fields:
        for offset, phrase, rule in advice.find(text, rules):
            line, col = doc.pos(path)
            report(line, col, f"{loc_text(path)}：", phrase, rule)
    exempt = _exempt_lines(doc)
    for line_no, line in lines:
        if line_no in exempt:
            continue
        for offset, phrase, rule in advice.find(line, rules):
            report(line_no, offset + 1, "正文：", phrase, rule)
    return out
