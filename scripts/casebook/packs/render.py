"""Training packs: one printable pack per outlet for the coaching week.

`pack_context` is pure (Library + outlet → the data a pack shows); `render_html` turns it into
HTML with the Jinja templates in templates/pack/; `write_pack` runs WeasyPrint. The print CSS
is a static file (Jinja's autoescape would break an inline <style>), linked by the HTML.

WeasyPrint fetches whatever the HTML names (an <img>, a srcset, a CSS url()). Its fetcher here
(`library_fetcher`) serves only files under the library's cases/media/ and the pack templates,
and refuses everything else: no network, no file elsewhere on the machine. The rendered
Markdown also loses such sources before it reaches the HTML (so pack.html opened in a
browser fetches nothing either).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import markdown as md
import nh3
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..core import markdown as mdtools
from ..guards.safety import outside_source
from ..core.library import Library, OutletEntry
from ..core.model import TYPE_LABELS, Outlet
from ..core.schedule import chinese_date, coaching_days
from ..core.selection import Selection, draw_items
from ..core.validate import Item

TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "pack"
CJK_FAMILY = "Noto Sans CJK SC"
# The 厅堂补位 chain of the programme (综合区大堂经理 → 客户经理 → 内勤行长 → 网点负责人 → 柜面经理).
BACKUP_CHAIN = [("大堂经理", "综合区大堂经理"), ("客户经理", "客户经理"), ("内勤行长", "内勤行长"),
                ("网点负责人", "网点负责人"), ("柜面经理", "柜面经理")]
DEFAULT_CONTACTS = [("急救中心", "120"), ("报警", "110"), ("火警", "119"), ("反诈专线", "96110")]
SECTIONS_SHOWN_APART = ("推荐话术", "参考话术", "讨论题", "演练脚本")


class PackError(Exception):
    """A pack cannot be made (missing font, outlet with errors); the message is for people."""


# --- Markdown → safe HTML -------------------------------------------------------------------

def _local_sources_only(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "srcset") and outside_source(value):
        return None
    return value


def to_html(text: str) -> Markup:
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, attribute_filter=_local_sources_only))


def without_sections(body: str, titles: tuple[str, ...]) -> str:
    lines = body.split("\n")
    drop: set[int] = set()
    heads = [h for h in mdtools.headings(body, 0) if h.level <= 2]
    for i, h in enumerate(heads):
        if h.level == 2 and h.text in titles:
            end = heads[i + 1].line if i + 1 < len(heads) else len(lines)
            drop.update(range(h.line, end))
    return "\n".join(l for i, l in enumerate(lines) if i not in drop)


def list_items(section_text: str) -> list[str]:
    """Numbered or bulleted lines of a section, without their markers."""
    out = []
    for line in section_text.split("\n"):
        m = re.match(r"^\s*(?:\d+[.、)]|[-*+])\s+(.*)$", line)
        if m:
            out.append(m.group(1).strip())
    return out


def staff_names(outlet: Outlet, role: str) -> list[str]:
    return list(outlet.staff.get(role, []))


_ROLE_LINE = re.compile(r"^(\s*[-*]\s*)角色[：:](.*)$")


def fill_roles(script: str, outlet: Outlet) -> str:
    """In a drill script's 角色 line, add the outlet's staff names after each role it has."""
    out = []
    for line in script.split("\n"):
        m = _ROLE_LINE.match(line)
        if m:
            roles = [r.strip() for r in re.split(r"[、,，]", m.group(2)) if r.strip()]
            named = []
            for role in roles:
                names = staff_names(outlet, role)
                named.append(f"{role}（{'、'.join(names)}）" if names else role)
            line = f"{m.group(1)}角色：{'、'.join(named)}"
        out.append(line)
    return "\n".join(out)


# --- the pack's data ------------------------------------------------------------------------

@dataclass
class ItemBlock:
    item: Item
    selection: Selection
    body_html: Markup
    questions: list[str] = field(default_factory=list)
    drill_html: Markup | None = None
    duties: list[tuple[str, list[str], list[str]]] = field(default_factory=list)


@dataclass
class CourseBlock:
    course: Item
    outline_html: Markup
    blocks: list[ItemBlock]


@dataclass
class EveningBlock:
    day: int
    date: dt.date
    courses: list[CourseBlock]


def item_block(item: Item, selection: Selection, outlet: Outlet) -> ItemBlock:
    body = item.body
    block = ItemBlock(item, selection, to_html(without_sections(body, SECTIONS_SHOWN_APART)))
    block.questions = list_items(mdtools.section(body, "讨论题"))
    script = mdtools.section(body, "演练脚本")
    if script:
        block.drill_html = to_html(fill_roles(script, outlet))
    if item.type == "emergency":
        block.duties = [(role, staff_names(outlet, role), list(duties)) for role, duties in item.meta.duties.items()]
    return block


def pack_context(lib: Library, entry: OutletEntry) -> dict:
    outlet = entry.outlet
    programme = lib.programme
    if programme is None:
        raise PackError("cases/programme.yml 无效，无法排出日程")
    days = coaching_days(outlet.start_date, outlet.holidays)
    evenings: list[EveningBlock] = []
    drawn_plans: list[Item] = []
    for day, date in zip(programme.days, days):
        courses = []
        for course_id in day.evening.courses:
            course = lib.items.get(course_id)
            if course is None:
                continue
            selections = draw_items(lib, course, outlet)
            blocks = [item_block(s.item, s, outlet) for s in selections]
            drawn_plans += [s.item for s in selections if s.item.type == "emergency"]
            courses.append(CourseBlock(course, to_html(course.body), blocks))
        evenings.append(EveningBlock(day.day, date, courses))
    plans = list({p.id: p for p in drawn_plans}.values())  # first drawn first, once each
    plan_blocks = [item_block(p, Selection(p, ""), outlet) for p in plans]

    contacts = [(c.name, c.phone) for c in outlet.contacts]
    known = {phone for _, phone in contacts}
    contacts += [(n, p) for n, p in DEFAULT_CONTACTS if p not in known]

    standards = lib.of_type("standard")
    diagnosis: dict[str, list[str]] = {}
    warm_zone: list[tuple[str, str]] = []
    for std in standards:
        for entry_ in std.meta.checklist:
            if std.meta.form == "浓情暖域验收表":
                warm_zone.append((entry_.area, entry_.item))
            elif entry_.item not in diagnosis.setdefault(entry_.area, []):
                diagnosis[entry_.area].append(entry_.item)
    scoring = []
    for std in standards:
        examinees = [n for role in std.meta.roles for n in staff_names(outlet, role)][:5]
        scoring.append((std, examinees + [""] * max(0, 3 - len(examinees))))  # at least 3 blank columns

    cards = pocket_cards(lib, outlet, plans)
    return {
        "outlet": outlet,
        "stem": entry.stem,
        "programme": programme,
        "big_class_date": outlet.big_class_date,
        "days": days,
        "schedule": list(zip(programme.days, days)),
        "evenings": evenings,
        "plans": plan_blocks,
        "contacts": contacts,
        "backup_chain": [(label, staff_names(outlet, role)) for role, label in BACKUP_CHAIN],
        "diagnosis": diagnosis,
        "warm_zone": warm_zone,
        "scoring": scoring,
        "cards": cards,
        "type_labels": TYPE_LABELS,
        "cjk_family": CJK_FAMILY,
    }


@dataclass
class Card:
    title: str
    subtitle: str
    phrases: list  # list[Phrase]


def pocket_cards(lib: Library, outlet: Outlet, plans: list[Item], groups: int = 3, per_card: int = 4) -> list[Card]:
    """A6 script cards: phrases for the outlet's top customer groups, then the drawn plans."""
    cards: list[Card] = []
    used: set[str] = set()
    for group in outlet.profile.customer_groups[:groups]:
        # the guide most about this group: listed first there, then fewer groups, then 特殊客户 scope
        guides = [g for g in lib.with_value("customer_groups", group) if g.type == "guide" and g.id not in used]
        guides.sort(key=lambda g: (g.meta.customer_groups.index(group), len(g.meta.customer_groups),
                                   g.meta.scope != "特殊客户", -g.meta.updated.toordinal(), g.id))
        for guide in guides[:1]:
            used.add(guide.id)
            cards.append(Card(guide.meta.title, f"客户群体：{group}", list(guide.meta.phrases)[:per_card]))
    for plan in plans:
        cards.append(Card(plan.meta.title, f"应急预案 · {plan.meta.report_within_minutes} 分钟内报告",
                          list(plan.meta.phrases)[:per_card]))
    return cards


