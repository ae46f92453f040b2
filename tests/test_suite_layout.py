"""How the suite is laid out, read from its source with `ast`.

Every fixture has a name of its own. pytest lets a module's fixture hide conftest's or another
module's of the same name, and a parametrized argument hide a fixture, so `lib` or `site` meant a
different thing in each file that defined one; a reader (or a test moved between files) took the
wrong one. And no test module imports another: what two share lives in a helper module of its own
(browsing.py, web_form.py, search_js.py, content_library.py) or in conftest."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _parametrized(decorator: ast.expr) -> list[str]:
    """The argument names of a @pytest.mark.parametrize("a, b", ...) decorator; [] for any other."""
    if not (isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("mark.parametrize")):
        return []
    names = decorator.args[0] if decorator.args else None
    if isinstance(names, ast.Constant) and isinstance(names.value, str):
        return [n.strip() for n in names.value.split(",") if n.strip()]
    if isinstance(names, (ast.List, ast.Tuple)):
        return [n.value for n in names.elts if isinstance(n, ast.Constant)]
    return []


def names_used_twice(folder: Path) -> dict[str, list[str]]:
    """{name: [file, …]} for every fixture name defined more than once under `folder`, or also
    used as a parametrized argument."""
    fixtures, arguments = defaultdict(list), defaultdict(list)
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if any("fixture" in ast.unparse(d) for d in node.decorator_list):
                fixtures[node.name].append(rel)
            for decorator in node.decorator_list:
                for name in _parametrized(decorator):
                    arguments[name].append(rel)
    return {name: files + arguments.get(name, []) for name, files in fixtures.items()
            if len(files) > 1 or name in arguments}


def test_no_fixture_name_is_used_twice():
    assert names_used_twice(TESTS) == {}


def test_the_rule_catches_a_fixture_defined_twice_and_one_hidden_by_a_parameter(tmp_path):
    (tmp_path / "conftest.py").write_text("import pytest\n\n@pytest.fixture\ndef site():\n    return 1\n\n"
                                          "@pytest.fixture\ndef phone():\n    return 2\n")
    (tmp_path / "test_a.py").write_text("import pytest\n\n@pytest.fixture(scope='module')\ndef site():\n    return 3\n\n"
                                        "@pytest.fixture\ndef lib():\n    return 4\n\n"
                                        "@pytest.mark.parametrize('phone, kind', [('120', '短号')])\n"
                                        "def test_x(phone, kind):\n    pass\n\n"
                                        "@pytest.mark.parametrize(['lib'], [(1,)])\ndef test_y(lib):\n    pass\n")
    assert names_used_twice(tmp_path) == {"site": ["conftest.py", "test_a.py"], "phone": ["conftest.py", "test_a.py"],
                                          "lib": ["test_a.py", "test_a.py"]}


def imports_of_test_modules(folder: Path) -> list[str]:
    """"file: module" for every import of a test module (test_*) by a file under `folder`."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(folder).as_posix()}: {n}" for n in names if n.split(".")[-1].startswith("test_")]
    return found


def test_no_test_module_imports_another():
    assert imports_of_test_modules(TESTS) == []


def test_the_rule_catches_a_test_module_imported(tmp_path):
    (tmp_path / "test_a.py").write_text("def _helper():\n    return 1\n")
    (tmp_path / "test_b.py").write_text("from test_a import _helper\n\ndef test_x():\n    import test_a\n")
    assert imports_of_test_modules(tmp_path) == ["test_b.py: test_a", "test_b.py: test_a"]
