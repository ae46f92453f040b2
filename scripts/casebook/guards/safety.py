"""Safety guard: contributed Markdown is untrusted.

Flags, anywhere in the text (code blocks included — a parser disagreement must not open a
hole): dangerous HTML tags, `on…=` event attributes, `javascript:`/`data:`/`vbscript:` link
targets (also when hidden with entities or whitespace), `{: onclick=…}` attribute lists, and
the attributes the site's scripts and the theme use to find their own elements (id, class,
name, style, data-*: H057), in start tags read as a browser reads them (a `>` inside a quoted
value does not end the tag).
The site sanitises its rendered HTML as well; this check tells the editor early, with a line.

Also flagged: images that a reader's phone (or the pack renderer) would fetch from elsewhere —
an http(s) or protocol-relative URL, a `file:` URL, an absolute or `../` path — in a Markdown
image, an `<img src>`/`srcset`, a reference-style image or a CSS `url()` (H051); imitations of
casebook's own copy buttons (H053); and bidi controls such as U+202E (H050). The text is
scanned as a browser reads it: entities decoded and Unicode normalised first (guards.normalise).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .normalise import controls, normalise


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    code: str
    message: str


_TAGS = "script|iframe|frame|frameset|object|embed|applet|style|form|base|meta|link|svg|math"
_TAG_RE = re.compile(rf"<\s*/?\s*({_TAGS})(?=[\s/>]|$)", re.IGNORECASE)
# A start tag as a browser reads it: a `>` inside a quoted value does not end it (possessive:
# linear on any text). Its attributes: event handlers (H002), and the ones the site's own
# scripts and the theme read to find their elements — id, class, name, style, data-* (H057).
_START_TAG_RE = re.compile(r"""<[a-zA-Z](?:[^"'>]++|"[^"]*+"|'[^']*+')*+""")
_ATTR_RE = re.compile(r"""[\s"'/]((on[a-z]+)|id|class|name|style|data-[\w.:-]*)\s*=""", re.IGNORECASE)
# Places where a URL can sit: Markdown link/image targets, reference definitions, autolinks,
# HTML attributes, and attribute lists.
_TARGET_RES = [  # (text that must be present for the pattern to be tried, pattern)
    ("](", re.compile(r"\]\(\s*<?([^)\s>]*)")),
    ("]:", re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+)", re.MULTILINE)),
    ("<", re.compile(r"<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>")),
    # (a quoted value is taken whole: a decoded tab or newline entity inside `jav&#9;ascript:`
    # must not cut it short)
    ("=", re.compile(r"\b(?:href|src|action|formaction|xlink:href|poster|background|srcset)\s*=\s*"
                     r"(\"[^\"]*\"|'[^']*'|[^\"'>\s]+)", re.IGNORECASE)),
]
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_ATTR_LIST_RE = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_EVENT_RE = re.compile(r"(?:^|[\s{:])on[a-zA-Z]+\s*=", re.IGNORECASE)
# Where an image (or anything a page loads by itself) names its source.
_IMAGE_RES = [
    ("![", re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]*)")),
    ("=", re.compile(r"\b(?:src|srcset|poster|background|data|xlink:href)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
                     re.IGNORECASE)),
    ("url", re.compile(r"\burl\(\s*[\"']?([^)\"'\s]*)", re.IGNORECASE)),
    ("@import", re.compile(r"@import\s+[\"']?([^\"';\s]+)", re.IGNORECASE)),
]
_REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_REF_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?(?!\()")
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*:")
_COPY_RE = re.compile(r"\bcb-cop(?:y|ied)\b|\bdata-copy\b", re.IGNORECASE)


def _scheme(target: str) -> str:
    """The scheme as a browser would see it: entities decoded, whitespace and controls dropped."""
    decoded = html.unescape(html.unescape(target))
    return re.sub(r"[\x00-\x20\x7f]", "", decoded).lower()


def outside_source(target: str) -> bool:
    """A source the reader's browser or the pack renderer would fetch from outside cases/media/:
    any URL with a scheme (http:, file:, …), //host, an absolute path, or a ../ segment."""
    t = _scheme(target.strip().strip("\"'"))
    t = t.replace("\\", "/")
    return bool(_SCHEME_RE.match(t)) or t.startswith("/") or ".." in t.split("/") or "%2e%2e" in t


def external_source(target: str) -> bool:
    """A source on another host (or another scheme): http(s):, file:, data:, //host."""
    t = _scheme(target.strip().strip("\"'")).replace("\\", "/")
    return bool(_SCHEME_RE.match(t)) or t.startswith("//")


_IMAGE_MESSAGE = ("不允许引用外部或本地其他位置的图片（{what}）：员工手机会去请求它，培训包会去读取它；"
                  "图片请放进 cases/media/，在故事的 images 里写 media/文件名")


def _is_image(text: str, target_at: int) -> bool:
    """Whether the Markdown target starting at `target_at` is an image's (`![…](target)`)."""
    opening = text.rfind("[", 0, text.rfind("]", 0, target_at))
    return opening > 0 and text[opening - 1] == "!"


def _images(text: str) -> list[Finding]:
    found: list[Finding] = []
    for needle, rx in _IMAGE_RES:
        if needle not in text and needle.upper() not in text:
            continue
        for m in rx.finditer(text):
            value = m.group(1)
            targets = [v.strip().split()[0] for v in value.strip("\"'").split(",") if v.strip()] \
                if "srcset" in m.group(0).lower() else [value]
            if any(outside_source(t) for t in targets):
                found.append(Finding(m.start(1), m.end(1), "H051", _IMAGE_MESSAGE.format(what=value.strip("\"'")[:60])))
    if "![" in text and "]:" in text:
        defs = {m.group(1).strip().lower(): m.group(2) for m in _REF_DEF_RE.finditer(text)}
        for m in _REF_IMAGE_RE.finditer(text):
            label = (m.group(2) or m.group(1)).strip().lower()
            target = defs.get(label)
            if target is not None and outside_source(target):
                found.append(Finding(m.start(), m.end(), "H051", _IMAGE_MESSAGE.format(what=target[:60])))
    return found


# C0 controls but tab and line ends, DEL and C1: invisible, they break XML (a Word form) and can
# drive a terminal (ESC sequences)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_findings(text: str) -> list[Finding]:
    """Bidi and other control characters in the text as written (normalising removes some)."""
    found = [Finding(at, at + 1, "H050",
                     f"不允许的双向文本控制字符 {code}（它让文字显示得和实际内容不同）；请删除")
             for at, code in controls(text)]
    if _CONTROL_RE.search(text):
        found += [Finding(m.start(), m.end(), "H056", f"不允许的控制字符 U+{ord(m.group()):04X}（看不见，"
                          "会弄坏 Word 表单和终端输出，常见于从别的软件复制的文字）；请删除后重新输入这几个字")
                  for m in _CONTROL_RE.finditer(text)]
    return found


def scan(text: str, normalised: bool = False) -> list[Finding]:
    """Findings at the input's offsets; the text is normalised first unless the caller says it
    already is (then bidi controls, which normalising removes, are the caller's to report)."""
    if normalised:
        return _scan(text)
    norm = normalise(text)
    found = [Finding(norm.orig(f.start), max(norm.orig(f.end), norm.orig(f.start) + 1), f.code, f.message)
             for f in _scan(norm.text)] if norm.text is not text else _scan(text)
    return sorted(found + control_findings(text), key=lambda f: (f.start, f.code))


def _scan(text: str) -> list[Finding]:
    found: list[Finding] = []
    if "<" in text:
        for m in _TAG_RE.finditer(text):
            found.append(Finding(m.start(), m.end(), "H001",
                                 f"不允许使用 HTML 标签 <{m.group(1).lower()}>；请只用 Markdown 文字"))
        for tag in _START_TAG_RE.finditer(text):
            for m in _ATTR_RE.finditer(text, tag.start(), tag.end()):
                name = m.group(1)
                if m.group(2):
                    found.append(Finding(m.start(1), m.end(1), "H002", f"不允许的事件属性 {name}=；请删除"))
                else:
                    found.append(Finding(m.start(1), m.end(1), "H057",
                                         f"不允许在 HTML 里写 {name}= 属性（站点的脚本和主题靠它找自己的元素）；"
                                         "请只用 Markdown 文字"))
    for needle, rx in _TARGET_RES:
        if needle not in text:
            continue
        for m in rx.finditer(text):
            target = _scheme(m.group(1).strip("\"'"))
            # any scheme but http(s): javascript: runs, and tel:, sms:, mailto: pose as the
            # plan's own numbers (the site and the pack drop them; the checker says so first)
            if target.startswith(_BAD_SCHEMES) or (_SCHEME_RE.match(target) and not target.startswith(("http:", "https:"))
                                                   and not _is_image(text, m.start(1))):  # (an image's source: H051)
                scheme = target.split(":", 1)[0]
                found.append(Finding(m.start(1), m.end(1), "H003",
                                     f"不允许 {scheme}: 链接；链接只能是 http(s) 网址或站内页面（电话号码直接写出，不要做成链接）"))
    if "{" in text:
        for m in _ATTR_LIST_RE.finditer(text):
            inner = m.group(0)
            if _ATTR_EVENT_RE.search(inner):
                found.append(Finding(m.start(), m.end(), "H004",
                                     "不允许在属性列表 {: …} 里写事件属性（on…=）；请删除"))
            elif any(s in _scheme(inner) for s in _BAD_SCHEMES):
                found.append(Finding(m.start(), m.end(), "H003", "不允许在属性列表里写 javascript:/data: 链接"))
    tags = {f.start for f in found if f.code == "H001"}  # an <iframe src=…> is reported once, as a tag
    found += [f for f in _images(text) if text.rfind("<", 0, f.start) not in tags
              and not any(g.start < f.end and f.start < g.end for g in found)]
    if "cb-" in text or "data-" in text.lower():
        for m in _COPY_RE.finditer(text):
            found.append(Finding(m.start(), m.end(), "H053",
                                 "不允许仿造站点的复制按钮（cb-copy / data-copy）：话术请写在 phrases 里，站点会自动加复制按钮"))
    # one finding per place: the same span may match two target patterns
    unique = {(f.start, f.code): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.start, f.code))
