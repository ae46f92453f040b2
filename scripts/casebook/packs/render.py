"""Training packs: templates/pack/ → HTML → PDF (WeasyPrint), one outlet's files swapped in together.

`context.pack_context` is pure (Library + outlet → the data a pack shows); `render_html` turns it
into HTML; `write_pack` writes every format into a temporary folder beside the target and then
swaps the folder in, so pack.html, pack.pdf and forms.docx always come from the same run. The
print CSS is a static file (Jinja's autoescape would break an inline <style>), linked by the HTML.

WeasyPrint fetches whatever the HTML names (an <img>, a srcset, a CSS url()). Its fetcher here
(`library_fetcher`) serves only files under the library's cases/media/ and the pack templates,
and refuses everything else: no network, no file elsewhere on the machine. The rendered Markdown
also loses such sources before it reaches the HTML (context.to_html), so pack.html opened in a
browser fetches nothing either.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..core import project
from ..core.diagnostics import Diagnostic
from ..core.library import Library, OutletEntry
from ..core.outlets import when_of
from ..core.proc import stale, swap_in, temp_prefix
from ..core.schedule import chinese_date
from .context import PackError, pack_context, to_html
from .exercises import list_items  # noqa: F401  (re-exported: tests count 讨论题 with it)
from .linebreaks import for_print, people, person, phone, place

__all__ = ["PackError", "render_html", "write_pack", "find_cjk_font", "pdf_bytes"]

TEMPLATES = project.TEMPLATES / "pack"
CJK_FAMILY = "Noto Sans CJK SC"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cdate"] = chinese_date
    env.filters["md"] = to_html
    env.filters["chunks"] = lambda seq, n: [seq[i:i + n] for i in range(0, len(seq), n)]
    env.filters["person"], env.filters["people"], env.filters["phone"] = person, people, phone  # (linebreaks.py)
    env.filters["place"] = place
    return env


def render_html(context: dict, css_href: str = "pack.css") -> str:
    return _env().get_template("pack.html.j2").render(**context, css_href=css_href)


def find_cjk_font() -> str | None:
    """The file of Noto Sans CJK SC via fontconfig, or None (then Chinese would print as boxes)."""
    if shutil.which("fc-match") is None:
        return None
    proc = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", f"{CJK_FAMILY}:lang=zh-cn"],
                          capture_output=True, text=True)
    family, _, path = proc.stdout.partition("\n")
    return path if CJK_FAMILY in family else None


class FetchRefused(ValueError):
    """WeasyPrint was asked for something outside cases/media/ and the pack templates."""


def allowed_file(url: str, root: Path) -> Path:
    """The local file a URL names, if it lies under root/cases/media/ or TEMPLATES; else
    FetchRefused (network URLs, data:, other files, symlinks or ../ leading elsewhere)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise FetchRefused(f"培训包不从网络或其他来源读取：{url[:80]}")
    path = Path(unquote(parsed.path)).resolve()  # symlinks and ../ resolved before the test
    allowed = [(Path(root) / "cases" / "media").resolve(), TEMPLATES.resolve()]
    if not any(path.is_relative_to(a) for a in allowed) or not path.is_file():
        raise FetchRefused(f"培训包只读取 cases/media/ 和培训包模板里的文件：{url[:80]}")
    return path


def library_fetcher(root: Path):
    """A WeasyPrint url_fetcher that reads only files under root/cases/media/ and TEMPLATES."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 70: a class
    except ImportError:  # WeasyPrint 66–69: a function
        from weasyprint import default_url_fetcher

        def fetch(url: str, *args, **kwargs):
            return default_url_fetcher(allowed_file(url, root).as_uri(), *args, **kwargs)

        return fetch

    class LibraryFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            return super().fetch(allowed_file(url, root).as_uri(), headers)

    return LibraryFetcher()


REMOTE_SCHEMES = ("http://", "https://")  # (the items' HTML has no other: packs/context.to_html)


def strip_local_links(document) -> None:
    """Keep only links a reader can follow from paper or another machine: a relative link in
    an item (`../guides/x.md`) resolves against the templates folder to a `file://` address,
    which tells where the pack was built and leads nowhere. Anchors inside the pack stay."""
    for page in document.pages:
        page.links[:] = [link for link in page.links
                         if link[0] == "internal" or str(link[1]).lower().startswith(REMOTE_SCHEMES)]


def pdf_bytes(html: str, base_url: Path, when: dt.date, root: Path | None = None) -> bytes:
    from weasyprint import HTML  # imported here: the core never needs WeasyPrint

    fetcher = library_fetcher(root if root is not None else base_url)
    doc = HTML(string=for_print(html), base_url=str(base_url), url_fetcher=fetcher).render()
    strip_local_links(doc)
    stamp = dt.datetime(when.year, when.month, when.day).isoformat()
    doc.metadata.created = stamp  # fixed from the inputs: same inputs, same bytes
    doc.metadata.modified = stamp
    return doc.write_pdf(pdf_identifier=b"casebook-" + str(when).encode())



# what a pack folder holds (any of them): a folder of that name holding anything else is not ours
PACK_FILES = frozenset({"pack.pdf", "pack.html", "pack.css", "forms.docx"})


def foreign_folder(target: Path) -> str | None:
    """Why `target`, which a pack replaces whole, must not be replaced: it holds something that is
    not a pack (a trainer's own folder named like the outlet), or it is a file or a link."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return f"{target} 已存在，不是培训包文件夹；生成培训包会替换它。请换一个输出目录（--out），或先把它移走"
    if target.is_dir() and any(p.name not in PACK_FILES for p in target.iterdir()):
        return (f"{target} 里有不是培训包的文件；生成培训包会整个替换这个文件夹。"
                "请换一个输出目录（--out），或先把这些文件移走")
    return None


def write_pack(lib: Library, entry: OutletEntry, out_dir: Path, formats: tuple[str, ...] = ("pdf", "html"),
               base_url: str | None = None, warnings: list[Diagnostic] = ()) -> tuple[list[Path], list[Diagnostic]]:
    """Write the formats; return the files and the pack's warnings beyond the `warnings` given."""
    if "pdf" in formats and find_cjk_font() is None:
        raise PackError(f"找不到中文字体 {CJK_FAMILY}：请安装 Debian 软件包 fonts-noto-cjk（make test 会自动安装），"
                        "否则 PDF 里的中文会变成方框")
    target = out_dir / entry.stem
    if (problem := foreign_folder(target)) is not None:
        raise PackError(problem)
    context = pack_context(lib, entry, base_url, list(warnings))
    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in stale(out_dir, f".{entry.stem}.new-"):  # (a pack killed by a signal left it)
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=temp_prefix(f".{entry.stem}.new-"), dir=out_dir))
    try:
        names = []
        html = render_html(context)
        if "html" in formats:
            (staging / "pack.css").write_text((TEMPLATES / "pack.css").read_text(encoding="utf-8"), encoding="utf-8")
            (staging / "pack.html").write_text(html, encoding="utf-8")
            names.append("pack.html")
        if "docx" in formats:
            from .docx import write_forms

            write_forms(context, staging / "forms.docx", when_of(lib, entry))
            names.append("forms.docx")
        if "pdf" in formats:
            (staging / "pack.pdf").write_bytes(pdf_bytes(html, TEMPLATES, when_of(lib, entry), lib.root))
            names.append("pack.pdf")
        os.chmod(staging, 0o755)
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / n for n in names], context["warnings"][len(warnings):]
