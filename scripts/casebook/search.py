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

import functools
import html
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .pages import VOCAB_LABELS, View, item_url, item_values

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LANGUAGE = "zh-cn"
FILTERS = ("customer_groups", "roles", "business")  # besides 类型


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


@functools.lru_cache(maxsize=None)
def _code(ch: str) -> str:
    """A character's code point in base 36, four digits (covers every CJK block)."""
    n, out = ord(ch), ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
    return out


def token(chars: str) -> str:
    """Two (or one) Chinese characters as one ASCII word; search.js encodes queries the same way."""
    return "z" + "".join(_code(c) for c in chars)


@functools.lru_cache(maxsize=20_000)  # `casebook serve` rebuilds: unchanged items cost nothing
def grams(text: str) -> str:
    """Every neighbouring pair of Chinese characters of `text`, as tokens, once each."""
    seen: dict[str, None] = {}
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            seen[token(run)] = None
            continue
        codes = [_code(c) for c in run]
        for i in range(len(codes) - 1):
            seen["z" + codes[i] + codes[i + 1]] = None
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
            # Chinese is indexed only as character pairs; other words (ATM, 95566) as they are.
            # The text itself rides along as meta: the search box checks the whole phrase and cuts
            # a snippet from it. (Indexing the Chinese text too doubled Pagefind's index and took
            # 2.3 GB at 5,000 items, for no better recall.)
            content=f"{CJK_RUN.sub(' ', text)}\n{grams(text)}",
            meta={"title": item.meta.title, "summary": item.meta.summary, "type": item.type_label,
                  "updated": item.meta.updated.isoformat(), "text": text},
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


@dataclass
class IndexJob:
    """Pagefind running in the background while MkDocs renders the pages."""

    process: subprocess.Popen
    workdir: Path
    count: int

    def finish(self, site_dir: Path) -> int:
        """Wait for Pagefind, move its bundle to site_dir/pagefind; returns the records indexed."""
        try:
            out, _ = self.process.communicate()
            if self.process.returncode != 0:
                raise RuntimeError(f"Pagefind 建索引失败：\n{out[-3000:]}")
            target = site_dir / "pagefind"
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(self.workdir / "bundle"), str(target))
            m = re.search(r"Indexed (\d+) pages?", out)
            return int(m.group(1)) if m else -1
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def cancel(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_index(recs: list[Record]) -> IndexJob:
    """Write one small page per record to a staging folder and start Pagefind's CLI (extended
    build) on it. Its Python API is not used: it answers one request per 0.1 s poll (~9 s for
    87 records, minutes for 5,000)."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise RuntimeError("找不到 Pagefind（pip 包 pagefind[extended]）；请重新运行 make serve 安装依赖")
    workdir = Path(tempfile.mkdtemp(prefix="casebook-pagefind-"))
    staging = workdir / "pages"
    for r in recs:
        page = staging / r.url / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(record_html(r), encoding="utf-8")
    process = subprocess.Popen([str(binary), "--site", str(staging), "--output-path", str(workdir / "bundle"),
                                "--force-language", LANGUAGE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    return IndexJob(process, workdir, len(recs))


def write_index(recs: list[Record], site_dir: Path) -> int:
    """Index and write the bundle to site_dir/pagefind in one go; returns the records indexed."""
    return start_index(recs).finish(site_dir)
