"""The primary navigation is rendered once per folder for pages outside the nav
(templates/site/main.html + site/plugin.py on_env): the pages must be exactly those Material
renders on its own, and the overridden block must stay Material's but for the one line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, VALID, run_cli

BLOCK = re.compile(r"\{% block site_nav %\}(.*?)\{% endblock %\}", re.S)
INCLUDE = '{% include "partials/nav.html" %}'


def _material_base() -> str:
    import material

    return (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")


def test_the_block_is_materials_but_for_the_cached_include():
    ours = BLOCK.search((REPO / "templates/site/main.html").read_text(encoding="utf-8")).group(1)
    theirs = BLOCK.search(_material_base()).group(1)
    ours_lines, theirs_lines = ours.splitlines(), theirs.splitlines()
    assert len(ours_lines) == len(theirs_lines)  # a Material upgrade that changed the block fails here
    changed = [(a, b) for a, b in zip(ours_lines, theirs_lines) if a != b]
    assert len(changed) == 1 and changed[0][1].strip() == INCLUDE and INCLUDE in changed[0][0]


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")
            if "pagefind" not in p.parts}


def test_pages_are_byte_for_byte_what_material_renders(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    cached = tmp_path / "cached"
    assert run_cli("build", "--root", str(root), "--out", str(cached)).code == 0
    # the same library built with Material's own site_nav block (main.html without its override)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates/site", theme)
    ours = (theme / "main.html").read_text(encoding="utf-8")  # everything but its site_nav block
    start = ours.index("{% block site_nav %}")
    end = ours.index("{% endblock %}", start) + len("{% endblock %}")
    (theme / "main.html").write_text(ours[:start] + ours[end:], encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: templates/site", f"custom_dir: {theme}")
    config = config.replace("- scripts/casebook/", f"- {REPO}/scripts/casebook/")
    config = config.replace("module_name: scripts/casebook/", f"module_name: {REPO}/scripts/casebook/")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "docs", root / "docs")
    plain = tmp_path / "plain"
    result = run_cli("build", "--root", str(root), "--out", str(plain))
    assert result.code == 0, result.err
    a, b = _pages(cached), _pages(plain)
    assert len(a) > 20 and a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    nested = [k for k in a if k.count("/") >= 2]  # item pages: where the cache is used
    assert nested and all(b"md-nav--primary" in a[k] for k in nested)
