"""Each attack of the first wall, tried as an attacker would, on a real tree with the real CLI.

Every test here failed on main before the security branch (run once against main's code with
PYTHONPATH pointing at a checkout of main). Two layers are tested where both exist: the
checker rejects (a diagnostic at the line), and the output stage neutralises what still gets
through (the built HTML, the PDF, the served files).
"""
from __future__ import annotations

import http.server
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, png_bytes, run_cli, write

PORT = 8110  # this branch's port: a server that records every request made to it

STORY = """---
title: {title}
summary: 测试用的故事摘要。
date: 2026-01-15
outlet: 测试支行
staff: [周晓雯]
updated: 2026-11-20
source: example
---
一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。
一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。一月的早晨气温零下五度，环卫工人刘大爷在网点门口清扫。大堂经理请他进暖域驿站歇脚，倒上热水。
此后每天早上都有环卫工人来喝一杯热水。
{body}
"""


def story(root: Path, slug: str, title: str = "一个测试用的故事", body: str = "") -> Path:
    return write(root, f"cases/stories/{slug}.md", STORY.format(title=title, body=body))


def found(result, rel: str) -> set[tuple[str, int]]:
    """(code, line) of every diagnostic about one file in a `check` run."""
    return {(code, int(line)) for line, code in
            re.findall(rf"^{re.escape(rel)}:(\d+):\d+: (?:error|warning)\[(\w+)\]", result.out, re.MULTILINE)}


def codes(result, rel: str) -> set[str]:
    return {code for code, _ in found(result, rel)}


# --- 1. stored XSS through titles and vocabulary values --------------------------------------

def test_entity_encoded_markup_in_a_title_is_rejected(valid_tree_with_docs):
    story(valid_tree_with_docs, "xss-title", title='"&lt;/title&gt;&lt;svg onload=alert(1)&gt;"')
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert {("H001", 2), ("H002", 2)} <= found(result, "cases/stories/xss-title.md"), result.out


def test_a_title_reaches_the_built_title_tag_as_text(valid_tree_with_docs, tmp_path):
    # entities of harmless tags pass the checker; Material's `page.title | striptags`
    # unescapes them, so this title closed <title> and opened an element on main
    story(valid_tree_with_docs, "odd-title", title='"报告&lt;/title&gt;&lt;i&gt;斜体"')
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert result.code == 0, result.err
    page = (out / "stories/odd-title/index.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    title = re.search(r"<title>(.*?)</title>", head, re.DOTALL).group(1)
    assert "<" not in title and "报告" in title and "斜体" in title, title
    assert "<i>" not in head and head.count("</title>") == 1


def test_a_title_with_an_unclosed_tag_reaches_every_page_as_text(valid_tree_with_docs, tmp_path):
    # an entity-encoded "<" that opens no complete tag passes the checker and any tag stripping:
    # unescaped by the theme, it would open an element in <title> and in the nav of every page
    story(valid_tree_with_docs, "open-tag", title='"报告 &lt;b x=&quot;1&quot; 完"')
    out = tmp_path / "site"
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert result.code == 0, result.err
    for page in ("stories/open-tag/index.html", "stories/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "报告" in html and not re.search(r"<b\s+x", html), page  # (as text, "&lt;b x" is fine)
    title = re.search(r"<title>(.*?)</title>", (out / "stories/open-tag/index.html").read_text(encoding="utf-8"),
                      re.DOTALL).group(1)
    assert "报告" in title and "完" in title and "<" not in title, title


def test_a_title_from_the_render_cache_reaches_the_title_tag_as_text_too(valid_tree_with_docs, tmp_path):
    # a warm build hands MkDocs the title the render cache kept: it passes the same neutraliser
    story(valid_tree_with_docs, "odd-title", title='"报告&lt;/title&gt;&lt;i&gt;斜体"')
    heads = []
    for n in (1, 2):  # (the second build finds the page in the render cache)
        out = tmp_path / f"site-{n}"
        result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out))
        assert result.code == 0, result.err
        page = (out / "stories/odd-title/index.html").read_text(encoding="utf-8")
        heads.append(page[:page.index("</head>")])
    assert heads[0] == heads[1]
    title = re.search(r"<title>(.*?)</title>", heads[1], re.DOTALL).group(1)
    assert "<" not in title and "斜体" in title and heads[1].count("</title>") == 1


