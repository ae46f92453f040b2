"""Images under cases/media/, checked with Pillow: format, size, pixels and personal metadata.

A photo from a phone carries where it was taken (GPS), the phone, and often a comment; none of
that may ship. The check flags an image that still carries a location (M004, error) or other
metadata (M005, warning); `casebook media clean` (editors.media_clean) removes both.
Like the other guards, this module knows nothing of the rest of casebook: it returns plain
findings, which core turns into diagnostics.
"""
from __future__ import annotations

from pathlib import Path

from typing import NamedTuple

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
GPS_IFD = 0x8825


class Finding(NamedTuple):
    severity: str  # "error" | "warning"
    code: str
    message: str


def error(code: str, message: str) -> Finding:
    return Finding("error", code, message)


def warning(code: str, message: str) -> Finding:
    return Finding("warning", code, message)


def media_files(root: Path) -> list[Path]:
    media = root / "cases" / "media"
    if not media.is_dir() or media.is_symlink():
        return []  # a symlink is reported by core.paths, and never opened
    return sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.startswith("."))


def check_image(path: Path) -> list[Finding]:
    from PIL import Image, UnidentifiedImageError

    out: list[Finding] = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        out.append(error("M002", f"图片 {size / 1024 / 1024:.1f} MB，超过 5 MB；运行 casebook media clean 缩小"))
    try:
        with Image.open(path) as im:
            fmt = im.format
            w, h = im.size
            if fmt not in FORMATS:
                return out + [error("M001", f"图片格式是 {fmt}；只收 JPEG、PNG、WebP")]
            if w * h > MAX_PIXELS:
                out.append(error("M003", f"图片 {w}×{h} 像素，超过 2000 万；运行 casebook media clean 缩小"))
            exif = im.getexif()
            if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
                out.append(error("M004", "图片里带有拍摄地点（GPS）；运行 casebook media clean 去掉"))
            extra = [k for k in ("exif", "xmp", "comment", "XML:com.adobe.xmp") if im.info.get(k)]
            if exif and not extra:
                extra.append("exif")
            if extra and not any(d.code == "M004" for d in out):
                out.append(warning("M005", f"图片里带有 {'、'.join(extra)} 信息；运行 casebook media clean 去掉"))
    except Image.DecompressionBombError:
        # Pillow refuses to open it at all (≥ 2 × its 89-megapixel limit): say so, no traceback
        out.append(error("M003", "图片像素多得异常（超过 1.78 亿，可能是“解压炸弹”）；请换成正常拍摄的照片，长边不超过 2048 像素"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        out.append(error("M001", f"不是可用的图片文件（{exc.__class__.__name__}）；只收 JPEG、PNG、WebP"))
    return out
