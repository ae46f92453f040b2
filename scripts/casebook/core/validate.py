"""Validate one loaded file on its own: fields, vocabulary, headings, privacy, safety.

Everything that needs only the file itself and the vocabulary lives here; rules that look
across files (references, images, programme courses) live in `library`.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from . import contact_numbers, markdown
from .diagnostics import Diagnostic, error, warning
from .load import Document, KeyPath
from .model_errors import PLACEHOLDER, loc_text, model_problems
from .questions import question_problems
from .unseen import unseen
from .scan import crowded_problems, scan_text, strings
from .outlet_dates import dates_out_of_range
from .model import (FOLDERS, ITEM_MODELS, MIN_BODY_CHARS, OPTIONAL_HEADINGS, REQUIRED_DUTY_ROLES,
                    REQUIRED_HEADINGS, TYPE_LABELS, VOCAB_FIELDS, VOCAB_LIST_MAX, ItemBase, Outlet, Programme,
                    person_name)
from .vocabulary import Vocabulary

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # use fullmatch: "$" would accept a final newline
MAX_SLUG = 64  # file names are URL parts; well under the file system's 255 bytes
MAX_BODY_CHARS = 60_000  # about 30 printed pages: a hundred times a long course outline
_PLACEHOLDER_RE = re.compile(r"【待填写[：:]?([^】]*)】?")


def placeholder_problems(doc: Document, data: dict) -> list[Diagnostic]:
    """An unfilled scaffold fails, saying what to fill in, at the line of each placeholder."""
    out: list[Diagnostic] = []
    for path, text in strings(data):
        for m in _PLACEHOLDER_RE.finditer(text):
            line, col = doc.pos(path)
            out.append(error(doc.rel, line, col, "F010", f"{loc_text(path)} 还没填写：{m.group(1).strip() or '请填写'}"))
    for line_no, line in doc.body_lines():
        for m in _PLACEHOLDER_RE.finditer(line):
            out.append(error(doc.rel, line_no, m.start() + 1, "F010", f"正文还没填写：{m.group(1).strip() or '请填写'}"))
    return out


@dataclass
class Item:
    """A valid library item: its id, type, typed front matter and Markdown body."""

    id: str  # e.g. "complaints/peak-queue-long-wait"
    type: str  # e.g. "complaint"
    meta: ItemBase
    body: str
    doc: Document = field(repr=False)

    @property
    def rel(self) -> str:
        return self.doc.rel

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def __getattr__(self, name: str) -> Any:  # item.title, item.phrases … read the front matter
        if name.startswith("_") or name in ("meta", "doc"):
            raise AttributeError(name)
        return getattr(self.meta, name)


# --- vocabulary -------------------------------------------------------------------------------

def normalise_vocab(doc: Document, data: dict, path: KeyPath, vocab_name: str, vocab: Vocabulary,
                    label: str, allow_free: bool = False) -> list[Diagnostic]:
    """Check data[path[-1]] (a value or a list) against a vocabulary; aliases become canonical."""
    out: list[Diagnostic] = []
    container = data
    for part in path[:-1]:
        container = container.get(part) if isinstance(container, dict) else None
        if container is None:
            return out
    key = path[-1]
    if not isinstance(container, dict) or key not in container:
        return out
    raw = container[key]
    if isinstance(raw, list) and len(raw) > VOCAB_LIST_MAX:
        return out  # (the model says the list is too long, F004; its values are checked once it is cut)
    values = raw if isinstance(raw, list) else [raw]
    kept: list[Any] = []
    seen: set[str] = set()
    for i, value in enumerate(values):
        vpath = path + (i,) if isinstance(raw, list) else path
        line, col = doc.pos(vpath)
        if not isinstance(value, str):
            kept.append(value)  # the model reports the wrong type
            continue
        if value.startswith(PLACEHOLDER):
            kept.append(value)  # reported once, as an unfilled placeholder (F010)
            continue
        found = vocab.lookup(vocab_name, value)
        if found.kind == "alias":
            out.append(warning(doc.rel, line, col, "F007",
                               f"{label}“{value}”是别名，请改为标准写法“{found.canonical}”"))
            value = found.canonical
        elif found.kind == "unknown":
            if allow_free:
                kept.append(value)
                continue
            near = "、".join(f"“{n}”" for n in found.nearest)
            odd = unseen(value)
            if odd is not None and vocab.lookup(vocab_name, odd[0]).kind != "unknown":
                out.append(error(doc.rel, line, col, "F006",
                                 f"{label}“{odd[0]}”里夹着看不见的字符（{odd[1]}），"
                                 f"所以对不上词表；删去它，重新输入“{odd[0]}”"))
            elif not near:  # (a list the library has left empty: nothing to offer)
                out.append(error(doc.rel, line, col, "F006",
                                 f"{label}“{value}”不在词表 {vocab_name} 中：cases/vocabulary.yml 的 {vocab_name} "
                                 f"还没有任何取值，请先在那里添加"))
            else:
                out.append(error(doc.rel, line, col, "F006",
                                 f"{label}“{value}”不在词表 {vocab_name} 中；最接近的有效值：{near}"
                                 f"（如需新增，请在 cases/vocabulary.yml 中添加）"))
            kept.append(value)  # keep it, so no second error (e.g. "list too short") follows
            continue
        if value in seen:
            out.append(warning(doc.rel, line, col, "D004", f"{label}“{value}”重复出现"))
            continue
        seen.add(value)
        kept.append(value)
    container[key] = kept if isinstance(raw, list) else (kept[0] if kept else raw)
    return out


def _normalise_keys(doc: Document, data: dict, field_name: str, vocab: Vocabulary, label: str) -> list[Diagnostic]:
    """Mapping keys that must be roles (duties, outlet staff)."""
    out: list[Diagnostic] = []
    mapping = data.get(field_name)
    if not isinstance(mapping, dict):
        return out
    fixed: dict = {}
    for key, value in mapping.items():
        line, col = doc.key_or_value_pos((field_name, key))
        found = vocab.lookup("roles", str(key))
        if found.kind == "alias":
            out.append(warning(doc.rel, line, col, "F007", f"{label}“{key}”是别名，请改为标准写法“{found.canonical}”"))
            key = found.canonical
        elif found.kind == "unknown":
            near = "、".join(f"“{n}”" for n in found.nearest)
            out.append(error(doc.rel, line, col, "F006",
                             f"{label}“{key}”不在岗位词表 roles 中；最接近的有效值：{near}"))
            continue
        if key in fixed:
            out.append(error(doc.rel, line, col, "L007", f"岗位“{key}”重复出现"))
            continue
        fixed[key] = value
    data[field_name] = fixed
    return out



# --- per type ---------------------------------------------------------------------------------

def _heading_problems(doc: Document, kind: str) -> list[Diagnostic]:
    required = REQUIRED_HEADINGS.get(kind)
    if not required:
        return []
    out: list[Diagnostic] = []
    found = [h for h in markdown.headings(doc.body, doc.body_line) if h.level == 2]
    lines = {h.text: h.line for h in reversed(found)}  # first occurrence wins
    last_index, last_text = -1, None
    for h in found:
        if h.text not in required:
            continue
        index = required.index(h.text)
        if index < last_index:
            out.append(error(doc.rel, h.line, 1, "S002",
                             f"二级标题“## {h.text}”应放在“## {last_text}”之前（顺序：{' → '.join(required)}）"))
        else:
            last_index, last_text = index, h.text
    optional = OPTIONAL_HEADINGS.get(kind, [])
    for i, text in enumerate(required):
        if text in lines:
            continue
        previous = [lines[t] for t in required[:i] if t in lines]
        line = previous[-1] if previous else doc.body_line
        almost = next((doc.body_line + n for n, written in markdown.prose_lines(doc.body)
                       if (m := _ALMOST_HEADING.match(written)) and m.group(1) == text), None)
        if almost is not None:  # (written, but a full-width or no space after ## makes it a paragraph)
            out.append(error(doc.rel, almost, 1, "S001",
                             f"“## {text}”不算标题：## 后面要有一个普通空格"
                             f"（现在是全角空格、不换行空格或没有空格）；请改成“## {text}”"))
            continue
        near = difflib.get_close_matches(text, [h.text for h in found if h.text not in required + optional], n=1, cutoff=0.4)
        hint = f"（“{near[0]}”是不是它？标题文字须完全一致）" if near else ""
        out.append(error(doc.rel, line, 1, "S001",
                         f"{TYPE_LABELS[kind]}缺少二级标题“## {text}”{hint}；应有：{'、'.join(required)}"))
    return out


def _date_problems(doc: Document, data: dict, today: dt.date) -> list[Diagnostic]:
    """A review date passed; an event or a revision dated after today (a mistyped year: the site
    map and the page would show it). One day of grace: an editor east of the build machine's
    clock (UTC+8 against a UTC runner) writes tomorrow's date for half the day."""
    out: list[Diagnostic] = []
    review_by = data.get("review_by")
    if isinstance(review_by, dt.date) and review_by < today:
        line, col = doc.pos(("review_by",))
        out.append(warning(doc.rel, line, col, "D003",
                           f"复核日期 {review_by.isoformat()} 已过：请核对内容（规则可能已变），更新后修改 review_by 和 updated"))
    for key, label in (("date", "事件日期"), ("updated", "最近修订日期")):
        when = data.get(key)
        if isinstance(when, dt.date) and when > today + dt.timedelta(days=1):
            line, col = doc.pos((key,))
            out.append(error(doc.rel, line, col, "D002",
                             f"{label} {when.isoformat()} 晚于今天（{today.isoformat()}）：写实际的日期，如 {today.isoformat()}"))
    return out


