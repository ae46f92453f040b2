"""Course outlines keep their sub-points as lists on the site: editors indent them by 2 or 3
spaces, Python-Markdown (MkDocs) nests only under 4, and the page body is rounded up first."""
from __future__ import annotations

import re

import markdown

from casebook.site.item import item_page, nested_lists
from casebook.site.pagekit import View

EXTENSIONS = ["tables", "admonition", "sane_lists", "toc"]  # as mkdocs.yml's markdown_extensions


def test_every_course_outline_renders_its_sub_points_as_lists(sample_lib):
    courses = sample_lib.of_type("course")
    assert len(courses) >= 7
    view = View(sample_lib, public=True)
    for course in courses:
        html = markdown.markdown(item_page(view, course).markdown, extensions=EXTENSIONS)  # the page MkDocs renders
        assert not re.search(r"<p>[^<]*\n\s*- ", html), course.id  # a sub-point joined into a paragraph
        assert re.search(r"<ol>\s*<li>.*?<ul>\s*<li>", html, re.S), course.id


def test_indent_is_rounded_outside_code_only():
    text = "1. 开场\n   - 点评\n  - 两格\n```\n   - 代码里不动\n```\n"
    assert nested_lists(text) == "1. 开场\n    - 点评\n    - 两格\n```\n   - 代码里不动\n```\n"
