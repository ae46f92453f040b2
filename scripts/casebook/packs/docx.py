"""The pack's fill-in forms as an editable Word file (forms.docx): 网点现状问题诊断表 and the
five 网点日辅导工作日志, for trainers who fill them on a laptop instead of on paper.

Word picks the font for Chinese from the East Asian slot (w:eastAsia), not from the font name
python-docx sets; without it Chinese shows in whatever font Word guesses.
"""
from __future__ import annotations

from pathlib import Path

from ..core.schedule import chinese_date

FONT = "Noto Sans CJK SC"


def _east_asian(run_or_style, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), name)


def _table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float]):
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    # repeat the header row on every page
    from docx.oxml.ns import qn

    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    return table


def write_forms(context: dict, path: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT  # noqa: F401  (portrait A4 is the default we keep)
    from docx.shared import Cm, Pt

    outlet = context["outlet"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for style_name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
        style = doc.styles[style_name]
        _east_asian(style)
    doc.styles["Normal"].font.size = Pt(10.5)
    section.header.paragraphs[0].text = f"{outlet.name} · 服务营销导入"

    doc.add_heading("网点现状问题诊断表", level=1)
    doc.add_paragraph(f"{outlet.name}｜第1天填写：对照检查项目记录问题，限期整改，导入结束前复查。")
    rows, n = [], 0
    for area, entries in context["diagnosis"].items():
        rows.append([area, "", "", "", "", ""])
        for item in entries:
            n += 1
            rows.append([str(n), item, "", "", "", ""])
    _table(doc, ["序号", "检查项目", "问题描述", "整改建议", "整改期限", "责任人"], rows, [1.2, 5, 4, 4, 2, 2])

    for day, date in context["schedule"]:
        doc.add_page_break()
        doc.add_heading(f"网点日辅导工作日志 · 第{day.day}天", level=1)
        doc.add_paragraph(f"网点：{outlet.name}　　日期：{chinese_date(date)}")
        doc.add_paragraph(f"培训老师：{'、'.join(outlet.trainers)}")
        work = [[a.title, "", "", ""] for a in day.daytime]
        work.append(["晚班：" + ("授课与演练" if day.evening.courses else "总结会与演练"), "", "", ""])
        work.append(["暖心服务故事", "", "", ""])
        _table(doc, ["工作内容", "完成情况", "发现问题", "改进建议"], work, [4.5, 4, 4, 4])
        doc.add_paragraph("")
        doc.add_paragraph(f"培训老师（签字）：__________　　网点负责人（签字）：__________　　"
                          f"日期：{date.year}年{date.month}月{date.day}日")
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            _east_asian(run)
    doc.core_properties.title = f"{outlet.name} 培训表单"
    doc.save(str(path))
    return path
