"""casebook's assets under names that carry a digest of their content: one stylesheet, one deferred
script bundle, the search modules and Pagefind's bundle renamed, every page pointing at them, and
the nginx example keeping every such name a year (and nothing else)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from casebook.site import asset_names
from casebook.site.asset_names import digest
from conftest import REPO, VALID, run_cli

SOURCES = REPO / "templates" / "site" / "assets" / "casebook"
NGINX = REPO / "deploy" / "nginx.conf.example"
HASHED = re.compile(r"\.([0-9a-f]{%d})\.(css|js)$" % asset_names.NAME_DIGEST)
REF = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


@pytest.fixture(scope="module")
def valid_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("names") / "site"
    result = run_cli("build", "--root", str(VALID), "--out", str(out))
    assert result.code == 0, result.err
    return out


def own_refs(page: Path) -> list[str]:
    return [r for r in REF.findall(page.read_text(encoding="utf-8")) if "assets/casebook/" in r]


def test_a_page_loads_one_casebook_stylesheet_and_deferred_scripts_under_hashed_names(valid_site):
    page = valid_site / "emergencies" / "illness" / "index.html"
    refs = own_refs(page)
    css = [r for r in refs if r.endswith(".css")]
    assert len(css) == 1 and re.fullmatch(r"\.\./\.\./assets/casebook/casebook\.[0-9a-f]{10}\.css", css[0]), refs
    html = page.read_text(encoding="utf-8")
    for ref in refs:
        file = (page.parent / ref).resolve()
        name = HASHED.search(ref)
        assert name and file.is_file(), ref
        assert name[1] == digest(file.read_bytes()), ref  # the name is its content's digest
        tag = re.search(r'<script src="%s"([^>]*)>' % re.escape(ref), html)
        assert tag is None or "defer" in tag[1] or 'type="module"' in tag[1], tag  # never render-blocking
    # the one stylesheet holds every source, in mkdocs.yml's order, print.css among them
    bundle = (page.parent / css[0]).read_text(encoding="utf-8")
    at = [bundle.index((SOURCES / name).read_text(encoding="utf-8")) for name in
          ("casebook.css", "contribute.css", "pages.css", "print.css", "search.css", "paging.css")]
    assert at == sorted(at)
    # the service worker keeps the very files the page names (its version hashes their names and bytes)
    precache = json.loads(re.search(r"^const PRECACHE = (.*);$", (valid_site / "sw.js").read_text(encoding="utf-8"), re.M)[1])
    for ref in refs:
        assert ref.removeprefix("../../") in precache, ref
    # no source under its own name is left in the site, nor the preview's script
    assert sorted(p.name for p in (valid_site / "assets" / "casebook").glob("*.*s") if not HASHED.search(p.name)) == []


def test_the_search_bundle_is_named_from_what_goes_into_it():
    """Its shards' keys (records, Pagefind's version, casebook's code) and casebook's files in it:
    the same inputs name it alike, any change names it anew (tests/site/test_build_caches.py
    checks the same on real builds: a changed index is never published under the old name)."""
    keys, own = ["a" * 64, "b" * 64], {"casebook-terms.json": "{}", "casebook-readings.json": "[]"}
    name = asset_names.bundle_name(keys, own)
    assert re.fullmatch(r"[0-9a-f]{%d}" % asset_names.NAME_DIGEST, name)
    assert asset_names.bundle_name(list(keys), dict(reversed(own.items()))) == name
    others = {asset_names.bundle_name(["a" * 64, "c" * 64], own), asset_names.bundle_name(keys[:1], own),
              asset_names.bundle_name(keys[::-1], own), asset_names.bundle_name(keys, {**own, "casebook-terms.json": "{ }"}),
              asset_names.bundle_name(keys, {"casebook-terms.json": "{}"})}
    assert name not in others and len(others) == 5


def test_the_search_modules_and_pagefind_s_bundle_are_named(valid_site):
    [folder] = [p for p in (valid_site / "pagefind").iterdir() if p.is_dir()]
    assert re.fullmatch(r"[0-9a-f]{%d}" % asset_names.NAME_DIGEST, folder.name) and (folder / "pagefind.js").is_file()
    assert (folder / "casebook-terms.json").is_file() and not (valid_site / "pagefind" / "pagefind.js").exists()
    page = valid_site / "index.html"
    [search] = [r for r in own_refs(page) if "/search." in r]
    assert re.search(r'<script src="%s" type="module">' % re.escape(search), page.read_text(encoding="utf-8"))
    # every import resolves to a file that is there, and the search code names the bundle's folder
    seen, todo = set(), [(page.parent / search).resolve()]
    while todo:
        module = todo.pop()
        seen.add(module.name)
        text = module.read_text(encoding="utf-8")
        for name in re.findall(r'from\s*"\./([^"]+)"', text):
            assert HASHED.search(name) and (module.parent / name).is_file(), (module.name, name)
            todo.append(module.parent / name)
        assert '"pagefind/pagefind' not in text and "`pagefind/${" not in text, module.name
    assert {re.sub(r"\.[0-9a-f]{10}", "", n) for n in seen} == {"search.js", "search-engine.js", "query.js", "rank.js"}
    assert f'"pagefind/{folder.name}/pagefind.js"' in "".join(
        p.read_text(encoding="utf-8") for p in (valid_site / "assets" / "casebook").glob("search.*.js"))
    # the worker's list of the index's files names the renamed folder
    files = json.loads((valid_site / "pagefind" / "offline-files.json").read_text(encoding="utf-8"))
    assert files and all(f.startswith(f"pagefind/{folder.name}/") for f in files)


def small_site(root: Path, rank: str = "export const r = 1;\n") -> Path:
    site = root / "site"
    (site / "assets" / "casebook").mkdir(parents=True)
    (site / "pagefind").mkdir()
    (site / "pagefind" / "pagefind.js").write_text("export const p = 1;\n")
    files = {"a.css": "a{}", "b.css": "b{}\n", "ui.js": "one();", "basket.js": "two();\n", "offline.js": "w();",
             "search.js": 'import { r } from "./rank.js";\nimport("pagefind/pagefind.js");\n', "rank.js": rank}
    for name, text in files.items():
        (site / "assets" / "casebook" / name).write_text(text)
    (site / "extra.css").write_text("c{}")
    (site / "x").mkdir()
    (site / "x" / "index.html").write_text(
        '<head>\n<link rel="stylesheet" href="../assets/casebook/a.css">\n<link rel="stylesheet" href="../extra.css">\n'
        '<link rel="stylesheet" href="../assets/casebook/b.css">\n'
        '<script src="../assets/casebook/offline.js" data-root="../" defer></script>\n</head><body>\n'
        '<script src="../assets/casebook/ui.js" defer></script>\n<script src="../assets/casebook/basket.js" defer></script>\n'
        '<script src="../assets/casebook/search.js" type="module"></script>\n</body>')
    return site


class Module:
    def __init__(self, path):
        self.path, self.type = path, "module"


BUNDLE = "0123456789"  # (the search bundle's folder name, told by the search job)


def rename(site: Path) -> dict:
    return asset_names.finish_site(site, ["assets/casebook/a.css", "extra.css", "assets/casebook/b.css"],
                                   ["assets/casebook/ui.js", "assets/casebook/basket.js", Module("assets/casebook/search.js")],
                                   bundle_name=BUNDLE)


def test_pages_point_at_the_bundles_and_a_changed_import_renames_its_importer(tmp_path):
    site = small_site(tmp_path / "one")
    names = rename(site)
    html = (site / "x" / "index.html").read_text()
    css, js = names["casebook.css"], names["casebook.js"]
    assert re.findall(r'href="([^"]+)"', html) == [f"../assets/casebook/{css}", "../extra.css"]  # a bank's own stays
    assert re.findall(r'src="([^"]+)"', html) == [f"../assets/casebook/{names['offline.js']}",
                                                  f"../assets/casebook/{js}", f"../assets/casebook/{names['search.js']}"]
    assert 'data-root="../" defer' in html and 'type="module"' in html
    folder = site / "assets" / "casebook"
    assert (folder / css).read_text() == "/* a.css */\na{}\n/* b.css */\nb{}\n"
    assert (folder / js).read_text() == "/* ui.js */\none();\n/* basket.js */\ntwo();\n"
    bundle = names["pagefind/"]
    assert f'import("{bundle}pagefind.js")' in (folder / names["search.js"]).read_text()
    assert (site / bundle / "pagefind.js").is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted(names[n] for n in (
        "casebook.css", "casebook.js", "offline.js", "search.js", "rank.js"))

    # rank.js changes: search.js, which imports it, gets a new name too; the rest keep theirs
    other = rename(small_site(tmp_path / "two", rank="export const r = 2;\n"))
    assert other["rank.js"] != names["rank.js"] and other["search.js"] != names["search.js"]
    assert {n: other[n] for n in ("casebook.css", "casebook.js", "offline.js", "pagefind/")} == \
        {n: names[n] for n in ("casebook.css", "casebook.js", "offline.js", "pagefind/")}


def test_a_module_cycle_is_named(tmp_path):
    (tmp_path / "a.js").write_text('import "./b.js";')
    (tmp_path / "b.js").write_text('import "./a.js";')
    with pytest.raises(ValueError, match="模块循环引用"):
        asset_names.module_names(tmp_path, ["a.js"], None)


# --- the nginx example ------------------------------------------------------------------------

def nginx_locations() -> list[tuple[str, re.Pattern | str, str]]:
    """(kind, pattern or prefix, Cache-Control) of every location in the example."""
    out = []
    text = NGINX.read_text(encoding="utf-8")
    for m in re.finditer(r'^\s*location\s+(~\*?|=|\^~)?\s*("[^"]+"|\S+)\s*\{(.*?)^\s*\}', text, re.M | re.S):
        kind, where = m[1] or "", m[2].strip('"')
        cache = re.search(r'add_header\s+Cache-Control\s+"([^"]+)"', m[3])
        out.append((kind, re.compile(where) if kind.startswith("~") else where, cache[1] if cache else ""))
    return out


def cache_control(uri: str, locations) -> str:
    """nginx's choice: an exact match, else the regexes in order (no ^~ prefix here), else the longest prefix."""
    for kind, where, cache in locations:
        if kind == "=" and uri == where:
            return cache
    for kind, where, cache in locations:
        if kind.startswith("~") and where.search(uri):
            return cache
    prefixes = [(len(w), cache) for kind, w, cache in locations if kind in ("", "^~") and uri.startswith(w)]
    return max(prefixes)[1] if prefixes else ""


