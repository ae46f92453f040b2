"""Hashed names for casebook's own assets: a web server may keep them a year, a phone never sees a stale one.

`finish_site` runs on a finished build, once the search index is in place and before the
offline files (whose precache list and version then name the hashed files) and the compressed
copies. Each name carries a digest of the file's bytes (NAME_DIGEST hex characters):

- casebook's stylesheets (mkdocs.yml extra_css under assets/casebook/, in that order) become one
  file, assets/casebook/casebook.<hash>.css: one render-blocking request instead of six. The
  sources stay separate files in the repository; they are joined here, at build time.
- casebook's classic scripts (extra_javascript under assets/casebook/ that are not modules)
  become one deferred file, casebook.<hash>.js.
- the JavaScript modules (search.js and everything it imports) keep one file each, under hashed
  names, their imports rewritten to the hashed names of what they import: leaves first, so a
  change in rank.js renames search-engine.js and search.js as well.
- Pagefind's bundle (pagefind.js, its worker and WebAssembly, the index, casebook-terms.json, the
  shards) moves whole into pagefind/<hash>/, named from what goes into it (bundle_name): the
  search job tells the name before Pagefind runs. pagefind.js finds its files relative to its own
  URL. The modules' "pagefind/…" addresses follow it.
- offline.js (main.html) becomes offline.<hash>.js.

Every page's <link>s and <script>s are rewritten to the new names and the unhashed files are
deleted from the site, so an old name is never served. A page is rewritten as MkDocs writes it
(PageNames, from the plugin's on_post_page), not read again afterwards: every name is known by
then, the search bundle's too, so a page is final once written (and can be compressed while the
index is still being made). A preview (`casebook serve`) keeps the plain names: it rebuilds a page
at a time and has no service worker or long cache to serve.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

ASSETS = "assets/casebook/"
NAME_DIGEST = 10  # hex characters: deploy/nginx.conf.example's patterns say the same
PAGEFIND = "pagefind"
PAGEFIND_ENTRY = "pagefind-entry.json"  # fetched with ?ts=<now>: served no-cache (deploy/nginx.conf.example)
ALSO_RENAMED = ("offline.js",)  # named by main.html rather than mkdocs.yml
PREVIEW_ONLY = ("preview.js",)  # (site/plugin.py adds it to a preview's pages; a build has no use for it)
CSS_BUNDLE = "casebook.css"
JS_BUNDLE = "casebook.js"

# what the patterns below look for is what MkDocs and Material write (mkdocs.utils.templates:
# script_tag; Material's base.html for extra_css), and main.html's own <script>
LINK = re.compile(r'<link rel="stylesheet" href="(?P<pre>[^"<>]*?)' + ASSETS + r'(?P<name>[\w-]+\.css)">[ \t]*\n?')
SCRIPT = re.compile(r'<script src="(?P<pre>[^"<>]*?)' + ASSETS + r'(?P<name>[\w-]+\.js)"(?P<attrs>[^<>]*)></script>[ \t]*\n?')
# a module's relative imports: `from "./x.js"`, `import "./x.js"`, `import("./x.js")`
IMPORT = re.compile(r'''(?P<head>\bfrom\s*|\bimport\s*\(?\s*)(?P<q>["'])\./(?P<name>[\w-]+\.js)(?P=q)''')
# the search code's addresses of the Pagefind bundle ("pagefind/pagefind.js", `pagefind/${dir}`)
PAGEFIND_ADDRESS = re.compile(r'''(?P<q>["'`])pagefind/''')


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:NAME_DIGEST]


def hashed(name: str, data: bytes) -> str:
    """casebook.css + its bytes → casebook.<digest>.css"""
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{digest(data)}.{ext}"


def own_paths(entries) -> list[tuple[str, bool]]:
    """mkdocs.yml's extra_css / extra_javascript entries under assets/casebook/: (file name, is a
    module). A bank's own extra files elsewhere are left as they are."""
    out = []
    for entry in entries or []:
        path = entry if isinstance(entry, str) else getattr(entry, "path", "")
        if path.startswith(ASSETS) and "/" not in path[len(ASSETS):]:
            out.append((path[len(ASSETS):], getattr(entry, "type", None) == "module"))
    return out


