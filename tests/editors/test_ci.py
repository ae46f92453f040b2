"""CI as the issue asks: cached venv, least permissions, concurrency, a public-only preview unless
the repository is private, packs as a second artifact, and a job summary of the changed items."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from markdown_it import MarkdownIt

from casebook.editors.pr_summary import main as summary_main
from conftest import REPO, write

FLOW = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
STEPS = FLOW["jobs"]["check-and-build"]["steps"]


def _step(word: str) -> dict:
    found = [s for s in STEPS if word in s.get("name", "")]
    assert len(found) == 1, word
    return found[0]


def test_least_permissions_and_concurrency():
    assert FLOW["permissions"] == {"contents": "read"}
    assert "permissions" not in FLOW["jobs"]["check-and-build"]
    assert "pull_request.number" in FLOW["concurrency"]["group"] and FLOW["concurrency"]["cancel-in-progress"]
    assert STEPS[0]["with"]["persist-credentials"] is False


def test_venv_and_npm_are_cached_on_their_lock_files():
    caches = {s["with"]["path"]: s["with"]["key"] for s in STEPS if s.get("uses", "").startswith("actions/cache@")}
    assert "hashFiles('pyproject.toml', 'constraints.txt')" in caches[".venv"]
    assert "hashFiles('package-lock.json')" in caches["node_modules"]


def test_public_repository_uploads_only_the_public_site():
    uploads = [s for s in STEPS if s.get("uses", "").startswith("actions/upload-artifact@")]
    public = [s for s in uploads if s.get("if") == "${{ !cancelled() && !github.event.repository.private }}"]
    private = [s for s in uploads if s.get("if") == "${{ !cancelled() && github.event.repository.private }}"]
    assert len(public) + len(private) == len(uploads)  # nothing uploaded unconditionally
    assert [s["with"]["path"] for s in public] == ["build/site-public"]
    assert {s["with"]["name"] for s in private} == {"site-preview", "packs-preview"}
    assert "casebook pack --all --out build/packs" in _step("生成示例网点的培训包")["run"]


def test_summary_step_and_same_strictness():
    assert "casebook.editors.pr_summary" in _step("摘要")["run"] and "GITHUB_STEP_SUMMARY" in _step("摘要")["run"]
    assert _step("检查（")["run"].split() == [".venv/bin/casebook", "check", "--strict", "--format", "github"]


def _git(tree, *args):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tree), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True, env=env)


def _on_a_branch(tree):
    """The tree committed on main, then a branch "story" for the pull request's changes."""
    _git(tree, "init", "-q", "-b", "main")
    _git(tree, "add", ".")
    _git(tree, "commit", "-q", "-m", "base")
    _git(tree, "switch", "-q", "-c", "story")


def test_job_summary_lists_changed_items_with_their_problems(valid_tree, capsys):
    _on_a_branch(valid_tree)
    story = (valid_tree / "cases/stories/rest-corner.md").read_text(encoding="utf-8")
    write(valid_tree, "cases/stories/new-one.md", story.replace("暖域驿站的一杯热水", "新故事<img src=x onerror=alert(1)>|")
          .replace("customer_groups", "customer_groups").replace("staff: [周晓雯]", "staff: [周晓雯]\ncustomer_groups: [老人]"))
    _git(valid_tree, "rm", "-q", "cases/guides/elderly.md")
    _git(valid_tree, "add", ".")
    _git(valid_tree, "commit", "-q", "-m", "change")
    assert summary_main(["--base", "main", "--root", str(valid_tree)]) == 0
    out = MarkdownIt("commonmark").enable("table").render(capsys.readouterr().out)  # as the forge shows it
    assert "<td>新增</td>\n<td>cases/stories/new-one.md</td>" in out
    assert "<td>删除</td>\n<td>cases/guides/elderly.md</td>" in out
    # what a reviewer decides on, per changed item: 公开范围, 来源, 同意 (as written in the file)
    assert "<th>公开范围</th>\n<th>来源</th>\n<th>同意</th>" in out
    row = out[out.index("<td>cases/stories/new-one.md</td>"):].split("</tr>", 1)[0]
    assert "<td>公开</td>\n<td>教学示例</td>\n<td>未记录</td>" in row
    assert re.search(r"<td>❌ [1-9]\d* 个</td>\s*$", row), row  # (its problems: the alias and the title)
    deleted = out[out.index("<td>cases/guides/elderly.md</td>"):].split("</tr>", 1)[0]
    assert "<td>—</td>\n<td>—</td>\n<td>—</td>" in deleted
    assert deleted.rstrip().endswith("<td>—</td>"), deleted  # (a deleted file has no verdict)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;|</td>" in out  # escaped, table intact
    assert "cases/stories/new-one.md:" in out and "warning[F007]" in out  # the alias, with its line
    assert "cases/complaints/queue.md:" in out and "error[R001]" in out  # broken by the deletion
    assert out.index("new-one.md:") < out.index("queue.md:")  # changed files' problems first



