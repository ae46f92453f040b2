"""The job summary of a pull request: which items it adds, changes or deletes, with their problems.

`python -m casebook.editors.pr_summary --base origin/main >> "$GITHUB_STEP_SUMMARY"` in CI.
Titles, file names and messages come from the pull request, so every value is escaped for
Markdown and HTML before it is written (the summary is rendered as Markdown by the forge), and
its control characters are made visible.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from ..core.diagnostics import Diagnostic
from ..core.library import build_library
from ..core.load import load_document
from ..core.model import SOURCE_LABELS
from ..core.terminal import printable

STATUS = {"A": "新增", "M": "修改", "D": "删除", "T": "修改"}


def changed_files(root: Path, base: str) -> list[tuple[str, str]]:
    """(status, path) of the files under cases/ and outlets/ changed since the merge base."""
    out = subprocess.run(["git", "diff", "--name-status", "--no-renames", "-z", f"{base}...HEAD", "--",
                          "cases", "outlets"], cwd=root, capture_output=True, text=True, check=True).stdout
    fields = out.split("\0")
    return [(fields[i][:1], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]


# every ASCII punctuation character CommonMark lets a backslash escape: with each escaped, no
# link, image, emphasis, autolink, HTML, heading, list or table syntax survives in a value
_MARKDOWN = re.compile(r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]""")


def cell(text: object) -> str:
    """One table cell of untrusted text: plain text on one line. Markdown and HTML are escaped
    (a title written as a link or a tag shows as written, never live), control characters are
    shown as \\uXXXX."""
    value = printable(" ".join(str(text).split()))
    return _MARKDOWN.sub(lambda m: "\\" + m.group(), value)


VISIBILITY = {"public": "公开", "internal": "内部", None: "内部（未写）"}


def item_facts(data: object) -> tuple[str, str, str]:
    """(公开范围, 来源, 同意) of an item's front matter as written: what a reviewer decides on."""
    if not isinstance(data, dict):
        return "—", "—", "—"
    visibility = VISIBILITY.get(data.get("visibility"), str(data.get("visibility")))
    source = SOURCE_LABELS.get(data.get("source"), str(data["source"])) if "source" in data else "—"
    consent = data.get("consent")
    if not isinstance(consent, dict):
        agreed = "未记录" if "source" in data else "—"
    else:
        agreed = "、".join(f"{who}{'同意' if consent.get(key) is True else '未同意'}"
                          for key, who in (("customer", "客户"), ("staff", "员工")))
    return visibility, source, agreed


def summary_markdown(changes: list[tuple[str, str]], diagnostics: list[Diagnostic], titles: dict[str, str],
                     facts: dict[str, tuple[str, str, str]] | None = None) -> str:
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.severity.value != "note":  # (a note is not a problem: listed below, never counted)
            by_path.setdefault(d.path, []).append(d)
    errors = sum(d.severity.value == "error" for d in diagnostics)
    warnings = sum(d.severity.value == "warning" for d in diagnostics)
    notes = len(diagnostics) - errors - warnings
    lines = ["## 案例库：这次合并请求改了什么", ""]
    if not changes:
        lines.append("没有改动 cases/ 或 outlets/ 下的文件。")
    else:
        lines += ["| 改动 | 文件 | 标题 | 公开范围 | 来源 | 同意 | 问题 |", "|---|---|---|---|---|---|---|"]
        for status, path in changes:
            found = by_path.get(path, [])
            verdict = "✅ 无" if not found else f"❌ {len(found)} 个"
            if status == "D":
                verdict = "—"
            shown = " | ".join(cell(f) for f in (facts or {}).get(path, ("—", "—", "—")))
            lines.append(f"| {STATUS.get(status, status)} | {cell(path)} | {cell(titles.get(path, ''))} | {shown} | {verdict} |")
    also = f"，另有 {notes} 个提示（不算失败）" if notes else ""
    lines += ["", f"整个案例库：{errors} 个错误，{warnings} 个警告（`casebook check --strict`：警告也算失败）{also}。", ""]
    if diagnostics:
        changed = {p for _, p in changes}
        lines += ["### 问题与提示" if notes else "### 问题", ""]
        for d in sorted(diagnostics, key=lambda d: (d.path not in changed, d.path, d.line, d.col)):
            lines.append(f"- {cell(d.path)}:{d.line}:{d.col} {d.severity.value}[{d.code}]：{cell(d.message)}")
        lines.append("")
        lines.append("每个代码的意思和改法：`.venv/bin/casebook check --explain 代码`。")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.editors.pr_summary")
    parser.add_argument("--base", required=True, help="合并请求的目标分支，如 origin/main")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    lib = build_library(root)
    titles = {item.rel: item.meta.title for item in lib.items.values()}
    try:
        changes = changed_files(root, args.base)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"casebook: 无法比较 {args.base}：{exc}", file=sys.stderr)
        changes = []
    facts: dict[str, tuple[str, str, str]] = {}
    for status, path in changes:  # read as written: an item with problems is not in the library
        if status != "D" and path.endswith(".md") and (root / path).is_file():
            data = load_document(root / path, root).data
            facts[path] = item_facts(data)
            if path not in titles and isinstance(data, dict) and isinstance(data.get("title"), str):
                titles[path] = data["title"]
    sys.stdout.write(summary_markdown(changes, lib.diagnostics, titles, facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
