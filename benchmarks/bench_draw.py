"""The training pack's draw, judged blind (not a test; run by hand).

    python benchmarks/bench_draw.py                        # this code, on benchmarks/draw_judged.tsv
    python benchmarks/bench_draw.py --cases benchmarks/draw_judged3.tsv   # the set no rule was tuned on
    python benchmarks/bench_draw.py --code /tmp/before     # the same with another checkout's code

The judged set holds outlet profiles a trainer wrote without reading the code, and for each the
guides the day-3 evening (《特殊客户群体服务流程》) must print and those it may print. Each profile
is drawn for the whole week (draw_week, as `casebook pack` does: an item drawn on an earlier
evening is not drawn again) on this repository's library, starting from a sample outlet file
whose profile is replaced. Reported: the share of MUST guides printed, the profiles with every
MUST guide printed, and the share of printed guides that are MUST or ACCEPTABLE.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
COURSE = "courses/special-customers"


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.replace("，", ",").split(",") if v.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--code", type=Path, help="another checkout: its scripts/ are imported instead")
    parser.add_argument("--cases", type=Path, default=HERE / "draw_judged.tsv",
                        help="a judged set: draw_judged.tsv, draw_judged2.tsv or draw_judged3.tsv (held out)")
    parser.add_argument("--outlet", default="example-community", help="the sample outlet whose profile is replaced")
    args = parser.parse_args()
    sys.path.insert(0, str((args.code or REPO) / "scripts"))
    from casebook.core.library import Library
    from casebook.core.selection import draw_week

    lib = Library.load(REPO, use_cache=False)
    base = lib.outlets[args.outlet].outlet
    rows = list(csv.DictReader(args.cases.open(encoding="utf-8"), delimiter="\t"))
    must_hit = must_all = printed = fitting = 0
    must_total = 0
    for row in rows:
        profile = base.profile.model_copy(update={
            "customer_groups": _split(row["customer_groups"]), "peak_periods": _split(row["peak_periods"]),
            "recent_complaints": _split(row["recent_complaints"])})
        outlet = base.model_copy(update={"profile": profile, "overrides": {}})
        week = draw_week(lib, outlet, lib.programme)
        guides = [s.item.id for d in week if d.course.id == COURSE for s in d.selections if s.item.type == "guide"]
        must, ok = set(_split(row["must"])), set(_split(row["acceptable"]))
        hit = must & set(guides)
        must_hit += len(hit)
        must_total += len(must)
        must_all += hit == must
        printed += len(guides)
        fitting += len(set(guides) & (must | ok))
        missed = ", ".join(sorted(must - hit)) or "-"
        print(f"{row['name']:<24} {'ok ' if hit == must else 'MISS'} printed: {', '.join(guides)} | missed: {missed}")
    print(f"\nMUST guides printed: {must_hit}/{must_total} ({must_hit / max(must_total, 1):.0%}); "
          f"profiles with every MUST guide: {must_all}/{len(rows)}; "
          f"printed guides that fit (MUST or ACCEPTABLE): {fitting}/{printed} ({fitting / max(printed, 1):.0%})")


if __name__ == "__main__":
    main()