YEAR = "public, max-age=31536000, immutable"


def test_the_nginx_example_keeps_every_hashed_name_a_year_and_checks_everything_else(valid_site):
    locations = nginx_locations()
    assert any(kind == "^~" for kind, _, _ in locations) is False  # (a ^~ prefix would hide the regexes)
    hashed, checked = [], []
    for path in valid_site.rglob("*"):
        if not path.is_file() or path.suffix in (".gz", ".br") or path.is_relative_to(valid_site / "admin"):
            continue
        rel = path.relative_to(valid_site).as_posix()
        uri = "/" + rel
        in_bundle = rel.startswith("pagefind/") and rel.split("/")[1] != "offline-files.json" \
            and path.name != "pagefind-entry.json"  # (fetched afresh, ?ts=…, and not part of the folder's digest)
        if in_bundle or HASHED.search(rel) and rel.startswith("assets/casebook/"):
            hashed.append(uri)
            assert cache_control(uri, locations) == YEAR, uri
        elif path.suffix in (".html", ".json", ".webmanifest", ".xml", ".txt") or rel in ("sw.js",):
            checked.append(uri)
            assert cache_control(uri, locations) == "no-cache", uri
        else:
            assert cache_control(uri, locations) != YEAR or re.search(r"\.[0-9a-f]{8}\.min\.", rel), uri
    assert "/sw.js" in checked and "/index.html" in checked and "/pagefind/offline-files.json" in checked
    assert any(u.endswith("/pagefind-entry.json") for u in checked)
    assert any(u.endswith("/pagefind.js") for u in hashed) and any(u.endswith(".css") for u in hashed)
    assert any(u.endswith(".pagefind") for u in hashed) and any(u.endswith("casebook-terms.json") for u in hashed)
    # every asset a page names is one of the year-long ones (Material's too)
    for ref in REF.findall((valid_site / "index.html").read_text(encoding="utf-8")):
        assert cache_control("/" + ref.removeprefix("./"), locations) == YEAR, ref


