"""Training packs of the three bundled outlets, each rendered once per module (PDF, HTML, docx)
and read back from the real files with pdftotext / pdffonts / pdfinfo / python-docx."""
from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

from casebook.core.selection import PROGRAMME_PLANS, draw_week, plan_matches
from conftest import REPO, run_cli

OUTLETS = ("city-centre", "county-migrant", "example-community")
CHAPTERS = ("导入网点辅导安排表", "网点画像", "晚班授课", "服务突发事件应急预案", "厅堂高峰期补位方案", "网点现状问题诊断表",
            "网点日辅导工作日志", "演练记录", "通关评分表", "网点服务固化方案", "浓情暖域验收表", "生成提示",
            "晨会微演练", "启动会", "总结会", "案例与故事收集表")


def pdftext(pdf, layout: bool = True) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Pack:
    def __init__(self, folder, stem):
        self.dir = folder / stem
        self.pdf = self.dir / "pack.pdf"
        self.text = pdftext(self.pdf)  # (laid out as printed: the lines of a table row side by side)
        self.flat = flat(self.text)
        self.raw = pdftext(self.pdf, layout=False)  # (in reading order)
        self.pages = [flat(p) for p in self.raw.split("\f")][:-1]
        self.html = (self.dir / "pack.html").read_text(encoding="utf-8")

    def chapter(self, lead: str, end: str) -> str:
        """Flat text from a chapter's lead line (unique) to the next chapter's lead line."""
        i = self.flat.index(lead)
        return self.flat[i:self.flat.index(end, i)]


@pytest.fixture(scope="module")
def pack_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    result = run_cli("pack", "--all", "--out", str(out), "--format", "pdf,html,docx", cwd=REPO)
    assert result.code == 0, result.err
    return out, result


@pytest.fixture(scope="module")
def packs(pack_run):
    return {stem: Pack(pack_run[0], stem) for stem in OUTLETS}


def outlet_of(lib, stem):
    return lib.outlets[stem].outlet


def test_files_fonts_and_size(packs):
    for stem, pack in packs.items():
        assert pack.pdf.stat().st_size > 20_000 and (pack.dir / "pack.css").is_file()
        assert '<html lang="zh-CN">' in pack.html
        assert not list(pack.dir.parent.glob(f".{stem}.*")), "no staging folder is left behind"
        fonts = subprocess.run(["pdffonts", str(pack.pdf)], capture_output=True, text=True, check=True).stdout
        rows = [l for l in fonts.splitlines() if "Noto-Sans-CJK-SC" in l]
        assert rows and all(" yes yes " in l for l in rows) and "JP" not in fonts
        assert 60 <= len(pack.pages) <= 160


def test_no_drawn_item_is_printed_twice(packs, sample_lib):
    """Each drawn item's section (its title followed by its summary) occurs exactly once; a plan's
    heading occurs once, in the plans chapter."""
    for stem, pack in packs.items():
        for ev in draw_week(sample_lib, outlet_of(sample_lib, stem), sample_lib.programme):
            for s in ev.selections:
                meta = s.item.meta
                if s.item.type == "emergency":
                    assert pack.flat.count(flat(f"{meta.incident}：{meta.title}")) == 1, (stem, s.item.id)
                else:
                    assert pack.flat.count(flat(meta.title + meta.summary)[:len(meta.title) + 12]) == 1, (stem, s.item.id)


def test_day_four_plans_are_drawn_and_printed_with_names_and_numbers(packs, sample_lib):
    for stem, pack in packs.items():
        plans = pack.chapter("第4天晚班《突发事件应急处理技巧》授课与演练使用", "第2天协助网点制定")
        staff = outlet_of(sample_lib, stem).staff
        day4 = [s.item for ev in draw_week(sample_lib, outlet_of(sample_lib, stem), sample_lib.programme) for s in ev.selections
                if s.item.type == "emergency"]
        for label, words in PROGRAMME_PLANS[4]:
            plan = next(p for p in day4 if plan_matches(p, words))
            assert flat(f"{plan.meta.incident}：{plan.meta.title}") in plans, (stem, label)
        for name in staff["网点负责人"] + staff["大堂经理"]:
            assert name in plans
        assert "120" in plans and "96110" in plans and "分钟内" in plans
    city = packs["city-centre"].chapter("第4天晚班《突发事件应急处理技巧》", "第2天协助网点制定")
    assert "支行保卫部内线6110" in city and "科技运维报障内线6130" in city


def test_evening_pointers_land_in_the_plans_chapter(packs):
    pack = packs["example-community"]
    pointers = [int(p) for p in re.findall(r"见本册《服务突发事件应急预案》第(\d+)页", pack.flat)]
    assert pointers
    first = next(i for i, p in enumerate(pack.pages) if "第4天晚班《突发事件应急处理技巧》授课与演练使用" in p) + 1
    last = next(i for i, p in enumerate(pack.pages) if "第2天协助网点制定" in p)
    assert all(first <= p <= last for p in pointers), (pointers, first, last)


