"""argparse's messages for a command called wrongly, in Chinese (the command line's one line for
exit 2). argparse words them in English; these are the ones a casebook command can meet."""
from __future__ import annotations

import re

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
