"""Library → site pages, as a pure function: {url path of a Markdown file: Markdown text}.

No MkDocs here: the hook in `site.py` only hands these pages to MkDocs, so the same function
can later write a staging docs/ folder for an engine without hooks (DESIGN.md).
"""
from __future__ import annotations

from .library import Library
from .model import TYPE_FOLDERS, TYPE_LABELS
from .validate import Item


def _meta_line(label: str, values: list[str]) -> str:
    return f"- **{label}**：{'、'.join(values)}" if values else ""


def item_page(lib: Library, item: Item) -> str:
    m = item.meta
    lines = [f"# {m.title}", "", f"> {m.summary}", ""]
    facts = [
        f"- **类型**：[{item.type_label}](../index.md)",
        _meta_line("客户群体", m.customer_groups),
        _meta_line("岗位", m.roles),
        _meta_line("业务", m.business),
        f"- **最后修订**：{m.updated.isoformat()}",
    ]
    lines += [f for f in facts if f] + [""]
    phrases = getattr(m, "phrases", None)
    if phrases:
        lines += ["## 话术", ""]
        for p in phrases:
            lines += [f"- **{p.when}**：{p.say}"]
        lines += [""]
    lines += [item.body.strip(), ""]
    related = lib.related(item)
    if related:
        lines += ["## 相关条目", ""]
        depth = "../../"
        lines += [f"- [{r.meta.title}]({depth}{r.id}.md)（{r.type_label}）" for r in related]
    return "\n".join(lines) + "\n"


def index_page(lib: Library, kind: str) -> str:
    items = sorted(lib.of_type(kind), key=lambda i: (-i.meta.updated.toordinal(), i.id))
    lines = [f"# {TYPE_LABELS[kind]}", "", f"共 {len(items)} 条。", ""]
    lines += [f"- [{i.meta.title}]({i.id.split('/', 1)[1]}.md) — {i.meta.summary}" for i in items]
    return "\n".join(lines) + "\n"


def site_pages(lib: Library) -> dict[str, str]:
    pages: dict[str, str] = {}
    for kind, folder in TYPE_FOLDERS.items():
        pages[f"{folder}/index.md"] = index_page(lib, kind)
    for item in lib.items.values():
        pages[f"{item.id}.md"] = item_page(lib, item)
    return pages
