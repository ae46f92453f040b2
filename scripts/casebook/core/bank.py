"""The bank's own parameters (`cases/bank.yml`): its name, hotline, report deadlines, queue
triggers, appointment thresholds and return times, plus its own rules (`rules:`).

Items never write a bank-set number by hand; they write `【bank.KEY】` (KEY is ASCII snake_case,
dots for nesting: `【bank.report_minutes.major】`) in any body or front-matter string, and the
loader fills it in (`fill_document`) before an item is validated. So the site, the packs and
every other reader get the filled-in text without knowing about it, and a bank changing one
number in bank.yml changes it on every page and in every pack. The filling is plain string
replacement, never a template engine: an item cannot run anything.

The checker (`core/bank_check.bank_problems`, on the item as written) rejects an unknown parameter with the
nearest valid key, warns when an item writes by hand a number the bank sets (“15分钟内报告”),
and checks an emergency plan's `report_within_minutes` against the bank's deadlines: written as
`【bank.report_minutes.major】` it is derived from bank.yml; a hand-written number is a warning.

The bank's rules are the `kind: bank` entries of the basis registry (core/basis.py merges them).
A starter rule carries `replace_before_use: true` and prints as “示例·部署前替换” until the bank
puts its own document in its place.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .basis import Instrument
from .diagnostics import Diagnostic, error
from .load import Document, load_yaml_file
from .model import Strict, Text
from .model_errors import model_problems
from .scan import strings

BANK_FILE = "cases/bank.yml"
# what an item writes: 【bank.KEY】; anything between the brackets is read so a typo is reported
REFERENCE = re.compile(r"【bank\.([^】\n]{0,80})】")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$")
STARTER_LABEL = "示例·部署前替换"

Minutes = int


def _minutes(title: str, description: str):
    return Field(title=title, description=description, gt=0, le=24 * 60)


class ReportMinutes(Strict):
    """向上级报告的时限（分钟）。"""

    life_safety: Minutes = _minutes("危及人身安全的事件", "抢劫、火灾等：先报警、先救人，再在此时限内向上级报告")
    major: Minutes = _minutes("重大事件", "系统故障、挤兑苗头、疑似电诈资金即将转出、群体聚集、停电疏散等")
    public_opinion: Minutes = _minutes("舆情事件", "拍摄上传、网上视频、媒体采访、失实信息传播")
    general: Minutes = _minutes("一般事件", "客户不适、客户纠纷、现场投诉升级、不合理占用、长短款等")


class Appointment(Strict):
    """大额取现预约。"""

    large_cash_amount: int = Field(title="需要预约的取现金额（元）", gt=0, description="单笔取现达到这个金额（含）须提前预约")
    lead_days: int = Field(title="提前预约的天数", gt=0, le=30, description="提前几天预约")


class Queue(Strict):
    """厅堂补位的触发线。"""

    trigger_waiting: int = Field(title="触发补位的等候人数", gt=0, le=500, description="等候人数超过这个数，按补位顺序增开窗口")
    trigger_minutes: int = Field(title="触发补位的等候时长（分钟）", gt=0, le=24 * 60,
                                 description="最长等候超过这个时长，也按补位顺序增开窗口")


class OutletLevels(Strict):
    """培训包封面上网点上级机构的叫法（网点文件的 branch、sub_branch 印在它们后面）。"""

    branch: Text = Field("二级分行", title="branch 的叫法", description="如“二级分行”；农商行可写“总行”或“支行”")
    sub_branch: Text = Field("一级支行", title="sub_branch 的叫法", description="如“一级支行”；农商行可写“支行”或“分理处”")


class BankRule(Instrument):
    """本行的一项制度。起步时的示例制度标 replace_before_use: true，部署前换成本行的正式制度。"""

    replace_before_use: bool = Field(False, title="示例·部署前替换",
                                     description="true：这是起步示例，部署前换成本行正式制度并改为 false")


class BankFile(Strict):
    """cases/bank.yml：本行参数和本行制度。"""

    name: Text = Field(title="本行名称", description="条目里写【bank.name】的地方显示它，如“本行”或银行简称")
    hotline: Text = Field(title="本行客服热线", description="号码写成文字（加引号），如 \"95XXX\"")
    report_minutes: ReportMinutes = Field(title="报告时限（分钟）")
    written_report_hours: int = Field(title="书面报告时限（小时）", gt=0, le=24 * 30,
                                      description="事件处置后提交书面报告的时限")
    card_return_days: int = Field(title="吞卡退回的工作日数", ge=0, le=30,
                                  description="他行卡被吞后退回发卡行或交还客户的时间（工作日，0 表示当天）")
    appointment: Appointment = Field(title="大额取现预约")
    home_visit_days: int = Field(title="上门服务的工作日数", gt=0, le=30, description="受理上门服务申请后几个工作日内上门")
    queue: Queue = Field(title="厅堂补位触发线")
    complaint_rate_unit: Text | None = Field(
        None, title="网点投诉率的单位",
        description="网点文件 profile.complaint_rate 的单位，按本行的考核口径，如“件/万户”；培训包印在投诉率后面，不写只印数字")
    outlet_levels: OutletLevels = Field(default_factory=OutletLevels, title="网点上级机构的叫法",
                                        description="培训包封面印的机构层级名称，不写时为二级分行、一级支行")
    values_confirmed: bool = Field(False, title="数值已按本行制度核对",
                                   description="本行核对完以上数值后改为 true；false 时部署清单把它们列为待办")
    rules: dict[str, BankRule] = Field(default_factory=dict, title="本行制度",
                                       description="key → 制度；条目在 basis 里引用这些 key")


# the fields of bank.yml that are not parameters an item can write
NOT_PARAMETERS = {"rules", "values_confirmed", "complaint_rate_unit", "outlet_levels"}  # (the packs', not the items')


@dataclass(frozen=True)
class BankParameter:
    key: str  # bank.report_minutes.major
    value: Any
    title: str  # the field's Chinese title, parent's title first
    description: str


@dataclass(frozen=True)
class Bank:
    """The parameters (`bank.KEY` → value) and the bank's rules; empty without cases/bank.yml."""

    parameters: dict[str, BankParameter] = field(default_factory=dict)
    rules: dict[str, BankRule] = field(default_factory=dict)
    values_confirmed: bool = False
    present: bool = False
    broken: bool = False  # bank.yml has problems of its own: a parameter missing here may be one of them
    complaint_rate_unit: str | None = None
    outlet_levels: tuple[str, str] = ("二级分行", "一级支行")  # what the cover calls branch and sub_branch

    def value(self, key: str) -> Any:
        return self.parameters[key].value

    @property
    def hotline(self) -> str:
        """The bank's hotline as written in bank.yml; "" without one."""
        found = self.parameters.get("bank.hotline")
        return str(found.value) if found is not None else ""

    @functools.cached_property
    def hand_written(self) -> tuple[tuple[str, tuple, re.Pattern, list[str]], ...]:
        """(what, words, pattern, the parameters to write instead) for each HAND_WRITTEN group
        this bank.yml defines (worked out once, not once per item)."""
        out = []
        for group, what, words, pattern in HAND_WRITTEN:
            keys = [k for k in self.parameters if k == group or k.startswith(group + ".")]
            if keys:
                out.append((what, words, pattern, keys))
        # the bank's own hotline as written in bank.yml (a city bank's 96xxx, not only 955xx or 400)
        hotline = self.hotline.strip()
        if re.fullmatch(r"\d[\d-]{3,}\d", hotline) and not HOTLINE_SHAPE.fullmatch(hotline):
            out.append(("本行客服热线", ((hotline,),), re.compile(rf"(?<![\d-]){re.escape(hotline)}(?![\d-])"),
                        ["bank.hotline"]))
        return tuple(out)

    def nearest(self, key: str, n: int = 3) -> list[str]:
        keys = list(self.parameters)
        near = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
        if near:
            return near
        tail = key.rsplit(".", 1)[-1]
        by_tail = [k for k in keys if k.rsplit(".", 1)[-1] == tail or tail in k]
        return by_tail[:n] or difflib.get_close_matches(key, keys, n=n, cutoff=0.3)


