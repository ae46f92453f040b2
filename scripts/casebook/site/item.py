"""One page per item, action first: on a phone in a hurry the first screen says what to do.

- An emergency plan opens with a first-minute card (each role's first duty, the report
  deadline, the numbers to call, the first script), then a jump bar that stays on screen.
- Guides and complaint cases get the same jump bar; tag chips fold into one line.
- Every item page has 「加入备课」 (the lesson basket, basket.py), shown once a trainer switches
  it on (a course page carries the switch), and prints cleanly (print.css);
  with a `site_url` the printed page carries a QR code and the address back to it.
"""
from __future__ import annotations

import functools
import re

from ..core.links import unlink_hidden
from ..core.model import FOLDERS, TYPE_FOLDERS, TYPE_LABELS, VOCAB_LABELS
from ..core.selection import FIELD_LABELS, draw_items
from ..core.validate import Item
from .basis_page import basis_line, facts_line
from .basket import BASKET_URL, trainer_switch
from .handout import exercises_html
from .pagekit import (FACETS, FRONT, Markdown, Page, View, assemble, e, facet_url, item_url, item_values,
                      phrase_card, plain_heading, rel)

# Body headings (the content model's) that get an anchor, and the jump bar of each type.
ANCHORS = {
    "emergency": {"处置流程": "flow", "报告要求": "report"},
    "complaint": {"案例经过": "story", "处理过程": "handling", "讨论题": "discuss"},
    "guide": {"服务要点": "points", "服务流程": "flow", "禁忌": "donts"},
}
JUMPS = {
    "emergency": [("flow", "处置流程"), ("phrases", "话术"), ("duties", "岗位职责"), ("report", "报告")],
    "complaint": [("story", "经过"), ("handling", "处理过程"), ("phrases", "话术"), ("discuss", "讨论题")],
    "guide": [("points", "服务要点"), ("flow", "服务流程"), ("phrases", "话术"), ("donts", "禁忌")],
}
# Public numbers a plan may tell staff to call; shown only when the plan's own text names them.
NUMBERS = {"120": "急救", "110": "报警", "119": "火警", "122": "交通事故", "96110": "反诈预警劝阻",
           "12363": "人民银行金融消费者投诉", "12378": "金融监管投诉", "12345": "政务服务便民热线"}
