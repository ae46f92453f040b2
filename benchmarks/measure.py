"""Run a command and measure its wall time and the peak memory of its whole process tree.

Peak memory is sampled every 50 ms from /proc (the sum of VmRSS over the process and all its
descendants: pool workers, the Pagefind binary), so a spike shorter than that can be missed;
the largest single process (ru_maxrss from wait4) is reported beside it and is exact.
No third-party package needed (psutil is not a dependency).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    tree_mib: float      # peak of the sum of RSS over the process tree (sampled)
    largest_mib: float   # the largest single process's peak RSS (exact)
    tree_pss_mib: float = 0.0  # peak of the sum of PSS over the tree (shared pages counted once)


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each. The build forks
    its indexer from MkDocs' process, so the sum of RSS counts the shared library twice; the
    sum of PSS is the memory the tree really holds."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(root: int) -> int:
    return tree_kib(root)[0]


def tree_kib(root: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over a process and all its descendants, in KiB."""
    kids, rss, pss, todo = _children(), 0, 0, [root]
    while todo:
        pid = todo.pop()
        rss += _rss_kib(pid)
        pss += _pss_kib(pid)
        todo.extend(kids.get(pid, []))
    return rss, pss


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, ok=(0,)) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        peak = peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_pss
            while not done.wait(0.05):
                rss, pss = tree_kib(proc.pid)
                peak, peak_pss = max(peak, rss), max(peak_pss, pss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)  # reaps it here, so its rusage is ours to read
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        if proc.returncode not in ok:
            out.seek(0)
            err.seek(0)
            raise SystemExit(f"{cmd} failed ({proc.returncode}):\n{out.read().decode()[-2000:]}\n"
                             f"{err.read().decode()[-3000:]}")
    return Run(elapsed, peak / 1024, usage.ru_maxrss / 1024, peak_pss / 1024)


def median_runs(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.tree_mib for r in runs),
               max(r.largest_mib for r in runs), max(r.tree_pss_mib for r in runs))
