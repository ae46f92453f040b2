"""A phone's first visit and first search, served the way the nginx example serves a build.

    python benchmarks/bench_phone.py SITE_DIR [--plain] [--query 停电] [--serve-only PORT]

Serves SITE_DIR on 127.0.0.1 like deploy/nginx.conf.example (the .br or .gz copy beside a file
when the browser accepts it; --plain: every file as it is, as before the build wrote copies),
opens the home page in Chromium at 360×740, then searches once, and prints what the server sent
for each step: requests and bytes, the service worker's precache included (a worker fetches
through the same server). --serve-only PORT just serves (for Lighthouse: CHROME_PATH=/usr/bin/chromium
npx lighthouse http://127.0.0.1:PORT/ --form-factor=mobile …). Run by hand, never as a timed test.
"""
from __future__ import annotations

import argparse
import http.server
import io
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browsing import ARGS, CHROMIUM  # noqa: E402

TYPES = {".webmanifest": "application/manifest+json", ".pagefind": "application/wasm", ".js": "text/javascript",
         ".json": "application/json", ".pf_meta": "application/octet-stream"}


class Counter:
    def __init__(self):
        self.lock, self.requests, self.bytes = threading.Lock(), 0, 0

    def add(self, n: int):
        with self.lock:
            self.requests += 1
            self.bytes += n

    def take(self) -> tuple[int, int]:
        with self.lock:
            out = (self.requests, self.bytes)
            self.requests = self.bytes = 0
            return out


def handler(root: Path, plain: bool, counter: Counter):
    class Static(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(root), **k)

        def log_message(self, *args):
            pass

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            accepted = self.headers.get("Accept-Encoding", "")
            if not plain and path.is_file():
                for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                    packed = path.with_name(path.name + suffix)
                    if encoding in accepted and packed.is_file():
                        body = packed.read_bytes()
                        self.send_response(200)
                        self.send_header("Content-Type", self.guess_type(str(path)))
                        self.send_header("Content-Encoding", encoding)
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("Vary", "Accept-Encoding")
                        self.end_headers()
                        counter.add(len(body))
                        return io.BytesIO(body)
            f = super().send_head()
            if f is not None and hasattr(f, "fileno"):
                counter.add(os.fstat(f.fileno()).st_size)
            return f
    return Static


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--query", default="停电")
    ap.add_argument("--serve-only", type=int)
    args = ap.parse_args()
    counter = Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.serve_only or 0), handler(args.site, args.plain, counter))
    if args.serve_only:
        httpd.serve_forever()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    def search(page) -> tuple[int, int]:
        page.click(".cb-search__toggle")
        page.keyboard.type(args.query)
        page.wait_for_function("(q) => document.querySelector('.cb-search__panel').dataset.query === q",
                               arg=args.query, timeout=120_000)
        time.sleep(0.5)
        return counter.take()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # the page and the search alone (no service worker: comparable with a build without one)
        context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
        page = context.new_page()
        page.goto(url, wait_until="load")
        time.sleep(1)
        first = counter.take()
        searched = search(page)
        context.close()
        # the same visit with the worker: what it stores for offline use comes on top
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(url, wait_until="load")
        worker = (0, 0)
        if page.evaluate("!!document.querySelector('link[rel=manifest]')"):
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
            time.sleep(1)
            total = counter.take()
            worker = (total[0] - first[0], total[1] - first[1])
            offline_search = search(page)
        browser.close()
    httpd.shutdown()
    print(f"{'plain' if args.plain else 'precompressed'} {args.site}")
    print(f"first visit (home page):  {first[0]} requests, {first[1] / 1024:.0f} KiB")
    print(f"first search ({args.query}):  {searched[0]} requests, {searched[1] / 1024:.0f} KiB")
    if worker != (0, 0):
        print(f"the worker's offline copies, on top of the first visit:  {worker[0]} requests, {worker[1] / 1024:.0f} KiB")
        print(f"first search with the worker installed:  {offline_search[0]} requests, {offline_search[1] / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
