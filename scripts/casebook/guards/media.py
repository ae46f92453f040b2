"""Images under cases/media/ and docs/, checked with Pillow and by their bytes: file type, size,
pixels and personal metadata.

A photo from a phone carries where it was taken (GPS), the phone, and often a comment; an image
edited on a computer can carry a caption, an author or keywords in text chunks (PNG tEXt, iTXt,
zTXt), a JPEG comment (COM), an IPTC record (APP13), XMP, or EXIF text tags (ImageDescription,
UserComment, Artist…). A name, a mobile or an ID number written there is published with the
image and read by nobody. So the check refuses a location (M004) and any text metadata (M006),
warns of other metadata (M005), and `casebook media clean` (editors.media_clean) removes all of
it. The file type is read from the first bytes and must agree with the extension (the web server
serves a file by its extension: an HTML page named .png must not pass as an image).
Like the other guards, this module knows nothing of the rest of casebook: it returns plain
findings, which core turns into diagnostics.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import NamedTuple

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
MAX_SIDE = 10_000  # a 100000×100 strip has few pixels but no page shows it
# The largest PNG or WebP `media clean` decodes (its full size in memory, twice); a JPEG of any
# size is decoded at a fraction of it (editors/media_clean.py)
MAX_DECODE_PIXELS = 40_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
NAMED = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}  # the name's ending for what a file holds
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
# EXIF tags that hold free text someone typed (a caption, an author, a comment, an owner)
TEXT_TAGS = {0x010D: "DocumentName", 0x010E: "ImageDescription", 0x013B: "Artist", 0x8298: "Copyright",
             0x9C9B: "XPTitle", 0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords",
             0x9C9F: "XPSubject"}
EXIF_TEXT_TAGS = {0x9286: "UserComment", 0x927C: "MakerNote", 0xA430: "CameraOwnerName",
                  0xA431: "BodySerialNumber", 0xA420: "ImageUniqueID"}
_XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\0"
# Blocks that hold pixels, colour or layout and nothing typed: any other block is reported (a
# private PNG chunk or a JPEG APP12 "Ducky" segment can carry text as well as a tEXt chunk)
_PNG_PLAIN = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"pHYs",
              b"bKGD", b"sBIT", b"hIST", b"tIME", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi"}
_JPEG_PLAIN_APP = {0xE0: b"JFIF", 0xE2: b"ICC_PROFILE", 0xEE: b"Adobe"}  # APP0, APP2, APP14


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


def docs_images(root: Path) -> list[Path]:
    """The images the site publishes from docs/ (by extension, as the build picks them)."""
    docs = root / "docs"
    if not docs.is_dir() or docs.is_symlink():
        return []
    return sorted(p for p in docs.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file() and not p.is_symlink())


def image_files(root: Path) -> list[Path]:
    """Every image casebook checks and may publish: cases/media/ and docs/."""
    return media_files(root) + docs_images(root)


def sniff(head: bytes) -> str | None:
    """The image format the first bytes say, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def container_metadata(data: bytes, fmt: str) -> tuple[list[str], bool]:
    """(the text metadata blocks the file's container holds, whether it holds EXIF), read from
    the bytes: Pillow reads some blocks only on demand and some not at all (IPTC in a WebP)."""
    texts: list[str] = []
    exif = False
    if fmt == "PNG":
        pos = 8
        while pos + 8 <= len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            if kind in (b"tEXt", b"zTXt", b"iTXt"):
                texts.append(f"PNG 文字块（{kind.decode()}）")
            elif kind == b"eXIf":
                exif = True
            elif kind == b"IEND":
                if data[pos + 12:].strip(b"\0"):
                    texts.append(_TRAILING)
                break
            elif kind not in _PNG_PLAIN:
                texts.append(f"PNG 附加块（{printable_name(kind)}）")
            pos += 12 + length
    elif fmt == "JPEG":
        pos = 2
        while pos + 4 <= len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            if marker == 0xFF:  # fill byte
                pos += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            if marker == 0xDA:  # start of scan: the header is over
                texts += _after_scan(data, pos)
                break
            length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
            body = data[pos + 4:pos + 2 + length]
            if marker == 0xFE:
                texts.append("JPEG 注释（COM）")
            elif marker == 0xED:
                texts.append("IPTC/Photoshop 信息（APP13）")
            elif marker == 0xE1 and body.startswith(_XMP_APP1):
                texts.append("XMP")
            elif marker == 0xE1 and body.startswith(b"Exif\0"):
                exif = True
            elif 0xE0 <= marker <= 0xEF and not body.startswith(_JPEG_PLAIN_APP.get(marker, b"\xff")):
                texts.append(f"JPEG 附加段（APP{marker - 0xE0}）")
            pos += 2 + length
    elif fmt == "WEBP":
        pos = 12
        while pos + 8 <= len(data):
            kind, length = struct.unpack("<4sI", data[pos:pos + 8])
            if kind == b"XMP ":
                texts.append("XMP")
            elif kind == b"EXIF":
                exif = True
            elif kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"):
                texts.append(f"WebP 附加块（{printable_name(kind)}）")
            pos += 8 + length + (length & 1)
        riff_end = 8 + struct.unpack("<I", data[4:8])[0]
        if data[riff_end:].strip(b"\0"):
            texts.append(_TRAILING)
    return sorted(set(texts)), exif


