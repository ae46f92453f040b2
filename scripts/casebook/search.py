"""The search index: one Pagefind record per item, written with Pagefind's Python API.

Chinese recall. Pagefind's extended indexer segments Chinese with a dictionary (老年人 → 老年 +
人) while the browser segments the query differently, so a word inside a sentence is often not
found (measured on this library: 柜面经理 in 63 items, 23 found). So each record also carries
every pair of neighbouring Chinese characters as an ASCII token ("z" + two code points in base
36): the browser turns a query into the same tokens, Pagefind returns the items holding all
of them (AND), and the search box ranks the items whose text holds the whole query first.
Measured on the same library: 63 of 63 found, and no item without the word.

Records are built from the Library, not by parsing the built HTML: the record is exactly the
item's own text (no navigation, footer or related lists), and filters and meta never leak into
excerpts. Pure parts (`grams`, `records`) are separate from the I/O (`write_index`).
"""
from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .pages import VOCAB_LABELS, View, item_url, item_values

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LANGUAGE = "zh-cn"
FILTERS = ("customer_groups", "roles", "business")  # besides 类型


def token(chars: str) -> str:
    """Two (or one) Chinese characters as one ASCII word; search.js encodes queries the same way."""
    return "z" + "".join(_b36(ord(c)).rjust(4, "0") for c in chars)


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def grams(text: str) -> str:
    """Every neighbouring pair of Chinese characters of `text`, as tokens, once each."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            seen[token(run)] = None
        for i in range(len(run) - 1):
            seen[token(run[i:i + 2])] = None
    return " ".join(seen)


_MD = re.compile(r"^#{1,6}\s+|^\s*(?:[-*+]|\d+[.)])\s+|^>\s?|[*_`|]", re.MULTILINE)


def plain(markdown_text: str) -> str:
    return _MD.sub("", markdown_text)


@dataclass
class Record:
    url: str  # relative to the site root, e.g. complaints/x/
    content: str
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def item_text(item) -> str:
    m = item.meta
    parts = [m.title, m.summary, plain(item.body)]
    for p in getattr(m, "phrases", []) or []:
        parts += [p.when, p.say]
    if item.type == "emergency":
        for role, duties in m.duties.items():
            parts += [role, *duties]
    if item.type == "standard":
        for s in m.steps:
            parts += [s.name, s.detail]
        parts += [c.item for c in m.checklist]
    if item.type == "course":
        parts += list(m.objectives)
    return "\n".join(parts)


def records(view: View) -> list[Record]:
    out = []
    for item in sorted(view.items.values(), key=lambda i: i.id):
        text = item_text(item)
        filters = {"类型": [item.type_label]}
        for vocab in FILTERS:
            values = item_values(item, vocab)
            if values:
                filters[VOCAB_LABELS[vocab]] = values
        out.append(Record(
            url=item_url(item.id),
            content=f"{text}\n{grams(text)}",
            meta={"title": item.meta.title, "summary": item.meta.summary, "type": item.type_label,
                  "updated": item.meta.updated.isoformat()},
            filters=filters,
            sort={"updated": item.meta.updated.isoformat()},
        ))
    return out


def record_html(r: Record) -> str:
    """A record as the small HTML page Pagefind indexes: the content in data-pagefind-body,
    meta, filters and sort as attributes of empty elements (so none of them leak into
    excerpts or match a query)."""
    e = html.escape
    meta = "".join(f'<span data-pagefind-meta="{e(k)}:{e(v)}"></span>' for k, v in r.meta.items())
    filters = "".join(f'<span data-pagefind-filter="{e(k)}:{e(v)}"></span>' for k, vs in r.filters.items() for v in vs)
    sort = "".join(f'<span data-pagefind-sort="{e(k)}:{e(v)}"></span>' for k, v in r.sort.items())
    return (f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{e(r.meta["title"])}</title>'
            f'</head><body>{meta}{filters}{sort}<main data-pagefind-body><p>{e(r.content)}</p></main></body></html>')


def write_index(recs: list[Record], site_dir: Path) -> int:
    """Write the Pagefind bundle to site_dir/pagefind; returns the number of records indexed.

    Pagefind's CLI (extended build) indexes a staging folder of one small page per record.
    (Its Python API answers one request per 0.1 s poll: ~9 s for 87 records, minutes for 5,000.)
    """
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RuntimeError("找不到 Pagefind（pip 包 pagefind[extended]）；请重新运行 make serve 安装依赖")
    with tempfile.TemporaryDirectory(prefix="casebook-pagefind-") as tmp:
        staging = Path(tmp)
        for r in recs:
            page = staging / r.url / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(record_html(r), encoding="utf-8")
        out = site_dir / "pagefind"
        proc = subprocess.run([str(binary), "--site", str(staging), "--output-path", str(out.resolve()),
                               "--force-language", LANGUAGE], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"Pagefind 建索引失败：\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        m = re.search(r"Indexed (\d+) pages?", proc.stdout)
        return int(m.group(1)) if m else -1