def test_vocabulary_value_with_markup_or_a_path_is_rejected(valid_tree_with_docs):
    vocab = valid_tree_with_docs / "cases/vocabulary.yml"
    text = vocab.read_text(encoding="utf-8")
    text = text.replace("customer_groups:\n", "customer_groups:\n  - 老年&lt;svg onload=alert(1)&gt;\n  - ../../etc\n", 1)
    vocab.write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert [c for c in codes(result, "cases/vocabulary.yml") if c == "F050"], result.out
    assert result.out.count("error[F050]") == 2


# --- 2. template injection on the build machine ----------------------------------------------

INJECTION = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}"


def test_template_code_in_docs_is_rejected_and_never_run(valid_tree_with_docs, tmp_path):
    marker = tmp_path / "pwned"
    write(valid_tree_with_docs, "docs/evil.md", f"# 页面\n\n正文\n\n{INJECTION % marker}\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1 and ("H052", 5) in found(result, "docs/evil.md"), result.out
    build = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "site"))
    assert build.code == 1 and not marker.exists()


def test_template_code_in_docs_is_neutralised_even_past_the_checker(valid_tree_with_docs, tmp_path, monkeypatch):
    """The output stage alone: with docs/ unchecked, the site plugin still evaluates nothing but
    casebook's own macro calls, and those only in a page that asks (`macros: true`), never in a
    title."""
    from casebook.core import docs_check
    from casebook.site.build import build_site

    marker = tmp_path / "pwned"
    title_marker = tmp_path / "pwned-title"
    write(valid_tree_with_docs, "docs/evil.md",
          f"---\nmacros: true\ntitle: \"{INJECTION % title_marker}\"\n---\n\n# 页面\n\n{INJECTION % marker}\n\n"
          "{% for x in range(3) %}循环{% endfor %}\n\n{{ library_counts() }}\n")
    monkeypatch.setattr(docs_check, "check_docs", lambda *args: [])
    build_site(valid_tree_with_docs, tmp_path / "site")
    assert not marker.exists() and not title_marker.exists()
    page = (tmp_path / "site/evil/index.html").read_text(encoding="utf-8")
    assert "cycler.__init__" in page and "循环循环" not in page
    assert 'class="cb-counts"' in page  # the allowed macro still runs


