"""`casebook pack` inputs and messages: the file named is the file used, every problem as
path:line:col with an O-code, warnings on the pack's last page, QR codes when site_url is set,
one outlet's outputs swapped in together. HTML only (no WeasyPrint) except where PDF matters."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import REPO, run_cli

OUTLET = "example-community"


@pytest.fixture
def repo_copy(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "outlets", root / "outlets")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def outlet_text(root, **changes) -> str:
    text = (root / "outlets" / f"{OUTLET}.yml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def notes(html: str) -> str:
    """The pack's last chapter (生成提示), as plain text."""
    return re.sub(r"<[^>]+>", "", html.split('id="notes"')[1])


def test_pack_uses_exactly_the_file_named_wherever_it_is(repo_copy, tmp_path):
    elsewhere = tmp_path / "some" / "dir"
    elsewhere.mkdir(parents=True)
    (elsewhere / "x.yml").write_text(outlet_text(repo_copy, **{"name: 示例支行营业部": "name: 别处的网点"}), encoding="utf-8")
    result = run_cli("pack", "some/dir/x.yml", "--root", str(repo_copy), "--out", str(tmp_path / "o"),
                     "--format", "html", cwd=tmp_path)
    assert result.code == 0, result.err
    html = (tmp_path / "o" / "x" / "pack.html").read_text(encoding="utf-8")
    assert "别处的网点" in html and "示例支行营业部" not in html
    assert "← some/dir/x.yml" in result.err


