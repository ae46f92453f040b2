"""The pieces every page module shares: a generated Page, escaping, the build's View, URLs.

Page modules (item.py, lists.py, tables.py, basket.py, and pages other branches add) import
from here; `pages.site_pages` puts them together.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from ..core.library import Library
from ..core.markdown import defuse
from ..core.model import VOCAB_FIELDS
from ..core.validate import Item

# Facets offered on each type's index page, in order.
FACETS: dict[str, list[str]] = {
    "complaint": ["customer_groups", "roles", "business", "severity", "channel", "root_cause"],
    "emergency": ["category", "roles", "customer_groups"],
    "guide": ["scope", "customer_groups", "roles", "business", "periods"],
    "story": ["customer_groups", "roles", "business"],
    "standard": ["roles"],
    "course": ["roles"],
    "drill": ["focus", "roles", "customer_groups"],
}
FRONT = ""  # (generated text is never a template: nothing renders one but docs/ pages that ask)
# a page that needs the width (the programme table on a laptop): no table of contents beside it
WIDE_FRONT = "---\nhide:\n  - toc\n---\n\n"


@dataclass
class Page:
    """A generated page: Markdown for MkDocs, with the HTML casebook writes kept aside.

    Python-Markdown re-parses raw HTML blocks character by character (most of a build's time
    at 1,000 items), so each HTML part stands in the Markdown as a one-line marker and the site
    puts it back after the Markdown is rendered and sanitised. The parts are built here with
    every value escaped; the Markdown (an item's body, written by editors) is what nh3 cleans."""

    markdown: str
    slots: dict[str, str]


SLOT_MARK = "data-cb-slot"


def unmark(markdown: str) -> str:
    """Text from cases/ or docs/ cannot place a marker of its own (it would take casebook's
    markup): its copies are renamed, and the sanitiser drops the renamed attribute."""
    return markdown.replace(SLOT_MARK, "data-cb-text")


class Markdown(str):
    """Text an editor wrote (an item's body): always Markdown, rendered and sanitised, whatever
    it starts with — a body that opens with an HTML tag must not pass for casebook's markup."""


def assemble(parts: list[str]) -> Page:
    """casebook's parts that start with "<" are HTML; the rest, and every `Markdown`, are Markdown."""
    out, slots = [], {}
    for part in parts:
        if not isinstance(part, Markdown) and part.lstrip().startswith("<"):
            key = f'<div {SLOT_MARK}="{len(slots)}"></div>'
            slots[key] = part.strip()
            out.append(f"{key}\n\n")
        else:  # (an editor's text crowded with [ or ` is shown as text: core/markdown.defuse)
            out.append(unmark(defuse(part) if isinstance(part, Markdown) else part))
    return Page("".join(out), slots)


def fill(html: str, slots: dict[str, str]) -> str:
    """Put the HTML parts back into the rendered page."""
    for key, value in slots.items():
        html = html.replace(key, value, 1)
    return html


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def plain_heading(text: object) -> str:
    """Text from the library as a Markdown heading line shows it, read as nothing else: a title
    `[点击领取补贴](https://…)` became a link in the page's <h1>. Every sign Python-Markdown
    reads is escaped with a backslash; `&` and `<` become entities."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", str(text).replace("&", "&amp;").replace("<", "&lt;"))


@dataclass(frozen=True)
class View:
    """What one build shows: the library, whether internal items are left out, and the site's
    address when one is configured (mkdocs.yml `site_url`: QR codes and short links in print)."""

    lib: Library
    public: bool = False
    site_url: str | None = None
    # rows already made for this view: an item's list entry is the same in every list at the
    # same depth (thousands of facet, role and index pages share them)
    _rows: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @functools.cached_property
    def items(self) -> dict[str, Item]:
        return visible_items(self.lib, self.public)

    def of_type(self, kind: str) -> list[Item]:
        return [i for i in self.lib.of_type(kind) if i.id in self.items]

    def with_value(self, vocab: str, value: str) -> list[Item]:
        return [i for i in self.lib.with_value(VOCAB_FIELDS.get(vocab, vocab), value) if i.id in self.items]

    def related(self, item: Item) -> list[Item]:
        return [r for r in self.lib.related(item) if r.id in self.items]

    def entry(self, item: Item, here: str, facets: tuple[str, ...] = (), show_kind: bool = False) -> str:
        """list_entry, made once per item and link."""
        return self.memo(item, ("entry", rel(here, item_url(item.id)), tuple(facets), show_kind),
                         lambda: list_entry(item, here, facets, show_kind))

    def memo(self, item: Item, key: tuple, make) -> str:
        """A row that depends only on `item` and `key`. `casebook serve` hands the same rows to
        the next rebuild: a row is reused only for the very same parsed item (an edited file is
        parsed into a new one)."""
        key = (item.id, *key)
        hit = self._rows.get(key)
        if hit is not None and hit[0] is item:
            return hit[1]
        row = make()
        self._rows[key] = (item, row)
        return row


def visible_items(lib: Library, public: bool) -> dict[str, Item]:
    if not public:
        return lib.items
    return {k: v for k, v in lib.items.items() if v.meta.visibility == "public"}


# --- URLs -------------------------------------------------------------------------------------

def item_url(item_id: str) -> str:
    return f"{item_id}/"


def facet_url(vocab: str, value: str) -> str:
    return f"facets/{vocab}/{value}/"


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site paths ("complaints/x/" style, no leading slash): works
    offline and under any base path, and needs no knowledge of the site's address.
    (Written out rather than posixpath.relpath, which was a third of page generation.)"""
    src = [p for p in from_url.split("/") if p]
    dst = [p for p in to_url.split("/") if p]
    common = 0
    for a, b in zip(src, dst):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(src) - common) + dst[common:]
    if not parts:
        return "./"
    return "/".join(parts) + ("/" if to_url.endswith("/") or not dst[common:] else "")


