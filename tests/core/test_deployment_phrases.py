"""The known-wrong patterns added by the deployment review, each through the installed
`casebook check` on a real tree: the old wording found in the library and two near variants are
rejected (C001, naming the rule), and a clean sentence on the same topic passes."""
from __future__ import annotations

import pytest

from conftest import write
from content_library import DEPLOYMENT, check, guide, library




@pytest.fixture(scope="module")
def deployment_check(tmp_path_factory):
    root = library(tmp_path_factory.mktemp("deploy") / "lib")
    for rule, (old, variants, clean) in DEPLOYMENT.items():
        for n, text in enumerate([old, *variants]):
            write(root, f"cases/guides/bad-{rule}-{n}.md", guide(body=text))
        write(root, f"cases/guides/ok-{rule}.md", guide(body=clean))
    return check(root)


@pytest.mark.parametrize("rule", sorted(DEPLOYMENT))
def test_old_wording_and_near_variants_are_rejected_and_the_clean_one_passes(deployment_check, rule):
    code, by_file = deployment_check
    assert code == 1
    for n in range(3):
        found = by_file[f"cases/guides/bad-{rule}-{n}.md"]
        assert [(d["code"], d["line"]) for d in found] == [("C001", 18)], (n, found)
        assert f"（{rule}）" in found[0]["message"] and "应改为" in found[0]["message"]
    assert by_file.get(f"cases/guides/ok-{rule}.md", []) == []


# Near variants the second fact review found in the library after the fixes above: the rule
# existed but missed them (cash stated as plentiful in a procedure line; another customer's
# business told to people waiting, without “刚才/前面”).
WIDENED = {
    'cash-plenty-unconfirmed': (
        '讲事实——网点正常营业、现金充足、存款受存款保险制度保障。',
        ['上级尚未发布正式说明时，只说“网点正常营业、现金充足”。', '我们网点现金非常充足，大家放心。'],
        '库存现金经内勤行长确认之前，不对客户说“现金充足”。'),
    'other-customer-business-disclosed': (
        '那位客户是提前预约了理财签约，不占现金窗口的号。',
        ['向附近等候客户说明“这位是预约办理理财签约的客户”。', '那位先生是来办贷款的，不占您的号。'],
        '那个窗口办的是另一类业务，不占现金窗口的号。'),
}


@pytest.fixture(scope="module")
def run_widened(tmp_path_factory):
    root = library(tmp_path_factory.mktemp("widened") / "lib")
    for rule, (old, variants, clean) in WIDENED.items():
        for n, text in enumerate([old, *variants]):
            write(root, f"cases/guides/bad-{rule}-{n}.md", guide(body=text))
        write(root, f"cases/guides/ok-{rule}.md", guide(body=clean))
    return check(root)


@pytest.mark.parametrize("rule", sorted(WIDENED))
def test_widened_rules_catch_the_variants_left_in_the_library(run_widened, rule):
    code, by_file = run_widened
    assert code == 1
    for n in range(3):
        found = by_file[f"cases/guides/bad-{rule}-{n}.md"]
        assert [(d["code"], d["line"]) for d in found] == [("C001", 18)], (n, found)
        assert f"（{rule}）" in found[0]["message"]
    assert by_file.get(f"cases/guides/ok-{rule}.md", []) == []
