"""The `casebook` command for the tests, started the cheap way: each call is still a process of its
own running the console script's `main()` with the test's arguments, environment, folder and
pipes, but it is forked from a helper that imported casebook (and MkDocs, WeasyPrint) once.

Starting `casebook` costs ~0.3 s of CPU, nearly all of it imports (pydantic models, the privacy
guard's tables, MkDocs); the suite starts it hundreds of times. A fork costs a few milliseconds and
its state is the helper's, which has only imported modules and run nothing.

A helper is started per environment as the process would see it at start-up: the environment
but for the variables below (which casebook reads when it runs, never when a module is imported;
PYTHONPATH, TMPDIR, PYTHON* and the like act at start-up or are read once at import), and the files
on PYTHONPATH (a test that edits casebook's code gets a helper that imported the edited code)."""
from __future__ import annotations

import json
import os
import selectors
import socket
import subprocess
import sys
import time
from pathlib import Path

CASEBOOK = str(Path(sys.executable).with_name("casebook"))
HERE = Path(__file__).resolve()
# read by casebook at run time only (grep os.environ under scripts/casebook before adding one)
RUN_TIME_VARIABLES = frozenset({"CASEBOOK_TODAY", "CASEBOOK_CACHE_DIR", "CASEBOOK_RENDER_CACHE",
                                "CASEBOOK_SEARCH_SHARD_PAIRS", "CASEBOOK_SITE_URL", "PYTEST_CURRENT_TEST"})
# what the helper imports before it forks: the command line and everything a check, a build or a
# pack imports (each is imported by the real command too; none starts a thread or reads the tree)
PRELOAD = ("casebook.cli", "casebook.core.check", "casebook.core.library", "casebook.site.build",
           "casebook.site.plugin", "mkdocs.commands.build", "mkdocs.config.defaults", "material",
           "casebook.packs.run", "casebook.packs.render", "weasyprint")


class _Forker:
    """The parent's end of one helper, and the environment it started with."""

    def __init__(self, env: dict) -> None:
        ours, theirs = socket.socketpair()
        self.env = env
        self.proc = subprocess.Popen([sys.executable, str(HERE), str(theirs.fileno())], pass_fds=[theirs.fileno()],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=self.env)
        theirs.close()
        self.sock = ours
        self.replies = ours.makefile("r", encoding="utf-8")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, argv: list[str], env: dict, cwd: str, timeout: float | None) -> subprocess.CompletedProcess:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            request = json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n"
            socket.send_fds(self.sock, [request], [out_w, err_w])
        finally:
            os.close(out_w)
            os.close(err_w)
        pid = json.loads(self.replies.readline())["pid"]
        chunks = {out_r: [], err_r: []}
        deadline = None if timeout is None else time.monotonic() + timeout
        expired = False
        with selectors.DefaultSelector() as sel:
            for fd in chunks:
                sel.register(fd, selectors.EVENT_READ)
            while sel.get_map():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    expired = True
                    break
                for key, _ in sel.select(left):
                    data = os.read(key.fd, 65536)
                    if data:
                        chunks[key.fd].append(data)
                    else:
                        sel.unregister(key.fd)
        if expired:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        code = json.loads(self.replies.readline())["code"]
        os.close(out_r)
        os.close(err_r)
        if expired:
            raise subprocess.TimeoutExpired(argv, timeout)
        return subprocess.CompletedProcess(argv, code, _text(b"".join(chunks[out_r])), _text(b"".join(chunks[err_r])))


def _text(data: bytes) -> str:
    """As subprocess.run(text=True) decodes a pipe: the locale's encoding, universal newlines."""
    import locale

    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")


_helpers: dict = {}  # start-up key -> _Forker
_seen: set = set()  # start-up keys of the calls so far
KEEP = 4  # helpers kept at once (each holds casebook, MkDocs and WeasyPrint imported: ~150 MB)


def _start_up_key(env: dict) -> tuple:
    """What a process's imports can depend on: its environment but for the run-time variables,
    and the modules and package metadata (name, size, time) in the folders on its PYTHONPATH."""
    fixed = tuple(sorted((k, v) for k, v in env.items() if k not in RUN_TIME_VARIABLES))
    files = []
    for folder in filter(None, env.get("PYTHONPATH", "").split(os.pathsep)):
        for path in sorted(Path(folder).rglob("*")):
            # modules and package metadata (what an import or importlib.metadata reads)
            if path.is_file() and "__pycache__" not in path.parts and (
                    path.suffix in (".py", ".pth") or path.parent.suffix == ".dist-info"):
                st = path.stat()
                files.append((str(path), st.st_size, st.st_mtime_ns))
    return fixed, tuple(files)


def run(args: list[str] | tuple[str, ...], env: dict, cwd: Path | str | None = None,
        timeout: float | None = None) -> subprocess.CompletedProcess:
    """`casebook *args` with exactly `env`, in `cwd` (the current folder when None), stdin empty,
    stdout and stderr captured as text: as subprocess.run would, raising TimeoutExpired the same way."""
    argv = [CASEBOOK, *args]
    if os.environ.get("CASEBOOK_TESTS_NO_FORK"):  # (to compare: every call a plain process start)
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    key = _start_up_key(env)
    helper = _helpers.pop(key, None)
    if key not in _seen:  # (a one-off environment: a helper would import more than the command does)
        _seen.add(key)
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    if helper is None or not helper.alive():
        helper = _Forker(env)
    _helpers[key] = helper  # (last used last)
    while len(_helpers) > KEEP:
        _stop(_helpers.pop(next(iter(_helpers))))
    return helper.run(argv, env, str(cwd) if cwd is not None else os.getcwd(), timeout)


def _stop(helper: _Forker) -> None:
    helper.replies.close()
    helper.sock.close()
    helper.proc.wait(timeout=30)


def close() -> None:
    """Stop every helper (the end of the test session)."""
    while _helpers:
        _stop(_helpers.pop(next(iter(_helpers))))


# --- the helper's end ----------------------------------------------------------------------------

def _serve(fd: int) -> None:
    import importlib

    sock = socket.socket(fileno=fd)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # (an optional renderer missing: the forked command imports what it can)
            pass
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 1 << 20, 2)
            while message and not message.endswith(b"\n"):  # (a stream: a long request may come in parts)
                more = sock.recv(1 << 20)
                if not more:
                    return
                message += more
        except OSError:
            return
        if not message:
            return  # the tests ended
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            sock.close()
            _child(request, *fds)
        for f in fds:
            os.close(f)
        sock.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        _, status = os.waitpid(pid, 0)
        sock.sendall(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode() + b"\n")


def _child(request: dict, out: int, err: int) -> None:
    """The forked command: the console script's process from here on (its argv, environment,
    folder and standard streams), then the interpreter's own way out."""
    import atexit
    import io
    import threading
    import traceback

    devnull = os.open(os.devnull, os.O_RDONLY)
    for fd, target in ((devnull, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = list(request["argv"])
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=sys.stdin.encoding)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=sys.stdout.encoding,
                                  errors=sys.stdout.errors)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=sys.stderr.encoding,
                                  errors=sys.stderr.errors, line_buffering=True)
    code = 1
    try:
        from casebook.cli import main

        code = main()
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # noqa: BLE001 - as the interpreter prints an uncaught exception
        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        threading._shutdown()  # (as at the interpreter's exit: join non-daemon threads, then atexit)
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code & 0xFF)


if __name__ == "__main__":
    sys.path[0] = os.path.dirname(CASEBOOK)  # (the console script's own first entry, not tests/)
    _serve(int(sys.argv[1]))