def _values(item: Item, field: str) -> list[str]:
    value = getattr(item.meta, field, None)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def item_values(item: Item, vocab: str) -> list[str]:
    values = _values(item, vocab)
    if vocab == "roles" and item.type == "emergency":
        values = list(dict.fromkeys([*values, *item.meta.duties]))
    return values


def facet_items(view: View, vocab: str, value: str) -> list[Item]:
    """Items with a vocabulary value; for a role also the plans that give the role duties."""
    items = view.with_value(vocab, value)
    if vocab == "roles":
        items = list({i.id: i for i in items + [p for p in view.of_type("emergency") if value in p.meta.duties]}.values())
    return items


def phrase_card(when: str, say: str, anchor: str = "") -> str:
    """One 话术 card with its copy button (every value escaped)."""
    ident = f' id="{e(anchor)}"' if anchor else ""
    return (f'<div class="cb-card"><p class="cb-when">{e(when)}</p><p class="cb-say"{ident}>{e(say)}</p>'
            f'<button type="button" class="cb-copy" data-copy="{e(say)}" aria-label="复制这句话术：{e(when)}">复制</button></div>')


def list_entry(item: Item, here: str, facets: list[str] = (), show_kind: bool = False) -> str:
    """A list entry whose whole box is the link; the type label only where types mix."""
    data = " ".join(f'data-{v.replace("_", "-")}="{e("|".join(item_values(item, v)))}"' for v in facets)
    day = item.meta.updated.isoformat()
    kind = f'<span class="cb-kind">{e(item.type_label)}</span>' if show_kind else ""
    return (f'<li class="cb-entry" {data} data-updated="{day}" data-title="{e(item.meta.title)}">'
            f'<a class="cb-entry__link" href="{e(rel(here, item_url(item.id)))}">'
            f'<span class="cb-entry__title">{e(item.meta.title)}</span>{kind}'
            f'<span class="cb-entry__summary">{e(item.meta.summary)}</span><time datetime="{day}">{day}</time></a></li>')


def entries(items: list[Item], here: str, facets: list[str] = (), show_kind: bool = False) -> str:
    ordered = sorted(items, key=lambda i: (-i.meta.updated.toordinal(), i.id))
    return f'<ul class="cb-list">{"".join(list_entry(i, here, facets, show_kind) for i in ordered)}</ul>'