def bundle_name(shard_keys: list[str], own_files: dict[str, str]) -> str:
    """The search bundle's folder name, from what goes into the bundle: each shard's key (its
    records, Pagefind's version and casebook's code: search_cache.shard_key) and casebook's own
    files in it (the word lists). Known before Pagefind runs; a warm and a cold build of one
    library name it alike, and a change to anything the bundle holds names it anew, so a phone
    never mixes the files of two bundles. (Not a digest of Pagefind's output: its filter and meta
    files differ from one indexing of the same pages to the next.)"""
    h = hashlib.sha256(b"casebook search bundle")
    for key in shard_keys:
        h.update(b"\0" + key.encode("ascii"))
    for name in sorted(own_files):
        h.update(b"\0" + name.encode("utf-8") + b"\0" + own_files[name].encode("utf-8"))
    return h.hexdigest()[:NAME_DIGEST]


def bundle_path(name: str) -> str:
    return f"{PAGEFIND}/{name}/"


def move_pagefind(site_dir: Path, name: str | None) -> str | None:
    """pagefind/* → pagefind/<name>/*; the new folder's path from the site root ("pagefind/<name>/")."""
    folder = site_dir / PAGEFIND
    if not folder.is_dir() or name is None:
        return None
    target = folder / name
    children = list(folder.iterdir())
    target.mkdir()
    for child in children:
        child.rename(target / child.name)
    return bundle_path(name)


def pagefind_folder(site_dir: Path) -> Path:
    """Where a built site's Pagefind bundle is: pagefind/<digest>/ (a preview's: pagefind/)."""
    folder = site_dir / PAGEFIND
    named = [p for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"[0-9a-f]{%d}" % NAME_DIGEST, p.name)] \
        if folder.is_dir() else []
    return named[0] if len(named) == 1 else folder


def point_at_bundle(source: str, bundle: str | None) -> str:
    return PAGEFIND_ADDRESS.sub(lambda m: m["q"] + bundle, source) if bundle else source


def module_names(folder: Path, entries: list[str], bundle: str | None) -> dict[str, tuple[str, bytes]]:
    """Each module reachable from the entries: its hashed name and its rewritten bytes. A module's
    digest is taken after its imports are rewritten, so it covers everything it imports."""
    done: dict[str, tuple[str, bytes]] = {}

    def visit(name: str, path: tuple[str, ...]) -> str:
        if name in done:
            return done[name][0]
        if name in path:
            raise ValueError(f"{ASSETS}{name}: 模块循环引用（{' → '.join(path + (name,))}）")
        source = (folder / name).read_text(encoding="utf-8")
        source = IMPORT.sub(lambda m: f'{m["head"]}{m["q"]}./{visit(m["name"], path + (name,))}{m["q"]}', source)
        data = point_at_bundle(source, bundle).encode("utf-8")
        done[name] = (hashed(name, data), data)
        return done[name][0]

    for entry in entries:
        visit(entry, ())
    return done


def joined(folder: Path, names: list[str]) -> bytes:
    """Files one after the other, each opening with its name (a reader of the bundle finds the
    source) and ending with a newline (a file without one never runs into the next)."""
    parts = []
    for name in names:
        text = (folder / name).read_text(encoding="utf-8")
        parts.append(f"/* {name} */\n{text}{'' if text.endswith(chr(10)) else chr(10)}")
    return "".join(parts).encode("utf-8")


def rewrite_page(html: str, styles: set[str], scripts: set[str], renamed: dict[str, str],
                 css_bundle: str | None, js_bundle: str | None) -> str:
    """The page's casebook stylesheets → one link to the CSS bundle (where the first one was), its
    classic scripts → one deferred script, its modules and offline.js → their hashed names."""
    seen = {"css": False, "js": False}

    def link(m: re.Match) -> str:
        if m["name"] not in styles:
            return m[0]
        if seen["css"]:
            return ""
        seen["css"] = True
        return f'<link rel="stylesheet" href="{m["pre"]}{ASSETS}{css_bundle}">\n'

    def script(m: re.Match) -> str:
        name = m["name"]
        if name in renamed:
            return f'<script src="{m["pre"]}{ASSETS}{renamed[name]}"{m["attrs"]}></script>\n'
        if name not in scripts:
            return m[0]
        if seen["js"]:
            return ""
        seen["js"] = True
        return f'<script src="{m["pre"]}{ASSETS}{js_bundle}" defer></script>\n'

    return SCRIPT.sub(script, LINK.sub(link, html))


def _sources(folder: Path, extra_css, extra_javascript) -> tuple[list[str], list[str], list[str]]:
    """casebook's stylesheets, classic scripts and modules that are in the site, in mkdocs.yml's order."""
    scripts = own_paths(extra_javascript)
    return ([name for name, _ in own_paths(extra_css) if (folder / name).is_file()],
            [name for name, module in scripts if not module and (folder / name).is_file()],
            [name for name, module in scripts if module and (folder / name).is_file()])