def test_a_docs_page_cannot_choose_its_template(valid_tree_with_docs, tmp_path, monkeypatch):
    """`template:` in a docs/ page's front matter would pick any theme template: the one a cached
    page renders through or 404.html. The checker refuses the key (F002); past the checker, the
    site plugin drops it: every docs page is rendered with the site's own main.html and keeps its text."""
    from casebook.core import docs_check
    from casebook.site.build import build_site

    for name, template in (("blank", "sitemap.xml"), ("notfound", "404.html")):
        write(valid_tree_with_docs, f"docs/{name}.md", f"---\ntemplate: {template}\n---\n\n# 页面{name}\n\n正文{name}。\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1 and {("F002", 2)} <= found(result, "docs/blank.md"), result.out
    monkeypatch.setattr(docs_check, "meta_problems", lambda *args: [])
    build_site(valid_tree_with_docs, tmp_path / "site")
    for name in ("blank", "notfound"):
        page = tmp_path / "site" / name / "index.html"
        assert page.is_file(), name
        html = page.read_text(encoding="utf-8")
        assert f"正文{name}" in html and 'class="md-header' in html


# --- 3. pack SSRF and local file inclusion ---------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png_bytes(3, 3))

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Recorder.requests
    server.shutdown()
    server.server_close()


def _attacks(outside: Path) -> str:
    url = f"http://127.0.0.1:{PORT}"
    return "\n\n".join([
        f"![网络图片]({url}/markdown.png)",
        f'<img src="{url}/img.png">',
        f'<img srcset="{url}/srcset.png 1x">',
        f'<div style="background: url({url}/css.png)">背景</div>',
        f"![本地文件](file://{outside / 'secret.svg'})",
        f'<img src="{outside / "secret.png"}">',
        "![上级目录](../../../../../../../../../..{})".format(outside / "secret.svg"),
    ])


def test_checker_rejects_images_from_the_network_or_elsewhere(valid_tree_with_docs, tmp_path):
    course = valid_tree_with_docs / "cases/courses/etiquette.md"
    course.write_text(course.read_text(encoding="utf-8") + "\n" + _attacks(tmp_path) + "\n", encoding="utf-8")
    outlet = valid_tree_with_docs / "outlets/community.yml"
    outlet.write_text(outlet.read_text(encoding="utf-8").replace(
        "大堂经理: [周晓雯]", f'大堂经理: [周晓雯, "![x](http://127.0.0.1:{PORT}/staff.png)"]'), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    lines = sorted(line for code, line in found(result, "cases/courses/etiquette.md") if code == "H051")
    assert len(lines) == 7, result.out
    assert "H051" in codes(result, "outlets/community.yml"), result.out


def test_pack_renderer_fetches_nothing_outside_media_and_templates(valid_tree_with_docs, tmp_path, recorder):
    """Past the checker (the library is changed in memory), the PDF still fetches nothing from
    the network and embeds no file from outside cases/media/ — from a course body, an item's
    drill script, or a staff name filled into it."""
    from casebook.core.library import Library
    from casebook.packs.render import write_pack

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60">'
                                        '<text x="0" y="40" font-size="30">SECRETSVGTEXT</text></svg>', encoding="utf-8")
    (outside / "secret.png").write_bytes(png_bytes(37, 23))
    lib = Library.load(valid_tree_with_docs, use_cache=False)
    course = lib.items["courses/etiquette"]
    course.body += "\n\n" + _attacks(outside) + "\n"
    standard = lib.items["standards/seven-steps"]
    standard.body += "\n\n## 演练脚本\n\n- 角色：大堂经理\n- 情景：开门迎客\n"
    lib.outlets["community"].outlet.staff["大堂经理"] = [f"![x](http://127.0.0.1:{PORT}/staff.png)"]
    out = tmp_path / "packs"
    write_pack(lib, lib.outlets["community"], out, ("pdf", "html"))
    pdf = out / "community/pack.pdf"
    assert recorder == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SECRETSVGTEXT" not in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert not re.search(r"\b37\s+23\b", images), images
    html = (out / "community/pack.html").read_text(encoding="utf-8")
    for source in ('src="http', 'src="/', 'src="file', "srcset=", "url(http"):
        assert source not in html, source


def test_pack_fetcher_serves_only_media_and_templates(valid_tree_with_docs, tmp_path):
    from casebook.packs.render import TEMPLATES, FetchRefused, allowed_file

    media = valid_tree_with_docs / "cases/media/rest-corner.png"
    assert allowed_file(media.as_uri(), valid_tree_with_docs) == media.resolve()
    assert allowed_file((TEMPLATES / "pack.css").as_uri(), valid_tree_with_docs) == (TEMPLATES / "pack.css").resolve()
    (valid_tree_with_docs / "cases/media/link.png").symlink_to("/etc/passwd")
    for url in [f"http://127.0.0.1:{PORT}/x.png", "https://example.org/x.png", "ftp://h/x", "data:image/png;base64,AA",
                "file:///etc/passwd", (valid_tree_with_docs / "cases/media/../vocabulary.yml").as_uri().replace("%2E", "."),
                f"file://{valid_tree_with_docs}/cases/media/../vocabulary.yml",
                (valid_tree_with_docs / "cases/media/link.png").as_uri(),
                "file://evil.host/etc/passwd"]:
        with pytest.raises(FetchRefused):
            allowed_file(url, valid_tree_with_docs)


# --- 4. symlinks publish files from outside the library --------------------------------------

def test_symlinks_anywhere_in_the_library_are_refused(valid_tree_with_docs, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密\n\n库外的文件\n", encoding="utf-8")
    (valid_tree_with_docs / "docs/leak.md").symlink_to(secret)
    (valid_tree_with_docs / "docs/passwd.md").symlink_to("/etc/passwd")
    (valid_tree_with_docs / "cases/media/passwd.png").symlink_to("/etc/passwd")
    (valid_tree_with_docs / "cases/stories/leak.md").symlink_to(valid_tree_with_docs / "cases/stories/rest-corner.md")
    (valid_tree_with_docs / "outlets/dangling.yml").symlink_to(tmp_path / "nowhere.yml")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    for rel in ("docs/leak.md", "docs/passwd.md", "cases/media/passwd.png", "cases/stories/leak.md",
                "outlets/dangling.yml"):
        assert "L050" in codes(result, rel), (rel, result.out)
    out = tmp_path / "site"
    assert run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out)).code == 1 and not out.exists()


