"""A public repository's pull-request preview: the public site, plus the pages of the items the
pull request adds or changes, internal ones too, copied from the internal build to the same
paths (so their links to the theme and to each other still work).

Anyone can download a public repository's artifacts, so its preview is otherwise the public
build; a changed internal item's text is already public in the pull request itself, and a
reviewer must see it rendered. Other internal items stay out.

`python -m casebook.editors.preview --base origin/main --internal build/site-internal --public build/site-public`
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

from ..core.model import FOLDERS
from .pr_summary import changed_files

_IMG_RE = re.compile(r'<img[^>]+src="((?:\.\./)+media/[^"/]+)"')


def changed_pages(changes: list[tuple[str, str]]) -> list[str]:
    """Site folders (e.g. stories/umbrella) of the items added or changed."""
    out = []
    for status, path in changes:
        parts = PurePosixPath(path).parts
        if status != "D" and len(parts) == 3 and parts[0] == "cases" and parts[1] in FOLDERS and path.endswith(".md"):
            out.append(f"{parts[1]}/{PurePosixPath(path).stem}")
    return out


def add_changed_pages(internal: Path, public: Path, pages: list[str]) -> list[str]:
    """Copy each changed item's page (and the photos it shows) from the internal build into the
    public one where it is missing; returns the pages added."""
    added = []
    for page in pages:
        source, target = internal / page, public / page
        if not (source / "index.html").is_file() or (target / "index.html").exists():
            continue  # not built (the item has errors), or already public
        shutil.copytree(source, target, symlinks=False)
        html = (source / "index.html").read_text(encoding="utf-8")
        for src in _IMG_RE.findall(html):
            photo = (source / src).resolve()
            if photo.is_relative_to(internal.resolve() / "media") and photo.is_file():
                (public / "media").mkdir(exist_ok=True)
                shutil.copy2(photo, public / "media" / photo.name)
        added.append(page)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casebook.editors.preview")
    parser.add_argument("--base", required=True, help="合并请求的目标分支，如 origin/main")
    parser.add_argument("--root", default=".")
    parser.add_argument("--internal", required=True, help="内部版站点目录")
    parser.add_argument("--public", required=True, help="公开版站点目录（改动的条目加进这里）")
    args = parser.parse_args(argv)
    try:
        changes = changed_files(Path(args.root).resolve(), args.base)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"casebook: 无法比较 {args.base}：{exc}", file=sys.stderr)
        return 1
    added = add_changed_pages(Path(args.internal), Path(args.public), changed_pages(changes))
    print(f"预览加入了 {len(added)} 个改动的内部条目：{'、'.join(added) or '无'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
