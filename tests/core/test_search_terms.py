"""cases/search-terms.yml: checked by `casebook check` like the vocabulary (codes Q001–Q006)."""
from __future__ import annotations

import re

from conftest import run_cli, write

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>\w+)\]: (?P<msg>.+)$")


def problems(root):
    result = run_cli("check", "--root", str(root))
    found = [m.groupdict() for m in map(LINE.match, result.err.splitlines() + result.out.splitlines()) if m]
    return result, [(f["path"], int(f["line"]), f["sev"], f["code"], f["msg"]) for f in found]


def test_a_good_file_is_clean(valid_tree):
    write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [老年客户, 长者, 老年人]\n    note: 叫法\n")
    result, found = problems(valid_tree)
    assert result.code == 0 and not found, found


def test_every_problem_in_one_run_at_its_line(valid_tree):
    write(valid_tree, "cases/search-terms.yml",
          "groups:\n"
          "  - terms: [老年客户, 长者]\n"           # 2 fine
          "    colour: red\n"                    # 3 Q002 unknown key in a group
          "  - terms: [长者, 老者]\n"              # 4 Q003 长者 twice (the group keeps one word: Q006)
          "  - terms: [聋, 听障]\n"                # 5 Q005 one character → Q006 one word left
          "  - terms: [飞碟, 外星人]\n"             # 6 Q004 (warning) matches nothing in the library
          "  - 老人\n"                            # 7 Q001 not a mapping with terms
          "  - terms: [排 队, 等候]\n"              # 8 Q005 a space inside
          "extra: 1\n")                          # 9 Q002 unknown top-level key
    result, found = problems(valid_tree)
    assert result.code == 1
    codes = {(line, code) for path, line, sev, code, msg in found if path == "cases/search-terms.yml"}
    assert {(3, "Q002"), (4, "Q003"), (4, "Q006"), (5, "Q005"), (5, "Q006"), (6, "Q004"), (7, "Q001"),
            (8, "Q005"), (8, "Q006"), (9, "Q002")} <= codes, sorted(codes)
    q004 = [f for f in found if f[3] == "Q004"]
    assert all(f[2] == "warning" for f in q004) and any("飞碟" in f[4] for f in q004)
    assert all("长者" in f[4] for f in found if f[3] == "Q003")


def test_a_file_that_is_not_groups(valid_tree):
    write(valid_tree, "cases/search-terms.yml", "groups: 老人\n")
    result, found = problems(valid_tree)
    assert result.code == 1 and [f[3] for f in found if f[0] == "cases/search-terms.yml"] == ["Q001"]


def test_only_checked_when_named_among_files(valid_tree):
    bad = write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [长者]\n")
    other = valid_tree / "cases/guides/elderly.md"
    assert run_cli("check", "--root", str(valid_tree), str(other)).code == 0
    result = run_cli("check", "--root", str(valid_tree), str(bad))
    assert result.code == 1 and "error[Q006]" in result.out + result.err


def test_groups_merge_with_the_vocabulary(valid_tree):
    """A word shared by a search-terms group and a vocabulary entry joins them (one group)."""
    from casebook.core.library import Library
    from casebook.site.search_groups import GroupMatcher, term_groups

    write(valid_tree, "cases/search-terms.yml", "groups:\n  - terms: [长者, 老人]\n")
    lib = Library.load(valid_tree, use_cache=False)
    groups = term_groups(valid_tree, lib.vocabulary)
    elderly = [g for g in groups if "长者" in g]
    assert len(elderly) == 1 and {"老年客户", "老人", "老年人", "长者"} <= set(elderly[0])
    matcher = GroupMatcher(groups)
    i = groups.index(elderly[0])
    assert i in matcher.groups_in("一位老年客户在柜台前") and i not in matcher.groups_in("年轻客户")
