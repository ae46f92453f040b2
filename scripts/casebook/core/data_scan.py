"""The library's own data files get the scans every item gets (guards.privacy, guards.safety,
plain titles: core/scan.py). Their text reaches readers too: the programme and its day plans
on the 1+5 page and in every pack, the basis registry on its page and beside each item, the
vocabulary's values on every facet page, the bank's parameters inside the items. A mobile
number and a full name in a day plan, or a link in an instrument's description, went out
unchecked."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .bank import BANK_FILE
from .basis import BASIS_FILE
from .diagnostics import Diagnostic
from .load import load_yaml_file
from .scan import scan_text
from .search_terms import SEARCH_TERMS_FILE

DATA_FILES = ("cases/programme.yml", BASIS_FILE, "cases/vocabulary.yml", BANK_FILE, SEARCH_TERMS_FILE)


def scan_data_files(root: Path, today: dt.date, only: set[str] | None = None) -> list[Diagnostic]:
    """Findings in the data files (those of `only`, relative paths, when given); a file that
    does not read as YAML is reported by its own loader, not here."""
    out: list[Diagnostic] = []
    for rel in DATA_FILES:
        path = root / rel
        if (only is not None and rel not in only) or not path.is_file():
            continue
        doc = load_yaml_file(path, root)
        if doc.ok and isinstance(doc.data, dict):
            found = scan_text(doc, doc.data, frozenset(), today)
            # (markup in the bank's parameters is its own check's, K010: said once)
            out += [d for d in found if rel != BANK_FILE or d.code.startswith("P")]
    return out
