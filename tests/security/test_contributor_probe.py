"""What a tester attacking the checker as a contributor would found passing `check --strict`:
numbers the privacy guard did not read (tests/guards/test_privacy_attacks.py), and these — the
library's data files never scanned, Markdown in a title becoming a link in the page's heading,
call links in an item reaching the training pack. Each is refused by the checker and made
harmless again where it is output."""
from __future__ import annotations

import re

from casebook.packs.context import to_html
from conftest import library_with_site, run_cli, write

PHONE = "13912345678"


def test_the_programme_the_registry_and_the_vocabulary_get_the_scans_items_get(valid_tree):
    """A day plan with a full name and a mobile is printed on the 1+5 page and in every pack; an
    instrument's description sits on the basis page; the vocabulary was read unscanned too."""
    programme = valid_tree / "cases/programme.yml"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "daytime: [{title: 项目对接}]", f"daytime: [{{title: 项目对接, details: [联系人王建国 {PHONE}]}}]"), encoding="utf-8")
    vocabulary = valid_tree / "cases/vocabulary.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("customer_groups:\n", "customer_groups:\n  - value: 测试客群\n"
                                       "    description: <img src=x onerror=alert(1)>\n", 1), encoding="utf-8")
    write(valid_tree, "cases/basis.yml", "test-law:\n  title: 测试用的法律\n  kind: law\n  issuer: 全国人民代表大会常务委员会\n"
          f"  governs: 咨询请拨 {PHONE}\n")
    result = run_cli("check", "--strict", "--root", str(valid_tree))
    assert result.code == 1
    said = result.out.splitlines()
    assert any(re.match(r"cases/programme\.yml:\d+:\d+: error\[P002\]", line) for line in said), result.out
    assert any(re.match(r"cases/basis\.yml:5:\d+: error\[P002\]", line) for line in said), result.out
    assert any(re.match(r"cases/vocabulary\.yml:\d+:\d+: error\[H00[12]\]", line) for line in said), result.out
    # a check of just the programme file says so too
    only = run_cli("check", "--strict", "--root", str(valid_tree), str(programme))
    assert "cases/programme.yml" in only.out and "P002" in only.out


def test_markdown_in_a_title_is_refused_and_never_a_link_in_a_heading(tmp_path):
    """A story titled "[点击领取补贴](https://evil.example/x)" passed the checker, and every page
    heading is Markdown: the item page's <h1> was that link. The checker refuses it now (H058);
    the site writes every heading taken from the library as text (a vocabulary value's brackets
    are refused too, F050, and its facet page's heading is its name)."""
    root = library_with_site(tmp_path)
    story = root / "cases/stories/rest-corner.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"^title: .*$", "title: \"[点击领取补贴](https://evil.example/x)\"", text, count=1, flags=re.M),
                     encoding="utf-8")
    checked = run_cli("check", "--strict", "--root", str(root))
    assert "error[H058]" in checked.out and re.search(
        r"^cases/stories/rest-corner\.md:\d+:\d+: error\[H058\]: 标题只能写纯文字：“\[”", checked.out, re.M), checked.out

    vocabulary = root / "cases/vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "customer_groups:\n", "customer_groups:\n  - value: \"[领补贴](lingbutie)\"\n", 1), encoding="utf-8")
    refused = run_cli("check", "--root", str(root))
    assert refused.code == 1 and re.search(r"^cases/vocabulary\.yml:\d+:\d+: error\[F050\]", refused.out, re.M), refused.out
    # and the site writes a heading from the library as text all the same (a facet page's is its value)
    import markdown

    from casebook.site.pagekit import plain_heading

    html = markdown.markdown("# " + plain_heading("[领补贴](lingbutie)"))
    assert "<a" not in html and "[领补贴](lingbutie)" in html, html


