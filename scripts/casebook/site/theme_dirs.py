"""Where the site's templates come from: the library's own overrides (mkdocs.yml `custom_dir`),
then casebook's site templates, then Material's.

A bank starting its own library need not copy casebook's templates/ folder: without it the site
still gets casebook's page layout, stylesheets, scripts and the zh-CN language file (a library
that left out `custom_dir`, or copied mkdocs.yml without templates/, got a Jinja traceback or a
site with eleven stylesheets and scripts missing and no search). A bank that overrides one file
keeps only that file in its own folder.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from ..core.project import TEMPLATES

OWN = TEMPLATES / "site"


def add_own_templates(theme) -> None:
    """Put casebook's site templates just under the library's custom_dir (idempotent)."""
    dirs = theme.dirs
    if any(_same(d, OWN) for d in dirs):
        return
    custom = theme.custom_dir
    at = 1 if custom and dirs and _same(dirs[0], Path(custom)) else 0
    dirs.insert(at, str(OWN))


def language_problem(theme) -> str | None:
    """theme.language that no template folder has a translation for, in one Chinese sentence with
    the nearest valid values; None when it is fine. (Material imports the file by name: a value it
    does not know stops every page with a traceback.)"""
    return language_problem_in(str(theme.get("language") or ""), [Path(d) for d in theme.dirs])


def language_problem_in(language: str, folders: list[Path]) -> str | None:
    known = sorted({p.stem for d in folders for p in Path(d, "partials", "languages").glob("*.html")})
    if not known or language in known:
        return None
    near = [v for v in difflib.get_close_matches(language, known, n=3, cutoff=0.6) if v != "zh-CN"]
    return (f"theme.language 写的是“{language}”，站点主题没有这种语言：简体中文写 zh-CN"
            + (f"（其他接近的值：{'、'.join(near)}）" if near else ""))


def _same(a, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False
