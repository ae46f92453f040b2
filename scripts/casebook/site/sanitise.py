"""What a rendered page may keep of the HTML its Markdown produced (items' bodies, docs/ pages).

casebook's own markup (cards, copy buttons, the basket, facet filters) is not in that Markdown:
it stands aside as slots and is filled in after this (pagekit.Page). So the allow-list here is
only what Markdown and its extensions write, attribute by attribute and element by element:

- no `data-*` (but the empty markers where casebook's own markup goes back in) and no `class` but the admonition extension's: the site's scripts and the
  theme read data attributes and classes (basket.js fetches from `data-root`, the copy buttons
  read `data-copy`, the call button is a class), so content can never impersonate them;
- `id` only on headings, and only in the shape the table of contents makes, never one the theme
  or casebook uses (`__config` makes Material load another sitemap; `cb-…`, `md-…`);
- links to http(s) pages only: a `tel:` or `mailto:` link in content could pose as the site's
  call button (casebook writes the outlet's numbers itself);
- images only from the site itself, bidi and zero-width controls removed (neutralise.py).
"""
from __future__ import annotations

import re

import nh3

from ..core.proc import signals_after
from .neutralise import attribute_filter, clean_html

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TAGS = set(nh3.ALLOWED_TAGS) | {"details", "summary", "mark", "figure", "figcaption", "time"}
_ATTRS = {"*": {"title", "lang", "dir", "class"},
          "a": {"href", "hreflang", "title"}, "img": {"src", "alt", "width", "height", "loading", "title"},
          "th": {"scope", "colspan", "rowspan", "align"}, "td": {"colspan", "rowspan", "align"},
          "time": {"datetime"}, "ol": {"start"}, "div": {"data-cb-slot"}, **{h: {"id", "class", "title", "lang", "dir"} for h in _HEADINGS}}

# the admonition extension's classes (its types and its title paragraph)
ADMONITION_CLASSES = frozenset(
    "admonition admonition-title note abstract summary tldr info todo tip hint important success check done "
    "question help faq warning caution attention failure fail missing danger error bug example quote cite "
    "seealso".split())
# a table of contents' id: Python-Markdown's slug of a heading (`_1` for a Chinese one)
_TOC_ID = re.compile(r"(?:_[0-9]{1,4}|[a-z0-9][a-z0-9_-]{0,80})")
_RESERVED_ID = re.compile(r"^(?:__|_?cb|_?md|search|toc|content)")


_SLOT = re.compile(r"m?[0-9]{1,6}")


def _filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "data-cb-slot":  # casebook's own marker (contributors' copies are renamed: pagekit.unmark)
        return value if _SLOT.fullmatch(value) else None
    if attribute == "class":
        kept = [c for c in value.split() if c in ADMONITION_CLASSES]
        return " ".join(kept) or None
    if attribute == "id":
        if element not in _HEADINGS or not _TOC_ID.fullmatch(value) or _RESERVED_ID.match(value):
            return None
        return value
    return attribute_filter(element, attribute, value)


def sanitize(html: str) -> str:
    with signals_after():  # (a Ctrl-C inside _filter would be lost in nh3)
        html = nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https"},
                         generic_attribute_prefixes=set(), link_rel=None,
                         strip_comments=True, attribute_filter=_filter)
    return clean_html(html)
