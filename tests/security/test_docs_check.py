"""docs/ pages: the macro allow-list matches site/macros.py, and legitimate pages pass."""
from __future__ import annotations

import jinja2
import pytest

from casebook.core.docs_check import MACROS, neutralise_templates, template_problems
from conftest import REPO, library_with_site, run_cli, write


def test_allow_list_names_exactly_the_macros_casebook_defines():
    from casebook.site.macros import casebook_macros

    assert set(casebook_macros(None, "", str)) == set(MACROS)


@pytest.mark.parametrize("text", [
    '{{ items(type="story", limit=5) }}', "{{ role_entries() }}", "{{situations()}}", "{{ library_counts() }}",
    "{{ items(limit=3, type='guide') }}",
])
def test_allowed_calls_pass(text):
    assert template_problems(f"前文 {text} 后文") == []
    assert neutralise_templates(text) == text


@pytest.mark.parametrize("text", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "{{ items(type=config) }}", "{{ items }}",
    "{% include '/etc/passwd' %}", "{# note #}", "{{ items(type=\"a\" ~ x) }}", "{{ role_entries() | safe }}",
    "{{ items(type=\"story\") }}{{ 7*7 }}", "{{- role_entries() -}}", "{%- raw -%}",
])
def test_anything_else_is_flagged_and_never_evaluated(text):
    assert template_problems(text)
    rendered = jinja2.Environment().from_string(neutralise_templates(text)).render(items=lambda **k: "X")
    assert "49" not in rendered and "uid=" not in rendered


def test_the_repository_docs_pass_and_a_docs_file_can_be_checked_alone(tmp_path):
    assert run_cli("check", "--root", str(REPO), "docs/index.md").code == 0
    root = tmp_path / "lib"
    write(root, "cases/vocabulary.yml", (REPO / "cases/vocabulary.yml").read_text(encoding="utf-8"))
    write(root, "docs/page.md", "# 页面\n\n{{ 7*7 }}\n")
    result = run_cli("check", "--root", str(root), "docs/page.md")
    assert result.code == 1 and "docs/page.md:3:1: error[H052]" in result.out, result.out


def test_the_addresses_kept_from_docs_are_exactly_those_a_build_writes(sample_site):
    """core.docs_names.GENERATED names every folder a build writes beside docs/ (the sample's
    docs/ has no folder of its own), and nothing more."""
    from casebook.core.docs_names import GENERATED

    from casebook.core.references import MEDIA_DIR

    written = {p.name for p in sample_site["dir"].iterdir() if p.is_dir()}
    # (media/: the stories' photos, written when a story shows one; the sample's stories show none)
    assert written | {MEDIA_DIR.removeprefix("cases/")} == GENERATED


def test_a_docs_page_at_a_generated_address_is_refused_and_never_published(tmp_path):
    """docs/complaints.md would be written at complaints/ before the list of complaints, which
    MkDocs writes over it; docs/stories/a-story.md would stand among the stories unchecked."""
    root = library_with_site(tmp_path)
    page = "# 投诉处理须知\n\n本行手写的一页说明，写给大堂经理。\n"
    for rel in ("docs/complaints.md", "docs/stories/a-story.md", "docs/complaints-notes.md"):
        write(root, rel, page)
    result = run_cli("check", "--root", str(root))
    refused = {line.split(":")[0] for line in result.out.splitlines() if "error[L010]" in line}
    assert refused == {"docs/complaints.md", "docs/stories/a-story.md"}, result.out
    assert "complaints-notes" in result.out and "案例库自己生成的页面" in result.out
    built = run_cli("build", "--keep-going", "--root", str(root), "--out", str(tmp_path / "site"))
    site = tmp_path / "site"
    assert built.code == 1 and (site / "complaints-notes" / "index.html").is_file(), built.err
    assert "本行手写的一页说明" not in (site / "complaints" / "index.html").read_text(encoding="utf-8")
    assert not (site / "stories" / "a-story").exists()


