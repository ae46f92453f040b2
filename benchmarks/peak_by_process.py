"""Peak RSS per process name during `casebook build --root LIB` (which process holds the memory).

    python benchmarks/peak_by_process.py LIB
"""
from pathlib import Path
import os, subprocess, sys, tempfile, time
sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import _children, _rss_kib, _pss_kib

p = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "build", "--root", sys.argv[1], "--out", tempfile.mkdtemp(prefix="peak-by-process-") + "/site"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
peak = {}
while p.poll() is None:
    kids, todo = _children(), [p.pid]
    while todo:
        pid = todo.pop()
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            name = "?"
        peak[name] = max(peak.get(name, 0), _rss_kib(pid))
        peak[name + " pss"] = max(peak.get(name + " pss", 0), _pss_kib(pid))
        todo.extend(kids.get(pid, []))
    time.sleep(0.05)
print({k: round(v / 1024) for k, v in peak.items()})
