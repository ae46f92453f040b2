"""Characters an editor cannot see in a short value (a vocabulary value, an item id): pasted from
Word, a web page or a chat, they make a value that looks right fail to match, and a message that
suggests exactly what the editor already sees. `unseen` names them: the privacy guard's
zero-width characters, and the spaces that are not one."""
from __future__ import annotations

from ..guards.normalise import ZERO_WIDTH

_NAMED = {"\u200b": "零宽空格", "\u00ad": "软连字符", "\u00a0": "不换行空格", "\u3000": "全角空格"}
UNSEEN = frozenset(ZERO_WIDTH) | {"\u00a0", "\u3000"}


def _name(ch: str) -> str:
    return f"{_NAMED.get(ch, '零宽字符')} U+{ord(ch):04X}"


def unseen(value: str) -> tuple[str, str] | None:
    """(the value without them, what they are) when `value` holds such characters or starts or
    ends with a space; None otherwise."""
    found = [_name(c) for c in dict.fromkeys(value) if c in UNSEEN]
    cleaned = "".join(c for c in value if c not in UNSEEN).strip()
    if not found and cleaned == value:
        return None
    return cleaned, "、".join(found) or "开头或结尾的空格"
