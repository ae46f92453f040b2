"""Index pages, facet pages and the facet home.

A role page (`/facets/roles/大堂经理/`) and a customer-group page help that person at work: they
open with the scripts (copyable cards, grouped by situation, one situation open), then the plans
(for a role: its duties in each plan), then everything else folded by type with counts.

A page that would outgrow a phone (paging.LIMIT) is cut: an index page into numbered
pages whose filter reads every entry of the type from `<type>/list.json`; each section of a facet,
role or customer-group page into its first entries and 「查看全部 N 条」 continuation pages.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from ..core.model import TYPE_FOLDERS, TYPE_LABELS, VOCAB_FIELDS, VOCAB_LABELS
from ..core.validate import Item
from . import paging
from .pagekit import (FACETS, FRONT, Page, View, assemble, e, facet_items, facet_url, item_url, item_values,
                      phrase_card, plain_heading, rel)

# Situation groups of a role / customer-group page, in the order each reader needs them: a role
# page opens on what staff meet every day (特殊客户, 投诉应对); the rare emergencies have their
# own section of duties below the scripts.
GUIDE_SCOPES = ("特殊客户", "特殊时段", "特殊业务")
GROUP_ORDER = {"roles": ["特殊客户", "complaint", "特殊时段", "特殊业务", "emergency"],
               "customer_groups": [*GUIDE_SCOPES, "emergency", "complaint"]}
GROUP_LABELS = {"emergency": "突发事件", "complaint": "投诉应对", **{s: s for s in GUIDE_SCOPES}}
# front matter key of a role page: its place in the vocabulary (the menu's order)
ROLE_ORDER_KEY = "casebook_role"
# folders of a cut section's continuation pages, under the facet page (never a vocabulary value)
GROUP_SLUGS = {"emergency": "scripts-emergency", "complaint": "scripts-complaint", "特殊客户": "scripts-customers",
               "特殊时段": "scripts-periods", "特殊业务": "scripts-business"}


def role_menu_entry(markdown: str) -> tuple[int, str] | None:
    """(place in the vocabulary, title) of a role page's Markdown, None for any other page: the
    menu's 「按岗位」 lists these (plugin.py hands them to templates/site/partials/nav.html)."""
    head = f"---\n{ROLE_ORDER_KEY}: "
    if not markdown.startswith(head):
        return None
    order, _, rest = markdown[len(head):].partition("\n")
    title = next((line[2:] for line in rest.splitlines() if line.startswith("# ")), "")
    return int(order), title


def _newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (-i.meta.updated.toordinal(), i.id))


def _list(rows: str) -> str:
    return f'<ul class="cb-list">{rows}</ul>'


# --- index pages ------------------------------------------------------------------------------

def index_page(view: View, kind: str) -> Page:
    return index_pages(view, kind)[f"{TYPE_FOLDERS[kind]}/index.md"]


def index_pages(view: View, kind: str) -> dict[str, Page]:
    """The type's index page; when cut, also its numbered pages and `list.json` for the filter."""
    folder = TYPE_FOLDERS[kind]
    base = f"{folder}/"
    items = _newest_first(view.of_type(kind))
    facets = FACETS[kind]
    label = TYPE_LABELS[kind]
    controls = _controls(view, items, facets)
    rows = [view.entry(i, base, tuple(facets)) for i in items]
    if paging.fits([*rows, *controls]):
        return {f"{folder}/index.md": assemble([
            FRONT, f"# {label}\n\n", f"{_filter_box(label, controls)}{_count(len(items))}{_list(''.join(rows))}"])}

    def page(here: str, n: int, total: int, rows: str) -> list[str]:
        source = f' data-entries="{e(rel(here, f"{folder}/list.json"))}" data-page-size="{paging.PAGE_ITEMS}"'
        top, nav = paging.pager(base, here, n, total, compact=True), paging.pager(base, here, n, total)
        return [FRONT, f"# {label}\n\n" if n == 1 else f"# {label}（第 {n} 页）\n\n",
                f'{_filter_box(label, controls, source)}{_count(len(items), f"第 {n} / {total} 页")}'
                f'{top}{_list(rows)}{nav}']

    # the filter of a cut index reads list.json, so its entries carry no facet values of their own
    out = {src: assemble(parts) for src, parts in paging.series(base, items, view.entry, page).items()}
    out[f"{folder}/list.json"] = Page(_entries_json(items, base, facets), {})
    return out


