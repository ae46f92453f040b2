"""What casebook checks in a library's own mkdocs.yml before MkDocs reads it, each problem one
Chinese line naming the line and the fix, all of them in one run:

- `docs_dir`: casebook's pages, its checker and its previews all use the library's `docs/`; a
  mkdocs.yml naming another folder was silently ignored (the bank's pages missing from the site,
  and never checked).
- `theme.custom_dir`: a folder that does not exist stopped the build with MkDocs' English line;
  casebook's own site templates apply without one (site/theme_dirs.py), so the fix is to delete it.
- `theme.language` that no template folder has a translation for (Material's import raised).
- a stylesheet or script in `extra_css` / `extra_javascript` that no folder holds: the page linked
  it and the site went without it (a bank's colours in templates/site/ with custom_dir deleted).

Read as a YAML node tree (no values constructed: mkdocs.yml may hold `!ENV` and Python tags).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .theme_dirs import OWN, language_problem_in


def layout_problems(config_file: Path, root: Path, docs: Path) -> list[str]:
    """Every such problem of the file at once (one build to see them all), each one line."""
    try:
        tree = yaml.compose(config_file.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # (MkDocs reads it next and says what is wrong, with the line)
    out: list[str] = []
    where = str(config_file)
    docs_dir = _scalar(tree, "docs_dir")
    if docs_dir is not None and (root / docs_dir[0]).resolve() != (root / "docs").resolve():
        out.append(f"{where}:{docs_dir[1]}:1: docs_dir 写的是“{docs_dir[0]}”：casebook 只用案例库根目录下的 docs/"
                   "（站点、检查和预览都看那里）。把页面移到 docs/，删去 docs_dir 这一行")
    theme = _child(tree, "theme")
    custom = _scalar(theme, "custom_dir")
    folders = [OWN, *_installed_theme()]
    if custom is not None:
        if (config_file.parent / custom[0]).is_dir():
            folders.insert(0, config_file.parent / custom[0])
        else:
            out.append(f"{where}:{custom[1]}:1: theme.custom_dir 指向的文件夹“{custom[0]}”不存在。"
                       "casebook 自带站点模板，不需要这个文件夹：删去 custom_dir 这一行；"
                       "要改某个模板时再建这个文件夹，只放要改的文件")
    language = _scalar(theme, "language")
    if language is not None and (problem := language_problem_in(language[0], folders)):
        out.append(f"{where}:{language[1]}:1: {problem}")
    for key in ("extra_css", "extra_javascript"):  # (a file missing from the site: its styles silently absent)
        listed = _child(tree, key)
        for node in listed.value if isinstance(listed, yaml.SequenceNode) else ():
            path = node if isinstance(node, yaml.ScalarNode) else _child(node, "path")
            if not isinstance(path, yaml.ScalarNode) or "://" in path.value or path.value.startswith("//"):
                continue
            if not any((folder / path.value).is_file() for folder in (docs, *folders)):
                out.append(f"{where}:{path.start_mark.line + 1}:{path.start_mark.column + 1}: {key} 里的“{path.value}”"
                           f"找不到：本行的样式表和脚本放在 templates/site/ 里（即 templates/site/{path.value}），"
                           "并在 theme 下写 custom_dir: templates/site；不用它就删去这一行")
    return out


def _installed_theme() -> list[Path]:
    """Material's own template folder (where its language files are)."""
    try:
        import material
    except ImportError:
        return []
    return [Path(material.__file__).parent / "templates"]


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
