"""`casebook serve` speaks Chinese: a busy port is one line naming it and suggesting --dev-addr,
and MkDocs' English progress lines are translated or left out."""
from __future__ import annotations

import logging
import os
import re
import select
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from casebook.site.console import ChineseConsole
from conftest import CASEBOOK, TODAY, VALID, library_with_site, run_cli


def test_busy_port_names_it_and_suggests_dev_addr():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--root", str(VALID), "--dev-addr", f"127.0.0.1:{port}")
    assert result.code == 1
    assert f"端口 {port} 已被占用" in result.err and f"--dev-addr 127.0.0.1:{port + 1}" in result.err
    assert "Traceback" not in result.err and "Errno" not in result.err


def test_an_address_or_host_this_machine_lacks_is_said_in_chinese():
    """An address of another machine (a typo in the IP) and a host name nobody resolves: one
    Chinese line each, saying which, with an address that works; no English from the system."""
    for address, said in (("192.0.2.77:8000", "这台机器没有地址 192.0.2.77"),
                          ("no-such-host.invalid:8000", "找不到主机“no-such-host.invalid”")):
        result = run_cli("serve", "--root", str(VALID), "--dev-addr", address)
        assert result.code == 1 and said in result.err, result.err
        assert "--dev-addr 127.0.0.1:8000" in result.err and len(result.err.strip().splitlines()) == 1
        english = re.sub(r"casebook serve|--dev-addr", "", result.err)
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", english), result.err  # (no "Cannot assign …")


def test_a_resolver_s_error_is_never_taken_for_an_errno():
    """A resolver's error code can equal an errno (EAI_ADDRFAMILY is 1, EPERM's number, on some
    systems): a host name the resolver refused is said as such, not as a port needing root."""
    from casebook.site.console import busy_message

    for code in (1, 13, 98, -2):
        said = busy_message("intranet-kb:8000", socket.gaierror(code, "resolver said no"))
        assert said.startswith("找不到主机“intranet-kb”"), said


def test_bad_address_is_a_usage_error():
    result = run_cli("serve", "--root", str(VALID), "--dev-addr", "localhost")
    assert result.code == 2 and "主机:端口" in result.err


