"""The search index job's folders: the small record pages Pagefind reads go to memory (/dev/shm)
when it has room, else beside the bundle; none is left behind by a finished, a failed or a
killed job (site/index_job.py)."""
from __future__ import annotations

import multiprocessing
import os
import time

from casebook.site import index_job
from casebook.site.pagekit import View
from conftest import run_cli


def test_record_pages_go_to_memory_when_it_has_room_else_beside_the_bundle(tmp_path, monkeypatch):
    shm, workdir = tmp_path / "shm", tmp_path / "job"
    shm.mkdir()
    workdir.mkdir()
    monkeypatch.setattr(index_job, "SHARED_MEMORY", shm)
    folder = index_job.record_pages_folder(workdir, 1_000)
    assert folder.parent == shm and folder.name.startswith(f"{index_job.RECORD_PAGES}{os.getpid()}-")
    free = os.statvfs(shm)
    too_many = free.f_bavail * free.f_frsize // index_job.RECORD_PAGE_ROOM + 1
    assert index_job.record_pages_folder(workdir, too_many) == workdir  # (no room for them with the margin)
    monkeypatch.setattr(index_job, "SHARED_MEMORY", tmp_path / "none")
    assert index_job.record_pages_folder(workdir, 1_000) == workdir  # (no /dev/shm at all)


def test_a_killed_job_leaves_no_record_pages_in_memory(tmp_path, monkeypatch, valid_tree):
    """A job killed while it writes its pages (a build cancelled: Ctrl-C, a preview's next edit)
    cleans up nothing itself; cancelling it removes its folder, and only folders of dead jobs."""
    from casebook.core.library import Library
    from casebook.site import search

    shm = tmp_path / "shm"
    shm.mkdir()
    monkeypatch.setattr(index_job, "SHARED_MEMORY", shm)
    running = shm / f"{index_job.RECORD_PAGES}{os.getpid()}-alive"  # (a job of a process still running)
    running.mkdir()
    def slow_records(*args, **kwargs):  # (the job is killed while it makes its records)
        time.sleep(30)
        yield from ()

    monkeypatch.setattr(search, "records", slow_records)
    view = View(Library.load(valid_tree, use_cache=False), False, None)
    job = search.start_index(view)
    deadline = time.time() + 20
    while not list(shm.glob(f"{index_job.RECORD_PAGES}{job.process.pid}-*")):
        assert job.process.is_alive() and time.time() < deadline, "the job made no folder for its pages"
        time.sleep(0.05)
    job.cancel()
    assert not job.process.is_alive() and multiprocessing.active_children() == []
    assert sorted(p.name for p in shm.iterdir()) == [running.name]


def test_a_build_leaves_nothing_in_memory(valid_tree, tmp_path):
    before = set(index_job.left_record_pages())
    result = run_cli("build", "--root", str(valid_tree), "--out", str(tmp_path / "site"))
    assert result.code == 0, result.err
    assert set(index_job.left_record_pages()) <= before


def test_a_build_whose_mkdocs_yml_is_refused_leaves_no_index_job(valid_tree_with_docs, tmp_path):
    """`casebook build` starts the search index once the library is checked, before MkDocs reads
    mkdocs.yml: a build stopped by it cancels the job, whose folder and pages go with it."""
    from conftest import REPO

    temp = tmp_path / "tmp"
    temp.mkdir()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (valid_tree_with_docs / "mkdocs.yml").write_text(text.replace("site_name: 网点服务案例库", "site_name: [网点"),
                                                     encoding="utf-8")
    before = set(index_job.left_record_pages())
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "site"),
                     env={"TMPDIR": str(temp)})
    assert result.code == 1 and "mkdocs.yml" in result.err and "Traceback" not in result.err, result.err
    assert not list(temp.iterdir()), "the index job's folder is left behind"
    assert set(index_job.left_record_pages()) <= before
    assert not (tmp_path / "site").exists()


def test_a_first_build_writes_each_record_once(valid_tree, tmp_path, monkeypatch):
    """With no bundle in the cache (a library's first build) every shard is indexed: each record is
    made and written once. With the bundles kept, a record is made again only for a shard that
    Pagefind must index: none, when nothing changed."""
    from casebook.core.library import build_library
    from casebook.site import search

    made = tmp_path / "made.txt"
    real = search.record_html

    def counting(record):
        with made.open("a", encoding="utf-8") as f:  # (in the job's process: what it made, in a file)
            f.write(record.url + "\n")
        return real(record)

    monkeypatch.setattr(search, "record_html", counting)
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    lib = build_library(valid_tree.resolve())

    def indexed(n: int) -> list[str]:
        made.write_text("", encoding="utf-8")
        (tmp_path / str(n)).mkdir()
        assert search.start_index(View(lib)).finish(tmp_path / str(n)) == len(lib.items)
        return sorted(made.read_text(encoding="utf-8").split())

    every = sorted(f"{item_id}/" for item_id in lib.items)
    assert indexed(1) == every  # (not twice)
    assert indexed(2) == every  # (once, for the shards' keys: every shard comes from the cache)
