"""Names and phone numbers on the printed pack: whole on one line where they fit (Chinese text
may otherwise break between any two characters: 刘 / 洋 in a narrow cell, 转 / 801), a long
transliterated name breaking only after its dot, read back from the PDF as a trainer sees it."""
from __future__ import annotations

import subprocess

import yaml

from conftest import run_cli

CROWD = ["李娜", "张伟", "刘洋", "陈思思", "郑丽", "孙悦", "慕容雪", "王芳", "欧阳晓慧", "周一", "吴明", "钱多多"]
LONG = ["热依拉·阿布都克力木·吐尔逊", "迪丽娜尔·阿不都热合曼", "阿依努尔·吾斯曼"]
PHONES = ["0991-23456789-8013", "0477-8612347转2", "0571-8888 6666 转 801"]
# an outlet's name longer than the cover's line (20 pt): it may break only where a part ends
OUTLET = ["中国农业银行", "股份有限公司", "内蒙古自治区", "锡林郭勒盟", "正镶白旗", "明安图镇", "营业所"]


def _splits(lines: list[str], word: str, allowed: set[int]) -> list[str]:
    """Where a line ends inside `word` and the next one goes on with the rest (at a cut not allowed)."""
    found = []
    for a, b in zip(lines, lines[1:]):
        for cut in range(1, len(word)):
            if cut not in allowed and a.endswith(word[:cut]) and b.startswith(word[cut:]):
                found.append(f"{a} / {b}")
    return found


def test_names_and_phones_are_not_broken_in_the_middle(valid_tree):
    outlet = yaml.safe_load((valid_tree / "outlets/community.yml").read_text(encoding="utf-8"))
    outlet["staff"]["柜面经理"] = CROWD + LONG[:1]  # (a crowded cell in every table of names)
    outlet["staff"]["内勤行长"] = LONG[1:]
    outlet["name"] = "".join(OUTLET)
    outlet["staff"]["保安"] = ["王<i>五", "李&四"]  # (a pull request's markup: the checker lets <i> by, the pack prints it as text)
    outlet["contacts"] = [{"name": f"支行部门{i}", "phone": phone, "kind": kind}
                          for i, (phone, kind) in enumerate(zip(PHONES, ["支行值班", "保卫", "运营"]))]
    (valid_tree / "outlets/crowded.yml").write_text(yaml.safe_dump(outlet, allow_unicode=True), encoding="utf-8")
    out = valid_tree.parent / "packs"
    result = run_cli("pack", "outlets/crowded.yml", "--root", str(valid_tree), "--out", str(out), "--format", "pdf,html",
                     cwd=valid_tree)
    assert result.code == 0, result.err
    text = subprocess.run(["pdftotext", str(out / "crowded" / "pack.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert "\u2060" not in text and "\u200b" not in text  # (copied from the PDF, a name is as written)
    page = (out / "crowded" / "pack.html").read_text(encoding="utf-8")
    assert "\u2060" not in page and '<span class="unbroken">0477-8612347</span><wbr><span class="unbroken">转2' in page
    assert "<i>五" not in page and "王&lt;i&gt;五" in page and "李&amp;四" in page
    assert "王<i>五" in text and "李&四" in text  # (unescaped for the word joiners, escaped again: as written)
    for name in CROWD + LONG:
        assert name in text.replace("·\n", "·"), name
        assert not _splits(lines, name, {i + 1 for i, ch in enumerate(name) if ch == "·"}), name
    for phone in PHONES:
        assert phone.replace(" ", "") in text.replace(" ", "").replace("\n", ""), phone
        plain = phone.replace(" ", "")  # (a line may break before 转, never after it or inside the number)
        assert not _splits([line.replace(" ", "") for line in lines], plain, {plain.find("转")}), phone
    assert not _splits(lines, "□否", set()), "a tick box and its 否"
    name, ends = "".join(OUTLET), {sum(map(len, OUTLET[:i])) for i in range(1, len(OUTLET))}
    cover = [line.strip() for line in text.split("\f")[0].splitlines() if line.strip()]
    assert name in "".join(cover), cover  # (on two lines: it is longer than one; in running text it may break anywhere)
    assert not _splits(cover, name, ends), "the outlet's name broken inside a word on the cover"


def test_one_person_written_two_ways_is_one_person(valid_tree):
    """王 芳 in one role and 王芳 in another (a space that lined names up in a Word table), and 马丽亚.伊斯哈格
    with a full stop: one person each, counted once, printed one way."""
    outlet = yaml.safe_load((valid_tree / "outlets/community.yml").read_text(encoding="utf-8"))
    outlet["staff"]["柜面经理"] = ["王 芳", "马丽亚.伊斯哈格"]
    outlet["staff"]["客户经理"] = ["王芳"]
    (valid_tree / "outlets/spaced.yml").write_text(yaml.safe_dump(outlet, allow_unicode=True), encoding="utf-8")
    out = valid_tree.parent / "packs"
    result = run_cli("pack", "outlets/spaced.yml", "--root", str(valid_tree), "--out", str(out), "--format", "html",
                     cwd=valid_tree)
    assert result.code == 0, result.err
    assert "warning[O012]" in result.err and "王芳" in result.err  # (one person in two roles, said so)
    page = (out / "spaced" / "pack.html").read_text(encoding="utf-8")
    assert "王 芳" not in page and "马丽亚.伊斯哈格" not in page and "马丽亚·伊斯哈格" in page
    people = sum(len(set(names)) for names in outlet["staff"].values())
    assert f"共 {people - 1} 人" in page  # (王芳 once)


def test_an_outlet_name_with_markup_prints_as_text_on_the_cover():
    """The cover's outlet name is cut into runs by the template's `place` filter: every part is
    escaped, whatever a pull request wrote."""
    from casebook.packs.linebreaks import place

    shown = str(place('<img src=x onerror="alert(1)">青溪县&石门乡营业所'))
    assert "<img" not in shown and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in shown and "&amp;石门乡" in shown
