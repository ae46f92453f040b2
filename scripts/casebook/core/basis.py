"""The registry of instruments items rest on (`cases/basis.yml`), and the check of items' `basis`.

Items cite by key (`basis: [elderly-finance-2024, bank-anti-fraud]`). The registry is data: each
key names one instrument with its official title, issuing body, 文号, date in force, what it
governs and whether it is still current. The checker validates the file itself (like the
vocabulary), rejects an item's unknown key with the nearest keys, and warns when an item cites
an instrument marked superseded, naming what replaced it: when a rule changes, editors see
which items to review (the site's 制度依据 page lists them per instrument).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .diagnostics import Diagnostic, error, warning
from .load import Document, load_yaml_file
from .model import Strict, Text
from .model_errors import model_problems

BASIS_FILE = "cases/basis.yml"
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STARTER_LABEL = "示例·部署前替换"  # a starter bank rule, until the bank puts its own in its place
KIND_LABELS = {"law": "法律", "regulation": "行政法规、部门规章和规范性文件", "standard": "国家标准",
               "industry": "行业自律规范", "bank": "本行制度"}


class Instrument(Strict):
    """一项制度依据：法律、法规、规章、标准、行业规范或本行制度。"""

    title: Text = Field(title="正式名称", description="与发文原文一致的全称，不加书名号")
    issuer: Text = Field(title="发文机关")
    number: str | None = Field(None, title="文号", description="未能核实的不写")
    effective: dt.date | None = Field(None, title="施行日期", description="YYYY-MM-DD；未能核实的不写")
    version: str | None = Field(None, title="版本", description="现行文本是哪一次修订或修正，如“2024 年修订”；未能核实的不写")
    source: str | None = Field(None, title="核实出处", pattern=r"^https?://\S+$",
                               description="核实标题、日期和版本时看到的网址（发布稿或权威转载）")
    governs: Text = Field(title="适用内容", description="一句话：它管什么")
    status: Literal["current", "superseded"] = Field("current", title="状态", description="current（现行）或 superseded（已被替代）")
    superseded_by: str | None = Field(None, title="替代它的依据", description="登记表中的 key")
    kind: Literal["law", "regulation", "standard", "industry", "bank"] | None = Field(
        None, title="类别", description="law、regulation、standard、industry 或 bank（本行制度）")


@dataclass(frozen=True)
class Registry:
    """key → Instrument; empty when the tree has no cases/basis.yml (then basis is not checked)."""

    entries: dict[str, Instrument] = field(default_factory=dict)
    present: bool = False

    def get(self, key: str) -> Instrument | None:
        return self.entries.get(key)

    def nearest(self, key: str, n: int = 3) -> list[str]:
        """Closest keys by spelling, or, for a free-text title, the keys whose title it resembles."""
        keys = list(self.entries)
        near = difflib.get_close_matches(key, keys, n=n, cutoff=0.5)
        if near:
            return near
        chars = set(key)

        def score(k: str) -> float:
            title = self.entries[k].title
            return len(chars & set(title)) / max(len(chars | set(title)), 1) + \
                difflib.SequenceMatcher(None, key, title).ratio()

        return sorted(keys, key=score, reverse=True)[:n]

    def title(self, key: str) -> str:
        """How a key is printed wherever 依据 is shown (site, packs, messages): an instrument's
        title in 《》; a starter bank rule (cases/bank.yml, `replace_before_use: true`) without
        the marks that would make it look like a real document, and with the label."""
        inst = self.entries.get(key)
        if inst is None:
            return key
        if is_starter(inst):
            return f"{inst.title}（{STARTER_LABEL}）"
        return f"《{inst.title}》"


def is_starter(inst: Instrument) -> bool:
    return bool(getattr(inst, "replace_before_use", False))


def load_registry(root: Path, bank_rules: dict[str, Instrument] | None = None) -> tuple[Registry, list[Diagnostic]]:
    """Read and validate cases/basis.yml: every entry's fields, keys and superseded_by links.
    The bank's own rules (the `rules:` of cases/bank.yml, already validated) join the registry:
    items cite both by key."""
    path = root / BASIS_FILE
    if not path.is_file():
        return (Registry(dict(bank_rules), present=True) if bank_rules else Registry()), []
    doc = load_yaml_file(path, root)
    if not doc.ok:
        return Registry(dict(bank_rules or {}), present=True), doc.problems
    return parse_registry(doc, bank_rules)


def parse_registry(doc: Document, bank_rules: dict[str, Instrument] | None = None) -> tuple[Registry, list[Diagnostic]]:
    problems: list[Diagnostic] = list(doc.problems)
    data = doc.data if isinstance(doc.data, dict) else {}
    if doc.data is not None and not isinstance(doc.data, dict):
        problems.append(error(doc.rel, 1, 1, "L006", "cases/basis.yml 应为“key: 条目”的映射"))
    entries: dict[str, Instrument] = {}
    for key, raw in data.items():
        line, col = doc.key_or_value_pos((key,))
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(error(doc.rel, line, col, "B003",
                                  f"制度依据的 key“{key}”只能用小写英文字母、数字和连字符，如 elderly-finance-2024"))
            continue
        if not isinstance(raw, dict):
            problems.append(error(doc.rel, line, col, "F003", f"制度依据“{key}”应为含 title、issuer、governs 等字段的映射"))
            continue
        try:
            entries[key] = Instrument.model_validate(raw)
        except ValidationError as exc:
            problems += model_problems(doc, exc, Instrument, base=(key,))
            continue
        if entries[key].kind == "bank":
            line, col = doc.pos((key, "kind"))
            problems.append(error(doc.rel, line, col, "B004",
                                  f"本行制度“{key}”请写在 cases/bank.yml 的 rules 里（部署的银行在那里换成自己的制度）"))
    for key, inst in (bank_rules or {}).items():
        if key in entries:
            line, col = doc.key_or_value_pos((key,))
            problems.append(error(doc.rel, line, col, "B003",
                                  f"key“{key}”在 cases/basis.yml 和 cases/bank.yml 里都有；请只留一处"))
        else:
            entries[key] = inst
    for key, inst in entries.items():
        if inst.superseded_by is not None and inst.superseded_by not in entries:
            line, col = doc.pos((key, "superseded_by"))
            near = "、".join(difflib.get_close_matches(inst.superseded_by, list(entries), n=2, cutoff=0.5))
            problems.append(error(doc.rel, line, col, "B003",
                                  f"superseded_by 写的“{inst.superseded_by}”不在登记表中" + (f"；是否想写 {near}？" if near else "")))
        if inst.status == "superseded" and inst.superseded_by is None:
            line, col = doc.pos((key, "status"))
            problems.append(warning(doc.rel, line, col, "B002",
                                    f"“{key}”已标为 superseded：请用 superseded_by 写明替代它的依据"))
        if inst.superseded_by == key:
            line, col = doc.pos((key, "superseded_by"))
            problems.append(error(doc.rel, line, col, "B003", f"“{key}”不能被自己替代"))
    return Registry(entries, present=True), problems


def basis_problems(doc: Document, keys: list[str], registry: Registry) -> list[Diagnostic]:
    """An item's basis: every key is registered (error, with the nearest keys); citing a
    superseded instrument is a warning naming its replacement."""
    if not registry.present:
        return []
    out: list[Diagnostic] = []
    for i, key in enumerate(keys):
        line, col = doc.pos(("basis", i))
        inst = registry.get(key)
        if inst is None:
            near = "、".join(registry.nearest(key))
            shown = key if len(key) <= 40 else key[:40] + "…"
            out.append(error(doc.rel, line, col, "B001",
                             f"依据“{shown}”不在 cases/basis.yml 中；请写登记表里的 key，最接近的有：{near}"
                             f"（新的制度请先在 cases/basis.yml 中登记）"))
        elif inst.status == "superseded":
            repl = f"，已被 {inst.superseded_by}（{registry.title(inst.superseded_by)}）替代" if inst.superseded_by else ""
            out.append(warning(doc.rel, line, col, "B002",
                               f"依据 {key}（{registry.title(key)}）已失效{repl}：请复核本条内容并改引现行依据"))
    return out