# --- rendering ------------------------------------------------------------------------------

def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cdate"] = chinese_date
    env.filters["md"] = to_html
    env.filters["chunks"] = lambda seq, n: [seq[i:i + n] for i in range(0, len(seq), n)]
    return env


def render_html(context: dict, css_href: str = "pack.css") -> str:
    return _env().get_template("pack.html.j2").render(**context, css_href=css_href)


def find_cjk_font() -> str | None:
    """The file of Noto Sans CJK SC via fontconfig, or None (then Chinese would print as boxes)."""
    if shutil.which("fc-match") is None:
        return None
    proc = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", f"{CJK_FAMILY}:lang=zh-cn"],
                          capture_output=True, text=True)
    family, _, path = proc.stdout.partition("\n")
    return path if CJK_FAMILY in family else None


class FetchRefused(ValueError):
    """WeasyPrint was asked for something outside cases/media/ and the pack templates."""


def allowed_file(url: str, root: Path) -> Path:
    """The local file a URL names, if it lies under root/cases/media/ or TEMPLATES; else
    FetchRefused (network URLs, data:, other files, symlinks or ../ leading elsewhere)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise FetchRefused(f"培训包不从网络或其他来源读取：{url[:80]}")
    path = Path(unquote(parsed.path)).resolve()  # symlinks and ../ resolved before the test
    allowed = [(Path(root) / "cases" / "media").resolve(), TEMPLATES.resolve()]
    if not any(path.is_relative_to(a) for a in allowed) or not path.is_file():
        raise FetchRefused(f"培训包只读取 cases/media/ 和培训包模板里的文件：{url[:80]}")
    return path


def library_fetcher(root: Path):
    """A WeasyPrint url_fetcher that reads only files under root/cases/media/ and TEMPLATES."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 70: a class
    except ImportError:  # WeasyPrint 66–69: a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            return default_url_fetcher(allowed_file(url, root).as_uri(), *args, **kwargs)

        return fetch

    class LibraryFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            return super().fetch(allowed_file(url, root).as_uri(), headers)

    return LibraryFetcher()