def test_call_links_in_an_item_are_refused_and_never_reach_the_pack(valid_tree):
    """The pack's sudden-illness plan: "拨打 [120](tel:95105555)" dialled the contributor's number."""
    plan = valid_tree / "cases/emergencies/illness.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n拨打 [120](tel:95105555)，或发[短信](sms:95105555)。\n",
                    encoding="utf-8")
    result = run_cli("check", "--strict", "--root", str(valid_tree))
    said = [line for line in result.out.splitlines() if "error[H003]" in line]
    assert len(said) == 2 and "不允许 tel: 链接" in said[0] and "不允许 sms: 链接" in said[1], result.out
    html = to_html("拨打 [120](tel:95105555)，或发[短信](sms:95105555)，详见 [说明](https://example.cn/a)。")
    assert "tel:" not in html and "sms:" not in html and 'href="https://example.cn/a"' in html, html
    assert ">120<" in html  # (the words stay, as text)


def test_text_crowded_with_brackets_is_refused_and_shown_as_text_at_once(tmp_path):
    """20,000 nested brackets in a story (inside the body's limit) kept the preview build busy
    for minutes, and 100,000 in a docs page kept `check` busy for 83 s before it said nothing:
    Python-Markdown and the privacy guard's reader both looked for a link's end from every `[`.
    The checker refuses such a paragraph (S051) at once; a preview built anyway (--keep-going
    publishes docs pages) shows it as text, as does the pack's renderer."""
    root = library_with_site(tmp_path)
    story = (root / "cases/stories/rest-corner.md").read_text(encoding="utf-8")
    write(root, "cases/stories/brackets.md", story.replace("title: 暖域驿站的一杯热水", "title: 方括号")
          + "\n" + "[" * 20000 + "内容" + "]" * 20000 + "\n")
    write(root, "docs/brackets.md", "# 方括号页面\n\n" + "[" * 100000 + "内容" + "]" * 100000 + "\n")
    write(root, "docs/images.md", "# 图片页面\n\n" + "![x](" * 10000 + "\n")
    checked = run_cli("check", "--root", str(root), timeout=60)
    said = [line for line in checked.out.splitlines() if "error[S051]" in line]
    assert [line.split(":")[0] for line in said] == ["cases/stories/brackets.md", "docs/brackets.md", "docs/images.md"], checked.out
    assert "这一段有 20000 个“[”，最多 100 个" in said[0]
    built = run_cli("build", "--root", str(root), "--out", str(tmp_path / "site"), "--keep-going", timeout=60)
    assert built.code == 1 and not (tmp_path / "site/stories/brackets").exists(), built.err
    page = (tmp_path / "site/brackets/index.html").read_text(encoding="utf-8")
    assert "［［［内容］］］" in page and "<a" not in page.split("<article")[1].split("</article>")[0]
    html = to_html("开头 [链接](https://example.cn/a)\n\n" + "[x](" * 30000 + "\n\n结尾")
    assert 'href="https://example.cn/a"' in html and "［x］(" in html and "结尾" in html


def test_a_huge_number_is_not_printed_whole_and_utf16_is_named(valid_tree):
    outlet = valid_tree / "outlets/community.yml"
    text = outlet.read_text(encoding="utf-8")
    outlet.write_text(text.replace("  customer_groups: [老年客户]", "  customer_groups: [老年客户]\n  mystery_shopper_score: "
                                   + "9" * 5000, 1), encoding="utf-8")
    (valid_tree / "outlets/notepad.yml").write_bytes(text.encode("utf-16"))  # (Notepad's "Unicode")
    result = run_cli("check", "--root", str(valid_tree))
    said = {line.split(":")[0]: line for line in result.out.splitlines() if "error[L00" in line}
    assert "error[L005]" in said["outlets/community.yml"] and "（共 5000 个字符）" in said["outlets/community.yml"]
    assert len(said["outlets/community.yml"]) < 200, said
    assert "可能是 UTF-16" in said["outlets/notepad.yml"], said
