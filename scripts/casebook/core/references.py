"""The checks of what an entry points at: related ids and body links resolve, its images exist
under cases/media/ (and carry no GPS), a public story shows only consented images.

They read `Refs`, made from a valid item or from the raw front matter of an invalid one, so a
field error never hides a missing photo or a broken link until the next round.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, Severity, error
from .load import Document, relpath
from .model import FOLDERS, Story, media_src
from .unseen import unseen
from .validate import Item, item_id

MEDIA_DIR = "cases/media"


@dataclass(frozen=True)
class Refs:
    """What the reference checks read of an entry: from a valid item, or from the raw front
    matter of an invalid one (values of the wrong type are left to the field checks)."""

    id: str
    doc: Document
    related: list[str]
    images: list[tuple[str, bool]]  # (src as the model reads it, consent)
    public: bool
    story: bool

    @classmethod
    def of(cls, item: Item) -> "Refs":
        images = [(i.src, i.consent) for i in getattr(item.meta, "images", None) or []]
        return cls(item.id, item.doc, list(item.meta.related), images, item.meta.visibility == "public",
                   isinstance(item.meta, Story))

    @classmethod
    def raw(cls, doc: Document, kind: str | None) -> "Refs | None":
        data = doc.data if doc.ok else None
        if not isinstance(data, dict) or kind is None:
            return None
        related = data.get("related")
        related = [r for r in related if isinstance(r, str)] if isinstance(related, list) else []
        images = []
        if kind == "story" and isinstance(data.get("images"), list):
            # a consent that is no yes/no is the field check's to report, not a second R003
            images = [(media_src(i["src"]), i.get("consent", False) is not False) for i in data["images"]
                      if isinstance(i, dict) and isinstance(i.get("src"), str) and i["src"]]
        return cls(item_id(doc.rel), doc, related, images, data.get("visibility") == "public", kind == "story")


def reference_problems(item: Refs, known_ids: frozenset[str], root: Path) -> list[Diagnostic]:
    """An item's references: related ids exist (valid or not: a broken target reports its own
    problems), images exist under cases/media/, a public story shows only consented images."""
    out: list[Diagnostic] = []
    doc = item.doc
    for i, ref in enumerate(item.related):
        line, col = doc.pos(("related", i))
        if ref == item.id:
            out.append(error(doc.rel, line, col, "R004", "related 里写了条目自己"))
        elif ref not in known_ids:
            out.append(error(doc.rel, line, col, "R001", missing_ref(known_ids, ref)))
    out += _body_link_problems(item, known_ids)
    if item.story:
        for i, (src, consent) in enumerate(item.images):
            line, col = doc.pos(("images", i, "src"))
            target = _media_path(root, src)
            if target is None:
                out.append(error(doc.rel, line, col, "R002",
                                 f"图片路径 {src} 不在 {MEDIA_DIR}/ 下；图片须放在 {MEDIA_DIR}/ 下，写成 media/文件名"))
            elif not target.is_file():
                out.append(error(doc.rel, line, col, "R002",
                                 f"图片 {src} 不存在：{relpath(target, root)} 里没有这个文件；请上传图片，或删除这一项"))
            if item.public and not consent:
                out.append(error(doc.rel, line, col, "R003",
                                 f"公开故事只能展示已取得授权的图片：{src} 请写 consent: true（确已取得授权时），或删除该图片"))
    return out


def referenced_media_problems(item: Refs, root: Path) -> list[Diagnostic]:
    from ..guards.media import check_image

    out: list[Diagnostic] = []
    for src, _ in item.images:
        target = _media_path(root, src)
        if target is not None and target.is_file():
            rel = relpath(target, root)
            out += [Diagnostic(rel, 1, 1, Severity(f.severity), f.code, f.message) for f in check_image(target, rel)]
    return out


def _body_link_problems(item: Refs, known_ids: frozenset[str]) -> list[Diagnostic]:
    from .links import body_links, linked_item

    out = []
    for line, col, target in body_links(item.doc.body, item.doc.body_line):
        ref = linked_item(item.id, target, FOLDERS)
        if ref is not None and ref not in known_ids:
            message = missing_ref(known_ids, ref).replace("引用的条目", f"正文里的链接 {target} 指向的条目", 1)
            out.append(error(item.doc.rel, line, col, "R070",
                             message + "；链接写成 ../guides/elderly-customers.md 这样（从本条目所在文件夹出发）"))
    return out


def missing_ref(known_ids, ref: str, prefix: str = "") -> str:
    import difflib
    folder = ref.split("/", 1)[0] + "/" if "/" in ref else ""
    if not prefix and folder in {f + "/" for f in FOLDERS}:
        prefix = folder  # suggest from the same folder: guides/peak-queue → guides/…
    if prefix and ref in known_ids and not ref.startswith(prefix):  # (it exists: it is not what goes here)
        example = next((i for i in sorted(known_ids) if i.startswith(prefix)), f"{prefix}…")
        return f"{ref} 不是 {prefix} 下的条目（课程）；这里要写课程的 id，如 {example}"
    odd = unseen(ref)
    if odd is not None and odd[0] in known_ids:
        return f"引用的条目 {odd[0]} 里夹着看不见的字符（{odd[1]}）；删去它，重新输入 {odd[0]}"
    pool = sorted(i for i in known_ids if i.startswith(prefix))
    near = difflib.get_close_matches(ref, pool, n=1, cutoff=0.85) or _renamed(ref, pool)
    hint = f"；是否想写 {near[0]}？" if near else ""
    if "/" not in ref:
        hint += "；id 要带文件夹，如 guides/elderly-customers"
    return f"引用的条目 {ref} 不存在{hint}"


def _renamed(ref: str, pool: list[str]) -> list[str]:
    """An item renamed by adding or dropping words (guides/elderly → guides/elderly-customers):
    the one id of the folder whose name holds the old one, or is held by it."""
    folder, _, name = ref.rpartition("/")
    if len(name) < 4:
        return []
    found = [i for i in pool if i.rpartition("/")[0] == folder
             and (name in (other := i.rpartition("/")[2]) or (len(other) >= 4 and other in name))]
    return found if len(found) == 1 else []


def _media_path(root: Path, src: str) -> Path | None:
    rel = PurePosixPath(src.removeprefix("cases/"))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.parts[0] != "media":
        return None
    return root / "cases" / rel
