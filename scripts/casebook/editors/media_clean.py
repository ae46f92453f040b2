"""`casebook media clean`: rewrite images under cases/media/ without personal metadata.

A photo from a phone carries where it was taken (GPS), the phone, and often a comment; none of
that may ship. Each image is rewritten with its orientation applied and its long edge at most
2048 px, keeping no EXIF, XMP, ICC comment or JPEG comment (a plain Pillow re-save keeps the JPEG
comment: it is dropped explicitly).
"""
from __future__ import annotations

from pathlib import Path

from ..guards.media import media_files

MAX_EDGE = 2048


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
