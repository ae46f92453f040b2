"""The search index: one Pagefind record per item, indexed by Pagefind's CLI.

Chinese recall. Pagefind's extended indexer segments Chinese with a dictionary (老年人 → 老年 +
人) while the browser segments the query differently, so a word inside a sentence is often not
found (measured on this library: 柜面经理 in 63 items, 23 found). So each record carries every
pair of neighbouring Chinese characters as an ASCII token ("z" + two code points in base 26,
letters only): the browser turns a query into the same tokens and finds the items holding all
of them. Measured on the same library: 63 of 63 found, and no item without the word.

Ranking. A record is split by where the text sits — title, 常见问法, 话术 card headings, tags,
summary, body — each part in its own element with a data-pagefind-weight (WEIGHTS), opening
with a marker token, every token once per part it occurs in; word groups (search_groups.py:
cases/search-terms.yml and the vocabulary) add one token per group found in a part, and one
token names the item's type. The box (search-engine.js, rank.js) reads from the index alone
which parts of which records hold a query's words and ranks every candidate (README: 搜索怎样排序).

Records are built from the Library, not by parsing the built HTML: the record is exactly the
item's own text (no navigation, footer or related lists), and filters and meta never leak into
excerpts. Pure parts (`grams`, `records`) are separate from the I/O (`start_index`).
"""
from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..core.proc import die_with_parent, stale, temp_prefix, yield_to_pages
from ..core.model import VOCAB_LABELS
from .pagekit import View, item_url, item_values
from ..core.errors import Fatal
from ..core.cache_store import code_digest
from .asset_names import bundle_name
from .index_job import IndexJob, left_record_pages, record_pages_folder, tell_name  # noqa: F401  (IndexJob: what start_index returns)
from .search_cache import BundleCache, RecordCache, engine_version, shard_key
from ..core.search_terms import parse_search_terms
from .search_groups import GroupMatcher, term_groups, terms_json
from .search_words import dictionary
from .search_readings import READINGS_FILE, readings_json

from .search_tokens import LATIN_WORD, grams, plain, title_tokens
LANGUAGE = "zh-cn"
FILTERS = ("customer_groups", "roles", "business")  # besides 类型
TERMS_FILE = "casebook-terms.json"  # in the Pagefind bundle folder
# Pagefind's memory grows with (token, record) pairs, ~0.8 KB each whatever the words (measured:
# benchmarks/RESULTS.md), 1.7 GB for the 1.6 million pairs of 5,000 items. Above this many pairs
# the records are split into shards, indexed one after another into bundles of their own that
# the search box merges (Pagefind's mergeIndex): the build's memory stays flat as the library
# grows. A library under the limit (the sample, 1,000 items) keeps one bundle, as before.
SHARD_PAIRS = 400_000  # ≈ 350 MB for Pagefind; the user's CASEBOOK_SEARCH_SHARD_PAIRS lowers it (a runner with less memory)
SHARDS_DIR = "shards"  # pagefind/shards/1/, 2/, … beside the first shard's bundle


# Where a word sits decides its weight (Pagefind's data-pagefind-weight, 0–10); rank.js scores
# the same places in the same order (README: 搜索怎样排序). Each token is put once in each part
# it occurs in. Every part starts with the marker token MARK, even an empty part (the title's
# word groups come before it: title_tokens): one search for MARK gives the browser each record's
# part boundaries (word positions), so a hit's position tells which part it is in without
# fetching the record itself.
WEIGHTS = {"title": 10, "questions": 8, "heads": 6, "tags": 4, "summary": 3, "body": 1}
MARK = "xmark"
# The item's type as one token per type (procedures share the prefix KIND_PROCEDURE): the box
# learns every record's type with one search per type, again without fetching records.
KIND_TOKENS = {"emergency": "xkindpa", "guide": "xkindpb", "standard": "xkindpc", "drill": "xkindpd",
               "complaint": "xkindca", "story": "xkindcb", "course": "xkindcc"}
KIND_PROCEDURE = "xkindp"
# the facet values shown as chips, as words of the item (not 岗位: nearly every item has one)
TAG_VOCABS = ("customer_groups", "business", "root_cause", "category", "scope", "periods", "focus")


@dataclass
class Record:
    url: str  # relative to the site root, e.g. complaints/x/
    sections: dict[str, str]  # part of the item (WEIGHTS) → its index tokens
    meta: dict[str, str]
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


def item_tags(item) -> list[str]:
    """The item's free tags and its facet values (客户群体, 业务, 投诉原因 …), once each."""
    values = list(getattr(item.meta, "tags", []) or [])
    for vocab in TAG_VOCABS:
        values += item_values(item, vocab)
    return list(dict.fromkeys(v for v in values if v))


