"""Search quality and cost, measured by typing into the real search box (not a test; run by hand).

    python benchmarks/bench_search.py                       # judged set on this repository's library
    python benchmarks/bench_search.py --code /tmp/before    # the same with another checkout's code (BEFORE)
    python benchmarks/bench_search.py --latency 1000        # + query latency on a synthetic library
    python benchmarks/bench_search.py --bytes 5000 --skip-judged   # first-query bytes at 5,000 items

The judged set (benchmarks/search_judged.tsv) holds queries a staff member types and the pages
that answer them. Each query is typed into the header's search box of the real built site
(`casebook build`, served over HTTP) in headless Chromium with a cold cache, and the links the
panel shows are read back. Reported: first-hit rate (an answering page is the first result),
top-3 rate, queries with no result at all, and the bytes the browser fetched for the query
(everything requested after the page had loaded). Latency is the time from the last keystroke to
the results on screen, on a synthetic library (benchmarks/gen_library.py), typed one after another.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
PORT = int(os.environ.get("BENCH_SEARCH_PORT", "8111"))
LATENCY_QUERIES = ["老年客户", "大堂经理", "排队", "电信诈骗", "补位方案", "客户 情绪", "自助设备", "唱收唱付",
                   "手机银行", "投诉", "老年", "网点负责人", "轮倚", "营业高峰 分流", "客服热线", "防范"]


def load_judged(path: Path) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, kind, ids = line.split("\t")
        rows.append((query, kind, [i.strip() for i in ids.split(",") if i.strip()]))
    return rows


def build(code: Path, root: Path, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(code / "scripts"), NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "casebook", "build", "--root", str(root), "--out", str(out)],
                          env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    print(f"  built {root} with {code} in {time.perf_counter() - start:.0f} s: {proc.stdout.strip()}", flush=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def serve(site: Path):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{PORT}/"


WAIT_SHOWN = "(q) => { const p = document.querySelector('.cb-search__panel'); return p && p.dataset.query === q; }"
RESULTS = "() => [...document.querySelectorAll('.cb-search__results .cb-result a')].map(a => a.getAttribute('href'))"


def type_query(page, query: str) -> tuple[list[str], float]:
    """Type `query` into the header search box; return the result links shown and the time from
    the last keystroke to the results on screen (seconds)."""
    page.click(".cb-search__input")
    page.fill(".cb-search__input", "")
    page.keyboard.type(query)
    start = time.perf_counter()
    page.wait_for_function(WAIT_SHOWN, arg=query.strip(), timeout=30_000, polling=10)
    elapsed = time.perf_counter() - start
    return page.evaluate(RESULTS), elapsed


def item_of(href: str) -> str:
    path = href.split("://", 1)[-1]
    path = path.split("/", 1)[1] if "://" in href else path
    return path.split("?")[0].strip("/").removeprefix("./")


def _size(r) -> int:
    try:
        return len(r.body()) if r.ok else 0
    except Exception:  # the page was closed while the response was still arriving
        return 0


def judged(browser, url: str, rows) -> dict:
    first = top3 = empty = 0
    fetched: list[int] = []
    misses = []
    by_kind: dict[str, list[int]] = {}  # kind → [queries, first, top-3, empty]
    for query, kind, answers in rows:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})  # a cold cache for every query
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(_size(r)))
        links, _ = type_query(page, query)
        page.wait_for_load_state("networkidle")
        ctx.close()
        got = [item_of(h) for h in links]
        hit1 = bool(got) and got[0] in answers
        hit3 = any(g in answers for g in got[:3])
        first += hit1
        top3 += hit3
        empty += not got
        fetched.append(sum(sizes))
        k = by_kind.setdefault(kind, [0, 0, 0, 0])
        k[0] += 1; k[1] += hit1; k[2] += hit3; k[3] += not got
        if not hit1:
            misses.append(f"    {'  ' if hit3 else '✗ '}{query} [{kind}] → {', '.join(got[:3]) or '（无结果）'}  (want {answers[0]})")
    n = len(rows)
    print("\n".join(misses))
    for kind, (m, f, t, e) in sorted(by_kind.items()):
        print(f"    {kind}: {m} queries, first {f / m:.1%}, top-3 {t / m:.1%}, empty {e}")
    return {"queries": n, "first": first / n, "top3": top3 / n, "empty": empty,
            "bytes_median": statistics.median(fetched), "bytes_max": max(fetched), "by_kind": by_kind}


def quick(browser, url: str, rows) -> dict:
    """The judged set through the page's own search function in one warm page (a fast check
    while working; the figures to report come from judged(), which types into the box)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.wait_for_function("() => !!window.casebookQuery", timeout=30_000)
    first = top3 = empty = 0
    by_kind: dict[str, list[int]] = {}
    for query, kind, answers in rows:
        got = [item_of(t["url"]) for t in page.evaluate("(q) => window.casebookQuery(q)", query)["top"]]
        hit1, hit3 = bool(got) and got[0] in answers, any(g in answers for g in got[:3])
        first += hit1; top3 += hit3; empty += not got
        k = by_kind.setdefault(kind, [0, 0, 0, 0])
        k[0] += 1; k[1] += hit1; k[2] += hit3; k[3] += not got
        if not hit1:
            print(f"    {'  ' if hit3 else '✗ '}{query} [{kind}] → {', '.join(got[:3]) or '（无结果）'}  (want {answers[0]})")
    page.close()
    for kind, (m, f, t, e) in sorted(by_kind.items()):
        print(f"    {kind}: {m} queries, first {f / m:.1%}, top-3 {t / m:.1%}, empty {e}")
    n = len(rows)
    return {"queries": n, "first": first / n, "top3": top3 / n, "empty": empty}


