"""The second round of attacks a hostile contributor tried: each class on a real tree with the
real CLI (regex rules, CI output, images, docs/ names and front matter, packs)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from casebook.core.docs_names import name_problem
from casebook.core.file_names import windows_problem
from conftest import VALID, Result, png_bytes, run_cli, write


def run_within(seconds: float, *args: str) -> tuple[Result, float]:
    """The CLI, failing the test (not hanging it) when it runs past `seconds`."""
    started = time.monotonic()
    try:
        result = run_cli(*args, timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"casebook {' '.join(args)} ran past {seconds} s")
    return result, time.monotonic() - started


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


# --- regex rules: a time bound ---------------------------------------------------------------

RULE = """{key}:
  pattern: {pattern}
  why: 测试用的规则
  instead: 测试用的说法
"""


@pytest.mark.parametrize("pattern", [
    "(?:哈|哈哈){0,40}好",  # an alternation under a bound: 2^40 tries with Python's re
    "(?:哈|哈){0,40}好",
    "哈{0,30}哈{0,30}哈{0,30}哈{0,30}哈{0,30}哈{0,30}好",  # bounded repeats side by side: n^6
    "(?:哈|哈)" * 30 + "好",  # a sequence of alternations: 2^30, also in the regex package
])
def test_a_runaway_rule_cannot_stall_check(valid_tree_with_docs, pattern):
    write(valid_tree_with_docs, "cases/forbidden-phrases.yml", RULE.format(key="laugh", pattern=pattern))
    story(valid_tree_with_docs, "laughing", body="哈" * 120 + "。\n")
    result, took = run_within(60, "check", "--root", str(valid_tree_with_docs))
    assert took < 30, took
    # either the rule ran in bounded time and found nothing, or it was refused at its line
    refused = {line for line in result.out.splitlines() if "[C003]" in line}
    assert all(line.startswith("cases/forbidden-phrases.yml:2:") for line in refused), result.out
    if "(?:哈|哈)(?:哈|哈)" in pattern:
        assert refused and result.code == 1, result.out


def test_a_rule_that_runs_out_of_time_on_an_item_is_refused_at_its_line(valid_tree_with_docs):
    # slow only on a text the probes do not make (a run of 哈 after 呵): refused at run time
    from casebook.core import wrong_advice

    pattern = "呵" + "(?:哈|哈)" * 28 + "好"
    assert not wrong_advice._too_slow(wrong_advice.regex.compile(pattern), pattern)
    write(valid_tree_with_docs, "cases/forbidden-phrases.yml", RULE.format(key="slow", pattern=pattern) +
          RULE.format(key="coins", pattern="硬币不收"))
    for n in range(3):
        story(valid_tree_with_docs, f"laughing-{n}", body="呵" + "哈" * 60 + "好。硬币不收。\n")
    result, took = run_within(60, "check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert [line for line in result.out.splitlines() if "[C003]" in line] == [
        line for line in result.out.splitlines() if line.startswith("cases/forbidden-phrases.yml:2:12: error[C003]")]
    assert result.out.count("[C003]") == 1, result.out  # once, not once per item
    assert result.out.count("[C001]") == 3, result.out  # the other rules still run on every item
    assert took < 30, took


# --- CI output and terminals -----------------------------------------------------------------

INJECTED = "x\n::error file=README.md,line=1::伪造的错误,%0A"


def test_a_file_name_cannot_write_a_workflow_command(valid_tree_with_docs):
    story(valid_tree_with_docs, INJECTED)  # cases/stories/x⏎::error file=README.md,line=1::伪造的错误,%0A.md
    result = run_cli("check", "--root", str(valid_tree_with_docs), "--format", "github")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines and all(line.startswith(("::error file=cases/", "::warning file=cases/")) for line in lines), lines
    ours = [line for line in lines if "file=cases/stories/x" in line]
    assert ours, lines
    for line in ours:
        prop = line.split("::")[1]  # "error file=…,line=…,col=…,title=…": its properties, escaped
        assert prop.startswith("error file=cases/stories/x%0A%3A%3Aerror file=README.md%2Cline=1%3A%3A"
                               "伪造的错误%2C%250A.md,line="), line


def test_control_characters_in_names_reach_no_terminal(valid_tree_with_docs):
    name = "esc\x1b]0;owned\x07\x1b[2J\r\u202eevil\u0085"
    story(valid_tree_with_docs, name)
    text = run_cli("check", "--root", str(valid_tree_with_docs))
    assert text.code == 1 and "[L010]" in text.out
    for stream in (text.out, text.err):
        assert not any(c in stream for c in "\x1b\x07\r\u202e\u0085"), repr(stream)
    assert "esc\\u001b]0;owned\\u0007\\u001b[2J\\u000d\\u202eevil\\u0085" in text.out
    js = run_cli("check", "--root", str(valid_tree_with_docs), "--format", "json")
    assert "\x1b" not in js.out and "\u202e" not in js.out
    assert f"cases/stories/{name}.md" in {d["path"] for d in js.json()["diagnostics"]}  # JSON: lossless


def test_the_pull_request_summary_shows_markup_as_text():
    from markdown_it import MarkdownIt

    from casebook.core.diagnostics import error
    from casebook.editors.pr_summary import summary_markdown

    title = "[点我领奖](https://evil.example/x) <img src=x onerror=alert(1)> **粗** www.evil.example \x1b[2J\u202e"
    path = "cases/stories/[a](https://evil.example).md"
    md = summary_markdown([("A", path)], [error(path, 2, 1, "H001", f"标题：{title}")], {path: title})
    html = MarkdownIt("commonmark").enable("table").render(md)  # as the forge shows it
    assert "<a " not in html and "<img" not in html and "<strong>" not in html, html
    assert "\x1b" not in md and "\u202e" not in md
    assert "[点我领奖](https://evil.example/x) &lt;img src=x onerror=alert(1)&gt; **粗**" in html  # shown as written
    assert html.count("<tr>") == 2  # the header row and one row: the table is intact


# --- images: text metadata, and docs/ images checked like cases/media/ ------------------------

SECRET = "客户张建国 13812345678 110101199003074578"


def _chunk(kind: bytes, payload: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _image(fmt: str, metadata: str):
    """A small image in `fmt` carrying SECRET in one kind of text metadata (bytes)."""
    import io

    from PIL import Image, PngImagePlugin

    image = Image.new("RGB", (64, 48), (90, 140, 200))
    out = io.BytesIO()
    text = SECRET.encode("utf-8")
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        if metadata == "tEXt":
            info.add_text("Comment", "13812345678 110101199003074578")  # tEXt is Latin-1
        elif metadata == "zTXt":
            info.add_text("Description", "13812345678 110101199003074578", zip=True)
        elif metadata == "iTXt":
            info.add_itxt("Description", SECRET)
        image.save(out, "PNG", pnginfo=info)
        data = out.getvalue()
        if metadata == "tEXt after IDAT":  # Pillow reads it only after loading the pixels
            end = data.rindex(b"IEND") - 4
            data = data[:end] + _chunk(b"tEXt", b"Comment\0" + b"13812345678") + data[end:]
        return data
    if fmt == "JPEG":
        exif = Image.Exif()
        if metadata == "ImageDescription":
            exif[0x010E] = "13812345678"
        elif metadata == "UserComment":
            exif.get_ifd(0x8769)[0x9286] = b"UNICODE\0" + SECRET.encode("utf-16-be")
        options = {"comment": text} if metadata == "COM" else {}
        if metadata == "XMP":
            options["xmp"] = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:description>{SECRET}'
                              "</dc:description></x:xmpmeta>").encode("utf-8")
        image.save(out, "JPEG", exif=exif, **options)
        data = out.getvalue()
        if metadata == "IPTC":  # APP13 right after SOI: a caption (2:120) in a Photoshop IRB
            import struct

            record = b"\x1c\x02\x78" + struct.pack(">H", len(text)) + text
            irb = b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0" + struct.pack(">I", len(record)) + record
            data = data[:2] + b"\xff\xed" + struct.pack(">H", len(irb) + 2) + irb + data[2:]
        return data
    if fmt == "WEBP":
        options = {}
        if metadata == "XMP":
            options["xmp"] = f"<x:xmpmeta><dc:title>{SECRET}</dc:title></x:xmpmeta>".encode("utf-8")
        elif metadata == "UserComment":
            exif = Image.Exif()
            exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + b"13812345678"
            options["exif"] = exif
        image.save(out, "WEBP", **options)
        return out.getvalue()
    raise AssertionError(fmt)


KINDS = [("PNG", "tEXt"), ("PNG", "zTXt"), ("PNG", "iTXt"), ("PNG", "tEXt after IDAT"), ("JPEG", "COM"),
         ("JPEG", "IPTC"), ("JPEG", "XMP"), ("JPEG", "ImageDescription"), ("JPEG", "UserComment"),
         ("WEBP", "XMP"), ("WEBP", "UserComment")]
EXT = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


@pytest.mark.parametrize("folder", ["cases/media", "docs/img"])
@pytest.mark.parametrize("fmt,metadata", KINDS)
def test_text_metadata_is_refused_and_cleaned(valid_tree_with_docs, folder, fmt, metadata):
    rel = f"{folder}/meta.{EXT[fmt]}"
    write(valid_tree_with_docs, rel, _image(fmt, metadata))
    result = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert result.code == 1
    ours = [line for line in result.out.splitlines() if line.startswith(f"{rel}:1:1: error[M006]")]
    assert len(ours) == 1 and f"casebook media clean {rel}" in ours[0], result.out
    cleaned = run_cli("media", "clean", "--root", str(valid_tree_with_docs), rel)
    assert cleaned.code == 0 and cleaned.out.split() == [rel], cleaned.err
    data = (valid_tree_with_docs / rel).read_bytes()
    for secret in ("13812345678", "110101199003074578"):
        assert secret.encode() not in data and secret.encode("utf-16-be") not in data
    after = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert after.code == 0 and rel not in after.out, after.out


# EXIF fields a camera or a photo app fills with what someone typed, or with the owner's name:
# (IFD, tag, value), written here from the EXIF standard, not from casebook's list
TYPED_EXIF = {"Artist": (None, 0x013B, "王建国 13812345678"), "Copyright": (None, 0x8298, "王建国"),
              "XPAuthor": (None, 0x9C9D, "王建国".encode("utf-16-le") + b"\0\0"),
              "XPComment": (None, 0x9C9C, "13812345678".encode("utf-16-le") + b"\0\0"),
              "DocumentName": (None, 0x010D, "王建国的照片"), "CameraOwnerName": (0x8769, 0xA430, "王建国")}


@pytest.mark.parametrize("field", sorted(TYPED_EXIF))
def test_every_typed_exif_field_is_refused(valid_tree_with_docs, field):
    from PIL import Image

    ifd, tag, value = TYPED_EXIF[field]
    exif = Image.Exif()
    (exif.get_ifd(ifd) if ifd else exif)[tag] = value
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 160)).save(out, "JPEG", exif=exif)
    rel = "cases/media/owner.jpg"
    write(valid_tree_with_docs, rel, out.getvalue())
    result = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert result.code == 1 and result.out.startswith(f"{rel}:1:1: error[M006]"), result.out


def test_docs_images_get_the_checks_of_cases_media(valid_tree_with_docs):
    import io

    from PIL import Image

    photo = Image.new("RGB", (64, 48))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (30.0, 35.0, 12.5), 3: "E", 4: (114.0, 17.0, 45.0)})
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    write(valid_tree_with_docs, "docs/gps.jpg", out.getvalue())
    write(valid_tree_with_docs, "docs/huge.png", png_bytes(20_000, 10_000, data=b"\0" * 100))
    write(valid_tree_with_docs, "docs/strip.png", png_bytes(12_000, 1))
    write(valid_tree_with_docs, "docs/page.png", b"<html><script>alert(1)</script></html>")
    write(valid_tree_with_docs, "docs/fake.webp", png_bytes(10, 10))  # a PNG named .webp
    write(valid_tree_with_docs, "docs/big.jpg", b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024))
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    got = {(line.split(":")[0], line.split("[")[1][:4]) for line in result.out.splitlines() if "error[M" in line}
    assert {("docs/gps.jpg", "M004"), ("docs/huge.png", "M003"), ("docs/strip.png", "M003"),
            ("docs/page.png", "M001"), ("docs/fake.webp", "M001"), ("docs/big.jpg", "M002")} <= got, result.out
    assert "Traceback" not in result.err
    alone = run_cli("check", "--root", str(valid_tree_with_docs), "docs/gps.jpg")  # checked alone, as pre-commit does
    assert alone.code == 1 and "docs/gps.jpg:1:1: error[M004]" in alone.out, alone.out + alone.err


# --- docs/: names, front matter, titles --------------------------------------------------------

def _lines(result, code: str) -> list[str]:
    return [line for line in result.out.splitlines() if f"[{code}]" in line]


@pytest.mark.parametrize("name", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}.md",  # a title from a file name, rendered by macros
    "<img src=x onerror=alert(1)>.md", "Page.md", "my page.md", "页面.md", "a_b.md", "x.MD", "ok.md.html",
])
def test_docs_page_names_are_kebab_case(valid_tree_with_docs, name):
    write(valid_tree_with_docs, f"docs/{name}", "正文只有一句话，没有一级标题。\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    if name.endswith((".md", ".MD")):
        assert any(line.startswith(f"docs/{name}:1:1: error[L010]") for line in _lines(result, "L010")), result.out


def test_docs_folder_and_image_names_are_kebab_case(valid_tree_with_docs):
    write(valid_tree_with_docs, "docs/{{ config }}/page.md", "# 页面\n")
    write(valid_tree_with_docs, "docs/Photo One.PNG", (VALID / "cases/media/rest-corner.png").read_bytes())
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    got = {line.split(":")[0] for line in _lines(result, "L010")}
    assert {"docs/{{ config }}/page.md", "docs/Photo One.PNG"} <= got, result.out


@pytest.mark.parametrize("rel", [
    "cases/stories/con.md", "cases/stories/nul.md", "cases/media/AUX.png", "cases/media/com1.tar.gz",
    "docs/lpt9.md", "docs/Con", "cases/media/prn .png", "cases/media/x.png.", "cases/media/a:b.png",
    "cases/media/com².png",
])
def test_windows_reserved_names_are_refused(valid_tree_with_docs, rel):
    write(valid_tree_with_docs, rel + ("/index.md" if rel == "docs/Con" else ""),
          (VALID / "cases/media/rest-corner.png").read_bytes() if "media" in rel else "# 页面\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert any(line.startswith(f"{rel}:1:1: error[L012]") for line in _lines(result, "L012")), result.out
    # the name it suggests is one Windows and the docs/ rule both take, the same for the same file
    suggested = [m for line in _lines(result, "L012") + _lines(result, "L010") if line.startswith(f"{rel}:")
                 for m in re.findall(r"如 ([a-z0-9][a-z0-9.-]*)", line)]
    assert suggested and not any(windows_problem(name) for name in suggested), result.out
    if rel.startswith("docs/"):  # (and one the docs/ rule takes: a page, or a folder of pages)
        assert not any(name_problem(name if name.endswith(".md") else f"{name}/index.md") for name in suggested)
    assert len({re.sub(r"\.[a-z0-9]{1,5}$", "", name) for name in suggested}) == 1, result.out


def test_a_long_name_cut_to_length_is_still_a_name_the_rule_takes():
    from casebook.core.file_names import _suggest

    for name in ("a" * 39 + ":b.md", "x" * 60 + "?.png", "con" + "-" * 50 + ".md"):
        suggested = _suggest(name)
        assert not windows_problem(suggested) and not name_problem(suggested), (name, suggested)


@pytest.mark.parametrize("rel", ["cases/stories/con.md", "cases/media/AUX.png"])
def test_a_reserved_name_is_refused_when_only_that_file_is_checked(valid_tree_with_docs, rel):
    # pre-commit checks the staged files one by one: the same rule on that path as on the tree
    write(valid_tree_with_docs, rel, (VALID / "cases/media/rest-corner.png").read_bytes() if "media" in rel
          else (VALID / "cases/stories/rest-corner.md").read_bytes())
    result = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert result.code == 1
    assert any(line.startswith(f"{rel}:1:1: error[L012]") for line in _lines(result, "L012")), result.out


PAGE = "---\n{meta}\n---\n\n# 关于本站\n\n正文。\n"


@pytest.mark.parametrize("meta,code,line", [
    ("subtitle: 副标题", "F002", 2),  # printed raw by the theme: the site drops it, the checker refuses it
    ("description: <img src=x onerror=alert(1)>", "H054", 2),
    ('description: "\\" onfocus=alert(1) autofocus x=\\""', "H054", 2),
    ("title: 关于 {{ config }}", "H054", 2),
    ("title: 关于 {% raw %}", "H054", 2),
    ("title: 关于 &lt;b&gt;", "H054", 2),
    ('title: "关于\\u202e本站"', "H054", 2),
    ('title: "关于\\x1b[31m"', "H054", 2),
    ("title: 关于本站\ntemplate: 404.html", "F002", 3),
    ("title: 关于本站\ndescripton: 错字", "F002", 3),
    ("title: 关于本站\nitems: 1", "H055", 3),
    ("title: 关于本站\nconfig: {site_name: x}", "H055", 3),
    ("title: 关于本站\nhide: [navigation, scripts]", "F006", 3),
    ("title: 关于本站\nsearch: {boost: 1000}", "F002", 3),
    ("title: 关于本站\nmacros: \"yes\"", "F003", 3),
    ("title: [a, b]", "F003", 2),
    ("title: " + "长" * 61, "F004", 2),
])
def test_docs_front_matter_has_a_schema(valid_tree_with_docs, meta, code, line):
    write(valid_tree_with_docs, "docs/about.md", PAGE.format(meta=meta))
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert any(ln.startswith(f"docs/about.md:{line}:") for ln in _lines(result, code)), result.out
    assert "Traceback" not in result.err


def test_multimarkdown_metadata_is_checked_too(valid_tree_with_docs):
    # no --- lines: MkDocs still reads `Key: value` lines at the top as the page's metadata
    write(valid_tree_with_docs, "docs/about.md", "Title: 关于\nDescription: <b>粗</b>\nitems: x\n\n正文。\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs), "docs/about.md")
    assert result.code == 1
    assert any(ln.startswith("docs/about.md:2:") for ln in _lines(result, "H054")), result.out
    assert any(ln.startswith("docs/about.md:3:") for ln in _lines(result, "H055")), result.out


def test_a_multimarkdown_value_continued_on_an_indented_line_is_checked_whole(valid_tree_with_docs):
    # MkDocs joins a line indented four spaces to the value above it: the markup is in the value
    write(valid_tree_with_docs, "docs/about.md", 'Title: 关于\nDescription: 本站说明\n    "><b>领奖</b>\n\n正文。\n')
    result = run_cli("check", "--root", str(valid_tree_with_docs), "docs/about.md")
    assert result.code == 1
    assert any(ln.startswith("docs/about.md:2:") for ln in _lines(result, "H054")), result.out


@pytest.mark.parametrize("h1", ['<img src=x onerror="alert(1)">', "&lt;script&gt;", "关于 {{ 7*7 }}", "a\u202eb",
                                '"> <b>x</b>\n===', "  # 关于 &amp;lt;i&amp;gt;"])
def test_a_title_from_the_first_heading_is_plain_text(valid_tree_with_docs, h1):
    heading = h1 if h1.endswith("===") or h1.startswith(" ") else f"# {h1}"
    write(valid_tree_with_docs, "docs/about.md", f"开头一句。\n\n{heading}\n\n正文。\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs), "docs/about.md")
    assert result.code == 1
    assert any(ln.startswith("docs/about.md:3:1: error[H054]") for ln in _lines(result, "H054")), result.out


def test_good_docs_pages_pass(valid_tree_with_docs):
    write(valid_tree_with_docs, "docs/about.md", PAGE.format(meta="title: 关于本站（试行）\n"
                                                             "description: 网点服务案例库的“用法”、投稿和隐私规则。\nhide: [toc]\n"
                                                             "macros: true"))
    write(valid_tree_with_docs, "docs/guide/how-to-search.md", "# 怎样搜索\n\n在顶部搜索框输入一句话里的词。\n")
    write(valid_tree_with_docs, "docs/guide/search-box.png", (VALID / "cases/media/rest-corner.png").read_bytes())
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 0, result.out


# --- packs: no file:// links, no traceback from a control character ------------------------------

def _pdf_uris(data: bytes) -> list[bytes]:
    """Every /URI of a PDF, in its plain objects and its compressed object streams."""
    import re
    import zlib

    chunks = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return [u for chunk in chunks for u in re.findall(rb"/URI\s*\(([^)]*)\)", chunk)]


def test_pdf_links_never_point_at_the_build_machine(valid_tree_with_docs, tmp_path):
    for path in sorted((valid_tree_with_docs / "cases").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n\n参见 [适老服务指引](../guides/elderly.md) 和 [官网](https://example.org/)。\n",
                        encoding="utf-8")
    assert run_cli("check", "--root", str(valid_tree_with_docs)).code == 0
    result = run_cli("pack", "--root", str(valid_tree_with_docs), "outlets/community.yml", "--format", "pdf",
                     "--out", str(tmp_path / "p"))
    assert result.code == 0, result.err
    data = (tmp_path / "p/community/pack.pdf").read_bytes()
    uris = _pdf_uris(data)
    assert b"https://example.org/" in uris, uris  # the parse sees the links that stay
    assert not [u for u in uris if not u.startswith((b"http://", b"https://"))], uris
    assert str(valid_tree_with_docs).encode() not in data and b"file:" not in b"".join(uris)


def test_a_control_character_in_an_outlet_name_is_one_diagnostic(valid_tree_with_docs, tmp_path):
    outlet = valid_tree_with_docs / "outlets/community.yml"
    outlet.write_text(outlet.read_text(encoding="utf-8").replace("name: 示例支行营业部", 'name: "示例\\x01支行\\x1b[31m营业部"'),
                      encoding="utf-8")
    result = run_cli("pack", "--root", str(valid_tree_with_docs), "outlets/community.yml", "--format", "docx",
                     "--out", str(tmp_path / "p"))
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "outlets/community.yml:1:9: error[H056]" in result.err and "U+0001" in result.err, result.err
    assert "\x1b" not in result.err and "\x01" not in result.err


def test_the_word_form_writer_cleans_what_xml_cannot_hold(valid_tree_with_docs, tmp_path):
    # the second wall: should such a name reach the writer, the form is written, cleaned
    from docx import Document

    from casebook.core.library import build_library
    from casebook.packs.render import write_pack

    lib = build_library(valid_tree_with_docs)
    entry = lib.outlets["community"]
    object.__setattr__(entry.outlet, "name", "示例\x01支行\x1b[31m营业部\u202e")
    files, _ = write_pack(lib, entry, tmp_path / "p", ("docx",))
    text = "\n".join(p.text for p in Document(str(files[0])).paragraphs)
    assert "示例支行[31m营业部" in text and "\x1b" not in text and "\u202e" not in text


@pytest.mark.parametrize("fmt,block", [
    ("PNG", b"caNv"),  # a private chunk
    ("JPEG", b"\xff\xec"),  # APP12 ("Ducky"), a place some editors put a caption
    ("JPEG", b"\xff\xe1"),  # APP1 holding extended XMP
])
def test_any_other_block_that_can_hold_text_is_refused(valid_tree_with_docs, fmt, block):
    import struct

    data = _image(fmt, "none")
    payload = b"http://ns.adobe.com/xmp/extension/\0" + SECRET.encode() if block == b"\xff\xe1" else SECRET.encode()
    if fmt == "PNG":
        end = data.rindex(b"IEND") - 4
        data = data[:end] + _chunk(block, payload) + data[end:]
    else:
        data = data[:2] + block + struct.pack(">H", len(payload) + 2) + payload + data[2:]
    rel = f"cases/media/extra.{EXT[fmt]}"
    write(valid_tree_with_docs, rel, data)
    result = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert f"{rel}:1:1: error[M006]" in result.out, result.out
    assert run_cli("media", "clean", "--root", str(valid_tree_with_docs), rel).code == 0
    assert SECRET.encode() not in (valid_tree_with_docs / rel).read_bytes()
    assert run_cli("check", "--root", str(valid_tree_with_docs), rel).code == 0


def test_a_rule_just_under_the_bound_on_every_file_runs_out_of_its_budget(monkeypatch):
    # each search stays under the one-search limit; all of them together do not
    from casebook.core import wrong_advice
    from casebook.core.wrong_advice import Rule, RuleTimeout, WrongAdvice

    monkeypatch.setattr(wrong_advice, "MATCH_SECONDS", 5.0)
    monkeypatch.setattr(wrong_advice, "RULE_SECONDS", 0.3, raising=False)
    slow = wrong_advice.regex.compile("呵" + "(?:哈|哈)" * 18 + "好")
    advice = WrongAdvice((Rule("slow", slow, "w", "i"),))
    text = "呵" + "哈" * 40 + "好"
    started = time.monotonic()
    with pytest.raises(RuleTimeout):
        for _ in range(200):
            advice.find(text)
    assert time.monotonic() - started < 3


def test_a_rules_budget_counts_its_own_cpu_not_a_busy_machines_clock(monkeypatch):
    # on a loaded machine a search waits for its turn: that wait is no sign of a runaway rule
    from casebook.core import wrong_advice
    from casebook.core.wrong_advice import Rule, WrongAdvice

    class Waiting:  # a pattern whose every search waits 50 ms for the CPU, using none of it
        pattern, flags = "好", 0

        def finditer(self, text, timeout=None):
            time.sleep(0.05)
            return iter(())

    monkeypatch.setattr(wrong_advice, "RULE_SECONDS", 0.3, raising=False)
    advice = WrongAdvice((Rule("waiting", Waiting(), "w", "i"),))
    for _ in range(10):  # 0.5 s of waiting, over the 0.3 s budget if the clock counted
        assert advice.find("好") == []


def test_a_file_name_cannot_forge_a_line_of_text_output(valid_tree_with_docs):
    story(valid_tree_with_docs, "x\ncases/stories/forged.md:1:1: error[P001]: 伪造")
    text = run_cli("check", "--root", str(valid_tree_with_docs))
    js = run_cli("check", "--root", str(valid_tree_with_docs), "--format", "json").json()
    lines = text.out.splitlines()
    assert len(lines) == len(js["diagnostics"]) and lines, text.out
    assert not any(line.startswith("cases/stories/forged.md") for line in lines), text.out


# --- the checker's own patterns, stepped around --------------------------------------------------

@pytest.mark.parametrize("html,code", [
    ('<img alt="a>b" src="x.png" onerror="alert(1)">', "H002"),  # a > inside a quoted value
    ("<img alt='>' onerror=alert(1)>", "H002"),
    ('<a href="jav&#x09;ascript:alert(1)">点我</a>', "H003"),  # a tab entity inside the scheme
    ('<a href="jav&NewLine;ascript:alert(1)">点我</a>', "H003"),  # a newline entity
    ('<div data-basket-src="/x">篮子</div>', "H057"),  # the basket's data attributes
    ('<span id="__config">x</span>', "H057"),  # the theme's config element
    ('<a class="cb-call" href="tel:95588">拨打客服</a>', "H057"),  # the site's call button
    ('<img name="forms" src="x.png">', "H057"),
])
def test_attributes_the_site_reads_and_stepped_around_patterns_are_refused(valid_tree_with_docs, html, code):
    story(valid_tree_with_docs, "attrs", body=f"见下：{html}\n")
    result = run_cli("check", "--root", str(valid_tree_with_docs))
    assert result.code == 1
    assert any(line.startswith("cases/stories/attrs.md:13:") for line in _lines(result, code)), result.out


def test_pack_prints_file_names_as_text_not_rich_markup(valid_tree_with_docs, tmp_path):
    shutil.copy(valid_tree_with_docs / "outlets/community.yml", valid_tree_with_docs / "outlets/x[bold]y[link=mailto:evil]z.yml")
    result = run_cli("pack", "--root", str(valid_tree_with_docs), "--all", "--format", "html", "--out", str(tmp_path / "p"))
    verdict = [line for line in result.err.splitlines() if line.startswith(("已生成", "未生成")) and "x" in line]
    assert verdict and all("x[bold]y[link=mailto:evil]z" in line for line in verdict), result.err
    assert "Traceback" not in result.err



def test_a_free_complaint_type_reaches_the_packs_notes_as_text(valid_tree, tmp_path):
    """An outlet's recent complaint types may be free text (a PR's), and the pack's notes page
    names them in O011, both ways it is worded now: markup the checker lets through is text there."""
    outlet = valid_tree / "outlets/community.yml"
    text = outlet.read_text(encoding="utf-8")
    assert "recent_complaints: [服务效率, 排队难]" in text
    outlet.write_text(text.replace("recent_complaints: [服务效率, 排队难]",
                                   'recent_complaints: [服务效率, "排队<b>难</b> &amp; 慢"]'), encoding="utf-8")
    result = run_cli("pack", "outlets/community.yml", "--root", str(valid_tree), "--format", "html", "--out", str(tmp_path / "p"))
    assert result.code == 0, result.err
    html = (tmp_path / "p" / "community" / "pack.html").read_text(encoding="utf-8")
    assert "近期投诉类型“排队&lt;b&gt;难&lt;/b&gt; &amp;amp; 慢”" in html and "<b>难</b>" not in html
    assert "近期投诉类型“服务效率”的投诉案例，但本周" in html

def test_pre_commit_checks_staged_docs_pages_and_images(valid_tree_with_docs):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(valid_tree_with_docs), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=valid_tree_with_docs, check=True, capture_output=True, env=env)
    write(valid_tree_with_docs, "docs/img/caption.png", _image("PNG", "iTXt"))
    write(valid_tree_with_docs, "docs/about.md", PAGE.format(meta="subtitle: <b>粗</b>"))
    subprocess.run(["git", "add", "docs"], cwd=valid_tree_with_docs, check=True, capture_output=True, env=env)
    result = run_cli("check", "--root", str(valid_tree_with_docs), "--staged")
    assert result.code == 1
    assert "docs/img/caption.png:1:1: error[M006]" in result.out and "docs/about.md:2:" in result.out, result.out


@pytest.mark.parametrize("fmt,where", [("PNG", "after the end"), ("JPEG", "after the end"), ("WEBP", "after the end"),
                                       ("JPEG", "between scans")])
def test_text_hidden_after_the_image_or_between_scans_is_refused(valid_tree_with_docs, fmt, where):
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 200)).save(out, fmt, **({"progressive": True} if fmt == "JPEG" else {}))
    data = out.getvalue()
    text = SECRET.encode()
    if where == "after the end":
        data += text
    else:
        import struct

        last_scan = data.rindex(b"\xff\xda")
        data = data[:last_scan] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[last_scan:]
    rel = f"cases/media/hidden.{EXT[fmt]}"
    write(valid_tree_with_docs, rel, data)
    result = run_cli("check", "--root", str(valid_tree_with_docs), rel)
    assert f"{rel}:1:1: error[M006]" in result.out, result.out
    assert run_cli("media", "clean", "--root", str(valid_tree_with_docs), rel).code == 0
    assert text not in (valid_tree_with_docs / rel).read_bytes()
    assert run_cli("check", "--root", str(valid_tree_with_docs), rel).code == 0
