"""Write a synthetic casebook library of N items (not a test; used by the benchmarks).

    python benchmarks/gen_library.py OUT_DIR --items 5000 [--seed 1]

Items are spread over the six types in the proportions of a grown library, carry realistic
front matter (vocabulary values, phrases, duties, related links) and Chinese bodies of
800–1,500 characters with the required headings, so the checker does its full work on them.
The vocabulary, programme, basis registry, bank parameters and known-wrong phrase list are copied from the repository; every file passes the check.
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SENTENCES = [
    "客户在营业高峰时段来到网点，大堂经理主动上前问候并询问业务需求。",
    "老年客户对自助设备不熟悉，希望在柜台办理存取款业务，员工耐心解释并协助填单。",
    "柜面经理起身迎候，双手接递证件，唱收唱付，办理完毕后提醒客户收好现金。",
    "网点负责人接到报告后立即到场，统一指挥，安排专人维持厅堂秩序。",
    "客户对业务规则不理解，情绪激动，员工先安抚情绪，再用通俗的话讲清楚规定的原因。",
    "内勤行长按照补位方案加开窗口，客户经理到厅堂协助分流，等候时间明显缩短。",
    "员工提醒客户注意防范电信诈骗，对向陌生账户转账的情形多问一句、陪打一个电话。",
    "事后网点组织复盘，查找流程中的不足，修订服务方案，并在晨会上分享经验。",
    "保安疏导围观人员，留出通道；保洁及时清理地面，防止客户滑倒。",
    "客户拨打本行客服热线【bank.hotline】反映问题，网点在 24 小时内回访，客户表示满意。",
]
HEADINGS = {
    "complaint": ["案例经过", "客户诉求", "处理过程", "推荐话术", "根因分析", "改进措施", "讨论题"],
    "emergency": ["适用情形", "处置流程", "参考话术", "报告要求", "演练要点"],
    "guide": ["服务要点", "服务流程", "禁忌"],
}
SHARE = [("complaint", 0.35), ("guide", 0.2), ("emergency", 0.1), ("story", 0.25), ("standard", 0.07), ("course", 0.03)]
FOLDER = {"complaint": "complaints", "emergency": "emergencies", "guide": "guides", "story": "stories",
          "standard": "standards", "course": "courses"}
GROUPS = ["老年客户", "残障客户", "外籍客户", "未成年客户", "孕妇及带婴幼儿客户", "新市民", "企业客户", "普通客户"]
ROLES = ["网点负责人", "内勤行长", "大堂经理", "柜面经理", "客户经理", "保安", "保洁"]
BUSINESS = ["开户", "存取款", "转账汇款", "挂失", "代办", "零钱兑换", "理财", "代理保险", "信用卡", "手机银行"]
CAUSES = ["服务态度", "服务效率", "制度政策", "业务差错", "系统设备", "营销行为", "收费定价"]


def body(rng: random.Random, kind: str, chars: int) -> str:
    heads = HEADINGS.get(kind) or ["正文"]
    parts = []
    per = max(chars // len(heads), 60)
    for h in heads:
        text = ""
        while len(text) < per:
            text += rng.choice(SENTENCES)
        parts.append(f"## {h}\n\n{text}\n" if kind in HEADINGS else text + "\n")
    return "\n".join(parts)


def lst(values) -> str:
    return "[" + ", ".join(values) + "]"


def front(rng: random.Random, kind: str, i: int, ids: list[str]) -> str:
    lines = [f"title: 合成条目第{i}号{['投诉', '预案', '指引', '故事', '规范', '课程'][i % 6]}",
             f"summary: 这是第 {i} 个合成条目，用于测量检查和构建的速度。",
             f"customer_groups: {lst(rng.sample(GROUPS, 2))}",
             f"roles: {lst(rng.sample(ROLES, 2))}",
             f"business: {lst(rng.sample(BUSINESS, 2))}",
             f"updated: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"]
    if ids and rng.random() < 0.6:
        lines.append(f"related: {lst(rng.sample(ids, min(2, len(ids))))}")
    phrases = ["phrases:"] + [f"  - when: 情境{j}\n    say: 您好，让您久等了，我马上帮您看看怎么办最快。" for j in range(3)]
    if kind == "complaint":
        lines += ["severity: 一般", "channel: 现场", f"root_cause: {lst(rng.sample(CAUSES, 2))}", *phrases]
    elif kind == "emergency":
        lines += ["category: 客户自身原因", "incident: 突发疾病", "report_within_minutes: 【bank.report_minutes.general】", "duties:",
                  "  网点负责人: [统一指挥, 向支行报告]", "  大堂经理: [第一时间到场, 安抚客户]", "  保安: [疏散围观人员]", *phrases]
    elif kind == "guide":
        lines += ["scope: 特殊客户", *phrases]
    elif kind == "story":
        lines += [f"date: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}", "outlet: 合成支行营业部",
                  "staff: [周晓雯, 陈立]", f"visibility: {rng.choice(['public', 'internal'])}", "source: example"]
    elif kind == "standard":
        lines += ["steps:", "  - {name: 起身迎候, detail: 客户走近时起身, points: 50}",
                  "  - {name: 致谢道别, detail: 双手递还物品, points: 50}",
                  "checklist:", "  - {area: 服务流程, item: 是否起身迎候}"]
    elif kind == "course":
        lines += [f"day: {rng.randint(1, 4)}", "minutes: 90", "objectives: [掌握标准动作]",
                  "draws:", "  - {type: complaint, count: 3, match: [customer_groups]}"]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def generate(out: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "cases").mkdir(parents=True)
    for name in ("vocabulary.yml", "programme.yml", "search-terms.yml", "basis.yml", "bank.yml", "forbidden-phrases.yml"):
        if (REPO / "cases" / name).is_file():
            shutil.copy(REPO / "cases" / name, out / "cases" / name)
    shutil.copytree(REPO / "outlets", out / "outlets")
    # the real courses keep programme.yml and outlet overrides resolvable
    shutil.copytree(REPO / "cases" / "courses", out / "cases" / "courses")
    for extra in REPO.glob("cases/*/*.md"):
        target = out / extra.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(extra, target)
    made: list[str] = []
    kinds = [k for k, share in SHARE for _ in range(round(share * 100))]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        folder = FOLDER[kind]
        item = f"{folder}/synthetic-{i:05d}"
        text = front(rng, kind, i, made[-50:]) + body(rng, kind, rng.randint(800, 1500))
        path = out / "cases" / f"{item}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        made.append(item)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.items, args.seed)
    print(f"wrote {args.items} synthetic items to {args.out}")


if __name__ == "__main__":
    main()
