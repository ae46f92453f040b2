"""Training packs, read back from the real PDF with pdftotext / pdffonts / pdfinfo / pdftoppm."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO, run_cli

OUTLET = "example-community"


def pdftext(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(out), cwd=REPO)
    assert result.code == 0, result.err
    pdf = out / OUTLET / "pack.pdf"
    return {"dir": out / OUTLET, "pdf": pdf, "text": pdftext(pdf), "flat": re.sub(r"\s+", "", pdftext(pdf))}


def test_pack_files_are_written(pack):
    assert pack["pdf"].stat().st_size > 20_000
    html = (pack["dir"] / "pack.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and (pack["dir"] / "pack.css").is_file()


def test_outlet_trainers_and_forms_are_in_the_pdf(pack):
    flat = pack["flat"]
    for text in ["示例支行营业部", "孙老师", "钱老师", "赵项目", "内部资料", "导入网点辅导安排表", "服务突发事件应急预案",
                 "厅堂高峰期补位方案", "网点现状问题诊断表", "网点日辅导工作日志", "通关评分表", "网点服务固化方案",
                 "浓情暖域验收表", "口袋话术卡", "选材说明", "问题描述", "整改建议", "整改期限", "责任人"]:
        assert text in flat, text


def test_five_dated_logs_skip_weekend_and_holiday(pack):
    flat = pack["flat"]
    logs = re.findall(r"网点日辅导工作日志·第(\d)天网点示例支行营业部日期(\d{4}年\d{1,2}月\d{1,2}日（周.）)", flat)
    assert logs == [("1", "2026年12月3日（周四）"), ("2", "2026年12月4日（周五）"), ("3", "2026年12月8日（周二）"),
                    ("4", "2026年12月9日（周三）"), ("5", "2026年12月10日（周四）")]
    assert "2026年12月7日" not in flat and "2026年12月5日" not in flat  # holiday, Saturday


def test_emergency_plan_carries_the_staff_names(pack):
    flat = pack["flat"]
    start = flat.index("服务突发事件应急预案示例支行营业部。")  # the chapter heading + its lead line
    section = flat[start:flat.index("厅堂高峰期补位方案示例支行营业部。")]
    for name in ["吴敏", "周晓雯", "何强"]:  # 网点负责人, 大堂经理, 保安 of the outlet
        assert name in section, name
    assert "分钟内" in section and "120" in section and "96110" in section


def test_backup_chain_in_order_with_names(pack):
    flat = pack["flat"]
    start = flat.index("厅堂高峰期补位方案示例支行营业部。")
    section = flat[start:flat.index("网点现状问题诊断表示例支行营业部")]
    order = [section.index(x) for x in ["综合区大堂经理", "客户经理", "内勤行长", "网点负责人", "柜面经理"]]
    assert order == sorted(order)
    assert "周晓雯" in section and "林峰" in section and "郑涛" in section


def test_cjk_font_is_embedded(pack):
    fonts = subprocess.run(["pdffonts", str(pack["pdf"])], capture_output=True, text=True, check=True).stdout
    rows = [l for l in fonts.splitlines() if "Noto-Sans-CJK-SC" in l]
    assert rows and all(" yes yes " in l for l in rows), fonts
    assert "JP" not in fonts


def test_page_count_is_plausible(pack):
    assert 25 <= page_count(pack["pdf"]) <= 150


def test_same_inputs_same_bytes(pack, tmp_path):
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path), "--format", "pdf", cwd=REPO)
    assert result.code == 0, result.err
    assert (tmp_path / OUTLET / "pack.pdf").read_bytes() == pack["pdf"].read_bytes()


def test_pages_render_to_png(pack, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(pack["pdf"]), str(tmp_path / "p")],
                   check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == 3 and all(p.stat().st_size > 2000 for p in pngs)


@pytest.fixture
def repo_copy(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "outlets", root / "outlets")
    return root


def test_trainer_override_replaces_the_drawn_items(repo_copy, tmp_path):
    path = repo_copy / "outlets" / f"{OUTLET}.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^overrides:.*\Z", "", text)
    text += "overrides:\n  courses/complaint-handling: [complaints/coins-refused]\n"
    path.write_text(text, encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 0, result.err
    html = (tmp_path / "o" / OUTLET / "pack.html").read_text(encoding="utf-8")
    course = html[html.index("<h2>《投诉处理技巧及典型案例分析》"):]
    table = course[course.index("选材说明"):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 2  # header + the one chosen item
    assert "培训老师指定" in table and "硬币" in table


def test_bad_outlet_is_refused_and_all_goes_on(repo_copy, tmp_path):
    bad = repo_copy / "outlets" / "broken.yml"
    bad.write_text((repo_copy / "outlets" / f"{OUTLET}.yml").read_text(encoding="utf-8")
                   .replace("trainers: [孙老师, 钱老师]", "trainers: [孙老师]"), encoding="utf-8")
    single = run_cli("pack", "outlets/broken.yml", "--out", str(tmp_path / "a"), cwd=repo_copy)
    assert single.code == 1 and "outlets/broken.yml:" in single.err and "error[F004]" in single.err
    every = run_cli("pack", "--all", "--out", str(tmp_path / "b"), "--format", "html", cwd=repo_copy)
    assert every.code == 1 and "broken" in every.err
    made = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert made == sorted(p.stem for p in (repo_copy / "outlets").glob("*.yml") if p.stem != "broken")


def test_no_cjk_font_stops_with_a_clear_message(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), cwd=REPO,
                     env={"FONTCONFIG_FILE": str(conf)})
    assert result.code == 1 and "fonts-noto-cjk" in result.err
    assert not (tmp_path / "o" / OUTLET / "pack.pdf").exists()


def test_usage_errors(tmp_path):
    assert run_cli("pack", cwd=REPO).code == 2
    assert run_cli("pack", "outlets/nope.yml", cwd=REPO).code == 2
    assert run_cli("pack", "--all", "--format", "xml", cwd=REPO).code == 2


def test_forms_as_editable_docx_with_east_asian_font(tmp_path):
    import zipfile

    from docx import Document

    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path), "--format", "docx", cwd=REPO)
    assert result.code == 0, result.err
    path = tmp_path / OUTLET / "forms.docx"
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "网点现状问题诊断表" in text and text.count("网点日辅导工作日志") == 5
    assert "2026年12月8日（周二）" in text and "示例支行营业部" in text
    assert len(doc.tables) == 6 and doc.tables[0].rows[0].cells[2].text == "问题描述"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="Noto Sans CJK SC"' in xml


def test_a_drawn_plan_is_printed_once_and_pointed_to(pack):
    flat = pack["flat"]
    pointers = re.findall(r"见本册《服务突发事件应急预案》第(\d+)页", flat)
    assert pointers, "the evening course should point to the plans"
    start = flat.index("服务突发事件应急预案示例支行营业部。")
    plans = flat[start:flat.index("厅堂高峰期补位方案示例支行营业部。")]
    assert plans.count("岗位本网点人员职责") >= len(set(pointers))
    # each pointed-to page lies inside the plans chapter
    footers = [int(n) for n in re.findall(r"第(\d+)页/共\d+页", plans)]
    lo, hi = footers[0], footers[-1] + 1  # the chapter's pages (the last footer may follow the slice)
    assert all(lo <= int(p) <= hi for p in pointers), (pointers, lo, hi)
