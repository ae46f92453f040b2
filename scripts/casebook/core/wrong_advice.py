"""Known-wrong advice (`cases/forbidden-phrases.yml`): wording that would get staff in trouble.

The list is data, so a trainer who finds another wrong phrase adds one entry, no code. Each
entry, keyed by a short id: `pattern` (a Python regular expression), optional `unless` (if the same sentence
also matches it, the hit is a negation such as “不能以……为由”, not advice), `why` and `instead`.
`casebook check` reports every hit in an item's front matter or body as error C001, naming the
phrase, why it is wrong and what to say instead. A `## 错误示范` section exists to quote wrong
words, so it is not scanned.

A pull request may edit this list, so a pattern is contributor-supplied code that runs on every
file: it runs in the `regex` package with a time limit (`timeout=`). Python's `re` has none, and a
pattern with bounded repeats side by side or an alternation under a bound backtracks
exponentially there. A rule is refused (C003, at its line) when it repeats without a bound, nests
repeats, runs past the limit on hostile probe texts when the list is loaded, or runs past the
limit on a file's text; a refused rule is not used for the rest of the run.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import regex

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
# One search of one rule over one file's text. The list's rules take microseconds on the longest
# item; a second leaves room for a loaded CI machine and still stops a runaway pattern early.
MATCH_SECONDS = 1.0
# All of one rule's searches in one process, in CPU seconds of the checking thread (wall time
# counted other processes' turns: on a loaded machine a 5,000-item check ran out of it with
# no slow rule at all): a rule tuned to stay just under MATCH_SECONDS on each file would
# otherwise cost seconds per file. The whole list takes milliseconds per run.
RULE_SECONDS = 3.0
MAX_PATTERN = 1000  # characters; the longest rule in the list has about 150
# Each probe text, when the list is loaded (a runaway pattern backtracks on its own characters).
PROBE_SECONDS = 0.2
PROBE_LENGTH = 200


class RuleTimeout(Exception):
    """A rule's pattern ran past its time limit on a text."""

    def __init__(self, rule: "Rule") -> None:
        super().__init__(rule.id)
        self.rule = rule


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: regex.Pattern
    why: str
    instead: str
    unless: regex.Pattern | None = None
    line: int = 1  # where the pattern is written in cases/forbidden-phrases.yml
    col: int = 1