def test_a_bad_file_outside_outlets_says_where_and_why(repo_copy, tmp_path):
    (tmp_path / "bad.yml").write_text(outlet_text(repo_copy, **{"trainers: [孙老师, 钱老师]": "trainers: [孙老师]"}),
                                      encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run_cli("pack", "bad.yml", "notes.txt", "--root", str(repo_copy), "--out", str(tmp_path / "o"),
                     "--format", "html", cwd=tmp_path)
    assert result.code == 1
    assert re.search(r"^bad\.yml:9:\d+: error\[F004\]: .*项目方案：每个网点应配备不少于 2 名", result.err, re.M), result.err
    assert "notes.txt:1:1: error[O002]" in result.err
    missing = run_cli("pack", "nope.yml", "--root", str(repo_copy), cwd=tmp_path)
    assert missing.code == 2 and "nope.yml:1:1: error[O001]" in missing.err


def test_two_files_with_one_name_are_refused(repo_copy, tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(repo_copy / "outlets" / f"{OUTLET}.yml", tmp_path / "a" / f"{OUTLET}.yml")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", str(tmp_path / "a" / f"{OUTLET}.yml"), "--out",
                     str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 1 and "error[O003]" in result.err


def test_warnings_are_printed_and_listed_for_the_trainer(repo_copy, tmp_path):
    """A Saturday start, a role nobody fills, an alias, an override of an item printed earlier."""
    text = outlet_text(repo_copy, **{"start_date: 2026-12-03": "start_date: 2026-12-05",
                                     "  保安: [何强]\n": "",
                                     "customer_groups: [老年客户,": "customer_groups: [老人,",
                                     "courses/service-etiquette: [standards/teller-seven-steps]":
                                     "courses/service-etiquette: [standards/teller-seven-steps]\n"
                                     "  courses/emergency-handling: [standards/teller-seven-steps, emergencies/robbery]"})
    (repo_copy / "outlets" / f"{OUTLET}.yml").write_text(text, encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 0, result.err
    path = f"outlets/{OUTLET}.yml"
    assert re.search(rf"^{path}:6:13: note\[O004\]: .*2026年12月5日（周六）.*2026年12月8日（周二）", result.err, re.M)
    assert re.search(rf"^{path}:\d+:\d+: warning\[O005\]: 岗位“保安”没有人员", result.err, re.M)
    assert re.search(rf"^{path}:\d+:\d+: warning\[F007\]: .*老人.*老年客户", result.err, re.M)
    assert re.search(rf"^{path}:\d+:\d+: warning\[O008\]: .*柜员服务七步曲.*第1天印出", result.err, re.M)
    listed = notes((tmp_path / "o" / OUTLET / "pack.html").read_text(encoding="utf-8"))
    for code in ("O004", "O005", "F007", "O008", "O006"):
        assert code in listed, code
    html = (tmp_path / "o" / OUTLET / "pack.html").read_text(encoding="utf-8")
    assert "已在第1天晚班印出" in html  # the override refers back instead of printing again


def test_a_week_split_by_a_long_holiday_and_a_big_class_on_a_holiday_are_told(repo_copy, tmp_path):
    """The programme's five coaching days run in a row, each morning drill going over the evening
    before: a Spring Festival inside them (day 1 before it, day 2 eight days later) is told, and so
    is a big class on a day the outlet listed as a holiday. A long weekend is not a long holiday."""
    path = repo_copy / "outlets" / f"{OUTLET}.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(outlet_text(repo_copy, **{
        "big_class_date: 2026-12-01": "big_class_date: 2027-02-01", "start_date: 2026-12-03": "start_date: 2027-02-04",
        "holidays: [2026-12-07]": "holidays: [2027-02-01, 2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11]"}),
        encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 0, result.err
    shown = f"outlets/{OUTLET}.yml"
    said = [line for line in result.err.splitlines() if "[O01" in line]
    assert len(said) == 2, result.err  # (once each: the library's own reading of outlets/ is not printed again)
    assert re.search(rf"^{shown}:5:\d+: note\[O014\]: 大课日期2027年2月1日（周一）在本网点列出的节假日", said[0]), said
    assert re.search(rf"^{shown}:6:\d+: note\[O015\]: 第1天2027年2月4日（周四）和第2天2027年2月12日（周五）之间隔了 7 天"
                     r".*2027年2月17日（周三）才结束", said[1]), said
    listed = notes((tmp_path / "o" / OUTLET / "pack.html").read_text(encoding="utf-8"))
    assert "O014" in listed and "O015" in listed
    # the editor who changed the outlet file learns it from `check` already, before any pack: as
    # notes, which even --strict (a pull request's check) does not count as a failure
    checked = run_cli("check", "--strict", cwd=repo_copy)
    assert checked.code == 0, checked.out + checked.err
    assert [line for line in checked.out.splitlines() if "[O01" in line] == said
    assert checked.err.strip().endswith("0 个错误，0 个警告，2 个提示（提示不算失败）"), checked.err
    annotations = run_cli("check", "--format", "github", f"outlets/{OUTLET}.yml", cwd=repo_copy).out.splitlines()
    assert [a.split(",")[0] for a in annotations] == [f"::notice file=outlets/{OUTLET}.yml"] * 2, annotations
    # Friday, then Tuesday after a Monday holiday (清明, 端午, 中秋 often fall so): nothing to tell
    path.write_text(original, encoding="utf-8")
    path.write_text(outlet_text(repo_copy, **{"start_date: 2026-12-03": "start_date: 2027-04-02",
                                              "holidays: [2026-12-07]": "holidays: [2027-04-05]"}), encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o2"), "--format", "html", cwd=repo_copy)
    assert result.code == 0 and "O015" not in result.err and "O014" not in result.err, result.err


def test_library_errors_stop_every_pack(repo_copy, tmp_path):
    path = repo_copy / "cases" / "guides" / "peak-queue.md"
    path.write_text(path.read_text(encoding="utf-8").replace("scope: 特殊时段", "scope: 特别时段"), encoding="utf-8")
    result = run_cli("pack", "--all", "--out", str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 1 and "cases/guides/peak-queue.md:" in result.err
    assert f"outlets/{OUTLET}.yml:1:1: error[O007]" in result.err
    assert not (tmp_path / "o").exists()


def test_qr_codes_and_short_urls_when_site_url_is_set(repo_copy, tmp_path):
    mk = repo_copy / "mkdocs.yml"
    mk.write_text(mk.read_text(encoding="utf-8").replace("site_name: 网点服务案例库", "site_name: 网点服务案例库\nsite_url: javascript:alert(1)"),
                  encoding="utf-8")
    bad = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "b"), "--format", "html", cwd=repo_copy)
    assert bad.code == 0 and "mkdocs.yml:2:1: warning[O009]" in bad.err
    assert 'class="qr"' not in (tmp_path / "b" / OUTLET / "pack.html").read_text(encoding="utf-8")
    mk.write_text(mk.read_text(encoding="utf-8").replace("javascript:alert(1)", "https://cases.example.cn/"), encoding="utf-8")
    good = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "g"), "--format", "html", cwd=repo_copy)
    assert good.code == 0, good.err
    html = (tmp_path / "g" / OUTLET / "pack.html").read_text(encoding="utf-8")
    printed = re.findall(r'<article class="(?:item item-(?!ref)\w+|plan)" id="item-([\w-]+)"', html)
    assert len(printed) >= 20
    for anchor in printed:
        part = html.split(f'id="item-{anchor}"')[1][:4000]
        assert '<svg viewBox=' in part and 'class="qr"' in part.split("</svg>")[0] + "</svg>", anchor
    cards = html.split('id="cards"')[1]
    assert cards.count('class="card"') == cards.count('class="qr"') > 0
    assert "cases.example.cn/emergencies/sudden-illness/" in html
    assert "https://" not in re.sub(r"<[^>]+>", "", html.split('id="cards"')[1])  # short form printed


