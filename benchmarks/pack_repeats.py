"""Measure a pack PDF: pages, and how much of its text is repeated (a line printed again).

    python benchmarks/pack_repeats.py packs/*/pack.pdf

A line counts when it has at least 12 characters (headers, footers, table headers and short
labels are not content); repeat % = characters of lines already seen earlier / all characters.
Reported for the whole pack and for the teaching part (before the first form chapter).
"""
from __future__ import annotations

import re
import subprocess
import sys


def lines(pdf: str) -> list[str]:
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", l) for l in text.splitlines()]


def repeat_share(rows: list[str]) -> tuple[float, int]:
    seen: set[str] = set()
    total = again = 0
    for row in rows:
        if len(row) < 12 or "驻点培训包" in row or re.match(r"^第\d+页/共\d+页$", row):
            continue
        total += len(row)
        if row in seen:
            again += len(row)
        seen.add(row)
    return (100.0 * again / total if total else 0.0), total


def main(paths: list[str]) -> None:
    for pdf in paths:
        rows = lines(pdf)
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout)[1])
        marks = [i for i, r in enumerate(rows) if "补位顺序：综合区大堂经理" in r]
        teaching = rows[:marks[0]] if marks else rows
        whole, n = repeat_share(rows)
        part, m = repeat_share(teaching)
        print(f"{pdf}: {pages} pages; repeated text {whole:.1f}% of {n} chars; teaching part {part:.1f}% of {m} chars")


if __name__ == "__main__":
    main(sys.argv[1:])
