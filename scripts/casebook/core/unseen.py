"""Characters an editor cannot see in a short value (a vocabulary value, an item id): pasted from
Word, a web page or a chat, they make a value that looks right fail to match, and a message that
suggests exactly what the editor already sees. `unseen` names them."""
from __future__ import annotations

NAMES = {"\u200b": "零宽空格 U+200B", "\u200c": "零宽非连接符 U+200C", "\u200d": "零宽连接符 U+200D",
         "\u2060": "零宽不换行空格 U+2060", "\ufeff": "零宽不换行空格 U+FEFF", "\u00ad": "软连字符 U+00AD",
         "\u00a0": "不换行空格 U+00A0", "\u3000": "全角空格 U+3000"}


def unseen(value: str) -> tuple[str, str] | None:
    """(the value without them, what they are) when `value` holds such characters or starts or
    ends with a space; None otherwise."""
    found = [NAMES[c] for c in dict.fromkeys(value) if c in NAMES]
    cleaned = "".join(c for c in value if c not in NAMES).strip()
    if not found and cleaned == value:
        return None
    return cleaned, "、".join(found) or "开头或结尾的空格"