def item_parts(item) -> dict[str, str]:
    """The item's text by where it sits: title, 常见问法, the 话术 cards' headings (when), tags,
    summary, and everything else (body, the cards' words, duties, steps, checklist, objectives)."""
    m = item.meta
    phrases = getattr(m, "phrases", []) or []
    rest = [plain(item.body)]
    rest += [p.say for p in phrases]
    if item.type == "emergency":
        for role, duties in m.duties.items():
            rest += [role, *duties]
    if item.type == "standard":
        for s in m.steps:
            rest += [s.name, s.detail]
        rest += [c.item for c in m.checklist]
    if item.type == "course":
        rest += list(m.objectives)
    return {"title": m.title, "questions": "\n".join(getattr(m, "questions", []) or []),
            "heads": "\n".join(p.when for p in phrases), "tags": "\n".join(item_tags(item)),
            "summary": m.summary, "body": "\n".join(rest)}


def item_text(item) -> str:
    """All of an item's searchable text."""
    return "\n".join(t for t in item_parts(item).values() if t)


def _sections(parts: dict[str, str], matcher: GroupMatcher | None, kind: str = "") -> dict[str, str]:
    """Each part's tokens, once per part: a word in the title and the body is in both, so the
    box sees every part a word is in (an item about 老人 has it everywhere). Pagefind's memory
    grows with (token, record) pairs, which a token in two parts of one record does not add to.
    The title is laid out by character (title_tokens)."""
    out = {}
    for name in WEIGHTS:
        text = parts[name]
        if name == "title":
            groups, chars = title_tokens(text, matcher)
            out[name] = " ".join(groups + [MARK] + chars)
            continue
        words = list(dict.fromkeys(w.casefold() for w in LATIN_WORD.findall(text)))
        pairs = grams(text).split()
        groups = [matcher.tokens[i] for i in sorted(matcher.groups_in(text))] if matcher else []
        out[name] = " ".join([MARK] + words + pairs + groups)
    if kind in KIND_TOKENS:
        out["body"] += " " + KIND_TOKENS[kind]
    return out


def _salt(matcher: GroupMatcher | None) -> str:
    """What an item's tokens depend on besides its text: the word groups, and casebook's code and
    the renderers' versions (cache_store.code_digest: an edited tokenizer invalidates the cache)."""
    groups = (matcher.tokens, sorted(matcher.by_pair.items()), matcher.plain) if matcher else None
    return hashlib.sha256(code_digest().encode() + repr((WEIGHTS, MARK, KIND_TOKENS, groups)).encode()).hexdigest()


def records(view: View, matcher: GroupMatcher | None = None, cache: RecordCache | None = None,
            only: set[str] | None = None) -> Iterator[Record]:
    """One record per visible item, by id; made one at a time (the indexer writes each to disk
    as it comes, so no list of 5,000 token strings is ever held). With a cache, an item whose
    text and word groups are unchanged takes its tokens from the last build."""
    salt = _salt(matcher)
    for item in sorted(view.items.values(), key=lambda i: i.id):
        if only is not None and item_url(item.id) not in only:
            continue
        parts = item_parts(item)
        filters = {"类型": [item.type_label]}
        for vocab in FILTERS:
            values = item_values(item, vocab)
            if values:
                filters[VOCAB_LABELS[vocab]] = values
        sections = None
        if cache is not None:
            key = cache.key(salt, {**parts, "kind": item.type})
            sections = cache.get(key)
        if sections is None:
            sections = _sections(parts, matcher, item.type)
            if cache is not None:
                cache.put(key, sections)
        yield Record(
            url=item_url(item.id),
            # Chinese is indexed only as character pairs (and word groups); other words (ATM,
            # 95566) as they are. The text itself rides along as meta: the search box scores
            # where the query sits and cuts a snippet from it. (Indexing the Chinese text too
            # doubled Pagefind's index and took 2.3 GB at 5,000 items, for no better recall.)
            sections=sections,
            meta={"title": item.meta.title, "summary": item.meta.summary, "type": item.type_label,
                  "updated": item.meta.updated.isoformat(), "questions": parts["questions"], "heads": parts["heads"],
                  "tags": parts["tags"], "text": parts["body"]},
            filters=filters,  # (no sort keys: unused, and they cost 13 KiB per 5,000 items on every first query)
        )


def record_html(r: Record) -> str:
    """A record as the small HTML page Pagefind indexes: each part's tokens in a paragraph with
    its weight inside data-pagefind-body; meta, filters and sort as attributes of empty elements
    (so none of them leak into excerpts or match a query)."""
    e = html.escape
    meta = "".join(f'<span data-pagefind-meta="{e(k)}:{e(v)}"></span>' for k, v in r.meta.items())
    filters = "".join(f'<span data-pagefind-filter="{e(k)}:{e(v)}"></span>' for k, vs in r.filters.items() for v in vs)
    sort = "".join(f'<span data-pagefind-sort="{e(k)}:{e(v)}"></span>' for k, v in r.sort.items())
    body = "".join(f'<p data-pagefind-weight="{WEIGHTS[name]}">{e(r.sections.get(name) or MARK)}</p>' for name in WEIGHTS)
    return (f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{e(r.meta["title"])}</title>'
            f'</head><body>{meta}{filters}{sort}<main data-pagefind-body>{body}</main></body></html>')


