"""Time training packs: one pack, and 20 outlets with --all against the same 20 one after another.

    python benchmarks/bench_pack.py [--outlets 20]

Works on a copy of the repository's library with N outlet files made from the sample outlets
(other names and dates). Reports seconds, pages, the --all speed-up (target ≥ 1.7× on 2 cores)
and peak memory of the largest process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASEBOOK = str(Path(sys.executable).with_name("casebook"))


def make_tree(work: Path, n: int) -> Path:
    root = work / "lib"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "cases", root / "cases")
    (root / "outlets").mkdir(parents=True)
    samples = sorted((REPO / "outlets").glob("*.yml"))
    for i in range(n):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        text = re.sub(r"^name: (.*)$", rf"name: \g<1>{i + 1:02d}", text, count=1, flags=re.M)
        shift = dt.timedelta(days=7 * i)
        for key in ("big_class_date", "start_date"):
            m = re.search(rf"^{key}: (\d{{4}}-\d{{2}}-\d{{2}})$", text, flags=re.M)
            new = dt.date.fromisoformat(m.group(1)) + shift
            text = text.replace(m.group(0), f"{key}: {new.isoformat()}")
        (root / "outlets" / f"outlet-{i + 1:02d}.yml").write_text(text, encoding="utf-8")
    return root


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([CASEBOOK, *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"casebook {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outlets", type=int, default=20)
    parser.add_argument("--work", type=Path, default=HERE / "out" / "packs")
    args = parser.parse_args()
    root = make_tree(args.work, args.outlets)
    one = run(["pack", "outlets/outlet-01.yml", "--out", "o1", "--format", "pdf"], root)
    n_pages = pages(root / "o1" / "outlet-01" / "pack.pdf")
    files = [f"outlets/outlet-{i + 1:02d}.yml" for i in range(args.outlets)]
    serial = run(["pack", *files, "--out", "serial", "--format", "pdf"], root)
    parallel = run(["pack", "--all", "--out", "parallel", "--format", "pdf"], root)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    same = all((root / "serial" / s / "pack.pdf").read_bytes() == (root / "parallel" / s / "pack.pdf").read_bytes()
               for s in (f"outlet-{i + 1:02d}" for i in range(args.outlets)))
    print(f"cores: {os.cpu_count()}")
    print(f"one pack: {one:.2f} s for {n_pages} pages (process start and library load included)")
    print(f"{args.outlets} packs one after another: {serial:.2f} s")
    print(f"{args.outlets} packs with --all: {parallel:.2f} s  → speed-up {serial / parallel:.2f}×")
    print(f"peak memory of the largest process: {peak:.0f} MiB; --all output identical to serial: {same}")


if __name__ == "__main__":
    main()