def item_id(rel: str) -> str:
    """cases/complaints/x.md → complaints/x"""
    return rel.removeprefix("cases/").removesuffix(".md")


@functools.lru_cache(maxsize=None)
def _field_title(kind: str, field_name: str) -> str:
    """A field's label in messages (pydantic's model_fields is slow to reach: 11 µs a call)."""
    label = ITEM_MODELS[kind].model_fields.get(field_name)
    return label.title if label and label.title else field_name


def model_input(doc: Document, kind: str, vocab: Vocabulary) -> tuple[dict, list[Diagnostic]]:
    """The front matter as the item's model reads it (vocabulary aliases made canonical), and
    the vocabulary's problems. (core/check_cache.py makes a kept item's model from it again.)"""
    data = dict(doc.data)
    problems: list[Diagnostic] = []
    for field_name, vocab_name in VOCAB_FIELDS.items():
        if field_name in data:
            problems += normalise_vocab(doc, data, (field_name,), vocab_name, vocab, _field_title(kind, field_name))
    if kind == "emergency":
        problems += _normalise_keys(doc, data, "duties", vocab, "职责岗位")
    return data, problems


def validate_item(doc: Document, kind: str, vocab: Vocabulary, today: dt.date) -> tuple[Item | None, list[Diagnostic]]:
    problems = list(doc.problems)
    stem = doc.path.stem
    if not SLUG_RE.fullmatch(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:MAX_SLUG] or "new-item"
        problems.append(error(doc.rel, 1, 1, "L010",
                              f"文件名“{doc.path.name}”只能用小写英文字母、数字和连字符，如 {suggestion}.md"))
    elif len(stem) > MAX_SLUG:
        problems.append(error(doc.rel, 1, 1, "L051",
                              f"文件名有 {len(stem)} 个字符，最多 {MAX_SLUG} 个；请用几个英文词概括，如 {stem[:40].rstrip('-')}.md"))
    if not doc.ok:
        return None, problems
    if len(doc.body) > MAX_BODY_CHARS:
        problems.append(error(doc.rel, doc.body_line, 1, "S050",
                              f"正文有 {len(doc.body)} 个字符，超过 {MAX_BODY_CHARS}；请拆成几个条目"))
    problems += crowded_problems(doc)
    declared = doc.data.get("type") if isinstance(doc.data, dict) else None
    if declared is not None and declared != kind:
        line, col = doc.pos(("type",))
        folder = {v: k for k, v in FOLDERS.items()}[kind]
        problems.append(error(doc.rel, line, col, "F008",
                              f"type 写的是“{declared}”，但文件在 cases/{folder}/ 下（应为 {kind}）；删除 type 或移动文件"))
    data, found = model_input(doc, kind, vocab)
    problems += found
    model = ITEM_MODELS[kind]
    meta = None
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(doc, exc, model)
    problems += question_problems(doc, doc.data)
    problems += _heading_problems(doc, kind)
    minimum = MIN_BODY_CHARS.get(kind)
    written = markdown.text_length(_PLACEHOLDER_RE.sub("", doc.body))  # a 【待填写…】 hint is not the story
    if minimum and written < minimum:
        problems.append(error(doc.rel, doc.body_line, 1, "S003",
                              f"{TYPE_LABELS[kind]}正文至少 {minimum} 个字，现在是 {written} 个字"))
    if kind == "emergency" and isinstance(data.get("duties"), dict):
        missing = [r for r in REQUIRED_DUTY_ROLES if r not in data["duties"]]
        if missing:
            line, col = doc.key_or_value_pos(("duties",))
            problems.append(error(doc.rel, line, col, "D001",
                                  f"duties（岗位职责）必须写明 {'、'.join(missing)} 的职责"))
    problems += _date_problems(doc, data, today)
    problems += placeholder_problems(doc, doc.data)
    names = frozenset(n for n in data.get("staff", []) or [] if isinstance(n, str))
    problems += scan_text(doc, data, names, today)
    if meta is None or any(p.severity.value == "error" for p in problems):
        return None, problems
    return Item(item_id(doc.rel), kind, meta, doc.body, doc), problems


