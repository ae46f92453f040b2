"""One place turns outcomes into exit codes (cli.main): an expected failure is one Chinese line
and exit 1, a bug is a traceback with a request to report it and exit 3."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casebook import cli
from conftest import REPO, run_cli


def test_pagefind_failing_is_one_line_and_exit_1(valid_tree, tmp_path, monkeypatch, capsys):
    # (patched where every indexer looks it up at call time: a module that imported the helper
    # by name while a test had patched it would keep /bin/false for every later test)
    monkeypatch.setattr("pagefind.service.get_executable", lambda: Path("/bin/false"))
    code = cli.main(["build", "--root", str(valid_tree), "--out", str(tmp_path / "site")])
    err = capsys.readouterr().err
    assert code == 1, err
    lines = [line for line in err.splitlines() if line.startswith("casebook:")]
    assert len(lines) == 1 and "Pagefind 建搜索索引失败" in lines[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "site").exists()  # nothing half-built is left
    kept = Path(lines[0].rsplit("Pagefind 的输出在 ", 1)[1].strip())  # (the log the line names, kept for the user)
    assert "Records made" in kept.read_text(encoding="utf-8")
    kept.unlink()



def test_a_pagefind_that_is_not_there_is_one_line_and_leaves_nothing(valid_tree, tmp_path):
    """PAGEFIND_BINARY_PATH naming no file (a runner's leftover setting): one Chinese line that names
    the path and the variable, before any folder of the build is made or left behind."""
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    result = run_cli("build", "--root", str(valid_tree), "--out", str(out / "site"),
                     env={"PAGEFIND_BINARY_PATH": str(tmp_path / "no-pagefind"), "TMPDIR": str(temp)})
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert result.err.strip().count("\n") == 0 and "PAGEFIND_BINARY_PATH" in result.err, result.err
    assert not list(temp.iterdir()) and not (out.exists() and list(out.iterdir())), "a folder of the build is left"


def test_a_pagefind_that_cannot_be_run_any_more_is_a_failed_index_not_a_traceback(tmp_path):
    """Pagefind removed or replaced once the build has found it: the index job says so in its log,
    which the build's one line points to (search.index_shard)."""
    from casebook.site.search import index_shard

    code, log, count = index_shard(tmp_path / "gone", tmp_path / "site", tmp_path / "bundle", 0)
    assert code != 0 and count is None and "gone" in log


@pytest.mark.parametrize("slip, said", [
    ("{% if %}", "Expected an expression"),  # (Jinja cannot compile it)
    ("{{ config.nothing.deeper }}", "nothing"),  # (nor render it)
    ('{% include "partials/nope.html" %}', "找不到模板 partials/nope.html"),
])
def test_a_slip_in_the_librarys_own_theme_template_is_one_line_naming_it(valid_tree, tmp_path, slip, said):
    """The library's theme folder (`custom_dir`) is the editors' too: a template Jinja refuses stops
    `build` and `serve` with one line that names the file and line, not a bug report."""
    shutil.copytree(REPO / "templates", valid_tree / "templates")
    shutil.copy(REPO / "mkdocs.yml", valid_tree / "mkdocs.yml")
    main = valid_tree / "templates" / "site" / "main.html"
    text = main.read_text(encoding="utf-8")
    line = text[:text.index("{% block extrahead %}")].count("\n") + 1
    main.write_text(text.replace("{% block extrahead %}", "{% block extrahead %}" + slip, 1), encoding="utf-8")
    import socket

    with socket.socket() as probe:  # (a free port: the preview stops at its first build)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for args in (("build", "--out", str(tmp_path / "site")), ("serve", "--dev-addr", f"127.0.0.1:{port}")):
        result = run_cli(*args, "--root", str(valid_tree), timeout=120)
        ours = [ln for ln in result.err.splitlines() if ln.startswith("casebook:") and "主题模板" in ln]
        assert result.code == 1 and "Traceback" not in result.err, (args, result.err)
        assert len(ours) == 1 and f"templates/site/main.html:{line}: 主题模板有错误" in ours[0] and said in ours[0], result.err
    assert not (tmp_path / "site").exists()


def test_an_error_in_a_template_outside_the_library_s_theme_folder_is_not_put_on_its_editors(tmp_path):
    """Material's or casebook's own template failing is a bug, wherever it is installed (a .venv
    inside the library too): only a template in the library's theme folder (custom_dir) is blamed
    on it (site/theme_slips.template_problem), as printable text, and cli.main reports the rest as
    a bug. A file name with a line end or an escape sequence prints one line, without either."""
    from jinja2 import Environment, FileSystemLoader, TemplateNotFound, TemplateSyntaxError

    from casebook.site.theme_slips import template_problem

    def slip(folder: Path, name: str) -> TemplateSyntaxError:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("<p>{% if %}</p>\n", encoding="utf-8")
        with pytest.raises(TemplateSyntaxError) as caught:
            Environment(loader=FileSystemLoader(str(folder))).get_template(name)
        return caught.value

    material = slip(tmp_path / ".venv" / "material" / "templates", "base.html")
    assert template_problem(material, tmp_path, tmp_path / "templates" / "site") is None
    assert template_problem(material, tmp_path, None) is None
    assert template_problem(ValueError("x"), tmp_path, tmp_path) is None
    own = slip(tmp_path / "templates" / "site", "main.html")
    assert template_problem(own, tmp_path, tmp_path / "templates" / "site").startswith(
        "templates/site/main.html:1: 主题模板有错误，站点没有构建（")
    forged = template_problem(slip(tmp_path / "templates" / "site", "x\ncasebook: forged\x1b[31m.html"),
                              tmp_path, tmp_path / "templates" / "site")
    assert forged.startswith("templates/site/x") and "\n" not in forged and "\x1b" not in forged, forged
    # (Jinja's reason quotes the pull request's text too)
    (tmp_path / "templates" / "site" / "inc.html").write_text('{% include "\x1b[31mRED\x07" %}', encoding="utf-8")
    with pytest.raises(TemplateNotFound) as missing:
        Environment(loader=FileSystemLoader(str(tmp_path / "templates" / "site"))).get_template("inc.html").render()
    said = template_problem(missing.value, tmp_path, tmp_path / "templates" / "site")
    assert said.startswith("templates/site/inc.html:1: 主题模板有错误") and "RED" in said, said
    assert "\x1b" not in said and "\x07" not in said, said

def test_an_unwritable_output_is_one_line_and_exit_1(valid_tree, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("build", "--root", str(valid_tree), "--out", str(blocker / "site"))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and result.err.strip().count("\n") == 0, result.err



def test_a_name_too_long_for_the_file_system_is_one_line_and_exit_1(valid_tree, tmp_path):
    """A valid folder name of 250 characters: the build's temporary folder beside it (its name
    and a suffix) is too long for the file system. Told in Chinese, not as a bug."""
    result = run_cli("build", "--root", str(valid_tree), "--out", str(tmp_path / ("站" * 80)))
    assert result.code == 1 and "名字或路径太长" in result.err, result.err
    assert "Traceback" not in result.err and result.err.strip().count("\n") == 0, result.err


def test_a_mistake_in_the_librarys_own_mkdocs_yml_is_one_line_and_exit_1(valid_tree, tmp_path):
    """The library's mkdocs.yml is the editors' file: a YAML slip (told at its line and column)
    or a setting MkDocs refuses stops `build` and `serve` with one line of casebook's, exit 1."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    site_name = next(line for line in config.splitlines() if line.startswith("site_name:"))
    (valid_tree / "mkdocs.yml").write_text(config.replace(site_name, "site_name: [网点服务案例库", 1), encoding="utf-8")
    slip = config.splitlines().index(site_name) + 2  # (YAML finds it at the next line's colon)
    built = run_cli("build", "--root", str(valid_tree), "--out", str(tmp_path / "site"))
    ours = [line for line in built.err.splitlines() if line.startswith("casebook:")]
    assert built.code == 1 and len(ours) == 1 and f"mkdocs.yml:{slip}:" in ours[0] and "站点没有构建" in ours[0], built.err
    assert "Traceback" not in built.err and not (tmp_path / "site").exists()
    (valid_tree / "mkdocs.yml").write_text(config.replace("\ntheme:", "\nuse_directory_urls: 也许\ntheme:", 1)
                                           .replace("  custom_dir: templates/site\n", ""),
                                           encoding="utf-8")
    import socket

    with socket.socket() as probe:  # (a free port: serve stops before it binds one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for args in (("build", "--out", str(tmp_path / "site")), ("serve", "--dev-addr", f"127.0.0.1:{port}")):
        refused = run_cli(*args, "--root", str(valid_tree))
        assert refused.code == 1 and "Traceback" not in refused.err, (args, refused.err)
        assert "mkdocs.yml 有错误，站点没有构建" in refused.err and "use_directory_urls" in refused.err, (args, refused.err)

def test_a_bug_is_a_traceback_with_a_request_to_report_it_and_exit_3(valid_tree, monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "cmd_check", broken)
    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    for action in parser._subparsers._group_actions[0].choices.values():  # (point `check` at the broken one)
        if action.prog.endswith(" check"):
            action.set_defaults(func=broken)
    code = cli.main(["check", "--root", str(valid_tree)])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" in err and "ZeroDivisionError" in err and "缺陷" in err


def test_the_console_script_ends_with_main_s_code_and_all_its_output(valid_tree):
    """`casebook` itself (cli.run, not main() called in a test): it leaves without tearing its
    heap down, and still delivers every line it wrote to a pipe, and main's exit code."""
    import subprocess
    import sys

    for n in range(60):  # (more output than a pipe's buffer)
        (valid_tree / "cases" / "stories" / f"broken-{n:02d}.md").write_text("---\ntitle: [\n---\n正文\n", encoding="utf-8")
    script = Path(sys.executable).parent / "casebook"
    proc = subprocess.run([str(script), "check", "--root", str(valid_tree)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    said = proc.stdout + proc.stderr
    assert all(f"broken-{n:02d}.md" in said for n in range(60)), said[-500:]
    assert "检查了 69 个文件：60 个错误" in said, said[-500:]
    clean = subprocess.run([str(script), "check", "--root", str(valid_tree / "missing")], capture_output=True, text=True)
    assert clean.returncode == 2 and "cases/" in clean.stderr


def test_a_reader_that_goes_away_is_not_a_bug(valid_tree):
    """`casebook check | head`: the reader closes the pipe early; casebook stops quietly with
    141 (a process stopped by SIGPIPE), not a traceback that says casebook has a bug."""
    import subprocess
    import sys

    for n in range(600):  # (far more output than a pipe holds: each line names its long file, ~200 bytes)
        (valid_tree / "cases" / "stories" / f"broken-{n:03d}-{'x' * 100}.md").write_text("---\ntitle: [\n---\n正文\n",
                                                                                     encoding="utf-8")
    script = Path(sys.executable).parent / "casebook"
    for form in ("text", "json"):
        proc = subprocess.Popen([str(script), "check", "--root", str(valid_tree), "--format", form],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.read(100)  # (what `head -c 100` reads), then it goes away
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141, err
        assert "Traceback" not in err and "缺陷" not in err, err



def _casebook(*args: str, closed: tuple[int, ...] = (), env: dict | None = None,
              **streams) -> subprocess.CompletedProcess:
    """The console script as a shell starts it, with the descriptors in `closed` closed
    (`<&-`, `>&-`, `2>&-`)."""
    def start() -> None:
        for fd in closed:
            os.close(fd)

    return subprocess.run([str(Path(sys.executable).with_name("casebook")), *args], preexec_fn=start,
                          env={**os.environ, **(env or {})}, timeout=120, **streams)


def test_closed_standard_streams_are_not_an_error(valid_tree, tmp_path):
    """A scheduler or a script that closes what it does not read: casebook does its work and
    exits as usual; with stderr closed its Chinese lines do not land on stdout instead."""
    assert _casebook("stats", "--root", str(valid_tree), closed=(1,), stderr=subprocess.PIPE).returncode == 0
    built = _casebook("build", "--root", str(valid_tree), "--out", str(tmp_path / "site"), closed=(2,),
                      stdout=subprocess.PIPE, text=True)
    assert built.returncode == 0 and built.stdout.startswith("已构建 ") and built.stdout.count("\n") == 1, built.stdout
    again = _casebook("build", "--root", str(valid_tree), "--out", str(tmp_path / "site"), closed=(0,),
                      capture_output=True, text=True)  # (MkDocs reads where its config is through stdin)
    assert again.returncode == 0 and (tmp_path / "site" / "index.html").is_file(), again.stderr


def test_a_terminal_that_holds_only_ascii_gets_escapes_not_a_bug(valid_tree):
    (valid_tree / "cases" / "stories" / "broken.md").write_text("---\ntitle: [\n---\n正文\n", encoding="utf-8")
    said = _casebook("check", "--root", str(valid_tree), env={"PYTHONIOENCODING": "ascii"}, capture_output=True)
    assert said.returncode == 1 and b"Traceback" not in said.stderr, said.stderr
    assert b"error[L005]" in said.stdout and "检查了".encode("unicode_escape") in said.stderr


def test_stats_to_a_reader_that_goes_away_is_141_as_for_check():
    """`casebook stats | head -1` (Rich's own handler exited 1, which a script reads as a failure).
    Its few KB would fit in the pipe: the reader is gone before the first line is written."""
    proc = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "stats", "--root", str(REPO)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # (long before the library is loaded and the first table printed)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and "Traceback" not in err, err


def test_a_command_called_wrongly_is_one_chinese_line_and_exit_2(valid_tree):
    """argparse's English ("usage: …", "unrecognized arguments", "expected one argument") was
    printed as it was, over two lines."""
    for args in (("build", "--bogus"), ("build", "--root"), ("check", "--format", "xml"), ("bogus",), ("new",),
                 ("check", "--root", str(valid_tree), "--explain")):
        said = run_cli(*args)
        lines = said.err.strip().splitlines()
        assert said.code == 2 and len(lines) == 1 and lines[0].startswith("casebook: 用法错误："), (args, said.err)
        assert not re.search(r"usage|argument|expected|invalid|unrecognized|choose", lines[0]), (args, lines[0])
        # where to read how it is called: the command's own help, which lists its flags
        command = "" if args[0] == "bogus" else f" {args[0]}"
        assert lines[0].endswith(f"用法见 casebook{command} --help"), (args, lines[0])


def _columns(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_every_command_s_help_is_chinese_and_its_columns_line_up_on_a_terminal():
    """`casebook pack --help` said "usage:", "positional arguments", "options" and "show this help
    message and exit", and the help of "--root 目录" began two columns right of the others (argparse
    counts a Chinese character as one column; a terminal shows two)."""
    for command in ("", *cli.build_parser().commands):
        said = run_cli(*filter(None, [command, "--help"]))
        assert said.code == 0 and said.err == "", (command, said.err)
        assert said.out.startswith("用法：casebook"), said.out
        assert not re.search(r"usage|positional|options|optional arguments|show (this|program)", said.out), said.out
        starts, heading = {}, None
        for line in said.out.splitlines():
            if line.endswith("："):
                heading = line
            elif heading and (m := re.fullmatch(r"( +\S.*?) {2,}(\S.*)", line)):
                starts.setdefault(heading, set()).add(_columns(line) - _columns(m[2]))
        assert starts and all(len(cols) == 1 for cols in starts.values()), (command, starts, said.out)
        if command:
            assert "-h, --help" in said.out and "显示这段说明后退出" in said.out, said.out
    # a wrapped usage line starts under the first line's first option
    usage = run_cli("pack", "--help").out.splitlines()
    first = _columns(usage[0][:usage[0].index("[")])
    assert usage[1].lstrip().startswith("[") and _columns(usage[1]) - _columns(usage[1].lstrip()) == first, usage[:2]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _build_interrupted(root: Path, out: Path, ignoring: bool, send: signal.Signals = signal.SIGINT) -> subprocess.Popen:
    """`casebook build` started as a terminal's foreground job, or `ignoring` Ctrl-C and SIGTERM
    (as a job a script put in the background and shielded), then sent Ctrl-C (and, ignoring,
    SIGTERM too), to its whole process group as a terminal does, once it has forked a worker:
    the ended process."""
    def started() -> None:  # (whatever the suite was started with: nohup ignores SIGHUP for every child)
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN if ignoring else signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    env = {**os.environ, "CASEBOOK_RENDER_CACHE": "0"}
    build = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "build", "--root", str(root),
                              "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, start_new_session=True, preexec_fn=started)
    try:
        deadline = time.time() + 60
        while not _children(build.pid) and build.poll() is None and time.time() < deadline:
            time.sleep(0.02)  # (the indexer is forked once the pages are known)
        assert build.poll() is None and _children(build.pid), "the build ended before it could be interrupted"
        time.sleep(0.3)
        os.killpg(build.pid, send)
        if ignoring:
            os.killpg(build.pid, signal.SIGTERM)
        build.out, build.err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    return build


def test_ctrl_c_during_a_build_is_one_line_and_exit_130(tmp_path):
    """Ctrl-C signals the terminal's whole process group: the build and its search indexer. The
    build says 已中断 and leaves nothing; the indexer (and its clean-up) add no traceback."""
    build = _build_interrupted(REPO, tmp_path / "site", ignoring=False)
    err = build.err
    assert build.returncode == 130, err
    assert err.strip().splitlines()[-1] == "casebook: 已中断" and "Traceback" not in err, err
    assert not (tmp_path / "site").exists()



def test_a_build_whose_terminal_closes_cleans_up_as_for_ctrl_c(tmp_path):
    """SIGHUP (the terminal or the SSH session closed) to the build and its workers: nothing half
    built is left, in the output's folder or beside it (with the default --out, the library's)."""
    build = _build_interrupted(REPO, tmp_path / "site", ignoring=False, send=signal.SIGHUP)
    assert build.returncode == 130 and "Traceback" not in build.err, build.err
    assert list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())

@pytest.mark.parametrize("send, outlets", [(signal.SIGTERM, 2), (signal.SIGHUP, 1)])
def test_a_pack_stopped_by_sigterm_or_its_terminal_closing_says_so_and_leaves_nothing(valid_tree, tmp_path, send, outlets):
    """`kill` (a CI job's timeout) or a closed SSH session during `casebook pack` ended it silently
    with 143 or 129, a half-made pack left in the output until the next pack; with several
    outlets, the workers went on making their PDFs for a while."""
    for n in range(2, outlets + 1):
        shutil.copy(valid_tree / "outlets/community.yml", valid_tree / f"outlets/community-{n}.yml")
    out = tmp_path / "packs"
    def started() -> None:  # (as from a terminal, whatever the suite was started with: nohup ignores SIGHUP)
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)

    pack = subprocess.Popen([str(Path(sys.executable).with_name("casebook")), "pack", "--all", "--root", str(valid_tree),
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=started)
    try:
        deadline = time.time() + 120
        while not list(out.glob(".*.new-*")) and pack.poll() is None and time.time() < deadline:
            time.sleep(0.02)  # (until a pack is being made)
        assert pack.poll() is None, pack.communicate()
        workers = _children(pack.pid)
        assert len(workers) >= (2 if outlets > 1 else 0), workers
        pack.send_signal(send)  # (to the pack alone, as `kill` does)
        stopped = time.time()
        _, err = pack.communicate(timeout=60)
        assert time.time() - stopped < 10, "waited for the PDFs in the making"
    finally:
        if pack.poll() is None:
            os.killpg(pack.pid, signal.SIGKILL)
    assert pack.returncode == 130 and "Traceback" not in err, (pack.returncode, err)
    assert err.strip().splitlines()[-1] == "casebook: 已中断", err
    assert [p.name for p in out.iterdir() if ".new-" in p.name] == []
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "a worker is still running"
    # (stopped as soon as a pack was begun: a finished one means the PDFs in the making were waited for)
    assert list(out.iterdir()) == [], list(out.iterdir())


def test_a_build_started_ignoring_ctrl_c_goes_on_and_its_workers_too(tmp_path):
    """A script that puts `casebook build &` in the background: the shell starts it ignoring
    Ctrl-C, and a Ctrl-C on the script's terminal reaches the whole group. The build goes on, and
    so do its workers: a worker that stopped made the build fail, blaming Pagefind. (SIGTERM
    alike, for a build started ignoring it: the build's own clean-up handler took it.)"""
    build = _build_interrupted(REPO, tmp_path / "site", ignoring=True)
    assert build.returncode == 0 and "Traceback" not in build.err, build.err
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_ctrl_c_inside_a_native_callback_is_raised_once_the_call_returns():
    """nh3 swallows an exception raised in its attribute filter: the build's sanitiser holds a
    Ctrl-C that comes meanwhile and raises it after the call (core.proc.signals_after); one the
    process ignores stays ignored."""

    from casebook.core.proc import signals_after
    from casebook.site.sanitise import sanitize

    before = signal.getsignal(signal.SIGINT)
    try:
        # (as a terminal's foreground job: Python turns Ctrl-C into KeyboardInterrupt, whatever
        # the test runner was started with)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        reached = []
        with pytest.raises(KeyboardInterrupt):
            with signals_after():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # (a handler runs between two bytecodes: here, inside the block)
                reached.append("the end of the call")
        assert reached == ["the end of the call"]
        # (as a background job of a script: Ctrl-C ignored, during the call and after it)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with signals_after():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
    assert sanitize('<h1 id="a">标题</h1>') == '<h1 id="a">标题</h1>'  # (and it still cleans)
