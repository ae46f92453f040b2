"""The wide pages: the 1+5 programme and the coverage matrix.

Their tables carry `cb-stack`: on a phone each row becomes a card with its column labels
(`data-label`), so nothing scrolls sideways; the programme page hides the side bars on a
laptop so its four columns get the whole width. A public build never names an internal course.
"""
from __future__ import annotations

from ..core.model import TYPE_LABELS
from .pagekit import FRONT, WIDE_FRONT, Page, View, assemble, e, item_url, plain_heading, rel


def programme_page(view: View) -> Page:
    prog = view.lib.programme
    if prog is None:
        return assemble([FRONT, "# 1+5 项目安排\n\n（cases/programme.yml 无效）\n"])
    here = "programme/"

    def course_links(ids: list[str]) -> str:
        links = []
        for cid in ids:
            course = view.items.get(cid)
            if course:
                links.append(f'<a href="{e(rel(here, item_url(cid)))}">《{e(course.meta.title)}》</a>')
            elif not view.public:
                links.append(f"《{e(view.lib.items[cid].meta.title) if cid in view.lib.items else e(cid)}》")
            else:
                links.append("内部课程")  # a public build never shows an internal course's title
        return "、".join(links)

    def acts(activities) -> str:
        return "".join(f"<p><strong>■ {e(a.title)}</strong></p>" + "".join(f"<p>—— {e(d)}</p>" for d in a.details)
                       for a in activities)

    big_courses = f"<p><strong>■ 课程：</strong>{course_links(prog.big_class.courses)}</p>" if prog.big_class.courses else ""
    rows = [f'<tr><th scope="row">大课</th><td data-label="白天">全天（{e(prog.big_class.duration)}）{acts(prog.big_class.activities)}{big_courses}</td>'
            '<td data-label="晚班" class="cb-empty">—</td><td data-label="表单" class="cb-empty">—</td></tr>']
    for day in prog.days:
        ev = day.evening
        evening = "".join(f"<p><strong>■ {label}：</strong>{e(text)}</p>" for label, text in
                          [("启动会", ev.kickoff), ("晚班总结", ev.summary), ("总结会", ev.closing)] if text)
        if ev.courses:
            evening += f"<p><strong>■ 集中授课：</strong>{course_links(ev.courses)}</p>"
        evening += f"<p><strong>■ 晚班演练：</strong>{e(ev.drill)}</p>"
        forms = "".join(f"<p>《{e(f)}》</p>" for f in day.forms) or "—"
        rows.append(f'<tr><th scope="row">第{day.day}天</th><td data-label="白天">{acts(day.daytime)}</td>'
                    f'<td data-label="晚班">{evening}</td><td data-label="表单">{forms}</td></tr>')
    return assemble([
        WIDE_FRONT, f"# {plain_heading(prog.title)}\n\n",
        '<p class="cb-summary">1 天集中大课 + 5 个工作日驻点辅导（日辅导 + 晚授课）。每个网点的实际日期见该网点的培训包。</p>'
        '<table class="cb-programme cb-stack"><thead><tr><th scope="col">时间</th><th scope="col">白天</th>'
        f'<th scope="col">晚班</th><th scope="col">表单</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'])


def coverage_page(view: View) -> Page:
    """内容覆盖: the coverage matrix of `casebook stats`, for editors deciding what to write next."""
    from ..core.coverage import coverage

    parts = [FRONT, "# 内容覆盖\n\n",
             '<p class="cb-summary">每种类型的条目覆盖了哪些客户群体、岗位和事件类别；“—”表示还没有内容，欢迎补充。</p>']
    for m in coverage(view.lib, view.items):
        head = "".join(f'<th scope="col">{e(TYPE_LABELS[c])}</th>' for c in m.columns)
        rows = "".join(
            f'<tr><th scope="row">{e(r)}</th>' + "".join(
                f'<td data-label="{e(TYPE_LABELS[c])}">{m.counts[(r, c)]}</td>' if m.counts.get((r, c))
                else f'<td class="cb-gap" data-label="{e(TYPE_LABELS[c])}">—</td>'
                for c in m.columns) + "</tr>" for r in m.rows)
        parts += [f"## {m.title}\n\n", f'<table class="cb-steps cb-coverage cb-stack"><thead><tr>'
                  f'<th scope="col">{e(m.title)}</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
                  f'<p class="cb-count">空格子 {len(m.empty())} 个</p>']
    return assemble(parts)
