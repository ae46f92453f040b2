"""The data one pack shows: Library + outlet → a dict for templates/pack/pack.html.j2. Pure.

Each drawn item is printed once, on the evening it is first drawn; a later draw prints a line
that points to that page. Emergency plans are printed in their own chapter with the outlet's
names and phone numbers; the evening courses point to them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import markdown as md
import nh3
from markupsafe import Markup

from ..core import markdown as mdtools
from ..core.diagnostics import Diagnostic, warning
from ..core.library import Library, OutletEntry
from ..core.model import TYPE_LABELS, Outlet
from ..core.outlets import staff_pos
from ..core.proc import signals_after
from ..core.schedule import coaching_days
from ..core.complaint_cover import complaint_types_served, in_library
from ..core.selection import PROGRAMME_PLANS, EveningDraw, Selection, draw_week, lacking_plans
from ..core.validate import Item
from ..guards.safety import outside_source
from . import forms, local, people, plan_book
from .drills import morning_drills
from .exercises import Drill, drill_for, questions_for
from .qr import page_url, qr_svg, short

SECTIONS_SHOWN_APART = ("推荐话术", "参考话术", "讨论题", "演练脚本")


class PackError(Exception):
    """A pack cannot be made (missing font, outlet with errors); the message is for people."""


# --- Markdown → safe HTML -------------------------------------------------------------------

_LIST_INDENT = re.compile(r"^( {1,7})(?=(?:[-*+]|\d+[.)])\s)", re.M)


def to_html(text: str) -> Markup:
    """Python-Markdown nests a list only under 4 spaces; editors indent by 2 or 3. Round up."""
    text = _LIST_INDENT.sub(lambda m: " " * (((len(m.group(1)) + 3) // 4) * 4), mdtools.defuse(text))
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    with signals_after():  # (a Ctrl-C inside the filter would be lost in nh3)
        # links to http(s) pages only, as on the site: a `tel:` or `sms:` link in an item would
        # pose as the plan's own number (a trainer taps 120 and calls the contributor's)
        return Markup(nh3.clean(html, attribute_filter=_local_sources_only, url_schemes={"http", "https"}))


def _local_sources_only(element: str, attribute: str, value: str) -> str | None:
    """No image source outside the library reaches the pack (WeasyPrint's fetcher refuses them too)."""
    if attribute in ("src", "srcset") and outside_source(value):
        return None
    return value


def without_sections(body: str, titles: tuple[str, ...]) -> str:
    lines = body.split("\n")
    drop: set[int] = set()
    heads = [h for h in mdtools.headings(body, 0) if h.level <= 2]
    for i, h in enumerate(heads):
        if h.level == 2 and h.text in titles:
            end = heads[i + 1].line if i + 1 < len(heads) else len(lines)
            drop.update(range(h.line, end))
    return "\n".join(l for i, l in enumerate(lines) if i not in drop)


def anchor(item_id: str) -> str:
    return "item-" + item_id.replace("/", "-")


# --- blocks ---------------------------------------------------------------------------------

@dataclass
class ItemBlock:
    item: Item
    selection: Selection
    anchor: str
    body_html: Markup = Markup("")
    questions: list[str] = field(default_factory=list)
    drill: Drill | None = None
    duties: list[tuple[str, list[str], list[str], str]] = field(default_factory=list)  # role, names, duties, note
    contacts: list[tuple[str, str, str]] = field(default_factory=list)  # kind, name, phone ("" = to fill)
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (when, say), the outlet's address filled in
    url: str = ""
    qr: Markup = Markup("")
    ref_day: int | None = None  # printed on an earlier evening: this block is a pointer
    taught: str = ""  # a plan taught on an evening: "第4天晚班讲解"


@dataclass
class CourseBlock:
    course: Item
    outline_html: Markup
    blocks: list[ItemBlock]
    gaps: list[str] = field(default_factory=list)  # type labels the outline uses and the evening lacks
    tonight: list[tuple[Item, str]] = field(default_factory=list)  # day 4: the plans taught that evening, why
    book: int = 0  # day 4: how many plans the plan book holds


def outline_gaps(ev: EveningDraw) -> list[str]:
    """The kinds of material the course's outline works with (its draw rules) that the evening
    has nothing of: the trainer brings their own, and is told so."""
    have = {s.item.type for s in ev.selections}
    return list(dict.fromkeys(TYPE_LABELS[r.type] for r in ev.course.meta.draws if r.type not in have))


@dataclass
class EveningBlock:
    day: int
    date: dt.date
    courses: list[CourseBlock]


def item_block(item: Item, selection: Selection, outlet: Outlet, base_url: str | None,
               contacts: list[tuple[str, str, str]] = ()) -> ItemBlock:
    block = ItemBlock(item, selection, anchor(item.id))
    block.body_html = to_html(local.localise(without_sections(item.body, SECTIONS_SHOWN_APART), outlet))
    block.phrases = [(p.when, local.localise(p.say, outlet)) for p in getattr(item.meta, "phrases", None) or []]
    block.questions = questions_for(item, outlet)
    block.drill = drill_for(item, outlet)
    if item.type == "emergency":
        duties = item.meta.duties
        block.duties = [(c.role, c.names, list(duties[c.role]), c.note())
                        for c in people.cast(outlet, list(duties))]
        block.contacts = local.numbers_for(local.needed_kinds(item.meta.title + item.body), contacts)
    if base_url:
        block.url = page_url(base_url, item.id)
        block.qr = qr_svg(block.url)
    return block


def cover_bank_name(lib: Library) -> str:
    """The bank's name for the cover (bank.yml `name`); none where it is just 本行, as in the sample."""
    name = str(lib.bank.value("bank.name")) if "bank.name" in lib.bank.parameters else ""
    return "" if name == "本行" else name


def evenings_of(week: list[EveningDraw], days: list[dt.date], outlet: Outlet, base_url: str | None,
                contacts) -> tuple[list[EveningBlock], list[ItemBlock]]:
    evenings: dict[int, EveningBlock] = {}
    plans: dict[str, ItemBlock] = {}
    for ev in week:
        blocks = []
        for s in ev.selections:
            if s.item.type == "emergency":
                if s.item.id not in plans:
                    plans[s.item.id] = item_block(s.item, s, outlet, base_url, contacts)
                blocks.append(ItemBlock(s.item, s, anchor(s.item.id), ref_day=s.first_day))
            elif s.first_day is not None:
                blocks.append(ItemBlock(s.item, s, anchor(s.item.id), ref_day=s.first_day))
            else:
                blocks.append(item_block(s.item, s, outlet, base_url))
        evening = evenings.setdefault(ev.day, EveningBlock(ev.day, days[ev.day - 1], []))
        course = CourseBlock(ev.course, to_html(ev.course.body), blocks, outline_gaps(ev))
        if PROGRAMME_PLANS.get(ev.course.meta.day) and any(r.type == "emergency" for r in ev.course.meta.draws):
            taught = plan_book.tonight(ev.selections, outlet, plan_book.tonight_count(ev.course.body))
            course.tonight = [(s.item, why) for s, why in taught]
            course.book = sum(1 for s in ev.selections if s.item.type == "emergency")
            for s, _ in taught:
                plans[s.item.id].taught = f"第{ev.day}天晚班讲解"
        evening.courses.append(course)
    return [evenings[d] for d in sorted(evenings)], plan_book.book_order(list(plans.values()))


# --- warnings for the trainer ----------------------------------------------------------------

def pack_warnings(lib: Library, entry: OutletEntry, plans: list[ItemBlock],
                  week: list[EveningDraw]) -> list[Diagnostic]:
    outlet = entry.outlet
    out: list[Diagnostic] = []
    needed: dict[str, str] = {}
    for role, label in forms.BACKUP_CHAIN:
        needed.setdefault(role, f"厅堂补位方案（{label}）")
    for p in plans:
        for role in p.item.meta.duties:
            needed.setdefault(role, f"应急预案《{p.item.meta.title}》")
    for role, where in needed.items():
        if not outlet.staff.get(role):
            line, col = staff_pos(entry, role)
            out.append(warning(entry.rel, line, col, "O005",
                               f"岗位“{role}”没有人员：{where}等处留空待填；请在网点文件的“网点人员”（staff）里写上姓名"))
    missing = sorted({c[0] for p in plans for c in p.contacts if not c[2]})
    if missing:
        line, col = entry.doc.key_or_value_pos(("contacts",))
        out.append(warning(entry.rel, line, col, "O006",
                           f"应急预案需要的电话没有填写：{'、'.join(missing)}；请在网点文件的“应急联系电话”（contacts）里"
                           f"按类别补上，如 - {{name: 支行保卫部, phone: \"0571-8888xxxx\", kind: 保卫}}；"
                           f"印出的预案里这些电话留空待手写"))
    for ev in week:
        gaps = outline_gaps(ev)
        if gaps:
            where = ("overrides", ev.course.id) if ev.course.id in outlet.overrides else ("profile",)
            line, col = entry.doc.key_or_value_pos(where)
            out.append(warning(entry.rel, line, col, "O010",
                               f"《{ev.course.meta.title}》的大纲要用{'、'.join(gaps)}，第{ev.day}天没有选到；"
                               f"培训包在该课标注“请老师自备”，也可在网点文件的“老师指定选材”（overrides）里为这门课指定"))
    for ev in week:  # (a plan the programme names that the library lacks: a deleted robbery plan went unsaid)
        if any(r.type == "emergency" for r in ev.course.meta.draws) and (lacking := lacking_plans(lib, ev.course.meta.day)):
            line, col = entry.doc.key_or_value_pos(("profile",))
            out.append(warning(entry.rel, line, col, "O016",
                               f"项目方案第{ev.day}天点名演练的突发事件“{'”“'.join(lacking)}”在案例库里没有应急预案："
                               f"这几项请老师自备，或在 cases/emergencies/ 补上预案"))
    for name, roles in people.several_roles(outlet).items():
        line, col = staff_pos(entry, roles[1])
        out.append(warning(entry.rel, line, col, "O012",
                           f"{name}同时在{'、'.join(roles)}岗位：应急预案、补位方案和演练中按先列的岗位安排，"
                           f"后面的岗位由同岗其他人或替补承担（培训包中标“替补”处请写上姓名）"))
    unserved = [t for t, case in complaint_types_served(outlet, week).items() if case is None]
    if unserved:
        line, col = entry.doc.key_or_value_pos(("profile", "recent_complaints"))
        held = in_library(lib, unserved)  # (the library has one: no evening of the programme draws complaints)
        absent, unscheduled = [t for t in unserved if t not in held], [t for t in unserved if t in held]
        if absent:
            out.append(warning(entry.rel, line, col, "O011",
                               f"案例库没有近期投诉类型“{'、'.join(absent)}”的投诉案例，本周不能安排；"
                               f"可在第2天白天萃取网点自己的案例（见《案例与故事收集表》）"))
        if unscheduled:
            out.append(warning(entry.rel, line, col, "O011",
                               f"案例库有近期投诉类型“{'、'.join(unscheduled)}”的投诉案例，但本周的晚班课没有一门选投诉案例，"
                               f"没有安排上；可在网点文件的“老师指定选材”（overrides）里为一门课指定"))
    for ev in week:
        for s in ev.selections:
            if s.by_trainer and s.first_day is not None:
                line, col = entry.doc.key_or_value_pos(("overrides", ev.course.id))
                out.append(warning(entry.rel, line, col, "O008",
                                   f"老师为《{ev.course.meta.title}》指定的“{s.item.meta.title}”已在第{s.first_day}天印出，"
                                   f"第{ev.day}天改为引用该页"))
    return out


# --- the pack -------------------------------------------------------------------------------

@dataclass
class DayPages:
    """What the pack prints for one coaching day, in the day's order: the morning drills, the
    启动会, the evening's courses, the 总结会."""
    day: int
    date: dt.date
    forms: list[tuple[str, str]]  # (form, anchor) the day uses in the daytime
    evening_forms: list[tuple[str, str]]  # … and in the evening
    morning: object | None  # drills.MorningDrills
    kickoff: str | None
    evening: EveningBlock | None
    closing: str | None
    toc: list[tuple[str, str]] = field(default_factory=list)  # (label, anchor) for the contents: each form on its first day; ("", "") parts daytime from evening


# The week's forms and where the pack prints them.
FORM_ANCHORS = {"网点现状问题诊断表": "diagnosis", "浓情暖域验收表": "warm-zone", "厅堂高峰期补位方案": "backup",
                "服务突发事件应急预案": "emergency", "通关评分表": "scoring", "网点服务固化方案": "consolidation",
                "案例与故事收集表": "collect", "演练记录": "drill-log", "网点日辅导工作日志": "logs"}
EVERY_DAY = ("网点日辅导工作日志",)  # listed once, not under each day


EVENING_FORMS = {"通关评分表": "通关"}  # a form used in the evening when its drill says so


def day_forms(day) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(form, anchor) a day uses in the daytime and in the evening: the programme's forms, the
    collection sheet on a day that collects cases or stories, the 通关评分表 on an evening
    whose drill holds a 通关."""
    daytime_text = "".join(a.title + "".join(a.details) for a in day.daytime)
    evening = [f for f, word in EVENING_FORMS.items() if word in day.evening.drill]
    daytime = [f for f in day.forms if f not in EVERY_DAY and f not in evening]
    if "收集" in daytime_text:
        daytime.append("案例与故事收集表")

    def anchored(names):
        return [(n, FORM_ANCHORS[n]) for n in dict.fromkeys(names) if n in FORM_ANCHORS]
    return anchored(daytime), anchored(evening)


def day_pages(programme, days: list[dt.date], evenings: list[EveningBlock], mornings: list) -> list[DayPages]:
    by_day = {ev.day: ev for ev in evenings}
    morning = {m.day: m for m in mornings}
    pages = [DayPages(d.day, date, *day_forms(d), morning.get(d.day), d.evening.kickoff, by_day.get(d.day), d.evening.closing)
            for d, date in zip(programme.days, days)]
    # a form used on several days is listed once, on its first day, with the days it serves
    used: dict[str, list[int]] = {}
    for p in pages:
        for name, _ in p.forms + p.evening_forms:
            used.setdefault(name, []).append(p.day)
    for p in pages:
        def once(forms, when=""):
            return [(f"{name}（{when}）" if len(used[name]) == 1 and when else
                     f"{name}（第{'、'.join(map(str, used[name]))}天{when}）" if len(used[name]) > 1 else name, anchor)
                    for name, anchor in forms if used[name][0] == p.day]
        p.toc = once(p.forms) + [("", "")] + once(p.evening_forms, "晚班")
    return pages


@dataclass
class Card:
    title: str
    subtitle: str
    phrases: list[tuple[str, str]]  # (when, say)
    numbers: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, phone) the outlet's own
    url: str = ""
    qr: Markup = Markup("")


def pocket_cards(lib: Library, outlet: Outlet, plans: list[ItemBlock], base_url: str | None,
                 contacts: list[tuple[str, str, str]] = (), groups: int = 3, per_card: int = 4) -> list[Card]:
    """A6 script cards: phrases for the outlet's top customer groups, then the drawn plans;
    each with the outlet's numbers (a plan's card: the plan's own strip)."""
    floor = [c for c in local.numbers_for(local.CARD_KINDS, contacts) if c[2]]
    picked: list[tuple[Item, str, list]] = []
    used: set[str] = set()
    for group in outlet.profile.customer_groups[:groups]:
        guides = [g for g in lib.with_value("customer_groups", group) if g.type == "guide" and g.id not in used]
        guides.sort(key=lambda g: (g.meta.customer_groups.index(group), len(g.meta.customer_groups),
                                   g.meta.scope != "特殊客户", -g.meta.updated.toordinal(), g.id))
        for guide in guides[:1]:
            used.add(guide.id)
            picked.append((guide, f"客户群体：{group}", floor))
    picked += [(p.item, f"应急预案 · {p.item.meta.report_within_minutes} 分钟内报告", [c for c in p.contacts if c[2]])
               for p in plans]
    cards = []
    for item, sub, numbers in picked:
        url = page_url(base_url, item.id) if base_url else ""
        phrases = [(p.when, local.localise(p.say, outlet)) for p in list(item.meta.phrases)[:per_card]]
        cards.append(Card(item.meta.title, sub, phrases, numbers, short(url) if url else "",
                          qr_svg(url) if url else Markup("")))
    return cards


def pack_context(lib: Library, entry: OutletEntry, base_url: str | None = None,
                 given: list[Diagnostic] = ()) -> dict:
    outlet = entry.outlet
    programme = lib.programme
    if programme is None:
        raise PackError("cases/programme.yml 无效，无法排出日程")
    days = coaching_days(outlet.start_date, outlet.holidays, open_days=outlet.weekdays)
    week = draw_week(lib, outlet, programme)
    contacts = local.contact_rows(outlet, lib.bank.hotline)
    evenings, plans = evenings_of(week, days, outlet, base_url, contacts)
    warnings = [*given, *pack_warnings(lib, entry, plans, week)]
    tables, checklists = forms.scoring_tables(lib, outlet)
    printed = list({b.item.id: b.item for ev in evenings for c in ev.courses for b in c.blocks}.values())
    group_items = {g: [i.meta.title for i in printed if g in i.meta.customer_groups]
                   for g in outlet.profile.customer_groups}
    warm_std, warm_areas = forms.warm_zone(lib)
    rate_unit = f" {lib.bank.complaint_rate_unit}" if lib.bank.complaint_rate_unit else ""  # (bank.yml)
    mornings = morning_drills(lib, outlet, days, to_html, week)  # 晨会微演练, each after its evening (packs/drills.py)
    return {
        "outlet": outlet,
        "stem": entry.stem,
        "programme": programme,
        "big_class_date": outlet.big_class_date,
        "days": days,
        "schedule": list(zip(programme.days, days)),
        "evenings": evenings,
        "plans": plans,
        "contacts": contacts,
        "backup": forms.backup_rows(lib, outlet),
        "facts": forms.day_one_facts(outlet, rate_unit),
        "headcount": people.headcount(outlet),
        "people_roles": people.roles_of(outlet),
        "closing_rows": forms.closing_rows(outlet, tables, sum(a.points for a in warm_areas), rate_unit),
        "rate_unit": rate_unit,
        "levels": lib.bank.outlet_levels,  # (bank.yml: what this bank calls branch and sub_branch)
        "bank_name": cover_bank_name(lib),
        "several_roles": people.several_roles(outlet),
        "diagnosis": forms.diagnosis_areas(lib),
        "warm_standard": warm_std,
        "warm_areas": warm_areas,
        "score_tables": tables,
        "checklists": checklists,
        "log_rows": {day.day: forms.log_rows(day) for day in programme.days},
        "cards": pocket_cards(lib, outlet, plans, base_url, contacts),
        "place": local.place_of(outlet),
        "morning_drills": mornings,
        "day_pages": day_pages(programme, days, evenings, mornings),
        "course_titles": {i.id: i.meta.title for i in lib.of_type("course")},
        # how each basis key is printed: 《title》, or a starter bank rule with 示例·部署前替换
        "basis_titles": {key: lib.registry.title(key) for key in lib.registry.entries},
        "warnings": warnings,
        "site_url": base_url,
        "short": short,
        "anchor": anchor,
        "type_labels": TYPE_LABELS,
        "group_items": group_items,
        "group_notes": {e.value: e.description for e in lib.vocabulary.entries.get("customer_groups", [])},
    }