_NUMBER = re.compile(r"(?<![0-9])(" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")(?![0-9])")
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_LIST_INDENT = re.compile(r"^( {1,7})(?=(?:[-*+]|\d+[.)])\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def nested_lists(markdown: str) -> str:
    """Python-Markdown nests a list only under 4 spaces; editors indent sub-points by 2 or 3
    (1. 开场 / ␣␣␣- 点评…), which MkDocs would join into one paragraph of " - ". Round each list
    marker's indent up to a multiple of 4, outside fenced code."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            line = _LIST_INDENT.sub(lambda m: " " * (((len(m.group(1)) + 3) // 4) * 4), line)
        out.append(line)
    return "\n".join(out)


def plan_numbers(item: Item) -> list[str]:
    """The numbers to call named anywhere in a plan (duties, scripts, body), in order of first mention."""
    m = item.meta
    text = "\n".join([*(d for duties in m.duties.values() for d in duties), *(p.say for p in m.phrases), item.body])
    return list(dict.fromkeys(_NUMBER.findall(text)))


def first_minute(item: Item) -> str:
    """Who does what now, by role; the report deadline; the numbers; the first script."""
    m = item.meta
    roles = "".join(f'<li><strong>{e(role)}</strong>{e(duties[0])}</li>' for role, duties in m.duties.items() if duties)
    numbers = plan_numbers(item)
    calls = "".join(f'<a class="cb-call" href="tel:{n}">{n}<small>{e(NUMBERS[n])}</small></a>' for n in numbers)
    out = (f'<section class="cb-first" aria-labelledby="first-title"><h2 id="first-title">第一分钟</h2>'
           f'<ul class="cb-first__roles">{roles}</ul>'
           f'<p class="cb-first__report">报告时限：<strong>{e(m.report_within_minutes)} 分钟内</strong>向上级报告</p>')
    if calls:
        out += f'<p class="cb-first__calls">拨打：{calls}</p>'
    if m.phrases:
        out += f'<p class="cb-first__say">第一句话</p>{phrase_card(m.phrases[0].when, m.phrases[0].say, "say-first")}'
    return out + "</section>"


def jump_bar(item: Item, present: list[str]) -> str:
    """Links to the page's sections, in the order the page shows them (`present`)."""
    labels = dict(JUMPS.get(item.type, []))
    links = "".join(f'<a href="#{a}">{labels[a]}</a>' for a in present if a in labels)
    return f'<nav class="cb-jump" aria-label="页内跳转">{links}</nav>' if links else ""


def _tags(item: Item, here: str) -> str:
    """Type and facet chips, folded into one line under the summary."""
    chips = [f'<a class="cb-type" href="{e(rel(here, TYPE_FOLDERS[item.type] + "/"))}">{e(item.type_label)}</a>']
    names = [item.type_label]
    for vocab in FACETS[item.type]:
        for value in item_values(item, vocab):
            chips.append(f'<a class="cb-chip" href="{e(rel(here, facet_url(vocab, value)))}" '
                         f'title="{e(VOCAB_LABELS[vocab])}">{e(value)}</a>')
            names.append(value)
    return (f'<details class="cb-tags"><summary><span class="cb-tags__label">分类</span>'
            f'<span class="cb-tags__line">{e(" · ".join(names))}</span></summary>'
            f'<div class="cb-chips">{"".join(chips)}</div></details>')


CONTRIBUTE_URL = "contribute/"  # the 投稿 page (site/contribute_page.py)


def _tools(item: Item, here: str, public: bool = False) -> str:
    m = item.meta
    # 投稿 near the top, where a reader who has a story of their own sees it (not on the public site)
    submit = "" if public else f'<a class="cb-submit-top" href="{e(rel(here, CONTRIBUTE_URL))}">投稿</a>'
    # the basket needs JavaScript: the button stays hidden until basket.js shows it to a trainer
    return (f'<div class="cb-meta">{_tags(item, here)}'
            f'<span class="cb-updated">最后修订 <time datetime="{m.updated.isoformat()}">{m.updated.isoformat()}</time></span>'
            f'<button type="button" class="cb-basket-add" hidden data-id="{e(item.id)}" data-title="{e(m.title)}" '
            f'data-kind="{e(item.type_label)}">加入备课</button>'
            f'<a class="cb-basket-link" hidden href="{e(rel(here, BASKET_URL))}">备课篮</a>{submit}</div>')


def questions_block(item: Item) -> str:
    """常见问法, folded under the summary: the ways staff and customers ask about this item (a
    reader who arrived by search sees their question was meant; closed, it costs one line)."""
    questions = getattr(item.meta, "questions", None) or []
    if not questions:
        return ""
    lines = "".join(f"<li>{e(q.strip())}</li>" for q in questions)
    return (f'<details class="cb-questions"><summary>常见问法（{len(questions)}）</summary>'
            f'<ul>{lines}</ul></details>')


def _phrase_cards(item: Item) -> str:
    phrases = getattr(item.meta, "phrases", None)
    if not phrases:
        return ""
    cards = "".join(phrase_card(p.when, p.say, f"say-{i + 1}") for i, p in enumerate(phrases))
    return f'<section class="cb-phrases" id="phrases" aria-labelledby="phrases-title"><h2 id="phrases-title">话术</h2>{cards}</section>'


def _duties(item: Item) -> str:
    rows = "".join(
        f'<tr><th scope="row">{e(role)}</th><td data-label="职责"><ul>{"".join(f"<li>{e(d)}</li>" for d in duties)}</ul></td></tr>'
        for role, duties in item.meta.duties.items())
    return (f'<h2 id="duties">岗位职责</h2><p class="cb-report" role="note">报告时限：<strong>{e(item.meta.report_within_minutes)} 分钟内</strong>'
            f'向上级报告 ｜ 事件类别：{e(item.meta.category)} ｜ 事件：{e(item.meta.incident)}</p>'
            f'<table class="cb-duties cb-stack"><thead><tr><th scope="col">岗位</th>'
            f'<th scope="col">职责</th></tr></thead><tbody>{rows}</tbody></table>')


def _steps(item: Item) -> str:
    rows = "".join(f'<tr><td data-label="步骤">{e(s.name)}</td><td data-label="要求">{e(s.detail)}</td>'
                   f'<td data-label="分值">{e(s.points)}</td></tr>' for s in item.meta.steps)
    total = sum(s.points for s in item.meta.steps)
    out = (f'<h2 id="steps">步骤与分值</h2><table class="cb-steps cb-stack"><thead><tr><th scope="col">步骤</th>'
           f'<th scope="col">要求</th><th scope="col">分值</th></tr></thead><tbody>{rows}'
           f'<tr class="cb-total"><td colspan="2">合计</td><td data-label="分值">{total}</td></tr></tbody></table>')
    if item.meta.checklist:
        areas: dict[str, list[str]] = {}
        for entry in item.meta.checklist:
            areas.setdefault(entry.area, []).append(entry.item)
        out += f'<h2 id="checklist">检查清单（用于《{e(item.meta.form)}》）</h2>'
        for area, entries in areas.items():
            out += f'<h3>{e(area)}</h3><ul class="cb-checklist">{"".join(f"<li>{e(x)}</li>" for x in entries)}</ul>'
    return out


def _course(view: View, item: Item) -> str:
    meta = item.meta
    out = (f'<p class="cb-course-facts">{"集中大课" if meta.day == 0 else f"第 {e(meta.day)} 天晚班"} ｜ {e(meta.minutes)} 分钟</p>'
           f'<h2 id="objectives">课程目标</h2><ol>{"".join(f"<li>{e(o)}</li>" for o in meta.objectives)}</ol>')
    if meta.draws:
        rows = "".join(
            f'<tr><td data-label="类型">{e(TYPE_LABELS[d.type])}</td><td data-label="数量">{e(d.count)}</td>'
            f'<td data-label="匹配字段">{e("、".join(FIELD_LABELS.get(m, m) for m in d.match) or "（不限）")}</td></tr>'
            for d in meta.draws)
        out += ('<div class="cb-no-handout"><h2 id="draws">选材规则</h2><p>培训包为每个网点按下列规则选材：条目的字段与网点画像匹配得越多、'
                '越靠前的画像值权重越高；培训老师为网点指定的条目优先，只替换同一类型的选材。</p>'
                '<table class="cb-draws cb-stack"><thead><tr><th scope="col">类型</th><th scope="col">数量</th>'
                f'<th scope="col">与网点画像匹配的字段</th></tr></thead><tbody>{rows}</tbody></table></div>')
    if not view.public and view.lib.outlets:
        here = item_url(item.id)
        out += '<div class="cb-no-handout"><h2 id="outlets">各网点本课选材</h2>'
        for _, entry in sorted(view.lib.outlets.items()):
            chosen = draw_items(view.lib, item, entry.outlet)
            links = "".join(
                f'<li><a href="{e(rel(here, item_url(s.item.id)))}">{e(s.item.meta.title)}</a>'
                f'<span class="cb-reason">（{e(s.reason)}）</span></li>' for s in chosen)
            out += f'<h3>{e(entry.outlet.name)}</h3><ul class="cb-links">{links or "<li>（无）</li>"}</ul>'
        out += '</div>'
    return out


def _body(view: View, item: Item) -> tuple[list[str], list[str]]:
    """The body stays Markdown (MkDocs renders it; headings feed the table of contents), cut
    before each known heading so an anchor for the jump bar can stand there; the anchors in order.
    On a public site a link to an internal item (left out) keeps its text only."""
    anchors = ANCHORS.get(item.type, {})
    body = nested_lists(item.body.strip()) + "\n\n"
    if view.public:
        body = unlink_hidden(body, item.id, FOLDERS, lambda ref: ref in view.items)
    parts, found, start = [], [], 0
    for m in _HEADING.finditer(body):
        anchor = anchors.get(m.group(1).strip())
        if anchor and anchor not in found:
            parts += [Markdown(body[start:m.start()].rstrip() + "\n\n"), f'<span class="cb-anchor" id="{anchor}"></span>']
            found.append(anchor)
            start = m.start()
    parts.append(Markdown(body[start:]))
    return [p for p in parts if p.strip()], found


def _qr(view: View, item: Item) -> str:
    """QR code and address of the page, for print only; needs the site's address."""
    if not view.site_url:
        return ""
    url = view.site_url.rstrip("/") + "/" + item_url(item.id)
    return (f'<figure class="cb-qr cb-print-only"><div class="cb-qr__code">{qr_svg(url)}</div>'
            f'<figcaption>扫码打开本页：{e(url)}</figcaption></figure>')


@functools.lru_cache(maxsize=None)
def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno, pure Python). About 5 ms each, so only builds with a
    site_url pay for it, and a rebuild reuses the codes it made before."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=2, border=2, omitsize=False)