def test_a_note_is_listed_but_is_not_a_problem_of_the_changed_file():
    """An outlet whose week starts on a Saturday: the pull request's summary tells the reviewer,
    but neither counts it as the file's problem nor as a warning (it may well be meant)."""
    from casebook.core.diagnostics import note, warning
    from casebook.editors.pr_summary import summary_markdown

    path, other = "outlets/town.yml", "cases/stories/x.md"
    md = summary_markdown([("M", path), ("M", other)],
                          [note(path, 6, 13, "O004", "驻点开始日期是周末"), warning(other, 3, 1, "F007", "别名")], {})
    rows = {line.split(" | ")[1].replace("\\", ""): line for line in md.splitlines() if line.startswith("| ")}
    assert rows[path].endswith("| ✅ 无 |") and rows[other].endswith("| ❌ 1 个 |"), rows
    assert "0 个错误，1 个警告（`casebook check --strict`：警告也算失败），另有 1 个提示（不算失败）。" in md
    assert "town\\.yml:6:13 note[O004]" in md

def test_item_facts_read_as_written():
    from casebook.editors.pr_summary import item_facts

    assert item_facts({"visibility": "public", "source": "real", "consent": {"customer": True}}) == (
        "公开", "真实事件", "客户同意、员工未同意")
    assert item_facts({"title": "指引"}) == ("内部（未写）", "—", "—")  # not a story: no source, no consent
    assert item_facts({"visibility": "<b>", "source": "x|y"}) == ("<b>", "x|y", "未记录")  # cell() escapes it later


def test_package_lists_are_updated_before_installing():
    for job in FLOW["jobs"].values():
        install = next(s["run"] for s in job["steps"] if "apt-get install" in s.get("run", ""))
        assert install.index("apt-get update") < install.index("apt-get install")


def test_the_preview_is_built_even_when_the_check_fails():
    after = STEPS[STEPS.index(_step("检查（")) + 1:]
    for step in after:  # every later step runs after a failed check (only a cancelled run stops them)
        assert "!cancelled()" in step.get("if", "") or "always()" in step.get("if", ""), step["name"]
    assert "--internal build/site-internal --public build/site-public" in _step("预览加上改动的条目")["run"]


def test_a_public_preview_shows_the_changed_internal_item_and_no_other(valid_tree, tmp_path):
    from casebook.editors.preview import main as preview_main
    from conftest import run_cli

    _on_a_branch(valid_tree)
    story = (valid_tree / "cases/stories/rest-corner.md").read_text(encoding="utf-8")
    write(valid_tree, "cases/stories/umbrella.md", story.replace("visibility: public", "visibility: internal")
          .replace("暖域驿站的一杯热水", "雨天借出的爱心雨伞"))
    _git(valid_tree, "add", ".")
    _git(valid_tree, "commit", "-q", "-m", "an internal story")
    internal, public = tmp_path / "internal", tmp_path / "public"
    assert run_cli("build", "--root", str(valid_tree), "--out", str(internal)).code == 0
    assert run_cli("build", "--root", str(valid_tree), "--out", str(public), "--public").code == 0
    assert not (public / "stories/umbrella").exists()  # the public build leaves it out
    others = {p.parent.relative_to(internal) for p in internal.glob("*/*/index.html")} - {
        p.parent.relative_to(public) for p in public.glob("*/*/index.html")}
    assert preview_main(["--base", "main", "--root", str(valid_tree), "--internal", str(internal),
                         "--public", str(public)]) == 0
    page = (public / "stories/umbrella/index.html").read_text(encoding="utf-8")
    assert "雨天借出的爱心雨伞" in page and (public / "media/rest-corner.png").is_file()
    assert others - {Path("stories/umbrella")}  # the fixture has other internal items …
    for other in others - {Path("stories/umbrella")}:  # … and they stay out
        assert not (public / other).exists(), other
