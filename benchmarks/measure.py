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


def tree_rss_kib(root: int) -> int:
    kids, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kib(pid)
        todo.extend(kids.get(pid, []))
    return total


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, ok=(0,)) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_rss_kib(proc.pid))

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
    return Run(elapsed, peak / 1024, usage.ru_maxrss / 1024)


def median_runs(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.tree_mib for r in runs),
               max(r.largest_mib for r in runs))
