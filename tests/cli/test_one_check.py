"""One check: a file check sees what the file references, a deletion checks the whole tree,
body links must resolve, and every place that runs the checker uses the same strictness."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import yaml

from conftest import REPO, run_cli, write


def _gps_jpeg(path):
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 35.0, 12.5), "E", (114.0, 17.0, 45.0)
    image.save(path, "JPEG", exif=exif)


def test_checking_a_story_checks_the_photos_it_shows(valid_tree):
    """The issue: `check cases/stories/x.md` said 0 errors for a story whose photo held GPS data."""
    _gps_jpeg(valid_tree / "cases/media/phone.jpg")
    story = valid_tree / "cases/stories/rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8").replace("media/rest-corner.png", "media/phone.jpg"),
                     encoding="utf-8")
    one = run_cli("check", "--root", str(valid_tree), "--format", "json", "cases/stories/rest-corner.md").json()
    whole = run_cli("check", "--root", str(valid_tree), "--format", "json").json()
    assert ("cases/media/phone.jpg", "M004") in {(d["path"], d["code"]) for d in one["diagnostics"]}
    assert one["diagnostics"] == whole["diagnostics"]  # the same verdict as CI's whole-tree check


def test_an_unreferenced_photo_is_not_checked_with_one_story(valid_tree):
    _gps_jpeg(valid_tree / "cases/media/elsewhere.jpg")
    result = run_cli("check", "--root", str(valid_tree), "cases/stories/rest-corner.md")
    assert result.code == 0, result.out


BODY_LINKS = """
见[老年客户服务指引](../guides/elderly.md)、[站点地址](/guides/elderly/)、[投诉](../complaints/queue/)、
[列表](../guides/index.md)、[外部](https://example.org/guides/x)、[锚点](#处理过程)。
坏的：[不存在](../guides/no-such-guide.md) 和 [站点地址写错](/emergencies/ilness/)。

[参考]: ../standards/seven-step.md

```
[代码块里不算](../guides/nothing.md)
```
"""


def test_body_links_to_missing_items_are_errors_with_line_col_and_suggestion(valid_tree):
    path = valid_tree / "cases/stories/rest-corner.md"
    text = path.read_text(encoding="utf-8") + BODY_LINKS
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--root", str(valid_tree), "--format", "json", "cases/stories/rest-corner.md")
    found = [d for d in result.json()["diagnostics"] if d["code"] == "R070"]
    lines = text.split("\n")
    assert result.code == 1
    assert len(found) == 3, found
    for d in found:
        assert d["path"] == "cases/stories/rest-corner.md" and d["severity"] == "error"
        target = re.search(r"链接 (\S+) 指向", d["message"]).group(1)
        assert lines[d["line"] - 1][d["col"] - 1:].startswith(target)
    messages = " ".join(d["message"] for d in found)
    assert "是否想写 emergencies/illness" in messages and "是否想写 standards/seven-steps" in messages
    assert "no-such-guide" in messages and "nothing" not in messages


def test_deleting_an_item_checks_every_reference_to_it(valid_tree):
    """The issue: deleting or renaming an item skipped the check although references broke."""
    (valid_tree / "cases/guides/elderly.md").unlink()
    result = run_cli("check", "--root", str(valid_tree), "cases/guides/elderly.md")
    assert result.code == 1
    assert "已删除或改名" in result.err
    assert re.search(r"^cases/complaints/queue\.md:\d+:\d+: error\[R001\]", result.out, re.M)


def _git(tree, *args):
    subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tree), "PATH": "/usr/bin:/bin"})


def test_a_folder_or_no_repository_is_told_as_such(valid_tree):
    """`check cases/stories` (a folder, said not to exist) and `--staged` outside a git repository
    (git's English error repeated) are told in one Chinese line, exit 2."""
    folder = run_cli("check", "cases/stories", "--root", str(valid_tree), cwd=valid_tree)
    assert folder.code == 2 and "是文件夹" in folder.err and "不存在" not in folder.err, folder.err
    staged = run_cli("check", "--staged", "--root", str(valid_tree), cwd=valid_tree)
    assert staged.code == 2 and "不是 git 仓库" in staged.err, staged.err
    assert "Command" not in staged.err and "exit status" not in staged.err, staged.err


def test_staged_check_as_pre_commit_runs_it(valid_tree):
    _git(valid_tree, "init", "-q")
    _git(valid_tree, "add", ".")
    _git(valid_tree, "commit", "-q", "-m", "base")
    nothing = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert nothing.code == 0 and "没有改动" in nothing.err

    write(valid_tree, "cases/complaints/bad.md", "---\ntitle: 短\n---\n")  # not staged: not looked at
    story = valid_tree / "cases/stories/rest-corner.md"
    story.write_text(story.read_text(encoding="utf-8").replace("updated: 2026-11-20", "updated: 2026-11-21"),
                     encoding="utf-8")
    _git(valid_tree, "add", "cases/stories/rest-corner.md")
    changed = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert changed.code == 0, changed.out + changed.err
    assert "改动的 1 个文件" in changed.err

    _git(valid_tree, "mv", "cases/guides/elderly.md", "cases/guides/elderly-customers.md")  # a rename
    renamed = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert renamed.code == 1
    assert "cases/guides/elderly.md 被删除或改名" in renamed.err
    assert "error[R001]" in renamed.out and "guides/elderly" in renamed.out  # the whole tree, as committed
    assert "bad.md" not in renamed.out and "没有 git add" in renamed.err and "cases/complaints/bad.md" in renamed.err


def test_staged_check_checks_what_the_commit_holds_not_the_working_tree(valid_tree, tmp_path):
    """A file edited again after `git add` is committed as it was added; an item the staged
    files refer to but that was never added is missing from the commit. The check sees both as
    the commit has them, and names what was left out."""
    _git(valid_tree, "init", "-q")
    _git(valid_tree, "add", ".")
    _git(valid_tree, "commit", "-q", "-m", "base")
    story = valid_tree / "cases/stories/rest-corner.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("updated: 2026-11-20", "updated: 2026-11-21"), encoding="utf-8")
    _git(valid_tree, "add", "cases/stories/rest-corner.md")
    story.write_text(re.sub(r"(?m)^title: .*$", "title: 短", text), encoding="utf-8")  # edited again, not added
    fine = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert fine.code == 0 and "F004" not in fine.out, fine.out + fine.err
    _git(valid_tree, "add", "cases/stories/rest-corner.md")
    added = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert added.code == 1 and "cases/stories/rest-corner.md:2:8: error[F004]" in added.out, added.out

    _git(valid_tree, "checkout", "-q", "HEAD", "--", "cases/stories/rest-corner.md")
    guide = valid_tree / "cases/guides/elderly.md"
    write(valid_tree, "cases/guides/elderly-at-home.md", guide.read_text(encoding="utf-8"))  # never added
    queue = valid_tree / "cases/complaints/queue.md"
    queue.write_text(queue.read_text(encoding="utf-8").replace("guides/elderly", "guides/elderly-at-home"),
                     encoding="utf-8")
    _git(valid_tree, "add", "cases/complaints/queue.md")
    temp = tmp_path / "temp"
    temp.mkdir()
    missing = run_cli("check", "--root", str(valid_tree), "--strict", "--staged", env={"TMPDIR": str(temp)})
    assert missing.code == 1 and "error[R001]" in missing.out and "guides/elderly-at-home" in missing.out, missing.out
    assert "没有 git add" in missing.err and "cases/guides/elderly-at-home.md" in missing.err, missing.err
    assert not list(temp.iterdir())  # (the commit's copy is removed)


def test_a_staged_link_to_a_file_outside_is_refused_as_on_disk(valid_tree):
    """The staged copy is written out by git as it is: a link stays a link, and is refused (L050)."""
    _git(valid_tree, "init", "-q")
    _git(valid_tree, "add", ".")
    _git(valid_tree, "commit", "-q", "-m", "base")
    (valid_tree / "cases/stories/evil.md").symlink_to("/etc/hostname")
    _git(valid_tree, "add", "cases/stories/evil.md")
    result = run_cli("check", "--root", str(valid_tree), "--strict", "--staged")
    assert result.code == 1 and "cases/stories/evil.md:1:1: error[L050]" in result.out, result.out + result.err


def test_staged_check_outside_git_is_a_usage_error(valid_tree):
    assert run_cli("check", "--root", str(valid_tree), "--staged").code == 2


# --- the same strictness everywhere -----------------------------------------------------------

def _check_commands() -> dict[str, list[str]]:
    places = {
        "CONTRIBUTING.md": (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8"),
        ".pre-commit-config.yaml": (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"),
        ".github/workflows/pull-request.yml": (REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"),
        ".github/pull_request_template.md": (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8"),
    }
    return {name: re.findall(r"casebook check[^\n`|]*", text) for name, text in places.items()}


def test_contributing_pre_commit_ci_and_template_use_the_same_strictness():
    """The issue: CONTRIBUTING ran the check without --strict while the others used it."""
    commands = _check_commands()
    for name, found in commands.items():
        runs = [c for c in found if "--explain" not in c]
        assert runs, f"{name} does not run casebook check"
        assert all("--strict" in c for c in runs), (name, [c for c in runs if "--strict" not in c])


def test_pre_commit_runs_on_deletions_through_git():
    hook = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert hook["entry"].split() == [".venv/bin/casebook", "check", "--strict", "--staged"]
    assert hook["always_run"] is True and hook["pass_filenames"] is False  # runs when only deletions are staged


# --- --explain and the code table --------------------------------------------------------------

def test_explain_every_code_and_refuse_unknown_ones():
    from casebook.core.diagnostics import CODES

    for code in ("R070", "M004", "f006"):
        result = run_cli("check", "--explain", code)
        assert result.code == 0
        assert result.out.startswith(code.upper()) and CODES[code.upper()] in result.out and "怎么改：" in result.out
    from casebook.core.explain import explain

    assert all(explain(code) and "怎么改：" in explain(code) for code in CODES)
    unknown = run_cli("check", "--explain", "X999")
    assert unknown.code == 2 and "--explain all" in unknown.err


def test_contributing_code_table_is_generated_from_the_catalogue():
    from casebook.core.explain import code_table

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- codes:start[^>]*-->\n(.*?)<!-- codes:end -->", text, re.S)
    assert block, "CONTRIBUTING.md has no generated code table"
    assert block.group(1) == code_table(), "CONTRIBUTING 的代码表过时：运行 casebook check --explain all 重新生成"
    assert run_cli("check", "--explain", "all").out == code_table()


# --- the JSON Schema and YAML dates --------------------------------------------------------------

def test_schema_accepts_dates_as_a_yaml_tool_parses_them():
    """The issue: the schema rejected YAML dates once parsed (`date` is not a string)."""
    import json

    import jsonschema

    schema = json.loads(run_cli("schema", "story", "--root", str(REPO)).out)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted((REPO / "cases/stories").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert isinstance(front["date"], dt.date)
        errors = list(validator.iter_errors(front))
        assert not errors, (path.name, errors[0].message)
        as_text = dict(front, date=front["date"].isoformat(), updated=front["updated"].isoformat())
        assert not list(validator.iter_errors(as_text))
        for wrong in ("2026/05/12", "2026-13-40", 20260512, ["2026-05-12"]):
            assert list(validator.iter_errors(dict(front, date=wrong))), wrong


def test_contributing_is_in_a_newcomers_order_with_exact_commands():
    """The issue: setup came after the steps that need it, `pip install pre-commit` failed on Debian's
    system Python, nothing on branches, commits or pull requests."""
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    order = [text.index(h) for h in ("## 一、准备", "## 二、加一个故事", "## 三、提交合并请求", "## 四、看懂检查器的提示")]
    assert order == sorted(order)
    setup = text[order[0]:order[1]]
    assert ".venv/bin/pip install pre-commit" in setup and ".venv/bin/pre-commit install" in setup
    assert not re.search(r"(?<![/\w])pip install", text)  # never the system pip
    assert "casebook schema" in setup and "yaml.schemas" in setup  # editor setup for the JSON Schema
    git = text[order[2]:order[3]]
    for command in ("git switch -c", "git add", "git commit -m", "git push -u origin"):
        assert command in git, command
    assert "media clean cases/media/" in text and "--explain" in text
