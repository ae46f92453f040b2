"""Editors' workflow: scaffolds, schema, photos, coverage — through the installed CLI."""
from __future__ import annotations

import datetime as dt
import os
import pty
import re
import subprocess

import pytest
import yaml

from casebook.core.library import Library
from casebook.core.coverage import coverage
from conftest import CASEBOOK, REPO, TODAY, VALID, run_cli

PLACEHOLDER = re.compile(r"【待填写[^】]*】")


@pytest.mark.parametrize("kind", ["complaint", "emergency", "guide", "story", "standard", "course", "drill"])
def test_unfilled_scaffold_fails_with_hints(valid_tree, kind):
    result = run_cli("new", kind, "my-new-item", "--root", str(valid_tree))
    assert result.code == 0, result.err
    rel = result.out.strip()
    assert f"casebook check --strict {rel}" in result.err  # the bar the commit and the pull request hold it to
    text = (valid_tree / rel).read_text(encoding="utf-8")
    assert f"updated: {TODAY}" in text
    check = run_cli("check", "--root", str(valid_tree), rel)
    assert check.code == 1
    hints = [l for l in check.out.splitlines() if "error[F010]" in l]
    assert len(hints) == len(PLACEHOLDER.findall(text))
    assert all("还没填写：" in l for l in hints)
    assert any("title 还没填写：标题" in l for l in hints)
    lines = [l.split(": ", 1)[0].rsplit(":", 1)[0] for l in check.out.splitlines() if ": error[" in l]
    assert len(lines) == len(set(lines)), check.out  # one problem per line: no F006 beside the F010
    assert " or " not in check.out
    length = re.search(r"正文至少 \d+ 个字，现在是 (\d+) 个字", check.out)
    assert length is None or length.group(1) == "0"  # the hints are not the text


def test_new_help_lists_every_type():
    from casebook.core.model import TYPE_LABELS

    text = run_cli("new", "--help").out
    for kind, label in TYPE_LABELS.items():
        assert f"{kind}（{label}）" in text.replace("\n", "").replace(" ", ""), kind


def test_a_chinese_field_name_is_told_its_english_name(valid_tree):
    story = (valid_tree / "cases/stories/rest-corner.md").read_text(encoding="utf-8")
    (valid_tree / "cases/stories/rest-corner.md").write_text(story.replace("outlet: ", "网点: "), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), "cases/stories/rest-corner.md")
    assert "error[F002]: 未知字段“网点”；字段名要写英文：outlet（网点）" in result.out
    (valid_tree / "cases/stories/rest-corner.md").write_text(story.replace("source: example", "source: 真实"),
                                                             encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), "cases/stories/rest-corner.md")
    assert "source（来源） 只能是 real、example 之一" in result.out and " or " not in result.out
    # part of a label, in an outlet file (名称 for 网点名称); a part two labels share gets no guess
    outlet = valid_tree / "outlets/community.yml"
    text = outlet.read_text(encoding="utf-8")
    outlet.write_text(text.replace("name: ", "名称: ", 1).replace("address: ", "日期: ", 1)
                      if "address: " in text else text.replace("name: ", "名称: ", 1) + "日期: 2026-12-01\n", encoding="utf-8")
    said = run_cli("check", "--root", str(valid_tree), "outlets/community.yml").out
    assert "未知字段“名称”；字段名要写英文：name（网点名称）" in said, said
    assert re.search(r"未知字段“日期”；可用字段：", said), said


FILL = {
    "title": "雨天为客户准备爱心雨伞",
    "summary": "暴雨天客户没带伞，大堂经理借出爱心雨伞并登记，客户第二天送回。",
    "author": "示例支行营业部",
    "outlet": "示例支行营业部",
    "source": "example",
}


