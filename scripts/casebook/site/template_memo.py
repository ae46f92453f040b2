"""Parts of the theme's page template rendered once per build and reused, where their HTML cannot
differ between the pages that share them (templates/site/main.html and partials/ wrap them in
`{% call casebook_once(...) %}`). Rendering Material's template is a third of a warm build; its
script configuration (ten translated strings, each a template import), its style and script
tags and the header's fixed parts are the same text on every page of a depth.

Why a depth is enough: these parts read the config, the theme's language and `base_url`, and
name files by site-root paths through MkDocs' `url` filter, which writes a path relative to the
page. For a page at depth d whose first folder is not the first folder of the path, that is
d times "../" plus the path: the same on every such page. So a part is shared by the pages of
one `base_url` (one depth), except pages in a first folder some such path starts with (assets/
and the folders of extra_css / extra_javascript): those render their own, as do templates
without a page (404.html).

The primary navigation is shared more narrowly, by the pages outside the nav in one parent
folder (`nav_key`): its links are relative to that folder, and nothing in it is active there.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

# the theme's own files (Material's CSS, JS, icons) all sit under assets/
THEME_FOLDERS = frozenset({"assets"})


def first_folder(path: str) -> str:
    return path.lstrip("./").split("/", 1)[0]


class SharedParts:
    """One build's memo of template parts: {(name, base_url): html}."""

    def __init__(self, linked_paths: Iterable[str], nav_pages: set[str]) -> None:
        # a page in one of these folders may see a shorter relative path to a file there
        self.own_folders = THEME_FOLDERS | {first_folder(p) for p in linked_paths if "://" not in p}
        self.nav_pages = nav_pages
        self.parts: dict[tuple, str] = {}
        self.navs: dict[str, str] = {}

    def key(self, page, base_url: str) -> str | None:
        url = getattr(page, "url", None)
        if page is None or not isinstance(url, str) or first_folder(url) in self.own_folders:
            return None
        return base_url

    def once(self, name: str, page, base_url: str, caller: Callable[[], str]) -> str:
        """`{% call casebook_once("name", page, base_url) %}…{% endcall %}`: the part's HTML,
        rendered by the first page of its depth."""
        key = self.key(page, base_url)
        if key is None:
            return caller()
        kept = self.parts.get((name, key))
        if kept is None:
            kept = self.parts[(name, key)] = caller()
        return kept

    def nav_key(self, page) -> str | None:
        """The parent folder of a page outside the nav (complaints/x/ → complaints), else None."""
        url = getattr(page, "url", None)
        if page is None or not isinstance(url, str) or not url.endswith("/") or page.file.src_uri in self.nav_pages:
            return None
        return url.rstrip("/").rpartition("/")[0]

    def remember_nav(self, key: str | None, html: str) -> str:
        if key is not None:
            self.navs[key] = html
        return html


def linked_paths(config) -> list[str]:
    """The site-root paths the config makes the template link to (besides the theme's assets/)."""
    out = []
    for entry in [*config["extra_css"], *config["extra_javascript"], *(config["extra"].get("polyfills") or [])]:
        path = entry if isinstance(entry, str) else getattr(entry, "path", None)
        if isinstance(path, str):
            out.append(path)
    theme = config["theme"]
    for name in ("logo", "favicon"):
        if isinstance(theme.get(name), str):
            out.append(theme[name])
    return out
