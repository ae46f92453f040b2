"""The search indexer yields the CPU to the pages: on a busy machine (2 cores, MkDocs on one,
Pagefind's threads on both) the pages are the build's longer path and the preview's first."""
from __future__ import annotations

import os

from casebook.core import proc
from casebook.core.library import build_library
from casebook.site import search
from casebook.site.pages import View


def test_the_indexer_and_pagefind_run_at_a_lower_priority(valid_tree, tmp_path, monkeypatch):
    seen = tmp_path / "niceness"
    real = search.yield_to_pages

    def recorded() -> None:  # runs in the forked indexer, before Pagefind starts
        real()
        seen.write_text(str(os.nice(0)))

    monkeypatch.setattr(search, "yield_to_pages", recorded)
    lib = build_library(valid_tree)
    assert search.start_index(View(lib)).finish(tmp_path / "site") == len(lib.items)
    assert int(seen.read_text()) == min(19, os.nice(0) + proc.INDEXER_NICENESS)  # (this process keeps its own)