def test_every_course_prints_discussion_questions_and_a_drill_script(packs, sample_lib):
    for stem, pack in packs.items():
        week = draw_week(sample_lib, outlet_of(sample_lib, stem), sample_lib.programme)
        titles = [flat(f"《{ev.course.meta.title}》") for ev in week]
        start = pack.flat.index("第1天晚班授课·")
        end = pack.flat.index("第4天晚班《突发事件应急处理技巧》授课与演练使用")
        body = pack.flat[start:end]
        marks = [body.index(t + f"{ev.course.meta.minutes}分钟") for t, ev in zip(titles, week)]
        for (i, ev), j in zip(enumerate(week), marks[1:] + [len(body)]):
            course = body[marks[i]:j]
            assert "讨论题" in course and "演练脚本" in course, (stem, ev.course.id)


def test_every_staff_member_is_in_the_scoring_forms(packs, sample_lib):
    for stem, pack in packs.items():
        scoring = pack.chapter("第1天、第4天晚班通关使用", "第5天与网点负责人或内勤行长对接后填写")
        for role, names in outlet_of(sample_lib, stem).staff.items():
            for name in names:
                assert name in scoring, (stem, role, name)
        assert "七步曲" in scoring and "（网点检查）" in scoring


def test_profile_page_follows_the_schedule(packs):
    pack = packs["example-community"]
    profile = pack.chapter("第1天项目对接时向网点负责人和员工介绍", "第1天晚班授课·")
    assert pack.flat.index("导入网点辅导安排表“1+5”") < pack.flat.index("第1天项目对接时向网点负责人和员工介绍")
    for text in ["往期神秘人得分86分", "网点投诉率0.8", "服务效率、制度政策", "代发工资日、营业高峰", "老年客户", "残障客户",
                 "吴敏", "周晓雯", "何强"]:
        assert text in profile, text


def test_schedule_rows_carry_their_date_and_the_cover_date_is_whole(packs):
    pack = packs["example-community"]
    schedule = pack.chapter("时间时段内容表单", "第1天项目对接时")
    for date in ["12月3日", "12月4日", "12月8日", "12月9日", "12月10日"]:
        assert schedule.count(date) == 2, date  # the daytime row and the evening row
    cover = pack.text.split("\f")[0]
    assert any("2026年12月3日（周四）" in line for line in cover.splitlines())
    outlines = [o.split("</div>")[0] for o in pack.html.split('class="outline"')[1:]]
    nested = [o for o in outlines if re.search(r"<li>(?:(?!</li>).)*<ul>", o, re.S)]
    assert len(nested) >= 4  # course outlines: numbered parts with bullets under them


def test_forms_match_the_programme(packs, sample_lib):
    pack = packs["example-community"]
    diagnosis = pack.chapter("第1天填写：与网点负责人对接", "网点日辅导工作日志·第1天")
    for field in ["往期神秘人得分", "网点投诉率", "主要客群", "厅堂高峰时段", "86分"]:
        assert field in diagnosis, field
    recent = outlet_of(sample_lib, "example-community").profile.recent_complaints
    assert recent and "近期投诉" + "、".join(recent) in diagnosis  # (the trainer's first question on day 1)
    checks = re.findall(r"<td class=\"c-item\">([^<]+)</td>", pack.html)
    assert len(checks) == len(set(checks)) >= 20
    backup = pack.chapter("第2天协助网点制定", "第1天填写：与网点负责人对接")
    assert "综合区大堂经理先到迎宾位或等候区补位" in backup and "柜面经理最后补位" in backup
    for day in range(1, 6):
        log = pack.html.split(f"网点日辅导工作日志 · 第{day}天")[1].split("</table>\n    <p")[0].split("log-rows")[1]
        rows = re.findall(r"<tr><td>([^<]+)</td>", log)
        assert rows and len(rows) == len(set(rows)), (day, rows)
    assert "演练记录" in pack.flat and "应急预案实地演练" in pack.flat
    warm = next(p for p in pack.pages if "浓情暖域验收表" in p[:60] and "第1天对照检查" in p)
    assert "验收人（签字）" in warm and "反诈与金融知识宣传" in warm  # one page, areas of the standard