def item_page(view: View, item: Item) -> Page:
    m = item.meta
    here = item_url(item.id)
    body, anchors = _body(view, item)
    # the sections in page order: the script cards and a plan's duties come before the body's
    present = (["phrases"] if getattr(m, "phrases", None) else []) + (["duties"] if item.type == "emergency" else [])
    present += list(anchors)
    summary = f'<p class="cb-summary">{e(m.summary)}</p>'
    parts = [FRONT, f"# {plain_heading(m.title)}\n\n"]
    if item.type == "emergency":  # in an emergency the card comes first, the summary after it
        parts += [first_minute(item), jump_bar(item, present), summary]
    else:
        parts += [summary, jump_bar(item, present)]
    parts.append(_tools(item, here, view.public))
    if item.type == "course":  # a trainer's page: where a trainer finds the basket's switch
        parts.append(trainer_switch())
    parts.append(questions_block(item))
    parts.append(_phrase_cards(item))
    if item.type == "emergency":
        parts.append(_duties(item))
    if item.type == "standard":
        parts.append(_steps(item))
    if item.type == "course":
        parts.append(_course(view, item))
    parts.append(facts_line(item))  # stories and drills
    parts += body
    if item.type == "story" and m.images:
        for image in m.images:
            if view.public and not image.consent:
                continue
            src = rel(here, image.src.removeprefix("cases/"))
            parts.append(f'<figure><img src="{e(src)}" alt="{e(image.caption or m.title)}" loading="lazy">'
                         f'<figcaption>{e(image.caption)}</figcaption></figure>')
    parts.append(exercises_html(item))  # 课堂练习 where the item has no 讨论题 of its own (the handout uses it)
    related = view.related(item)
    if related:
        kinds = len({r.type for r in related}) > 1
        links = "".join(f'<li><a href="{e(rel(here, item_url(r.id)))}">{e(r.meta.title)}</a>'
                        + (f'<span class="cb-kind">{e(r.type_label)}</span>' if kinds else "") + "</li>" for r in related)
        parts.append(f'<nav class="cb-related" aria-labelledby="related-title"><h2 id="related-title">相关条目</h2>'
                     f'<ul>{links}</ul></nav>')
    parts.append(basis_line(view, item, here))
    parts.append(_qr(view, item))
    return assemble([p for p in parts if p])
