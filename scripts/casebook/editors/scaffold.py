"""`casebook new TYPE SLUG`: a new item from templates/new/<type>.md, ready to fill in.

The scaffold has every required key and heading, with 【待填写：…】 hints where the editor
writes; `casebook check` fails on each hint still there, saying what to fill (F010).
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from ..core import project
from ..core.file_names import windows_problem
from ..core.library import today
from ..core.model import FOLDERS, TYPE_FOLDERS, TYPE_LABELS
from ..core.validate import MAX_SLUG, SLUG_RE

TEMPLATES = project.TEMPLATES / "new"
# accept the folder name and the Chinese name too: `casebook new stories x`, `casebook new 故事 x`
# and `casebook new 暖心故事 x` all work like `casebook new story x`
TYPE_NAMES = {**{t: t for t in TYPE_FOLDERS}, **FOLDERS, **{label: t for t, label in TYPE_LABELS.items()},
              **{"投诉": "complaint", "预案": "emergency", "指引": "guide", "故事": "story", "规范": "standard",
                 "演练": "drill"}}


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

    # every character YAML reads as a line break (U+0085, U+2028 and U+2029 too: text pasted from a
    # chat app made "title…\u2028visibility: public" a second key) and every control character
    value = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", value).strip()
    plain_ok = value and not value[0] in "!&*{}[]|>'\"%@`#,?:-" and ": " not in value and " #" not in value
    return value if plain_ok and not value.isdigit() else json.dumps(value, ensure_ascii=False)


def new_item(root: Path, kind_name: str, slug: str, ask: bool | None = None) -> Path:
    kind = TYPE_NAMES.get(kind_name.strip())
    if kind is None:
        known = "、".join(f"{t}（{TYPE_LABELS[t]}）" for t in TYPE_FOLDERS)
        raise ScaffoldError(f"不认识的类型“{kind_name}”；可用：{known}")
    slug = slug.removesuffix(".md")  # (`casebook new story rainy-day.md`: the file name it will have)
    if not SLUG_RE.fullmatch(slug):
        raise ScaffoldError(f"文件名“{slug.strip()}”只能用小写英文字母、数字和连字符（不能有空格或换行），如 rainy-day-umbrellas")
    if len(slug) > MAX_SLUG:
        raise ScaffoldError(f"文件名有 {len(slug)} 个字符，最多 {MAX_SLUG} 个；请用几个英文词概括，如 rainy-day-umbrellas")
    if (why := windows_problem(f"{slug}.md")) is not None:  # (casebook check refuses it: L012)
        raise ScaffoldError(f"{why}；请换一个文件名，如 {slug}-story")
    folder = root / "cases" / TYPE_FOLDERS[kind]
    path = folder / f"{slug}.md"
    if folder.is_symlink() or path.is_symlink():
        raise ScaffoldError(f"{path.relative_to(root)} 是符号链接（可能指向案例库以外）；不会写入，请删除它")
    if path.exists():
        raise FileExistsError(f"{path.relative_to(root)} 已经存在；请换一个文件名，或直接编辑它")
    if ask is None:
        ask = sys.stdin is not None and sys.stdin.isatty()  # no terminal (CI, a pipe): write as is
    title = summary = None
    if ask:
        title = input("标题（4–40 个字，回车跳过）：").strip() or None
        summary = input("一句话摘要（不超过 120 个字，回车跳过）：").strip() or None
    path.parent.mkdir(parents=True, exist_ok=True)
    import os

    # O_EXCL with O_NOFOLLOW: never write through a link or over a file created meanwhile
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(scaffold_text(kind, today(), title, summary))
    return path