def _controls(view: View, items: list[Item], facets: list[str]) -> list[str]:
    controls = []
    for vocab in facets:
        counts = Counter(v for i in items for v in item_values(i, vocab))
        if not counts:
            continue
        order = [v for v in view.lib.vocabulary.values(VOCAB_FIELDS.get(vocab, vocab)) if v in counts]
        options = "".join(f'<option value="{e(v)}">{e(v)}（{counts[v]}）</option>' for v in order)
        controls.append(f'<label>{e(VOCAB_LABELS[vocab])}<select data-facet="{vocab.replace("_", "-")}">'
                        f'<option value="">全部</option>{options}</select></label>')
    controls.append('<label>排序<select data-sort><option value="updated-desc">最后修订（新→旧）</option>'
                    '<option value="updated-asc">最后修订（旧→新）</option><option value="title">标题</option></select></label>')
    return controls


def _filter_box(label: str, controls: list[str], source: str = "") -> str:
    return (f'<details class="cb-filter-box"><summary>筛选与排序</summary>'
            f'<form class="cb-facets" aria-label="筛选{e(label)}"{source}>{"".join(controls)}'
            f'<button type="reset">清除筛选</button></form></details>')


def _count(n: int, page_of: str = "") -> str:
    of = f'<span class="cb-page-of" data-page-of>，{e(page_of)}</span>' if page_of else ""
    return f'<p class="cb-count" aria-live="polite">共 <span data-count>{n}</span> 条{of}</p>'


def _entries_json(items: list[Item], base: str, facets: list[str]) -> str:
    """Every entry of a cut index, newest first, for the filter: link (relative to this file),
    title, summary, last revision and, per facet, the indexes of its values in `facets` (a value
    is written once, not once per entry). Read as data and shown as text, never as HTML."""
    values = {v: list(dict.fromkeys(x for i in items for x in item_values(i, v))) for v in facets}
    where = {v: {x: n for n, x in enumerate(values[v])} for v in facets}
    rows = [[rel(base, item_url(i.id)), i.meta.title, i.meta.summary, i.meta.updated.isoformat(),
             [[where[v][x] for x in item_values(i, v)] for v in facets]] for i in items]
    table = [[v.replace("_", "-"), values[v]] for v in facets]
    return json.dumps({"facets": table, "entries": rows}, ensure_ascii=False, separators=(",", ":"))


# --- role and customer-group pages ------------------------------------------------------------

def _group(item: Item) -> str:
    return item.meta.scope if item.type == "guide" else item.type


def _urgency(item: Item) -> tuple:
    """Plans with the shortest report deadline first (robbery before a media interview)."""
    return (item.meta.report_within_minutes if item.type == "emergency" else 0, item.id)


def _situation(item: Item) -> str:
    return item.meta.incident if item.type == "emergency" else item.meta.title


def _situation_row(view: View, item: Item, here: str, opened: bool = False) -> str:
    return view.memo(item, ("situation", rel(here, item_url(item.id)), opened),
                     lambda: _make_situation_row(item, here, opened))


