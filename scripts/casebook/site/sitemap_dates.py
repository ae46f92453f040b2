"""sitemap.xml's dates from the library: an item's page is dated by its `updated`, not the build.

MkDocs dates every page with the day of the build, so a search engine (or a bank's intranet
crawler) would read every page as changed on every build. After the build, an item's <lastmod>
becomes its front matter's `updated`; other pages (lists, the home page) lose theirs, as the
day they last changed is not known. sitemap.xml.gz is written again from the result.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from .pagekit import View

URL = re.compile(r"<url><loc>([^<]*)</loc>(?:<lastmod>[^<]*</lastmod>)?</url>")


def dated(sitemap: str, view: View, site_url: str | None) -> str:
    base = (site_url.rstrip("/") + "/") if site_url else "./"

    def date(m: re.Match) -> str:
        loc = m[1]
        item = view.items.get(loc.removeprefix(base).rstrip("/")) if loc.startswith(base) else None
        return f"<url><loc>{loc}</loc><lastmod>{item.meta.updated.isoformat()}</lastmod></url>" if item \
            else f"<url><loc>{loc}</loc></url>"

    return URL.sub(date, sitemap)


def finish_site(site_dir: Path, view: View, site_url: str | None) -> None:
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = dated(sitemap.read_text(encoding="utf-8"), view, site_url)
    sitemap.write_text(text, encoding="utf-8")
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
