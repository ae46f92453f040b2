"""Shared test helpers: real trees on disk and the installed `casebook` console script."""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import struct
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

import forked_cli

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
VALID = FIXTURES / "valid"
REPO = HERE.parent
# The console script installed next to the interpreter running the tests (.venv/bin/casebook).
CASEBOOK = str(Path(sys.executable).with_name("casebook"))
TODAY = "2026-12-07"  # fixed "today" (review_by warnings, dates after today): not before the samples' latest updated


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> Result:
    """`casebook *args` as a process of its own (forked_cli: forked from a helper that has imported
    casebook once, unless the environment asks for a fresh start)."""
    full_env = {**os.environ, "CASEBOOK_TODAY": TODAY, **(env or {})}
    proc = forked_cli.run(args, full_env, cwd=cwd, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    monkeypatch.setenv("CASEBOOK_TODAY", TODAY)


@pytest.fixture(autouse=True, scope="session")
def _build_cache_of_the_session(tmp_path_factory):
    """Builds keep their caches in a folder of the test session's own, not the user's."""
    os.environ["CASEBOOK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True, scope="session")
def _bytecode_of_the_session(tmp_path_factory):
    """The suite starts `casebook` hundreds of times. Where the environment forbids writing bytecode
    (PYTHONDONTWRITEBYTECODE, common in containers), every one of them compiled casebook's source
    again: they share compiled modules in a folder of the session's own instead, and the working
    tree still gets no __pycache__."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        os.environ["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("bytecode"))


BUILD_LINE = re.compile(r"^已构建 (\d+) 个页面（(\d+) 个条目，\d+ 条搜索记录(?:；公开版，略去 (\d+) 个内部条目)?）→ ")
# The address the sample site is built for (as a bank's would be: QR codes, sitemap and canonical
# links need one), though the tests serve it from 127.0.0.1: every link in a page is relative.
SAMPLE_SITE_URL = "https://cases.example.cn/kb/"


def site_built_once(tmp_path_factory, name: str, build) -> dict:
    """A site built once for the whole session, whichever test process of `pytest -n` asks first
    (tests only read it): build(folder, out) builds it into `out` and returns the command's Result.
    {"dir", "pages", "items", "left_out"}, from the build's own line."""
    with once_per_session(tmp_path_factory, name) as folder:
        out, said = folder / "site", folder / "build-line.txt"
        if not said.is_file():
            result = build(folder, out)
            assert result.code == 0, result.err
            said.write_text(result.out, encoding="utf-8")
        line = said.read_text(encoding="utf-8").strip()
    m = BUILD_LINE.match(line)
    assert m, line
    return {"dir": out, "pages": int(m[1]), "items": int(m[2]), "left_out": int(m[3] or 0)}


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> dict:
    """The sample library's site for SAMPLE_SITE_URL, built once for the session (site_built_once)."""
    return site_built_once(tmp_path_factory, "sample-site", lambda folder, out: run_cli(
        "build", "--root", str(REPO), "--out", str(out), env={"CASEBOOK_SITE_URL": SAMPLE_SITE_URL}))


@pytest.fixture(scope="module")
def served_sample_site(sample_site) -> dict:
    """The session's sample site served on a loopback port for one module: sample_site and "url"."""
    from browsing import serve

    httpd, url = serve(sample_site["dir"])
    yield {**sample_site, "url": url}
    httpd.shutdown()


@pytest.fixture(scope="module")
def form_site(tmp_path_factory) -> dict:
    """The small valid library built and served for one module's web-form tests: "tree" (what the
    form is seeded with, and where a test checks what it saved), "site", "url"."""
    from browsing import serve

    tree = tmp_path_factory.mktemp("form") / "lib"
    shutil.copytree(VALID, tree)
    out = tree.parent / "site"
    result = run_cli("build", "--root", str(tree), "--out", str(out))
    assert result.code == 0, result.err
    httpd, url = serve(out)
    yield {"tree": tree, "site": out, "url": url}
    httpd.shutdown()


def add_story(root: Path, slug: str, body: str, visibility: str = "internal", title: str = "一个测试用的故事") -> None:
    (root / "cases/stories" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\nsummary: 测试用的故事摘要。\nvisibility: {visibility}\ndate: 2026-01-15\n"
        f"outlet: 测试支行\nstaff: [周晓雯]\nupdated: 2026-11-20\nsource: example\n---\n\n{body}\n", encoding="utf-8")


STORY_TEXT = "一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。" * 4
CANARY, PUBLIC_MARK = "CANARY7Q3X", "PUBLICOK5"  # in the public sample site's two stories of its own


@pytest.fixture(scope="session")
def sample_public_site(tmp_path_factory) -> dict:
    """The sample library's public build (--public, no site address), once for the session, with
    two stories of its own: an internal one holding CANARY, which must leave no trace, and a
    public one holding PUBLIC_MARK, which must show, with links to both kinds (site_built_once)."""
    def build(folder: Path, out: Path) -> Result:
        root = folder / "lib"
        for name in ("cases", "outlets", "docs", "templates"):
            shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        add_story(root, "canary-internal", f"{STORY_TEXT} {CANARY} internal", title=f"内部故事 {CANARY}")
        # (its body links to the internal story and to an internal guide: on the public site
        # the links keep their text and lead nowhere else)
        add_story(root, "public-one", f"{STORY_TEXT} {PUBLIC_MARK} 另见[同一个冬天的另一个故事](canary-internal.md)"
                  "和[老年客户服务指引](../guides/elderly-customers.md)，以及[暖域驿站的故事](outdoor-workers-rest-corner.md)。",
                  visibility="public")
        return run_cli("build", "--root", str(root), "--out", str(out), "--public", env={"CASEBOOK_SITE_URL": ""})

    return site_built_once(tmp_path_factory, "sample-public-site", build)


@contextmanager
def once_per_session(tmp_path_factory, name: str):
    """A folder that every test process of this session shares (pytest-xdist's workers: the parent
    of their own temporary folders), held under a lock while the caller fills or reads it."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp(name)
    with open(folder.parent / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def sample_lib():
    """The sample library, loaded once for the whole session (tests only read it)."""
    from casebook.core.library import Library

    return Library.load(REPO, use_cache=False)


@pytest.fixture(scope="session")
def clean_sample_lib(sample_lib):
    """The sample library, for tests that need it free of problems: a problem fails them here, in one list."""
    assert not sample_lib.diagnostics, "\n".join(d.format_text() for d in sample_lib.diagnostics[:30])
    return sample_lib


def library_with_site(tmp_path: Path) -> Path:
    """The small valid library with the project's own site config, docs and theme (so both can change)."""
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    for data in ("basis.yml", "search-terms.yml"):
        shutil.copy(REPO / "cases" / data, root / "cases" / data)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for one test module: the session's one browser (browsing.launch); the
    contexts and pages the module opened are closed after its last test."""
    from browsing import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def phone_tab(browser):
    """A 360×740 tab kept for one module's tests (closed with the module's contexts); a test gets
    it through browsing.as_new, as a new tab."""
    return browser.new_context(viewport={"width": 360, "height": 740}).new_page()


@pytest.fixture
def phone(phone_tab):
    """The module's phone tab, handed to the test as a new one (browsing.as_new) on about:blank."""
    from browsing import as_new

    with as_new(phone_tab) as pg:
        yield pg


def pytest_sessionfinish(session, exitstatus):
    from browsing import close

    close()
    forked_cli.close()


@pytest.fixture
def valid_tree(tmp_path: Path) -> Path:
    """A copy of the small valid library, to be broken by the test."""
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    return root


@pytest.fixture
def valid_tree_with_docs(valid_tree: Path) -> Path:
    """The small valid library with the project's docs/: what a test adds is what it builds."""
    shutil.copytree(REPO / "docs", valid_tree / "docs")
    return valid_tree


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def png_bytes(width: int, height: int, data: bytes | None = None) -> bytes:
    """A real PNG of that size (grey, or the given raw rows), for image attacks that need one."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    raw = data if data is not None else b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
