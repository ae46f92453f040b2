"""The site on a phone without a network: a web app manifest, a service worker and an offline page.

`finish_site` runs once the built site is complete (search index included) and writes:

- manifest.webmanifest: the site's Chinese name and short name, colours and icons, so a phone
  can put it on its home screen. A bank sets its own through mkdocs.yml `extra:` (APP_KEYS).
  The icons are PNGs in templates/site/assets/casebook/icons/ (MkDocs copies them with the
  theme): the character 案 in white on the site's red (#9b1c1c), drawn once with Pillow from
  Noto Sans CJK SC Bold at 192, 512 and 180 px (apple-touch), and at 512 px with the character
  inside the middle 80 % for the "maskable" icon that phones crop to a circle or a squircle.
  A bank replaces these four files with its own at the same sizes.
- sw.js (templates/offline/sw.js with this build's settings): precaches every emergency plan,
  every role page, the home page, the theme's assets and the search index on the first visit;
  other pages are kept as they are read. Its version is a hash of what the precached files say,
  so a changed plan makes a new version, whose cache replaces the old one; an unchanged library
  built again makes the same sw.js, byte for byte (a warm build equals a cold one).
- pagefind/offline-files.json: the search index's files the worker precaches. Pagefind names
  its files by hashes that change from one indexing to the next, so the list lives beside the
  index rather than in sw.js, and the version hashes the index by its fragments' content.
- offline.html: the page shown for anything not cached while the network is down.

A preview (`casebook serve`) gets no service worker: it rebuilds pages as they are edited and
a worker would stand between the editor and the page just written (the manifest and the
offline page are harmless there and are written all the same).
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
from pathlib import Path

from ..core.project import TEMPLATES
from .asset_names import PAGEFIND, pagefind_folder
from .pagekit import View, item_url

WORKER = TEMPLATES / "offline" / "sw.js"
SETTINGS_LINE = "/* CASEBOOK_SETTINGS */"
ICONS = "assets/casebook/icons/"
OFFLINE_PAGE = "offline.html"
SEARCH_FILES = "pagefind/offline-files.json"
ROLE_PAGES = "facets/roles"  # (lists.py: one facet page per role)

# mkdocs.yml `extra:` keys a bank may set, and what is used without them
APP_KEYS = {
    "app_name": None,           # the name under the icon; site_name without it
    "app_short_name": "服务案例库",  # under the icon: at most 6 Chinese characters fit
    "theme_color": "#9b1c1c",   # the browser's bar (casebook.css --md-primary-fg-color)
    "background_color": "#ffffff",
}
SHORT_NAME_LENGTH = 6  # Chinese characters that fit under a home-screen icon
# the theme's files a page needs to look right offline (MkDocs' own search is not used)
THEME_SUFFIXES = (".css", ".js", ".png", ".svg", ".woff2", ".json")
SKIPPED_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
# Pagefind: the index files every search reads; fragments (one per page) are precached whole
# up to this size, else those of the precached pages only
PAGEFIND_CORE = (".pf_meta", ".pf_index", ".pf_filter", ".json", ".pagefind")
PAGEFIND_CODE = ("pagefind.js", "pagefind-worker.js")
ALL_FRAGMENTS_UP_TO = 4_000_000


def app_settings(site_name: str, extra: dict | None) -> dict:
    """The manifest's name, short name and colours: mkdocs.yml `extra:` over the defaults."""
    extra = extra or {}
    out = {key: extra.get(key) if isinstance(extra.get(key), str) and extra.get(key).strip() else default
           for key, default in APP_KEYS.items()}
    out["app_name"] = out["app_name"] or site_name
    out["app_short_name"] = out["app_short_name"] or out["app_name"][:SHORT_NAME_LENGTH]
    return out


def manifest(settings: dict) -> dict:
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": ICONS + name, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
    return {
        "name": settings["app_name"],
        "short_name": settings["app_short_name"],
        "lang": "zh-CN",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": settings["theme_color"],
        "background_color": settings["background_color"],
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512),
                  icon("icon-maskable-512.png", 512, "maskable"), icon("apple-touch-icon-180.png", 180)],
        # a long press on the home-screen icon: straight to the plans and the search
        "shortcuts": [{"name": "应急预案", "url": "emergencies/"}, {"name": "搜索", "url": "search/"}],
    }


def emergency_pages(view: View) -> list[str]:
    return ["emergencies/"] + [item_url(item.id) for item in view.of_type("emergency")]


def role_pages(site_dir: Path) -> list[str]:
    """Every role page as built (facets/roles/<role>/ and its continuation pages)."""
    base = site_dir / ROLE_PAGES
    return sorted(f"{p.parent.relative_to(site_dir).as_posix()}/" for p in base.rglob("index.html"))


