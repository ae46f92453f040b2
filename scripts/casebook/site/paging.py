"""Bounded list pages: no index, facet, role or customer-group page outgrows a phone.

A list page whose whole content fits in `LIMIT` bytes of HTML is written as it always was. A
longer one is cut: an index page into numbered pages (`complaints/`, `complaints/page/2/`, …)
linked by a pager that needs no JavaScript; a section of a facet or role page into its first
entries and a link 「查看全部 N 条」 to numbered continuation pages of its own. Pages are cut by
entry count and by bytes, so a page weighs at most about `LIMIT` whatever the library's size.

The sizes are module constants read at call time, so a test can make them small.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .pagekit import e, rel

T = TypeVar("T")

LIMIT = 300_000       # bytes of HTML a list page may weigh, theme included
SHELL = 20_000        # what the theme puts around the content (header, nav, footer: 12–14 KB measured)
PAGE_ITEMS = 100      # entries on one numbered page …
PAGE_BYTES = 150_000  # … and at most this much of their HTML
HEAD_ITEMS = 12       # a cut section of a facet or role page shows its first entries …
HEAD_BYTES = 16_000   # … up to this much HTML (13 sections at most on a role page: 208 KB)
WINDOW = 2            # pager: pages shown either side of the current one


def size(html: str) -> int:
    return len(html.encode("utf-8"))


def fits(parts: Sequence[str]) -> bool:
    """Does a page with this content stay under the limit, theme included?"""
    return sum(size(p) for p in parts) <= LIMIT - SHELL


def page_url(base: str, n: int) -> str:
    """Page n of a series whose first page is `base` ("complaints/" → "complaints/page/2/").
    "page" is never a folder of an item page: item pages are <type>/<slug>/index.html."""
    return base if n == 1 else f"{base}page/{n}/"


def src_of(url: str) -> str:
    return f"{url}index.md"


def split(rows: Sequence[str]) -> list[range]:
    """Consecutive rows cut into pages of at most PAGE_ITEMS rows and PAGE_BYTES bytes."""
    pages, start, used = [], 0, 0
    for i, row in enumerate(rows):
        n = size(row)
        if i > start and (i - start >= PAGE_ITEMS or used + n > PAGE_BYTES):
            pages.append(range(start, i))
            start, used = i, 0
        used += n
    if len(rows) > start or not pages:
        pages.append(range(start, len(rows)))
    return pages


def head(rows: Sequence[str]) -> int:
    """How many of a cut section's rows its page shows first (at least one)."""
    used = 0
    for i, row in enumerate(rows):
        used += size(row)
        if i >= HEAD_ITEMS or (i and used > HEAD_BYTES):
            return i
    return len(rows)


def pager(base: str, here: str, current: int, total: int, compact: bool = False) -> str:
    """上一页 1 … 4 5 [6] 7 8 … 70 下一页 — plain links, so every page is reached without JavaScript.
    `compact` (above a list, on a phone's first screen): 上一页 and 下一页 only."""
    if total <= 1:
        return ""

    def link(n: int, text: str, label: str = "") -> str:
        aria = f' aria-label="{e(label)}"' if label else ""
        return f'<a href="{e(rel(here, page_url(base, n)))}"{aria}>{e(text)}</a>'

    shown = [] if compact else sorted({1, total, *range(max(1, current - WINDOW), min(total, current + WINDOW) + 1)})
    out = [link(current - 1, "上一页")] if current > 1 else []
    last = 0
    for n in shown:
        if n > last + 1:
            out.append('<span class="cb-pager__gap" aria-hidden="true">…</span>')
        out.append(f'<a aria-current="page" class="cb-pager__here">{n}</a>' if n == current
                   else link(n, str(n), f"第 {n} 页"))
        last = n
    if current < total:
        out.append(link(current + 1, "下一页"))
    if compact:
        return f'<nav class="cb-pager cb-pager--compact" aria-label="翻页">{"".join(out)}</nav>'
    return f'<nav class="cb-pager" aria-label="分页（第 {current} / {total} 页）">{"".join(out)}</nav>'


def more_link(here: str, base: str, text: str) -> str:
    return f'<p class="cb-more-link"><a href="{e(rel(here, base))}">{e(text)}</a></p>'


def series(base: str, things: Sequence[T], render: Callable[[T, str], str],
           page: Callable[[str, int, int, str], list[str]]) -> dict[str, list[str]]:
    """The numbered pages of a cut list: {src_uri: parts}. `render(thing, here)` is one row (its
    links relative to `here`); `page(here, n, total, rows)` wraps one page's rows. The rows are
    cut where they would be deepest (page 2), so no page is heavier than its cut says."""
    deep = page_url(base, 2)
    pages = split([render(t, deep) for t in things])
    out = {}
    for n, span in enumerate(pages, start=1):
        here = page_url(base, n)
        out[src_of(here)] = page(here, n, len(pages), "".join(render(things[i], here) for i in span))
    return out
