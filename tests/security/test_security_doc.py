"""SECURITY.md names the test that proves each guarantee: every test it names exists."""
from __future__ import annotations

import ast
import re

from conftest import REPO


def test_every_test_security_md_names_exists():
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named: list[tuple[str, str]] = []
    for row in text.splitlines():
        current = None
        for path, name in re.findall(r"`(tests/[\w/]+\.py)?::(test_\w+)`", row):
            current = path or current
            assert current, f"SECURITY.md: ::{name} without a file before it in: {row}"
            named.append((current, name))
    assert len(named) >= 30, named
    for path, name in named:
        tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert name in defined, f"SECURITY.md names {path}::{name}, which does not exist"
