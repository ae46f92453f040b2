"""A small library for the content-rule tests, and example sentences for every known-wrong rule
of the repository's list (cases/forbidden-phrases.yml): the valid fixture with a basis registry,
that list and the drills' focus vocabulary; a guide to put a sentence in; `check` reading
`casebook check --format json` by file; WRONG and DEPLOYMENT, one entry per rule."""
from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from conftest import REPO, VALID, run_cli, write

REGISTRY = """\
complaint-handling-2020:
  title: 银行业保险业消费投诉处理管理办法
  issuer: 中国银行保险监督管理委员会
  number: 中国银行保险监督管理委员会令2020年第3号
  effective: 2020-03-01
  governs: 投诉处理
  kind: regulation
cdd-2022:
  title: 金融机构客户尽职调查和客户身份资料及交易记录保存管理办法
  issuer: 中国人民银行等
  governs: 2022 年版
  status: superseded
  superseded_by: cdd-2026
cdd-2026:
  title: 金融机构客户尽职调查和客户身份资料及交易记录保存管理办法
  issuer: 中国人民银行等
  effective: 2026-01-01
  governs: 基于风险的尽职调查
  kind: regulation
"""

GUIDE = """---
title: 老年客户服务指引
summary: 保留柜面服务。
scope: 特殊客户
updated: 2026-11-20
basis: [{basis}]
phrases:
  - when: 进门
    say: {say}
  - when: 不愿用机器
    say: 没问题，我们在柜台办。
  - when: 转账给陌生人
    say: 我们先一起核实一下好吗？
---

## 服务要点

{body}

## 服务流程

1. 迎候。

## 禁忌

- 不强推。
"""


def guide(basis: str = "complaint-handling-2020", say: str = "阿姨您好，今天办什么业务？", body: str = "尊重选择。") -> str:
    return GUIDE.format(basis=basis, say=say, body=body)


def library(root: Path) -> Path:
    """The valid fixture plus a registry, the repository's phrase list and drill_focus."""
    shutil.copytree(VALID, root)
    write(root, "cases/basis.yml", REGISTRY)
    shutil.copy(REPO / "cases/forbidden-phrases.yml", root / "cases/forbidden-phrases.yml")
    vocab = root / "cases/vocabulary.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\ndrill_focus: [文明规范, 特殊客户, 投诉处理, 应急处置, 厅堂营销, 潜在投诉]\n",
                     encoding="utf-8")
    return root


def check(root: Path) -> tuple[int, dict[str, list[dict]]]:
    result = run_cli("check", "--root", str(root), "--format", "json")
    by_file: dict[str, list[dict]] = defaultdict(list)
    for d in result.json()["diagnostics"]:
        by_file[d["path"]].append(d)
    return result.code, by_file


# rule id → (a sentence that must be rejected, a sentence on the same topic that must pass)
WRONG = {
    "refuse-coins": ("潘晓燕把几枚旧分币挑出来还给大爷：“这几个不能兑换，但留着也是个念想。”",
                     "不能以“硬币太多”为由说不能兑换。"),
    "coins-out-of-circulation": ("还混着几枚早就不流通的旧分币。", "分币并没有停止流通，照面值收。"),
    "police-needs-permission": ("要报警，也应该先跟您商量。", "需要报警的时候，我们会先告诉您。"),
    "national-purpose-check": ("先生，取这么多现金，我们按规定都要问一句用途。", "按本行规定，取大额现金时我们都会问一句用途。"),
    "complaint-measures-wrong-title": ("依据《银行保险机构消费投诉处理管理办法》处理。", "依据《银行业保险业消费投诉处理管理办法》处理。"),
    "elderly-guidance-wrong-title": ("按关于银行业保险业做好老年人金融服务工作的指导意见办理。",
                                     "按《关于进一步提升金融服务适老化水平的指导意见》办理。"),
    "complaint-15-days-closed": ("一般投诉 15 日内办结。", "15 日内作出处理决定并告知投诉人。"),
    "transfer-cutoff-next-day": ("这笔汇款今天的系统处理时间已经过了，明天上午到账。", "一般的跨行转账随时都能实时到账。"),
    "cash-into-customer-bag": ("证件和现金我帮您放进包里，您看一眼数目对不对。", "点好了您自己收进包里，我不帮您装。"),
    "staff-give-medicine": ("医药箱配有创可贴、防暑降温药品。", "员工不提供、不推荐任何药品。"),
    "keep-customer-id": ("证件先放我这儿，等警察来了再还给您。", "证件不能先放我这儿，当场递还。"),
    "rumour-denied-without-notice": ("阿姨，网上那个说法不属实，您放心。", "上级已经发了正式说明，网上那个说法不属实。"),
}

