"""A library too large for one Pagefind run is indexed in shards that the search box merges
(site/search.py): the build's memory stays flat, and a search finds exactly what one index finds.
The sample library is sharded here by lowering CASEBOOK_SEARCH_SHARD_PAIRS."""
from __future__ import annotations

import json

import pytest

from casebook.site.asset_names import pagefind_folder
from conftest import REPO, SAMPLE_SITE_URL, run_cli
from browsing import launch, serve

QUERIES = ["老年客户", "吞卡", "排队 太久", "轮倚", "抢劫", "电信诈骗", "大堂经理", "ATM"]
SHOWN = "(q) => document.querySelector('.cb-search__panel').dataset.query === q"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, sample_site):
    base = tmp_path_factory.mktemp("shards")
    one, many = sample_site["dir"], base / "many"
    result = run_cli("build", "--root", str(REPO), "--out", str(many), env={"CASEBOOK_SEARCH_SHARD_PAIRS": "20000", "CASEBOOK_SITE_URL": SAMPLE_SITE_URL})
    assert result.code == 0, result.err
    return one, many


def test_records_are_split_over_shards_and_none_is_lost(sites):
    one, many = sites
    terms = json.loads((pagefind_folder(many) / "casebook-terms.json").read_text(encoding="utf-8"))
    assert len(terms["shards"]) >= 3 and "shards" not in json.loads(
        (pagefind_folder(one) / "casebook-terms.json").read_text(encoding="utf-8"))
    manifest = json.loads((many / "casebook-build.json").read_text(encoding="utf-8"))
    assert manifest["records"] == manifest["items"] == json.loads((one / "casebook-build.json").read_text())["items"]
    fragments = [len(list((pagefind_folder(many) / d / "fragment").iterdir())) for d in ["", *terms["shards"]]]
    assert sum(fragments) == manifest["items"] and min(fragments) > 0, fragments
    shard = pagefind_folder(many) / terms["shards"][0]
    assert {p.name for p in shard.iterdir() if p.is_file()} <= {"pagefind-entry.json"} | {
        p.name for p in shard.glob("*.pf_meta")}  # no second copy of the script or WebAssembly


def test_a_search_finds_the_same_pages_in_both(sites):
    servers = [serve(folder) for folder in sites]
    found = []
    outside: list[str] = []
    with launch() as browser:
        for _, url in servers:
            page = browser.new_page()
            page.on("request", lambda r, u=url: outside.append(r.url) if not r.url.startswith(u) else None)
            page.goto(url + "/")
            page.wait_for_function("typeof window.casebookSearch === 'function'")
            answers = {}
            for q in QUERIES:
                # every hit, ranked by the search box's own scoring (it reads every candidate)
                hits = page.evaluate("(q) => window.casebookSearch(q)", q)
                answers[q] = [h["url"] for h in hits]
                page.fill("#cb-search-input", q)
                page.wait_for_function(SHOWN, arg=q)
                answers[q + " status"] = page.inner_text(".cb-search__panel .cb-search__status")
            found.append(answers)
            page.close()
    for httpd, _ in servers:
        httpd.shutdown()
    assert outside == []
    one, many = found
    for q in QUERIES:
        assert one[q] and sorted(one[q]) == sorted(many[q]), (q, sorted(set(one[q]) ^ set(many[q]))[:6])  # none lost
        assert one[q + " status"] == many[q + " status"], q  # the same count shown
    # ranking by the search box's formula: the same first page for each query
    assert [one[q][0] for q in QUERIES] == [many[q][0] for q in QUERIES]


def test_a_shard_limit_below_a_records_pairs_makes_no_empty_shard(tmp_path):
    """CASEBOOK_SEARCH_SHARD_PAIRS at its floor (a runner with little memory) asks the sample for
    more shards than some would get records: Pagefind refuses an empty one, so there are fewer
    shards, each with records, and none is lost (search.shard_members)."""
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(REPO), "--out", str(out), env={"CASEBOOK_SEARCH_SHARD_PAIRS": "1000"})
    assert result.code == 0, result.err
    manifest = json.loads((out / "casebook-build.json").read_text(encoding="utf-8"))
    assert manifest["records"] == manifest["items"] and 10 < manifest["search_shards"] < manifest["items"]
    terms = json.loads((pagefind_folder(out) / "casebook-terms.json").read_text(encoding="utf-8"))
    fragments = [len(list((pagefind_folder(out) / d / "fragment").iterdir())) for d in ["", *terms["shards"]]]
    assert len(fragments) == manifest["search_shards"] and min(fragments) > 0 and sum(fragments) == manifest["items"]


def test_shard_members_keeps_every_record_in_its_order_and_no_shard_empty():
    from casebook.site.search import shard_members, shard_of

    urls = [f"stories/s{i}/" for i in range(7)]
    for pairs in (0, 999, 5_000, 7_000, 70_000):
        members = shard_members(urls, pairs, 1_000)
        assert all(members) and sorted(sum(members, [])) == sorted(urls)
        assert all(shard_of(u, len(members)) == k for k, m in enumerate(members) for u in m)
        assert all(m == [u for u in urls if u in m] for m in members)  # (the order given)
    assert len(shard_members(urls, 999, 1_000)) == 1 and len(shard_members(urls, 70_000, 1_000)) <= len(urls)
    assert shard_members([], 0, 1_000) == [[]]
