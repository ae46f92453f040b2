"""`casebook new TYPE SLUG`: a new item from templates/new/<type>.md, ready to fill in.

The scaffold has every required key and heading, with 【待填写：…】 hints where the editor
writes; `casebook check` fails on each hint still there, saying what to fill (F010).
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..core.library import today
from ..core.model import FOLDERS, TYPE_FOLDERS
from ..core.validate import SLUG_RE

TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "new"
# accept the folder name too: `casebook new stories x` works like `casebook new story x`
TYPE_NAMES = {**{t: t for t in TYPE_FOLDERS}, **FOLDERS}


class ScaffoldError(Exception):
    pass


def scaffold_text(kind: str, when: dt.date, title: str | None = None, summary: str | None = None) -> str:
    text = (TEMPLATES / f"{kind}.md").read_text(encoding="utf-8")
    text = text.replace("{today}", when.isoformat()).replace("{review}", (when + dt.timedelta(days=365)).isoformat())
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if title and line.startswith("title: "):
            lines[i] = f"title: {_yaml_text(title)}"
        if summary and line.startswith("summary: "):
            lines[i] = f"summary: {_yaml_text(summary)}"
    return "\n".join(lines)


def _yaml_text(value: str) -> str:
    """A one-line YAML string, quoted when YAML would read it as something else."""
    import json

    value = value.strip().replace("\n", " ")
    plain_ok = value and not value[0] in "!&*{}[]|>'\"%@`#,?:-" and ": " not in value and " #" not in value
    return value if plain_ok and not value.isdigit() else json.dumps(value, ensure_ascii=False)


def new_item(root: Path, kind_name: str, slug: str, ask: bool | None = None) -> Path:
    kind = TYPE_NAMES.get(kind_name)
    if kind is None:
        raise ScaffoldError(f"不认识的类型“{kind_name}”；可用：{'、'.join(TYPE_FOLDERS)}")
    if not SLUG_RE.match(slug):
        raise ScaffoldError(f"文件名“{slug}”只能用小写英文字母、数字和连字符，如 rainy-day-umbrellas")
    path = root / "cases" / TYPE_FOLDERS[kind] / f"{slug}.md"
    if path.exists():
        raise FileExistsError(f"{path.relative_to(root)} 已经存在；请换一个文件名，或直接编辑它")
    if ask is None:
        ask = sys.stdin is not None and sys.stdin.isatty()  # no terminal (CI, a pipe): write as is
    title = summary = None
    if ask:
        title = input("标题（4–40 个字，回车跳过）：").strip() or None
        summary = input("一句话摘要（不超过 120 个字，回车跳过）：").strip() or None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold_text(kind, today(), title, summary), encoding="utf-8")
    return path
