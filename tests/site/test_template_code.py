"""Compiled theme templates kept between builds (site/template_code.py): a template whose source
changed compiles afresh, a damaged entry is never used, and another environment never shares one."""
from __future__ import annotations

import jinja2

from casebook.site.template_code import TemplateCode, environment_digest


def _env(folder, cache: TemplateCode, **options) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), **options)
    cache.use_folder(env)
    env.bytecode_cache = cache
    return env


def _compiles(env: jinja2.Environment) -> list[str]:
    seen: list[str] = []
    original = env.compile

    def counted(source, name=None, filename=None, raw=False, defer_init=False):
        seen.append(name)
        return original(source, name, filename, raw, defer_init)

    env.compile = counted
    return seen


def test_a_later_build_uses_the_kept_code_until_the_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CASEBOOK_RENDER_CACHE", raising=False)
    (tmp_path / "t").mkdir()
    page = tmp_path / "t" / "page.html"
    page.write_text("<p>{{ title }}</p>", encoding="utf-8")
    first = _env(tmp_path / "t", TemplateCode())
    assert first.get_template("page.html").render(title="一") == "<p>一</p>"
    assert len(list((tmp_path / "cache").rglob("*.jbc"))) == 1

    again = _env(tmp_path / "t", TemplateCode())  # (a new build: a new environment, a new memory)
    compiled = _compiles(again)
    assert again.get_template("page.html").render(title="二") == "<p>二</p>" and compiled == []

    page.write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    changed = _env(tmp_path / "t", TemplateCode())
    compiled = _compiles(changed)
    assert changed.get_template("page.html").render(title="三") == "<h1>三</h1>" and compiled == ["page.html"]


def test_a_damaged_entry_compiles_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CASEBOOK_RENDER_CACHE", raising=False)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("<p>{{ title }}</p>", encoding="utf-8")
    _env(tmp_path / "t", TemplateCode()).get_template("page.html")
    entry = next((tmp_path / "cache").rglob("*.jbc"))
    for damage in (entry.read_bytes()[:-20], b"not an entry", entry.read_bytes().replace(b"\n", b"\n\x00", 2)):
        entry.write_bytes(damage)
        env = _env(tmp_path / "t", TemplateCode())
        compiled = _compiles(env)
        assert env.get_template("page.html").render(title="好") == "<p>好</p>" and compiled == ["page.html"]


def test_environments_that_compile_differently_never_share_code(tmp_path):
    plain = jinja2.Environment()
    assert environment_digest(plain) == environment_digest(jinja2.Environment())
    for other in (jinja2.Environment(autoescape=True), jinja2.Environment(trim_blocks=True),
                  jinja2.Environment(extensions=["jinja2.ext.do"]), jinja2.Environment(variable_start_string="[[")):
        assert environment_digest(other) != environment_digest(plain)