def filled_share(pdf) -> list[float]:
    """Per page, how far down the text reaches, as a share of the type area (header and footer out)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shares = []
    for page in html.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        top, bottom = 20 / 297 * height, (1 - 18 / 297) * height
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page)]
        ys = [y for y in ys if top < y < bottom]
        shares.append((max(ys) - top) / (bottom - top) if ys else 0.0)
    return shares


def test_diagnosis_rows_leave_15_mm_to_write_in(packs):
    pack = packs["county-migrant"]
    first = next(i for i, p in enumerate(pack.pages) if "第1天填写：与网点负责人对接" in p)
    last = next(i for i, p in enumerate(pack.pages) if "网点日辅导工作日志·第1天" in p)
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(first + 1), "-l", str(last), str(pack.pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    pitches = []
    for page in bbox.split("<page ")[1:]:
        numbers = [(int(t), float(y)) for x, y, t in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(\d+)</word>', page)
                   if float(x) < 80]
        pitches += [y2 - y1 for (n1, y1), (n2, y2) in zip(numbers, numbers[1:]) if n2 == n1 + 1]
    assert len(pitches) >= 30 and min(pitches) >= 15 / 25.4 * 72 - 0.5, min(pitches)


def test_a_page_is_at_least_a_quarter_full_unless_a_chapter_follows(packs):
    for stem, pack in packs.items():
        shares = filled_share(pack.pdf)
        cards = next(i for i, p in enumerate(pack.pages) if "应急预案·" in p and "分钟内报告" in p[:200])
        for i in range(1, cards - 1):  # the cover, the pocket cards and the last page aside
            if shares[i] < 0.25:
                nxt = pack.pages[i + 1][:160]
                assert any(c in nxt for c in CHAPTERS), (stem, i + 1, round(shares[i], 2), pack.pages[i][:80])


HEADINGS = {"讨论题", "演练脚本（按条目内容编排）", "演练脚本", "课程目标", "选材说明", "推荐话术", "参考话术", "观察点", "步骤",
            "课程大纲"}


def test_no_heading_is_stranded_at_the_foot_of_a_page(packs, sample_lib):
    for stem, pack in packs.items():
        heads = set(HEADINGS)
        for ev in draw_week(sample_lib, outlet_of(sample_lib, stem), sample_lib.programme):
            heads.add(flat(f"《{ev.course.meta.title}》{ev.course.meta.minutes}分钟"))
            for s in ev.selections:
                meta = s.item.meta
                heads |= {flat(meta.title), flat(s.item.type_label + meta.title), flat(f"{getattr(meta, 'incident', '')}：{meta.title}")}
        for i, page in enumerate(pack.raw.split("\f"), 1):
            lines = [flat(l) for l in page.splitlines() if l.strip() and not re.match(r"^第 \d+ 页 / 共", l.strip())]
            assert not (lines and lines[-1] in heads), (stem, i, lines[-1])


def test_warnings_are_printed_and_listed_on_the_last_page(pack_run, packs):
    err = pack_run[1].err
    assert "outlets/example-community.yml:1:1: warning[O006]" in err
    last = packs["example-community"].pages[-1]
    assert "生成提示" in last and "O006" in last and "支行值班" in last
    assert "没有需要注意的问题" in packs["city-centre"].pages[-1]


def test_same_inputs_same_bytes(tmp_path):
    """Twice the small fixture library's pack (a bundled outlet's pack takes a minute): same bytes."""
    from conftest import VALID

    runs = []
    for n in (1, 2):
        result = run_cli("pack", "--root", str(VALID), str(VALID / "outlets" / "community.yml"), "--out", str(tmp_path / str(n)),
                         "--format", "pdf,docx", cwd=tmp_path)
        assert result.code == 0, result.err
        runs.append(tmp_path / str(n) / "community")
    for name in ("pack.pdf", "forms.docx"):
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name
    assert sorted(p.name for p in runs[0].iterdir()) == ["forms.docx", "pack.pdf"]


def test_forms_docx_is_complete_and_fits_the_page(pack_run):
    from docx import Document

    path = pack_run[0] / "city-centre" / "forms.docx"
    doc = Document(str(path))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    for form in ["网点现状问题诊断表", "厅堂高峰期补位方案", "演练记录", "通关评分表", "网点服务固化方案", "浓情暖域验收表"]:
        assert form in heads, form
    assert sum(h.startswith("网点日辅导工作日志") for h in heads) == 5
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        assert sum(c.width for c in table.rows[0].cells) <= text_width * 1.001
    names = "".join(c.text for t in doc.tables for c in t.rows[0].cells)
    for name in ["严思雨", "龚宇航", "金玉梅", "薛振国"]:
        assert name in names
    with zipfile.ZipFile(path) as z:
        assert len({i.date_time for i in z.infolist()}) == 1  # one fixed timestamp: the same bytes every run
        assert 'w:eastAsia="Noto Sans CJK SC"' in z.read("word/document.xml").decode("utf-8")


def test_five_dated_logs_skip_weekend_and_holiday_and_the_backup_chain_keeps_its_order(packs):
    pack = packs["example-community"]
    logs = re.findall(r"网点日辅导工作日志·第(\d)天网点示例支行营业部日期(\d{4}年\d{1,2}月\d{1,2}日（周.）)", pack.flat)
    assert logs == [("1", "2026年12月3日（周四）"), ("2", "2026年12月4日（周五）"), ("3", "2026年12月8日（周二）"),
                    ("4", "2026年12月9日（周三）"), ("5", "2026年12月10日（周四）")]
    assert "2026年12月7日" not in pack.flat and "2026年12月5日" not in pack.flat  # holiday, Saturday
    backup = pack.chapter("第2天协助网点制定", "第1天填写：与网点负责人对接")
    order = [backup.index(x) for x in ["1综合区大堂经", "2客户经理林峰", "3内勤行长郑涛", "4网点负责人吴敏", "5柜面经理陈立"]]
    assert order == sorted(order)
