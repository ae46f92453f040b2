"""`casebook build` and `casebook serve`: run MkDocs (and Pagefind, in the hook) for a library.

A build checks first and refuses on any error, builds into a temporary folder next to the
output, checks that items = item pages = search records, and only then swaps the new folder in
whole: a build that fails half-way leaves the previous site untouched.
"""
from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..core.errors import Fatal
from ..core.library import Library
from ..core.project import PROJECT
from ..core.paths import out_dir_problem
from ..core.proc import stale, swap_in, temp_prefix
from .config_file import layout_problems
from .pagekit import View
from .search import start_index
from .theme_slips import templates_told


class BuildError(Fatal):
    """A build that cannot be made (the library's errors, its mkdocs.yml): one line, exit 1."""


def _config(root: Path, site_dir: Path | None, public: bool, library: Library | None = None,
            keep_going: bool = False, index_job=None):
    """MkDocs' config for a library, and casebook's plugin in it told what to build."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ["NO_MKDOCS_2_WARNING"] = "1"  # (MkDocs' own banner about its future, not ours to print)
    config_file = root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else PROJECT / "mkdocs.yml"
    docs = root / "docs" if (root / "docs").is_dir() else PROJECT / "docs"
    problems = layout_problems(config_file, root, docs) if config_file.parent == root else []
    if problems:
        raise BuildError("\ncasebook: ".join(problems))
    options = {"docs_dir": str(docs)}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    try:
        config = load_config(config_file=str(config_file), **options)
    except ConfigurationError as exc:  # the library's own mkdocs.yml: its mistake, not ours
        raise BuildError(_config_problem(config_file, exc)) from None
    except Abort:  # (MkDocs has named the value it refused, in its words, on the line above)
        raise BuildError(f"{config_file}: {config_file.name} 有错误，站点没有构建（MkDocs 不接受其中的设置，见上一行）") from None
    plugin = config.plugins.get("casebook")
    if plugin is None:
        raise BuildError(f"{config_file.name} 的 plugins 里没有 casebook：在 plugins 下加一行 `- casebook`")
    plugin.run.root, plugin.run.public, plugin.run.library, plugin.run.report = root, public, library, None
    plugin.run.keep_going, plugin.run.index_job = keep_going, index_job
    plugin.preview = None  # (a build; `serve` makes its preview in on_startup)
    return config


def _config_problem(config_file: Path, exc: Exception) -> str:
    """One line for mkdocs.yml that MkDocs cannot read: where, when YAML says so, and what."""
    cause = exc.__cause__ or exc.__context__
    mark = getattr(cause, "problem_mark", None)
    where = f"{config_file}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(config_file)
    said = getattr(cause, "problem", None) or " ".join(str(exc).split())
    return f"{where}: {config_file.name} 有错误，站点没有构建（{said}）"


def build_site(root: Path, out: Path, public: bool = False, keep_going: bool = False) -> dict:
    """Check, build into a temporary folder, swap it in whole. With keep_going (a pull request's
    preview), a library with errors is built all the same from its valid items; the manifest
    says how many errors there were."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    lib = Library.load(root, use_cache=False)
    errors, withheld = len(lib.errors), list(lib.withheld)
    if errors:
        for d in lib.diagnostics:
            print(d.format_text(), file=sys.stderr)
        if not keep_going:
            raise BuildError(f"案例库有 {errors} 个错误，未构建（先运行 casebook check 修正）")
    out = out.resolve()
    problem = out_dir_problem(root, out, replaced=True)
    if problem:
        raise BuildError(problem)
    out.parent.mkdir(parents=True, exist_ok=True)
    for leftover in stale(out.parent, f".{out.name}.building-") + stale(out.parent, f".{out.name}.old-"):
        _remove_later(leftover)  # left by a build that was killed
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(f".{out.name}.building-"), dir=out.parent))
    # The library lives for the whole build: move it out of the collector's reach (full
    # collections would re-scan every item again and again while MkDocs renders).
    gc.freeze()
    # MkDocs makes garbage with cycles for every page (a Markdown instance, Jinja contexts): fewer,
    # larger young-generation collections and no full one cost a third less time (0.35 → 0.25 s
    # at 1,000 items) for the same peak memory
    thresholds = gc.get_threshold()
    gc.set_threshold(5000, 50, 1000)
    job = None
    try:
        # The search index needs the library alone: started now, it is made on the core that MkDocs'
        # reading of its config, theme and docs/ leaves idle (the index, not the pages, is a cold
        # build's longer path). The plugin takes it over; a build that stops first cancels it.
        job = start_index(View(lib, public))
        total = len(lib.items)
        config = _config(root, tmp, public, lib, keep_going, job)
        try:
            with templates_told(root, config["theme"].custom_dir):
                build(config)
        except Abort as exc:  # MkDocs has logged what stopped it (a docs page's macro, a theme file)
            raise BuildError(f"站点没有构建（{exc}）：原因见上面的消息") from None
        del lib
        manifest = dict(config.plugins["casebook"].run.report or {})
        # (told to the person building, never written into a public site)
        manifest["internal_left_out"] = total - manifest["items"]
        manifest["errors"] = errors
        manifest["withheld"] = withheld  # (valid files a broken cases/bank.yml keeps out: told by name)
        if not manifest["items"] == manifest["item_pages"] == manifest["records"]:
            raise BuildError(f"条目、页面和搜索记录数不一致：{manifest}")
        tmp.chmod(0o755)  # (mkdtemp makes it 0700: a web server running as another user could not read it)
        swap_in(tmp, out, _remove_later)  # the new site appears whole, or not at all
        return manifest
    except BaseException:
        try:
            if job is not None:
                job.cancel()  # (nothing left to do for one the plugin has finished)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _remove_later(path: Path) -> None:
    """Delete the previous site without making the user wait (thousands of small files)."""
    if shutil.which("rm") and os.name == "posix":
        import subprocess

        subprocess.Popen(["rm", "-rf", "--", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def serve_site(root: Path, address: str = "127.0.0.1:8000", public: bool = False) -> None:
    from mkdocs.commands.serve import serve

    config = _config(root, None, public)  # (MkDocs keeps this plugin object for every rebuild)
    with templates_told(root, config["theme"].custom_dir):  # (the first build's: MkDocs' own loop reports a later rebuild's)
        serve(config_file=config["config_file_path"], dev_addr=address, livereload=True, build_type="dirty",
              docs_dir=config["docs_dir"])
