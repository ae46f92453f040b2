"""Index pages, facet pages and the facet home.

A role page (`/facets/roles/大堂经理/`) and a customer-group page help that person at work: they
open with the scripts (copyable cards, grouped by situation, one situation open), then the plans
(for a role: its duties in each plan), then everything else folded by type with counts.
"""
from __future__ import annotations

from collections import Counter

from ..core.model import TYPE_FOLDERS, TYPE_LABELS, VOCAB_FIELDS
from ..core.validate import Item
from .pagekit import (FACETS, FRONT, VOCAB_LABELS, Page, View, assemble, e, entries, facet_items, facet_url,
                      item_url, item_values, phrase_card, rel)

# Situation groups of a role / customer-group page, in the order each reader needs them.
GUIDE_SCOPES = ("特殊客户", "特殊时段", "特殊业务")
GROUP_ORDER = {"roles": ["emergency", *GUIDE_SCOPES, "complaint"],
               "customer_groups": [*GUIDE_SCOPES, "emergency", "complaint"]}
GROUP_LABELS = {"emergency": "突发事件", "complaint": "投诉应对", **{s: s for s in GUIDE_SCOPES}}


def index_page(view: View, kind: str) -> Page:
    folder = TYPE_FOLDERS[kind]
    here = f"{folder}/"
    items = view.of_type(kind)
    facets = FACETS[kind]
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
    return assemble([
        FRONT, f"# {TYPE_LABELS[kind]}\n\n",
        f'<details class="cb-filter-box"><summary>筛选与排序</summary>'
        f'<form class="cb-facets" aria-label="筛选{e(TYPE_LABELS[kind])}">{"".join(controls)}'
        f'<button type="reset">清除筛选</button></form></details>'
        f'<p class="cb-count" aria-live="polite">共 <span data-count>{len(items)}</span> 条</p>'
        f"{entries(items, here, facets)}"])


def _group(item: Item) -> str:
    return item.meta.scope if item.type == "guide" else item.type


def _urgency(item: Item) -> tuple:
    """Plans with the shortest report deadline first (robbery before a media interview)."""
    return (item.meta.report_within_minutes if item.type == "emergency" else 0, item.id)


def _situation(item: Item) -> str:
    return item.meta.incident if item.type == "emergency" else item.meta.title


def _scripts(items: list[Item], here: str, vocab: str) -> tuple[str, int]:
    """The phrase cards of these items: folded groups of folded situations (one per item);
    the first group and its first situation open, so the first script is on the first screen."""
    with_phrases = [i for i in items if getattr(i.meta, "phrases", None)]
    out, total = [], 0
    for group in GROUP_ORDER[vocab]:
        chosen = sorted((i for i in with_phrases if _group(i) == group), key=_urgency)
        if not chosen:
            continue
        count = sum(len(i.meta.phrases) for i in chosen)
        first = not out
        total += count
        situations = []
        for n, item in enumerate(chosen):
            cards = "".join(phrase_card(p.when, p.say) for p in item.meta.phrases)
            situations.append(
                f'<details class="cb-situation"{" open" if first and n == 0 else ""}><summary><span>{e(_situation(item))}</span>'
                f'<span class="cb-n">{len(item.meta.phrases)} 句</span></summary><div class="cb-situation__cards">{cards}</div>'
                f'<p class="cb-situation__more"><a href="{e(rel(here, item_url(item.id)))}">打开{e(item.type_label)}：'
                f'{e(item.meta.title)}</a></p></details>')
        out.append(f'<details class="cb-group"{" open" if first else ""}><summary><span>{e(GROUP_LABELS[group])}</span>'
                   f'<span class="cb-n">{len(chosen)} 个场景 · {count} 句</span></summary>{"".join(situations)}</details>')
    return "".join(out), total


def _plans(plans: list[Item], here: str, role: str | None) -> str:
    """For a role: its duties in each plan, folded; otherwise the plans as a compact list of links
    (a customer group meets many plans: their summaries would push the rest off six screens)."""
    if role is None:
        links = "".join(f'<li><a href="{e(rel(here, item_url(p.id)))}">{e(p.meta.title)}</a>'
                        f'<span class="cb-n">{p.meta.report_within_minutes} 分钟内报告</span></li>'
                        for p in sorted(plans, key=_urgency))
        return f'<ul class="cb-plan-links">{links}</ul>'
    rows = []
    for plan in sorted(plans, key=_urgency):
        duties = plan.meta.duties.get(role, [])
        rows.append(
            f'<details class="cb-situation"><summary><span>{e(plan.meta.incident)}</span>'
            f'<span class="cb-n">{plan.meta.report_within_minutes} 分钟内报告</span></summary>'
            f'<ul>{"".join(f"<li>{e(d)}</li>" for d in duties)}</ul>'
            f'<p class="cb-situation__more"><a href="{e(rel(here, item_url(plan.id)))}">打开预案：{e(plan.meta.title)}</a></p></details>')
    return "".join(rows)


def person_page(view: View, vocab: str, value: str) -> Page:
    """A role or customer-group page: scripts first, then plans, then the rest folded."""
    here = facet_url(vocab, value)
    items = facet_items(view, vocab, value)
    scripts, n_scripts = _scripts(items, here, vocab)
    role = value if vocab == "roles" else None
    plans = [i for i in items if i.type == "emergency" and (role is None or role in i.meta.duties)]
    label = f"我是{value}" if vocab == "roles" else value
    counts = [f"话术 {n_scripts} 句"] if n_scripts else []
    if plans:
        counts.append(f"预案 {len(plans)} 个")
    counts.append(f"共 {len(items)} 条")
    parts = [FRONT, f"# {label}\n\n", f'<p class="cb-summary">{e(VOCAB_LABELS[vocab])}：{e(value)} ｜ {" · ".join(counts)}</p>']
    if scripts:
        parts.append(f'<section class="cb-scripts" aria-labelledby="scripts-title"><h2 id="scripts-title">话术</h2>{scripts}</section>')
    if plans:
        title = "我的预案职责" if role else "相关应急预案"
        parts.append(f'<section class="cb-plans" aria-labelledby="plans-title"><h2 id="plans-title">{title}'
                     f'<span class="cb-n">{len(plans)} 个</span></h2>{_plans(plans, here, role)}</section>')
    folded = []  # open when there is nothing above it (a public build may have only stories)
    for kind in TYPE_FOLDERS:
        of_kind = [i for i in items if i.type == kind]
        if of_kind:
            folded.append(f'<details class="cb-more-type"{"" if scripts or plans else " open"}><summary>{e(TYPE_LABELS[kind])}<span class="cb-n">{len(of_kind)} 条</span>'
                          f'</summary>{entries(of_kind, here)}</details>')
    if folded:
        parts.append(f'<section class="cb-all" aria-labelledby="all-title"><h2 id="all-title">全部条目</h2>{"".join(folded)}</section>')
    return assemble(parts)


def facet_page(view: View, vocab: str, value: str) -> Page:
    if vocab in GROUP_ORDER:
        return person_page(view, vocab, value)
    here = facet_url(vocab, value)
    items = facet_items(view, vocab, value)
    parts = [FRONT, f"# {value}\n\n",
             f'<p class="cb-summary">{e(VOCAB_LABELS[vocab])}：{e(value)} ｜ 共 {len(items)} 条</p>']
    for kind in TYPE_FOLDERS:
        of_kind = [i for i in items if i.type == kind]
        if of_kind:
            parts += [f"## {TYPE_LABELS[kind]}（{len(of_kind)}）\n\n", entries(of_kind, here)]
    return assemble(parts)


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
