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

    written = {p.name for p in sample_site["dir"].iterdir() if p.is_dir()}
    assert written == GENERATED


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
