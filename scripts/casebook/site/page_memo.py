"""What `casebook serve` carries from one rebuild to the next: the pages and list rows of items
whose files did not change.

A serve rebuild re-validates only the changed files (core.library: an unchanged file keeps its
parsed Item object), so "unchanged" is exact and cheap: the very same Item object. A page is
reused when everything it is made from is the same: an item page when its item, its related
items, its basis titles and the site's address are; a list or facet page when its member items
are the very same objects in the same order; a course page (every outlet's draw from the whole
library) only when no item changed in a way a draw can see — the same metadata and the same
score against every outlet's profile — and the outlets and the programme are equal.
"""
from __future__ import annotations

from collections.abc import Callable

from ..core.links import linked_items
from ..core.model import FOLDERS
from ..core.selection import match, profile_terms
from ..core.validate import Item
from .item import item_page
from .pagekit import Page, View


class PageMemo:
    def __init__(self) -> None:
        self.items: dict[str, tuple[tuple, Page]] = {}
        self.families: dict[tuple, tuple[tuple, object]] = {}
        self.rows: dict = {}  # View.memo's rows (list entries, script cards)
        self._seen: dict[str, Item] = {}
        self._setting: tuple = ()
        self.draws = 0  # changes whenever a draw may have changed
        self._ids: set[str] = set()  # the items of the last rebuild
        self._swept = 0  # how many rows the last sweep kept
        self._shown: tuple | None = None  # the last view's public flag and address
        self._registry = None  # the last library's basis registry
        self._affected: set[str] | None = None

    def start(self, view: View) -> None:
        """Compare the new library with the last one: may any draw have changed, which item
        pages may have?"""
        lib = view.lib
        seen, draws = self._seen, self.draws
        setting = (sorted((k, e.outlet) for k, e in lib.outlets.items()), lib.programme, view.public, view.site_url)
        items = view.items
        if setting != self._setting or set(items) != set(self._seen):
            self.draws += 1
        else:
            profiles = [profile_terms(e.outlet) for e in lib.outlets.values()]
            changed = [(self._seen[i], item) for i, item in items.items() if item is not self._seen[i]]
            if any(not _same_for_draws(old, new, profiles) for old, new in changed):
                self.draws += 1
        self._setting, self._seen = setting, dict(items)
        self._affected = self._affected_pages(view, seen, draws)

    def _affected_pages(self, view: View, seen: dict[str, Item], draws: int) -> set[str] | None:
        """The items whose page may differ from the last rebuild's (None: any may). An item
        page is made from the item, its related items, its basis titles, the view's public
        flag and address, on a public site which of the items its body links to are shown, and
        for a course the draws (item_page's inputs). Relations go both
        ways (Library.related), so an item changed, added or gone touches the pages of the
        items related to it before or after. Checking the inputs of all 5,000 pages instead
        took a tenth of a second of each rebuild."""
        shown, registry = (view.public, view.site_url), view.lib.registry
        last, self._shown, self._registry = (self._shown, self._registry), shown, registry
        if last != (shown, registry):
            return None
        items = view.items
        if view.public and items.keys() != seen.keys():  # (an item shown or left out: a body link to it
            return None                                  # becomes a link or its text, on any page)
        changed = {i for i, item in items.items() if seen.get(i) is not item} | (seen.keys() - items.keys())
        out = set(changed)
        for i in changed:
            if i in items:
                out.update(r.id for r in view.related(items[i]))
            if (hit := self.items.get(i)) is not None:  # (related on the last page made for it)
                out.update(x.id for x in hit[0] if isinstance(x, Item))
            out.update(view.lib.backlinks.get(i, ()))
        if self.draws != draws:
            out.update(i for i, item in items.items() if item.type == "course")
        return out

    def item_page(self, view: View, item: Item) -> Page:
        hit = self.items.get(item.id)
        if hit is not None and self._affected is not None and item.id not in self._affected:
            return hit[1]
        registry = view.lib.registry
        basis = tuple((key, registry.title(key)) for key in item.meta.basis)  # (with a starter rule's label)
        # (on a public site, which of the items its body links to are left out: their links become text)
        hidden = tuple(sorted(r for r in linked_items(item.body, item.id, FOLDERS) if r not in view.items)) \
            if view.public else ()
        inputs = (item, *view.related(item), basis, view.public, view.site_url, hidden,
                  self.draws if item.type == "course" else None)
        if hit is not None and _same(hit[0], inputs):
            return hit[1]
        page = item_page(view, item)
        self.items[item.id] = (inputs, page)
        return page

    def family(self, key: tuple, inputs: tuple, make: Callable[[], object]):
        """A page (or pages) made from `inputs`: items compared by identity, values by equality.
        (List pages pass `listed(item)` for their members: they show metadata, never a body.)"""
        hit = self.families.get(key)
        if hit is not None and _same(hit[0], inputs):
            return hit[1]
        out = make()
        self.families[key] = (inputs, out)
        return out

    def forget_missing(self, ids: set[str]) -> None:
        """Drop what belongs to deleted items, and the rows of replaced items (a row is only used
        for the very same item, but an edited item's rows may have other keys: they would pile
        up). Walking every row took a tenth of a second of each rebuild at 5,000 items: the rows
        are swept when an item is gone or when they grew by a quarter since the last sweep."""
        gone = ids != self._ids
        if gone:
            self.items = {k: v for k, v in self.items.items() if k in ids}
        if gone or len(self.rows) > self._swept * 1.25:
            self.rows = {k: v for k, v in self.rows.items() if k[0] in ids and v[0] is self._seen.get(k[0])}
            self._swept = len(self.rows)
        self._ids = set(ids)


def listed(item: Item) -> tuple:
    """What a list, facet or role page shows of an item: its metadata (an edit of the body
    leaves every list as it was)."""
    return (item.id, item.type, item.meta)


def _same(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b if isinstance(a, Item) else (not isinstance(b, Item) and a == b)
                                        for a, b in zip(old, new))


def _same_for_draws(old: Item, new: Item, profiles: list) -> bool:
    """A draw reads an item's metadata and its score against the outlet's profile (which also
    reads its text): equal in both, the item draws as before."""
    return old.type == new.type and old.meta == new.meta and all(
        match(old, terms) == match(new, terms) for terms in profiles)
