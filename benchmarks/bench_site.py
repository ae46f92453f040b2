"""Time the site build on synthetic libraries, against a bare MkDocs build measured in the same run.

    python benchmarks/bench_site.py [--sizes 1000 5000]

For each size: `casebook build` (check + MkDocs + Pagefind) against a bare `mkdocs build` of the
same Markdown with the same theme, no hook and a nav of index pages only; peak memory; and for
the largest site, the bytes a browser fetches for its first query beyond Pagefind's fixed
runtime (pagefind.js, its worker, the WebAssembly and the entry file), measured in headless Chromium.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from gen_library import generate  # noqa: E402

BIN = Path(sys.executable).parent
FOLDERS = ["complaints", "emergencies", "guides", "stories", "standards", "courses"]


def bare_project(lib_root: Path, out: Path) -> Path:
    """The same Markdown as a plain MkDocs project: docs/<folder>/<item>.md plus one index per folder."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for folder in FOLDERS:
        (docs / folder).mkdir(parents=True)
        links = []
        for md in sorted((lib_root / "cases" / folder).glob("*.md")):
            text = md.read_text(encoding="utf-8")
            body = text.split("\n---\n", 1)[1] if text.startswith("---") else text
            title = next((l[7:] for l in text.splitlines() if l.startswith("title: ")), md.stem)
            (docs / folder / md.name).write_text(f"# {title}\n{body}", encoding="utf-8")
            links.append(f"- [{title}]({md.name})")
        (docs / folder / "index.md").write_text(f"# {folder}\n\n" + "\n".join(links), encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    nav = "\n".join(f"  - {f}: {f}/index.md" for f in FOLDERS)
    (out / "mkdocs.yml").write_text(f"site_name: bare\ntheme:\n  name: material\n  language: zh\n  font: false\n"
                                    f"plugins: []\nnav:\n  - 首页: index.md\n{nav}\n", encoding="utf-8")
    return out


def same_pages_project(lib_root: Path, out: Path, repo: Path = HERE.parent) -> Path:
    """Every page casebook publishes (item, list, facet, course, programme … pages: casebook's
    own Markdown with its HTML parts in place, and the hand-written docs/ pages) as a plain
    Material project: no hook, no plugin, no search, no theme override, the same Markdown
    extensions and the same index-only nav. The baseline "bare MkDocs, the same pages": what
    MkDocs alone costs for the site casebook writes, a quarter more pages than bare_project's."""
    import re

    sys.path.insert(0, str(repo / "scripts"))
    from casebook.core.library import Library
    from casebook.site.pages import site_pages

    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for src, page in site_pages(Library.load(lib_root, use_cache=False)).items():
        text = page.markdown
        for marker, html in page.slots.items():
            text = text.replace(marker, html)
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_text(text, encoding="utf-8")
    for page in (repo / "docs").rglob("*.md"):
        target = docs / page.relative_to(repo / "docs")
        if not target.exists():  # (casebook's macro calls removed: no plugin here)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(re.sub(r"\{[{%#].*?[}%#]\}", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?:hooks|plugins):.*?(?=extra_css:)", "plugins: []\n", config, flags=re.S)
    config = re.sub(r"extra_css:.*?(?=markdown_extensions:)", "", config, flags=re.S)
    config = config.replace("  custom_dir: templates/site\n", "")
    config = re.sub(r"(?m)^  language: zh-CN.*$", "  language: zh", config)  # (zh-CN is a partial of casebook's templates)
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return out


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(BIN) + ":/usr/bin:/bin"})
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{cmd} failed:\n{proc.stderr[-3000:]}")
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def first_query_bytes(site: Path, query: str = "老年客户") -> tuple[int, int]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    sizes: list[tuple[str, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        page = browser.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.on("response", lambda r: sizes.append((r.url, len(r.body()))) if "/pagefind/" in r.url else None)
        page.fill("#cb-search-input", query)
        page.wait_for_function("(w) => document.querySelector('.cb-search__panel').dataset.query === w", arg=query,
                               timeout=60000)
        page.wait_for_load_state("networkidle")
        browser.close()
    httpd.shutdown()
    fixed = sum(n for u, n in sizes if u.split("?")[0].endswith(("pagefind.js", "pagefind-worker.js", ".pagefind",
                                                                 "pagefind-entry.json")) or "wasm" in u)
    return sum(n for _, n in sizes) - fixed, fixed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--work", type=Path, default=HERE / "out" / "site")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        lib = generate(args.work / f"lib-{n}", n)
        bare = bare_project(lib, args.work / f"bare-{n}")
        t_bare, _ = timed([str(BIN / "mkdocs"), "build", "-q", "-d", str(args.work / f"bare-site-{n}")], cwd=bare)
        t_cb, rss = timed([str(BIN / "casebook"), "build", "--root", str(lib), "--out", str(args.work / f"site-{n}")])
        rows.append((n, t_bare, t_cb, rss))
    print(f"{'items':>6} {'bare mkdocs s':>14} {'casebook build s':>17} {'ratio':>6} {'peak MiB (so far)':>18}")
    for n, b, c, rss in rows:
        print(f"{n:>6} {b:>14.2f} {c:>17.2f} {c / b:>6.2f} {rss:>18.0f}")
    if len(rows) >= 2:
        print(f"{rows[-1][0]} vs {rows[0][0]} items: casebook build {rows[-1][2] / rows[0][2]:.2f}×, "
              f"bare mkdocs {rows[-1][1] / rows[0][1]:.2f}×")
    extra, fixed = first_query_bytes(args.work / f"site-{rows[-1][0]}")
    print(f"first query on the {rows[-1][0]}-item site: {extra / 1024:.0f} KiB beyond Pagefind's runtime "
          f"({fixed / 1024:.0f} KiB runtime)")


if __name__ == "__main__":
    main()