def _written(folder: Path, css: list[str], classic: list[str], modules: list[str],
             bundle: str | None) -> dict[str, tuple[str, bytes]]:
    """{source or bundle name: (hashed name, bytes)} of every file this renaming writes."""
    written: dict[str, tuple[str, bytes]] = {}
    if css:
        data = joined(folder, css)
        written[CSS_BUNDLE] = (hashed(CSS_BUNDLE, data), data)
    if classic:
        data = point_at_bundle(joined(folder, classic).decode("utf-8"), bundle).encode("utf-8")
        written[JS_BUNDLE] = (hashed(JS_BUNDLE, data), data)
    written.update(module_names(folder, modules, bundle))
    for name in ALSO_RENAMED:
        if (folder / name).is_file():
            data = (folder / name).read_bytes()
            written[name] = (hashed(name, data), data)
    return written


class PageNames:
    """The pages' side of the renaming for one build, made at the first page MkDocs writes (the
    assets are copied into the site before any page, and the search bundle's name is known):
    `page()` rewrites each page's output before MkDocs writes it, so no page is read and written
    again after the build (0.5 s of CPU and 2 s of disk at 1,000 items on the build machine)."""

    def __init__(self, site_dir: Path, extra_css, extra_javascript, bundle: str | None):
        """`bundle`: the search bundle's folder ("pagefind/<name>/"), None for a site without one."""
        self.folder = site_dir / ASSETS
        css, classic, modules = _sources(self.folder, extra_css, extra_javascript)
        self.names = {name: new for name, (new, _) in _written(self.folder, css, classic, modules, bundle).items()}
        self.styles, self.classics = set(css), set(classic)
        self.renamed = {name: new for name, new in self.names.items() if name not in (CSS_BUNDLE, JS_BUNDLE)}
        self.written: set[str] = set()  # every page rewritten here (by path)

    def page(self, html: str, path: str) -> str:
        """A page's output as MkDocs is about to write it to `path`, with the new names."""
        html = rewrite_page(html, self.styles, self.classics, self.renamed, self.names.get(CSS_BUNDLE),
                            self.names.get(JS_BUNDLE))
        self.written.add(os.path.normpath(path))
        return html


def _html_files(site_dir: Path):
    for folder, _, names in os.walk(site_dir):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                if not os.path.islink(path):
                    yield os.path.normpath(path)


def finish_site(site_dir: Path, extra_css, extra_javascript, pages: PageNames | None = None,
                bundle_name: str | None = None) -> dict:
    """Give casebook's assets and the search bundle (`bundle_name`, told by the search job) hashed
    names and point every page at them (those `pages` rewrote as MkDocs wrote them are final
    already, and only checked to name the same files). Returns {source name: hashed name}."""
    folder = site_dir / ASSETS
    css, classic, modules = _sources(folder, extra_css, extra_javascript)
    bundle = move_pagefind(site_dir, bundle_name)
    written = _written(folder, css, classic, modules, bundle)
    for new, data in written.values():
        (folder / new).write_bytes(data)
    renamed = {name: new for name, (new, _) in written.items() if name not in (CSS_BUNDLE, JS_BUNDLE)}
    styles, classics = set(css), set(classic)
    css_bundle = written.get(CSS_BUNDLE, (None,))[0]
    js_bundle = written.get(JS_BUNDLE, (None,))[0]
    if pages is not None and pages.names != {name: new for name, (new, _) in written.items()}:
        raise RuntimeError(f"{ASSETS}: 构建过程中文件变了（{pages.names} → {written}）")
    done = pages.written if pages is not None else set()
    for path in _html_files(site_dir):  # (what MkDocs did not write as a page: admin/, a docs/ file)
        if path in done:
            continue
        page = Path(path)
        text = page.read_text(encoding="utf-8")
        new = rewrite_page(text, styles, classics, renamed, css_bundle, js_bundle)
        if new != text:
            page.write_text(new, encoding="utf-8")
    for name in {*css, *classic, *renamed}:  # (the sources: no page names them any more)
        (folder / name).unlink()
    for name in PREVIEW_ONLY:
        (folder / name).unlink(missing_ok=True)
    out = {name: new for name, (new, _) in written.items()}
    if bundle:
        out[PAGEFIND + "/"] = bundle
    return out
