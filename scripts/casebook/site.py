"""MkDocs hooks (named in mkdocs.yml `hooks:`): the only place that knows MkDocs.

- on_config: reads CASEBOOK_PUBLIC (set by `casebook build --public`).
- on_files: loads the Library through casebook's loader (never page.meta: MkDocs ignores broken
  front matter silently), refuses to build on any error, and adds the pages of
  `pages.site_pages` with File.generated — nothing is written into docs/.
- on_page_content: every page's HTML passes through nh3, so no script, event handler or
  javascript: link survives even if it slipped past the checker.
- on_post_build: writes the Pagefind index (search.py) and a manifest with the counts.
- on_serve: also watches cases/ and outlets/.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import nh3
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from casebook.library import Library
from casebook.pages import View, site_pages
from casebook.search import records, write_index

from casebook.buildstate import STATE

# nh3 (ammonia) keeps safe HTML; these add what casebook's own markup and Material need.
# (form/select/option/label: the facet filter of index pages; a form keeps no action attribute)
_TAGS = set(nh3.ALLOWED_TAGS) | {"button", "section", "nav", "figure", "figcaption", "time", "form", "label",
                                  "select", "option", "details", "summary", "mark"}
_ATTRS = {"*": {"class", "id", "title", "role", "lang", "dir", "hidden", "tabindex"},
          "a": {"href", "hreflang", "title"}, "img": {"src", "alt", "width", "height", "loading", "title"},
          "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan", "align"}, "time": {"datetime"},
          "button": {"type"}, "ol": {"start"}, "select": {"name"}, "option": {"value", "selected"},
          "form": set(), "label": {"for"}}


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
                     generic_attribute_prefixes={"data-", "aria-"}, link_rel=None, strip_comments=True)


def _root(config) -> Path:
    """The library's root: set by `casebook build/serve --root`, else next to mkdocs.yml."""
    return Path(STATE.get("root") or Path(config["config_file_path"]).parent)


def on_config(config):
    STATE["public"] = os.environ.get("CASEBOOK_PUBLIC") == "1"
    return config


def on_files(files: Files, config) -> Files:
    root = _root(config)
    # `casebook build` hands over the library it just checked; a rebuild (serve) must reload
    lib = STATE.pop("library", None) or Library.load(root, use_cache=False)
    if lib.errors:
        shown = "\n".join(d.format_text() for d in lib.errors[:30])
        raise PluginError(f"案例库有 {len(lib.errors)} 个错误，请先运行 casebook check 修正：\n{shown}")
    public = STATE.get("public", False)
    view = View(lib, public)
    STATE["view"] = view
    pages = site_pages(lib, public)
    STATE["generated"] = set(pages)
    for src_uri, content in pages.items():
        files.append(File.generated(config, src_uri, content=content))
    for src_uri in _images(view):
        files.append(File.generated(config, src_uri, abs_src_path=str(root / "cases" / src_uri)))
    return files


def _images(view: View) -> list[str]:
    """media/… files shown by visible stories (only consented ones in a public build)."""
    out = []
    for item in view.items.values():
        for image in getattr(item.meta, "images", []) or []:
            if view.public and not image.consent:
                continue
            out.append(image.src.removeprefix("cases/"))
    return sorted(set(out))


def on_page_content(html: str, page, config, files) -> str:
    return sanitize(html)


def on_post_build(config) -> None:
    view: View = STATE["view"]
    site_dir = Path(config["site_dir"])
    count = write_index(records(view), site_dir)
    item_pages = sum(1 for item_id in view.items if (site_dir / item_id / "index.html").is_file())
    manifest = {"items": len(view.items), "item_pages": item_pages, "records": count,
                "internal_left_out": len(view.lib.items) - len(view.items) if view.public else 0,
                "public": view.public}
    (site_dir / "casebook-build.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def on_serve(server, config, builder):
    root = _root(config)
    for folder in ("cases", "outlets"):
        if (root / folder).is_dir():
            server.watch(str(root / folder))
    return server
