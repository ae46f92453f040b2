"""The pack's hand-filled forms as an editable Word file (forms.docx), for trainers who fill
them on a laptop: the same forms as the PDF (诊断表, 补位方案, 日志 ×5, 演练记录, 通关评分表,
固化方案, 浓情暖域验收表).

Deterministic: the same inputs give the same bytes (fixed document dates, zip entries rewritten
with one fixed timestamp). Every table fits the text width of an A4 page (17 cm).
Word picks the font for Chinese from the East Asian slot (w:eastAsia), not from the font name
python-docx sets; without it Chinese shows in whatever font Word guesses.
Every text goes in through `xml_text`: a control character in an outlet's name (which the
checker refuses, H056) would otherwise make lxml raise instead of writing the form.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from ..core.schedule import chinese_date

FONT = "Noto Sans CJK SC"
TEXT_WIDTH_CM = 17.0
# what XML 1.0 cannot hold (C0 but tab and line ends, surrogates, U+FFFE/FFFF), and what a reader
# cannot see (DEL, C1, bidi controls)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _para(doc, text: str):
    return doc.add_paragraph(xml_text(text))


def _heading(doc, text: str, level: int):
    return doc.add_heading(xml_text(text), level=level)


SIGN = "网点负责人（签字）：__________　　培训老师（签字）：__________　　日期：__________"


def _east_asian(run_or_style, name: str = FONT) -> None:
    from docx.oxml.ns import qn

    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), name)


def _table(doc, header: list[str], rows: list[list[str]], widths_cm: list[float], min_height_cm: float = 0):
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml.ns import qn
    from docx.shared import Cm

    scale = min(1.0, TEXT_WIDTH_CM / sum(widths_cm))
    widths = [w * scale for w in widths_cm]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = xml_text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        row = table.add_row()
        for cell, text in zip(row.cells, values):
            cell.text = xml_text(text)
        if min_height_cm:
            row.height, row.height_rule = Cm(min_height_cm), WD_ROW_HEIGHT_RULE.AT_LEAST
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the table grid: LibreOffice and WPS lay out by it, not by the cells
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))  # rows never split
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
    # repeat the header row on every page
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    return table


def _form(doc, title: str, lead: str, first: bool = False) -> None:
    if not first:
        doc.add_page_break()
    _heading(doc, title, 1)
    _para(doc, lead)


def write_forms(context: dict, path: Path, when: dt.date) -> Path:
    from docx import Document
    from docx.shared import Cm, Pt

    outlet = context["outlet"]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    for style_name in ("Normal", "Heading 1", "Heading 2", "Table Grid"):
        _east_asian(doc.styles[style_name])
    doc.styles["Normal"].font.size = Pt(10)
    section.header.paragraphs[0].text = xml_text(f"{outlet.name} · 服务营销导入")

    _form(doc, "网点现状问题诊断表", f"{outlet.name}｜第1天填写：对照检查项目记录问题，限期整改，导入结束前复查。", first=True)
    _heading(doc, "一、网点现状（第1天对接）", 2)
    facts = [[label, known, ""] for label, known in context["facts"]]
    facts += [["员工服务现状", "", ""], ["应急处理能力", "", ""], ["服务难点、痛点（员工访谈）", "", ""]]
    _table(doc, ["项目", "已掌握", "第1天核实与补充"], facts, [3.5, 6, 7.5], 1.1)
    _heading(doc, "二、环境与服务问题", 2)
    rows, n = [], 0
    for area in context["diagnosis"]:
        rows.append([area.area, "", "", "", "", ""])
        for item in area.items:
            n += 1
            rows.append([str(n), item, "□合格 □问题", "", "", ""])
    rows += [["", "", "", "", "", ""]] * 3
    _table(doc, ["序号", "检查项目", "结果", "问题描述与整改建议", "期限", "责任人"], rows, [1, 5, 1.6, 5.6, 1.8, 2], 1.5)
    _para(doc, "培训老师（签字）：__________　　网点负责人（签字）：__________　　日期：__________")

    _form(doc, "厅堂高峰期补位方案", f"{outlet.name}｜补位顺序：综合区大堂经理 → 客户经理 → 内勤行长 → 网点负责人 → 柜面经理。")
    _table(doc, ["顺序", "岗位", "本网点人员", "补位职责", "本网点补充"],
           [[str(i), r.label, "、".join(r.names) + (f"（{r.note}）" if r.note else "") or "（待指定）", r.duty, ""]
            for i, r in enumerate(context["backup"], 1)],
           [1, 2.6, 2.8, 7.6, 3])
    _para(doc, "触发条件：" + (outlet.backup_trigger or "等候人数超过 ______ 人，或最长等候超过 ______ 分钟"))
    _para(doc, "报告与启动：由 ______________ 报告 ______________ 启动")
    _para(doc, "恢复条件：________________________________________")
    _para(doc, "厅堂平面图与补位站位：另附一页，画出入口、取号机、等候区、柜台、理财室、自助区、除颤仪和灭火器位置，标出高峰时各补位人员的站位。")
    _para(doc, SIGN)

    _form(doc, "案例与故事收集表", f"{outlet.name}｜第2天萃取本网点的投诉案例，第3—5天记录暖心服务故事。不写客户姓名、电话、证件号、卡号和住址。")
    _heading(doc, "一、投诉案例（第2天）", 2)
    causes = " ".join(f"□{t}" for t in outlet.profile.recent_complaints) + " □其他"
    _table(doc, ["发生时间", "经过（客户用“王先生”“李阿姨”称呼）", "投诉原因", "处理结果与难点", "提供人"],
           [["", "", causes, "", ""] for _ in range(3)], [2, 5.4, 3, 4.6, 2], 2.2)
    _heading(doc, "二、暖心服务故事（第3—5天）", 2)
    _table(doc, ["日期", "发生了什么（员工多做了哪一步）", "员工", "图片、视频"], [["", "", "", ""] for _ in range(2)],
           [2, 9, 3, 3], 2.2)
    _heading(doc, "三、公开前的授权（每个故事一份）", 2)
    _table(doc, ["问题", "回答"], [
        ["客户（或其家属）是否同意讲述并公开这个故事？", "□同意　□不同意　□未问（未问不得公开）"],
        ["故事里的员工是否同意公开、是否同意署名？", "□同意公开　□同意署名　□不同意"],
        ["图片、视频里能认出的人是否都同意公开？", "□都同意　□打码或不用　□没有图片"],
        ["是否写到健康、残障、确切年龄或未成年人？", "□没有　□有：须取得当事人（未成年人为监护人）单独同意，或删去"],
        ["准备发表在哪里？", "□只在行内　□社会媒体：__________"],
        ["客户同意人签字 / 日期", ""]], [7, 10], 1)
    _para(doc, "健康、特定身份（如残障）和不满十四周岁未成年人的信息属于《中华人民共和国个人信息保护法》第二十八条所列的敏感个人信息。")
    _para(doc, "收集人（签字）：__________　　网点负责人（签字）：__________")

    for day, date in context["schedule"]:
        _form(doc, f"网点日辅导工作日志 · 第{day.day}天", f"网点：{outlet.name}　　日期：{chinese_date(date)}　　培训老师：{'、'.join(outlet.trainers)}")
        _table(doc, ["工作内容", "完成情况", "发现问题", "改进建议"],
               [[row, "", "", ""] for row in context["log_rows"][day.day]], [4, 4.4, 4.3, 4.3], 2.2)
        _para(doc, f"培训老师（签字）：__________　　网点负责人（签字）：__________　　日期：{date.year}年{date.month}月{date.day}日")

    _form(doc, "演练记录", f"{outlet.name}｜每晚演练后填写：时间、内容、参加人员和评价。")
    _table(doc, ["时间", "演练内容", "参加人员", "用时", "评价与改进"],
           [[f"第{d.day}天 {date.month}月{date.day}日", d.evening.drill, "", "", ""] for d, date in context["schedule"]],
           [2, 5, 4, 1.4, 4.6], 2.2)
    _heading(doc, "应急预案实地演练", 2)
    _table(doc, ["项目", "记录"], [[k, ""] for k in ("演练日期与时间", "演练方式（桌面推演/实地演练）", "演练预案", "参加人员",
                                                   "首次报告用时", "存在问题", "评价与改进")], [4.5, 12.5], 1.2)
    _para(doc, SIGN)

    _form(doc, "通关评分表", f"{outlet.name}｜满分 100 分，80 分通关；每人一列，逐项打分，人多时续表。")
    for t in context["score_tables"]:
        part = f"（{t.part}/{t.parts}）" if t.parts > 1 else ""
        _heading(doc, t.standard.meta.title + part, 2)
        people = [p or "姓名：" for p in t.people]
        rows = [[s.name, str(s.points), *[""] * len(people)] for s in t.standard.meta.steps]
        rows.append(["合计", str(sum(s.points for s in t.standard.meta.steps)), *[""] * len(people)])
        _table(doc, ["步骤", "分值", *people], rows, [4, 1.2, *[11.8 / len(people)] * len(people)], 0.8)
    for c in context["checklists"]:
        _heading(doc, f"{c.standard.meta.title}（网点检查）", 2)
        _table(doc, ["检查项", "要求", "分值", "是否达标", "得分"],
               [[s.name, s.detail, str(s.points), "□是 □否", ""] for s in c.standard.meta.steps], [3, 8.4, 1.2, 2.4, 2])
    _para(doc, "考核人（签字）：__________　　日期：__________")

    _form(doc, "网点服务固化方案", f"{outlet.name}｜第5天与网点负责人或内勤行长对接后填写。")
    for title in ("一、固化目标", "二、岗位职责", "三、日常机制", "四、培训与演练计划", "五、硬件整改跟踪", "六、暖心服务宣传", "七、检查与考核"):
        _heading(doc, title, 2)
        if title == "二、岗位职责":  # a row for each role of the outlet, not four lines for seven roles
            _table(doc, ["岗位", "人员", "固化的服务职责"],
                   [[role, "、".join(names), ""] for role, names in outlet.staff.items()], [2.6, 3.4, 11], 1.3)
            continue
        for _ in range(4):
            _para(doc, "_" * 58)
    _para(doc, SIGN)

    _form(doc, "浓情暖域验收表", f"{outlet.name}｜第1天对照检查，第5天验收。")
    rows = []
    for a in context["warm_areas"]:
        rows.append([a.name, a.detail, "", f"/{a.points}", "", f"/{a.points}"])
        rows += [["", item, "□是 □否", "", "□是 □否", ""] for item in a.items]
    rows.append(["合计", f"满分 {sum(a.points for a in context['warm_areas'])} 分", "", "", "", ""])
    _table(doc, ["验收项目", "验收内容", "第1天 达标", "第1天 得分", "第5天 达标", "第5天 得分"], rows,
           [2.6, 7.2, 2, 1.6, 2, 1.6])
    _para(doc, "验收人（签字）：__________　　网点负责人（签字）：__________　　日期：__________")

    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            _east_asian(run)
    stamp = dt.datetime(when.year, when.month, when.day)
    props = doc.core_properties
    props.title = xml_text(f"{outlet.name} 培训表单")
    props.author = props.last_modified_by = "casebook"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue(), stamp))
    return path


def fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same zip with every entry dated `stamp`: zip timestamps are the only run-dependent bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