def _pagefind_binary() -> Path:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise Fatal("找不到 Pagefind（pip 包 pagefind[extended]）：请重新运行 make serve 安装依赖")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):  # (PAGEFIND_BINARY_PATH names any path)
        raise Fatal(f"找不到 Pagefind：{binary} 不是能运行的文件（检查环境变量 PAGEFIND_BINARY_PATH，"
                    "或删去它，用 make serve 安装的 Pagefind）")
    return binary


def shard_pairs() -> int:
    raw = os.environ.get("CASEBOOK_SEARCH_SHARD_PAIRS", "")
    return max(1_000, int(raw)) if raw.isdigit() else SHARD_PAIRS


def shard_of(url: str, shards: int) -> int:
    """The shard a record goes to: stable across builds and machines, spread evenly."""
    return zlib.crc32(url.encode("utf-8")) % shards if shards > 1 else 0


def shard_members(urls: list[str], pairs: int, per_shard: int) -> list[list[str]]:
    """Each shard's records (shard_of), in the order given: as many shards as `pairs` (token,
    record) pairs need at `per_shard` each, but never one without a record — Pagefind refuses to
    index an empty folder (a small library under a low CASEBOOK_SEARCH_SHARD_PAIRS): one shard
    fewer until every shard has some."""
    shards = max(1, min(len(urls), -(-pairs // per_shard)))
    while True:
        members: list[list[str]] = [[] for _ in range(shards)]
        for url in urls:
            members[shard_of(url, shards)].append(url)
        if shards == 1 or all(members):
            return members
        shards -= 1


def _index_worker(view: View, workdir: Path, binary: Path, known: dict[str, tuple[str, int]], per_shard: int) -> None:
    """In the child: build the records, write one small page per record, run Pagefind's CLI
    (extended build) on them, one shard at a time. Its Python API is not used: it answers one
    request per 0.1 s poll (~9 s for 87 records, minutes for 5,000).

    With the caches (search_cache.py) a shard whose pages are the same as in an earlier build is
    copied from the bundle cache instead. When the cache holds bundles, the records are made
    twice: once to know each shard's key, and again (their tokens from the record cache) only for
    the shards Pagefind must index — writing 5,000 small pages took 3 s on this machine's disk,
    for a rebuild that needs a few hundred of them."""
    die_with_parent()  # a killed build takes its indexer along
    yield_to_pages()  # the pages are the build's longer path (and the preview's first)
    groups = term_groups(view.lib.root, view.lib.vocabulary)
    matcher = GroupMatcher(groups)
    record_cache = RecordCache.open(view.lib.root, view.public)
    bundles = BundleCache.open(view.lib.root, view.public) if record_cache is not None else None
    # (in memory when there is room: a job that dies leaves them to the next one's clean-up)
    pages = record_pages_folder(workdir, len(view.items))
    staging = pages / "pages"
    pairs: dict[str, int] = {}
    digests: dict[str, str] = {}
    fresh = {item_url(i) for i in view.items} - known.keys() if known else None  # (serve: the edited items)
    # (with no bundle kept yet, a cold build's, every shard is indexed: the pages are written as
    # the records are made, instead of every record being made twice)
    stage_now = bundles is None or bundles.empty()
    for r in records(view, matcher, record_cache, only=fresh):
        text = record_html(r)
        if stage_now:
            _stage(staging, r.url, text)
        digests[r.url] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        # (token, record) pairs, what Pagefind's memory grows with: a token in two parts is one
        pairs[r.url] = len({t for tokens in r.sections.values() for t in tokens.split()})
    made = len(digests)
    for url, (digest, n) in known.items():
        digests[url], pairs[url] = digest, n
    (workdir / "records.json").write_text(json.dumps({u: [digests[u], pairs[u]] for u in pairs}), encoding="utf-8")
    members = shard_members(list(pairs), sum(pairs.values()), per_shard)
    shards = len(members)
    sites = [pages / f"pages-{k}" for k in range(shards)]
    engine = f"{engine_version(binary)} {LANGUAGE}"
    keys = [shard_key({url: digests[url] for url in members[k]}, f"{engine} {'full' if k == 0 else 'index'}")
            for k in range(shards)]
    # the bundle's folder name, from everything that goes into the bundle (the shards' keys: the
    # records, Pagefind's version, casebook's code; casebook's own two files): known now, before
    # Pagefind runs, so every page MkDocs writes names it already (asset_names.PageNames)
    extra = [f"{SHARDS_DIR}/{k}/" for k in range(1, shards)]
    own = {TERMS_FILE: box_terms(view, groups, extra), READINGS_FILE: readings_json()}  # (typo correction)
    tell_name(workdir, bundle_name(keys, own))
    if stage_now:
        for k, urls in enumerate(members):
            for url in urls:
                target = sites[k] / url
                target.parent.mkdir(parents=True, exist_ok=True)
                (staging / url).rename(target)
    else:
        wanted = {url for k in range(shards) if not bundles.has(keys[k]) for url in members[k]}
        for r in records(view, matcher, record_cache, only=wanted):
            _stage(sites[shard_of(r.url, shards)], r.url, record_html(r))
    if record_cache is not None:
        record_cache.close(prune=not known)  # (records skipped as known were not looked up)
    bundle = workdir / "bundle"
    logs, code = [f"Records made: {made} of {len(pairs)}"], 0
    for k, site in enumerate(sites):
        out = bundle if k == 0 else bundle / SHARDS_DIR / str(k)
        count = bundles.fetch(keys[k], out) if bundles is not None else None
        if count is not None:
            logs.append(f"Indexed {count} pages (shard {k}: unchanged, from the cache)")
            continue
        code, log, count = index_shard(binary, site, out, k)
        logs.append(log)
        shutil.rmtree(site, ignore_errors=True)
        if code != 0:
            break
        if bundles is not None and count is not None:
            bundles.store(keys[k], out, count)
    (workdir / "log.txt").write_text("\n".join(logs), encoding="utf-8")
    if code == 0:  # the word groups and the other shards, for the search box (search.js)
        if bundles is not None:
            bundles.prune()
        for name, text in own.items():
            (bundle / name).write_text(text, encoding="utf-8")
    shutil.rmtree(pages if pages != workdir else staging, ignore_errors=True)
    sys.exit(code)


def box_terms(view: View, groups: list[list[str]], shards: list[str]) -> str:
    """What the search box reads once besides the index (search_groups.terms_json): the word
    groups, the dictionary (search_words.py), the stop and how-to phrases of the search-terms
    file, the item count (for inverse document frequency) and the index's marker tokens."""
    phrases = parse_search_terms(view.lib.root)
    items = [view.items[i] for i in sorted(view.items)]
    words, pieces = dictionary(items, groups, phrases.stop + phrases.howto)
    return terms_json(groups, shards, words=words, pieces=pieces,
                      stop=phrases.stop, howto=phrases.howto, n=len(items), mark=MARK, kinds=KIND_TOKENS,
                      weights=WEIGHTS)


def _stage(folder: Path, url: str, text: str) -> None:
    page = folder / url / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")


def _keep_index_only(bundle: Path) -> None:
    """A merged shard is read through the first bundle's script and WebAssembly: keep only its
    entry file, metadata, index, fragment and filter files."""
    for child in bundle.iterdir():
        if child.is_file() and not (child.name == "pagefind-entry.json" or child.suffix == ".pf_meta"):
            child.unlink()


def index_shard(binary, site: Path, out: Path, k: int) -> tuple[int, str, int | None]:
    """Pagefind over one shard's record pages into `out`: (exit code, its output, the pages it
    indexed when it said so once). Shards after the first keep only their index (the first
    shard's folder holds the one pagefind.js and wasm the box loads)."""
    try:
        proc = subprocess.run([str(binary), "--site", str(site), "--output-path", str(out), "--force-language", LANGUAGE],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=die_with_parent)
    except OSError as exc:  # (removed or replaced since the build looked: said in the job's log, not as a traceback)
        return 127, f"cannot run {binary}: {exc}", None
    if proc.returncode == 0 and k > 0:
        _keep_index_only(out)
    found = [int(n) for n in re.findall(r"Indexed (\d+) pages?", proc.stdout)]
    return proc.returncode, proc.stdout, found[0] if len(found) == 1 else None


def start_index(view: View) -> IndexJob:
    """Start indexing `view` beside the caller: forked, so the Library is shared, not pickled,
    and the records' character pairs are computed on the other core. (A preview indexes shard by
    shard instead: site/preview_index.py.)"""
    binary = _pagefind_binary()
    for leftover in stale(Path(tempfile.gettempdir()), "casebook-pagefind-") + left_record_pages():
        shutil.rmtree(leftover, ignore_errors=True)  # (from a killed build)
    workdir = Path(tempfile.mkdtemp(prefix=temp_prefix("casebook-pagefind-")))
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    process = ctx.Process(target=_index_worker, args=(view, workdir, binary, {}, shard_pairs()), daemon=True)
    process.start()
    return IndexJob(process, workdir)