def _make_situation_row(item: Item, here: str, opened: bool) -> str:
    cards = "".join(phrase_card(p.when, p.say) for p in item.meta.phrases)
    return (f'<details class="cb-situation"{" open" if opened else ""}><summary><span>{e(_situation(item))}</span>'
            f'<span class="cb-n">{len(item.meta.phrases)} 句</span></summary><div class="cb-situation__cards">{cards}</div>'
            f'<p class="cb-situation__more"><a href="{e(rel(here, item_url(item.id)))}">打开{e(item.type_label)}：'
            f'{e(item.meta.title)}</a></p></details>')


def _script_groups(items: list[Item], vocab: str) -> list[tuple[str, list[Item], int]]:
    """(group, its items with phrases, most urgent first, its number of phrases) in reading order."""
    with_phrases = [i for i in items if getattr(i.meta, "phrases", None)]
    out = []
    for group in GROUP_ORDER[vocab]:
        chosen = sorted((i for i in with_phrases if _group(i) == group), key=_urgency)
        if chosen:
            out.append((group, chosen, sum(len(i.meta.phrases) for i in chosen)))
    return out


def _phrases(groups: list[tuple[str, list[Item], int]]) -> int:
    return sum(count for _, _, count in groups)


def role_phrases(view: View, role: str) -> int:
    """The phrases a role page shows (the home page's role card says the same number)."""
    return _phrases(_script_groups(facet_items(view, "roles", role), "roles"))


def _plan_row(plan: Item, here: str, role: str | None) -> str:
    """For a role: its duties in the plan, folded; otherwise a compact link
    (a customer group meets many plans: their summaries would push the rest off six screens)."""
    if role is None:
        return (f'<li><a href="{e(rel(here, item_url(plan.id)))}">{e(plan.meta.title)}</a>'
                f'<span class="cb-n">{plan.meta.report_within_minutes} 分钟内报告</span></li>')
    duties = plan.meta.duties.get(role, [])
    return (f'<details class="cb-situation"><summary><span>{e(plan.meta.incident)}</span>'
            f'<span class="cb-n">{plan.meta.report_within_minutes} 分钟内报告</span></summary>'
            f'<ul>{"".join(f"<li>{e(d)}</li>" for d in duties)}</ul>'
            f'<p class="cb-situation__more"><a href="{e(rel(here, item_url(plan.id)))}">打开预案：{e(plan.meta.title)}</a></p></details>')


def _plans(rows: str, role: str | None) -> str:
    return rows if role else f'<ul class="cb-plan-links">{rows}</ul>'


class _Section:
    """One bounded part of a facet or role page: its rows and, when cut, its continuation pages."""

    def __init__(self, slug: str, title: str, things: list, render: Callable[[object, str], str],
                 wrap: Callable[[str], str], more: str):
        self.slug, self.title, self.things, self.render, self.wrap, self.more = slug, title, things, render, wrap, more
        self.cut = False

    def shown(self, here: str, rows: list[str], cut: bool) -> str:
        """The section's rows on the facet page: all of them, or its first ones and a link on."""
        if not cut or len(rows) <= (n := paging.head(rows)):
            return self.wrap("".join(rows))
        self.cut = True
        return self.wrap("".join(rows[:n])) + paging.more_link(here, f"{here}{self.slug}/", self.more)

    def pages(self, here: str, heading: str) -> dict[str, Page]:
        base = f"{here}{self.slug}/"

        def page(at: str, n: int, total: int, rows: str) -> list[str]:
            top, nav = paging.pager(base, at, n, total, compact=True), paging.pager(base, at, n, total)
            back = f'<p class="cb-summary"><a href="{e(rel(at, here))}">返回{e(heading)}</a> ｜ {e(self.more.replace("查看全部 ", "共 "))}</p>'
            title = f"{heading} · {self.title}" + (f"（第 {n} 页）" if n > 1 else "")
            return [FRONT, f"# {plain_heading(title)}\n\n", f"{back}{top}{self.wrap(rows)}{nav}"]

        return {src: assemble(parts) for src, parts in paging.series(base, self.things, self.render, page).items()}