def validate_outlet(doc: Document, vocab: Vocabulary, today: dt.date) -> tuple[Outlet | None, list[Diagnostic]]:
    problems = list(doc.problems)
    if not SLUG_RE.fullmatch(doc.path.stem) or len(doc.path.stem) > MAX_SLUG:
        problems.append(error(doc.rel, 1, 1, "L010",
                              f"文件名“{doc.path.name}”只能用小写英文字母、数字和连字符（它也是培训包的文件夹名）"))
    if not doc.ok:
        return None, problems
    data = dict(doc.data)
    problems += _normalise_keys(doc, data, "staff", vocab, "岗位")
    profile = data.get("profile")
    if isinstance(profile, dict):
        data["profile"] = profile = dict(profile)
        problems += normalise_vocab(doc, data, ("profile", "customer_groups"), "customer_groups", vocab, "客户群体")
        problems += normalise_vocab(doc, data, ("profile", "peak_periods"), "periods", vocab, "高峰时段")
        problems += normalise_vocab(doc, data, ("profile", "recent_complaints"), "root_cause", vocab, "近期投诉",
                                    allow_free=True)
    meta = None
    try:
        meta = Outlet.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(doc, exc, Outlet)
    if meta is not None and (far := dates_out_of_range(doc, meta, today)):
        problems += far
        meta = None
    if meta is not None and meta.start_date <= meta.big_class_date:
        line, col = doc.pos(("start_date",))
        problems.append(error(doc.rel, line, col, "D002",
                              f"驻点开始日期 {meta.start_date} 应在大课日期 {meta.big_class_date} 之后"))
    problems += _staff_lists(doc, data.get("staff"))
    problems += _contact_phones(doc, data.get("contacts"))
    names: set[str] = set()
    for key in ("trainers", "project_manager"):
        names.update(n for n in data.get(key, []) or [] if isinstance(n, str))
    for people in (data.get("staff") or {}).values():
        if isinstance(people, list):
            names.update(n for n in people if isinstance(n, str))
    # the outlet's own landlines, short numbers and address are not a customer's (core.contact_numbers)
    scanned = contact_numbers.without(data, contact_numbers.outlet_own(data, frozenset(names)))
    problems += contact_numbers.with_duty_hint(scan_text(doc, scanned, frozenset(names), today))
    if meta is None or any(p.severity.value == "error" for p in problems):
        return None, problems
    return meta, problems


