"""Library → site pages, as a pure function: {src path of a Markdown page: its text}.

No MkDocs here: the site plugin (plugin.py) only hands these pages to MkDocs (File.generated), so the
same function can write a staging docs/ folder for an engine without plugins.

Every page is Markdown with HTML blocks for the parts Markdown cannot say (phrase cards with
a copy button, facet chips, filterable lists). Text from cases/ is escaped where it goes into
HTML and left as Markdown in the body; the site sanitises the rendered HTML again (nh3).
Nothing renders a generated page as a template, so `{{ … }}` in a story is shown, never evaluated.

The pages live in modules of their own: item.py (one page per item), lists.py (index and facet
pages), tables.py (programme, coverage), basket.py (备课篮); pagekit.py holds what they share.
A new kind of page goes into a new module and gets one line in `site_pages`.
"""
from __future__ import annotations

from ..core.coverage import DIMENSIONS
from ..core.library import Library
from ..core.model import TYPE_FOLDERS, VOCAB_FIELDS
from .basis_page import basis_page
from .basket import BASKET_URL, basket_page
from .deploy_page import deploy_checklist_page
from .item import item_page
from .page_memo import PageMemo, listed
from .lists import facet_pages, facets_home, index_pages
from .pagekit import FACETS, FRONT, Page, View, assemble, facet_items
from .tables import coverage_page, programme_page


def site_pages(lib: Library, public: bool = False, site_url: str | None = None,
               memo: PageMemo | None = None) -> dict[str, Page]:
    """Every generated page of one build. Hand-written pages (docs/) are not included. With a
    memo (`casebook serve`), pages and rows of unchanged items come from the last rebuild."""
    view = View(lib, public, site_url or None, memo.rows if memo is not None else {})
    if memo is not None:
        memo.start(view)

    def made(key: tuple, inputs: tuple, make):
        return make() if memo is None else memo.family(key, inputs, make)

    pages: dict[str, Page] = {}
    more: dict[str, Page] = {}  # numbered and continuation pages of long lists (paging.py)
    for kind, folder in TYPE_FOLDERS.items():
        order = tuple(tuple(lib.vocabulary.values(VOCAB_FIELDS.get(v, v))) for v in FACETS[kind])
        index = dict(made(("index", kind), (*map(listed, view.of_type(kind)), order),
                          lambda: index_pages(view, kind)))
        pages[f"{folder}/index.md"] = index.pop(f"{folder}/index.md")
        more |= index
    for item in view.items.values():
        pages[f"{item.id}.md"] = memo.item_page(view, item) if memo is not None else item_page(view, item)
    for vocab in VOCAB_FIELDS:
        for value in view.lib.vocabulary.values(VOCAB_FIELDS[vocab]):
            if members := facet_items(view, vocab, value):
                pages[f"facets/{vocab}/{value}.md"], continued = made(
                    ("facet", vocab, value), tuple(map(listed, members)), lambda: facet_pages(view, vocab, value))
                more |= continued
    pages |= more
    pages["facets/index.md"] = facets_home(view)
    pages["programme.md"] = programme_page(view)
    pages["coverage.md"] = made(("coverage",), (*map(listed, view.items.values()), tuple(
        tuple(lib.vocabulary.values(field)) for field, _ in DIMENSIONS)), lambda: coverage_page(view))
    pages[BASKET_URL.rstrip("/") + ".md"] = basket_page(view)
    pages["basis.md"] = basis_page(view)
    pages["deploy.md"] = assemble([FRONT, deploy_checklist_page(lib)])  # 部署清单 (cases/bank.yml)
    if memo is not None:
        memo.forget_missing(set(view.items))
    return pages
