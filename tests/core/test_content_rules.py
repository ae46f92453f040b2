"""The content rules, through the installed `casebook check` on real trees:

- basis keys: an unknown key is an error naming the nearest key; a superseded instrument is a
  warning naming its replacement; cases/basis.yml itself is validated like the vocabulary;
- known-wrong advice (the repository's own cases/forbidden-phrases.yml): every rule rejects its
  example sentence, negations and `## 错误示范` quotes pass;
- stories: `source` required; a real public story needs both consents; public stories are
  warned about health, exact-age and disability phrases, each named;
- drills: the shape of 场景 / 步骤 / 观察要点 and a `related` item to rehearse.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_cli, write
from content_library import DEPLOYMENT, REGISTRY, WRONG, check, guide, library

STORY = """---
title: 暖域驿站的一杯热水
summary: 环卫工人在网点歇脚。
visibility: {visibility}
source: {source}
{consent}date: 2026-01-15
outlet: 示例支行青石网点
staff: [周晓雯]
updated: 2026-11-20
---

{body}
"""
STORY_BODY = ("（教学示例）一月的早晨很冷，天刚亮，网点还没开门。，环卫工人刘大爷在网点门口清扫。大堂经理周晓雯请他进暖域驿站歇脚，倒上热水，"
              "又帮他的手机充上电。刘大爷说，以前总怕进银行给人添麻烦。周晓雯告诉他：这里就是给大家歇脚的，"
              "什么时候冷了、渴了都可以进来。此后，附近的环卫工人每天早上都会来喝一杯热水，网点也放了反诈宣传册。"
              "过了一个月，环卫班组的几位师傅还在驿站里听了一次反诈小讲堂，大家都说这里暖和。")

DRILL = """---
title: 老人给陌生人转账的劝阻演练
summary: 五分钟练一遍反诈劝阻。
focus: 特殊客户
minutes: {minutes}
related: [{related}]
updated: 2026-11-20
---

## 场景

{scene}

## 步骤

{steps}

## 观察要点

