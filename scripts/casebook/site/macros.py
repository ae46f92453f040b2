"""casebook's macros for hand-written docs/ pages: the Library, as small page parts.

    {{ items(type="story", limit=5) }}      newest items of a type
    {{ role_entries() }}                    "我是大堂经理" entry cards
    {{ situations(heading="常见场景") }}    常见场景: incidents and special services (nothing when empty)
    {{ library_counts() }}                  how many items of each type

A page asks for them with `macros: true` in its front matter; docs_pages.render_macros runs them
in a sandbox that offers nothing else. Each returns Markdown (a heading) and hands its HTML to
`slot`, which keeps it aside like the generated pages' markup (pagekit.Page): every value in it
is escaped here, and the sanitiser never sees it.
"""
from __future__ import annotations

from collections.abc import Callable

from ..core.model import TYPE_FOLDERS, TYPE_LABELS
from .lists import role_phrases
from .pagekit import View, e, facet_url, item_url, list_entry, rel


def casebook_macros(view: View, here: str, slot: Callable[[str], str]) -> dict[str, Callable[..., str]]:
    """The macros of one page (`here`: its URL), by name."""

    def items(type: str = "story", limit: int = 5, heading: str = "") -> str:
        chosen = sorted(view.of_type(str(type)), key=lambda i: (-i.meta.updated.toordinal(), i.id))[:int(limit)]
        if not chosen:
            return ""  # no empty section (a public build may have none of a type)
        links = "".join(list_entry(i, here) for i in chosen)
        return _heading(heading) + slot(f'<ul class="cb-list cb-newest">{links}</ul>')

    def role_entries(heading: str = "") -> str:
        cards = []
        for role in view.lib.vocabulary.values("roles"):
            # (the library's index: the items with the role, and the plans giving it duties;
            # going through every item for each role took a tenth of a preview's rebuild)
            found = list({i.id: i for i in view.with_value("roles", role)}.values())
            if not found:
                continue
            phrases = role_phrases(view, role)  # (the role page's count: scripts grouped by situation)
            plans = sum(1 for i in found if i.type == "emergency" and role in i.meta.duties)
            said = " · ".join(x for x in [f"{phrases} 句话术" if phrases else "", f"{plans} 个预案" if plans else ""] if x)
            cards.append(f'<a class="cb-entry-card" href="{e(rel(here, facet_url("roles", role)))}">'
                         f'<strong>我是{e(role)}</strong><span>{said or f"{len(found)} 条"}</span></a>')
        if not cards:
            return ""
        return _heading(heading) + slot(f'<div class="cb-entry-cards">{"".join(cards)}</div>')

    def situations(heading: str = "") -> str:
        groups = []
        plans = view.of_type("emergency")
        if plans:
            chips = "".join(f'<a class="cb-chip" href="{e(rel(here, item_url(p.id)))}">{e(p.meta.incident)}</a>'
                            for p in sorted(plans, key=lambda p: p.id))
            groups.append(f'<h3>突发事件</h3><div class="cb-chips">{chips}</div>')
        for scope in ("特殊客户", "特殊时段", "特殊业务"):
            guides = [g for g in view.of_type("guide") if g.meta.scope == scope]
            if guides:
                chips = "".join(f'<a class="cb-chip" href="{e(rel(here, item_url(g.id)))}">{e(g.meta.title)}</a>'
                                for g in sorted(guides, key=lambda g: g.id))
                groups.append(f'<h3>{scope}</h3><div class="cb-chips">{chips}</div>')
        if not groups:
            return ""  # no empty 常见场景 heading
        return _heading(heading) + slot("".join(groups))

    def library_counts() -> str:
        cells = "".join(f'<a class="cb-count-card" href="{e(rel(here, folder + "/"))}"><strong>'
                        f'{len(view.of_type(kind))}</strong><span>{TYPE_LABELS[kind]}</span></a>'
                        for kind, folder in TYPE_FOLDERS.items() if view.of_type(kind))  # no zero counters
        return slot(f'<div class="cb-counts">{cells}</div>')

    return {"items": items, "role_entries": role_entries, "situations": situations, "library_counts": library_counts}


def _heading(text: str) -> str:
    """A macro's own heading, as Markdown (it goes into the page's table of contents)."""
    return f"## {text}\n\n" if text else ""
