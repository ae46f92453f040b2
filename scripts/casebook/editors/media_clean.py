"""`casebook media clean [FILE…]`: rewrite images under cases/media/ and docs/ without personal
metadata.

A photo from a phone carries where it was taken (GPS), the phone, and often a comment; an edited
image can carry a caption or an author in PNG text chunks, IPTC or XMP; none of that may ship.
An image that needs it is rewritten with its orientation applied, its long edge at most 2048 px,
and no EXIF, XMP, IPTC, ICC profile, PNG text or comment (a plain Pillow re-save keeps a JPEG
comment: it is dropped explicitly). What it looks for is what the check refuses
(guards.media.text_metadata reads the file's blocks from its bytes).

Idempotent: a photo that is already clean (no metadata, upright, small enough) is not touched at
all, so it stays byte-identical and a pull request changes only the photos its editor added.
By default only the photos named, else the ones git sees as new or changed, are looked at.
An animated image is never flattened to its first frame: a clean one is kept whole, one that
carries metadata is refused (the editor exports a still photo instead).

A photo whose name says another format than its bytes (a JPEG saved as photo.heic by a phone's
share sheet or an upload) is renamed for what it holds (photo.jpg), and the items under cases/
that show it (`src: media/photo.heic`) are changed with it: the check refuses the old name (M001).
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..guards.media import FORMATS, MAX_DECODE_PIXELS, NAMED, SUFFIXES, image_files, sniff, text_metadata

MAX_EDGE = 2048
_ORIENTATION = 0x0112
_META_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop", "adobe", "dpi_exif")


class Refused(Exception):
    """This image cannot be cleaned without damage; the message says what to do."""


def _needs_cleaning(im, path: Path) -> list[str]:
    reasons = []
    if im.getexif():
        reasons.append("EXIF/GPS")
    found = [k for k in _META_KEYS if im.info.get(k)]
    if found:
        reasons.append("、".join(found))
    reasons += text_metadata(path)  # PNG text chunks, COM, IPTC, XMP, EXIF text: read from the bytes
    if max(im.size) > MAX_EDGE:
        reasons.append(f"长边 {max(im.size)} 像素")
    return reasons


def clean_image(path: Path) -> bool:
    """Rewrite one image without metadata if it needs it; returns True if the file changed."""
    from PIL import Image, ImageOps

    with path.open("rb") as f:
        if sniff(f.read(16)) is None:
            raise Refused("不是 JPEG、PNG 或 WebP 图片（按文件开头的字节判断）；只收 JPEG、PNG、WebP 静态图片，请另存为 JPEG")
    with Image.open(path) as im:
        fmt = im.format
        if fmt not in FORMATS:
            raise Refused(f"格式是 {fmt}；只收 JPEG、PNG、WebP 静态图片，请另存为 JPEG")
        # Decoding costs the image's full size in memory, twice (orientation is applied on a copy):
        # a 657 KB PNG declaring 13000×13000 took 2.1 GB. A JPEG is decoded at 1/2–1/8 scale (draft
        # mode, below), so a large phone photo still shrinks; a PNG or WebP that large is refused,
        # before its EXIF is read (reading a PNG's decodes it all).
        w, h = im.size
        if fmt != "JPEG" and w * h > MAX_DECODE_PIXELS:
            raise Refused(f"图片 {w}×{h} 像素，太大，不能清理（PNG、WebP 最多 4000 万像素）；"
                          f"请先把长边缩到 {MAX_EDGE} 像素以内，或另存为 JPEG 再放进来")
        reasons = _needs_cleaning(im, path)
        animated = getattr(im, "is_animated", False) and getattr(im, "n_frames", 1) > 1
        if not reasons:
            return False  # already clean: not re-encoded, stays byte-identical
        if animated:
            raise Refused(f"是动图（{im.n_frames} 帧），带有 {'、'.join(reasons)}；清理会丢掉动画，"
                          "请导出一张静态照片（JPEG）再放进来")
        if fmt == "JPEG":
            im.draft(None, (MAX_EDGE, MAX_EDGE))  # (at least MAX_EDGE on each side: the resize below finishes it)
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
    tmp = path.with_name(f".{path.name}.tmp")
    clean.save(tmp, format=fmt, exif=b"", **options)
    tmp.replace(path)
    return True


def rename_for_content(root: Path, path: Path) -> tuple[Path, str]:
    """`path` renamed for the format its bytes hold, when its name says another (only under
    cases/media/: what items show), with every `src: media/…` that named it changed: the new
    path and a note for the editor ("" when the name was right)."""
    media = (root / "cases" / "media").resolve()
    with path.open("rb") as f:
        fmt = sniff(f.read(16))
    if fmt is None or SUFFIXES.get(path.suffix.lower()) == fmt or not path.resolve().is_relative_to(media):
        return path, ""
    new = path.with_name(path.stem + NAMED[fmt])
    if new.exists():
        raise Refused(f"文件内容是 {fmt} 图片，扩展名却是“{path.suffix}”，而 {new.name} 已经存在；请给它另起一个名字")
    old_src = "media/" + path.resolve().relative_to(media).as_posix()
    new_src = "media/" + new.resolve().relative_to(media).as_posix()
    path.rename(new)
    named = re.compile(re.escape(old_src) + r"(?![\w.-])")  # (not media/photo.heic.bak)
    items = []
    for item in sorted((root / "cases").rglob("*.md")):
        if item.is_symlink() or not item.is_file():  # (never read or write through a link: casebook check refuses it, L050)
            continue
        text = item.read_text(encoding="utf-8")
        if old_src in text and (changed := named.sub(lambda _: new_src, text)) != text:  # (a name is text, never \1)
            item.write_text(changed, encoding="utf-8")
            items.append(item.relative_to(root).as_posix())
    shown = "、".join(items) if items else "没有条目引用它"
    return new, f"（文件内容是 {fmt}，已改名为 {new.name}；改了引用它的条目：{shown}）"


def changed_media(root: Path) -> list[Path] | None:
    """Images git sees as new or modified (None when the root is not in a git work tree)."""
    try:
        out = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", "cases/media", "docs"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
        top = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                                  text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return None
    paths = []
    images = {p.resolve() for p in image_files(root)}
    for entry in out.split("\0"):
        if len(entry) > 3 and entry[:2] != " D" and entry[0] != "D":
            path = top / entry[3:]
            if path.is_file() and path.resolve() in images:  # (docs/ pages are not images)
                paths.append(path)
    return sorted(paths)


def clean_media(root: Path, files: list[Path] | None = None, everything: bool = False) -> tuple[list[str], list[str], int]:
    """Clean the named files, else the changed ones (all of them with `everything` or outside
    git). Returns (changed, problems, how many were looked at)."""
    if files is None:
        files = None if everything else changed_media(root)
        if files is None:
            files = image_files(root)
    import warnings

    from PIL import Image

    changed, problems = [], []
    for path in files:
        rel = path.resolve().relative_to(root.resolve()).as_posix() if path.is_absolute() else path.as_posix()
        try:
            path, renamed = rename_for_content(root, path)
            if renamed:
                rel = path.resolve().relative_to(root.resolve()).as_posix()
            with warnings.catch_warnings():  # (Pillow's English warning over 89 megapixels: it is resized)
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                if clean_image(path) or renamed:
                    changed.append(rel + renamed)
        except Refused as exc:
            problems.append(f"{rel}: 未处理：{exc}")
        except Image.DecompressionBombError:  # (as casebook check says it: M003)
            problems.append(f"{rel}: 未处理：图片像素多得异常（超过 1.78 亿，可能是“解压炸弹”）；"
                            "请换成正常拍摄的照片，长边不超过 2048 像素")
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            problems.append(f"{rel}: 无法处理（{exc.__class__.__name__}），图片可能已损坏；请重新导出为 JPEG 再放进来")
    return changed, problems, len(files)
