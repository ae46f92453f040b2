"""Library → site pages, as a pure function: {src path of a Markdown page: its text}.

No MkDocs here: the hook in `site.py` only hands these pages to MkDocs (File.generated), so the
same function can write a staging docs/ folder for an engine without hooks (DESIGN.md).

Every page is Markdown with HTML blocks for the parts Markdown cannot say (phrase cards with
a copy button, facet chips, filterable lists). Text from cases/ is escaped where it goes into
HTML and left as Markdown in the body; the site sanitises the rendered HTML again (nh3).
Generated pages switch mkdocs-macros off, so `{{ … }}` in a story is shown, never evaluated.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from ..core.library import Library
from ..core.model import TYPE_FOLDERS, TYPE_LABELS, VOCAB_FIELDS
from ..core.selection import FIELD_LABELS, draw_items
from ..core.validate import Item

VOCAB_LABELS = {
    "customer_groups": "客户群体", "roles": "岗位", "business": "业务", "periods": "时段", "severity": "投诉等级",
    "channel": "投诉渠道", "root_cause": "投诉原因", "category": "事件类别", "scope": "范围",
}
# Facets offered on each type's index page, in order.
FACETS: dict[str, list[str]] = {
    "complaint": ["customer_groups", "roles", "business", "severity", "channel", "root_cause"],
    "emergency": ["category", "roles", "customer_groups"],
    "guide": ["scope", "customer_groups", "roles", "business", "periods"],
    "story": ["customer_groups", "roles", "business"],
    "standard": ["roles"],
    "course": ["roles"],
}
FRONT = "---\nrender_macros: false\n---\n\n"  # generated text is never Jinja


@dataclass
class Page:
    """A generated page: Markdown for MkDocs, with the HTML casebook writes kept aside.

    Python-Markdown re-parses raw HTML blocks character by character (most of a build's time
    at 1,000 items), so each HTML part stands in the Markdown as a one-line marker and the site
    puts it back after the Markdown is rendered and sanitised. The parts are built here with
    every value escaped; the Markdown (an item's body, written by editors) is what nh3 cleans."""

    markdown: str
    slots: dict[str, str]


def assemble(parts: list[str]) -> Page:
    """Parts that start with "<" are HTML; the rest are Markdown."""
    out, slots = [], {}
    for part in parts:
        if part.lstrip().startswith("<"):
            key = f'<div data-cb-slot="{len(slots)}"></div>'
            slots[key] = part.strip()
            out.append(f"{key}\n\n")
        else:
            out.append(part)
    return Page("".join(out), slots)


def fill(html: str, slots: dict[str, str]) -> str:
    """Put the HTML parts back into the rendered page."""
    for key, value in slots.items():
        html = html.replace(key, value, 1)
    return html


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class View:
    """What one build shows: the library, and whether internal items are left out."""

    lib: Library
    public: bool = False

    @property
    def items(self) -> dict[str, Item]:
        return visible_items(self.lib, self.public)

    def of_type(self, kind: str) -> list[Item]:
        return [i for i in self.lib.of_type(kind) if i.id in self.items]

    def with_value(self, vocab: str, value: str) -> list[Item]:
        return [i for i in self.lib.with_value(vocab, value) if i.id in self.items]

    def related(self, item: Item) -> list[Item]:
        return [r for r in self.lib.related(item) if r.id in self.items]


def visible_items(lib: Library, public: bool) -> dict[str, Item]:
    if not public:
        return lib.items
    return {k: v for k, v in lib.items.items() if v.meta.visibility == "public"}


# --- URLs -------------------------------------------------------------------------------------

def item_url(item_id: str) -> str:
    return f"{item_id}/"


def facet_url(vocab: str, value: str) -> str:
    return f"facets/{vocab}/{value}/"


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site paths ("complaints/x/" style, no leading slash): works
    offline and under any base path, and needs no knowledge of the site's address.
    (Written out rather than posixpath.relpath, which was a third of page generation.)"""
    src = [p for p in from_url.split("/") if p]
    dst = [p for p in to_url.split("/") if p]
    common = 0
    for a, b in zip(src, dst):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(src) - common) + dst[common:]
    if not parts:
        return "./"
    return "/".join(parts) + ("/" if to_url.endswith("/") or not dst[common:] else "")


def _values(item: Item, field: str) -> list[str]:
    value = getattr(item.meta, field, None)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def item_values(item: Item, vocab: str) -> list[str]:
    values = _values(item, vocab)
    if vocab == "roles" and item.type == "emergency":
        values = list(dict.fromkeys([*values, *item.meta.duties]))
    return values


# --- item pages -------------------------------------------------------------------------------

def _chips(item: Item, here: str) -> str:
    chips = [f'<a class="cb-type" href="{e(rel(here, TYPE_FOLDERS[item.type] + "/"))}">{e(item.type_label)}</a>']
    for vocab in FACETS[item.type]:
        for value in item_values(item, vocab):
            chips.append(f'<a class="cb-chip" href="{e(rel(here, facet_url(vocab, value)))}" '
                         f'title="{e(VOCAB_LABELS[vocab])}">{e(value)}</a>')
    return "".join(chips)


def _phrase_cards(item: Item) -> str:
    phrases = getattr(item.meta, "phrases", None)
    if not phrases:
        return ""
    cards = []
    for i, p in enumerate(phrases):
        cards.append(
            f'<div class="cb-card"><p class="cb-when">{e(p.when)}</p>'
            f'<p class="cb-say" id="say-{i + 1}">{e(p.say)}</p>'
            f'<button type="button" class="cb-copy" data-copy="{e(p.say)}" aria-label="复制这句话术：{e(p.when)}">复制</button></div>')
    return (f'<section class="cb-phrases" aria-labelledby="phrases-title"><h2 id="phrases-title">话术</h2>'
            f'{"".join(cards)}</section>\n\n')


def _duties(item: Item) -> str:
    rows = "".join(
        f'<tr><th scope="row">{e(role)}</th><td><ul>{"".join(f"<li>{e(d)}</li>" for d in duties)}</ul></td></tr>'
        for role, duties in item.meta.duties.items())
    return (f'<p class="cb-report" role="note">报告时限：<strong>{e(item.meta.report_within_minutes)} 分钟内</strong>'
            f'向上级报告 ｜ 事件类别：{e(item.meta.category)} ｜ 事件：{e(item.meta.incident)}</p>\n\n'
            f'<h2 id="duties">岗位职责</h2>\n\n<table class="cb-duties"><thead><tr><th scope="col">岗位</th>'
            f'<th scope="col">职责</th></tr></thead><tbody>{rows}</tbody></table>\n\n')


def _steps(item: Item) -> str:
    rows = "".join(f"<tr><td>{e(s.name)}</td><td>{e(s.detail)}</td><td>{e(s.points)}</td></tr>" for s in item.meta.steps)
    total = sum(s.points for s in item.meta.steps)
    out = (f'<h2 id="steps">步骤与分值</h2>\n\n<table class="cb-steps"><thead><tr><th scope="col">步骤</th>'
           f'<th scope="col">要求</th><th scope="col">分值</th></tr></thead><tbody>{rows}'
           f'<tr><td colspan="2">合计</td><td>{total}</td></tr></tbody></table>\n\n')
    if item.meta.checklist:
        areas: dict[str, list[str]] = {}
        for entry in item.meta.checklist:
            areas.setdefault(entry.area, []).append(entry.item)
        out += f'<h2 id="checklist">检查清单（用于《{e(item.meta.form)}》）</h2>\n\n'
        for area, entries in areas.items():
            out += f'<h3>{e(area)}</h3><ul class="cb-checklist">{"".join(f"<li>{e(x)}</li>" for x in entries)}</ul>\n\n'
    return out


def _course(view: View, item: Item) -> str:
    meta = item.meta
    out = (f'<p class="cb-course-facts">第 {e(meta.day)} 天晚班 ｜ {e(meta.minutes)} 分钟</p>\n\n'
           f'<h2 id="objectives">课程目标</h2>\n\n<ol>{"".join(f"<li>{e(o)}</li>" for o in meta.objectives)}</ol>\n\n')
    if meta.draws:
        rows = "".join(
            f"<tr><td>{e(TYPE_LABELS[d.type])}</td><td>{e(d.count)}</td>"
            f"<td>{e('、'.join(FIELD_LABELS.get(m, m) for m in d.match) or '（不限）')}</td></tr>" for d in meta.draws)
        out += ('<h2 id="draws">选材规则</h2>\n\n<p>培训包为每个网点按下列规则选材：条目的字段与网点画像匹配得越多、'
                '越靠前的画像值权重越高；培训老师在网点文件 overrides 中指定的条目优先。</p>\n\n'
                '<table class="cb-draws"><thead><tr><th scope="col">类型</th><th scope="col">数量</th>'
                f'<th scope="col">与网点画像匹配的字段</th></tr></thead><tbody>{rows}</tbody></table>\n\n')
    if not view.public and view.lib.outlets:
        here = item_url(item.id)
        out += '<h2 id="outlets">各网点本课选材</h2>\n\n'
        for _, entry in sorted(view.lib.outlets.items()):
            chosen = draw_items(view.lib, item, entry.outlet)
            links = "".join(
                f'<li><a href="{e(rel(here, item_url(s.item.id)))}">{e(s.item.meta.title)}</a>'
                f'<span class="cb-reason">（{e(s.reason)}）</span></li>' for s in chosen)
            out += f'<h3>{e(entry.outlet.name)}</h3><ul>{links or "<li>（无）</li>"}</ul>\n\n'
    return out


def item_page(view: View, item: Item) -> Page:
    m = item.meta
    here = item_url(item.id)
    parts = [FRONT, f"# {m.title}\n\n",
             f'<div class="cb-meta">{_chips(item, here)}'
             f'<span class="cb-updated">最后修订 <time datetime="{m.updated.isoformat()}">{m.updated.isoformat()}</time></span></div>\n\n',
             f'<p class="cb-summary">{e(m.summary)}</p>\n\n']
    if item.type == "emergency":
        parts.append(_duties(item))
    parts.append(_phrase_cards(item))
    if item.type == "standard":
        parts.append(_steps(item))
    if item.type == "course":
        parts.append(_course(view, item))
    if item.type == "story":
        parts.append(f'<p class="cb-story-facts">{e(m.date.isoformat())} ｜ {e(m.outlet)} ｜ {e("、".join(m.staff))}</p>\n\n')
    # The body stays Markdown so MkDocs renders it (headings feed the table of contents).
    parts.append(item.body.strip() + "\n\n")
    if item.type == "story" and m.images:
        for image in m.images:
            if view.public and not image.consent:
                continue
            src = rel(here, image.src.removeprefix("cases/"))
            parts.append(f'<figure><img src="{e(src)}" alt="{e(image.caption or m.title)}" loading="lazy">'
                         f'<figcaption>{e(image.caption)}</figcaption></figure>\n\n')
    related = view.related(item)
    if related:
        links = "".join(f'<li><a href="{e(rel(here, item_url(r.id)))}">{e(r.meta.title)}</a>'
                        f'<span class="cb-kind">{e(r.type_label)}</span></li>' for r in related)
        parts.append(f'<nav class="cb-related" aria-labelledby="related-title"><h2 id="related-title">相关条目</h2>'
                     f'<ul>{links}</ul></nav>\n\n')
    if m.basis or m.review_by:
        basis = "；".join(m.basis)
        parts.append(f'<p class="cb-basis">{"依据：" + e(basis) if basis else ""}'
                     f'{"　复核日期：" + e(m.review_by.isoformat()) if m.review_by else ""}</p>\n')
    return assemble([p for p in parts if p])


# --- lists ------------------------------------------------------------------------------------

def _list_entry(item: Item, here: str, facets: list[str]) -> str:
    data = " ".join(f'data-{v.replace("_", "-")}="{e("|".join(item_values(item, v)))}"' for v in facets)
    return (f'<li class="cb-entry" {data} data-updated="{item.meta.updated.isoformat()}" data-title="{e(item.meta.title)}">'
            f'<a href="{e(rel(here, item_url(item.id)))}">{e(item.meta.title)}</a>'
            f'<span class="cb-kind">{e(item.type_label)}</span>'
            f'<p>{e(item.meta.summary)}</p><time datetime="{item.meta.updated.isoformat()}">{item.meta.updated.isoformat()}</time></li>')


def _entries(items: list[Item], here: str, facets: list[str]) -> str:
    ordered = sorted(items, key=lambda i: (-i.meta.updated.toordinal(), i.id))
    return f'<ul class="cb-list">{"".join(_list_entry(i, here, facets) for i in ordered)}</ul>'


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
        order = [v for v in view.lib.vocabulary.values(vocab) if v in counts]
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
        f"{_entries(items, here, facets)}"])


def facet_page(view: View, vocab: str, value: str) -> Page:
    here = facet_url(vocab, value)
    items = view.with_value(vocab, value)
    if vocab == "roles":
        items = list({i.id: i for i in items + [p for p in view.of_type("emergency") if value in p.meta.duties]}.values())
    parts = [FRONT, f"# {value}\n\n",
             f'<p class="cb-summary">{e(VOCAB_LABELS[vocab])}：{e(value)} ｜ 共 {len(items)} 条</p>']
    for kind in TYPE_FOLDERS:
        of_kind = [i for i in items if i.type == kind]
        if of_kind:
            parts += [f"## {TYPE_LABELS[kind]}（{len(of_kind)}）\n\n", _entries(of_kind, here, [])]
    return assemble(parts)


def facets_home(view: View) -> Page:
    here = "facets/"
    out = [FRONT, "# 按分类浏览\n\n"]
    for vocab in VOCAB_FIELDS:
        values = [v for v in view.lib.vocabulary.values(vocab) if _facet_items(view, vocab, v)]
        if not values:
            continue
        chips = "".join(f'<a class="cb-chip" href="{e(rel(here, facet_url(vocab, v)))}">{e(v)}'
                        f'（{len(_facet_items(view, vocab, v))}）</a>' for v in values)
        out += [f"## {VOCAB_LABELS[vocab]}\n\n", f'<div class="cb-chips">{chips}</div>']
    return assemble(out)


def _facet_items(view: View, vocab: str, value: str) -> list[Item]:
    items = view.with_value(vocab, value)
    if vocab == "roles":
        items = list({i.id: i for i in items + [p for p in view.of_type("emergency") if value in p.meta.duties]}.values())
    return items


def programme_page(view: View) -> Page:
    prog = view.lib.programme
    if prog is None:
        return assemble([FRONT, "# 1+5 项目安排\n\n（cases/programme.yml 无效）\n"])
    here = "programme/"

    def course_links(ids: list[str]) -> str:
        links = []
        for cid in ids:
            course = view.items.get(cid)
            links.append(f'<a href="{e(rel(here, item_url(cid)))}">《{e(course.meta.title)}》</a>' if course
                         else f"《{e(view.lib.items[cid].meta.title) if cid in view.lib.items else e(cid)}》")
        return "".join(links)

    def acts(activities) -> str:
        return "".join(f"<p><strong>■ {e(a.title)}</strong></p>" + "".join(f"<p>—— {e(d)}</p>" for d in a.details)
                       for a in activities)

    rows = [f'<tr><th scope="row">大课</th><td>全天（{e(prog.big_class.duration)}）</td><td>{acts(prog.big_class.activities)}</td><td></td></tr>']
    for day in prog.days:
        ev = day.evening
        evening = "".join(f"<p><strong>■ {label}：</strong>{e(text)}</p>" for label, text in
                          [("启动会", ev.kickoff), ("晚班总结", ev.summary), ("总结会", ev.closing)] if text)
        if ev.courses:
            evening += f"<p><strong>■ 集中授课：</strong>{course_links(ev.courses)}</p>"
        evening += f"<p><strong>■ 晚班演练：</strong>{e(ev.drill)}</p>"
        forms = "<br>".join(f"《{e(f)}》" for f in day.forms)
        rows.append(f'<tr><th scope="row" rowspan="2">第{day.day}天</th><td>白天</td><td>{acts(day.daytime)}</td>'
                    f'<td rowspan="2">{forms}</td></tr><tr><td>晚班</td><td>{evening}</td></tr>')
    return assemble([
        FRONT, f"# {prog.title}\n\n",
        '<p class="cb-summary">1 天集中大课 + 5 个工作日驻点辅导（日辅导 + 晚授课）。每个网点的实际日期见该网点的培训包。</p>'
        '<div class="cb-scroll"><table class="cb-programme"><thead><tr><th scope="col">时间</th><th scope="col">时段</th>'
        f'<th scope="col">内容</th><th scope="col">表单</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'])


def coverage_page(view: View) -> Page:
    """内容覆盖: the coverage matrix of `casebook stats`, for editors deciding what to write next."""
    from ..core.coverage import coverage

    parts = [FRONT, "# 内容覆盖\n\n",
             '<p class="cb-summary">每种类型的条目覆盖了哪些客户群体、岗位和事件类别；“—”表示还没有内容，欢迎补充。</p>']
    for m in coverage(view.lib, view.items):
        head = "".join(f'<th scope="col">{e(TYPE_LABELS[c])}</th>' for c in m.columns)
        rows = "".join(
            f'<tr><th scope="row">{e(r)}</th>' + "".join(
                f'<td>{m.counts[(r, c)]}</td>' if m.counts.get((r, c)) else '<td class="cb-gap">—</td>'
                for c in m.columns) + "</tr>" for r in m.rows)
        parts += [f"## {m.title}\n\n", f'<div class="cb-scroll"><table class="cb-steps cb-coverage"><thead><tr>'
                  f'<th scope="col">{e(m.title)}</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
                  f'<p class="cb-count">空格子 {len(m.empty())} 个</p>']
    return assemble(parts)


def site_pages(lib: Library, public: bool = False) -> dict[str, Page]:
    """Every generated page of one build. Hand-written pages (docs/) are not included."""
    view = View(lib, public)
    pages: dict[str, Page] = {}
    for kind, folder in TYPE_FOLDERS.items():
        pages[f"{folder}/index.md"] = index_page(view, kind)
    for item in view.items.values():
        pages[f"{item.id}.md"] = item_page(view, item)
    for vocab in VOCAB_FIELDS:
        for value in view.lib.vocabulary.values(vocab):
            if _facet_items(view, vocab, value):
                pages[f"facets/{vocab}/{value}.md"] = facet_page(view, vocab, value)
    pages["facets/index.md"] = facets_home(view)
    pages["programme.md"] = programme_page(view)
    pages["coverage.md"] = coverage_page(view)
    return pages