def test_one_outlets_outputs_are_swapped_in_together(repo_copy, tmp_path):
    out = tmp_path / "o"
    stale = out / OUTLET
    stale.mkdir(parents=True)
    (stale / "pack.pdf").write_text("from an older run")
    (out / f".{OUTLET}.new-999999999-x1y2z3").mkdir()  # left by a pack killed mid-way (its process is gone)
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(out), "--format", "html", cwd=repo_copy)
    assert result.code == 0, result.err
    assert sorted(p.name for p in stale.iterdir()) == ["pack.css", "pack.html"]  # no pdf of another run
    assert sorted(p.name for p in out.iterdir()) == [OUTLET]  # nothing half-written left beside it, then or now


def test_trainer_override_replaces_the_drawn_items_of_its_type(repo_copy, tmp_path):
    path = repo_copy / "outlets" / f"{OUTLET}.yml"
    text = re.sub(r"(?ms)^overrides:.*\Z", "", path.read_text(encoding="utf-8"))
    path.write_text(text + "overrides:\n  courses/complaint-handling: [complaints/coins-refused]\n", encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), "--format", "html", cwd=repo_copy)
    assert result.code == 0, result.err
    html = (tmp_path / "o" / OUTLET / "pack.html").read_text(encoding="utf-8")
    course = html[html.index("《投诉处理技巧及典型案例分析》<span"):]
    table = course[course.index("选材说明"):]
    table = table[:table.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert "培训老师指定" in rows[0] and "硬币" in rows[0]
    # the one complaint is the trainer's; the guide and the plan the course draws are still there
    assert [r.count("投诉案例") for r in rows] == [1] + [0] * (len(rows) - 1)
    assert any("服务指引" in r or "服务指南" in r for r in rows) and any("应急预案" in r for r in rows)


def test_a_mistyped_override_stops_the_pack_at_its_line(repo_copy, tmp_path):
    """A trainer's override naming an item that does not exist is an error where it is written
    (with the nearest id), wherever the file is: the pack is not made without it."""
    text = re.sub(r"(?ms)^overrides:.*\Z", "", (repo_copy / "outlets" / f"{OUTLET}.yml").read_text(encoding="utf-8"))
    assert text.endswith("\n")
    (tmp_path / "x.yml").write_text(text + "overrides:\n  courses/complaint-handling: [complaints/coins-refuse]\n",
                                    encoding="utf-8")
    result = run_cli("pack", "x.yml", "--root", str(repo_copy), "--out", str(tmp_path / "o"), "--format", "html",
                     cwd=tmp_path)
    line = text.count("\n") + 2
    assert result.code == 1, result.err
    assert re.search(rf"^x\.yml:{line}:\d+: error\[R001\]: .*complaints/coins-refused", result.err, re.M), result.err
    assert not (tmp_path / "o" / "x").exists()


def test_bad_outlet_is_refused_and_all_goes_on(repo_copy, tmp_path):
    bad = repo_copy / "outlets" / "broken.yml"
    bad.write_text(outlet_text(repo_copy, **{"trainers: [孙老师, 钱老师]": "trainers: [孙老师]"}), encoding="utf-8")
    every = run_cli("pack", "--all", "--out", str(tmp_path / "b"), "--format", "html", cwd=repo_copy)
    assert every.code == 1 and "outlets/broken.yml:9:" in every.err and "error[F004]" in every.err
    made = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert made == sorted(p.stem for p in (repo_copy / "outlets").glob("*.yml") if p.stem != "broken")


def test_no_cjk_font_stops_with_a_clear_message(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(tmp_path / "o"), cwd=REPO,
                     env={"FONTCONFIG_FILE": str(conf)})
    assert result.code == 1 and "fonts-noto-cjk" in result.err
    assert not (tmp_path / "o" / OUTLET / "pack.pdf").exists()


def test_usage_errors():
    assert run_cli("pack", cwd=REPO).code == 2
    assert run_cli("pack", "outlets/nope.yml", cwd=REPO).code == 2
    assert run_cli("pack", "--all", "--format", "xml", cwd=REPO).code == 2


def test_a_folder_of_the_outlets_name_that_is_not_a_pack_is_never_replaced(repo_copy, tmp_path):
    """A pack replaces its folder whole (out/<outlet>/): a trainer's own folder of that name, with
    files of their own in it, is refused with its line, before anything is made (O013); a link
    of that name too. A pack's own folder from an earlier run is replaced as before."""
    out = tmp_path / "o"
    own = out / OUTLET
    own.mkdir(parents=True)
    (own / "签到表.xlsx").write_text("a trainer's own file", encoding="utf-8")
    result = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(out), "--format", "html", cwd=repo_copy)
    assert result.code == 1 and "error[O013]" in result.err and f"outlets/{OUTLET}.yml:1:1" in result.err, result.err
    assert [p.name for p in own.iterdir()] == ["签到表.xlsx"] and sorted(p.name for p in out.iterdir()) == [OUTLET]
    (own / "签到表.xlsx").unlink()
    own.rmdir()
    (tmp_path / "elsewhere").mkdir()
    own.symlink_to(tmp_path / "elsewhere")
    linked = run_cli("pack", f"outlets/{OUTLET}.yml", "--out", str(out), "--format", "html", cwd=repo_copy)
    assert linked.code == 1 and "error[O013]" in linked.err and own.is_symlink(), linked.err