_TRAILING = "图片结尾之后的附加数据"
# In entropy-coded data 0xFF is followed only by 0x00 or a restart marker: any other marker
# after the first scan is a segment between scans (a progressive JPEG may put a COM there).
_INTER_SCAN = re.compile(rb"\xff([\xe0-\xef\xfe])")


def _after_scan(data: bytes, sos: int) -> list[str]:
    """Text blocks between the scans of a JPEG, and data after its end (EOI)."""
    out = []
    end = data.find(b"\xff\xd9", sos)
    body = data[sos:end if end >= 0 else len(data)]
    for m in _INTER_SCAN.finditer(body):
        marker = m.group(1)[0]
        out.append("JPEG 注释（COM）" if marker == 0xFE else f"JPEG 附加段（APP{marker - 0xE0}）")
    if end >= 0 and data[end + 2:].strip(b"\0"):
        out.append(_TRAILING)
    return out


def printable_name(kind: bytes) -> str:
    return "".join(chr(b) if 0x21 <= b < 0x7F else "?" for b in kind)


def exif_text_tags(exif) -> list[str]:
    """The names of the EXIF tags in `exif` (a Pillow Exif) that hold free text."""
    found = [name for tag, name in TEXT_TAGS.items() if exif.get(tag) not in (None, b"", "")]
    try:
        inner = exif.get_ifd(EXIF_IFD)
    except Exception:  # noqa: BLE001 - a broken sub-IFD: the rest of EXIF is still reported
        inner = {}
    found += [name for tag, name in EXIF_TEXT_TAGS.items() if inner.get(tag) not in (None, b"", "")]
    return found


def text_metadata(path: Path) -> list[str]:
    """Every block of text metadata in one image (container blocks and EXIF text tags)."""
    from PIL import Image

    data = path.read_bytes()
    fmt = sniff(data[:16])
    if fmt is None:
        return []
    texts, has_exif = container_metadata(data, fmt)
    if has_exif:
        with Image.open(path) as im:
            tags = exif_text_tags(im.getexif())
        if tags:
            texts.append(f"EXIF 文字（{'、'.join(tags)}）")
    return texts


def check_image(path: Path, rel: str | None = None) -> list[Finding]:
    from PIL import Image, UnidentifiedImageError

    fix = f"运行 casebook media clean {rel or '图片路径'}"
    out: list[Finding] = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        out.append(error("M002", f"图片 {size / 1024 / 1024:.1f} MB，超过 5 MB；{fix} 缩小"))
        if size > 4 * MAX_BYTES:
            return out  # not read at all
    with path.open("rb") as f:
        head = f.read(16)
    fmt = sniff(head)
    expected = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        return out + [error("M001", "文件内容不是 JPEG、PNG 或 WebP 图片（按文件开头的字节判断）；只收这三种图片")]
    if expected != fmt:
        return out + [error("M001", f"文件内容是 {fmt} 图片，扩展名却是“{path.suffix}”；请改名为 {path.stem}{NAMED[fmt]}"
                                    "（运行 casebook media clean 这张图片，会按内容改名，并改掉条目里引用它的 src）")]
    import warnings

    try:
        # (Pillow's English DecompressionBombWarning over 89 megapixels: M003 below says it, in one line)
        with warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning), Image.open(path) as im:
            if im.format != fmt:
                return out + [error("M001", f"图片格式是 {im.format}；只收 JPEG、PNG、WebP")]
            w, h = im.size
            if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
                shrink = (f"{fix} 缩小" if fmt == "JPEG" or w * h <= MAX_DECODE_PIXELS else
                          "请先用看图或修图软件把长边缩到 2048 像素以内（或另存为 JPEG），再放进来")
                out.append(error("M003", f"图片 {w}×{h} 像素，超过 2000 万像素或边长超过 {MAX_SIDE}；{shrink}"))
                return out
            exif = im.getexif()
            has_gps = bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif
            if has_gps:
                out.append(error("M004", f"图片里带有拍摄地点（GPS）；{fix} 去掉"))
            texts = text_metadata(path)
            if texts:
                out.append(error("M006", f"图片里带有文字信息：{'、'.join(texts)}，可能写着姓名、电话或证件号，"
                                 f"会随图片一起发布；{fix} 去掉"))
            extra = ["exif"] if exif or im.info.get("exif") else []
            if extra and not has_gps and not texts:
                out.append(warning("M005", f"图片里带有 {'、'.join(extra)} 信息；{fix} 去掉"))
    except Image.DecompressionBombError:
        # Pillow refuses to open it at all (≥ 2 × its 89-megapixel limit): say so, no traceback
        out.append(error("M003", "图片像素多得异常（超过 1.78 亿，可能是“解压炸弹”）；请换成正常拍摄的照片，长边不超过 2048 像素"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error) as exc:
        out.append(error("M001", f"不是可用的图片文件（{exc.__class__.__name__}）；只收 JPEG、PNG、WebP"))
    return out
