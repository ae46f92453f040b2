"""What a phone number in a contact field is: an outlet's landline, extension or a public number
may be printed; a personal mobile may not. For callers that accept an outlet's own numbers
(outlet contacts) and must still refuse a customer's mobile (guards.privacy finds those in text).
"""
from __future__ import annotations

import re

from .normalise import normalise
from .privacy import mobile_ok

_SEPARATORS = re.compile(r"[ .\-/_()（）+]")
# Short public numbers: emergency (110 119 120 122), service hotlines (12345 12363 12378 …),
# carriers and banks (10086, 95xxx, 96xxx).
_PUBLIC_RE = re.compile(r"1\d{2}|1\d{4}|9[56]\d{3,5}|[48]00\d{7}")
# An area code (3–4 digits from 0) and a local number of 7–8 digits not starting with 0 or 1.
_LANDLINE_FULL_RE = re.compile(r"0\d{2,3}[2-9]\d{6,7}")


def number_kind(number: str) -> str:
    """What a phone number written in a contact field is, for callers that accept an outlet's
    own numbers: "mobile" (a personal mobile: never a public contact), "public" (110, 12363,
    95566, 400-/800- numbers), "landline" (an area code and a local number, an extension
    allowed: 0571-88881234 转 801), "extension" (a short internal number, 801), or "unknown"."""
    text = normalise(number).text.strip()
    main, ext = _split_extension(text)
    digits = _SEPARATORS.sub("", main)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit() or (ext and not ext.isdigit()):
        return "unknown"
    if len(digits) == 11 and digits[0] == "1" and mobile_ok(digits):
        return "mobile"
    if _PUBLIC_RE.fullmatch(digits):
        return "public"
    if _LANDLINE_FULL_RE.fullmatch(_SEPARATORS.sub("", main)):
        return "landline"
    if 2 <= len(digits) <= 6:
        return "extension"
    return "unknown"


def _split_extension(text: str) -> tuple[str, str]:
    """0571-88881234 转 801 / 0571-88881234-801 → ("0571-88881234", "801")."""
    parts = re.split(r"\s*(?:转|分机|ext\.?|#)\s*", text, maxsplit=1, flags=re.I)
    if len(parts) == 2:
        return parts[0], _SEPARATORS.sub("", parts[1])
    m = re.fullmatch(r"(\(?0\d{2,3}\)?[ -]?\d{7,8})[ -](\d{1,5})", text)
    if m:
        return m.group(1), m.group(2)
    return text, ""
