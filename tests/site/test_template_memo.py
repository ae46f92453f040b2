"""Template parts rendered once and reused (templates/site/main.html, partials/header.html,
site/template_memo.py): the built pages must be byte for byte what the theme renders without the
memo, the overridden blocks must stay Material's, and a part is shared only where it cannot differ."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from conftest import REPO, VALID, run_cli

from casebook.site.template_memo import SharedParts

BLOCK = re.compile(r"\{% block site_nav %\}(.*?)\{% endblock %\}", re.S)
INCLUDE = '{% include "partials/nav.html" %}'
CALL = re.compile(r'\{% call casebook_once\("[a-z-]+", page, base_url\) %\}|\{% endcall %\}')
NOTE = re.compile(r"\{#- casebook.*?#\}", re.S)  # casebook's own comments in a copied template
ONCE_BLOCK = re.compile(r'\{% block (\w+) %\}(?:\{% if "navigation\.footer" in features %\}\{\{ super\(\) \}\}\{% else %\})?'
                        r'\{% call casebook_once\("([a-z]+)", page, base_url\) %\}'
                        r'\{\{ super\(\) \}\}\{% endcall %\}(?:\{% endif %\})?\{% endblock %\}')


def _material(name: str) -> str:
    import material

    return (Path(material.__file__).parent / "templates" / name).read_text(encoding="utf-8")


def test_the_nav_block_is_materials_but_for_the_cached_include():
    ours = BLOCK.search((REPO / "templates/site/main.html").read_text(encoding="utf-8")).group(1)
    theirs = BLOCK.search(_material("base.html")).group(1)
    ours_lines, theirs_lines = ours.splitlines(), theirs.splitlines()
    assert len(ours_lines) == len(theirs_lines)  # a Material upgrade that changed the block fails here
    changed = [(a, b) for a, b in zip(ours_lines, theirs_lines) if a != b]
    assert len(changed) == 1 and changed[0][1].strip() == INCLUDE and INCLUDE in changed[0][0]


def test_shared_blocks_are_materials_own_blocks_whole():
    main = (REPO / "templates/site/main.html").read_text(encoding="utf-8")
    shared = ONCE_BLOCK.findall(main)
    assert {b for b, _ in shared} == {"styles", "libs", "fonts", "analytics", "config", "scripts", "footer"}
    assert all(block == name for block, name in shared)  # (each kept under its own block's name)
    base = _material("base.html")
    assert all(f"{{% block {b} %}}" in base for b, _ in shared)  # blocks Material still has


def _without(lines: list[str], first: str, last: str) -> list[str]:
    """The lines with the block from the line holding `first` to the next line equal to `last` cut out."""
    i = next(n for n, line in enumerate(lines) if first in line)
    j = next(n for n in range(i, len(lines)) if lines[n] == last)
    return lines[:i] + lines[j + 1:]


def test_the_header_is_materials_but_for_the_search_box():
    ours = CALL.sub("", (REPO / "templates/site/partials/header.html").read_text(encoding="utf-8"))
    ours = _without(NOTE.sub("", ours).splitlines(), 'class="cb-search"', "    </div>")
    theirs = _without(_material("partials/header.html").splitlines(), '"material/search" in config.plugins',
                      "    {% endif %}")

    def code(lines):
        return [line for line in lines if line.strip()]

    assert code(ours) == code(theirs)  # a Material upgrade that changed its header fails here


def _page(url: str, src: str | None = None):
    return SimpleNamespace(url=url, file=SimpleNamespace(src_uri=src or url.rstrip("/") + ".md"))


def test_a_part_is_rendered_once_per_depth_and_never_where_it_could_differ():
    shared = SharedParts(["assets/casebook/casebook.css", "js/extra.js", "https://cdn.example/x.js"], nav_pages=set())
    calls = []

    def part(text):
        return lambda: calls.append(text) or text

    assert shared.once("config", _page("complaints/a/"), "../..", part("deep")) == "deep"
    assert shared.once("config", _page("stories/b/"), "../..", part("other")) == "deep"  # same depth: reused
    assert shared.once("config", _page("complaints/"), "..", part("shallow")) == "shallow"
    assert shared.once("styles", _page("stories/c/"), "../..", part("styles")) == "styles"  # another part
    # a page in a folder a linked file sits in may see a shorter path; a template without a page
    assert shared.once("config", _page("assets/x/"), "../..", part("assets")) == "assets"
    assert shared.once("config", _page("js/y/"), "../..", part("js")) == "js"
    assert shared.once("config", None, "/", part("404")) == "404"
    assert shared.once("config", None, "/", part("404 again")) == "404 again"
    assert calls == ["deep", "shallow", "styles", "assets", "js", "404", "404 again"]


def test_the_nav_is_shared_by_a_folder_outside_the_nav_only():
    shared = SharedParts([], nav_pages={"complaints/index.md"})
    assert shared.nav_key(_page("complaints/a/")) == shared.nav_key(_page("complaints/b/")) == "complaints"
    assert shared.nav_key(_page("complaints/", "complaints/index.md")) is None  # in the nav: its own
    assert shared.nav_key(None) is None


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")
            if "pagefind" not in p.parts}


def test_pages_are_byte_for_byte_what_material_renders(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    cached = tmp_path / "cached"
    assert run_cli("build", "--root", str(root), "--out", str(cached)).code == 0
    # the same library built with Material's own blocks: main.html without its site_nav block and
    # its shared blocks, the header without its shared parts
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "templates/site", theme)
    ours = (theme / "main.html").read_text(encoding="utf-8")
    start = ours.index("{% block site_nav %}")
    end = ours.index("{% endblock %}", start) + len("{% endblock %}")
    plain_main = ONCE_BLOCK.sub("", ours[:start] + ours[end:])
    assert "casebook_once" not in plain_main and "casebook_nav" not in plain_main
    (theme / "main.html").write_text(plain_main, encoding="utf-8")
    header = theme / "partials" / "header.html"
    header.write_text(CALL.sub("", header.read_text(encoding="utf-8")), encoding="utf-8")
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
    nested = [k for k in a if k.count("/") >= 2]  # item pages: where the shared parts are used
    assert nested and all(b"md-nav--primary" in a[k] and b'id="__config"' in a[k] for k in nested)
