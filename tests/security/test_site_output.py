"""The site's output stage, second wall: docs/ file names and front matter, casebook's macros in
their sandbox, and item bodies that try to impersonate the site's own markup. Each attack is
built for real; the checker is switched off where the test is about the output stage alone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli, write

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _build_unchecked(tree: Path, out: Path, monkeypatch) -> None:
    """The build with the checker's docs/ and item verdicts ignored: only the output stage stands."""
    from casebook.core import docs_check, file_names
    from casebook.site.build import build_site

    monkeypatch.setattr(docs_check, "check_docs", lambda *args: [])
    monkeypatch.setattr(file_names, "file_name_problems", lambda *args, **kwargs: [])
    build_site(tree, out)


def _executable(html: str) -> list[str]:
    """Markup that would run: script elements other than the theme's and casebook's own, event
    handler attributes, javascript: URLs."""
    found = [m for m in re.findall(r"<script\b[^>]*>.{0,80}", html, flags=re.S)
             if "alert(" in m]
    found += re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", html, flags=re.I)
    found += re.findall(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", html, flags=re.I)
    return found


def test_a_file_name_with_template_code_never_runs_and_is_not_published(valid_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "{{ lipsum.__globals__.os.popen('touch pwned').read() }}.md"
    write(valid_tree, f"docs/{name}", "没有一级标题，也没有 title：标题会取自文件名。\n")
    write(valid_tree, "docs/<svg onload=alert(1)>.md", "文件名是标记。\n")
    _build_unchecked(valid_tree, tmp_path / "site", monkeypatch)
    assert not (tmp_path / "pwned").exists()
    published = [p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")]
    assert not [p for p in published if "lipsum" in p or "onload" in p]


def test_docs_front_matter_reaches_the_theme_as_plain_text_only(valid_tree, tmp_path, monkeypatch):
    write(valid_tree, "docs/about.md", f"---\ntitle: '{HOSTILE}'\ndescription: '{HOSTILE}'\nsubtitle: '{HOSTILE}'\n"
          f"status: '{HOSTILE}'\nicon: '{HOSTILE}'\n---\n\n正文。\n")
    _build_unchecked(valid_tree, tmp_path / "site", monkeypatch)
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert _executable(html) == [], page


def test_macros_run_in_a_sandbox_with_casebook_s_four_functions_only():
    from casebook.site.docs_pages import MacroError, render_macros

    class _View:
        items: dict = {}

        def of_type(self, kind):
            return []

    for attack in ["{{ items.__globals__ }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
                   "{{ range(3) }}", "{{ cycler }}", "{{ lipsum }}", "{{ items | attr('__globals__') }}",
                   "{% for x in items.__code__.co_consts %}{{ x }}{% endfor %}", "{{ config }}"]:
        with pytest.raises(MacroError):
            render_macros(attack, _View(), "", "docs/x.md")
    text, slots = render_macros('前\n\n{{ items(type="story", limit=3) }}\n\n后', _View(), "", "docs/x.md")
    assert text.strip().startswith("前") and text.strip().endswith("后") and slots == {}


def test_a_page_that_does_not_ask_for_macros_shows_them_as_text(valid_tree, tmp_path, monkeypatch):
    write(valid_tree, "docs/plain.md", "# 普通页面\n\n{{ library_counts() }}\n")
    write(valid_tree, "docs/asks.md", "---\nmacros: true\n---\n\n# 用宏的页面\n\n{{ library_counts() }}\n")
    _build_unchecked(valid_tree, tmp_path / "site", monkeypatch)
    plain = (tmp_path / "site" / "plain" / "index.html").read_text(encoding="utf-8")
    asks = (tmp_path / "site" / "asks" / "index.html").read_text(encoding="utf-8")
    assert "library_counts()" in plain and 'class="cb-counts"' not in plain
    assert 'class="cb-counts"' in asks and "library_counts()" not in asks


def _build_past_the_checker(tree: Path, out: Path, monkeypatch, mutate, docs: dict[str, str] | None = None) -> None:
    """Build the valid library after `mutate(item)` has put hostile values into every item in
    memory and `docs` pages are written: the checker refuses them all, so this is the output stage alone."""
    from casebook.core import docs_check
    from casebook.core.library import Library
    from casebook.site.build import build_site

    lib = Library.load(tree, use_cache=False)
    assert not lib.errors
    for item in lib.items.values():
        mutate(item)
    for rel, text in (docs or {}).items():
        write(tree, rel, text)
    monkeypatch.setattr(Library, "load", classmethod(lambda cls, *a, **k: lib))
    monkeypatch.setattr(docs_check, "check_docs", lambda *args: [])
    build_site(tree, out)


def test_an_item_body_cannot_impersonate_what_the_site_s_scripts_read(valid_tree, tmp_path, monkeypatch):
    """nh3 kept every id and data-* attribute: the basket fetched from `data-root`, Material read
    `#__config`, a `cb-call` link posed as the outlet's call button, a marker took casebook's markup.
    The body opens with a tag: it once passed for casebook's own markup and skipped the sanitiser."""
    body = ('<div id="__config">{"base":"https://evil.example"}</div>\n\n'
            '<div data-cb-basket data-root="https://evil.example/"><ul data-basket-list></ul></div>\n\n'
            '<a class="cb-call" href="tel:95588">拨打 110 报警<small>报警</small></a>\n\n'
            '<div data-cb-slot="0"></div>\n\n<h2 id="__search">标题</h2>\n\n'
            '!!! note "提示"\n    管理员提示保持原样。\n\n' + "正文足够长。" * 40)
    story = sorted((valid_tree / "cases" / "stories").glob("*.md"))[0]
    text = story.read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    story.write_text(head + "\n---\n\n" + body + "\n", encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1 and "H057" in result.out  # the checker refuses it …
    story.write_text(text, encoding="utf-8")

    def attack(item):
        if item.id == f"stories/{story.stem}":
            item.body = body

    _build_past_the_checker(valid_tree, tmp_path / "site", monkeypatch, attack)  # … and the output stage holds
    html = (tmp_path / "site" / "stories" / story.stem / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert html.count('id="__config"') == 1  # Material's own
    assert '="https://evil.example' not in article and "data-cb-basket" not in article and "data-root" not in article
    assert "tel:" not in article.split("cb-phrases")[0] and 'class="cb-call"' not in article
    assert 'id="__search"' not in article
    assert 'class="admonition note"' in article  # what Markdown itself writes stays


def test_no_script_but_the_site_s_own_runs_on_any_page_with_hostile_values_everywhere(valid_tree, tmp_path, monkeypatch):
    """Every page type, hostile text in every field a contributor controls (set on the loaded
    library, past the checker, which refuses all of it), opened in Chromium: no handler or
    javascript: URL in any page, no dialog opens, nothing is fetched from another host."""
    from browsing import launch, serve

    def hostile(item):
        meta = item.meta
        for name in ("title", "summary", "author", "outlet", "incident"):
            if isinstance(getattr(meta, name, None), str):
                object.__setattr__(meta, name, f"报告{HOSTILE}")
        if getattr(meta, "tags", None) is not None:
            object.__setattr__(meta, "tags", [HOSTILE])
        for phrase in getattr(meta, "phrases", None) or []:
            object.__setattr__(phrase, "say", f"说{HOSTILE}")
            object.__setattr__(phrase, "when", f"当{HOSTILE}")
        for image in getattr(meta, "images", None) or []:
            object.__setattr__(image, "caption", HOSTILE)
        item.body = f"{HOSTILE}\n\n{item.body}\n\n[点我](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">x</a>\n"

    home = (f"---\nmacros: true\ntitle: '{HOSTILE}'\ndescription: '{HOSTILE}'\n---\n\n"
            f"# 首页\n\n{{{{ items(type=\"story\", heading=\"{HOSTILE}\") }}}}\n\n"
            # every macro (their HTML is casebook's own: it skips the sanitiser)
            "{{ situations() }}\n\n{{ role_entries() }}\n\n{{ library_counts() }}\n\n"
            f"{HOSTILE}\n")
    _build_past_the_checker(valid_tree, tmp_path / "site", monkeypatch, hostile, {"docs/index.md": home})
    site = tmp_path / "site"
    httpd, url = serve(site)
    dialogs, foreign = [], []
    try:
        with launch() as browser:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(url) else None)
            pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html")
                           if "admin" not in p.parts)
            assert len(pages) > 20
            for rel in pages:
                page.goto(f"{url}/{rel}")
                page.wait_for_load_state("load")
                handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
                    [...el.attributes].filter(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
                    .map(a => el.tagName + ' ' + a.name))""")
                assert handlers == [], (rel, handlers)
    finally:
        httpd.shutdown()
    assert dialogs == [] and foreign == []
