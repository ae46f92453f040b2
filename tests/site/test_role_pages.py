"""The role pages staff open every day, from the sample library (no build: the page functions).

A role page opens on the everyday situations (特殊客户, then 投诉应对), the rare emergencies
after them; the home page's role card counts the phrases the role page shows."""
from __future__ import annotations

import re

import pytest

from casebook.site.lists import person_page
from casebook.site.macros import casebook_macros
from casebook.site.pagekit import View


@pytest.fixture(scope="module")
def view(sample_lib):
    return View(sample_lib)


def _html(page) -> str:
    return page.markdown + "".join(page.slots.values())


def test_a_role_page_opens_on_the_everyday_situations(view):
    html = _html(person_page(view, "roles", "大堂经理"))
    groups = re.findall(r'<details class="cb-group"( open)?><summary><span>([^<]+)</span>', html)
    assert groups[0] == (" open", "特殊客户"), groups
    names = [name for _, name in groups]
    assert names.index("投诉应对") < names.index("突发事件") and names[-1] == "突发事件", names


def test_the_home_card_and_the_role_page_count_the_same_phrases(view):
    cards: list[str] = []
    casebook_macros(view, "", lambda html: cards.append(html) or "")["role_entries"]()
    shown = dict(re.findall(r"<strong>我是([^<]+)</strong><span>(\d+) 句话术", cards[0]))
    assert len(shown) >= 4, cards[0]
    for role, count in shown.items():
        page = _html(person_page(view, "roles", role))
        assert f"话术 {count} 句" in page, (role, count, re.search(r"话术 \d+ 句", page))
