"""The package's architecture, read from the source with `ast`: which part may import which.

    guards  ← core ← {site, packs, editors} ← cli

guards import nothing else from casebook; core imports only guards; site, packs and editors
import core and guards but never each other; only the top level (cli) wires them all. Only the
site may import MkDocs, only packs WeasyPrint and python-docx. No module grows past 400 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "scripts" / "casebook"
PARTS = ("core", "guards", "site", "packs", "editors")
ALLOWED = {
    "guards": {"guards"},
    "core": {"core", "guards"},
    "site": {"site", "core", "guards"},
    "packs": {"packs", "core", "guards"},
    "editors": {"editors", "core", "guards"},
    "top": {"top", *PARTS},
}
# third-party engines each confined to the one part that adapts them
ENGINES = {"mkdocs": "site", "material": "site", "weasyprint": "packs", "docx": "packs"}
MAX_LINES = 400


def part_of(module: str) -> str:
    """casebook.site.pages → site; casebook.cli → top."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in PARTS else "top"


def module_name(path: Path, package: Path) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, package: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    name = module_name(path, package)
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if is_pkg else name.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import markdown → the submodules themselves
                    out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
                    continue
                out.append((node.lineno, target))
            else:
                out.append((node.lineno, node.module or ""))
    return out


def violations(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        name = module_name(path, package)
        mine = part_of(name)
        for line, target in imports_of(path, package):
            top = target.split(".")[0]
            if top == package.name:
                theirs = part_of(target)
                if theirs not in ALLOWED[mine]:
                    found.append(f"{rel}:{line}: {mine} imports {target} ({theirs})")
            elif top in ENGINES and ENGINES[top] != mine:
                found.append(f"{rel}:{line}: {mine} imports {top}, which only {ENGINES[top]} may use")
    return found


def test_parts_import_only_what_the_rule_allows():
    assert violations(PACKAGE) == []


def test_every_part_is_a_package_and_the_top_level_is_only_the_wiring():
    for part in PARTS:
        assert (PACKAGE / part / "__init__.py").is_file(), part
    top_modules = {p.name for p in PACKAGE.glob("*.py")}
    assert top_modules == {"__init__.py", "__main__.py", "cli.py"}, top_modules


def test_no_module_is_too_long():
    long = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, long


def test_casebooks_own_folder_is_found_in_one_place():
    """Only core/project.py works out where casebook's files are from its own path."""
    finders = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                     if "Path(__file__)" in p.read_text(encoding="utf-8"))
    assert finders == ["core/project.py"]


def labels_written_twice(package: Path) -> list[str]:
    """Every (key, label) pair of a *_LABELS dict written out in more than one module."""
    seen: dict[tuple, str] = {}
    twice = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict)
                    and any(isinstance(t, ast.Name) and t.id.endswith("_LABELS")
                            for t in (node.targets if isinstance(node, ast.Assign) else [node.target]))):
                for k, v in zip(node.value.keys, node.value.values):
                    if isinstance(k, ast.Constant) and isinstance(v, ast.Constant):
                        if (k.value, v.value) in seen and seen[(k.value, v.value)] != rel:
                            twice.append(f"{rel}: {k.value} = {v.value} (also in {seen[(k.value, v.value)]})")
                        seen.setdefault((k.value, v.value), rel)
    return twice


def test_labels_are_written_once():
    assert labels_written_twice(PACKAGE) == []


def test_the_rule_catches_a_violation(tmp_path):
    """The check is not vacuous: a site module importing packs, core importing the site, a relative
    `from ..editors import x` and core importing MkDocs are each reported."""
    pkg = tmp_path / "casebook"
    for part in PARTS:
        (pkg / part).mkdir(parents=True)
        (pkg / part / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "cli.py").write_text("from .site import pages\nfrom .packs import render\n")
    (pkg / "site" / "pages.py").write_text("from ..core import library\nfrom casebook.packs.render import x\n")
    (pkg / "core" / "library.py").write_text("from ..guards import privacy\nfrom ..site.pages import y\nimport mkdocs\n")
    (pkg / "packs" / "render.py").write_text("from ..editors import schema\nimport weasyprint\n")
    found = violations(pkg)
    assert [f.split(": ", 1)[1] for f in found] == [
        "core imports casebook.site.pages (site)",
        "core imports mkdocs, which only site may use",
        "packs imports casebook.editors (editors)",
        "site imports casebook.packs.render (packs)",
    ]
