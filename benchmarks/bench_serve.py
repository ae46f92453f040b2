"""How long `casebook serve` takes to show an edit, on a synthetic library (default 1,000 items).

    python benchmarks/bench_serve.py [--items 1000]

Starts `casebook serve` on a free port, waits for the first build, then appends a sentence to
one story and polls the served page until the sentence appears (and the search index has been
rewritten). Prints the seconds from the save to the page showing it.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402


def get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    root = generate(HERE / "out" / f"serve-{args.items}", args.items)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "serve", "--root", str(root),
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        story = sorted((root / "cases" / "stories").glob("synthetic-*.md"))[0]
        url = f"http://127.0.0.1:{port}/stories/{story.stem}/"
        start = time.perf_counter()
        while "合成条目" not in get(url):
            time.sleep(0.2)
            if time.perf_counter() - start > 600:
                raise SystemExit("first build did not finish")
        print(f"first build served after {time.perf_counter() - start:.1f} s")
        time.sleep(2)
        results = []
        for n in range(3):
            marker = f"编辑标记{n}号"
            story.write_text(story.read_text(encoding="utf-8") + f"\n新加的一句话：{marker}。\n", encoding="utf-8")
            t0 = time.perf_counter()
            while marker not in get(url):
                time.sleep(0.05)
                if time.perf_counter() - t0 > 120:
                    raise SystemExit("edit never showed")
            results.append(time.perf_counter() - t0)
            time.sleep(3)
        print("edit → page shows it: " + ", ".join(f"{r:.2f} s" for r in results))
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