{points}
"""
STEPS_OK = "1. 一人扮老人，一人扮大堂经理。\n2. 老人说要给侄子汇款。\n3. 大堂经理请老人自己打电话核实。"
POINTS_OK = "- 是否先请客户坐下。\n- 是否请客户自己打电话。"


def drill(minutes: int = 5, related: str = "guides/elderly", scene: str = "老人要给陌生账户汇款。",
          steps: str = STEPS_OK, points: str = POINTS_OK) -> str:
    return DRILL.format(minutes=minutes, related=related, scene=scene, steps=steps, points=points)


def story(visibility: str = "public", source: str = "real", consent: str = "", body: str = STORY_BODY) -> str:
    return STORY.format(visibility=visibility, source=source, consent=consent, body=body)


def codes(found: list[dict]) -> set[tuple[str, int]]:
    return {(d["code"], d["line"]) for d in found}


# --- known-wrong advice: one example sentence per rule of the repository's list ------------------

def test_every_rule_of_the_list_has_an_example_here():
    rules = yaml.safe_load((REPO / "cases/forbidden-phrases.yml").read_text(encoding="utf-8"))
    examples = set(WRONG) | set(DEPLOYMENT)
    assert set(rules) == examples, "add an example sentence for each rule (and only for real rules)"


@pytest.fixture(scope="module")
def advice_run(tmp_path_factory):
    root = library(tmp_path_factory.mktemp("advice") / "lib")
    for rule, (bad, good) in WRONG.items():
        write(root, f"cases/guides/bad-{rule}.md", guide(body=bad))
        write(root, f"cases/guides/ok-{rule}.md", guide(body=good))
    # a pocket card (front matter) is scanned too, and a 错误示范 section / a "不要说：" quote is not
    write(root, "cases/guides/card.md", guide(say="要报警也得先跟您商量。"))
    write(root, "cases/guides/quoted.md", guide(body="尊重选择。\n\n## 错误示范\n\n> 证件先放我这儿。\n\n"
                                                "不要说：\n\n> 零钱太多了我们不收，你去别的地方换。"))
    return check(root)


@pytest.mark.parametrize("rule", sorted(WRONG))
def test_checker_rejects_each_known_wrong_phrase(advice_run, rule):
    code, by_file = advice_run
    assert code == 1
    found = by_file[f"cases/guides/bad-{rule}.md"]
    assert codes(found) == {("C001", 18)}, found
    assert f"（{rule}）" in found[0]["message"] and "应改为" in found[0]["message"]
    assert by_file.get(f"cases/guides/ok-{rule}.md", []) == []


def test_wrong_phrase_on_a_pocket_card_and_quotes_in_wrong_examples(advice_run):
    _, by_file = advice_run
    assert codes(by_file["cases/guides/card.md"]) == {("C001", 9)}
    assert "phrases[1].say" in by_file["cases/guides/card.md"][0]["message"]
    assert by_file.get("cases/guides/quoted.md", []) == []


def test_the_phrase_list_is_itself_checked(tmp_path):
    root = library(tmp_path / "lib")
    write(root, "cases/forbidden-phrases.yml",
          "bad-regex:\n  pattern: (不能兑换\n  why: x\n  instead: y\nNo_Caps:\n  pattern: a\n  why: x\n  instead: y\n"
          "no-why:\n  pattern: a\n  instead: y\n  colour: red\n")
    code, by_file = check(root)
    assert code == 1
    assert codes(by_file["cases/forbidden-phrases.yml"]) >= {("C002", 2), ("C002", 5), ("F001", 9), ("F002", 12)}


# --- basis --------------------------------------------------------------------------------------

def test_unknown_basis_key_is_an_error_with_the_nearest_key(valid_tree: Path):
    root = library(valid_tree.parent / "b1")
    write(root, "cases/guides/typo.md", guide(basis="complaint-handling-2021"))
    write(root, "cases/guides/free.md", guide(basis="银行业保险业消费投诉处理管理办法（2020）"))
    write(root, "cases/guides/fine.md", guide(basis="complaint-handling-2020, cdd-2026"))
    code, by_file = check(root)
    assert code == 1
    typo = by_file["cases/guides/typo.md"]
    assert codes(typo) == {("B001", 6)} and "complaint-handling-2020" in typo[0]["message"]
    free = by_file["cases/guides/free.md"]
    assert codes(free) == {("B001", 6)} and "complaint-handling-2020" in free[0]["message"]
    assert by_file.get("cases/guides/fine.md", []) == []


def test_citing_a_superseded_instrument_is_a_warning_naming_its_replacement(valid_tree: Path):
    root = library(valid_tree.parent / "b2")
    write(root, "cases/guides/old.md", guide(basis="cdd-2022"))
    result = run_cli("check", "--root", str(root))
    assert result.code == 0, result.out
    assert "cases/guides/old.md:6:" in result.out and "warning[B002]" in result.out and "cdd-2026" in result.out
    assert run_cli("check", "--root", str(root), "--strict").code == 1


def test_the_registry_is_validated_like_the_vocabulary(valid_tree: Path):
    root = library(valid_tree.parent / "b3")
    write(root, "cases/basis.yml", REGISTRY + "Bad_Key:\n  title: x\n  issuer: y\n  governs: z\n"
                                              "gone:\n  title: 旧办法\n  issuer: 某部门\n  governs: 无\n  status: superseded\n"
                                              "  superseded_by: nowhere\n"
                                              "half:\n  title: 半截\n  effective: 2026-02-30\n  kind: rule\n")
    code, by_file = check(root)
    assert code == 1
    assert codes(by_file["cases/basis.yml"]) == {
        ("B003", 20),  # key spelling
        ("B003", 29),  # superseded_by names no key
        ("F001", 31),  # issuer and governs missing
        ("F005", 32),  # 2026-02-30
        ("F006", 33),  # kind not one of the five
    }


def test_superseded_without_replacement_is_a_warning_in_the_registry(valid_tree: Path):
    root = library(valid_tree.parent / "b4")
    write(root, "cases/basis.yml", REGISTRY + "lonely:\n  title: 旧办法\n  issuer: 某部门\n  governs: 无\n  status: superseded\n")
    result = run_cli("check", "--root", str(root))
    assert result.code == 0 and "cases/basis.yml:24:" in result.out and "warning[B002]" in result.out


# --- stories ------------------------------------------------------------------------------------

def test_public_real_story_without_consent_is_rejected(valid_tree: Path):
    root = library(valid_tree.parent / "s1")
    write(root, "cases/stories/real-no.md", story())
    write(root, "cases/stories/real-half.md", story(consent="consent: {customer: true, staff: false}\n"))
    write(root, "cases/stories/real-yes.md", story(consent="consent: {customer: true, staff: true}\n"))
    write(root, "cases/stories/example.md", story(source="example"))
    write(root, "cases/stories/internal.md", story(visibility="internal"))
    write(root, "cases/stories/no-source.md", story().replace("source: real\n", ""))
    write(root, "cases/stories/bad-source.md", story(source="真实"))
    code, by_file = check(root)
    assert code == 1
    assert codes(by_file["cases/stories/real-no.md"]) == {("R005", 5)}
    assert "客户、员工" in by_file["cases/stories/real-no.md"][0]["message"]
    assert codes(by_file["cases/stories/real-half.md"]) == {("R005", 6)}
    assert "员工" in by_file["cases/stories/real-half.md"][0]["message"]
    for ok in ("real-yes", "example", "internal"):
        assert by_file.get(f"cases/stories/{ok}.md", []) == [], ok
    assert codes(by_file["cases/stories/no-source.md"]) == {("F001", 1)}
    assert codes(by_file["cases/stories/bad-source.md"]) == {("F006", 5)}


def test_public_story_health_age_and_disability_details_are_warned_by_name(valid_tree: Path):
    root = library(valid_tree.parent / "s2")
    body = STORY_BODY + "\n\n八十六岁的刘大爷去年中风，说话不清。\n\n一位听障客户也来了；七十多岁的老人不算确切年龄。"
    write(root, "cases/stories/sensitive.md", story(source="example", body=body))
    write(root, "cases/stories/inside.md", story(source="example", visibility="internal", body=body))
    result = run_cli("check", "--root", str(root), "--format", "json")
    found = [d for d in result.json()["diagnostics"] if d["path"] == "cases/stories/sensitive.md"]
    assert {(d["code"], d["line"]) for d in found} == {("P201", 14), ("P201", 16)}
    named = " ".join(d["message"] for d in found)
    assert "“八十六岁”" in named and "“中风”" in named and "“听障”" in named and "七十多岁" not in named
    assert not [d for d in result.json()["diagnostics"] if d["path"] == "cases/stories/inside.md"]
    assert result.code == 0  # warnings only; --strict fails
    assert run_cli("check", "--root", str(root), "--strict").code == 1


# --- drills -------------------------------------------------------------------------------------

def test_drill_rules(valid_tree: Path):
    root = library(valid_tree.parent / "d1")
    write(root, "cases/drills/ok.md", drill())
    write(root, "cases/drills/too-long.md", drill(minutes=15))
    write(root, "cases/drills/two-steps.md", drill(steps="1. 扮演。\n2. 劝阻。"))
    write(root, "cases/drills/one-point.md", drill(points="- 只看一点。"))
    write(root, "cases/drills/long-scene.md", drill(scene="一句。两句。三句。四句。"))
    write(root, "cases/drills/no-target.md", drill(related="courses/etiquette"))
    write(root, "cases/drills/bad-focus.md", drill().replace("focus: 特殊客户", "focus: 跳舞"))
    write(root, "cases/drills/no-heading.md", drill().replace("## 观察要点", "## 要点"))
    code, by_file = check(root)
    assert code == 1
    assert by_file.get("cases/drills/ok.md", []) == []
    assert codes(by_file["cases/drills/too-long.md"]) == {("F009", 5)}
    assert codes(by_file["cases/drills/two-steps.md"]) == {("S004", 14)}
    assert codes(by_file["cases/drills/one-point.md"]) == {("S004", 20)}
    assert codes(by_file["cases/drills/long-scene.md"]) == {("S004", 10)}
    assert codes(by_file["cases/drills/no-target.md"]) == {("R006", 6)}
    assert codes(by_file["cases/drills/bad-focus.md"]) == {("F006", 4)}
    assert ("S001", 14) in codes(by_file["cases/drills/no-heading.md"])


def test_a_course_for_the_big_class_has_day_zero(valid_tree: Path):
    root = library(valid_tree.parent / "c0")
    course = (root / "cases/courses/etiquette.md").read_text(encoding="utf-8")
    write(root, "cases/courses/big-class.md", course.replace("day: 1", "day: 0"))
    write(root, "cases/courses/day-six.md", course.replace("day: 1", "day: 6"))
    code, by_file = check(root)
    assert by_file.get("cases/courses/big-class.md", []) == []
    assert {c for c, _ in codes(by_file["cases/courses/day-six.md"])} == {"F009"}


def test_the_big_class_lists_its_courses_and_they_must_exist(valid_tree: Path):
    root = library(valid_tree.parent / "c1")
    programme = root / "cases/programme.yml"
    text = programme.read_text(encoding="utf-8")
    assert "big_class:" in text and "  activities:" in text
    programme.write_text(text.replace("  activities:", "  courses: [courses/etiquette, courses/no-such-class]\n  activities:", 1),
                         encoding="utf-8")
    line = programme.read_text(encoding="utf-8").split("\n").index(
        "  courses: [courses/etiquette, courses/no-such-class]") + 1
    code, by_file = check(root)
    assert code == 1
    assert codes(by_file["cases/programme.yml"]) == {("R001", line)}


def test_wrong_advice_gates_never_hide_a_hit():
    """Each rule is first looked for in a file's joined lines (WrongAdvice.in_text); that gate
    must never hide a hit of any one line: the same hits as every rule on every line, also for
    patterns that look around the match (anchors, lookarounds: searched line by line)."""
    import regex as re  # (the rules run in the regex package, with a time limit)

    from casebook.core.wrong_advice import Rule, WrongAdvice, _gate

    rules = (Rule("a", re.compile(r"硬币[^。]{0,4}不收"), "w", "i", re.compile("不能")),
             Rule("b", re.compile(r"(哈)\1"), "w", "i"),
             Rule("c", re.compile(r"(?i)atm坏了"), "w", "i"),
             Rule("d", re.compile(r"(?<!本行)按规定[^。]{0,4}问用途"), "w", "i"),
             Rule("e", re.compile(r"^先(放|押)我这"), "w", "i"),
             Rule("f", re.compile(r"\b15\s?日内办结"), "w", "i"))
    files = [["客户拿来硬币，我们不收。", "哈哈，好的"], ["ATM坏了请稍候", "不能以硬币为由不收"],
             ["本行", "按规定要问用途", "本行按规定要问用途"], ["证件", "先放我这儿吧"], ["按 15日内办结", "没有问题"]]
    advice = WrongAdvice(rules)
    for lines in files:
        gated = advice.in_text("\n".join(lines))
        slow = [[(m.start(), m.group(0), r.id) for r in rules for m in r.pattern.finditer(t)
                 if not (r.unless and r.unless.search(t))] for t in lines]
        assert [[(o, p, r.id) for o, p, r in advice.find(t, gated)] for t in lines] == slow
        assert [[(o, p, r.id) for o, p, r in advice.find(t)] for t in lines] == slow
    # the gates: a class is no anchor, a leading lookbehind is dropped, context elsewhere means none
    assert _gate(rules[0].pattern).pattern == rules[0].pattern.pattern
    assert _gate(rules[3].pattern).pattern == "按规定[^。]{0,4}问用途"
    assert _gate(rules[4].pattern) is None and _gate(rules[5].pattern) is None
    assert advice.in_text("没有问题\n都很好") == (rules[4], rules[5])  # (only the ungated are left to look for)


def test_a_date_after_today_is_refused_with_todays_date(valid_tree: Path):
    """updated: 2027-03-05 (a mistyped year) passed `check --strict`, and the site map gave it as
    the page's last change. A date after today is an error naming today; tomorrow's passes (an
    editor at UTC+8 is a day ahead of a UTC build machine for part of the day)."""
    story = valid_tree / "cases/stories/rest-corner.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("updated: 2026-11-20", "updated: 2027-03-05"), encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), env={"CASEBOOK_TODAY": "2026-12-07"})
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "rest-corner.md" in line]
    assert len(lines) == 1 and "error[D002]" in lines[0] and "2027-03-05 晚于今天（2026-12-07）" in lines[0], result.out
    story.write_text(text.replace("updated: 2026-11-20", "updated: 2026-12-08"), encoding="utf-8")
    assert run_cli("check", "--strict", "--root", str(valid_tree), env={"CASEBOOK_TODAY": "2026-12-07"}).code == 0
