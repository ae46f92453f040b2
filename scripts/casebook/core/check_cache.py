"""Each item file's check result, kept across runs: the diagnostics and the valid item (the
largest cost of a warm site build was validating every item again: ~2.5 s of CPU at 1,000).

What `library.check_item(path, job)` makes of a file depends on the file and on the job only;
the key holds both, by construction:

- the job, walked whole (`job_digest`): every field of every dataclass and pydantic model in it
  (the vocabulary, the basis registry, the phrase rules, the bank, today's date, the set of known
  ids, the root), compiled patterns by their source and flags; a value of any other type turns
  the cache off for the run rather than being guessed at. Then `code_digest()`: casebook's
  source, the installed readers' versions, Python's.
- the file: its path from the root, and its bytes (a symbolic link: where it points; it is
  never read).

One input lies outside both: whether each image a story shows exists under cases/media/. The
entry lists them with the answer; a hit is used only when every answer is still the same.

Nothing is kept from a run in which a phrase rule ran out of time (C003: the answer then
depends on the machine's load, and later files were searched without the rule).

Entries are JSON in the store of core/cache_store.py (nothing unpickled or run), and are
checked on read like any file: a damaged or tampered entry is a miss, never trusted. A kept
item is made again the way the checker made it: its document as read, then its model from
`validate.model_input` — the same code on the same input.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
from enum import Enum
from pathlib import Path, PurePath

import regex
from pydantic import BaseModel

from .cache_store import JsonStore, code_digest
from .diagnostics import CODES, Diagnostic, Severity
from .load import MAX_FILE_BYTES, Document, relpath
from .model import ITEM_MODELS
from .references import _media_path
from .validate import Item, item_id, model_input
from .wrong_advice import PHRASES_FILE

Result = tuple["Item | None", list[Diagnostic]]


# --- the key --------------------------------------------------------------------------------

class Unkeyable(TypeError):
    """A value the key cannot picture exactly: no cache this run."""


def _picture(value):
    """A JSON-able picture of a value that differs whenever the value does."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Enum):
        return ["enum", type(value).__qualname__, _picture(value.value)]
    if isinstance(value, dt.date):  # (a datetime too: its isoformat has the time)
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, PurePath):
        return ["path", str(value)]
    if isinstance(value, (re.Pattern, regex.Pattern)):
        return ["pattern", type(value).__module__, value.pattern, value.flags]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ["dataclass", type(value).__qualname__,
                [[f.name, _picture(getattr(value, f.name))] for f in dataclasses.fields(value)]]
    if isinstance(value, BaseModel):
        return ["model", type(value).__qualname__,
                [[name, _picture(getattr(value, name))] for name in type(value).model_fields],
                _picture(value.model_extra)]
    if isinstance(value, dict):  # (in order: an order may decide which suggestion comes first)
        return ["map", [[_picture(k), _picture(v)] for k, v in value.items()]]
    if isinstance(value, (list, tuple)):
        return ["seq", [_picture(v) for v in value]]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(_picture(v), ensure_ascii=False) for v in value)]
    raise Unkeyable(type(value).__qualname__)


def job_digest(job) -> str | None:
    """casebook's code and everything the job hands every file's check; None if unkeyable."""
    try:
        text = json.dumps(_picture(job), ensure_ascii=False)
    except (Unkeyable, RecursionError, ValueError):
        return None
    return hashlib.sha256(f"{code_digest()}\0{text}".encode()).hexdigest()


def file_key(setting: str, path: Path, root: Path) -> tuple[str, bytes | str] | None:
    """A file's key under the job's digest, and what it was made from (to compare after the
    check: a file edited meanwhile is not kept); None for a file the cache leaves alone."""
    try:
        st = os.lstat(path)
        if os.path.islink(path):
            content: bytes | str = "link:" + os.readlink(path)
        elif not os.path.isfile(path) or st.st_size > MAX_FILE_BYTES:
            return None
        else:
            content = Path(path).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(f"{setting}\0{relpath(path, root)}\0".encode())
    digest.update(content.encode() if isinstance(content, str) else b"\1" + content)
    return digest.hexdigest(), content


def timed_out(results) -> bool:
    """Whether a phrase rule was given up on time in these results (C003 at the phrase list):
    none of them is kept then."""
    return any(d.code == "C003" and d.path == PHRASES_FILE for _, found, *_ in results for d in found)


def images_found(root: Path, images: list[str]) -> list[list]:
    """Each image a story shows, and whether it is a file under cases/media/ (what
    references.reference_problems asks the file system)."""
    out = []
    for src in images:
        target = _media_path(root, src)
        out.append([src, target is not None and target.is_file()])
    return out


# --- an entry -------------------------------------------------------------------------------

