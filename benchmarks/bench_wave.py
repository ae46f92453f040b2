"""Packs for a province wave: N generated outlets (gen_outlets.py), every pack on 2 cores, once.

    python benchmarks/bench.py --only wave --outlets 200 [--repeat 3] [--shard 1/10]

Called by bench.py (one table). What it runs, all in one process so the figures share a machine state:

1. `casebook check` on the generated tree (must pass: the wave is valid input).
2. The same-run baseline, on a deterministic sample of the wave (`--shard 1/10`: every 10th
   outlet in file-name order, a mix of kinds): `casebook pack --all --shard 1/10 --format pdf`
   pinned to one core (taskset -c 0), alternated with the same command on both cores, --repeat
   times; medians. Their ratio is the speed-up of --all on 2 cores.
3. The whole wave: `casebook pack --all --format pdf` on both cores, once (a 200-outlet run
   takes most of an hour on this machine): wall time, peak memory of the process tree, packs,
   pages, seconds per pack and pages per second — the per-pack figures against the one-core
   baseline of step 2.

It also checks that the shard held exactly the outlets `--shard` promises, and that the packs of
those outlets are byte-identical in all three runs (one core, two cores, the whole wave).
Progress goes to stderr as each run ends, so a run stopped early still leaves its figures.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_pack import pages  # noqa: E402
from gen_outlets import generate  # noqa: E402
from measure import run  # noqa: E402


def _say(text: str) -> None:
    print(f"[wave] {text}", file=sys.stderr, flush=True)


def _pdfs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/pack.pdf"))


def bench_wave(work: Path, n: int, repeat: int, env: dict, bin_dir: Path, peak, shard: str = "1/10") -> list[tuple]:
    """Rows for bench.table; `peak` formats the memory of a list of runs (bench.peak)."""
    root = generate(work / f"wave-{n}", n)
    stems = sorted(p.stem for p in (root / "outlets").glob("*.yml"))
    check = run([bin_dir / "casebook", "check", "--root", root], env=env)
    _say(f"{n} outlets generated; casebook check passed in {check.seconds:.1f} s")

    k, parts = (int(x) for x in shard.split("/"))
    want = stems[k - 1::parts]
    cmd = [bin_dir / "casebook", "pack", "--all", "--format", "pdf"]
    one, two = [], []
    for i in range(repeat):
        for runs, out, prefix in ((one, "shard-one-core", ["taskset", "-c", "0"]), (two, "shard-two-cores", [])):
            shutil.rmtree(root / out, ignore_errors=True)
            runs.append(run([*prefix, *cmd, "--shard", shard, "--out", out], cwd=root, env=env))
            _say(f"shard {shard} ({len(want)} outlets), {out}, run {i + 1}/{repeat}: {runs[-1].seconds:.1f} s")
    got = [p.parent.name for p in _pdfs(root / "shard-two-cores")]
    assert got == want, f"--shard {shard} packed {got}, expected every {parts}th outlet {want}"

    shutil.rmtree(root / "wave", ignore_errors=True)
    wave = run([*cmd, "--out", "wave"], cwd=root, env=env)
    outs = _pdfs(root / "wave")
    assert len(outs) == n, f"{len(outs)} packs for {n} outlets"
    wave_pages = sum(pages(p) for p in outs)
    _say(f"wave: {n} packs, {wave_pages} pages in {wave.seconds:.1f} s")

    shard_pages = sum(pages(p) for p in _pdfs(root / "shard-one-core"))
    same = all((root / d / s / "pack.pdf").read_bytes() == (root / "wave" / s / "pack.pdf").read_bytes()
               for s in want for d in ("shard-one-core", "shard-two-cores"))
    b, o, m = statistics.median(r.seconds for r in one), statistics.median(r.seconds for r in two), len(want)
    cores = os.cpu_count()
    return [
        (f"wave sample: packs --all --shard {shard}, {m} of {n} outlets, {cores} cores",
         "same, pinned to 1 core", b, o, peak(one), peak(two)),
        (f"  --all speed-up on {cores} cores: {b / o:.2f}×", "", None, None, None, None),
        ("  seconds per pack (sample)", "1 core", b / m, o / m, None, None),
        ("  pages per second (sample)", "1 core", shard_pages / b, shard_pages / o, None, None),
        (f"wave: packs --all, all {n} outlets, {cores} cores, 1 run: {wave.seconds:.0f} s wall, "
         f"{n} packs, {wave_pages} pages", "", None, None, None, None),
        ("  seconds per pack (wave)", "1 core, sample", b / m, wave.seconds / n, peak(one), peak([wave])),
        ("  pages per second (wave)", "1 core, sample", shard_pages / b, wave_pages / wave.seconds, None, None),
        (f"  (sample {shard_pages} pages; its packs byte-identical on 1 core, 2 cores and in the wave: {same})",
         "", None, None, None, None),
    ]

