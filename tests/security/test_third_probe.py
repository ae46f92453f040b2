"""What a third tester, attacking the paths the first two rounds left alone, found: `media clean`
reading and writing through a linked item and decoding an image bomb; outlet files and a
vocabulary large enough to stall a pack or a check; emphasis nested deep enough to crash a build;
a start date at the end of the calendar; a pasted title adding a front-matter key; line breaks
from the command line printing forged lines. Each is refused with one diagnostic (or one line),
and nothing slow or unbounded runs first."""
from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import yaml

from casebook.editors.scaffold import scaffold_text
from casebook.packs.context import to_html
from conftest import REPO, run_cli, write


def big_png(path: Path, width: int, height: int) -> None:
    """A grey PNG of that size, compressed as it is made (a few hundred KB for ~100 megapixels)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    pack, row = zlib.compressobj(1), b"\0" + b"\x80" * width
    data = b"".join(pack.compress(row) for _ in range(height)) + pack.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def test_media_clean_never_reads_or_writes_through_a_linked_item(valid_tree, tmp_path):
    """A JPEG named photo.heic and `cases/stories/zz.md` linked to a file outside the library: the
    rename rewrote the outside file (linked to /dev/zero, it read until memory ran out)."""
    from PIL import Image

    outside = tmp_path / "victim.md"
    outside.write_text("notes: see media/photo.heic\n", encoding="utf-8")
    Image.new("RGB", (40, 30), (90, 90, 90)).save(valid_tree / "cases/media/photo.heic", format="JPEG")
    (valid_tree / "cases/stories/zz.md").symlink_to(outside)
    result = run_cli("media", "clean", "cases/media/photo.heic", "--root", str(valid_tree), cwd=valid_tree)
    assert result.code == 0, result.err
    assert (valid_tree / "cases/media/photo.jpg").is_file() and "zz.md" not in result.out
    assert outside.read_text(encoding="utf-8") == "notes: see media/photo.heic\n"


def test_media_clean_refuses_a_huge_png_before_decoding_it_and_still_shrinks_a_big_jpeg(valid_tree):
    """A 657 KB PNG declaring 13000×13000 took 2.1 GB to clean (Pillow decoded it whole, and
    reading a PNG's EXIF decodes it too). A PNG or WebP over 40 megapixels is refused unread; a
    JPEG of any size is decoded at a fraction of its size and shrunk as before."""
    from PIL import Image

    media = valid_tree / "cases/media"
    big_png(media / "wall.png", 7000, 7000)
    before = (media / "wall.png").read_bytes()
    Image.new("RGB", (6000, 4000), (200, 120, 60)).save(media / "phone.jpg", quality=70)
    refused = run_cli("media", "clean", "cases/media/wall.png", "--root", str(valid_tree), cwd=valid_tree)
    assert refused.code == 1 and "7000×7000" in refused.err and "不能清理" in refused.err, refused.err
    assert (media / "wall.png").read_bytes() == before
    shrunk = run_cli("media", "clean", "cases/media/phone.jpg", "--root", str(valid_tree), cwd=valid_tree)
    assert shrunk.code == 0, shrunk.err
    with Image.open(media / "phone.jpg") as im:
        assert im.size == (2048, 1365)


def test_check_says_an_image_bomb_in_one_line(valid_tree):
    """Over Pillow's 89 megapixels, its English DecompressionBombWarning (with a source path)
    printed beside M003; and M003 sent the editor to `media clean`, which refuses such a PNG."""
    big_png(valid_tree / "cases/media/wall.png", 9500, 9500)
    result = run_cli("check", "--root", str(valid_tree), "cases/media/wall.png")
    assert result.code == 1 and "DecompressionBomb" not in result.err + result.out, result.err
    lines = [line for line in result.out.splitlines() if "wall.png" in line]
    assert len(lines) == 1 and "error[M003]" in lines[0] and "media clean" not in lines[0], result.out


def test_outlet_strings_and_lists_have_the_lengths_an_outlet_needs(valid_tree):
    """A 5,000-character outlet name kept the PDF pack busy past 300 s; 10,000 staff ran it out of
    memory. Both passed `check`."""
    outlet = valid_tree / "outlets/community.yml"
    text = outlet.read_text(encoding="utf-8")
    name = re.search(r"^name: (.+)$", text, re.M)[1]
    staff = "\n".join(f"    - 员工{i}" for i in range(10_000))
    role = re.search(r"^staff:\n  (\S+):", text, re.M)[1]
    outlet.write_text(text.replace(f"name: {name}", "name: " + "网" * 5000)
                      .replace(f"staff:\n  {role}:", f"staff:\n  {role}:\n{staff}\n  柜面经理x:", 1), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), timeout=60)
    said = [line for line in result.out.splitlines() if line.startswith("outlets/community.yml")]
    assert result.code == 1 and any("error[F004]: name（网点名称）" in line and "5000" in line for line in said), said
    assert any("error[F004]: staff." in line and "10000" in line for line in said), said
    pack = run_cli("pack", "outlets/community.yml", "--root", str(valid_tree), "--out", str(valid_tree / "o"),
                   "--format", "pdf", cwd=valid_tree, timeout=60)
    assert pack.code == 1 and not (valid_tree / "o/community/pack.pdf").exists()


def test_runs_of_emphasis_are_refused_and_shown_as_text(valid_tree_with_docs, tmp_path):
    """3,000 `*` on each side of a word passed `check --strict` and crashed the build (Markdown's
    table of contents) and the PDF pack (WeasyPrint) with RecursionError, exit 3; `_` in a docs
    page the same. The checker refuses such a paragraph (S051) and every output shows its signs
    full-width, as it already did for brackets."""
    root = valid_tree_with_docs
    deep = "*" * 3000 + "字" + "*" * 3000
    story = root / "cases/stories/rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n\n{deep}\n", encoding="utf-8")
    write(root, "docs/deep.md", "# 很深的一页\n\n" + "_" * 3000 + "字" + "_" * 3000 + "\n")
    result = run_cli("check", "--root", str(root))
    assert result.code == 1
    assert re.search(r"cases/stories/rest-corner\.md:\d+:1: error\[S051\]: 这一段有 6000 个“\*”", result.out), result.out
    assert re.search(r"docs/deep\.md:\d+:1: error\[S051\]: 这一段有 6000 个“_”", result.out), result.out
    preview = run_cli("build", "--keep-going", "--root", str(root), "--out", str(tmp_path / "site"), timeout=120)
    assert preview.code == 1 and "Traceback" not in preview.err, preview.err
    page = (tmp_path / "site/deep/index.html").read_text(encoding="utf-8")
    assert "＿" * 3000 + "字" in page and "<em>" not in page
    assert "＊" * 3000 + "字" in str(to_html(deep))


def test_a_vocabulary_of_thousands_is_refused_and_the_check_stays_fast(valid_tree):
    """19,000 vocabulary values (under the file's size and node limits) and an item listing 1,000
    values not in it: each unknown value was compared with every value, 260 s in all."""
    vocabulary = valid_tree / "cases/vocabulary.yml"
    junk = "".join(f"  - v{i:05d}\n" for i in range(19_000))
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace("customer_groups:\n", f"customer_groups:\n{junk}", 1),
                          encoding="utf-8")
    story = valid_tree / "cases/stories/rest-corner.md"
    many = ", ".join(f"w{i:04d}" for i in range(1000))
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("visibility:", f"customer_groups: [{many}]\nvisibility:", 1), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), timeout=60)
    assert result.code == 1
    assert re.search(r"cases/vocabulary\.yml:\d+:\d+: error\[F004\]: 词表“customer_groups”有 19\d{3} 个值，最多 200 个", result.out)
    assert re.search(r"cases/stories/rest-corner\.md:\d+:\d+: error\[F004\]: customer_groups", result.out), result.out
    assert result.out.count("rest-corner.md") < 5, result.out[:2000]


def test_vocabulary_values_hold_nothing_a_link_a_filter_or_a_scheme_reads(valid_tree):
    """`|` joins a list page's filter values; `[ ]` are a link's text; `javascript:` becomes a
    folder name, a scheme one relative link away."""
    vocabulary = valid_tree / "cases/vocabulary.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("customer_groups:\n", "customer_groups:\n  - 老人|儿童\n  - javascript:alert(1)\n"
                                       "  - 【贵宾】[VIP]\n", 1), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree))
    assert result.code == 1 and result.out.count("error[F050]") == 3, result.out


def test_a_start_date_at_the_end_of_the_calendar_is_one_problem(valid_tree):
    outlet = valid_tree / "outlets/community.yml"
    outlet.write_text(re.sub(r"(?m)^start_date: .*$", "start_date: 9999-12-30", outlet.read_text(encoding="utf-8")),
                      encoding="utf-8")
    for args in (("check",), ("pack", "outlets/community.yml", "--format", "html", "--out", str(valid_tree / "o"))):
        result = run_cli(*args, "--root", str(valid_tree), cwd=valid_tree)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert re.search(r"outlets/community\.yml:\d+:\d+: error\[F009\]: start_date（驻点开始日期）9999-12-30 应在 ",
                         result.out + result.err), result.out + result.err


def test_a_pasted_title_cannot_add_a_front_matter_key():
    """Text pasted from a chat app into `casebook new`'s title prompt: YAML reads U+2028, U+2029
    and U+0085 as line breaks, so the rest became a key of its own."""
    import datetime as dt

    for pasted in ("雨天的爱心伞\u2028visibility:\tpublic", "雨天的爱心伞\u0085consent: true", "雨天\u2029- 伞"):
        text = scaffold_text("story", dt.date(2026, 12, 7), title=pasted, summary="一句话摘要。")
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["visibility"] == "internal" and "consent" not in front, front
        assert front["title"].startswith("雨天")


def test_a_line_break_in_an_argument_prints_no_second_line(valid_tree):
    forged = "ab\ncases/stories/x.md:1:1: error[P001]: forged"
    for args in (("new", "story", forged), ("media", "clean", f"cases/media/a\n{forged}"), ("check", f"cases/x{forged}.md")):
        result = run_cli(*args, "--root", str(valid_tree), cwd=valid_tree)
        assert not any(line.startswith("cases/stories/x.md:1:1") for line in (result.out + result.err).splitlines()), \
            (args, result.out, result.err)


def test_every_location_of_the_nginx_example_says_nosniff():
    """A PNG can carry HTML in its pixel data: served as image/png it never runs, as long as the
    browser does not sniff. nginx drops the server's add_header in a location with its own."""
    config = (REPO / "deploy/nginx.conf.example").read_text(encoding="utf-8")
    blocks = re.findall(r"location [^{]+\{(.*?)\n    \}", config, re.S)
    assert len(blocks) >= 6
    for block in blocks:
        assert "add_header X-Content-Type-Options nosniff always;" in block, block


def test_the_new_cover_fields_are_refused_with_markup_and_printed_as_text(valid_tree):
    """This round put three strings from a pull request on the pack's cover: the outlet's
    `opening_hours`, bank.yml's `outlet_levels` and the bank's `name`. The checker refuses markup
    in each, and the cover writes them as text all the same."""
    from casebook.core.library import Library
    from casebook.packs.context import pack_context
    from casebook.packs.render import render_html

    attack = "<img src=x onerror=alert(1)>"
    outlet = valid_tree / "outlets/community.yml"
    plain = outlet.read_text(encoding="utf-8")
    outlet.write_text(plain + f'opening_hours: "周六 {attack}"\n', encoding="utf-8")
    write(valid_tree, "cases/bank.yml", (REPO / "cases/bank.yml").read_text(encoding="utf-8")
          .replace("name: 本行", f'name: "青石{attack}"', 1).replace("  branch: 二级分行", f'  branch: "总行{attack}"', 1))
    said = run_cli("check", "--root", str(valid_tree)).out
    assert re.search(r"outlets/community\.yml:\d+:\d+: error\[H00\d\]", said), said
    assert re.search(r"cases/bank\.yml:\d+:\d+: error\[K010\]: 参数 bank\.name ", said), said
    assert re.search(r"cases/bank\.yml:\d+:\d+: error\[K010\]: 参数 bank\.outlet_levels\.branch ", said), said
    # the second wall: the same values rendered anyway (the outlet read without its refused line)
    from dataclasses import replace

    outlet.write_text(plain, encoding="utf-8")
    lib = Library.load(valid_tree, use_cache=False)
    entry = lib.outlets["community"]
    entry = replace(entry, outlet=entry.outlet.model_copy(update={"opening_hours": f"周六 {attack}"}))
    html = render_html(pack_context(lib, entry))
    cover = html[html.index('class="cover-facts"'):html.index("</table>")]
    assert "<img" not in cover and cover.count("&lt;img src=x onerror=alert(1)&gt;") == 3, cover


def test_a_public_site_s_unlinked_text_cannot_become_a_link_it_was_not(tmp_path):
    """On a public site a link to an internal item keeps its text only. Inside brackets of its
    own, that text then reads as the text of a new link: `[点这里 [老年客户](…) 看](javascript:…)`.
    The checker refuses the javascript: address at its line, and the page's sanitiser drops it."""
    import markdown

    from casebook.core.links import unlink_hidden
    from casebook.core.model import FOLDERS
    from casebook.site.sanitise import sanitize

    body = "另见[点这里 [老年客户](../guides/elderly-customers.md) 看](javascript:alert(1))。"
    shown = unlink_hidden(body, "stories/x", FOLDERS, lambda ref: False)
    assert "elderly-customers" not in shown
    assert "javascript" not in sanitize(markdown.markdown(shown)).lower()
    write(tmp_path, "cases/stories/x.md", "---\ntitle: 一个故事\n---\n\n" + body + "\n")
    result = run_cli("check", "--root", str(tmp_path), str(tmp_path / "cases/stories/x.md"))
    assert "error[H003]" in result.err + result.out
