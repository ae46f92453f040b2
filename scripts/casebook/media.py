"""Images under cases/media/: validated with Pillow, and cleaned of personal metadata.

A photo from a phone carries where it was taken (GPS), the phone, and often a comment; none
of that may ship. `casebook media clean` rewrites each image with its orientation applied and
its long edge at most 2048 px, keeping no EXIF, XMP, ICC comment or JPEG comment (a plain
Pillow re-save keeps the JPEG comment: it is dropped explicitly). The checker flags an image
that still carries a location (M004, error) or other metadata (M005, warning).
"""
from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, error, warning

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
MAX_EDGE = 2048
FORMATS = {"JPEG", "PNG", "WEBP"}
GPS_IFD = 0x8825


def media_files(root: Path) -> list[Path]:
    media = root / "cases" / "media"
    return sorted(p for p in media.rglob("*") if p.is_file() and not p.name.startswith(".")) if media.is_dir() else []


def check_image(path: Path, rel: str) -> list[Diagnostic]:
    from PIL import Image, UnidentifiedImageError

    out: list[Diagnostic] = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        out.append(error(rel, 1, 1, "M002", f"图片 {size / 1024 / 1024:.1f} MB，超过 5 MB；运行 casebook media clean 缩小"))
    try:
        with Image.open(path) as im:
            fmt = im.format
            w, h = im.size
            if fmt not in FORMATS:
                return out + [error(rel, 1, 1, "M001", f"图片格式是 {fmt}；只收 JPEG、PNG、WebP")]
            if w * h > MAX_PIXELS:
                out.append(error(rel, 1, 1, "M003", f"图片 {w}×{h} 像素，超过 2000 万；运行 casebook media clean 缩小"))
            exif = im.getexif()
            if exif.get_ifd(GPS_IFD) or GPS_IFD in exif:
                out.append(error(rel, 1, 1, "M004", "图片里带有拍摄地点（GPS）；运行 casebook media clean 去掉"))
            extra = [k for k in ("exif", "xmp", "comment", "XML:com.adobe.xmp") if im.info.get(k)]
            if exif and not extra:
                extra.append("exif")
            if extra and not any(d.code == "M004" for d in out):
                out.append(warning(rel, 1, 1, "M005", f"图片里带有 {'、'.join(extra)} 信息；运行 casebook media clean 去掉"))
    except (UnidentifiedImageError, OSError) as exc:
        out.append(error(rel, 1, 1, "M001", f"不是可用的图片文件（{exc.__class__.__name__}）；只收 JPEG、PNG、WebP"))
    return out


def clean_image(path: Path) -> bool:
    """Rewrite one image without metadata; returns True if the file changed."""
    from PIL import Image, ImageOps

    before = path.read_bytes()
    with Image.open(path) as im:
        fmt = im.format
        im.load()
        image = ImageOps.exif_transpose(im)  # apply the orientation, then drop the tag with all EXIF
    if max(image.size) > MAX_EDGE:
        image.thumbnail((MAX_EDGE, MAX_EDGE), Image.LANCZOS)
    clean = image.copy()
    clean.info = {}  # Pillow re-saves a JPEG comment, EXIF and ICC from .info: start from nothing
    options: dict = {}
    if fmt == "JPEG":
        clean = clean.convert("RGB") if clean.mode not in ("RGB", "L") else clean
        options = {"quality": 88, "optimize": True}
    elif fmt == "WEBP":
        options = {"quality": 88}
    elif fmt == "PNG":
        options = {"optimize": True}
    # a new image carries no info dict: no EXIF, XMP, ICC, or JPEG comment
    tmp = path.with_name(f".{path.name}.tmp")
    clean.save(tmp, format=fmt, exif=b"", **options)
    after = tmp.read_bytes()
    if after == before:
        tmp.unlink()
        return False
    tmp.replace(path)
    return True


def clean_media(root: Path) -> tuple[list[str], list[str]]:
    changed, problems = [], []
    for path in media_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            if clean_image(path):
                changed.append(rel)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            problems.append(f"{rel}: 无法处理（{exc.__class__.__name__}: {exc}）")
    return changed, problems
