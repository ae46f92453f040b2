"""The site's last line of defence: what the checker let through is made harmless here.

- `plain_title`: a page title as plain text. Material writes `{{ page.title | striptags }}`
  into <title>, and striptags *unescapes* entities, so `&lt;svg onload=…&gt;` in a title
  becomes live markup. The title is decoded, stripped of tags and controls, and the few
  characters that could start markup are replaced by their full-width forms (＜＞＆＂＇),
  which no unescaping turns back.
- `attribute_filter` (for nh3): images load only from the site itself (no http(s):, //host,
  file: or data: sources), and no element from content keeps casebook's copy-button
  markers (class cb-copy, data-copy): the only copy buttons are the ones casebook writes.
- `clean_html`: bidi and zero-width controls removed from the rendered page.
- `docs_file_allowed`: docs/ publishes Markdown pages and images only, never a symlink or a
  file that resolves outside docs/.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from ..core.docs_names import SUFFIXES
from ..guards.normalise import BIDI, strip_controls
from ..guards.safety import external_source

_TAG = re.compile(r"<[^>]*>")
_FULL_WIDTH = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})
_RESOURCE_ATTRS = {"src", "srcset", "poster", "background", "data"}
_MARKERS = {"cb-copy", "cb-copied"}
DOCS_SUFFIXES = set(SUFFIXES)  # (the checker's own list: core/docs_names.py)


def plain_title(title: str) -> str:
    text = str(title)
    for _ in range(4):  # &amp;lt; → &lt; → <
        step = html.unescape(text)
        if step == text:
            break
        text = step
    text = _TAG.sub("", strip_controls(text))
    return text.translate(_FULL_WIDTH).strip()


def attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in _RESOURCE_ATTRS:
        return None if external_source(value) else value
    if attribute == "data-copy":
        return None
    if attribute == "class" and "cb-cop" in value:
        kept = [c for c in value.split() if c not in _MARKERS]
        return " ".join(kept) or None
    return value


_CONTROLS = re.compile(f"[{BIDI}\u200b\u2060\ufeff]")


def clean_html(text: str) -> str:
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def docs_file_allowed(path: Path, docs_dir: Path, config) -> bool:
    """A file MkDocs found under docs_dir that may be published; theme files pass untouched."""
    try:
        path.relative_to(docs_dir)
    except ValueError:
        return True  # theme and custom_dir files: casebook's own
    if path.is_symlink():
        return False
    try:
        path.resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return False
    return path.suffix.lower() in DOCS_SUFFIXES

