"""The command line's own words in Chinese: argparse's messages for a command called wrongly (the
one line for exit 2) and the frame of every `--help` ("usage:", "options:", "show this help
message and exit"). argparse words them in English; these are the ones a casebook command meets."""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata

# (argparse's wording, in the order it tries them) → the same in Chinese; {0}, {1}… are the parts
_WORDS = [
    (r"unrecognized arguments: (.+)", "不认识的参数：{0}"),
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
    (r"one of the arguments (.+) is required", "这几个参数必须给一个：{0}"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面要跟一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0} 后面至少要跟一个值"),
    (r"argument (\S+): expected at most one argument", "参数 {0} 后面最多跟一个值"),
    (r"argument 命令: invalid choice: (.+?) \(choose from (.+)\)", "没有这个命令：{0}，可选：{1}"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0} 不能是 {1}，可选：{2}"),
    (r"argument (\S+): invalid (\S+) value: (.+)", "参数 {0} 的值 {2} 不对"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能和 {1} 一起用"),
    (r"argument (\S+): ignored explicit argument (.+)", "参数 {0} 不接受值 {1}"),
    (r"ambiguous option: (\S+) could match (.+)", "参数 {0} 不完整，可能是：{1}"),
]


def chinese(message: str) -> str:
    """argparse's error message in Chinese; one it does not know, as it is."""
    for pattern, words in _WORDS:
        m = re.fullmatch(pattern, message.strip())
        if m:
            return words.format(*m.groups())
    return message


# the headings argparse gives its own argument groups (3.10+ says "options", older "optional arguments")
_USAGE = "用法："
_HEADINGS = {"positional arguments": "参数", "options": "选项", "optional arguments": "选项"}


class ChineseHelp(argparse.HelpFormatter):
    """`--help` framed in Chinese: "用法：" for "usage:", and the groups' headings."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _USAGE if prefix is None else prefix)

    def start_section(self, heading):
        super().start_section(_HEADINGS.get(heading, heading))


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _for_terminal(text: str) -> str:
    """Help as a terminal shows it. argparse pads each option ("--root 目录") to the help column
    by characters, and a Chinese character takes two columns: the column is found again by
    display width, and every help line (first and wrapped) moved to it. Headings end in "：". """
    lines = text.split("\n")
    entry = re.compile(r"( +\S.*?)( {2,})(\S.*)")
    starts = {i: m for i, line in enumerate(lines) if (m := entry.fullmatch(line))}
    if not starts:
        return text
    column = max(len(m[1]) + len(m[2]) for m in starts.values())  # argparse's, in characters
    wanted = max([column] + [_columns(m[1]) + 2 for m in starts.values()])
    out, usage = [], False
    for i, line in enumerate(lines):
        if line.startswith(_USAGE) or (usage and line.startswith(" ")):  # a long usage line's next lines
            usage = True
            line = line if line.startswith(_USAGE) else " " * (_columns(_USAGE) - len(_USAGE)) + line
        elif line.endswith(":") and line[:-1] in _HEADINGS.values():
            line, usage = line[:-1] + "：", False
        elif i in starts and len(starts[i][1]) + len(starts[i][2]) == column:
            line = starts[i][1] + " " * (wanted - _columns(starts[i][1])) + starts[i][3]
        elif line.startswith(" " * column) and line[column:column + 1].strip():
            line = " " * wanted + line[column:]  # a help text's wrapped line, or under a long option
        else:
            usage = False
        out.append(line)
    return "\n".join(out)


class ChineseParser(argparse.ArgumentParser):
    """An argparse parser that speaks Chinese: its `-h` and `--help`, its help's frame, and its
    errors (one line, exit 2, pointing to the command's own help)."""

    def __init__(self, *args, **kwargs):
        kwargs["add_help"] = False  # (argparse's own -h says "show this help message and exit")
        kwargs.setdefault("formatter_class", ChineseHelp)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示这段说明后退出")

    def format_help(self) -> str:
        return _for_terminal(super().format_help())

    def error(self, message: str) -> None:  # argparse exits 2 already
        print(f"casebook: 用法错误：{chinese(message)}；用法见 {self.prog} --help", file=sys.stderr)
        raise SystemExit(2)