def theme_assets(site_dir: Path) -> list[str]:
    out = []
    for path in sorted((site_dir / "assets").rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and rel.endswith(THEME_SUFFIXES) and not rel.startswith(SKIPPED_ASSETS):
            out.append(rel)
    return out


def fragment_url(path: Path) -> str | None:
    """The page a Pagefind fragment belongs to ("/complaints/x/" → "complaints/x/")."""
    try:
        data = gzip.decompress(path.read_bytes())
        return json.loads(data[data.index(b"{"):])["url"].lstrip("/")
    except (OSError, ValueError, KeyError, gzip.BadGzipFile):
        return None


def search_files(site_dir: Path, pages: set[str]) -> list[str]:
    """Pagefind's code and index (every shard), and the fragments of the cached pages."""
    out, fragments = [], []
    for path in sorted(site_dir.glob("pagefind*/**/*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if path.suffix == ".pf_fragment":
            fragments.append(path)
        elif path.name in PAGEFIND_CODE or path.name.endswith(PAGEFIND_CORE):
            out.append(rel)
    whole = sum(p.stat().st_size for p in fragments) <= ALL_FRAGMENTS_UP_TO
    out += [p.relative_to(site_dir).as_posix() for p in fragments if whole or fragment_url(p) in pages]
    return out


def precache_list(site_dir: Path, view: View) -> tuple[list[str], list[str]]:
    """(the pages and theme files, the search index's files) a first visit stores."""
    pages = ["./", "search/", *emergency_pages(view), *role_pages(site_dir)]
    pages = [p for p in dict.fromkeys(pages) if (site_dir / p / "index.html").is_file()]  # (a library's own
    # docs/ may have no home page)
    return ([*pages, OFFLINE_PAGE, "manifest.webmanifest", *theme_assets(site_dir)],
            search_files(site_dir, set(pages)))


def version(site_dir: Path, paths: list[str]) -> str:
    """A hash of the precached files' paths and bytes, and of the search index by what it holds:
    any change makes a new cache. The index is named by its folder, pagefind/<name>/, named from
    everything that goes into the bundle (asset_names.bundle_name); an unnamed folder by its
    fragments, unpacked, and the word lists."""
    digest = hashlib.sha256()
    for rel in paths:
        file = site_dir / ("index.html" if rel == "./" else rel + "index.html" if rel.endswith("/") else rel)
        digest.update(rel.encode() + b"\0" + file.read_bytes() + b"\0")
    bundle = pagefind_folder(site_dir)
    if bundle != site_dir / PAGEFIND:
        digest.update(bundle.relative_to(site_dir).as_posix().encode())
        return digest.hexdigest()[:16]
    for data in sorted(gzip.decompress(p.read_bytes()) for p in site_dir.glob("pagefind*/**/*.pf_fragment")):
        digest.update(data + b"\0")
    for own in sorted(site_dir.glob("pagefind*/casebook-*.json")):
        digest.update(own.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def worker_source(paths: list[str], build_version: str, sections: list[str]) -> str:
    settings = "\n".join(f"const {name} = {json.dumps(value, ensure_ascii=False)};" for name, value in (
        ("VERSION", build_version), ("PRECACHE", paths), ("SEARCH_FILES", SEARCH_FILES),
        ("SECTIONS", sections), ("OFFLINE", OFFLINE_PAGE)))
    source = WORKER.read_text(encoding="utf-8")
    if SETTINGS_LINE not in source:
        raise ValueError(f"{WORKER.name}: the line {SETTINGS_LINE} is missing")
    return source.replace(SETTINGS_LINE, settings, 1)


def offline_page(settings: dict) -> str:
    """A page of its own (no theme files needed): what to do when a page has no offline copy.
    It is shown at the address that was asked for: the worker points its <base> at the site's
    root and its retry link at that address (sw.js, `offlinePage`)."""
    name, colour = html.escape(settings["app_name"]), html.escape(settings["theme_color"])
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<base href="./">
<title>网络未连接 · {name}</title>
<style>
body{{font:17px/1.6 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f1f1f}}
header{{background:{colour};color:#fff;padding:14px 18px;font-weight:600}}
main{{padding:8px 18px 24px;max-width:40em}} a{{color:{colour}}} li{{margin:.5em 0}}
a.cb-retry{{display:inline-block;margin-top:8px;padding:10px 18px;border-radius:6px;background:{colour};color:#fff;text-decoration:none}}
</style></head>
<body><header>{name}</header><main>
<h1>网络未连接</h1>
<p>这个页面还没有保存在本机，联网后才能打开。下面这些页面已经保存，断网也能看：</p>
<ul>
<li><a href="./emergencies/">全部应急预案</a>（停电、火灾、系统设备故障等）</li>
<li><a href="./">首页</a>和各岗位页面（首页“按岗位”）</li>
<li><a href="./search/">搜索</a>（搜索的是本机保存的副本）</li>
</ul>
<p><a class="cb-retry" href="#retry">网络恢复后重试</a></p>
</main></body></html>
"""


def finish_site(site_dir: Path, view: View, site_name: str, extra: dict | None, worker: bool = True) -> dict:
    """Write the manifest, the offline page and (for a build, `worker`) the service worker into a
    finished site. Returns what the worker precaches (for the tests)."""
    settings = app_settings(site_name, extra)
    (site_dir / "manifest.webmanifest").write_text(
        json.dumps(manifest(settings), ensure_ascii=False, indent=1), encoding="utf-8")
    (site_dir / OFFLINE_PAGE).write_text(offline_page(settings), encoding="utf-8")
    if not worker:
        (site_dir / "sw.js").unlink(missing_ok=True)
        return {}
    paths, search = precache_list(site_dir, view)
    (site_dir / SEARCH_FILES).write_text(json.dumps(search), encoding="utf-8")
    sections = sorted(p.name for p in site_dir.iterdir() if p.is_dir() and p.name != "admin")
    build_version = version(site_dir, paths)
    (site_dir / "sw.js").write_text(worker_source(paths, build_version, sections), encoding="utf-8")
    return {"version": build_version, "precache": paths + search}
