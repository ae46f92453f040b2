"""What a live preview keeps between two loads of the same library, so a rebuild after one edit
re-reads and re-validates one file. Owned by the caller (the site's preview object) and passed
in; a load without one (check, build, pack) keeps nothing.

Each memo is keyed by what makes it stale: folders by their mtimes, files by mtime and size (and
what every item is checked against), index keys by the very Item object a reused file kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LoadMemo:
    # root → (each walked folder's mtime, the item files, the outlet files)   (core.tree)
    walked: dict[Path, tuple] = field(default_factory=dict)
    # item file → (mtime_ns, size, what it was checked against, (Item | None, diagnostics))   (core.library)
    validated: dict[Path, tuple] = field(default_factory=dict)
    # id(item) → (the item, its (vocabulary, value) keys)   (core.item_index)
    index_keys: dict[int, tuple] = field(default_factory=dict)
    # item file → (mtime_ns, size, its text casefolded); word group → a file holding one of its terms
    texts: dict[Path, tuple[int, int, str]] = field(default_factory=dict)
    found: dict[tuple[str, ...], Path] = field(default_factory=dict)
