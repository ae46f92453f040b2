"""A loaded library's lookups: items by type, by vocabulary value, and who relates to whom."""
from __future__ import annotations

import os
from collections import defaultdict

from .model import TYPE_FOLDERS, VOCAB_FIELDS
from .validate import Item

# (serve) id(item) → (the item, its index keys): a rebuild's unchanged files keep their Item
# objects, whose keys (pydantic attribute lookups, 0.1 s at 5,000 items) are not worked out again
_INDEX_KEYS: dict[int, tuple[Item, tuple]] = {}


def _index_keys(item: Item) -> tuple[tuple[str, str], ...]:
    """The (vocabulary, value) lists an item belongs to."""
    keys = []
    for field_name, vocab in VOCAB_FIELDS.items():
        value = getattr(item.meta, field_name, None)
        keys += [(vocab, v) for v in (value if isinstance(value, list) else [value] if value else [])]
    if item.type == "emergency":
        keys += [("roles", role) for role in item.meta.duties if role not in item.meta.roles]
    return tuple(keys)


def index_library(lib) -> None:
    """lib.by_type, lib.by_value (vocabulary, value) → items, lib.backlinks: id → ids that relate to it."""
    by_type: dict[str, list[Item]] = defaultdict(list)
    by_value: dict[tuple[str, str], list[Item]] = defaultdict(list)
    backlinks: dict[str, list[str]] = defaultdict(list)
    remember = bool(os.environ.get("CASEBOOK_INCREMENTAL"))
    seen: dict[int, tuple[Item, tuple]] = {}
    for item in sorted(lib.items.values(), key=lambda i: i.id):
        by_type[item.type].append(item)
        hit = _INDEX_KEYS.get(id(item))
        keys = hit[1] if hit is not None and hit[0] is item else _index_keys(item)
        if remember:
            seen[id(item)] = (item, keys)
        for key in keys:
            by_value[key].append(item)
        for ref in item.meta.related:
            backlinks[ref].append(item.id)
    _INDEX_KEYS.clear()
    _INDEX_KEYS.update(seen)
    lib.by_type = {k: by_type.get(k, []) for k in TYPE_FOLDERS}
    lib.by_value = dict(by_value)
    lib.backlinks = dict(backlinks)