def test_site_never_publishes_a_symlinked_docs_file(valid_tree_with_docs, tmp_path):
    from casebook.site.neutralise import docs_file_allowed

    docs = valid_tree_with_docs / "docs"
    (docs / "leak.md").symlink_to("/etc/passwd")
    (docs / "page.js").write_text("alert(1)", encoding="utf-8")
    assert docs_file_allowed(docs / "index.md", docs, None)
    assert not docs_file_allowed(docs / "leak.md", docs, None)
    assert not docs_file_allowed(docs / "page.js", docs, None)
    assert docs_file_allowed(REPO / "templates/site/partials/header.html", docs, None)  # theme files pass


def test_a_pull_requests_preview_never_publishes_a_folder_linked_from_outside_docs(valid_tree_with_docs, tmp_path):
    # the checker refuses a symlink (L050), but a pull request's preview builds with --keep-going:
    # a page under a linked folder is not a link itself, and must still stay out of the site
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "index.md").write_text("# 内部文件\n\n不该公开的内容。\n", encoding="utf-8")
    (valid_tree_with_docs / "docs" / "sub").symlink_to(outside, target_is_directory=True)
    out = tmp_path / "site"
    result = run_cli("build", "--keep-going", "--root", str(valid_tree_with_docs), "--out", str(out))
    assert result.code in (0, 1) and (out / "index.html").is_file(), result.err
    assert not (out / "sub").exists()
    assert not any("不该公开的内容" in p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html"))

# --- 5. --out over the library ---------------------------------------------------------------


@pytest.mark.parametrize("target", [".", "cases", "cases/stories", "docs", "outlets", ".."])
def test_build_out_over_the_library_is_refused(valid_tree_with_docs, target):
    before = sorted(p.relative_to(valid_tree_with_docs).as_posix() for p in valid_tree_with_docs.rglob("*"))
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(valid_tree_with_docs / target))
    assert result.code == 2, result.err
    assert "输出目录" in result.err
    assert sorted(p.relative_to(valid_tree_with_docs).as_posix() for p in valid_tree_with_docs.rglob("*")) == before


def test_build_out_into_a_folder_that_is_not_a_site_is_refused(valid_tree_with_docs, tmp_path):
    other = tmp_path / "documents"
    write(other, "report.txt", "重要文件")
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(other))
    assert result.code == 2 and (other / "report.txt").is_file(), result.err


# --- 6. external images, fake copy buttons, bidi controls, upper-case event attributes -------

