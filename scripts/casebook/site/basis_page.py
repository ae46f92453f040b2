"""The 制度依据 page (each registered instrument with the items resting on it), the 依据 line of
item pages (titles linked to that page), and the facts lines of stories and drills.

When a rule changes, an editor opens 制度依据, finds the instrument and sees every item to
review; an item's page links each of its keys back to the instrument's entry.
"""
from __future__ import annotations

from collections import defaultdict

from ..core.basis import KIND_LABELS, STARTER_LABEL, is_starter
from ..core.model import SOURCE_LABELS
from ..core.validate import Item
from .pagekit import FRONT, Page, View, assemble, e, item_url, rel

BASIS_URL = "basis/"


def citing(view: View) -> dict[str, list[Item]]:
    """key → the visible items whose basis names it."""
    out: dict[str, list[Item]] = defaultdict(list)
    for item in sorted(view.items.values(), key=lambda i: (i.type, i.id)):
        for key in item.meta.basis:
            out[key].append(item)
    return out


def basis_page(view: View) -> Page:
    registry = view.lib.registry
    here = BASIS_URL
    used = citing(view)
    parts = [FRONT, "# 制度依据\n\n",
             '<p class="cb-summary">案例库引用的法律、法规、规章、国家标准、行业规范和本行制度，以及以它为依据的条目。'
             '制度修订或废止时，按下面的清单逐条复核；本行制度以本行现行规定为准。'
             f'标“{STARTER_LABEL}”的本行制度是起步示例，部署前在 cases/bank.yml 里换成本行的正式制度（见“部署清单”）。</p>']
    if not registry.entries:
        return assemble(parts + ["（没有 cases/basis.yml）\n"])
    groups: dict[str, list[str]] = defaultdict(list)
    for key, inst in registry.entries.items():
        groups[inst.kind or "other"].append(key)
    for kind in [*KIND_LABELS, "other"]:
        keys = groups.get(kind)
        if not keys:
            continue
        parts.append(f"## {KIND_LABELS.get(kind, '其他')}（{len(keys)}）\n\n")
        for key in keys:
            parts.append(_entry(view, key, used.get(key, []), here))
    return assemble(parts)


def _entry(view: View, key: str, items: list[Item], here: str) -> str:
    inst = view.lib.registry.entries[key]
    facts = [f"发文机关：{e(inst.issuer)}"]
    if inst.number:
        facts.append(f"文号：{e(inst.number)}")
    if inst.effective:
        facts.append(f'施行：<time datetime="{inst.effective.isoformat()}">{inst.effective.isoformat()}</time>')
    if inst.version:
        facts.append(f"版本：{e(inst.version)}")
    status = ""
    if is_starter(inst):
        status = (f'<p class="cb-superseded cb-starter"><strong>{e(STARTER_LABEL)}</strong>：这是起步示例，不是本行的正式制度；'
                  '部署前在 cases/bank.yml 里换成本行制度的名称、制定部门和文号，并把 replace_before_use 改为 false。</p>')
    if inst.status == "superseded":
        repl = view.lib.registry.entries.get(inst.superseded_by or "")
        status = ('<p class="cb-superseded"><strong>已失效</strong>'
                  + (f'，由<a href="#basis-{e(inst.superseded_by)}">《{e(repl.title)}》</a>替代' if repl else "")
                  + "：下列条目需要复核。</p>")
    links = "".join(f'<li><a href="{e(rel(here, item_url(i.id)))}">{e(i.meta.title)}</a>'
                    f'<span class="cb-kind">{e(i.type_label)}</span></li>' for i in items)
    listing = (f'<ul class="cb-basis-items">{links}</ul>' if items else '<p class="cb-count">暂无条目引用</p>')
    return (f'<section class="cb-instrument" id="basis-{e(key)}"><h3>{e(view.lib.registry.title(key))}</h3>'
            f'<p class="cb-basis-facts">{" ｜ ".join(facts)} ｜ <code>{e(key)}</code></p>'
            f'<p>{e(inst.governs)}</p>{status}'
            f'<p class="cb-count">以它为依据的条目：{len(items)} 条</p>{listing}</section>\n\n')


def basis_line(view: View, item: Item, here: str) -> str:
    """依据 (linked titles) and 复核日期 at the foot of an item page; '' when it has neither."""
    m = item.meta
    if not m.basis and not m.review_by:
        return ""
    registry = view.lib.registry
    links = []
    for key in m.basis:
        inst = registry.get(key)
        title = registry.title(key)  # a starter bank rule carries its 示例·部署前替换 label
        links.append(f'<a href="{e(rel(here, BASIS_URL))}#basis-{e(key)}">{e(title)}</a>' if inst else e(title))
    basis = "依据：" + "；".join(links) if links else ""
    review = "　复核日期：" + e(m.review_by.isoformat()) if m.review_by else ""
    return f'<p class="cb-basis">{basis}{review}</p>\n'


def facts_line(item: Item) -> str:
    """The line under a story's or a drill's summary."""
    m = item.meta
    if item.type == "story":
        return (f'<p class="cb-story-facts">{e(SOURCE_LABELS.get(m.source, m.source))} ｜ {e(m.date.isoformat())} ｜ '
                f'{e(m.outlet)} ｜ {e("、".join(m.staff))}</p>\n\n')
    if item.type == "drill":
        return f'<p class="cb-story-facts">晨会微演练 ｜ {e(m.minutes)} 分钟 ｜ 演练主题：{e(m.focus)}</p>\n\n'
    return ""
