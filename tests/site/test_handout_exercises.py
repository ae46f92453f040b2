"""Every item type a trainer puts in the lesson basket carries discussion questions and a
role-play on its page: its own (a complaint case), or 课堂练习 built from what it holds."""
from __future__ import annotations

from casebook.core import markdown as mdtools
from casebook.site.handout import exercises, exercises_html
from casebook.site.item import item_page
from casebook.site.pagekit import View, fill


def whole(view, item) -> str:
    """The page as the site writes it: its Markdown with the HTML parts put back."""
    page = item_page(view, item)
    return fill(page.markdown, page.slots)


def test_every_basket_item_has_questions_and_a_role_play(sample_lib):
    view = View(sample_lib)
    for kind in ("complaint", "guide", "story", "emergency", "standard"):
        for item in sample_lib.of_type(kind):
            own = mdtools.section(item.body, "讨论题") and mdtools.section(item.body, "演练脚本")
            questions, play = exercises(item)
            assert own or (len(questions) >= 2 and play["roles"] and play["steps"]), item.id
            page = whole(view, item)
            assert ("课堂练习" in page) == (not own), item.id
            if not own:
                assert "角色扮演" in exercises_html(item) and "讨论题" in exercises_html(item)


def test_a_course_page_keeps_its_rules_out_of_the_handout(sample_lib):
    page = whole(View(sample_lib), sample_lib.items["courses/special-customers"])
    assert page.count('class="cb-no-handout"') == 2 and "overrides" not in page
