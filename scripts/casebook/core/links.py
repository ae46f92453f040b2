"""Links in an item's Markdown body that point at other items: they must exist (R070).

An editor links to another item the way MkDocs resolves it from the item's own page:
`[老年客户服务指引](../guides/elderly-customers.md)`; the site's URL (`/guides/elderly-customers/`)
works too. Any link whose path, resolved from the item's folder, lands in an item folder
(complaints/, guides/ …) must name an item that exists, or the page would link to nothing.
Links with a scheme (https:, mailto:) and in-page anchors are not items; fenced code is skipped.
"""
from __future__ import annotations

import posixpath
import re
from typing import Iterable

from .markdown import prose_lines

# [text](target "title") and [text]: target — enough for what editors write.
_INLINE_RE = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFDEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def body_links(body: str, first_line: int) -> Iterable[tuple[int, int, str]]:
    """(file line, column, target) of every link in the body outside fenced code."""
    for i, line in prose_lines(body):
        ref = _REFDEF_RE.match(line)
        if ref:
            yield first_line + i, ref.start(1) + 1, ref.group(1)
            continue
        for m in _INLINE_RE.finditer(line):
            yield first_line + i, m.start(1) + 1, m.group(1)


def linked_item(item_id: str, target: str, folders: Iterable[str]) -> str | None:
    """The item id a link target points at, or None when it points at no item folder."""
    if not target or target.startswith("#") or _SCHEME_RE.match(target) or target.startswith("//"):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return None
    if path.startswith("/"):
        resolved = posixpath.normpath(path.lstrip("/"))
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(item_id), path))
    parts = [p for p in resolved.split("/") if p and p != "."]
    if len(parts) < 2 or parts[0] not in set(folders):
        return None
    slug = parts[1]
    if len(parts) == 2 and slug in ("index.md", "index.html"):
        return None  # the type's list page
    if len(parts) > 2 and parts[2:] not in (["index.html"], ["index.md"]):
        return "/".join(parts)  # deeper than an item: no such item
    for suffix in (".md", ".html"):
        slug = slug.removesuffix(suffix)
    return f"{parts[0]}/{slug}"
