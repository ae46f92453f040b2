"""In the built site and the packs: the 制度依据 page (each instrument with the items
resting on it, reachable from the nav, linked from item pages) and the drill type (index,
pages, the 演练主题 facet), then the morning drills chapter of a pack, read back from its HTML.
"""
from __future__ import annotations

import re

import pytest

from conftest import REPO, run_cli

from browsing import launch, serve  # noqa: E402


@pytest.fixture(scope="module")
def sample_site_dir(sample_site):
    return sample_site["dir"]


def test_basis_page_lists_every_instrument_with_the_items_on_it(sample_site_dir, sample_lib):
    page = (sample_site_dir / "basis/index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "制度依据" in page
    for key, inst in sample_lib.registry.entries.items():
        assert f'id="basis-{key}"' in page, key
        section = page.split(f'id="basis-{key}"', 1)[1].split("</section>", 1)[0]
        citing = [i for i in sample_lib.items.values() if key in i.meta.basis]
        assert f"以它为依据的条目：{len(citing)} 条" in section, key
        for item in citing:
            assert f'href="../{item.id}/"' in section, (key, item.id)
        if inst.status == "superseded":  # (the items citing it are the ones to review)
            replacement = sample_lib.registry.entries[inst.superseded_by]
            assert (f'<strong>已失效</strong>，由<a href="#basis-{inst.superseded_by}">《{replacement.title}》</a>替代'
                    "：下列条目需要复核。") in section, key
        else:
            assert "已失效" not in section, key
    assert any(inst.status == "superseded" for inst in sample_lib.registry.entries.values())
    assert len(sample_lib.registry.entries) >= 40
    # the home page's nav reaches it
    assert 'href="basis/"' in (sample_site_dir / "index.html").read_text(encoding="utf-8")


def test_item_page_links_each_basis_key_to_its_instrument(sample_site_dir, sample_lib):
    item = sample_lib.get("emergencies/sudden-illness")
    page = (sample_site_dir / "emergencies/sudden-illness/index.html").read_text(encoding="utf-8")
    foot = page.split('class="cb-basis"', 1)[1].split("</p>", 1)[0]
    for key in item.meta.basis:
        assert f'href="../../basis/#basis-{key}"' in foot, key
        assert sample_lib.registry.title(key) in foot
    # a starter bank rule (cases/bank.yml, replace_before_use) is printed without 《》 and with its label
    starters = [k for k in item.meta.basis if getattr(sample_lib.registry.entries[k], "replace_before_use", False)]
    assert starters
    for key in starters:
        assert f"{sample_lib.registry.entries[key].title}（示例·部署前替换）</a>" in foot
        assert f"《{sample_lib.registry.entries[key].title}》" not in foot


def test_drills_have_an_index_pages_and_a_focus_facet(sample_site_dir, sample_lib):
    drills = sample_lib.of_type("drill")
    assert len(drills) >= 20
    index = (sample_site_dir / "drills/index.html").read_text(encoding="utf-8")
    assert f"<span data-count>{len(drills)}</span>" in index
    assert 'data-facet="focus"' in index
    for drill in drills:
        page = (sample_site_dir / drill.id / "index.html").read_text(encoding="utf-8")
        assert f"{drill.meta.minutes} 分钟" in page and f"演练主题：{drill.meta.focus}" in page
        assert f'href="{drill.id.split("/")[1]}/"' in index
    focus = {d.meta.focus for d in drills}
    for value in focus:
        assert (sample_site_dir / "facets/focus" / value / "index.html").is_file(), value
    assert 'href="drills/"' in (sample_site_dir / "index.html").read_text(encoding="utf-8")


def test_a_reader_follows_a_basis_link_in_chromium(sample_site_dir):
    httpd, url = serve(sample_site_dir)
    try:
        with launch() as browser:
            page = browser.new_page()
            page.goto(f"{url}/emergencies/sudden-illness/")
            page.locator(".cb-basis a").first.click()
            page.wait_for_url(re.compile(r"/basis/#basis-"))
            anchor = page.url.split("#", 1)[1]
            assert page.locator(f"#{anchor}").is_visible()
            # and from the instrument back to an item resting on it
            page.locator(f"#{anchor} .cb-basis-items a").first.click()
            page.wait_for_load_state()
            assert "/basis/" not in page.url and page.locator("h1").first.is_visible()
    finally:
        httpd.shutdown()


def test_pack_has_a_morning_drill_list_per_coaching_day(sample_lib, tmp_path):
    stem = sorted(sample_lib.outlets)[0]
    result = run_cli("pack", f"outlets/{stem}.yml", "--root", str(REPO), "--out", str(tmp_path), "--format", "html")
    assert result.code == 0, result.err
    html = (tmp_path / stem / "pack.html").read_text(encoding="utf-8")
    # each morning from day 2 rehearses the evening before (day 1's morning is introductions)
    chapters = {day: html.split(f'id="drills-{day}"', 1)[1].split("</section>", 1)[0]
                for day in range(2, 6) if f'id="drills-{day}"' in html}
    assert sorted(chapters) == [2, 3, 4, 5] and 'id="drills-1"' not in html
    titles = [t for chapter in chapters.values()
              for t in re.findall(r'<div class="item drill">\s*<h3>([^<]+)<', chapter)]
    assert titles and len(titles) == len(set(titles))  # each drill once in the week
    drill_titles = {d.meta.title for d in sample_lib.of_type("drill")}
    assert set(titles) <= drill_titles
    assert 'href="#drills-2"' in html  # in the table of contents
    big = [sample_lib.get(c).meta.title for c in sample_lib.programme.big_class.courses]
    assert "■ 课程：" + "".join(f"《{t}》" for t in big) in html  # the schedule's 大课 row


def test_programme_page_and_pack_show_the_big_class_course(sample_site_dir, sample_lib, tmp_path):
    courses = sample_lib.programme.big_class.courses
    assert courses and all(sample_lib.get(c).meta.day == 0 for c in courses)
    page = (sample_site_dir / "programme/index.html").read_text(encoding="utf-8")
    row = page.split(">大课<", 1)[1].split("</tr>", 1)[0]
    for cid in courses:
        assert f'href="../{cid}/"' in row and sample_lib.get(cid).meta.title in row
    course_page = (sample_site_dir / courses[0] / "index.html").read_text(encoding="utf-8")
    assert "集中大课 ｜" in course_page
