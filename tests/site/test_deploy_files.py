"""What a web server and a phone need from a build: compressed copies, robots.txt, modes a web
server's user can read, the web app manifest with its icons, and the service worker's list."""
from __future__ import annotations

import gzip
import json
import os
import re
import stat
from pathlib import Path

import brotli
import pytest
from PIL import Image

from casebook.site.deploy_files import robots
from casebook.site.offline import app_settings
from conftest import VALID, run_cli


@pytest.fixture(scope="module")
def strict_umask_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("deploy") / "site"
    old = os.umask(0o077)  # a builder with a strict umask: the web server is another user
    try:
        result = run_cli("build", "--root", str(VALID), "--out", str(out))
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    return out


def test_every_file_and_folder_readable_by_the_web_server(strict_umask_site):
    for path in [strict_umask_site, *strict_umask_site.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode & 0o005 == 0o005, (path, oct(mode))
        else:
            assert mode & 0o004, (path, oct(mode))


def test_gzip_and_brotli_copies_beside_every_text_file(strict_umask_site):
    texts = [p for p in strict_umask_site.rglob("*") if p.suffix in (".html", ".css", ".js", ".json", ".xml", ".webmanifest")
             and p.stat().st_size >= 256]
    assert len(texts) > 40
    for path in texts:
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        assert gz.is_file() and br.is_file(), path
        assert gzip.decompress(gz.read_bytes()) == data and brotli.decompress(br.read_bytes()) == data, path
        assert br.stat().st_size < len(data), path
    # Pagefind's own files are gzip already: not compressed twice
    assert not list(strict_umask_site.glob("pagefind/**/*.pf_fragment.gz"))


def test_robots_keeps_an_internal_build_out_of_every_index(strict_umask_site):
    assert (strict_umask_site / "robots.txt").read_text(encoding="utf-8").splitlines()[-2:] == ["User-agent: *", "Disallow: /"]
    public = robots(True, "https://cases.example.cn/")
    assert "Disallow: /\n" not in public and "Sitemap: https://cases.example.cn/sitemap.xml" in public


def test_manifest_names_colours_and_icons(strict_umask_site):
    app = json.loads((strict_umask_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert app["name"] == "网点服务案例库" and app["short_name"] == "服务案例库" and app["display"] == "standalone"
    assert app["start_url"] == "./" and app["theme_color"] == "#9b1c1c"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in app["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable"), ("180x180", "any")} <= sizes
    for icon in app["icons"]:
        with Image.open(strict_umask_site / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"], icon
    home = (strict_umask_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="./manifest.webmanifest">' in home
    assert '<meta name="theme-color" content="#9b1c1c">' in home
    assert 'rel="apple-touch-icon" href="./assets/casebook/icons/apple-touch-icon-180.png"' in home


def test_a_bank_sets_its_own_name_and_colours():
    got = app_settings("网点服务案例库", {"app_name": "某某银行服务案例", "app_short_name": "案例",
                                   "theme_color": "#003a70", "background_color": " "})
    assert got == {"app_name": "某某银行服务案例", "app_short_name": "案例", "theme_color": "#003a70",
                   "background_color": "#ffffff"}


def test_the_worker_precaches_every_plan_role_page_and_the_search_index(strict_umask_site):
    source = (strict_umask_site / "sw.js").read_text(encoding="utf-8")
    paths = json.loads(re.search(r"^const PRECACHE = (.*);$", source, re.M)[1])
    paths += json.loads((strict_umask_site / "pagefind" / "offline-files.json").read_text(encoding="utf-8"))
    [bundle] = [p.name for p in (strict_umask_site / "pagefind").iterdir() if p.is_dir()]  # (named by its digest)
    [css] = [p.name for p in (strict_umask_site / "assets" / "casebook").glob("casebook.*.css")]
    for path in ["./", "search/", "emergencies/", "emergencies/illness/", "offline.html", f"pagefind/{bundle}/pagefind.js",
                 f"pagefind/{bundle}/pagefind-entry.json", f"assets/casebook/{css}"]:
        assert path in paths, path
    roles = {p.parent.name for p in (strict_umask_site / "facets" / "roles").glob("*/index.html")}
    assert len(roles) == 4 and {f"facets/roles/{r}/" for r in roles} <= set(paths)
    assert any(p.endswith(".pf_fragment") for p in paths) and any(p.endswith(".pf_index") for p in paths)
    for path in paths:  # every one exists (a missing file would fail the worker's install)
        assert (strict_umask_site / path / "index.html" if path.endswith("/") else strict_umask_site / path).is_file(), path
    assert not [p for p in paths if p.startswith("admin/") or "lunr" in p or p.endswith(".map")]


def test_an_unchanged_library_built_again_makes_the_same_worker(strict_umask_site, tmp_path):
    # (the browser installs a new worker when sw.js changes by one byte: an unchanged library
    # must not make every phone fetch every plan again)
    again = tmp_path / "again"
    assert run_cli("build", "--root", str(VALID), "--out", str(again)).code == 0
    assert (again / "sw.js").read_bytes() == (strict_umask_site / "sw.js").read_bytes()
    assert (again / "sw.js.br").read_bytes() == (strict_umask_site / "sw.js.br").read_bytes()


def test_sitemap_dates_are_each_item_s_updated(strict_umask_site):
    sitemap = (strict_umask_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<url><loc>./emergencies/illness/</loc><lastmod>2026-11-20</lastmod></url>" in sitemap
    assert "<url><loc>./emergencies/</loc></url>" in sitemap  # (a list: the day it changed is not known)
    assert len(re.findall("<lastmod>", sitemap)) == 6  # the six items, nothing else
    assert gzip.decompress((strict_umask_site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_compressed_copies_of_unchanged_files_come_from_the_cache(tmp_path, monkeypatch):
    """A rebuild compresses only what changed (the copies are the same bytes either way)."""
    from casebook.site import deploy_files

    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>第一页</p>" * 200, encoding="utf-8")
    (site / "b.html").write_text("<p>第二页</p>" * 200, encoding="utf-8")
    assert deploy_files.compress_site(site) == 4
    first = {p.name: p.read_bytes() for p in site.glob("*.br")}
    calls = []
    real = deploy_files.brotli.compress
    monkeypatch.setattr(deploy_files.brotli, "compress", lambda data, **kw: calls.append(1) or real(data, **kw))
    (site / "b.html").write_text("<p>第二页，改过</p>" * 200, encoding="utf-8")
    assert deploy_files.compress_site(site) == 4
    assert len(calls) == 1  # only the changed page was compressed again
    assert (site / "a.html.br").read_bytes() == first["a.html.br"] != (site / "b.html.br").read_bytes()


def _compressed(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(site.glob("*.gz")) + sorted(site.glob("*.br"))}


def test_a_damaged_or_edited_cache_entry_is_never_published(tmp_path, monkeypatch):
    """The store can make compression faster but never change its bytes: an entry that is not
    what its name says (damaged, edited by hand, or edited through the site's linked copy) is
    made again, and the copies equal those of a build without any cache."""
    from casebook.site import deploy_files

    site = tmp_path / "site"
    site.mkdir()
    for name, text in (("a.html", "<p>第一页</p>"), ("b.css", "p { color: red }\n"), ("c.js", "let x = 1;\n")):
        (site / name).write_text(text * 300, encoding="utf-8")
    monkeypatch.setenv("CASEBOOK_RENDER_CACHE", "0")
    assert deploy_files.compress_site(site) == 6
    cold = _compressed(site)
    monkeypatch.delenv("CASEBOOK_RENDER_CACHE")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    deploy_files.compress_site(site)
    assert _compressed(site) == cold
    entries = sorted((tmp_path / "cache" / "casebook" / "compressed").glob("*/*"))
    assert len(entries) == 6
    # a valid gzip of the same page at another level, garbage, and a copy edited in place in the site
    gz = next(e for e in entries if e.name.endswith(".gz"))
    gz.write_bytes(gzip.compress(gzip.decompress(gz.read_bytes()), 1, mtime=0))
    br = next(e for e in entries if e.name.endswith(".br"))
    br.write_bytes(b"not brotli")
    with open(site / "c.js.br", "r+b") as published:
        published.write(b"\0\0\0\0")
    deploy_files.compress_site(site)
    assert _compressed(site) == cold
    deploy_files.compress_site(site)  # (and the entries were made whole again)
    assert _compressed(site) == cold


def test_the_compressed_store_keeps_one_build_worth(tmp_path, monkeypatch):
    """What the last build did not use goes: the store does not grow with every edit."""
    from casebook.site import deploy_files

    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    site = tmp_path / "site"
    site.mkdir()
    page = site / "a.html"
    for n in range(3):
        page.write_text(f"<p>第 {n} 版</p>" * 300, encoding="utf-8")
        deploy_files.compress_site(site)
        entries = list((tmp_path / "cache" / "casebook" / "compressed").glob("*/*"))
        assert len(entries) == 2, n
        assert brotli.decompress((site / "a.html.br").read_bytes()) == page.read_bytes()
