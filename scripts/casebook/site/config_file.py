"""What casebook checks in a library's own mkdocs.yml before MkDocs reads it: the two folders
whose meaning casebook fixes, each refused in one Chinese line naming the line and the fix.

- `docs_dir`: casebook's pages, its checker and its previews all use the library's `docs/`; a
  mkdocs.yml naming another folder was silently ignored (the bank's pages missing from the site,
  and never checked).
- `theme.custom_dir`: a folder that does not exist stopped the build with MkDocs' English line;
  casebook's own site templates apply without one (site/theme_dirs.py), so the fix is to delete it.

Read as a YAML node tree (no values constructed: mkdocs.yml may hold `!ENV` and Python tags).
"""
from __future__ import annotations

from pathlib import Path

import yaml


def layout_problem(config_file: Path, root: Path) -> str | None:
    try:
        tree = yaml.compose(config_file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # (MkDocs reads it next and says what is wrong, with the line)
    docs = _scalar(tree, "docs_dir")
    if docs is not None and (root / docs[0]).resolve() != (root / "docs").resolve():
        return (f"{config_file}:{docs[1]}:1: docs_dir 写的是“{docs[0]}”：casebook 只用案例库根目录下的 docs/"
                "（站点、检查和预览都看那里）。把页面移到 docs/，删去 docs_dir 这一行")
    custom = _scalar(_child(tree, "theme"), "custom_dir")
    if custom is not None and not (config_file.parent / custom[0]).is_dir():
        return (f"{config_file}:{custom[1]}:1: theme.custom_dir 指向的文件夹“{custom[0]}”不存在。"
                "casebook 自带站点模板，不需要这个文件夹：删去 custom_dir 这一行；"
                "要改某个模板时再建这个文件夹，只放要改的文件")
    return None


def _child(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _scalar(node, key: str) -> tuple[str, int] | None:
    """(text, line) of a plain value under `key`; None if absent, not text, or from a tag (!ENV)."""
    value = _child(node, key)
    if isinstance(value, yaml.ScalarNode) and not value.tag.startswith("!") and value.value.strip():
        return value.value.strip(), value.start_mark.line + 1
    return None
