"""serve: MkDocs' view of generated pages that a rebuild leaves as they are.

MkDocs loads hooks.py afresh for every rebuild; what must outlive one rebuild lives here.
"""
from __future__ import annotations

import posixpath

from mkdocs.structure.files import File

_MADE: dict[tuple, BuiltPage] = {}  # (one serve process: the same objects, rebuild after rebuild)


class BuiltPage(File):
    """serve: a generated page unchanged since the last rebuild, its HTML still in the site
    folder. It stays in MkDocs' file list with its page's address, so a rebuilt page's links to
    it resolve exactly as before, but it is not a documentation page: MkDocs makes no Page of it
    (at 5,000 items, the Page objects and their URLs took a second of every rebuild), neither
    reads nor renders it, and does not copy it (never modified)."""

    @classmethod
    def at(cls, config, src_uri: str) -> BuiltPage:
        key = (src_uri, config["site_dir"], config["use_directory_urls"])
        if key not in _MADE:
            _MADE[key] = cls._make(config, src_uri)
        return _MADE[key]

    @classmethod
    def _make(cls, config, src_uri: str) -> BuiltPage:
        # (File.__init__ parses every path with pathlib: half a second for 5,000 pages; these
        # '/'-separated paths were made by casebook, so they are set as they are)
        built = cls.__new__(cls)
        built.src_uri, built.src_dir, built.dest_dir = src_uri, None, config["site_dir"]
        built.use_directory_urls = config["use_directory_urls"]
        built.dest_uri = page_dest(src_uri, built.use_directory_urls)
        built.generated_by, built._content = "casebook", ""
        return built

    def is_documentation_page(self) -> bool:
        return False

    def is_modified(self) -> bool:
        return False


def page_dest(src_uri: str, directory_urls: bool) -> str:
    """Where MkDocs writes a Markdown page (File._get_dest_path): foo.md → foo/index.html."""
    parent, filename = posixpath.split(src_uri)
    stem = posixpath.splitext(filename)[0]
    name = "index" if stem == "README" else stem
    if not directory_urls or name == "index":
        return posixpath.join(parent, name + ".html")
    return posixpath.join(parent, name, "index.html")


def is_page(file) -> bool:
    return isinstance(file, BuiltPage) or file.is_documentation_page()