def test_pages_renamed_as_mkdocs_writes_them_equal_pages_renamed_afterwards(tmp_path, monkeypatch):
    """A build rewrites each page as MkDocs writes it (PageNames, from on_post_page), every name
    final already (the search bundle's too): the finished page is the same, byte for byte, as a
    page rewritten after the build, and is not read and rewritten again."""
    after = small_site(tmp_path / "after")
    names = rename(after)
    during = small_site(tmp_path / "during")
    page = during / "x" / "index.html"
    source = page.read_text()
    pages = asset_names.PageNames(during, ["assets/casebook/a.css", "extra.css", "assets/casebook/b.css"],
                                  ["assets/casebook/ui.js", "assets/casebook/basket.js", Module("assets/casebook/search.js")],
                                  asset_names.bundle_path(BUNDLE))
    written = pages.page(source, str(page))
    assert names["search.js"] in written and names["casebook.css"] in written
    page.write_text(written)
    monkeypatch.setattr(asset_names, "rewrite_page", lambda *a, **k: pytest.fail("a written page was rewritten again"))
    assert asset_names.finish_site(during, ["assets/casebook/a.css", "extra.css", "assets/casebook/b.css"],
                                   ["assets/casebook/ui.js", "assets/casebook/basket.js", Module("assets/casebook/search.js")],
                                   pages, BUNDLE) == names
    assert page.read_bytes() != source.encode()
    assert {p.relative_to(during).as_posix(): p.read_bytes() for p in during.rglob("*") if p.is_file()} == \
        {p.relative_to(after).as_posix(): p.read_bytes() for p in after.rglob("*") if p.is_file()}
