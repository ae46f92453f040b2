"""A slip in the library's own theme templates (its `custom_dir`, which editors change too) as one
line that names the file and line, not a bug report: for `casebook build`, the first build of
`casebook serve`, and a preview's later rebuild (MkDocs' rebuild loop prints a traceback for any
exception but its own Abort)."""
from __future__ import annotations

import os
import traceback
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

from ..core.errors import Fatal
from ..core.terminal import printable_line

BUILT_NOTHING = "站点没有构建"
PREVIEW_KEPT = "预览没有更新"


def template_problem(exc: BaseException, root: Path, theme_dir: str | Path | None,
                     outcome: str = BUILT_NOTHING) -> str | None:
    """One line for a template in the library's own theme folder (`theme_dir`: mkdocs.yml's
    `custom_dir`) that Jinja cannot compile or render: the file (from `root`), the line, what
    follows (`outcome`) and Jinja's reason, as printable text (a file name may hold a line end or
    an escape sequence). None for anything else, including casebook's and Material's own
    templates, wherever they are installed (a .venv inside the library, too): that is a bug,
    reported as one."""
    if not isinstance(exc, TemplateError) or not theme_dir:
        return None
    places = [(exc.filename, exc.lineno)] if isinstance(exc, TemplateSyntaxError) and exc.filename else []
    # (Jinja rewrites a rendering error's frames to the template's own file and line)
    places += [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
               if f.filename.endswith((".html", ".xml", ".j2", ".jinja"))]
    own = Path(theme_dir).resolve()
    for filename, line in reversed(places):
        path = Path(filename).resolve()
        if path.is_relative_to(own):
            said = f"找不到模板 {exc.name}" if isinstance(exc, TemplateNotFound) else (
                exc.message if isinstance(exc, TemplateSyntaxError) else str(exc))
            said = " ".join(str(said).split())[:300]
            return printable_line(f"{os.path.relpath(path, root.resolve())}:{line}: 主题模板有错误，{outcome}（{said}）")
    return None


@contextmanager
def templates_told(root: Path, theme_dir: str | Path | None):
    """Around a build: a slip in the library's own templates becomes one line, exit 1 (Fatal)."""
    try:
        yield
    except TemplateError as exc:
        said = template_problem(exc, root, theme_dir)
        if said is None:
            raise
        raise Fatal(said) from None
