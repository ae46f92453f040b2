"""Safety guard: contributed Markdown is untrusted.

Flags, anywhere in the text (code blocks included — a parser disagreement must not open a
hole): dangerous HTML tags, `on…=` event attributes, `javascript:`/`data:`/`vbscript:` link
targets (also when hidden with entities or whitespace), and `{: onclick=…}` attribute lists.
The site sanitises its rendered HTML as well; this check tells the editor early, with a line.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    code: str
    message: str


_TAGS = "script|iframe|frame|frameset|object|embed|applet|style|form|base|meta|link|svg|math"
_TAG_RE = re.compile(rf"<\s*/?\s*({_TAGS})(?=[\s/>]|$)", re.IGNORECASE)
_EVENT_RE = re.compile(r"<[a-zA-Z][^>]*?[\s\"'/](on[a-zA-Z]+)\s*=", re.DOTALL)
# Places where a URL can sit: Markdown link/image targets, reference definitions, autolinks,
# HTML attributes, and attribute lists.
_TARGET_RES = [  # (text that must be present for the pattern to be tried, pattern)
    ("](", re.compile(r"\]\(\s*<?([^)\s>]*)")),
    ("]:", re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE)),
    ("<", re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>")),
    ("=", re.compile(r"\b(?:href|src|action|formaction|xlink:href|poster|background|srcset)\s*=\s*[\"']?([^\"'>\s]+)",
                     re.IGNORECASE)),
]
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_EVENT_RE = re.compile(r"(?:^|[\s{:])on[a-zA-Z]+\s*=")


def _scheme(target: str) -> str:
    """The scheme as a browser would see it: entities decoded, whitespace and controls dropped."""
    decoded = html.unescape(html.unescape(target))
    return re.sub(r"[\x00-\x20\x7f]", "", decoded).lower()


def scan(text: str) -> list[Finding]:
    found: list[Finding] = []
    if "<" in text:
        for m in _TAG_RE.finditer(text):
            found.append(Finding(m.start(), m.end(), "H001",
                                 f"不允许使用 HTML 标签 <{m.group(1).lower()}>；请只用 Markdown 文字"))
        for m in _EVENT_RE.finditer(text):
            found.append(Finding(m.start(1), m.end(1), "H002",
                                 f"不允许的事件属性 {m.group(1)}=；请删除"))
    for needle, rx in _TARGET_RES:
        if needle not in text:
            continue
        for m in rx.finditer(text):
            target = _scheme(m.group(1))
            if target.startswith(_BAD_SCHEMES):
                scheme = target.split(":", 1)[0]
                found.append(Finding(m.start(1), m.end(1), "H003",
                                     f"不允许 {scheme}: 链接；链接只能是 http(s) 网址或站内页面"))
    if "{" in text:
        for m in _ATTR_LIST_RE.finditer(text):
            inner = m.group(0)
            if _ATTR_EVENT_RE.search(inner):
                found.append(Finding(m.start(), m.end(), "H004",
                                     "不允许在属性列表 {: …} 里写事件属性（on…=）；请删除"))
            elif any(s in _scheme(inner) for s in _BAD_SCHEMES):
                found.append(Finding(m.start(), m.end(), "H003", "不允许在属性列表里写 javascript:/data: 链接"))
    # one finding per place: the same span may match two target patterns
    unique = {(f.start, f.code): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.start, f.code))