def latency(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    type_query(page, "老年")  # load Pagefind once: latency is for a person typing, not the first fetch
    times = []
    for _ in range(2):
        for q in LATENCY_QUERIES:
            links, t = type_query(page, q)
            times.append(t * 1000)
    page.close()
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1], "max_ms": times[-1]}


def first_query_bytes(browser, url: str, query: str = "老年客户") -> int:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(_size(r)))
    type_query(page, query)
    page.wait_for_load_state("networkidle")
    ctx.close()
    return sum(sizes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--code", type=Path, default=REPO, help="checkout whose code builds the site (default: this one)")
    ap.add_argument("--root", type=Path, default=None, help="library to search (default: the checkout's own)")
    ap.add_argument("--judged", type=Path, default=HERE / "search_judged.tsv")
    ap.add_argument("--skip-judged", action="store_true")
    ap.add_argument("--quick", action="store_true", help="judged set in one warm page (window.casebookQuery), for quick checks")
    ap.add_argument("--site", type=Path, default=None, help="an already built site to search (skips the build)")
    ap.add_argument("--latency", type=int, default=0, metavar="N", help="also time queries on an N-item synthetic library")
    ap.add_argument("--bytes", type=int, default=0, metavar="N", help="also measure first-query bytes at N items")
    args = ap.parse_args()
    code = args.code.resolve()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as p:
        tmp = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        if not args.skip_judged:
            site = args.site or tmp / "site"
            if args.site is None:
                build(code, (args.root or code).resolve(), site)
            httpd, url = serve(site)
            try:
                if args.quick:
                    r = quick(browser, url, load_judged(args.judged))
                    print(f"quick, {r['queries']} queries: first hit {r['first']:.1%}, top-3 {r['top3']:.1%}, empty {r['empty']}")
                else:
                    r = judged(browser, url, load_judged(args.judged))
                    print(f"judged set ({r['queries']} queries): first hit {r['first']:.1%}, top-3 {r['top3']:.1%}, "
                          f"empty {r['empty']}, bytes per cold query median {r['bytes_median'] / 1024:.1f} KiB "
                          f"(max {r['bytes_max'] / 1024:.1f} KiB); real library first query 老年客户: "
                          f"{first_query_bytes(browser, url) / 1024:.1f} KiB", flush=True)
            finally:
                httpd.shutdown()
                httpd.server_close()
        for n, what in ((args.latency, "latency"), (args.bytes, "bytes")):
            if not n:
                continue
            lib = tmp / f"lib{n}"
            generate(lib, n, seed=1)
            site = tmp / f"site{n}"
            build(code, lib, site)
            httpd, url = serve(site)
            try:
                if what == "latency":
                    r = latency(browser, url)
                    print(f"{n} items: last keystroke → results median {r['median_ms']:.0f} ms, "
                          f"p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms", flush=True)
                else:
                    b = first_query_bytes(browser, url)
                    print(f"{n} items: first query 老年客户 fetches {b / 1024:.1f} KiB", flush=True)
            finally:
                httpd.shutdown()
                httpd.server_close()
        browser.close()


if __name__ == "__main__":
    main()