def _type_sections(items: list[Item]) -> list[tuple[str, list[Item]]]:
    return [(kind, _newest_first(of_kind)) for kind in TYPE_FOLDERS if (of_kind := [i for i in items if i.type == kind])]


def _entry_section(view: View, kind: str, of_kind: list[Item], wrap: Callable[[str], str]) -> _Section:
    return _Section(TYPE_FOLDERS[kind], TYPE_LABELS[kind], of_kind, lambda i, at: view.entry(i, at), wrap,
                    f"查看全部 {len(of_kind)} 条")


def person_page(view: View, vocab: str, value: str) -> Page:
    return _person(view, vocab, value)[0]


def _person(view: View, vocab: str, value: str, more: bool = False) -> tuple[Page, dict[str, Page]]:
    """A role or customer-group page: scripts first, then plans, then the rest folded; and, when
    it is cut, the continuation pages of its sections (only built when `more`)."""
    here = facet_url(vocab, value)
    items = facet_items(view, vocab, value)
    groups = _script_groups(items, vocab)
    n_scripts = _phrases(groups)  # (role_phrases, on the home page's card, counts the same way)
    role = value if vocab == "roles" else None
    plans = sorted((i for i in items if i.type == "emergency" and (role is None or role in i.meta.duties)), key=_urgency)
    kinds = _type_sections(items)
    label = f"我是{value}" if vocab == "roles" else value

    script_rows = [[_situation_row(view, i, here, opened=g == 0 and n == 0) for n, i in enumerate(chosen)]
                   for g, (_, chosen, _) in enumerate(groups)]
    plan_rows = [_plan_row(p, here, role) for p in plans]
    kind_rows = [[view.entry(i, here) for i in of_kind] for _, of_kind in kinds]
    cut = not paging.fits([*(r for rows in script_rows for r in rows), *plan_rows, *(r for rows in kind_rows for r in rows)])

    sections = [_Section(GROUP_SLUGS[group], f"话术：{GROUP_LABELS[group]}", chosen,
                         lambda i, at: _situation_row(view, i, at), lambda r: r,
                         f"查看全部 {len(chosen)} 个场景") for group, chosen, _ in groups]
    scripts = "".join(
        f'<details class="cb-group"{" open" if g == 0 else ""}><summary><span>{e(GROUP_LABELS[group])}</span>'
        f'<span class="cb-n">{len(chosen)} 个场景 · {count} 句</span></summary>{section.shown(here, rows, cut)}</details>'
        for g, ((group, chosen, count), section, rows) in enumerate(zip(groups, sections, script_rows)))
    counts = [f"话术 {n_scripts} 句"] if n_scripts else []
    if plans:
        counts.append(f"预案 {len(plans)} 个")
    counts.append(f"共 {len(items)} 条")
    # a role page names its place in the vocabulary: the menu's 「按岗位」 lists role pages in that
    # order (templates/site/partials/nav.html), and only roles that have a page
    front = f"---\n{ROLE_ORDER_KEY}: {view.lib.vocabulary.values('roles').index(value)}\n---\n\n" if role else FRONT
    parts = [front, f"# {plain_heading(label)}\n\n", f'<p class="cb-summary">{e(VOCAB_LABELS[vocab])}：{e(value)} ｜ {" · ".join(counts)}</p>']
    if scripts:
        parts.append(f'<section class="cb-scripts" aria-labelledby="scripts-title"><h2 id="scripts-title">话术</h2>{scripts}</section>')
    if plans:
        title = "我的预案职责" if role else "相关应急预案"
        plan_section = _Section("plans", title, plans, lambda p, at: _plan_row(p, at, role), lambda r: _plans(r, role),
                                f"查看全部 {len(plans)} 个预案")
        sections.append(plan_section)
        parts.append(f'<section class="cb-plans" aria-labelledby="plans-title"><h2 id="plans-title">{title}'
                     f'<span class="cb-n">{len(plans)} 个</span></h2>{plan_section.shown(here, plan_rows, cut)}</section>')
    folded = []  # open when there is nothing above it (a public build may have only stories)
    for (kind, of_kind), rows in zip(kinds, kind_rows):
        section = _entry_section(view, kind, of_kind, _list)
        sections.append(section)
        folded.append(f'<details class="cb-more-type"{"" if scripts or plans else " open"}><summary>{e(TYPE_LABELS[kind])}<span class="cb-n">{len(of_kind)} 条</span>'
                      f'</summary>{section.shown(here, rows, cut)}</details>')
    if folded:
        parts.append(f'<section class="cb-all" aria-labelledby="all-title"><h2 id="all-title">全部条目</h2>{"".join(folded)}</section>')
    return assemble(parts), _continuations(here, label, sections, cut and more)