def load_bank(root: Path) -> tuple[Bank, list[Diagnostic]]:
    path = root / BANK_FILE
    if not path.is_file():
        return Bank(), []
    doc = load_yaml_file(path, root)
    if not doc.ok:
        return Bank(present=True), doc.problems
    return parse_bank(doc)


def parse_bank(doc: Document) -> tuple[Bank, list[Diagnostic]]:
    """Validate bank.yml as a whole (unknown key → nearest valid key, wrong type → what was
    expected, at the line); a file with problems still gives what it could read."""
    problems: list[Diagnostic] = list(doc.problems)
    data = doc.data if isinstance(doc.data, dict) else {}
    try:
        model = BankFile.model_validate(data)
    except ValidationError as exc:
        problems += model_problems(doc, exc, BankFile)
        return _partial(doc, data, problems), problems
    from .basis import KEY_RE as RULE_KEY

    if model.values_confirmed and re.search(r"[Xx×＊*]", model.hotline):  # (every plan's phone strip prints it)
        line, col = doc.pos(("hotline",))
        problems.append(error(doc.rel, line, col, "K010",
                              f"hotline 还是示例“{model.hotline}”，却写了 values_confirmed: true：写上本行的客服热线，如 \"96588\""))
    for key, rule in model.rules.items():
        line, col = doc.key_or_value_pos(("rules", key))
        if not RULE_KEY.match(key):
            problems.append(error(doc.rel, line, col, "B003",
                                  f"本行制度的 key“{key}”只能用小写英文字母、数字和连字符，如 bank-anti-fraud"))
        if rule.kind != "bank":
            l2, c2 = doc.pos(("rules", key, "kind"))
            problems.append(error(doc.rel, l2, c2, "K010",
                                  f"本行制度“{key}”应写 kind: bank；法律法规请登记在 cases/basis.yml"))
    parameters = _flatten(model)
    printed = [(k, p.value) for k, p in parameters.items()] + [
        ("bank.complaint_rate_unit", model.complaint_rate_unit), ("bank.outlet_levels.branch", model.outlet_levels.branch),
        ("bank.outlet_levels.sub_branch", model.outlet_levels.sub_branch)]
    for key, value in printed:
        if isinstance(value, str) and (bad := _MARKUP.search(value)):
            line, col = doc.pos(tuple(key.split(".")[1:]))
            problems.append(error(doc.rel, line, col, "K010",
                                  f"参数 {key} 的值里有“{bad.group(0)}”：参数会原样填进条目和培训包，只能写普通文字和数字"))
    return Bank(parameters, dict(model.rules), model.values_confirmed, present=True,
                complaint_rate_unit=model.complaint_rate_unit,
                outlet_levels=(model.outlet_levels.branch, model.outlet_levels.sub_branch)), problems