@dataclass(frozen=True)
class WrongAdvice:
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        # Each rule is first looked for once in a file's whole text (gate): almost no file holds
        # a wrong phrase, and one search per rule over the text is 2.4× cheaper than searching
        # every line (41,000 lines at 1,000 items: 0.27 s against 0.64 s with one alternation).
        object.__setattr__(self, "_gates", tuple(_gate(r.pattern) for r in self.rules))
        # rules that ran out of time in this process: reported once, then no longer searched
        object.__setattr__(self, "timed_out", set())
        object.__setattr__(self, "spent", {})  # rule id → seconds its searches took in this process

    def in_text(self, text: str) -> tuple[Rule, ...]:
        """The rules that may hit somewhere in `text` (the lines of one file, joined).
        Raises RuleTimeout for a rule whose search runs past MATCH_SECONDS."""
        out = []
        for rule, gate in zip(self.rules, self._gates):
            if rule.id in self.timed_out:
                continue
            if gate is None or self._timed(rule, gate.search, text):
                out.append(rule)
        return tuple(out)

    def find(self, text: str, rules: tuple[Rule, ...] | None = None) -> list[tuple[int, str, Rule]]:
        """(offset, matched phrase, rule) for every hit that is not negated in its sentence.
        Raises RuleTimeout for a rule whose search runs past MATCH_SECONDS."""
        out: list[tuple[int, str, Rule]] = []
        for rule in self.rules if rules is None else rules:
            if rule.id in self.timed_out:
                continue
            for m in self._timed(rule, rule.pattern.finditer, text):
                if rule.unless is not None and self._timed(rule, rule.unless.search, _sentence(text, m.start(), m.end())):
                    continue
                out.append((m.start(), m.group(0), rule))
        return out

    def _timed(self, rule: Rule, search, text: str):
        """search(text, timeout=…) (a regex Pattern's method) within the rule's time left;
        a finditer is read to the end here, so that its time counts."""
        left = min(MATCH_SECONDS, RULE_SECONDS - self.spent.get(rule.id, 0.0))
        started = time.thread_time()
        try:
            if left <= 0:
                raise TimeoutError
            found = search(text, timeout=left)
            if search.__name__ == "finditer":
                found = list(found)
            return found
        except TimeoutError:
            raise RuleTimeout(rule) from None
        finally:
            self.spent[rule.id] = self.spent.get(rule.id, 0.0) + time.thread_time() - started


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
        return regex.compile(source, pattern.flags)
    except regex.error:
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
                if len(raw[name]) > MAX_PATTERN:
                    problems.append(error(doc.rel, l2, c2, "C003", f"{name} 有 {len(raw[name])} 个字符，最多 "
                                          f"{MAX_PATTERN} 个；请拆成几条规则"))
                    bad = True
                    continue
                try:
                    compiled[name] = regex.compile(raw[name])
                except (regex.error, ValueError, OverflowError) as exc:
                    problems.append(error(doc.rel, l2, c2, "C002", f"{name} 不是有效的正则表达式：{exc}"))
                    bad = True
                    continue
                if risk := _runaway(raw[name]):
                    problems.append(error(doc.rel, l2, c2, "C003", f"{name} {risk}：这样的写法遇到长文本可能让检查"
                                          "（和 CI）卡住很久；重复次数请写上限，如 [^。！？\\n]{0,30}"))
                    bad = True
                elif _too_slow(compiled[name], raw[name]):
                    problems.append(error(doc.rel, l2, c2, "C003", f"{name} 在测试文字上超过 {PROBE_SECONDS:g} 秒还没有"
                                          f"找完（{SLOW_HINT}）"))
                    bad = True
        if not bad:
            line, col = doc.pos((key, "pattern"))
            rules.append(Rule(key, compiled["pattern"], raw["why"].strip(), raw["instead"].strip(),
                              compiled.get("unless"), line, col))
    return WrongAdvice(tuple(rules)), problems


SLOW_HINT = ("并列的限次重复或限次重复里的“或”（|）会让匹配成倍地试；请把规则拆成几条简单的，"
             "或把可选部分写成 [^。！？\\n]{0,30} 这样的一段")
_META = set("\\^$.|?*+()[]{}")


def probe_texts(source: str) -> list[str]:
    """Texts a runaway pattern backtracks on: long runs of each character the pattern names
    (and of all of them in turn), each ending in a character no rule names."""
    chars = sorted({c for c in source if c not in _META and c.isprintable() and not c.isspace()})[:40]
    runs = [c * PROBE_LENGTH for c in chars] + ["".join(chars) * (PROBE_LENGTH // max(len(chars), 1) + 1)]
    return [run + "\x00" for run in runs]


def _too_slow(pattern: regex.Pattern, source: str) -> bool:
    try:
        for text in probe_texts(source):
            for _ in pattern.finditer(text, timeout=PROBE_SECONDS):
                pass
    except TimeoutError:
        return True
    return False


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
    data = doc.data if isinstance(doc.data, dict) else {}
    fields = list(strings(data))
    lines = list(doc.body_lines())
    refused: list[Diagnostic] = []
    while True:  # a rule that runs out of time is refused and dropped, and the file searched again
        try:
            return _hits(doc, advice, fields, lines) + refused
        except RuleTimeout as exc:
            advice.timed_out.add(exc.rule.id)
            refused.append(error(PHRASES_FILE, exc.rule.line, exc.rule.col, "C003",
                                 f"规则 {exc.rule.id} 的 pattern 在条目文字上一次超过 {MATCH_SECONDS:g} 秒或合计超过 {RULE_SECONDS:g} 秒，"
                                 f"这次检查不再使用它（{SLOW_HINT}）"))


def _hits(doc: Document, advice: WrongAdvice, fields: list, lines: list) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def report(line: int, col: int, where: str, phrase: str, rule: Rule) -> None:
        out.append(error(doc.rel, line, col, "C001",
                         f"{where}“{phrase}”是已知的错误说法（{rule.id}）：{rule.why}；应改为：{rule.instead}"))

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