def test_external_images_are_refused_and_stripped(valid_tree_with_docs):
    story(valid_tree_with_docs, "ext", body="![外链](https://tracker.example.net/p.png)\n\n<img src=\"http://10.1.2.3/a.png\">\n\n"
          "![r][ref]\n\n[ref]: //cdn.example.net/r.png\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert {("H051", 13), ("H051", 15), ("H051", 17)} <= found(result, "cases/stories/ext.md"), result.out
    from casebook.site.sanitise import sanitize

    html = sanitize('<p><img src="https://tracker.example.net/p.png" alt="a"><img src="//cdn/x.png">'
                    '<img src="/etc/x.png"><img src="file:///etc/passwd"><img src="../media/ok.png"></p>')
    assert "tracker" not in html and "//cdn" not in html and "file:" not in html
    assert 'src="../media/ok.png"' in html and 'src="/etc/x.png"' in html  # same site: no outside request


def test_imitation_copy_buttons_are_refused_and_stripped(valid_tree_with_docs):
    story(valid_tree_with_docs, "copy", body='<button class="cb-copy" data-copy="请转账到 6222…">复制</button>\n')
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert ("H053", 13) in found(result, "cases/stories/copy.md"), result.out
    from casebook.site.sanitise import sanitize

    html = sanitize('<p><button class="cb-copy big" data-copy="x">复制</button><a class="cb-copy" data-copy="y">z</a></p>')
    # (content keeps no class but the admonition extension's, and no data attribute at all)
    assert "cb-copy" not in html and "data-copy" not in html and "class=" not in html and "<button" not in html


def test_bidi_controls_are_refused_and_removed(valid_tree_with_docs):
    story(valid_tree_with_docs, "bidi", title="\"报告\u202e告报\"", body="正文里的\u2066隔离\u2069控制符\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    got = found(result, "cases/stories/bidi.md")
    assert ("H050", 2) in got and ("H050", 13) in got, result.out
    from casebook.site.sanitise import sanitize
    from casebook.site.neutralise import plain_title

    assert "\u202e" not in sanitize("<p>a\u202eb</p>") and plain_title("报告\u202e告报") == "报告告报"


def test_event_attributes_are_found_in_any_case(valid_tree_with_docs):
    story(valid_tree_with_docs, "upper",
          body='<img src="a.png" ONERROR="alert(1)">\n\n<p OnClick="x()">点</p>\n\n{: ONclick="x()" }\n')
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    got = found(result, "cases/stories/upper.md")
    assert {("H002", 13), ("H002", 15), ("H004", 17)} <= got, result.out


# --- 7. robustness: limits with clear errors, never a traceback ------------------------------

def test_a_decompression_bomb_image_is_a_diagnostic(valid_tree_with_docs, tmp_path):
    # 20,000 × 10,000 = 200 megapixels declared in the header: Pillow refuses to open it
    write(valid_tree_with_docs, "cases/media/bomb.png", png_bytes(20_000, 10_000, data=b"\0" * 100))
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1 and "Traceback" not in result.err
    assert "M003" in codes(result, "cases/media/bomb.png"), result.out + result.err
    build = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "site"))
    assert build.code == 1 and "Traceback" not in build.err


def test_an_oversized_body_or_file_is_a_diagnostic(valid_tree_with_docs):
    course = valid_tree_with_docs / "cases/courses/etiquette.md"
    course.write_text(course.read_text(encoding="utf-8") + "\n" + "晚班课程内容。" * 10_000 + "\n", encoding="utf-8")
    story(valid_tree_with_docs, "huge", body="很长的故事。" * 200_000)
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert "S050" in codes(result, "cases/courses/etiquette.md"), result.out
    assert "L052" in codes(result, "cases/stories/huge.md"), result.out


def test_a_long_vocabulary_value_is_a_diagnostic_not_a_crash(valid_tree_with_docs, tmp_path):
    vocab = valid_tree_with_docs / "cases/vocabulary.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("customer_groups:\n", "customer_groups:\n  - " + "长" * 100 + "\n", 1),
                     encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1 and "F050" in codes(result, "cases/vocabulary.yml"), result.out
    build = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(tmp_path / "site"))
    assert build.code == 1 and "Traceback" not in build.err