def test_two_docs_pages_at_one_address_are_both_named(tmp_path):
    """about-us.md and about-us/index.md are both about-us/: MkDocs kept one without a word (a pull
    request adding about-us/index.md replaced a reviewed about-us.md). Each names the other, in a
    whole check and in a check of the new file alone (pre-commit)."""
    root = library_with_site(tmp_path)
    write(root, "docs/about-us.md", "# 关于本行\n\n已经审过的一页。\n")
    write(root, "docs/about-us/index.md", "# 关于本行\n\n新加的一页。\n")
    write(root, "docs/tips/atm.md", "# 自助机\n\n一页。\n")
    write(root, "docs/tips/atm/index.md", "# 自助机\n\n另一页。\n")
    write(root, "docs/tips/queue.md", "# 排队\n\n不冲突的一页。\n")
    result = run_cli("check", "--root", str(root))
    named = {line.split(":")[0]: line for line in result.out.splitlines() if "error[L010]" in line}
    assert set(named) == {"docs/about-us.md", "docs/about-us/index.md", "docs/tips/atm.md", "docs/tips/atm/index.md"}
    assert "docs/about-us/index.md" in named["docs/about-us.md"] and "（about-us/）" in named["docs/about-us.md"]
    alone = run_cli("check", "--root", str(root), "docs/about-us/index.md")
    assert alone.code == 1 and "与 docs/about-us.md 发布在同一个地址" in alone.out, alone.out
    # the site decides as the checker does: a --keep-going build (the pull request's preview)
    # publishes neither page of a pair, not whichever MkDocs keeps
    built = run_cli("build", "--keep-going", "--root", str(root), "--out", str(tmp_path / "site"))
    site = tmp_path / "site"
    assert built.code == 1 and (site / "tips" / "queue" / "index.html").is_file(), built.err
    assert not (site / "about-us").exists() and not (site / "tips" / "atm").exists()


def test_only_pages_that_share_an_address_are_twins_and_images_beside_a_folder_pass():
    from casebook.core.docs_names import name_problem, twin_page

    there = lambda other: True  # noqa: E731 (every other file exists)
    assert twin_page("a.md", there) == "a/index.md" and twin_page("a/index.md", there) == "a.md"
    # index.md is the home page (/), index/index.md is index/, a/index/index.md is a/index/
    assert twin_page("index.md", there) is None and twin_page("index/index.md", there) is None
    assert twin_page("a/index/index.md", there) is None
    # an image at the top is published as media.png, beside media/: nothing of the site's is there
    assert name_problem("media.png") is None and name_problem("search.png") is None
    assert name_problem("media/x.png") and name_problem("media.md") and name_problem("assets/x.png")


def test_a_refused_docs_file_does_not_take_the_theme_s_file_with_it(tmp_path):
    """docs/assets/… names a file of the theme (its stylesheet, the site's icon): refused (L010),
    and a --keep-going build (the pull request's preview) still publishes the theme's own file,
    which every page links to, instead of neither."""
    root = library_with_site(tmp_path)
    clean = run_cli("build", "--root", str(root), "--out", str(tmp_path / "clean"))
    assert clean.code == 0, clean.err
    theme = sorted(p.relative_to(tmp_path / "clean").as_posix() for p in (tmp_path / "clean" / "assets").rglob("*")
                   if p.suffix in (".css", ".png") and not p.name.startswith("casebook."))
    assert theme, "the theme publishes stylesheets and icons"
    for rel in theme[:2] + theme[-2:]:
        write(root, f"docs/{rel}", "body { display: none }" if rel.endswith(".css") else "not the icon")
    built = run_cli("build", "--keep-going", "--root", str(root), "--out", str(tmp_path / "site"))
    assert built.code == 1 and "L010" in built.err, built.err
    for rel in theme[:2] + theme[-2:]:
        assert (tmp_path / "site" / rel).read_bytes() == (tmp_path / "clean" / rel).read_bytes(), rel


def test_a_file_docs_does_not_publish_is_told_the_name_it_could_have():
    from casebook.core.docs_names import name_problem

    assert "notice.md" in name_problem("Notice.TXT") and "notice.png" in name_problem("Notice.TXT")
    assert "page.md" in name_problem("通知.docx")
    # (never a name the rule refuses in turn: Windows' and the site's own names get a suffix)
    assert "con-page.md" in name_problem("con.txt") and "complaints-notes.md" in name_problem("complaints.txt")
    assert name_problem("notice.md") is None
