"""The held-out township outlet (nine people, one of them 大堂经理 and 客户经理, a holiday in the
week, landline contacts, one override) packed as a trainer would, and read back from the PDF."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_cli

TOWNSHIP = Path(__file__).parent / "outlets" / "township-nine.yml"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("township")
    result = run_cli("pack", str(TOWNSHIP), "--root", str(REPO), "--out", str(out), "--format", "pdf,docx", cwd=REPO)
    assert result.code == 0, result.err
    pdf = out / "township-nine" / "pack.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return result, text, [re.sub(r"\s+", "", p) for p in text.split("\f")]


def test_it_packs_without_an_error_and_warns_once_per_point(pack):
    result, _, _ = pack
    assert "error[" not in result.err
    codes = re.findall(r"warning\[(O\d+)\]", result.err)
    assert codes.count("O012") == 1 and "O010" not in codes


def test_contents_follow_the_days(pack):
    _, text, pages = pack
    toc = next(p for p in pages if p.startswith("目录") or "目录导入网点辅导安排表" in p)
    days = [toc.index(f"第{n}天（") for n in range(1, 6)]
    assert days == sorted(days)  # all five days, in order
    day1, day2 = toc[days[0]:days[1]], toc[days[1]:days[2]]
    assert "晨会微演练" not in day1 and "启动会" in day1 and "通关评分表（第1、4天晚班）" in day1
    assert day1.index("启动会") < day1.index("晚班授课") < day1.index("通关评分表（第1、4天晚班）")
    assert toc.count("案例与故事收集表") == 1 and "案例与故事收集表（第2、3、5天）" in day2
    assert "晨会微演练：复练第1天晚班" in day2 and "总结会" in toc[days[4]:]


def test_morning_drills_rehearse_the_evening_before(pack):
    _, _, pages = pack
    heads = [p for p in pages if re.search(r"第\d天晨会微演练·", p)]
    assert not any("第1天晨会微演练" in p for p in heads)
    day3 = next(p for p in heads if "第3天晨会微演练" in p)
    assert "复练第2天晚班《投诉处理技巧及典型案例分析》" in day3 and "厅堂营销" not in day3


def test_the_week_has_its_meeting_and_collection_sheets(pack):
    _, _, pages = pack
    kickoff = next(p for p in pages if "启动会·第1天晚班" in p)
    assert "议程" in kickoff and "本周安排" in kickoff
    closing = "".join(p for p in pages if "总结会·第5天晚班" in p or "从诊断到验收" in p)
    assert "第1天（诊断）" in closing and "第5天（验收）" in closing and "72分" in closing and "表彰" in "".join(pages)
    first = next(i for i, p in enumerate(pages) if "案例与故事收集表" in p[:40])
    collect = pages[first] + pages[first + 1]
    assert "□服务态度" in collect and "□收费定价" in collect and "□系统设备" in collect
    assert "客户（或其家属）" in collect and "□同意□不同意□未问（未问不得公开）" in collect
    # (a photo needs the consent of everyone in it, not only the customer's; the question wraps in its cell)
    assert "图片、视频里能认" in collect and "□都同意□打码或不用□没有图片" in collect
    assert "中华人民共和国个人信息保护法" in collect
    assert any("厅堂平面图与补位站位" in p for p in pages)


def test_forms_fit_their_use(pack):
    _, _, pages = pack
    warm = "".join(p for p in pages if "浓情暖域验收表" in p[:40] or "第5天验收（" in p)
    assert "第1天对照（" in warm and "第5天验收（" in warm and "合计（满分" in warm
    scoring = "".join(p for p in pages if "考核：" in p)
    titles = re.findall(r"(员工职业形象规范|柜员服务七步曲|大堂服务流程|保洁服务规范|保安服务规范)", scoring)
    assert titles.index("柜员服务七步曲") < titles.index("保洁服务规范")
    assert "潜在投诉观察清单（辅导日用）（网点检查）" in scoring or "潜在投诉观察清单" not in scoring.split("（网点检查）")[0]
    cleaning = scoring[scoring.index("保洁服务规范"):]
    cleaning = cleaning[:cleaning.index("合计")]
    assert "考核：保洁" in cleaning and "卫小燕" not in cleaning and "花桂英" in cleaning
    duties = "".join(p for p in pages if "网点服务固化方案" in p[:40] or "固化的服务职责" in p)
    for role in ("网点负责人", "内勤行长", "大堂经理", "柜面经理", "客户经理", "保安", "保洁"):
        assert role in duties


def pack_docx(pack):
    result, _, _ = pack
    return Path(re.search(r"已生成 (\S+?)/（", result.err).group(1)) / "forms.docx"


def test_forms_docx_grids_agree_with_their_cells_and_forms_are_signed(pack):
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(pack_docx(pack)))
    for table in doc.tables:  # a long form goes on over pages: its header row on each, no row cut in two
        rows = table._tbl.tr_lst
        assert rows[0].trPr is not None and rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in table.rows[0]._tr.tc_lst]
        assert all(abs(g - c) <= 2 for g, c in zip(grid, cells)) and len(grid) == len(cells), (grid, cells)
    body = [p.text for p in doc.paragraphs]
    diagnosis = body.index("网点现状问题诊断表")
    backup = body.index("厅堂高峰期补位方案")
    assert any("签字" in t for t in body[diagnosis:backup])
    warm = next(t for t in doc.tables if t.rows[0].cells[0].text == "验收项目")
    assert [c.text for c in warm.rows[0].cells][2:] == ["第1天 达标", "第1天 得分", "第5天 达标", "第5天 得分"]
    assert warm.rows[-1].cells[0].text == "合计"
    roles = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["岗位", "人员", "固化的服务职责"])
    assert len(roles.rows) == 1 + 7
    consent = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["问题", "回答"])
    assert "客户（或其家属）是否同意讲述并公开这个故事？" in consent.rows[1].cells[0].text
    assert "案例与故事收集表" in body
