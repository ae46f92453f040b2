"""A loaded library's lookups: items by type, by vocabulary value, and who relates to whom."""
from __future__ import annotations

from collections import defaultdict

from .load_memo import LoadMemo
from .model import TYPE_FOLDERS, VOCAB_FIELDS
from .validate import Item



def _index_keys(item: Item) -> tuple[tuple[str, str], ...]:
    """The (vocabulary, value) lists an item belongs to."""
    keys = []
    for field_name, vocab in VOCAB_FIELDS.items():
        value = getattr(item.meta, field_name, None)
        keys += [(vocab, v) for v in (value if isinstance(value, list) else [value] if value else [])]
    if item.type == "emergency":
        keys += [("roles", role) for role in item.meta.duties if role not in item.meta.roles]
    return tuple(keys)


def index_library(lib, memo: LoadMemo | None = None) -> None:
    """lib.by_type, lib.by_value (vocabulary, value) → items, lib.backlinks: id → ids that relate to it."""
    by_type: dict[str, list[Item]] = defaultdict(list)
    by_value: dict[tuple[str, str], list[Item]] = defaultdict(list)
    backlinks: dict[str, list[str]] = defaultdict(list)
    # (a preview) a rebuild's unchanged files keep their Item objects, whose keys (pydantic
    # attribute lookups, 0.1 s at 5,000 items) are not worked out again
    last = memo.index_keys if memo is not None else {}
    seen: dict[int, tuple[Item, tuple]] = {}
    for item in sorted(lib.items.values(), key=lambda i: i.id):
        by_type[item.type].append(item)
        hit = last.get(id(item))
        keys = hit[1] if hit is not None and hit[0] is item else _index_keys(item)
        if memo is not None:
            seen[id(item)] = (item, keys)
        for key in keys:
            by_value[key].append(item)
        for ref in item.meta.related:
            backlinks[ref].append(item.id)
    if memo is not None:
        memo.index_keys = seen
    lib.by_type = {k: by_type.get(k, []) for k in TYPE_FOLDERS}
    lib.by_value = dict(by_value)
    lib.backlinks = dict(backlinks)
