"""QR codes and short URLs of items' pages on the site, for the printed pack (segno, pure
Python, no network). Only when mkdocs.yml sets `site_url`: without it the pack has no address
to point to, and prints none.
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

_SITE_URL = re.compile(r"^site_url:\s*['\"]?([^'\"\s#]+)['\"]?\s*(?:#.*)?$", re.M)
_SAFE_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[A-Za-z0-9._~\-/%]*)?$")


def site_url(root: Path) -> tuple[str | None, int]:
    """(site_url, line) from mkdocs.yml; (None, 0) when not set. Read as text: mkdocs.yml may
    carry tags a plain YAML loader refuses, and only this one key matters here."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return None, 0
    text = path.read_text(encoding="utf-8", errors="replace")
    m = _SITE_URL.search(text)
    if not m:
        return None, 0
    return m.group(1), text[:m.start()].count("\n") + 1


def usable(url: str) -> bool:
    return bool(_SAFE_URL.match(url))


def page_url(base: str, item_id: str) -> str:
    return f"{base.rstrip('/')}/{item_id}/"


def short(url: str) -> str:
    return re.sub(r"^https?://", "", url)


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code (scaled by CSS through its viewBox)."""
    import segno

    svg = segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True)
    if not svg.startswith("<svg") or "<script" in svg:  # segno writes paths only; keep it that way
        return Markup("")
    return Markup(svg.replace('class="segno"', 'class="qr"', 1))
