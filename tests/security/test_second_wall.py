"""The second round of attacks a hostile contributor tried: each class on a real tree with the
real CLI (regex rules, CI output, images, docs/ names and front matter, packs)."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CASEBOOK, REPO, TODAY, VALID, Result, run_cli, write


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    shutil.copytree(REPO / "docs", root / "docs")
    return root


def run_within(seconds: float, *args: str) -> tuple[Result, float]:
    """The CLI, failing the test (not hanging it) when it runs past `seconds`."""
    started = time.monotonic()
    try:
        proc = subprocess.run([CASEBOOK, *args], capture_output=True, text=True, timeout=seconds,
                              env={**os.environ, "CASEBOOK_TODAY": TODAY}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"casebook {' '.join(args)} ran past {seconds} s")
    return Result(proc.returncode, proc.stdout, proc.stderr), time.monotonic() - started


STORY = """---
title: {title}
summary: 测试用的故事摘要。
date: 2026-01-15
outlet: 测试支行
staff: [周晓雯]
updated: 2026-11-20
source: example
---
一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。
一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。
此后每天早上都有环卫工人来喝一杯热水。
{body}
"""


def story(root: Path, slug: str, title: str = "一个测试用的故事", body: str = "") -> Path:
    return write(root, f"cases/stories/{slug}.md", STORY.format(title=title, body=body))


# --- regex rules: a time bound ---------------------------------------------------------------

RULE = """{key}:
  pattern: {pattern}
  why: 测试用的规则
  instead: 测试用的说法
"""


@pytest.mark.parametrize("pattern", [
    "(?:哈|哈哈){0,40}好",  # an alternation under a bound: 2^40 tries with Python's re
    "(?:哈|哈){0,40}好",
    "哈{0,30}哈{0,30}哈{0,30}哈{0,30}哈{0,30}哈{0,30}好",  # bounded repeats side by side: n^6
    "(?:哈|哈)" * 30 + "好",  # a sequence of alternations: 2^30, also in the regex package
])
def test_a_runaway_rule_cannot_stall_check(tree, pattern):
    write(tree, "cases/forbidden-phrases.yml", RULE.format(key="laugh", pattern=pattern))
    story(tree, "laughing", body="哈" * 120 + "。\n")
    result, took = run_within(60, "check", "--root", str(tree))
    assert took < 30, took
    # either the rule ran in bounded time and found nothing, or it was refused at its line
    refused = {line for line in result.out.splitlines() if "[C003]" in line}
    assert all(line.startswith("cases/forbidden-phrases.yml:2:") for line in refused), result.out
    if "(?:哈|哈)(?:哈|哈)" in pattern:
        assert refused and result.code == 1, result.out


def test_a_rule_that_runs_out_of_time_on_an_item_is_refused_at_its_line(tree):
    # slow only on a text the probes do not make (a run of 哈 after 呵): refused at run time
    from casebook.core import wrong_advice

    pattern = "呵" + "(?:哈|哈)" * 28 + "好"
    assert not wrong_advice._too_slow(wrong_advice.regex.compile(pattern), pattern)
    write(tree, "cases/forbidden-phrases.yml", RULE.format(key="slow", pattern=pattern) +
          RULE.format(key="coins", pattern="硬币不收"))
    for n in range(3):
        story(tree, f"laughing-{n}", body="呵" + "哈" * 60 + "好。硬币不收。\n")
    result, took = run_within(60, "check", "--root", str(tree))
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "[C003]" in line] == [
        line for line in result.out.splitlines() if line.startswith("cases/forbidden-phrases.yml:2:12: error[C003]")]
    assert result.out.count("[C003]") == 1, result.out  # once, not once per item
    assert result.out.count("[C001]") == 3, result.out  # the other rules still run on every item
    assert took < 30, took
