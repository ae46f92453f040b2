"""One Markdown converter per build instead of one per page.

MkDocs' Page.render builds a new `markdown.Markdown` for every page: loading the configured
extensions again each time, 0.26 ms a page (1.6 s of a 6,000-page build, on the build's longest
path). `render(page, config, files)` does what Page.render does, on one converter kept for the
build: Python-Markdown's `reset()` clears what a conversion leaves behind (the HTML stash,
reference links, and each extension's own state through its reset), and MkDocs' four per-page
processors are registered afresh for each page under their own names, replacing the last
page's. The output is the same, byte for byte (tests/site/test_markdown_render.py compares a
whole site).
"""
from __future__ import annotations

import logging

import markdown
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

_CONVERTER: dict[str, object] = {}  # the build's converter, and the configuration it was made for


def _converter(config) -> markdown.Markdown:
    """The converter for this configuration: made again when the build (its config) changes."""
    key = (id(config), repr(config["markdown_extensions"]), repr(config["mdx_configs"]))
    if _CONVERTER.get("key") != key:
        _CONVERTER["md"] = markdown.Markdown(extensions=config["markdown_extensions"],
                                             extension_configs=config["mdx_configs"] or {})
        _CONVERTER["key"] = key
    return _CONVERTER["md"]  # type: ignore[return-value]


def render(page, config, files) -> None:
    """Page.render(config, files), on the build's converter."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = _converter(config)
    md.reset()
    raw_html = mkdocs_pages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = mkdocs_pages._ExtractTitleTreeprocessor()
    title._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative.links_to_anchors


def forget() -> None:
    """Drop the converter (end of a build: it holds the last page's tree)."""
    _CONVERTER.clear()
