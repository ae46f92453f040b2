"""The search results page, /search/?q=…: a plain form (Enter in the header box opens it), so a
search survives Back and can be shared as a link. search.js fills in the results."""
from __future__ import annotations

from .pagekit import Page, assemble


def search_pages() -> dict[str, Page]:
    """The page, keyed like pages.site_pages (the HTML is fixed: no user text in it)."""
    return {"search.md": assemble([
        "# 搜索\n\n",
        '<div class="cb-search-results-page">'
        '<form class="cb-search-page" action="./" method="get" role="search">'
        '<label for="cb-search-page-q">搜索话术、案例、预案</label>'
        '<input id="cb-search-page-q" name="q" type="search" placeholder="例如：老人、吞卡、系统故障" autocomplete="off" enterkeyhint="search">'
        '<button type="submit">搜索</button></form>'
        '<p class="cb-search__status" aria-live="polite"></p>'
        '<ol class="cb-search__results"></ol></div>',
    ])}