def pdf_bytes(html: str, base_url: Path, when: dt.date, root: Path | None = None) -> bytes:
    from weasyprint import HTML  # imported here: the core never needs WeasyPrint

    fetcher = library_fetcher(root if root is not None else base_url)
    doc = HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).render()
    stamp = dt.datetime(when.year, when.month, when.day).isoformat()
    doc.metadata.created = stamp  # fixed from the inputs: same inputs, same bytes
    doc.metadata.modified = stamp
    return doc.write_pdf(pdf_identifier=b"casebook-" + str(when).encode())


def write_pack(lib: Library, stem: str, out_dir: Path, formats: tuple[str, ...] = ("pdf", "html")) -> list[Path]:
    entry = lib.outlets.get(stem)
    if entry is None:
        raise PackError(f"outlets/{stem}.yml 有错误或不存在")
    if "pdf" in formats and find_cjk_font() is None:
        raise PackError(f"找不到中文字体 {CJK_FAMILY}：请安装 Debian 软件包 fonts-noto-cjk（make test 会自动安装），"
                        "否则 PDF 里的中文会变成方框")
    context = pack_context(lib, entry)
    target = out_dir / stem
    target.mkdir(parents=True, exist_ok=True)
    written = []
    css = (TEMPLATES / "pack.css").read_text(encoding="utf-8")
    html = render_html(context)
    if "html" in formats:
        (target / "pack.css").write_text(css, encoding="utf-8")
        (target / "pack.html").write_text(html, encoding="utf-8")
        written.append(target / "pack.html")
    if "docx" in formats:
        from .docx import write_forms

        written.append(write_forms(context, target / "forms.docx"))
    if "pdf" in formats:
        when = max([entry.outlet.start_date, *(i.meta.updated for i in lib.items.values())])
        data = pdf_bytes(html, TEMPLATES, when, lib.root)
        (target / "pack.pdf").write_bytes(data)
        written.append(target / "pack.pdf")
    return written
