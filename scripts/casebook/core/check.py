"""`casebook check`: validate the tree (or some files) and print every problem in one run."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .diagnostics import Diagnostic, Severity
from .library import Library, build_library


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    files: int
    library: Library

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is Severity.WARNING for d in self.diagnostics)

    @property
    def notes(self) -> int:  # (never a failure, not even with --strict)
        return sum(d.severity is Severity.NOTE for d in self.diagnostics)

    def exit_code(self, strict: bool) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


def run_check(root: Path, files: list[Path] | None = None) -> Report:
    lib = build_library(root, only=files, keep_items=False)
    if files is None:
        count = len(lib.known_ids) + len(lib.outlets) + 2
    else:  # (a file named twice, or by two spellings of its path, is one file checked)
        count = len({f.resolve() for f in files})
    return Report(lib.diagnostics, count, lib)


def print_report(report: Report, fmt: str, strict: bool, out: TextIO | None = None, err: TextIO | None = None) -> None:
    # the streams of the moment of printing (the command line's printable ones), not of this
    # module's import: imported before the command line wrapped them, JSON kept raw control characters
    out, err = out or sys.stdout, err or sys.stderr
    if fmt == "json":
        json.dump({"errors": report.errors, "warnings": report.warnings, "notes": report.notes, "files": report.files,
                   "diagnostics": [d.as_dict() for d in report.diagnostics]}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    for d in report.diagnostics:
        print(d.format_github() if fmt == "github" else d.format_text(), file=out)
    summary = f"检查了 {report.files} 个文件：{report.errors} 个错误，{report.warnings} 个警告"
    if report.notes:
        summary += f"，{report.notes} 个提示（提示不算失败）"
    if strict and report.warnings and not report.errors:
        summary += "（--strict：警告也算失败）"
    print(summary, file=err)
