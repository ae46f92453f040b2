"""The rendered Markdown of casebook's generated pages, kept across builds (the largest cost of a
warm build after the search index: Python-Markdown and the sanitiser, ~2.8 s of 8 at 1,000 items).

What MkDocs makes of a page's Markdown depends on the page's text, where the page is, the whole
resolved configuration (Markdown extensions and their options, validation, theme, plugins…), the
code that renders, and the files its links point at. The key holds all of it, by construction:

- `config_digest`: the resolved config walked whole — plain values as they are, any other object
  by its type and public data; the theme by its name, options and every file of its folders;
  each plugin by its name, type and config — and every installed package's version. Only
  `site_dir` is left out: where pages are written, never what they say (a build writes into a
  fresh temporary folder every time).
- `cache_store.code_digest()`: casebook's own source and templates, the renderers' versions.
- the page: its source path, its URL, its Markdown whole.
- its links: every target its Markdown could name (`](…)`, `]: …`, `href=`/`src=`, each cut at
  every `)` for nested parentheses, percent- and entity-decoded too), and for each the files
  MkDocs would try for it (relative to the page's source and to its URL, with `index.md`,
  `README.md` and `.md` guesses) — whether each exists and its URL. An over-approximation: a
  link target appearing or disappearing, or moving, changes the key.

On a hit the plugin hands MkDocs an empty page (Python-Markdown returns at once) with the title
the whole page had (`page.title`), and puts the kept HTML, table of contents and anchors back in
`on_page_content`. A page is kept only when its first line is its `# title` (`stub`), and its
title is what MkDocs made of that heading.

Used only when nothing outside the key can reach a page (`usable`): no other plugin handles pages,
and the Markdown extensions are Python-Markdown's own (they read nothing but the page).

Safety as the other caches (cache_store.py): the user's cache folder, JSON text in SQLite
(nothing unpickled or run), one build's worth kept.
"""
from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import posixpath
import re
import sys
import types
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import unquote

from mkdocs.plugins import BasePlugin

from ..core.cache_store import JsonStore, code_digest

# where the pages are written, never what they say (a fresh temporary folder every build)
NOT_RENDERED = frozenset({"site_dir"})
# events in which another plugin would see the stub instead of the page: with one, no cache
PAGE_EVENTS = ("on_page_read_source", "on_page_markdown", "on_page_content")
OWN_EXTENSIONS = "markdown.extensions."