def test_new_refuses_long_slugs_newlines_and_symlinks(valid_tree_with_docs, tmp_path):
    long = run_cli("new", "story", "a" * 255, "--root", str(valid_tree_with_docs))
    assert long.code == 2 and "最多 64" in long.err
    newline = run_cli("new", "story", "rainy-day\n", "--root", str(valid_tree_with_docs))
    assert newline.code == 2 and not list((valid_tree_with_docs / "cases/stories").glob("rainy-day*"))
    target = tmp_path / "outside.md"
    (valid_tree_with_docs / "cases/stories/linked.md").symlink_to(target)  # dangling: exists() is False
    linked = run_cli("new", "story", "linked", "--root", str(valid_tree_with_docs))
    assert linked.code == 2 and not target.exists(), linked.err
    checker = run_cli("check", "--root", str(valid_tree_with_docs))
    assert "L050" in codes(checker, "cases/stories/linked.md")
    write(valid_tree_with_docs, "cases/stories/" + "b" * 70 + ".md", STORY.format(title="一个测试用的故事", body=""))
    assert "L051" in codes(run_cli("check", "--root", str(valid_tree_with_docs)), "cases/stories/" + "b" * 70 + ".md")


# --- 8. kill safety --------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_build_leaves_no_worker_and_the_next_build_cleans_up(valid_tree_with_docs, tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "site"
    env = {**os.environ, "TMPDIR": str(tmp), "CASEBOOK_TODAY": "2026-11-29"}
    cli = str(Path(sys.executable).with_name("casebook"))
    proc = subprocess.Popen([cli, "build", "--root", str(valid_tree_with_docs), "--out", str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if list(tmp.glob("casebook-pagefind-*")) and list(tmp_path.glob(".site.building-*")) and workers:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build finished before it could be killed"
    grandchildren = [g for w in workers for g in _children(w)]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)
    assert not [p for p in workers + grandchildren if _alive(p)], "workers outlived the killed build"
    result = run_cli("build", "--root", str(valid_tree_with_docs), "--out", str(out), env={"TMPDIR": str(tmp)})
    assert result.code == 0, result.err
    time.sleep(0.5)
    assert not list(tmp_path.glob(".site.building-*")) and not list(tmp.glob("casebook-pagefind-*"))


def test_the_search_index_is_swapped_in_whole(tmp_path):
    """`casebook serve` rebuilds while phones search: /pagefind/ must never be missing."""
    import multiprocessing

    from casebook.site.search import IndexJob

    site = tmp_path / "site"
    old = site / "pagefind"
    for i in range(3000):  # an old index large enough that deleting it takes a while
        write(old, f"fragment/{i}.pf_fragment", "x")
    write(old, "pagefind.js", "old")
    # Pagefind's output sits in the temporary folder, often on another file system than the site
    shm = Path("/dev/shm")
    workdir = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path / "work"
    for i in range(3000):
        write(workdir, f"bundle/fragment/{i}.pf_fragment", "y")
    write(workdir, "bundle/pagefind.js", "new")
    write(workdir, "log.txt", "Indexed 3 pages")
    process = multiprocessing.get_context("fork").Process(target=int)
    process.start()
    process.join()
    missing = []
    stop = threading.Event()

    def watch():  # what a phone asks for while the index is replaced
        probes = [site / "pagefind/pagefind.js"] + [site / f"pagefind/fragment/{i}.pf_fragment" for i in (0, 1500, 2999)]
        while not stop.is_set():
            missing.extend(p.name for p in probes if not p.is_file())
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert IndexJob(process, workdir).finish(site) == 3
    finally:
        stop.set()
        watcher.join()
    assert (site / "pagefind/pagefind.js").read_text() == "new"
    assert missing == []
    assert [p.name for p in site.iterdir()] == ["pagefind"]


# --- 9. privacy guard misses -----------------------------------------------------------------

@pytest.mark.parametrize("text,code", [
    ("客户手机１３８１２３４５６７８，请回电。", "P002"),  # full-width digits
    ("客户身份证号１１０１０５１９４９１２３１００２Ｘ。", "P001"),  # a full-width ID
    ("客户手机138\u200b1234\u200b5678，请回电。", "P002"),  # split by zero-width spaces
    ("客户手机一三八一二三四五六七八，请回电。", "P002"),  # Chinese numerals
    ("客户的旧身份证号420106850312041已过期。", "P001"),  # 15-digit old ID
    ("客户留的电话（139）1234-5678。", "P002"),  # a mobile dressed as a landline
    ("客户家里电话（０２７）８７６５－４３２１。", "P003"),  # a full-width landline
    ("客户手机&#49;38&#x31;2345678。", "P002"),  # entities
])
def test_privacy_guard_sees_through_disguises(valid_tree_with_docs, text, code):
    story(valid_tree_with_docs, "pii", body=text)
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert (code, 13) in found(result, "cases/stories/pii.md"), result.out


def test_outlet_contacts_and_media_urls_are_scanned(valid_tree_with_docs):
    outlet = valid_tree_with_docs / "outlets/community.yml"
    outlet.write_text(outlet.read_text(encoding="utf-8") + "contacts:\n  - name: 客户张女士\n    phone: \"13812345678\"\n",
                      encoding="utf-8")
    write(valid_tree_with_docs, "cases/stories/media.md", STORY.format(title="一个测试用的故事", body="").replace(
        "updated: 2026-11-20\n", "updated: 2026-11-20\nmedia:\n  - name: 网点公众号\n"
                                 "    url: https://example.org/article?tel=13812345678\n"))
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert "P002" in codes(result, "outlets/community.yml"), result.out
    assert ("P002", 10) in found(result, "cases/stories/media.md"), result.out


# --- a phrase rule that would hang the checker and CI ----------------------------------------

def test_a_phrase_rule_that_could_backtrack_for_ever_is_rejected(valid_tree_with_docs):
    """cases/forbidden-phrases.yml is part of a pull request too. Python's re has no time limit:
    (啊+)+好 against a long run of 啊 never ends (each rule is also looked for in a whole file's
    text). Unbounded and nested repeats are refused (C003) and the rule is not used."""
    write(valid_tree_with_docs, "cases/forbidden-phrases.yml",
          "runaway:\n  pattern: (啊+)+好\n  why: 测试\n  instead: 测试\n"
          "nested:\n  pattern: 嗯(啊{0,9}){0,9}好\n  why: 测试\n  instead: 测试\n"
          "bounded:\n  pattern: 啊[^。]{0,30}不行\n  unless: 不是(真的)?\n  why: 测试\n  instead: 测试\n")
    story(valid_tree_with_docs, "long-sigh", body="客户说：“" + "啊" * 5000 + "。”\n")
    started = time.time()
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert time.time() - started < 120
    assert found(result, "cases/forbidden-phrases.yml") == {("C003", 2), ("C003", 6)}, result.out
    assert "cases/stories/long-sigh.md" not in result.out


def test_a_phrase_rule_too_long_to_time_is_rejected(valid_tree_with_docs):
    """A pattern is also limited in length (1,000 characters; the longest in the list has about
    150): a long alternation of harmless words passes every backtracking guard yet costs time on
    every file. It is refused (C003, asking to split it) and the rule is not used."""
    long_rule = "(" + "|".join(["您稍等"] * 300) + ")"  # (1,199 characters, no repeat at all)
    write(valid_tree_with_docs, "cases/forbidden-phrases.yml",
          f"too-long:\n  pattern: {long_rule}\n  why: 测试\n  instead: 测试\n")
    story(valid_tree_with_docs, "wait-please", body="柜员说：“您稍等，我马上为您办理。”\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert found(result, "cases/forbidden-phrases.yml") == {("C003", 2)}, result.out
    assert "请拆成" in result.out and "cases/stories/wait-please.md" not in result.out
