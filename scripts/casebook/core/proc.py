"""Kill safety: helpers so that a killed `casebook build` leaves nothing behind for long.

- `die_with_parent()`: called first thing in a worker process (validation workers, the
  search indexer, Pagefind), it asks Linux to kill the worker when its parent dies, even by
  SIGKILL — a killed build leaves no worker running; and a worker stopped by Ctrl-C or by the
  build's clean-up stops without a word (the build says 已中断).
- `yield_to_pages()`: called first thing in the search indexer, so that on a busy machine the
  pages come first (the build waits for the slower of the two; the preview shows the page now
  and its search a moment later).
- `temp_name()` / `stale()`: temporary folders carry the pid of the process that made them;
  the next run removes those whose process is gone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _leave_quietly(signum, frame) -> None:
    os._exit(128 + signum)


def ignored(signum: int) -> bool:
    """Whether this process ignores the signal (as it was started, or told since)."""
    return signal.getsignal(signum) == signal.SIG_IGN


def die_with_parent() -> None:
    # A worker forked from a build has the build's signal handlers: SIGTERM and SIGHUP raised
    # KeyboardInterrupt, and a worker stopped on Ctrl-C (the terminal signals the whole group) or
    # by the build's clean-up printed a traceback under the build's one line. The build speaks
    # for the workers: they just stop. A signal the build was started ignoring (a job put in
    # the background by a script: POSIX shells ignore Ctrl-C there) stays ignored: the build
    # goes on, and a worker that stopped would fail it.
    for signum, quietly in ((signal.SIGTERM, signal.SIG_DFL), (signal.SIGHUP, signal.SIG_DFL),
                            (signal.SIGINT, _leave_quietly)):
        if not ignored(signum):
            signal.signal(signum, quietly)
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def stopped_as_interrupted():
    """Inside: SIGTERM (a CI timeout, kill) and SIGHUP (the terminal or SSH session closed) stop a
    command as Ctrl-C does: KeyboardInterrupt, so its temporary files are removed on the way out
    and it says 已中断 (cli.main). A signal the command was started ignoring (nohup: SIGHUP) stays
    ignored. (SIGKILL cannot be caught: the next run removes what it left, and workers die with
    it: die_with_parent.) In the main thread only (where handlers run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = {signum: signal.signal(signum, interrupt) for signum in (signal.SIGTERM, signal.SIGHUP)
              if not ignored(signum)}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


INDEXER_NICENESS = 10  # MkDocs (the longer job) keeps ~90% of a core it has to share


def yield_to_pages() -> None:
    """Lower this process's CPU priority (and its children's: Pagefind inherits it)."""
    try:
        os.nice(INDEXER_NICENESS)
    except (OSError, AttributeError):  # pragma: no cover - not allowed, or not POSIX
        pass


def swap_in(new: Path, target: Path, remove=None) -> None:
    """Put folder `new` at `target` in one step (same file system): readers see the old
    folder or the new one, never none. Linux's renameat2(RENAME_EXCHANGE) swaps the two;
    elsewhere two renames leave a gap of microseconds. The old folder is then deleted, by
    `remove(path)` when given (a build's: in the background). Two processes swapping into one
    target at once (two builds into one folder) each swap whole; the last one's stays."""
    import errno
    import shutil

    remove = remove or (lambda path: shutil.rmtree(path, ignore_errors=True))
    if not target.exists():
        try:
            new.rename(target)
            return
        except OSError as exc:  # another process put one there since
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    if _exchange(new, target):
        remove(new)  # it holds the old folder now
        return
    old = target.with_name(f"{temp_prefix(f'.{target.name}.old-')}old")  # (stale() knows it)
    target.rename(old)
    new.rename(target)
    remove(old)


def _exchange(a: Path, b: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temp_prefix(stem: str) -> str:
    """`<stem><pid>-`: the prefix for tempfile.mkdtemp, naming the process that owns it."""
    return f"{stem}{os.getpid()}-"


def stale(parent: Path, stem: str) -> list[Path]:
    """Folders `<stem><pid>-…` under parent whose process no longer runs."""
    out = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return out
    for path in entries:
        name = path.name
        if not name.startswith(stem) or path.is_symlink() or not path.is_dir():
            continue
        pid = name[len(stem):].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            out.append(path)
    return out


def run_console(main) -> None:
    """The console script: its standard streams made usable (terminal.console_streams), then
    main(), then out (leave)."""
    from .terminal import console_streams

    console_streams()
    leave(main())


def leave(code: int | None) -> None:
    """End the process with `code`. Once a command is done and nothing is left to wait for (no
    other thread, no child process), without taking its heap apart object by object: for a
    1,000-item build that teardown was 0.24 s of 9.5, and as much of a 4 s warm build.
    Otherwise Python's own exit, which joins them."""
    import multiprocessing
    import threading

    if threading.active_count() == 1 and not multiprocessing.active_children():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # (a reader that went away: `casebook check | head`)
                pass
        os._exit(code or 0)
    sys.exit(code)


@contextmanager
def signals_after():
    """Around a native call that calls back into Python (nh3's attribute filter): a Ctrl-C or a
    SIGTERM or SIGHUP that arrived during the call is handed to its usual handler once it returns.
    Raised inside the callback, the KeyboardInterrupt was swallowed by the native code ("Exception
    ignored in …") and the build went on. In the main thread only (where handlers run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    before = {signum: signal.signal(signum, lambda n, frame: came.append(n))
              for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) if not ignored(signum)}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for signum in came[:1]:
            handler = before[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), signum)
