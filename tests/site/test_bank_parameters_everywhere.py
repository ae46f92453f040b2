"""A bank changes one number in cases/bank.yml and sees it on every page and in every pack that
uses it: a copy of the repository's library, `report_minutes.major` set from 10 to 13, the real
site built with `casebook build` and a real pack written with `casebook pack`, both read back."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from casebook.core.library import Library
from conftest import REPO, run_cli

KEY = "bank.report_minutes.major"


@pytest.fixture(scope="module")
def tree_major_13(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bank") / "lib"
    for folder in ("cases", "outlets", "docs"):
        shutil.copytree(REPO / folder, root / folder)
    bank = root / "cases/bank.yml"
    text = bank.read_text(encoding="utf-8")
    assert re.search(r"^  major: 10\b", text, re.M)
    bank.write_text(re.sub(r"^  major: 10\b", "  major: 13", text, flags=re.M), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def lib_major_13(tree_major_13):
    return Library.load(tree_major_13, use_cache=False)


@pytest.fixture(scope="module")
def site_major_13(tree_major_13, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_cli("build", "--root", str(tree_major_13), "--out", str(out))
    assert result.code == 0, result.err
    return out


def test_the_library_reads_the_new_value(lib_major_13):
    assert lib_major_13.bank.value(KEY) == 13
    users = [i for i in lib_major_13.items.values() if KEY in i.doc.bank_keys]
    assert len(users) >= 10
    plans = [i for i in users if i.type == "emergency" and i.meta.report_within_minutes == 13]
    assert len(plans) >= 8  # the plans whose deadline is derived from it


def test_every_page_that_uses_the_parameter_shows_the_new_value(lib_major_13, site_major_13):
    users = [i for i in lib_major_13.items.values() if KEY in i.doc.bank_keys]
    for item in users:
        page = (site_major_13 / item.id / "index.html").read_text(encoding="utf-8")
        assert re.search(r"13\s?(</strong>\s?)?分钟", page), item.id
        if item.type == "emergency" and item.meta.report_within_minutes == 13:
            assert "报告时限：<strong>13 分钟内</strong>" in page, item.id
    # nothing is left unfilled anywhere but on the page that lists the parameters by name
    for page in site_major_13.rglob("*.html"):
        if page.parent.name != "deploy":
            assert "【bank." not in page.read_text(encoding="utf-8"), page
    deploy = (site_major_13 / "deploy/index.html").read_text(encoding="utf-8")
    assert "部署清单" in deploy and "示例·部署前替换" in deploy
    row = deploy.split("report_minutes.major", 1)[1].split("</tr>", 1)[0]
    assert "<td>13</td>" in row


def test_every_pack_prints_the_new_value(lib_major_13, tree_major_13, tmp_path):
    out = tmp_path / "packs"
    result = run_cli("pack", "--root", str(tree_major_13), "--all", "--out", str(out), "--format", "html")
    assert result.code == 0, result.err
    packs = sorted(out.rglob("*.html"))
    assert len(packs) == len(list((tree_major_13 / "outlets").glob("*.yml")))
    deadlines = {lib_major_13.bank.value(k) for k in lib_major_13.bank.parameters if k.startswith("bank.report_minutes.")}
    derived = {i.id.split("/", 1)[1] for i in lib_major_13.of_type("emergency") if i.meta.report_within_minutes == 13}
    on_major = 0
    for pack in packs:
        html = pack.read_text(encoding="utf-8")
        limits = re.findall(r'class="report-limit">.*?<strong>(\d+) 分钟内</strong>', html)
        assert limits and set(map(int, limits)) <= deadlines, pack
        printed = set(re.findall(r'<article class="plan" id="item-emergencies-([a-z0-9-]+)"', html))
        on_major += len(printed & derived)
        assert limits.count("13") >= len(printed & derived), pack
        assert "【bank." not in html, pack
        assert "示例·部署前替换" in html, pack  # the 依据 line of a printed item citing a starter rule
    assert on_major  # some pack prints a plan on the bank's major deadline


def test_the_checklist_prints_hostile_values_as_text():
    """The 部署清单 is Markdown: a value from bank.yml (a pull request) cannot become markup."""
    from types import SimpleNamespace

    from casebook.core.bank import Bank, BankParameter
    from casebook.core.basis import Registry
    from casebook.site.deploy_page import deploy_checklist_page

    hostile = "<script>alert(1)</script> | [点我](javascript:alert(2)) *粗*"
    bank = Bank({"bank.name": BankParameter("bank.name", hostile, "本行名称", "")}, {}, False, present=True)
    page = deploy_checklist_page(SimpleNamespace(bank=bank, items={}, registry=Registry()))
    row = next(line for line in page.splitlines() if line.startswith("| 【bank.name】"))
    assert row.count("|") == 5  # the value's | does not open a column
    assert "<script>" not in page and "](" not in page and "*粗*" not in page
    assert "&#60;script&#62;" in row
