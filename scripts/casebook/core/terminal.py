"""What casebook prints to a terminal or a CI log carries no control sequence from the content.

File names, titles, outlet names and messages come from a pull request. Printed raw, an ESC
sequence could rewrite or hide the lines above it, a carriage return could overwrite a
diagnostic, and a bidi control could reorder what a reviewer reads. Every such character is
shown as `\\uXXXX` instead: readable in a terminal, and the same character again when the text
is JSON (`--format json` stays valid and lossless). Tabs and line ends are kept.
"""
from __future__ import annotations

import io
import re
import sys
from contextlib import contextmanager

# C0 but tab and LF, DEL, C1, the bidi controls and marks, line and paragraph separators
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character shown as `\\uXXXX`."""
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_line(text: str) -> str:
    """`text` as one line: line ends and tabs shown as `\\uXXXX` too (a file name holding a
    newline must not print a second, forged diagnostic line)."""
    return printable(text).replace("\n", "\\u000a").replace("\t", "\\u0009")


class PrintableStream(io.TextIOBase):
    """A text stream that writes through `printable`; everything else is the wrapped stream's."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self):  # type: ignore[override]
        return self._stream.encoding

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def unwrapped(stream):
    """The stream under a PrintableStream: for Rich, whose own colour and cursor sequences must
    reach the terminal (the text handed to it is made printable by its caller)."""
    return stream._stream if isinstance(stream, PrintableStream) else stream


@contextmanager
def printable_output():
    """sys.stdout and sys.stderr write through `printable` while inside (restored after)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if s is None or isinstance(s, PrintableStream) else PrintableStream(s) for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def reader_gone() -> int:
    """The reader of stdout went away (`casebook check | head`): what is still buffered goes
    nowhere instead of failing again at exit, and the exit code is a process's stopped by
    SIGPIPE (141), as for any Unix tool in a pipeline. Nothing is printed: it is not an error."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), unwrapped(sys.stdout).fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 141


def console_streams() -> None:
    """The console script's standard streams, as a command line needs them (called first):
    - one its caller closed (`>&-`, `2>&-`, `<&-`: Python then has None) is /dev/null on that
      same descriptor: printing to it is a no-op instead of an error or a fall-back to stdout,
      and no file casebook opens later takes the descriptor (a child would write into it);
    - text a stream's encoding cannot hold (PYTHONIOENCODING=ascii) is escaped, not an error."""
    import os

    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:
            new = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if new != fd:
                os.dup2(new, fd)
                os.close(new)
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")
