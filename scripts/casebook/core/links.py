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


# the whole inline link: [text](target "title"), an image's ! kept apart; and a reference [text][label]
_INLINE_WHOLE_RE = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
_REFERENCE_RE = re.compile(r"\[([^\]\n]*)\]\[([^\]\n]*)\]")
_LABEL_RE = re.compile(r"\s*\[([^\]\n]+)\]")


def link_texts(markdown: str) -> str:
    """The words a reader sees of the links: every link and image by its text, a reference
    definition ([label]: target, shown as nothing) dropped, [text][label] by its text."""
    text = "\n".join("" if _REFDEF_RE.match(line) else line for line in markdown.split("\n"))
    return _REFERENCE_RE.sub(lambda m: m.group(1), _INLINE_WHOLE_RE.sub(lambda m: m.group(2), text))


def unlink_hidden(body: str, item_id: str, folders: Iterable[str], shown) -> str:
    """The body with every link to an item that `shown(id)` says is not on this site reduced to
    its text: a public site leaves internal items out, and a link to one would lead nowhere
    (and name an internal page). A reference definition to such an item is dropped and the
    references using its label keep their text. Fenced code is left as written."""
    folders = tuple(folders)
    lines = body.split("\n")
    hidden_labels: set[str] = set()

    def hidden(target: str) -> bool:
        ref = linked_item(item_id, target, folders)
        return ref is not None and not shown(ref)

    prose = list(prose_lines(body))
    for i, line in prose:
        ref = _REFDEF_RE.match(line)
        if ref and hidden(ref.group(1)):
            hidden_labels.add(_LABEL_RE.match(line).group(1).strip().lower())
            lines[i] = ""
    for i, line in prose:
        if _REFDEF_RE.match(line):
            continue
        line = _INLINE_WHOLE_RE.sub(lambda m: m.group(2) if not m.group(1) and hidden(m.group(3)) else m.group(0),
                                    lines[i])
        if hidden_labels:  # [text][label], [label][] and [label] of a dropped definition: their text
            line = _REFERENCE_RE.sub(lambda m: m.group(1) if (m.group(2) or m.group(1)).strip().lower() in hidden_labels
                                     else m.group(0), line)
            line = re.sub(r"\[([^\]\n]+)\](?![\[(:])",
                          lambda m: m.group(1) if m.group(1).strip().lower() in hidden_labels else m.group(0), line)
        lines[i] = line
    return "\n".join(lines)


def linked_items(body: str, item_id: str, folders: Iterable[str]) -> set[str]:
    """The ids of the items the body links to."""
    folders = tuple(folders)
    return {ref for _, _, target in body_links(body, 1) if (ref := linked_item(item_id, target, folders)) is not None}
