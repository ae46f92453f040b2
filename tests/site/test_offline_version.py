"""The service worker's version (site/offline.version): any change to a precached file or to the
search index makes a new one, so a phone stores the new copies; nothing else does."""
from __future__ import annotations

import gzip

from casebook.site.offline import version


def _site(tmp_path, bundle: str, fragment: bytes):
    site = tmp_path / "site"
    (site / bundle / "fragment").mkdir(parents=True)
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (site / bundle / "fragment" / "zh-cn_1.pf_fragment").write_bytes(gzip.compress(fragment, mtime=0))
    (site / bundle / "casebook-terms.json").write_text("{}", encoding="utf-8")
    return site


def test_a_named_index_is_versioned_by_its_folder(tmp_path):
    a = version(_site(tmp_path / "a", "pagefind/0123456789", b'{"url":"/x/"}'), ["./"])
    same = version(_site(tmp_path / "b", "pagefind/0123456789", b'{"url":"/x/"}'), ["./"])
    other_index = version(_site(tmp_path / "c", "pagefind/abcdef0123", b'{"url":"/x/"}'), ["./"])
    assert a == same and a != other_index
    site = _site(tmp_path / "d", "pagefind/0123456789", b'{"url":"/x/"}')
    (site / "index.html").write_text("<p>首页，改过</p>", encoding="utf-8")
    assert version(site, ["./"]) != a  # a precached page changed


def test_an_unnamed_index_is_versioned_by_what_it_holds(tmp_path):
    a = version(_site(tmp_path / "a", "pagefind", b'{"url":"/x/","content":"1"}'), ["./"])
    b = version(_site(tmp_path / "b", "pagefind", b'{"url":"/x/","content":"2"}'), ["./"])
    assert a != b