# what a parameter's text may not hold: it is pasted into every item's Markdown and front matter
_MARKUP = re.compile(r"[<>`\[\]{}【】|*_#\\\n\r]|https?:|javascript:", re.I)


def _flatten(model: Strict, prefix: str = "bank", parent: str = "") -> dict[str, BankParameter]:
    out: dict[str, BankParameter] = {}
    for name, info in type(model).model_fields.items():
        if name in NOT_PARAMETERS and prefix == "bank":
            continue
        value = getattr(model, name)
        title = f"{parent}·{info.title}" if parent else (info.title or name)
        if isinstance(value, Strict):
            out |= _flatten(value, f"{prefix}.{name}", title)
        else:
            out[f"{prefix}.{name}"] = BankParameter(f"{prefix}.{name}", value, title, info.description or "")
    return out


def _partial(doc: Document, data: dict, problems: list[Diagnostic]) -> Bank:
    """The keys bank.yml does define, so items are not told every parameter is unknown while
    the file has one mistake: only the file's own problems are reported."""
    out: dict[str, BankParameter] = {}

    kinds = parameter_kinds()

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str) and not (key == "bank" and k in NOT_PARAMETERS):
                    walk(v, f"{key}.{k}")
        elif key in kinds and isinstance(value, kinds[key]) and not isinstance(value, bool):
            out[key] = BankParameter(key, value, key, "")  # (a misspelt key or a wrong value is not filled in)

    walk(data, "bank")
    rules: dict[str, BankRule] = {}
    for key, value in (data.get("rules") if isinstance(data.get("rules"), dict) else {}).items():
        try:  # (the rules that are right stay known: the items citing them are not told otherwise)
            rules[str(key)] = BankRule.model_validate(value)
        except ValidationError:
            continue  # (its own problems are reported at its lines)
    return Bank(out, rules, False, present=True, broken=True)


@functools.lru_cache(maxsize=1)
def parameter_kinds(model: type = BankFile, prefix: str = "bank") -> dict[str, type]:
    """Every parameter key bank.yml defines, with the Python type of its value (str or int)."""
    out: dict[str, type] = {}
    for name, info in model.model_fields.items():
        if name in NOT_PARAMETERS and prefix == "bank":
            continue
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, Strict):
            out |= parameter_kinds(kind, f"{prefix}.{name}")
        else:
            out[f"{prefix}.{name}"] = int if kind is int else str
    return out


# --- filling in ---------------------------------------------------------------------------

def fill_text(text: str, bank: Bank) -> str:
    """`text` with every known 【bank.KEY】 replaced by its value (unknown ones are left as
    written: the checker reports them, and the page shows what is missing)."""
    if "【bank." not in text:
        return text

    def value(m: re.Match) -> str:
        p = bank.parameters.get("bank." + m.group(1))
        return m.group(0) if p is None else str(p.value)

    return REFERENCE.sub(value, text)


def fill_value(value: Any, bank: Bank) -> Any:
    """Front matter with parameters filled in. A string that is exactly one reference to a
    number becomes that number, so `report_within_minutes: 【bank.report_minutes.major】`
    is an integer for the model."""
    if isinstance(value, str):
        m = REFERENCE.fullmatch(value.strip()) if "【bank." in value else None
        if m:
            p = bank.parameters.get("bank." + m.group(1))
            if p is not None and isinstance(p.value, int):
                return p.value
        return fill_text(value, bank)
    if isinstance(value, list):
        return [fill_value(v, bank) for v in value]
    if isinstance(value, dict):
        return {k: fill_value(v, bank) for k, v in value.items()}
    return value


