"""Which file names under docs/ may become pages: the same rule for the checker and the site.

A name reaches places that no escaping covers well: the page's URL, a title MkDocs makes from
the name when a page has none (and a template engine may render a title), terminals and CI logs
that print paths. So a docs/ file is published only with a plain name — lower-case ASCII
letters, digits and hyphens, in folders named alike — and never one Windows reserves (a clone
on a Windows machine cannot hold `con.md`).

Nor at an address casebook writes itself: `docs/complaints.md` is published at complaints/, the
list of complaints, and MkDocs writes both pages there, the list last (the hand-written page
was lost without a word); `docs/stories/x.md` would stand among the stories as one, though it
was never checked as a story.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .model import FOLDERS

SAFE_PART = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SUFFIXES = (".md", ".png", ".jpg", ".jpeg", ".webp")
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})


# the first part of every address the site writes beside docs/: the items' folders, the site's own
# pages (site/pages.py, search_page.py, basket.py), its assets, search index and forms, and the
# stories' photos (media/, from cases/media/) (a test keeps this equal to what a build writes)
GENERATED = frozenset({*FOLDERS, "facets", "basis", "basket", "coverage", "deploy", "programme", "search",
                       "assets", "pagefind", "admin", "contribute", "media"})


def _safe_stem(stem: str) -> str:
    """A file name's stem as a name the rule below takes (for a suggestion)."""
    stem = stem.lower() if SAFE_PART.fullmatch(stem.lower()) else "page"
    return f"{stem}-page" if stem in WINDOWS_RESERVED else \
        f"{stem}-notes" if stem in GENERATED else stem


def name_problem(rel: str) -> str | None:
    """Why a path under docs/ (e.g. "guide/how-to.md") cannot be published, or None."""
    path = PurePosixPath(rel)
    if path.suffix.lower() not in SUFFIXES or path.suffix != path.suffix.lower():
        stem = _safe_stem(path.stem)
        return (f"docs/ 里只发布 .md 页面和 .png/.jpg/.jpeg/.webp 图片（扩展名小写）：页面改成 {stem}.md，"
                f"图片改成 {stem}.png 这样的名字；别的文件不放在 docs/ 里")
    for part in [*path.parent.parts, path.stem]:
        if not SAFE_PART.fullmatch(part):
            return (f"文件名或文件夹名“{part[:40]}”只能用小写英文字母、数字和连字符（如 how-to-contribute），"
                    "不能有空格、中文、花括号、尖括号等字符")
        if part.split(".")[0] in WINDOWS_RESERVED:
            return f"“{part}”是 Windows 保留的文件名，换一个名字（如 {part}-page）"
    # (a page x.md is published at x/; an image x.png at x.png, beside the site's folders)
    first = path.parts[0] if len(path.parts) > 1 else path.stem if path.suffix == ".md" else None
    if first in GENERATED:
        return (f"“{first}”是案例库自己生成的页面的地址（{first}/），docs/ 里的文件放在这里会被生成的页面覆盖，"
                f"或被当成案例库的条目；换一个名字，如 {first}-notes")
    return None


def twin_page(rel: str, exists) -> str | None:
    """The other docs/ page published at the same address as `rel` ("x.md" and "x/index.md" are
    both x/: MkDocs keeps one without a word, and a page added as x/index.md replaced a reviewed
    x.md), as it would be named under docs/; `exists(other)` tells whether it is there."""
    path = PurePosixPath(rel)
    if path.suffix != ".md" or (path.name == "index.md" and path.parent.name in ("", "index")):
        return None  # (index.md is the site's home, index/index.md is index/: neither has a twin)
    other = str(path.parent / path.stem / "index.md") if path.name != "index.md" else f"{path.parent}.md"
    return other if exists(other) else None


def publish_problem(rel: str, docs_dir) -> str | None:
    """Why docs/`rel` is not published, for the checker (L010) and the site alike: its name, or
    another page at its address; None when it is."""
    if (why := name_problem(rel)) is not None:
        return why
    if (other := twin_page(rel, lambda name: (docs_dir / name).is_file())) is None:
        return None
    address = PurePosixPath(rel).with_suffix("").as_posix().removesuffix("/index")
    return (f"与 docs/{other} 发布在同一个地址（{address}/），站点上只会留下其中一页；"
            "把两页合成一页，或给其中一页改个名字")