# rule id → (the old wording, two near variants, a clean sentence that must pass)
DEPLOYMENT = {
    'cash-counted-out-of-sight': (
        '您先坐下喝口水，点好了我叫您过来核对。',
        ['硬币多，点完我喊您回来对一下。', '我们拿到后台专门清点，您放心。'],
        '您就坐在窗口这儿，看着我们点，点完当面跟您核对。'),
    'cash-into-customer-bag': (
        '证件和现金我帮您放进包里，您看一眼数目对不对。',
        ['这么多现金带在身上不安全，我帮您装好袋子。', '办完后把证件、现金放进客户方便拿取的包里。'],
        '点好了您自己收进包里，我不帮您装。'),
    'relatives-as-gatekeepers': (
        '我陪您给家里人打个电话，家里人说没问题我们马上办。',
        ['等您家属同意了我们再给您转。', '您儿子来了确认了才能给您取。'],
        '您愿意的话，可以给您信得过的人打个电话商量一下。'),
    'fraud-blamed-on-age': (
        '只是最近这样被骗的老人太多了。',
        ['是最近骗子专找老人下手。', '老年人最容易上当，我们得多问。'],
        '最近骗子的花样特别多，多问一句是为了护住您的钱。'),
    'family-contacted-without-consent': (
        '必要时直接联系家属。',
        ['我们马上通知您的家里人。', '次日回访客户和家属。'],
        '征得客户同意后联系家属。'),
    'deposit-insurance-without-conditions': (
        '存款保险是国家的制度，同一家银行五十万元以内的本金和利息都是全额保障的。',
        ['存款 50 万以内都是全额赔付的，您放心。', '五十万以内都保，您别担心。'],
        '万一银行被接管、撤销或者破产，同一个人在同一家银行的存款本金和利息合并算，50 万元以内全额偿付。'),
    'cash-plenty-unconfirmed': (
        '网点今天正常营业，现金准备得很充足。',
        ['现金储备非常充足，请大家放心。', '现金管够，不用排队抢。'],
        '今天取款正常办理，请大家按号排队。'),
    'large-cash-no-id': (
        '五万元以上取现已经不用登记了。',
        ['取 5 万以上现在不需要复印身份证。', '5万元以上的现金存取取消了登记身份。'],
        '取消的只是一律登记用途，5 万元以上现金存取仍要登记身份信息、留存身份证件复印件。'),
    'phone-before-identity': (
        '先生您好，我是网点的工作人员。您上午取款时，我们核对发现多付了您一千元。',
        ['您好，我是柜员小王，您今天转账的那笔录错了。', '喂，我是网点的大堂经理。您刚才办的存款有点问题。'],
        '您好，我是网点的工作人员，请问是王先生本人吗？'),
    'same-day-promise-special-withdrawal': (
        '我们同事会跟您去医院看一下，确认后当天就能转。',
        ['审批完今天就可以给您办。', '核实了马上就能取。'],
        '能不能办、什么时候能办，负责人确认后我马上告诉您。'),
    'filming-patient': (
        '在医护人员在场的情况下确认老人状况，并录像留存。',
        ['到病房给老人拍照存档。', '在医院里对着病床录视频为证。'],
        '在医护人员在场的情况下确认老人状况，由两人作书面记录并签字；不对昏迷的患者拍照、录像。'),
    'recording-without-notice': (
        '两人同行、全程录像。',
        ['客户经理和柜面经理两人上门办理并全程录像。', '用自己的手机录像留底。'],
        '两人同行，告知客户本人并征得同意后，用本行配发的记录设备录音录像（不用个人手机）。'),
    'lock-customers-in': (
        '暂停营业，关闭出入口，只留民警和救护通道。',
        ['守住现金区、通道和出入口。', '马上锁上大门，谁也别走。'],
        '不锁闭出入口，不阻拦想离开的客户。'),
    'guard-fights-robber': (
        '按安保规定使用防卫器械阻止歹徒伤害人员。',
        ['保安拿起钢叉制服歹徒。', '用警棍拦住抢劫的人。'],
        '以保护人员安全为先，不与持械歹徒正面搏斗。'),
    'other-bank-card-same-day': (
        '他行卡被吞了当天就退给您。',
        ['您这张他行卡今天就能领回去。', '吞的卡当日就退回发卡行。'],
        '他行卡按本行规定交还客户或退回发卡行，不承诺当天退回。'),
    'unchecked-arrival-claim': (
        '各位师傅，工资都到账了，不用着急。',
        ['养老金今天还没入账，一般上午会到。', '养老金已经到了，大家别急。'],
        '我帮您查了，养老金现在还没到账，到账时间以发放单位为准。'),
    'fixed-local-document-list': (
        '替阿姨补社保卡要带三样。',
        ['换社保卡就带两样。', '办社会保障卡需要带这四样。'],
        '替阿姨补社保卡要带的材料，各地人社部门要求不完全一样。'),
    'insurer-staff-in-outlet': (
        '销售人员是本行员工还是保险公司驻点人员，要让客户清楚。',
        ['这位是保险公司驻点销售，您可以问他。', '保险公司驻场员工在理财区给您讲。'],
        '保险公司人员不得在网点驻点销售。'),
    'dementia-gossip': (
        '提醒其他员工下次遇到同一位老人多留意。',
        ['记下这位客户的病情，交接给同事。', '提醒同事这位老人脑子糊涂，多留意。'],
        '按本行规定登记业务经过，不记录、不议论老人的健康状况。'),
    'freeze-for-report-loss': (
        '挂失、改密码或冻结本人相关账户。',
        ['我先帮您把卡冻结一下。', '赶紧把自己的银行卡冻结起来。'],
        '挂失银行卡、修改密码，需要时请银行按规定协助止付。'),
    'custody-of-phone-or-child': (
        '您放心充，手机我们帮您看着。',
        ['宝宝我们帮您看着。', '小孩放这儿，我帮您照看一下。'],
        '手机放在您看得见的地方，自己留意一下。'),
    'other-customer-business-disclosed': (
        '刚才那位是提前预约的客户，不占现金窗口的号。',
        ['前面那位是我们的贵宾客户。', '刚才那位客户是来办贷款的。'],
        '那个窗口办的是另一类业务，不占现金窗口的号。'),
    'money-untouched-promise': (
        '要不明天再来办？钱在您账户里一分不少。',
        ['您的钱一分不少，放心回去吧。', '存款一分都不会少，您别担心。'],
        '钱在您自己账户里放着，明天照样能办。'),
    'fx-quota-splitting': (
        '额度不够的话，用家人的身份证再换一些。',
        ['借您爱人的额度分开购汇就行。', '拿父母的身份证多换点美元。'],
        '额度只能本人用，借家人的额度分开换算分拆，可能被列入关注名单。'),
    'relatives-spared-credit-unconditional': (
        '逾期会如实记在借款人本人的信用报告里，不会记到您头上。',
        ['孩子欠款不会影响父母征信。', '这笔逾期不会记到老人名下。'],
        '逾期记在借款人的信用报告里，您没给他做担保，就不会记到您头上。'),
}
