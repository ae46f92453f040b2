"""MkDocs hooks: hand the pages of `pages.site_pages` to MkDocs without writing into docs/.

Item metadata is read only through casebook's loader (MkDocs ignores broken front matter
silently), and the build refuses to run on a library with errors.
"""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from casebook.library import Library
from casebook.pages import site_pages


def _root(config) -> Path:
    return Path(config["config_file_path"]).parent


def on_files(files: Files, config) -> Files:
    lib = Library.load(_root(config), use_cache=False)
    if lib.errors:
        shown = "\n".join(d.format_text() for d in lib.errors[:20])
        raise PluginError(f"案例库有 {len(lib.errors)} 个错误，请先运行 casebook check 修正：\n{shown}")
    for src_uri, content in site_pages(lib).items():
        files.append(File.generated(config, src_uri, content=content))
    return files
