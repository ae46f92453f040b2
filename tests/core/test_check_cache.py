"""A kept check result never changes what the checker says (core/check_cache.py): after each kind
of change, the library loaded on a warm cache equals the library loaded from nothing — every
diagnostic, every item (its model and its document) — and `casebook check` prints the same bytes.
Each change is one input of the key: the file, the vocabulary, basis.yml, bank.yml, today's date, the ids
that exist, casebook's code; and one input outside it, an image a story shows."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import REPO, VALID, run_cli

from casebook.core import check_cache, library
from casebook.core.library import build_library


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "lib"
    shutil.copytree(VALID, root)
    shutil.copy(REPO / "cases" / "basis.yml", root / "cases" / "basis.yml")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CASEBOOK_TODAY", "2026-11-29")
    monkeypatch.delenv("CASEBOOK_RENDER_CACHE", raising=False)
    return root


def _resident_id(born: str) -> str:
    """A resident ID number with a valid check digit (GB 11643), born on `born` (YYYYMMDD)."""
    body = "110105" + born + "001"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _load(root: Path, monkeypatch, cached: bool):
    """The library, and how many item files were checked afresh."""
    checked = []
    real = library.check_item

    def counting(path, job):
        checked.append(path)
        return real(path, job)

    monkeypatch.setattr(library, "check_item", counting)
    monkeypatch.setenv("CASEBOOK_RENDER_CACHE", "1" if cached else "0")
    try:
        return build_library(root.resolve()), len(checked)
    finally:
        monkeypatch.setattr(library, "check_item", real)


def _picture(lib) -> tuple:
    return (lib.diagnostics, list(lib.items.items()), lib.by_type, lib.by_value, lib.backlinks)


def _same_warm_and_cold(root: Path, monkeypatch):
    warm, _ = _load(root, monkeypatch, cached=True)
    cold, _ = _load(root, monkeypatch, cached=False)
    assert _picture(warm) == _picture(cold)
    return warm


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _codes(lib, rel: str) -> set[str]:
    return {d.code for d in lib.diagnostics if d.path == rel}


def test_a_second_load_checks_no_file_again_and_gives_the_same_library(root, monkeypatch):
    first, checked_first = _load(root, monkeypatch, cached=True)
    second, checked_second = _load(root, monkeypatch, cached=True)
    cold, _ = _load(root, monkeypatch, cached=False)
    assert checked_first == len(cold.known_ids) >= 6 and checked_second == 0
    assert _picture(second) == _picture(first) == _picture(cold)
    assert all(item.doc.path == root.resolve() / item.rel for item in second.items.values())


def test_results_kept_by_the_worker_processes_are_used_as_the_checkers_own(root, monkeypatch):
    """A large library is checked on every core, and each worker process writes the entries of the
    files it checked (check_cache.entry_text): the next load checks no file again and gives the
    library a load from nothing gives."""
    monkeypatch.setattr(library, "PARALLEL_FROM", 1)
    monkeypatch.setattr(library.os, "cpu_count", lambda: 2)  # (worker processes on a runner of one core too)
    monkeypatch.setenv("CASEBOOK_RENDER_CACHE", "1")
    first = build_library(root.resolve())
    monkeypatch.setattr(library, "PARALLEL_FROM", 10_000)  # (checked here, where they can be counted)
    second, checked = _load(root, monkeypatch, cached=True)
    cold, _ = _load(root, monkeypatch, cached=False)
    assert checked == 0 and len(second.items) >= 6
    assert _picture(second) == _picture(first) == _picture(cold)


def _body(root, mp, prime):
    story = root / "cases" / "stories" / "rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n第二天客户带着锦旗又来致谢。\n", encoding="utf-8")
    return "stories/rest-corner", lambda lib: "锦旗" in lib.items["stories/rest-corner"].body


def _vocabulary_invalidates(root, mp, prime):
    _edit(root / "cases" / "vocabulary.yml", "老年客户", "高龄客户")
    return "guides/elderly", lambda lib: "guides/elderly" not in lib.items and "F006" in _codes(
        lib, "cases/guides/elderly.md")


def _basis(root, mp, prime):
    assert (root / "cases" / "basis.yml").read_text(encoding="utf-8").count("barrier-free-law") == 1
    _edit(root / "cases" / "guides" / "elderly.md", "updated: 2026-11-20", "updated: 2026-11-20\nbasis: [barrier-free-law]")
    prime()
    _edit(root / "cases" / "basis.yml", "barrier-free-law:", "barrier-free-law-2012:")
    return "guides/elderly", lambda lib: "B001" in _codes(lib, "cases/guides/elderly.md")


def _date_crossing(root, mp, prime):
    # valid today (a birth date in the future is no ID number); an ID number once that day is past
    story = root / "cases" / "stories" / "rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n客户留下的号码 {_resident_id('20261201')} 已转交。\n",
                     encoding="utf-8")
    prime()
    mp.setenv("CASEBOOK_TODAY", "2026-12-02")
    return "stories/rest-corner", lambda lib: "stories/rest-corner" not in lib.items and "P001" in _codes(
        lib, "cases/stories/rest-corner.md")


def _reference_deleted(root, mp, prime):
    assert "guides/elderly" in (root / "cases" / "complaints" / "queue.md").read_text(encoding="utf-8")
    (root / "cases" / "guides" / "elderly.md").unlink()
    return "complaints/queue", lambda lib: "R001" in _codes(lib, "cases/complaints/queue.md")


def _bank(root, mp, prime):
    # an item citing a bank parameter (【bank.KEY】 is filled in when the file is checked): the kept
    # result must follow bank.yml, or the site and the packs print last year's deadline
    shutil.copy(REPO / "cases" / "bank.yml", root / "cases" / "bank.yml")
    story = root / "cases" / "stories" / "rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n大堂经理在【bank.report_minutes.major】分钟内报告网点负责人。\n",
                     encoding="utf-8")
    prime()
    _edit(root / "cases" / "bank.yml", "  major: 10 ", "  major: 13 ")
    return "stories/rest-corner", lambda lib: "在13分钟内报告" in lib.items["stories/rest-corner"].doc.body

def _image_removed(root, mp, prime):
    (root / "cases" / "media" / "rest-corner.png").unlink()
    return "stories/rest-corner", lambda lib: "R002" in _codes(lib, "cases/stories/rest-corner.md")


def _code(root, mp, prime):
    # casebook's code changes what it says (a longer minimum for a story) and so its digest
    from casebook.core import cache_store, validate

    mp.setitem(validate.MIN_BODY_CHARS, "story", 5000)
    mp.setattr(check_cache, "code_digest", lambda: cache_store.code_digest() + "+edited")
    return "stories/rest-corner", lambda lib: "S003" in _codes(lib, "cases/stories/rest-corner.md")


@pytest.mark.parametrize("change", [_body, _vocabulary_invalidates, _basis, _bank, _date_crossing, _reference_deleted,
                                    _image_removed, _code])
def test_a_warm_load_equals_a_cold_load_after_each_kind_of_change(root, monkeypatch, change):
    before, _ = _load(root, monkeypatch, cached=True)  # primes the cache
    # (a change in two steps primes the cache in between: prime)
    item, changed = change(root, monkeypatch, lambda: _load(root, monkeypatch, cached=True))
    after = _same_warm_and_cold(root, monkeypatch)
    assert changed(after) and not changed(before), change.__name__
    if change in (_vocabulary_invalidates, _date_crossing, _reference_deleted, _image_removed, _code):
        assert item in before.items and item not in after.items  # (a valid item became invalid)


def test_back_after_a_change_the_kept_result_of_before_is_used_again(root, monkeypatch):
    vocabulary = root / "cases" / "vocabulary.yml"
    original = vocabulary.read_text(encoding="utf-8")
    _load(root, monkeypatch, cached=True)
    _edit(vocabulary, "老年客户", "高龄客户")
    invalid = _same_warm_and_cold(root, monkeypatch)
    assert "guides/elderly" not in invalid.items
    vocabulary.write_text(original, encoding="utf-8")  # and back: valid again
    again = _same_warm_and_cold(root, monkeypatch)
    assert "guides/elderly" in again.items


def _entries(tmp_path: Path) -> Path:
    files = list((tmp_path / "cache" / "casebook" / "check").glob("*.sqlite3"))
    assert len(files) == 1
    return files[0]


@pytest.mark.parametrize("damage", ["not json", "[]", '{"rel": 1}', "wrong rel", "an error on a valid item",
                                    "a key path no file has", "an unknown code", "not sqlite"])
def test_a_damaged_or_tampered_entry_is_ignored(root, monkeypatch, tmp_path, damage):
    cold, _ = _load(root, monkeypatch, cached=False)
    _load(root, monkeypatch, cached=True)
    store = _entries(tmp_path)
    if damage == "not sqlite":
        store.write_bytes(b"this is no database")
    else:
        db = sqlite3.connect(store)
        for key, text in db.execute("select key, entry from results").fetchall():
            entry = json.loads(text)
            if damage == "wrong rel":
                entry["rel"] = "cases/guides/other.md"
            elif damage == "an error on a valid item" and entry["item"]:
                entry["diagnostics"].append([entry["rel"], 1, 1, "error", "F001", "假的"])
            elif damage == "a key path no file has" and entry["item"]:
                entry["item"]["doc"]["value_pos"].append([["x"], "1", 1])
            elif damage == "an unknown code":
                entry["diagnostics"].append([entry["rel"], 1, 1, "warning", "Z999", "假的"])
            new = damage if damage in ("not json", "[]", '{"rel": 1}') else json.dumps(entry, ensure_ascii=False)
            db.execute("update results set entry = ? where key = ?", (new, key))
        db.commit()
        db.close()
    warm, checked = _load(root, monkeypatch, cached=True)
    assert _picture(warm) == _picture(cold)
    if damage != "an error on a valid item":  # (that one touches valid items only)
        assert checked == len(cold.known_ids)  # every entry refused, every file checked afresh


def test_casebook_check_prints_the_same_bytes_from_the_cache(root, tmp_path):
    """`casebook check` on a warm cache, after a neighbour of a valid item changed (the item it
    names is deleted), prints exactly what a run without the cache prints."""
    env = {"CASEBOOK_CACHE_DIR": str(tmp_path / "cache")}
    for fmt in ("text", "json"):
        assert run_cli("check", "--root", str(root), "--format", fmt, env=env).code == 0
    (root / "cases" / "guides" / "elderly.md").unlink()
    for fmt in ("text", "json"):
        warm = run_cli("check", "--root", str(root), "--format", fmt, env=env)
        cold = run_cli("check", "--root", str(root), "--format", fmt, env={"CASEBOOK_RENDER_CACHE": "0"})
        assert warm.code == cold.code == 1
        assert (warm.out, warm.err) == (cold.out, cold.err) and "R001" in warm.out + warm.err
    assert len(list((tmp_path / "cache" / "casebook" / "check").glob("*.sqlite3"))) == 1  # (it was used)