def test_a_township_outlet_open_on_saturday_is_coached_on_saturday(valid_tree, tmp_path):
    """A township outlet open on Saturday mornings could not say so: `opening_hours` was an
    unknown field, and a start on Saturday always moved to Monday. `open_days` lists the days it
    opens (星期六 and 礼拜六 read as 周六), the week is drawn on them, and the cover prints
    `opening_hours`; a day that is not one of them is named with the field to add it to."""
    outlet = valid_tree / "outlets/community.yml"
    text = outlet.read_text(encoding="utf-8")
    assert "start_date: 2026-12-03" in text  # a Thursday
    outlet.write_text(text.replace("start_date: 2026-12-03", "start_date: 2026-12-05\n"
                                   "open_days: [周一, 周二, 周三, 周四, 周五, 星期六]\n"
                                   "opening_hours: 周一至周五 8:30—17:00，周六 8:30—12:00"), encoding="utf-8")
    out = tmp_path / "packs"
    said = run_cli("pack", "outlets/community.yml", "--root", str(valid_tree), "--out", str(out), "--format", "html",
                   cwd=valid_tree)
    assert said.code == 0, said.err
    assert "O004" not in said.err, said.err
    page = re.sub(r"<[^>]+>", "", (out / "community/pack.html").read_text(encoding="utf-8"))
    assert "2026年12月5日（周六） 至 2026年12月11日（周五）" in page.replace("\n", ""), page[:1500]
    assert "营业时间周一至周五 8:30—17:00，周六 8:30—12:00" in page.replace("\n", "")
    outlet.write_text(text.replace("start_date: 2026-12-03", "start_date: 2026-12-06\nopen_days: [周一, 周二, 周三, 周四, 周五, 周六]"),
                      encoding="utf-8")
    sunday = run_cli("check", "--root", str(valid_tree))
    assert re.search(r"note\[O004\]: .*2026年12月6日（周日）是本网点不营业的日子.*2026年12月8日（周二）.*open_days", sunday.out), sunday.out
    outlet.write_text(text.replace("start_date: 2026-12-03", "start_date: 2026-12-03\nopen_days: [周一, 周八]"),
                      encoding="utf-8")
    wrong = run_cli("check", "--root", str(valid_tree))
    assert wrong.code == 1 and re.search(r"community\.yml:\d+:\d+: error\[F006\]: .*周日", wrong.out), wrong.out


def test_a_plan_the_programme_names_and_the_library_lacks_is_told(tmp_path):
    """Day 4 rehearses the incidents the programme names (抢劫 among them). A bank that deleted
    the robbery plan got a pack without it and no word: the evening silently had one less."""
    import shutil

    root = tmp_path / "lib"
    for folder in ("cases", "outlets"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "cases/emergencies/robbery.md").unlink()
    for path in root.joinpath("cases").rglob("*.*"):
        text = path.read_text(encoding="utf-8") if path.suffix in (".md", ".yml") else ""
        if "emergencies/robbery" in text:
            path.write_text(re.sub(r",\s*emergencies/robbery\b|emergencies/robbery,\s*", "", text), encoding="utf-8")
    assert run_cli("check", "--root", str(root)).code == 0
    said = run_cli("pack", "outlets/example-community.yml", "--root", str(root), "--out", str(tmp_path / "o"),
                   "--format", "html", cwd=root)
    assert said.code == 0, said.err
    assert "warning[O016]" in said.err, said.err
    assert re.search(r"outlets/example-community\.yml:\d+:\d+: warning\[O016\]: 项目方案第4天点名演练的突发事件“抢劫”", said.err), said.err