# (a kept value says its type: the front matter holds dates, numbers and keys of any scalar type)
def _enc(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value) is dt.date:
        return {"d": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return {"l" if isinstance(value, list) else "t": [_enc(v) for v in value]}
    if isinstance(value, dict):
        return {"m": [[_enc(k), _enc(v)] for k, v in value.items()]}
    raise Unkeyable(type(value).__qualname__)


def _dec(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    (tag, inner), = value.items()  # (anything else: a damaged entry)
    if tag == "d":
        return dt.date.fromisoformat(inner)
    if tag == "l":
        return [_dec(v) for v in inner]
    if tag == "t":
        return tuple(_dec(v) for v in inner)
    if tag == "m":
        return {_dec(k): _dec(v) for k, v in inner}
    raise ValueError(tag)


_DOC_FIELDS = ("path", "rel", "data", "body", "body_line", "value_pos", "key_pos", "start_pos", "problems",
               "bank_keys")


def _positions(positions: dict) -> list:
    """{key path: (line, col)} as [[path…], line, col] (a key path holds JSON's own scalars)."""
    out = []
    for path, (line, col) in positions.items():
        if not all(k is None or isinstance(k, (bool, int, float, str)) for k in path):
            raise Unkeyable("key path")
        out.append([list(path), line, col])
    return out


def _unpositions(raw) -> dict:
    out = {}
    for path, line, col in raw:
        if type(line) is not int or type(col) is not int or not isinstance(path, list):
            raise ValueError("position")
        out[tuple(path)] = (line, col)
    return out


def _diag(d: Diagnostic) -> list:
    return [d.path, d.line, d.col, d.severity.value, d.code, d.message]


def _undiag(raw) -> Diagnostic:
    path, line, col, severity, code, message = raw
    if not (isinstance(path, str) and isinstance(message, str) and code in CODES and type(line) is int
            and type(col) is int and line >= 1 and col >= 1):
        raise ValueError("diagnostic")
    return Diagnostic(path, line, col, Severity(severity), code, message)


def encode(result: Result, rel: str, images: list[list]) -> dict:
    item, found = result
    entry: dict = {"rel": rel, "diagnostics": [_diag(d) for d in found], "images": images, "item": None}
    if item is not None:
        doc = item.doc
        if tuple(f.name for f in dataclasses.fields(doc)) != _DOC_FIELDS or item.body != doc.body:
            raise Unkeyable("Document")  # (a new field this module does not keep: keep nothing)
        entry["item"] = {"id": item.id, "type": item.type, "doc": {
            "rel": doc.rel, "data": _enc(doc.data), "body": doc.body, "body_line": doc.body_line,
            "value_pos": _positions(doc.value_pos), "key_pos": _positions(doc.key_pos), "start_pos": list(doc.start_pos),
            "problems": [_diag(d) for d in doc.problems], "bank_keys": _enc(doc.bank_keys)}}
    return entry


def decode(entry, path: Path, root: Path, kind: str | None, vocabulary) -> Result:
    """The result an entry holds, checked as any input is; raises on anything amiss."""
    rel = relpath(path, root)
    if entry["rel"] != rel:
        raise ValueError("rel")
    found = [_undiag(d) for d in entry["diagnostics"]]
    raw = entry["item"]
    if raw is None:
        return None, found
    if kind is None or raw["type"] != kind or raw["id"] != item_id(rel) or any(
            d.severity is Severity.ERROR for d in found):
        raise ValueError("item")  # (a valid item has no errors, and its id is its path)
    d = raw["doc"]
    doc = Document(path=path, rel=rel, data=_dec(d["data"]), body=d["body"], body_line=d["body_line"],
                   value_pos=_unpositions(d["value_pos"]), key_pos=_unpositions(d["key_pos"]),
                   start_pos=_unpositions([[[], *d["start_pos"]]])[()],
                   problems=[_undiag(p) for p in d["problems"]], bank_keys=_dec(d["bank_keys"]))
    if doc.rel != rel or not isinstance(doc.data, dict) or not isinstance(doc.body, str) \
            or type(doc.body_line) is not int or not isinstance(doc.bank_keys, tuple):
        raise ValueError("doc")
    data, _ = model_input(doc, kind, vocabulary)
    meta = ITEM_MODELS[kind].model_validate(data)
    return Item(item_id(rel), kind, meta, doc.body, doc), found


# --- the store ------------------------------------------------------------------------------

class CheckCache(JsonStore):
    """Check results of one library's item files by key: {rel, diagnostics, images, item}."""

    FOLDER, SUFFIX, TABLE = "check", ".sqlite3", "results"

    setting = ""
    root = Path()

    @classmethod
    def for_job(cls, job) -> "CheckCache | None":
        setting = job_digest(job)
        if setting is None:
            return None
        store = cls.open(job.root, False)
        if store is not None:
            store.setting, store.root = setting, job.root
        return store

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, dict) and isinstance(entry.get("diagnostics"), list) \
            and isinstance(entry.get("images"), list)

    def lookup(self, path: Path, kind: str | None, vocabulary) -> tuple[tuple | None, Result | None]:
        """(the file's key and content, or None: not cacheable), and the kept result or None."""
        keyed = file_key(self.setting, path, self.root)
        if keyed is None:
            return None, None
        entry = self.get(keyed[0])
        if entry is None:
            return keyed, None
        try:
            if images_found(self.root, [src for src, _ in entry["images"]]) != entry["images"]:
                self.hits, self.misses = self.hits - 1, self.misses + 1
                return keyed, None
            return keyed, decode(entry, path, self.root, kind, vocabulary)
        except Exception:  # (whatever a damaged entry makes the decoder or the model raise)
            self.hits, self.misses = self.hits - 1, self.misses + 1
            return keyed, None

    def keep(self, keyed: tuple, entry: tuple[str, str] | None) -> None:
        """Keep a fresh result's entry (entry_text), unless the file changed while it was checked:
        its key before the check (`keyed`, from lookup) and after it differ."""
        if entry is not None and entry[0] == keyed[0]:
            self.put_text(entry[0], entry[1])


def entry_text(setting: str, root: Path, path: Path, result: Result, images: list[str]) -> tuple[str, str] | None:
    """A fresh result as CheckCache.keep stores it: (the file's key read again after its check,
    the entry as JSON text); None when it cannot be kept."""
    again = file_key(setting, path, root)
    if again is None:
        return None
    try:
        entry = encode(result, relpath(path, root), images_found(root, images))
    except Unkeyable:
        return None
    return again[0], json.dumps(entry, ensure_ascii=False)
