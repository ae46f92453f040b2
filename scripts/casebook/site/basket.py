"""备课篮: the page where a trainer gathers tonight's cases and prints them as one handout.

「加入备课」 on item pages is off until a trainer switches it on (trainer_switch: on this page
and on course pages), so a teller's item pages carry no trainer tools.

The page itself is static: basket.js keeps the chosen ids in the browser (localStorage), lists
them (reorder, remove), fetches each item's own page from this site and puts its content into
the handout that print.css lays out on A4, one item per section: first a page with the class
date and an agenda (minutes per item, set on this page), then each item's own material (a
course without its selection rules or other outlets' lists), its 讨论题 and role-play, with
page numbers.
"""
from __future__ import annotations

from .pagekit import FRONT, Page, View, assemble, e

BASKET_URL = "basket/"


def trainer_switch() -> str:
    """The switch that shows 「加入备课」 on item pages in this browser (basket.js remembers it).
    Off for a reader who never asked: a teller looking up a script has no use for a trainer's
    tool. It stands where a trainer goes anyway (this page, in the menu; every course page);
    hidden until basket.js runs, left out of print and of the handout."""
    return ('<div class="cb-trainer cb-no-print cb-no-handout" data-cb-trainer hidden>'
            '<label class="cb-trainer__switch"><input type="checkbox" role="switch">'
            '<span>培训老师备课：在条目页显示「加入备课」按钮</span></label>'
            '<p class="cb-trainer__note" data-cb-trainer-note aria-live="polite"></p></div>')


def basket_page(view: View) -> Page:
    return assemble([
        FRONT, "# 备课篮\n\n",
        '<div class="cb-basket" data-cb-basket data-root="../">'
        '<p class="cb-summary cb-no-print">打开下面的开关，条目页上就会出现「加入备课」；选好的条目会留在这台电脑的浏览器里，'
        '在这里排好顺序，打印成一份讲义（A4，每个条目另起一页，保留话术和讨论题）。</p>'
        f'{trainer_switch()}'
        '<noscript><p class="cb-note">备课篮需要浏览器启用 JavaScript；条目页本身不需要，可直接打印。</p></noscript>'
        '<div class="cb-basket__tools cb-no-print" hidden>'
        '<label>上课日期 <input type="date" data-basket-date></label>'
        '<label>开始时间 <input type="time" data-basket-start value="18:30"></label>'
        '<button type="button" class="cb-button" data-basket-print>打印讲义</button>'
        '<button type="button" class="cb-button cb-button--plain" data-basket-clear>清空备课篮</button></div>'
        '<p class="cb-basket__status cb-no-print" aria-live="polite" data-basket-status></p>'
        '<ol class="cb-basket__list cb-no-print" data-basket-list></ol>'
        f'<div class="cb-handout" data-basket-handout data-site-url="{e(view.site_url or "")}"></div>'
        '</div>'])
