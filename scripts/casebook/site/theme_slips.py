"""A slip in the library's own theme templates (its `custom_dir`, which editors change too) as one
line that names the file and line, not a bug report: for `casebook build`, the first build of
`casebook serve`, and a preview's later rebuild (MkDocs' rebuild loop prints a traceback for any
exception but its own Abort)."""
from __future__ import annotations

import traceback
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from ..core.errors import Fatal

BUILT_NOTHING = "站点没有构建"
PREVIEW_KEPT = "预览没有更新"


def template_problem(exc: BaseException, root: Path, outcome: str = BUILT_NOTHING) -> str | None:
    """One line for a theme template under `root` that Jinja cannot compile or render: the file,
    the line, what follows (`outcome`) and Jinja's reason. None for anything else, including an
    error in casebook's or Material's own templates: that is a bug, reported as one."""
    if not isinstance(exc, TemplateError):
        return None
    places = [(exc.filename, exc.lineno)] if isinstance(exc, TemplateSyntaxError) and exc.filename else []
    # (Jinja rewrites a rendering error's frames to the template's own file and line)
    places += [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
               if f.filename.endswith((".html", ".xml", ".j2", ".jinja"))]
    base = root.resolve()
    for filename, line in reversed(places):
        path = Path(filename).resolve()
        if path.is_relative_to(base):
            said = f"找不到模板 {exc.name}" if isinstance(exc, TemplateNotFound) else (
                exc.message if isinstance(exc, TemplateSyntaxError) else str(exc))
            said = " ".join(str(said).split())[:300]
            return f"{path.relative_to(base)}:{line}: 主题模板有错误，{outcome}（{said}）"
    return None


class ThemeSlip(Fatal):
    """A template of the library's own that Jinja refuses: one line, exit 1."""


@contextmanager
def templates_told(root: Path):
    """Around a build: a slip in the library's own templates becomes ThemeSlip (template_problem)."""
    try:
        yield
    except TemplateError as exc:
        said = template_problem(exc, root)
        if said is None:
            raise
        raise ThemeSlip(said) from None