@contextmanager
def _serving(root: Path):
    """`casebook serve` of `root` on a free port, until it says where it serves: (port, the lines
    it printed until then, `wait_for(text)`: read on until a line holds `text`); stopped on leaving."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    proc = subprocess.Popen([CASEBOOK, "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, "CASEBOOK_TODAY": TODAY})
    lines: list[str] = []
    fd, pending = proc.stdout.fileno(), [b""]

    def wait_for(text: str, seconds: float = 120) -> bool:
        # (read from the pipe itself: a buffered reader can hold a second line that select() no
        # longer reports, when two arrive together on a busy machine)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not any(text in l for l in lines):
            ready, _, _ = select.select([fd], [], [], 1)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                *done, pending[0] = (pending[0] + chunk).split(b"\n")
                lines.extend(l.decode("utf-8", "replace") for l in done)
        return any(text in l for l in lines)

    try:
        wait_for("预览地址")
        yield port, lines, wait_for
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_console_is_chinese(tmp_path):
    with _serving(VALID) as (port, lines, _):
        pass
    text = "\n".join(lines)
    assert f"预览地址：http://127.0.0.1:{port}/" in text and "站点已构建" in text, text
    for english in ("Building documentation", "dirty", "Serving on", "Watching paths", "Documentation built"):
        assert english not in text, text


def test_an_edited_theme_template_is_shown_without_touching_an_item_and_a_slip_in_it_is_one_line(tmp_path):
    """MkDocs watches a theme only when told (--watch-theme): an edit to the library's override
    template or stylesheet waited for the next edit under cases/ before the preview showed it.
    Then a slip in that template: MkDocs' rebuild loop printed a Python traceback; now one line
    names the file and line, the next says what to do; saved again, the preview shows the fix."""
    root = library_with_site(tmp_path)
    with _serving(root) as (port, lines, wait_for):
        def home() -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                return response.read().decode("utf-8")

        def shows(text: str) -> bool:
            """The home page shows `text` within 90 s (MkDocs holds a request until its rebuild
            succeeds: on a busy machine, a timeout now and then)."""
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    if text in home():
                        return True
                except OSError:
                    pass
                time.sleep(0.5)
            return False

        assert any("预览地址" in l for l in lines), lines
        assert "主题改过" not in home()
        main = root / "templates" / "site" / "main.html"
        text = main.read_text(encoding="utf-8")
        assert "{% block site_nav %}" in text
        main.write_text(text.replace("{% block site_nav %}", "{% block site_nav %}<!-- 主题改过 -->", 1), encoding="utf-8")
        assert shows("主题改过")
        shown = len(lines)
        text = main.read_text(encoding="utf-8")
        line = text[:text.index("<!-- 主题改过 -->")].count("\n") + 1
        main.write_text(text.replace("<!-- 主题改过 -->", "{% if %}", 1), encoding="utf-8")
        assert wait_for("改好保存后自动刷新", 60), lines
        said = lines[shown:]
        slips = [l for l in said if f"templates/site/main.html:{line}: 主题模板有错误，预览没有更新" in l]
        assert len(slips) == 1 and "Expected an expression" in slips[0] and slips[0].startswith("casebook: "), said
        assert not any("Traceback" in l or "An error happened" in l for l in said), said
        main.write_text(text.replace("<!-- 主题改过 -->", "<!-- 改好了 -->", 1), encoding="utf-8")
        assert shows("改好了")


def test_unknown_mkdocs_warnings_are_marked_and_progress_noise_dropped():
    f = ChineseConsole()

    def record(level, msg):
        return logging.LogRecord("mkdocs.commands.build", level, __file__, 1, msg, (), None)

    warn = record(logging.WARNING, "Template skipped: 'x.html' not found in theme directories.")
    assert f.filter(warn) and warn.getMessage().startswith("MkDocs 提示（英文原文）：Template skipped")
    assert not f.filter(record(logging.INFO, "Browser connected: http://127.0.0.1:8000/"))
    assert not f.filter(record(logging.INFO, "Some other English progress line"))
    ours = record(logging.WARNING, "未找到网页投稿表单")
    assert f.filter(ours) and ours.getMessage() == "未找到网页投稿表单"


def test_a_rebuild_with_errors_does_not_say_built_and_the_workers_404_is_quiet():
    """After "案例库有 1 个错误，预览仍显示上一次成功的内容", MkDocs' "Documentation built" said
    "站点已构建": the two lines contradicted each other. And every page the editor opened logged
    sw.js's 404 (a preview makes no offline copies; offline.js expects it)."""
    f = ChineseConsole()

    def say(level, msg):
        rec = logging.LogRecord("mkdocs.commands.build", level, __file__, 1, msg, (), None)
        return rec.getMessage() if f.filter(rec) else None

    assert say(logging.INFO, "Building documentation...") == "正在构建站点……"
    assert say(logging.ERROR, "案例库有 1 个错误，预览仍显示上一次成功的内容：\n…")
    after_errors = say(logging.INFO, "Documentation built in 0.40 seconds")
    assert "站点已构建" not in after_errors and "上一次成功" in after_errors and "0.40" in after_errors
    assert say(logging.INFO, "Building documentation...") == "正在构建站点……"
    assert say(logging.INFO, "Documentation built in 0.31 seconds") == "站点已构建，用时 0.31 秒"
    assert say(logging.WARNING, '"GET /sw.js HTTP/1.1" code 404') is None
    assert say(logging.WARNING, '"GET /guides/sw.js HTTP/1.1" code 404') is None
    assert say(logging.WARNING, '"GET /guides/x.png HTTP/1.1" code 404').startswith("MkDocs 提示")


def test_only_a_slip_in_the_library_s_own_template_ends_a_rebuild_as_one_line(tmp_path):
    """In a preview's rebuild the plugin turns a slip in the library's theme folder into MkDocs'
    Abort (its loop prints that as it is); any other error stays what it is, and MkDocs' loop
    prints its traceback: a bug, not the editors' to fix."""
    import pytest
    from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError
    from mkdocs.exceptions import Abort

    from casebook.site.build import _config

    root = library_with_site(tmp_path)
    config = _config(root, tmp_path / "site", False)
    plugin = config.plugins["casebook"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        plugin.on_serve(type("Server", (), {"watch": lambda self, path: None})(), config, None)
        plugin.on_build_error(error=ValueError("a bug"))  # (returns: MkDocs re-raises it, traceback and all)
        (root / "templates" / "site" / "broken.html").write_text("{% if %}", encoding="utf-8")
        with pytest.raises(TemplateSyntaxError) as slip:
            Environment(loader=FileSystemLoader(str(root / "templates" / "site"))).get_template("broken.html")
        with pytest.raises(Abort) as said:
            plugin.on_build_error(error=slip.value)
        assert str(said.value).startswith("casebook: templates/site/broken.html:1: 主题模板有错误，预览没有更新（")
    finally:
        plugin.on_shutdown()
