"""Time `casebook check` on synthetic libraries, against a baseline measured in the same run.

    python benchmarks/bench_check.py [--sizes 1000 5000] [--repeat 3]

Baseline: reading every file and parsing its front matter with PyYAML's C loader — the least
any checker must do. The figure that matters is the ratio to it (machines here are shared and
noisy); the absolute seconds are printed too, for the ≤ 2 s target at 5,000 items.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402

CASEBOOK = str(Path(sys.executable).with_name("casebook"))
BASELINE = r"""
import sys, yaml
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1], "cases").rglob("*.md")):
    text = p.read_text(encoding="utf-8")
    fm = text.split("\n---\n", 1)[0].removeprefix("---\n")
    yaml.load(fm, Loader=yaml.CSafeLoader)
    n += 1
print(n)
"""


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)  # (today's date: see bench.py's ENV)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0,):
        raise SystemExit(f"{cmd} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, after.ru_maxrss  # ru_maxrss: KiB, the largest child so far


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        root = generate(args.work / f"lib-{n}", n)
        base = [timed([sys.executable, "-c", BASELINE, str(root)])[0] for _ in range(args.repeat)]
        runs = [timed([CASEBOOK, "check", "--root", str(root)]) for _ in range(args.repeat)]
        check = [t for t, _ in runs]
        rss = max(m for _, m in runs)
        rows.append((n, statistics.median(base), statistics.median(check), rss))
    print(f"{'items':>6} {'baseline s':>11} {'check s':>8} {'ratio':>6} {'peak MiB':>9}")
    for n, b, c, rss in rows:
        print(f"{n:>6} {b:>11.2f} {c:>8.2f} {c / b:>6.2f} {rss / 1024:>9.0f}")


if __name__ == "__main__":
    main()
