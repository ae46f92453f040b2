"""Property-based fuzz (Hypothesis) of the loader and the guards: whatever a pull request holds,
casebook answers with diagnostics, never a traceback, and every finding points inside the file.

Quick by design (a few seconds): a few hundred generated files and texts, built from the
characters attackers use — entities, full-width and zero-width characters, bidi controls,
YAML and Jinja punctuation, CJK text, digits.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.core.diagnostics import CODES
from casebook.core.docs_check import neutralise_templates, template_problems
from casebook.core.library import load_vocabulary
from casebook.core.load import load_document, load_yaml_file
from casebook.core.validate import validate_item, validate_outlet
from casebook.guards import privacy, safety
from casebook.guards.normalise import normalise
from conftest import VALID

TODAY = dt.date(2026, 11, 29)
FAST = settings(max_examples=80, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

SPECIAL = list("&#;<>/\\\"'`{}%:-*![]()=\n\t @|~?") + [
    "&lt;", "&#x3c;", "&amp;lt;", "&#49;", "１", "３", "８", "（", "）", "\u200b", "\u200d", "\ufeff", "\u202e",
    "\u2066", "\u00ad", "ﬁ", "①", "一", "三", "八", "号", "路", "先生", "客户", "身份证", "卡号", "138", "0", "9",
    "onerror=", "javascript:", "<img src=", "![x](", "http://", "file://", "../", "{{", "{%", "cb-copy", "data-copy",
    "---", "...", "!!python/object", "&a", "*x", "- ", ": ",
]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=("Cs",))),
                max_size=80).map("".join)
PIECES = st.lists(st.sampled_from(SPECIAL) | st.text(max_size=8), max_size=60).map("".join)


@FAST
@given(TEXT)
def test_normalise_maps_every_offset_back_into_the_input(text):
    norm = normalise(text)
    previous = 0
    for i in range(len(norm.text) + 1):
        at = norm.orig(i)
        assert 0 <= at <= len(text)
        assert at >= previous
        previous = at


@FAST
@given(st.one_of(TEXT, PIECES))
def test_guards_never_raise_and_point_inside_the_text(text):
    for finding in privacy.scan(text, today=TODAY) + safety.scan(text):
        assert 0 <= finding.start <= finding.end <= len(text) + 1
        assert finding.code in CODES


@FAST
@given(st.one_of(TEXT, PIECES))
def test_neutralised_docs_hold_no_template_syntax_but_allowed_calls(text):
    assert template_problems(neutralise_templates(text)) == []




@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    """A library folder the generated files are written into (removed with pytest's others)."""
    return tmp_path_factory.mktemp("fuzz")

_VOCAB, _ = load_vocabulary(VALID)

FRONT = st.lists(st.sampled_from([
    "title: ", "summary: ", "date: 2026-01-15", "outlet: ", "staff: [", "]", "updated: 2026-11-20", "images:",
    "  - src: ", "media:", "  - name: x", "    url: ", "phrases:", "  - when: ", "    say: ", "tags: [", "&a ", "*a",
    "!!binary ", "? ", "|", ">", "'", '"', "\n",
]) | TEXT, max_size=25).map(lambda parts: "\n".join(parts))


@FAST
@given(FRONT, st.one_of(TEXT, PIECES), st.sampled_from(["story", "complaint", "course", "guide"]))
def test_loader_and_validation_answer_with_diagnostics(fuzz_root, front, body, kind):
    folder = {"story": "stories", "complaint": "complaints", "course": "courses", "guide": "guides"}[kind]
    path = fuzz_root / "cases" / folder / "fuzz.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8", errors="surrogatepass")
    doc = load_document(path, fuzz_root)
    _item, problems = validate_item(doc, kind, _VOCAB, TODAY)
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    for d in problems:
        assert d.code in CODES and 1 <= d.line <= lines + 1, d


@FAST
@given(FRONT)
def test_outlet_files_answer_with_diagnostics(fuzz_root, text):
    path = fuzz_root / "outlets" / "fuzz.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("title: ", "name: ").replace("summary: ", "contacts: "), encoding="utf-8")
    _outlet, problems = validate_outlet(load_yaml_file(path, fuzz_root), _VOCAB, TODAY)
    for d in problems:
        assert d.code in CODES and d.line >= 1, d
