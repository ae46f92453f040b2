"""Every fixture of the suite has a name of its own. pytest lets a module's fixture hide
conftest's or another module's of the same name, so `lib` or `site` meant a different thing in
each file that defined one; a reader (or a test moved between files) took the wrong one."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def fixtures_defined_twice(folder: Path) -> dict[str, list[str]]:
    """{name: [file, …]} for every fixture name defined more than once under `folder`."""
    where = defaultdict(list)
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    "fixture" in ast.unparse(d) for d in node.decorator_list):
                where[node.name].append(path.relative_to(folder).as_posix())
    return {name: files for name, files in where.items() if len(files) > 1}


def test_no_fixture_name_is_defined_twice():
    assert fixtures_defined_twice(TESTS) == {}


def test_the_rule_catches_a_fixture_defined_twice(tmp_path):
    (tmp_path / "conftest.py").write_text("import pytest\n\n@pytest.fixture\ndef site():\n    return 1\n")
    (tmp_path / "test_a.py").write_text("import pytest\n\n@pytest.fixture(scope='module')\ndef site():\n    return 2\n"
                                        "\n@pytest.fixture\ndef lib():\n    return 3\n")
    assert fixtures_defined_twice(tmp_path) == {"site": ["conftest.py", "test_a.py"]}