def fill_document(doc: Document, bank: Bank) -> Document:
    """The document with its parameters filled in (positions kept: a filled value may be a few
    characters longer or shorter than the reference, so columns after it are approximate)."""
    if not doc.ok or (not bank.parameters) or not (keys := used_keys(doc)):
        return doc
    from dataclasses import replace

    return replace(doc, data=fill_value(doc.data, bank), body=fill_text(doc.body, bank),
                   bank_keys=tuple(k for k in keys if k in bank.parameters))


def used_keys(doc: Document) -> list[str]:
    """The parameters a document refers to, in order of first use (the 部署清单 counts them)."""
    texts = [doc.body, *(t for _, t in strings(doc.data))]
    return list(dict.fromkeys("bank." + m.group(1) for t in texts if "【bank." in t for m in REFERENCE.finditer(t)))


# --- checking -----------------------------------------------------------------------------

def _num(pattern: str) -> str:
    # (no \s anywhere: a pattern must not match across lines, so one search over a file's
    # joined strings finds whatever a search of each string would)
    return pattern.replace("N", r"(?:\d{1,4}|[一二两三四五六七八九十半]{1,3})").replace(r"\s?", "[ \u3000]?")


# A bank-set number written by hand, by the parameter (group) it belongs to: only the shapes that
# are unambiguous in outlet text (a deadline before 报告/上报, days before 上门, …). Each comes with
# the words it cannot match without (every tuple: one of them present), looked for first: a
# pattern that starts with a number is tried at every position of a text, a word is found at C speed.
# a national bank's hotline (955xx) or a 400 number; a bank's own other number: Bank.hand_written
HOTLINE_SHAPE = re.compile(r"(?<!\d)955\d\d(?!\d)|(?<!\d)400-?\d{3}-?\d{4}(?!\d)")
HAND_WRITTEN: tuple[tuple[str, str, tuple[tuple[str, ...], ...], re.Pattern], ...] = (
    ("bank.written_report_hours", "书面报告时限", (("书面报告",),),
     re.compile(_num(r"N\s?个?小时(?:之|以)?内[^。！？；\n]{0,6}?书面报告"))),
    ("bank.report_minutes", "报告时限", (("分钟内", "分钟之内", "分钟以内", "小时内", "小时之内", "小时以内"),
                                       ("报告", "上报", "报送", "汇报", "报给")),
     re.compile(_num(r"N\s?(?:分钟|个?小时)(?:之|以)?内(?![^。！？；\n]{0,6}书面)[^。！？；\n]{0,20}?(?:报告|上报|报送|汇报|报给)"))),
    ("bank.home_visit_days", "上门服务时间", (("工作日",), ("上门",)),
     re.compile(_num(r"N\s?个?工作日(?:之|以)?内[^。！？；\n]{0,8}?上门"))),
    ("bank.card_return_days", "吞卡退回时间", (("退回", "退还", "寄回"),),
     re.compile(_num(r"(?:当天|当日|N\s?个?工作日(?:之|以)?内)[^。！？；\n]{0,4}?(?:退回|退还|寄回)(?:发卡行|您的银行|开户行|给?您)"))),
    ("bank.appointment.lead_days", "大额取现提前预约天数", (("提前",), ("预约",)),
     re.compile(_num(r"提前\s?N\s?(?:个工作日|个?天|日)[^。！？；\n]{0,6}?预约"))),
    ("bank.appointment.large_cash_amount", "大额取现预约金额", (("万",), ("预约",)),
     re.compile(_num(r"N\s?万(?:元)?(?:及|或)?以上[^。！？；\n]{0,8}?(?:要|须|需|需要|得)?(?:提前)?预约"))),
    ("bank.queue.trigger_waiting", "补位触发线", (("排队", "等候", "等待"), ("超过", "达到", "满", "多于")),
     re.compile(_num(r"(?:排队|等候|等待)[^。！？；\n]{0,8}?(?:超过|达到|满|多于)\s?N\s?(?:人|位|个人)"))),
    ("bank.hotline", "本行客服热线", (("955", "400"),), HOTLINE_SHAPE),
)


def withheld_note(paths: list[str]) -> str:
    """What a preview says of the items a broken bank.yml keeps out (Library.withheld), by name."""
    named = "、".join(paths[:10]) + (f" 等 {len(paths)} 个" if len(paths) > 10 else "")
    return (f"另有 {len(paths)} 个条目本身没有错误，但用到的本行参数因 {BANK_FILE} 有错误无法填入，"
            f"修正 {BANK_FILE} 后才会进入站点：{named}")
