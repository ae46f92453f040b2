"""Jinja's compiled theme templates, kept between builds and between the rebuilds of a preview.

MkDocs makes a new Jinja environment for every build and compiles the thirty-odd templates of
Material and casebook's overrides again: 0.15-0.6 s a build, whatever the library's size. Jinja
asks a bytecode cache first; this one answers from memory (a preview's next rebuild) and from
the build cache folder (the next build).

An entry holds the checksum of the template's source it was compiled from (Jinja's own,
`bucket.checksum`) and the code: a template whose source changed compiles afresh. The folder is
named by everything else the code depends on: casebook's code and the installed renderers'
versions (cache_store.code_digest(), which includes Python's), Jinja's version and every option
of the environment that changes what the compiler writes. Entries are Python code, like Python's
own __pycache__: the cache folder is as trusted as the virtual environment (SECURITY.md). Jinja's
own file format unpickles its checksum; this one reads the checksum as text and nothing but the
code is unmarshalled.
"""
from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

import jinja2
from jinja2 import BytecodeCache

from ..core.cache_store import cache_root, code_digest

MAGIC = b"casebook-jinja-1\n"


def _name(value) -> str:
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def environment_digest(env: jinja2.Environment) -> str:
    """What compiled code depends on besides its template's source."""
    options = [jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
               env.variable_end_string, env.comment_start_string, env.comment_end_string,
               env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
               env.newline_sequence, env.keep_trailing_newline, env.optimized, env.is_async,
               sorted(env.extensions), _name(env.autoescape), _name(env.finalize), _name(env.undefined),
               _name(type(env)), _name(env.code_generator_class), _name(env.context_class)]
    return hashlib.sha256(f"{code_digest()}\0{options!r}".encode()).hexdigest()[:32]


class TemplateCode(BytecodeCache):
    """Compiled templates in memory, and in the cache folder when there is one (`use_folder`)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self.folder: Path | None = None

    def use_folder(self, env: jinja2.Environment) -> None:
        base = cache_root()
        self.folder = base / "templates" / environment_digest(env) if base is not None else None

    def _file(self, key: str) -> Path | None:
        return self.folder / f"{key}.jbc" if self.folder is not None else None

    def load_bytecode(self, bucket) -> None:
        data = self.code.get(bucket.key)
        if data is None and (path := self._file(bucket.key)) is not None:
            try:
                data = path.read_bytes()
            except OSError:
                return
        if data is None or not data.startswith(MAGIC):
            return
        checksum, _, body = data[len(MAGIC):].partition(b"\n")
        if checksum.decode("ascii", "replace") != bucket.checksum:
            return  # (compiled from another version of the template's source)
        try:
            bucket.code = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return
        self.code[bucket.key] = data

    def dump_bytecode(self, bucket) -> None:
        data = MAGIC + bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code)
        self.code[bucket.key] = data
        if (path := self._file(bucket.key)) is None:
            return
        try:  # whole or not at all (a killed build leaves no half entry); a full disk costs speed only
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError:
            pass

    def clear(self) -> None:
        self.code.clear()