def fill_story(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        key = line.split(":", 1)[0]
        if key in FILL:
            line = f"{key}: {FILL[key]}"
        elif key == "staff":
            line = "staff: [周晓雯]"
        lines.append(line)
    text = "\n".join(lines)
    body = ("七月的一个下午突降暴雨，李阿姨办完业务站在门口发愁：没带伞，家里还有小孙子等着接。大堂经理周晓雯看到后，"
            "从爱心伞架上取了一把伞递给她，又帮她在借伞登记本上写好姓氏和日期。李阿姨说第二天一定送回来。"
            "第二天一早，李阿姨不但送回了伞，还带来一袋自家种的青菜，说要谢谢网点的姑娘。周晓雯婉拒了青菜，"
            "请阿姨以后有空来听网点的反诈小课堂。这把伞后来又借给了好几位客户，登记本上写满了感谢的话。")
    return PLACEHOLDER.sub(body, text, count=1) if "【待填写" in text else text


def test_scaffold_filled_in_passes_the_check(valid_tree):
    rel = run_cli("new", "story", "rainy-day-umbrellas", "--root", str(valid_tree)).out.strip()
    path = valid_tree / rel
    path.write_text(fill_story(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert "【待填写" not in path.read_text(encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), "--strict", rel)
    assert result.code == 0, result.out


def test_new_refuses_an_existing_slug_and_bad_names(valid_tree):
    assert run_cli("new", "complaint", "queue", "--root", str(valid_tree)).code == 1  # complaints/queue.md exists
    assert run_cli("new", "complaint", "Bad_Name", "--root", str(valid_tree)).code == 2
    assert run_cli("new", "poem", "x", "--root", str(valid_tree)).code == 2
    # a Windows-reserved name in lower case: `casebook check` refuses it (L012), so `new` must too
    reserved = run_cli("new", "story", "con", "--root", str(valid_tree))
    assert reserved.code == 2 and "保留名" in reserved.err and not (valid_tree / "cases/stories/con.md").exists()


def test_new_takes_the_type_in_chinese_and_a_file_name_with_md(valid_tree):
    """An editor types the type as the site names it (故事, 暖心故事, 预案) and the file name as it
    will be (rainy-day.md); an unknown type lists each with its Chinese name."""
    for kind, slug, rel in (("故事", "rainy-day.md", "cases/stories/rainy-day.md"),
                            ("应急预案", "power-cut", "cases/emergencies/power-cut.md"),
                            ("演练", "queue-drill", "cases/drills/queue-drill.md")):
        result = run_cli("new", kind, slug, "--root", str(valid_tree))
        assert result.code == 0 and result.out.strip() == rel and (valid_tree / rel).is_file(), result.err
    unknown = run_cli("new", "诗歌", "x", "--root", str(valid_tree))
    assert unknown.code == 2 and "story（暖心故事）" in unknown.err and "complaint（投诉案例）" in unknown.err


@pytest.mark.parametrize("title, summary", [
    ("雨天为客户准备爱心雨伞", "暴雨天借出爱心雨伞。"),
    # what an editor may type that YAML reads otherwise: a colon and space, a leading #, quotes
    ("客户问: 伞能借几天", "#1 雨天借伞的故事。"), ("“爱心雨伞”的故事", "'借伞' 不用押金: 还伞随意。"),
])
def test_new_asks_for_title_and_summary_at_a_terminal(valid_tree, title, summary):
    master, slave = pty.openpty()
    proc = subprocess.Popen([CASEBOOK, "new", "stories", "asked", "--root", str(valid_tree)], stdin=slave, stdout=slave,
                            stderr=slave, env={**os.environ, "CASEBOOK_TODAY": TODAY})
    os.close(slave)
    output = b""

    def read_until(marker: str) -> None:
        nonlocal output
        while marker.encode() not in output:
            output += os.read(master, 1024)

    read_until("标题")
    os.write(master, f"{title}\n".encode())
    read_until("摘要")
    os.write(master, f"{summary}\n".encode())
    assert proc.wait(timeout=30) == 0
    os.close(master)
    text = (valid_tree / "cases/stories/asked.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert (front["title"], front["summary"]) == (title, summary)  # as typed, whatever YAML makes of it
    if title == "雨天为客户准备爱心雨伞":  # (plain text stays plain for the editor who opens the file)
        assert f"title: {title}" in text and f"summary: {summary}" in text


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()  # an editor's YAML tool sees dates as text
    return value


def test_schema_validates_the_library_and_carries_the_vocabularies():
    import json

    import jsonschema

    lib = Library.load(REPO, use_cache=False)
    for kind in ["complaint", "emergency", "guide", "story", "standard", "course"]:
        result = run_cli("schema", kind, "--root", str(REPO))
        assert result.code == 0
        schema = json.loads(result.out)
        assert "老年客户" in json.dumps(schema, ensure_ascii=False) or kind in ("standard", "course")
        validator = jsonschema.Draft202012Validator(schema)
        for item in lib.of_type(kind):
            errors = list(validator.iter_errors(_jsonable(item.doc.data)))
            assert not errors, (item.id, errors[0].message)
        bad = _jsonable(dict(lib.of_type(kind)[0].doc.data, customer_groups=["老年人群"]))
        assert list(validator.iter_errors(bad)), kind
    whole = json.loads(run_cli("schema", "--root", str(REPO)).out)
    assert len(whole["oneOf"]) == 7  # the six types and drill
    props = whole["$defs"]["complaint"]["properties"]
    assert props["severity"]["enum"] == ["一般", "较大", "重大"]
    assert props["title"]["title"] == "标题" and props["title"]["maxLength"] == 40


def _jpeg_with_gps_and_comment(path):
    from PIL import Image

    image = Image.new("RGB", (3000, 2000), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 35.0, 12.5)
    gps[3] = "E"
    gps[4] = (114.0, 17.0, 45.0)
    image.save(path, "JPEG", exif=exif, comment=b"SECRET-COMMENT-114.17")


def test_media_clean_removes_gps_exif_and_comment(valid_tree):
    from PIL import Image

    photo = valid_tree / "cases/media/phone-photo.jpg"
    _jpeg_with_gps_and_comment(photo)
    raw = photo.read_bytes()
    assert b"Exif" in raw and b"SECRET-COMMENT" in raw
    before = run_cli("check", "--root", str(valid_tree), "--format", "json").json()
    assert any(d["code"] == "M004" and d["path"] == "cases/media/phone-photo.jpg" for d in before["diagnostics"])
    result = run_cli("media", "clean", "--root", str(valid_tree))
    assert result.code == 0, result.err
    cleaned = photo.read_bytes()
    assert b"Exif" not in cleaned and b"SECRET-COMMENT" not in cleaned and b"GPS" not in cleaned
    assert b"\xff\xfe" not in cleaned.split(b"\xff\xda", 1)[0]  # no COM segment before the image data
    with Image.open(photo) as im:
        assert im.size == (1365, 2048)  # turned upright (orientation 6) and long edge 2048
        assert not im.getexif()
    assert run_cli("check", "--root", str(valid_tree), "--strict").code == 0


def test_media_check_rejects_non_images_and_huge_files(valid_tree):
    (valid_tree / "cases/media/not-a-photo.jpg").write_bytes(b"GIF89a not really")
    (valid_tree / "cases/media/huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
    diagnostics = run_cli("check", "--root", str(valid_tree), "--format", "json").json()["diagnostics"]
    found = {(d["path"], d["code"]) for d in diagnostics}
    assert ("cases/media/not-a-photo.jpg", "M001") in found
    assert ("cases/media/huge.png", "M002") in found


def test_stats_counts_a_known_fixture():
    lib = Library.load(VALID, use_cache=False)
    groups, roles, categories = coverage(lib)
    assert {k: v for k, v in groups.counts.items()} == {("老年客户", "complaint"): 1, ("老年客户", "guide"): 1}
    assert roles.counts == {("大堂经理", "complaint"): 1, ("网点负责人", "emergency"): 1, ("大堂经理", "emergency"): 1,
                            ("保安", "emergency"): 1, ("柜面经理", "standard"): 1}
    assert categories.counts == {("客户自身原因", "emergency"): 1} and categories.columns == ["emergency"]
    assert ("残障客户", "complaint") in groups.empty()
    result = run_cli("stats", "--root", str(VALID))
    assert result.code == 0 and "内容覆盖：客户群体" in result.out and "—" in result.out
    # written to a file or a pipe, every label whole (Rich's 80 columns cut them to "老年客…")
    assert "…" not in result.out and "晨会微演练" in result.out and "老年客户" in result.out, result.out


def test_stats_on_a_library_with_errors_says_so_and_exits_1(valid_tree):
    (valid_tree / "cases" / "complaints" / "x.md").write_text("---\ntitle: 标题四个字\n---\n", encoding="utf-8")
    result = run_cli("stats", "--root", str(valid_tree))
    assert result.code == 1 and "内容覆盖：客户群体" in result.out
    assert re.match(r"案例库有 \d+ 个错误，出错的文件没有计入上表；运行 casebook check 查看", result.err)


def test_pre_commit_and_workflow_files_are_wired():
    hook = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert "casebook check --strict" in hook["entry"] and hook["pass_filenames"] is False
    flow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    steps = " ".join(str(s.get("run", "")) + str(s.get("uses", "")) for s in flow["jobs"]["check-and-build"]["steps"])
    assert "--format github" in steps and "--public" in steps and "upload-artifact" in steps
    template = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "客户已匿名" in template and "照片" in template and "事实已核对" in template


def test_media_check_flags_too_many_pixels_and_leftover_exif(valid_tree):
    from PIL import Image

    Image.new("L", (5000, 4500), 255).save(valid_tree / "cases/media/wide.png")  # 22.5 MP, a small file
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make, no location
    Image.new("RGB", (40, 30), (1, 2, 3)).save(valid_tree / "cases/media/with-exif.jpg", "JPEG", exif=exif)
    diags = run_cli("check", "--root", str(valid_tree), "--format", "json").json()["diagnostics"]
    found = {(d["path"], d["code"], d["severity"]) for d in diags}
    assert ("cases/media/wide.png", "M003", "error") in found
    assert ("cases/media/with-exif.jpg", "M005", "warning") in found