_TARGET = re.compile(r"""\]\(\s*<([^>\n]*)>|\]\(\s*([^\s]+)|^[ ]{0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)"""
                     r"""|(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.MULTILINE)


def usable(config, own: BasePlugin) -> bool:
    """The cache holds only when a page's HTML is made from what its key holds:
    - no other plugin reads or changes a page's Markdown or HTML (it would see the stub);
    - every Markdown extension is one of Python-Markdown's own, which read nothing but the page
      (an extension of another package may read other files: pymdownx.snippets, b64…)."""
    for plugin in config["plugins"].values():
        if plugin is not own and any(getattr(type(plugin), ev, None) is not getattr(BasePlugin, ev, None)
                                     for ev in PAGE_EVENTS):
            return False
    known = {e.name: e.value for e in entry_points(group="markdown.extensions")}
    for ext in config["markdown_extensions"]:
        if not isinstance(ext, str):
            return False
        where = known.get(ext, ext).split(":")[0]
        if not where.startswith(OWN_EXTENSIONS):
            return False
    return True


# --- the configuration ----------------------------------------------------------------------

INSTALLED = frozenset({"site-packages", "dist-packages"})


def _is_installed(where: str) -> bool:
    return bool(INSTALLED & set(Path(where).parts))


def _package_version(obj) -> str:
    """What stands for the code an object comes from: an installed package by its name (its
    version is in the key already: `installed()` lists every installed distribution with its
    version), anything else by the bytes of its module's file."""
    module = obj if isinstance(obj, str) else getattr(type(obj), "__module__", "") or ""
    top = module.split(".")[0]
    loaded = sys.modules.get(top)
    where = getattr(loaded, "__file__", None)
    if where and Path(where).is_file() and not _is_installed(where):  # (a module of the library's own)
        return f"{top}:" + hashlib.sha256(Path(where).read_bytes()).hexdigest()
    return f"{top} (installed)"


def _folder_digest(folder: Path) -> str:
    """Every file of a theme folder, by its bytes (the library's own overrides); a folder inside
    an installed package (Material's 14,000 icons) by that package's version, in the key already."""
    if _is_installed(str(folder)):
        return "installed"
    digest = hashlib.sha256()
    top = len(str(folder))
    for where, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = f"{where}/{name}"
            digest.update(f"\0{path[top:]}\0".encode())
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _walk(value, seen: set[int]):
    """A JSON-able picture of a config value: plain values as they are, mappings and sequences
    item by item, any other object by its type and its public data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (bytes, Path)):
        return [type(value).__name__, str(value)]
    if id(value) in seen:
        return "<cycle>"
    seen = seen | {id(value)}
    if isinstance(value, types.ModuleType):  # (a hook: its code)
        where = getattr(value, "__file__", None)
        return ["module", value.__name__, _package_version(value.__name__) if not where or not Path(where).is_file()
                else hashlib.sha256(Path(where).read_bytes()).hexdigest()]
    if callable(value) and hasattr(value, "__qualname__"):  # a function or class named in an option
        return ["code", f"{getattr(value, '__module__', '')}.{value.__qualname__}",
                _package_version(getattr(value, "__module__", "") or "")]
    if isinstance(value, BasePlugin):  # by what it is and how it is set up, never its build state
        return ["plugin", f"{type(value).__module__}.{type(value).__qualname__}", _package_version(value),
                _walk(dict(value.config), seen)]
    if hasattr(value, "dirs") and hasattr(value, "name") and hasattr(value, "static_templates"):  # the theme
        return ["theme", value.name, _package_version(value.name or "mkdocs") if value.name else "",
                _walk(dict(value), seen), [_folder_digest(Path(d)) for d in value.dirs],
                sorted(value.static_templates)]
    if hasattr(value, "items") and callable(value.items):
        return ["map", type(value).__name__, sorted(([str(k), _walk(v, seen)] for k, v in value.items()),
                                                    key=lambda kv: kv[0])]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(_walk(v, seen), ensure_ascii=False) for v in value)]
    if isinstance(value, (list, tuple)):
        return ["seq", [_walk(v, seen) for v in value]]
    public = {k: v for k, v in vars(value).items() if not k.startswith("_")} if hasattr(value, "__dict__") else {}
    return ["object", f"{type(value).__module__}.{type(value).__qualname__}", _walk(public, seen) if public
            else str(value)]


def installed() -> list[str]:
    """Every package installed where Python imports from, with its version (the names of their
    metadata folders: a pip install or upgrade of anything renews every key)."""
    out = []
    for folder in sys.path:
        try:
            out += [n for n in os.listdir(folder or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(out)


def config_digest(config) -> str:
    """The whole resolved config (NOT_RENDERED aside), and every installed package's version."""
    picture = {key: _walk(config[key], set()) for key in sorted(config.keys()) if key not in NOT_RENDERED}
    text = json.dumps([picture, installed()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{code_digest()}\0{text}".encode()).hexdigest()


# --- a page ---------------------------------------------------------------------------------

def link_targets(markdown: str) -> set[str]:
    """Every string the page's Markdown could use as a link or image target (a superset)."""
    out: set[str] = set()
    for match in _TARGET.finditer(markdown):
        raw = next(g for g in match.groups() if g is not None)
        cuts = [raw] + [raw[:i] for i, ch in enumerate(raw) if ch == ")"]  # (nested parentheses)
        for target in cuts:
            for form in {target, unquote(target), htmllib.unescape(target), unquote(htmllib.unescape(target))}:
                form = form.split("#", 1)[0].split("?", 1)[0]
                if form:
                    out.add(form)
    return out


def _candidates(src_uri: str, url: str, target: str) -> set[str]:
    """The files MkDocs may look up for a link (mkdocs.structure.pages' own guesses, and more)."""
    out = set()
    for base in {posixpath.dirname(src_uri), posixpath.dirname(url), posixpath.dirname(url.rstrip("/"))}:
        resolved = posixpath.normpath(posixpath.join(base, target).lstrip("/"))
        for guess in (resolved, resolved + "/index.md", resolved + "/README.md", resolved + ".md",
                      resolved.removesuffix(".html") + ".md", resolved.removesuffix("/") + ".md"):
            out.add(posixpath.normpath(guess))
    return out


def page_key(setting: str, src_uri: str, url: str, markdown: str, files) -> str:
    """A page's key: the build's setting (config_digest), the page, and what its links resolve to."""
    links = []
    for target in sorted(link_targets(markdown)):
        for path in sorted(_candidates(src_uri, url, target)):
            found = files.get_file_from_path(path)
            links.append([target, path, None if found is None else [found.src_uri, found.url, found.dest_uri]])
    text = json.dumps([setting, src_uri, url, markdown, links], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def stub(markdown: str) -> str | None:
    """The page's first line when it is its `# title` (what MkDocs takes the title from)."""
    first = markdown.split("\n", 1)[0]
    if not first.startswith("# ") or "[" in first:  # (a reference link's definition lies elsewhere)
        return None
    return first + "\n"


def toc_tokens(toc) -> list[dict]:
    """A page's table of contents as the tokens mkdocs.structure.toc.get_toc is made from."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)} for a in toc]


# --- the store ------------------------------------------------------------------------------

class RenderCache(JsonStore):
    """Rendered pages by key: {html (sanitised), toc, title, anchors, links_to_anchors}."""

    FOLDER, SUFFIX, TABLE = "render", ".sqlite3", "pages"

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, dict) and isinstance(entry.get("html"), str) and isinstance(entry.get("title"), str)