def _continuations(here: str, heading: str, sections: list[_Section], wanted: bool) -> dict[str, Page]:
    out: dict[str, Page] = {}
    for section in sections if wanted else ():
        if section.cut:
            out |= section.pages(here, heading)
    return out


# --- facet pages ------------------------------------------------------------------------------

def facet_page(view: View, vocab: str, value: str) -> Page:
    return _facet(view, vocab, value)[0]


def _facet(view: View, vocab: str, value: str, more: bool = False) -> tuple[Page, dict[str, Page]]:
    if vocab in GROUP_ORDER:
        return _person(view, vocab, value, more)
    here = facet_url(vocab, value)
    items = facet_items(view, vocab, value)
    kinds = _type_sections(items)
    kind_rows = [[view.entry(i, here) for i in of_kind] for _, of_kind in kinds]
    cut = not paging.fits([r for rows in kind_rows for r in rows])
    parts = [FRONT, f"# {plain_heading(value)}\n\n",
             f'<p class="cb-summary">{e(VOCAB_LABELS[vocab])}：{e(value)} ｜ 共 {len(items)} 条</p>']
    sections = []
    for (kind, of_kind), rows in zip(kinds, kind_rows):
        section = _entry_section(view, kind, of_kind, _list)
        sections.append(section)
        parts += [f"## {TYPE_LABELS[kind]}（{len(of_kind)}）\n\n", section.shown(here, rows, cut)]
    return assemble(parts), _continuations(here, value, sections, cut and more)


def facet_pages(view: View, vocab: str, value: str) -> tuple[Page, dict[str, Page]]:
    """A facet, role or customer-group page and its continuation pages, made together."""
    return _facet(view, vocab, value, more=True)


def list_pages(view: View) -> dict[str, Page]:
    """The pages a cut list adds: numbered index pages, `list.json` of each cut index, and the
    continuation pages of cut facet, role and customer-group pages. Empty for a small library."""
    out: dict[str, Page] = {}
    for kind, folder in TYPE_FOLDERS.items():
        out |= {src: page for src, page in index_pages(view, kind).items() if src != f"{folder}/index.md"}
    for vocab in VOCAB_FIELDS:
        for value in view.lib.vocabulary.values(VOCAB_FIELDS[vocab]):
            if facet_items(view, vocab, value):
                out |= _facet(view, vocab, value, more=True)[1]
    return out


def facets_home(view: View) -> Page:
    here = "facets/"
    out = [FRONT, "# 按分类浏览\n\n"]
    for vocab in VOCAB_FIELDS:
        values = [(v, len(facet_items(view, vocab, v))) for v in view.lib.vocabulary.values(VOCAB_FIELDS.get(vocab, vocab))]
        values = [(v, n) for v, n in values if n]
        if not values:
            continue
        chips = "".join(f'<a class="cb-chip" href="{e(rel(here, facet_url(vocab, v)))}">{e(v)}（{n}）</a>' for v, n in values)
        out += [f"## {VOCAB_LABELS[vocab]}\n\n", f'<div class="cb-chips">{chips}</div>']
    return assemble(out)