# `##　处理过程` (a full-width space), `##处理过程`: a heading to the editor, a paragraph to Markdown
_ALMOST_HEADING = re.compile(r"^##(?:[\u3000\u00a0]+|(?=[^#\s]))[\s\u3000\u00a0]*(.+?)\s*$")
_SEVERAL = re.compile(r"[，、,；;]")  # (two names typed into one entry, with a Chinese comma)


def _staff_lists(doc: Document, staff: object) -> list[Diagnostic]:
    """Each role's list as the pack prints it on its forms: one person per entry, each once, none
    blank (F013)."""
    out: list[Diagnostic] = []
    for role, people in staff.items() if isinstance(staff, dict) else ():
        seen: dict[str, str] = {}  # one person, however spaced or dotted (model.person_name) → as first written
        for i, person in enumerate(people if isinstance(people, list) else ()):
            if not isinstance(person, str) or not person:
                continue  # (the model's own messages: a number, an empty string)
            line, col = doc.pos(("staff", role, i))
            name = person.strip()
            if not name:
                out.append(error(doc.rel, line, col, "F013", f"staff.{role}[{i + 1}] 是空白；写上姓名，或删去这一项"))
            elif _SEVERAL.search(name):
                parts = ", ".join(n.strip() for n in _SEVERAL.split(name) if n.strip())
                out.append(error(doc.rel, line, col, "F013",
                                 f"staff.{role}[{i + 1}]“{name}”像是几个人写在一项里；"
                                 f"每人一项，用英文逗号分开，如 [{parts}]"))
            elif (first := seen.get(person_name(name))) is not None:
                twice = f"“{name}”写了两次" if first == name else f"“{name}”和“{first}”是同一个人"
                out.append(error(doc.rel, line, col, "F013", f"staff.{role} 里{twice}；删去重复的一项"))
            seen.setdefault(person_name(name), name)
    return out


def _contact_phones(doc: Document, contacts: object) -> list[Diagnostic]:
    """F003 for a contact's phone that is no number anyone can dial (contact_numbers.not_a_number)."""
    out: list[Diagnostic] = []
    for i, contact in enumerate(contacts if isinstance(contacts, list) else ()):
        phone = contact.get("phone") if isinstance(contact, dict) else None
        if isinstance(phone, str) and (why := contact_numbers.not_a_number(phone)) is not None:
            line, col = doc.pos(("contacts", i, "phone"))
            out.append(error(doc.rel, line, col, "F003", why))
    return out


def validate_programme(doc: Document) -> tuple[Programme | None, list[Diagnostic]]:
    problems = list(doc.problems)
    if not doc.ok:
        return None, problems
    try:
        programme = Programme.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + model_problems(doc, exc, Programme)
    for i, day in enumerate(programme.days):
        if day.day != i + 1:
            line, col = doc.pos(("days", i, "day"))
            problems.append(error(doc.rel, line, col, "F009", f"第 {i + 1} 天的 day 应为 {i + 1}，现在是 {day.day}"))
    return programme, problems
