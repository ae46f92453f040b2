"""A cache never changes the output: after any kind of change, a build on a warm cache writes the
same site, byte for byte, as a build from nothing (core/cache_store.py: every key starts from
casebook's code, its templates and the renderers' versions; check_cache.py, render_cache.py and
search_cache.py add each entry's own input). Each case changes one input of a real library, with
its own mkdocs.yml and theme folder, then builds warm (the cache of every earlier step) and cold
(no cache) and compares. Some changes make a valid item invalid (the vocabulary, today's date
against a date rule, the checker's code, a deleted item it names): the build leaves it out, and
a kept check result must not bring it back."""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

from casebook.site.asset_names import pagefind_folder
from conftest import REPO, library_with_site, run_cli


def _library(tmp_path: Path) -> Path:
    return library_with_site(tmp_path)


def _code_copy(tmp_path: Path) -> Path:
    """casebook's package beside its own templates, imported instead of the installed one."""
    top = tmp_path / "code"
    shutil.copytree(REPO / "scripts" / "casebook", top / "scripts" / "casebook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", top / "templates")
    return top


# what the next builds run with: today's date (the checker's date rules read it)
TODAY = {"CASEBOOK_TODAY": "2026-11-29"}


def _build(root: Path, out: Path, cache: Path | None, env: dict | None = None) -> dict:
    """A build of the library's valid items (--keep-going: a change may make an item invalid;
    it is then left out of the site, warm as cold)."""
    more = {"CASEBOOK_CACHE_DIR": str(cache)} if cache else {"CASEBOOK_RENDER_CACHE": "0"}
    result = run_cli("build", "--keep-going", "--root", str(root), "--out", str(out),
                     env={**more, **TODAY, **(env or {})})
    assert result.code in (0, 1) and (out / "casebook-build.json").is_file(), result.err
    built = json.loads((out / "casebook-build.json").read_text(encoding="utf-8"))
    shards = re.search(r"搜索索引 (\d+) 片，其中 (\d+) 片未变", result.err)
    assert shards and int(shards[1]) == built["search_shards"], result.err
    return {**built, "search_shards_reused": int(shards[2]), "code": result.code}


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a site, byte for byte; Pagefind's index by what it holds: its file names
    and index layout change from one indexing to the next, so its fragments (one per record:
    the page's words and metadata) are compared as a set, beside casebook's own file in it."""
    out = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
           and p.name != "sitemap.xml.gz" and "pagefind" not in p.relative_to(site).parts}  # (gzip stamps its time)
    fragments = sorted(gzip.decompress(p.read_bytes()) for p in (site / "pagefind").rglob("*.pf_fragment"))
    out["pagefind fragments"] = b"\0".join(fragments)
    for own in (site / "pagefind").glob("casebook-*.json"):
        out[f"pagefind/{own.name}"] = own.read_bytes()
    return out


def _bundle(site: Path) -> str:
    return pagefind_folder(site).name


def _bundle_held(files: dict[str, bytes]) -> dict[str, bytes]:
    """What the search bundle holds, as _files compares it."""
    return {k: v for k, v in files.items() if k.startswith("pagefind")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_story(root: Path) -> Path:
    return sorted((root / "cases" / "stories").glob("*.md"))[0]


def _change_body(root, code):
    story = _first_story(root)
    story.write_text(story.read_text(encoding="utf-8").rstrip() + "\n\n第二天客户带着锦旗又来致谢。\n", encoding="utf-8")


def _change_meta(root, code):
    story = _first_story(root)
    title = next(line for line in story.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    _edit(story, title, title + "（修订）")


def _new_item(root, code):
    story = _first_story(root)
    text = story.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    (story.parent / "a-new-story-added.md").write_text(text.replace(title, "title: 新增的一个暖心故事"), encoding="utf-8")


def _deleted_item(root, code):
    (root / "cases" / "stories" / "a-new-story-added.md").unlink()


def _vocabulary(root, code):
    path = root / "cases" / "vocabulary.yml"
    text = path.read_text(encoding="utf-8")
    assert "老年客户" in text
    path.write_text(text.replace("老年客户", "老年客户（60 岁以上）"), encoding="utf-8")
    for item in (root / "cases").rglob("*.md"):
        body = item.read_text(encoding="utf-8")
        if "老年客户" in body:
            item.write_text(body.replace("老年客户", "老年客户（60 岁以上）"), encoding="utf-8")
    for outlet in (root / "outlets").glob("*.yml"):
        body = outlet.read_text(encoding="utf-8")
        outlet.write_text(body.replace("老年客户", "老年客户（60 岁以上）"), encoding="utf-8")


def _basis(root, code):
    path = root / "cases" / "basis.yml"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.strip().startswith("title:"))
    _edit(path, title, title.rstrip() + "（修订版）")


def _search_terms(root, code):
    path = root / "cases" / "search-terms.yml"
    _edit(path, "groups:\n", "groups:\n  - terms: [锦旗, 感谢信, 表扬信, 致谢函]\n")  # (a new group, first)


def _related_title(root, code):
    # complaints/queue.md names guides/elderly as related: its page shows the guide's title
    target = root / "cases" / "guides" / "elderly.md"
    assert "guides/elderly" in (root / "cases" / "complaints" / "queue.md").read_text(encoding="utf-8")
    title = next(line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    _edit(target, title, title + "（相关条目改名）")


def _link_added(root, code):
    # a link to a page that does not exist yet (MkDocs leaves it as written)
    story = _first_story(root)
    story.write_text(story.read_text(encoding="utf-8").rstrip() + "\n\n另见[网点服务手册](../handbook.md)。\n",
                     encoding="utf-8")


def _link_target_appears(root, code):
    # the story's text is unchanged; the page it links to now exists (MkDocs rewrites the link)
    (root / "docs" / "handbook.md").write_text("# 网点服务手册\n\n厅堂服务的基本要求。\n", encoding="utf-8")


def _link_target_disappears(root, code):
    (root / "docs" / "handbook.md").unlink()


def _markdown_option(root, code):
    _edit(root / "mkdocs.yml", "permalink: false", "permalink: true")


def _theme_template(root, code):
    _edit(root / "templates" / "site" / "main.html", "{% block site_nav %}",
          "{% block site_nav %}<!-- 主题覆盖模板改过 -->")


def _own_code(root, code):
    _edit(code / "scripts" / "casebook" / "site" / "search.py", '"updated": item.meta.updated.isoformat(),',
          '"updated": item.meta.updated.isoformat() + "（修订）",')


def _package_upgrade(root, code):
    # an upgraded renderer: importlib.metadata finds this one first on PYTHONPATH
    info = code / "scripts" / "nh3-99.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: nh3\nVersion: 99.0\n", encoding="utf-8")


# --- changes that decide whether an item is valid (core/check_cache.py keeps check results) ---

_AGED = "老年客户（60 岁以上）"  # (the value after _vocabulary)


def _vocabulary_invalidates(root, code):
    # guides/elderly names a customer group the vocabulary no longer has: it is left out
    _edit(root / "cases" / "vocabulary.yml", f"value: {_AGED}", "value: 高龄客户")


def _vocabulary_back(root, code):
    _edit(root / "cases" / "vocabulary.yml", "value: 高龄客户", f"value: {_AGED}")


def _resident_id(born: str) -> str:
    """A resident ID number with a valid check digit (GB 11643), born on `born` (YYYYMMDD)."""
    body = "110105" + born + "001"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _id_number_born_tomorrow(root, code):
    # a birth date after today: not an ID number (yet); the story stays valid
    story = root / "cases" / "stories" / "rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n客户留下的号码 {_resident_id('20261201')} 已转交。\n",
                     encoding="utf-8")


def _today_passes_the_date(root, code):
    # the same text is now a customer's ID number (P001): the story is left out
    TODAY["CASEBOOK_TODAY"] = "2026-12-02"


def _checker_code(root, code):
    # casebook's own checker asks more of a story: every story is left out
    _edit(code / "scripts" / "casebook" / "core" / "model.py", 'MIN_BODY_CHARS: dict[str, int] = {"story": 150}',
          'MIN_BODY_CHARS: dict[str, int] = {"story": 5000}')


def _checker_code_back(root, code):
    _edit(code / "scripts" / "casebook" / "core" / "model.py", 'MIN_BODY_CHARS: dict[str, int] = {"story": 5000}',
          'MIN_BODY_CHARS: dict[str, int] = {"story": 150}')


def _referenced_id_deleted(root, code):
    # complaints/queue names guides/elderly as related: deleting the guide makes it invalid (R001)
    assert "guides/elderly" in (root / "cases" / "complaints" / "queue.md").read_text(encoding="utf-8")
    (root / "cases" / "guides" / "elderly.md").unlink()


CHANGES = [_change_body, _change_meta, _new_item, _deleted_item, _vocabulary, _basis, _search_terms, _related_title,
           _link_added, _link_target_appears, _link_target_disappears, _markdown_option, _theme_template, _own_code,
           _package_upgrade, _vocabulary_invalidates, _vocabulary_back, _checker_code, _checker_code_back,
           _id_number_born_tomorrow, _today_passes_the_date, _referenced_id_deleted]
# (each leaves out an item that the step before published)
LEAVES_OUT = {_vocabulary_invalidates: "guides/elderly", _today_passes_the_date: "stories/rest-corner",
              _checker_code: "stories/rest-corner", _referenced_id_deleted: "complaints/queue"}


def test_a_warm_build_equals_a_cold_build_after_every_kind_of_change(tmp_path, monkeypatch):
    monkeypatch.setitem(TODAY, "CASEBOOK_TODAY", "2026-11-29")
    root, code, cache = _library(tmp_path), _code_copy(tmp_path), tmp_path / "cache"
    env = {"PYTHONPATH": str(code / "scripts")}
    _build(root, tmp_path / "site-0", cache, env)
    again = _build(root, tmp_path / "site-0b", cache, env)
    assert again["search_shards_reused"] == again["search_shards"] >= 1  # the cache is used when nothing changed
    assert _files(tmp_path / "site-0") == _files(tmp_path / "site-0b")
    differing = []
    for step, change in enumerate(CHANGES, 1):
        before = _files(tmp_path / f"site-{step - 1}")
        change(root, code)
        warm = _build(root, tmp_path / f"site-{step}", cache, env)
        cold = _build(root, tmp_path / f"cold-{step}", None, env)
        assert (warm["items"], warm["code"]) == (cold["items"], cold["code"])
        built, fresh = _files(tmp_path / f"site-{step}"), _files(tmp_path / f"cold-{step}")
        if change in LEAVES_OUT:  # (a valid item became invalid: its page is gone, warm as cold)
            page = f"{LEAVES_OUT[change]}/index.html"
            assert page in before and page not in built, change.__name__
        differ = sorted(k for k in built.keys() | fresh.keys() if built.get(k) != fresh.get(k))
        if differ:
            differing.append((change.__name__, differ[:5]))
        if change in (_own_code, _package_upgrade):  # (what changed is in every key: nothing old is reused)
            assert warm["search_shards_reused"] == 0, change.__name__
        if change is not _package_upgrade:  # (a renderer's version alone changes no byte of the site)
            assert built != before, f"{change.__name__} changed nothing the site shows"
        if _bundle_held(built) != _bundle_held(before):  # (named before Pagefind runs, from its inputs)
            assert _bundle(tmp_path / f"site-{step}") != _bundle(tmp_path / f"site-{step - 1}"), \
                f"{change.__name__}: a changed search index under its old folder name"
    assert differing == []


def test_a_search_bundle_is_never_taken_from_another_pagefind(tmp_path):
    """PAGEFIND_BINARY_PATH names a Pagefind of the user's own: a bundle pip's binary made is not
    reused for it (the key holds the binary's bytes, not pip's version), and its own bundles are."""
    from pagefind_bin_extended import get_executable

    root, cache = _library(tmp_path), tmp_path / "cache"
    own = tmp_path / "bin" / "pagefind"
    own.parent.mkdir()
    own.write_text(f'#!/bin/sh\nexec "{get_executable()}" "$@"\n', encoding="utf-8")
    own.chmod(0o755)
    pip = _build(root, tmp_path / "pip", cache)
    other = _build(root, tmp_path / "own", cache, {"PAGEFIND_BINARY_PATH": str(own)})
    again = _build(root, tmp_path / "own-again", cache, {"PAGEFIND_BINARY_PATH": str(own)})
    assert pip["search_shards"] >= 1 and other["search_shards_reused"] == 0
    assert again["search_shards_reused"] == again["search_shards"]
    assert _bundle(tmp_path / "own") == _bundle(tmp_path / "own-again") != _bundle(tmp_path / "pip")


def test_the_index_key_names_pip_s_pagefind_by_its_version_and_any_other_by_what_it_is(tmp_path):
    """pip's Pagefind (through a link too): its package's version only, so a bundle's folder name
    is the same on every machine. Any other: what it says its version is and its bytes, so a
    launcher that stays the same across an upgrade, or a binary rebuilt in place, is another key."""
    from importlib.metadata import version

    from casebook.site.search_cache import engine_version
    from pagefind_bin_extended import get_executable

    pip, link = Path(get_executable()), tmp_path / "pip-link"
    link.symlink_to(pip)
    assert engine_version(pip) == engine_version(link) == f"pagefind {version('pagefind-bin-extended')}"

    def program(path: Path, text: str) -> Path:
        path.write_text(f"#!/bin/sh\n{text}\n", encoding="utf-8")
        path.chmod(0o755)
        return path

    launcher = program(tmp_path / "pagefind", f'exec "{tmp_path / "real"}" "$@"')
    program(tmp_path / "real", 'echo "pagefind 1.5.2"')
    before = engine_version(launcher)
    program(tmp_path / "real", 'echo "pagefind 1.6.0"')  # (upgraded behind the same launcher)
    after = engine_version(launcher)
    assert before.startswith("pagefind 1.5.2 sha256:") and after.startswith("pagefind 1.6.0 sha256:")
    rebuilt = engine_version(program(tmp_path / "real", 'echo "pagefind 1.6.0"  # rebuilt'))  # (in place: same version)
    assert rebuilt.startswith("pagefind 1.6.0 sha256:") and rebuilt != after


def test_a_pip_pagefind_whose_binary_is_gone_does_not_stop_another_one(tmp_path, monkeypatch):
    """pip's package installed but its binary missing (get_executable raises): a Pagefind named
    by PAGEFIND_BINARY_PATH is still keyed, by what it says and its bytes."""
    import pagefind_bin_extended

    from casebook.site.search_cache import engine_version

    def gone():
        raise FileNotFoundError("pagefind_extended")

    monkeypatch.setattr(pagefind_bin_extended, "get_executable", gone)
    own = tmp_path / "pagefind"
    own.write_text('#!/bin/sh\necho "pagefind 1.5.2"\n', encoding="utf-8")
    own.chmod(0o755)
    assert engine_version(own).startswith("pagefind 1.5.2 sha256:")
