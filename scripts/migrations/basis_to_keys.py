"""One-off migration (issue 14): rewrite every item's free-text `basis` to registry keys.

    python scripts/migrations/basis_to_keys.py [ROOT] [--dry-run]

Each free-text entry is matched against RULES (first matching rule wins; one entry may yield
several keys); entries that are already registry keys are kept. The `basis:` block of the front
matter is replaced by one line `basis: [key, key]`, nothing else in the file is touched. An entry
no rule matches stops the run (exit 1) with the file and the text, so nothing is dropped silently.
Free text that followed the title is dropped from the front matter; where it was a caveat
(“以本行现行规定为准”, “以保险合同为准”, “使用本案例前请核对”) it moves into the body, as a last
section `## 依据说明` naming the instrument, so the caveat still reaches the reader. Everything
else dropped is printed for review (several carried wrong titles or clauses, which is why the
registry exists).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

# (pattern on the free text, keys) — order matters: specific before general.
RULES: list[tuple[str, list[str]]] = [
    (r"草案", ["bank-service-standard-draft"]),
    (r"厅堂补位规则|服务营销导入项目方案", ["service-programme"]),
    (r"启动本预案的触发线|服务突发事件处置实践|拍照录像应急预案", ["bank-emergency-plans"]),
    (r"营业网点服务突发事件应急处理工作指引", ["cba-outlet-emergency-2009"]),
    (r"营业时间对外公示", ["cba-civilised-service", "bank-outlet-service"]),
    (r"文明规范服务", ["cba-civilised-service"]),
    (r"反电信网络诈骗法", ["anti-telecom-fraud-law"]),
    (r"无障碍环境建设法", ["barrier-free-law"]),
    (r"GB/T\s?41218|无障碍服务相关|无障碍环境建设规范", ["barrier-free-outlet-gbt41218"]),
    (r"民法典、个人信息保护法", ["civil-code", "personal-information-law"]),
    (r"个人信息保护法", ["personal-information-law"]),
    (r"借款合同", ["civil-code"]),
    (r"民法典", ["civil-code"]),
    (r"未成年人保护法", ["minors-protection-law"]),
    (r"治安管理处罚", ["public-security-penalties-law"]),
    (r"存款保险条例", ["deposit-insurance-2015"]),
    (r"人民币管理条例", ["rmb-administration"]),
    (r"残缺污损人民币兑换办法", ["damaged-notes-exchange"]),
    (r"现金收付|拒收人民币现金", ["cash-service-2026"]),
    (r"老年人金融服务工作的指导意见|适老化水平", ["elderly-finance-2024"]),
    (r"消费(者)?投诉处理管理办法", ["complaint-handling-2020"]),
    (r"金融消费者权益保护实施办法", ["pbc-consumer-protection-2020"]),
    (r"消费者权益保护管理办法", ["consumer-protection-2023"]),
    (r"客户尽职调查和客户身份资料|反洗钱客户身份识别", ["cdd-2026"]),
    (r"大额交易和可疑交易报告", ["large-suspicious-tx-2016"]),
    (r"个人银行账户分类", ["personal-account-2015", "payment-fraud-2016"]),
    (r"个人银行账户开立的有关要求|非柜面交易限额", ["payment-fraud-2016"]),
    (r"外籍个人开立银行账户", ["account-real-name-2000", "bank-account-opening"]),
    (r"实名制", ["account-real-name-2000"]),
    (r"企业银行账户开立|对公开户所需材料", ["bank-account-opening"]),
    (r"优化支付服务提升支付便利性", ["payment-convenience-2024"]),
    (r"资产管理业务的指导意见", ["asset-management-2018"]),
    (r"理财业务监督管理办法", ["wealth-mgmt-2018", "wealth-sales-2021"]),
    (r"理财产品销售有关监管规定", ["wealth-sales-2021", "sales-recording-2017"]),
    (r"私募理财", ["wealth-mgmt-2018"]),
    (r"销售专区录音录像", ["sales-recording-2017"]),
    (r"本行代理保险业务", ["bank-bancassurance"]),
    (r"代理保险业务|保险销售录音录像|犹豫期", ["bancassurance-2019"]),
    (r"明示年化利率", ["loan-apr-2021"]),
    (r"收费|手续费", ["bank-fees"]),
    (r"本行营业网点服务规范", ["bank-outlet-service"]),
    (r"本行投诉处理", ["bank-complaint-handling"]),
    (r"柜面业务差错", ["bank-teller-errors"]),
    (r"自助设备", ["bank-self-service"]),
    (r"代理业务|上门服务", ["bank-proxy-business"]),
    (r"大额现金业务|大额取现预约", ["bank-large-cash"]),
    (r"反诈劝阻|交易风险核实|反欺诈", ["bank-anti-fraud"]),
    (r"提前还款", ["bank-loan-prepayment"]),
    (r"新闻宣传|舆情", ["bank-media-relations"]),
    (r"安全保卫|安防", ["bank-security"]),
    (r"系统故障报障|系统升级停机", ["bank-it-incident"]),
    (r"社会保障卡", ["bank-social-security-card"]),
    (r"不能签名", ["bank-counter-operations"]),
    (r"气象预警", ["bank-weather-operations"]),
]
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CAVEAT = re.compile(r"为准|可能调整|请核对")
NOTE_HEADING = "## 依据说明"


def caveat(text: str, keys: list[str], registry: dict[str, dict]) -> str | None:
    """A body line for a free-text entry that carries a caveat, else None. The text stays as it
    was, except that the bank's own rule is named by its registered title; a national
    instrument's name is not put in front of the text, so no clause is attributed to it anew."""
    if not CAVEAT.search(text):
        return None
    text = text.strip().rstrip("。")
    bank = [k for k in keys if registry.get(k, {}).get("kind") == "bank"]
    if bank and len(bank) == len(keys) and text.startswith("本行"):
        if "：" in text:
            text = text.split("：", 1)[1]
        elif "（" in text:
            text = text[text.index("（") + 1:].rstrip("）")
        return f"- 《{registry[bank[0]]['title']}》：{text}。"
    if "：" in text:  # a paraphrased name before the colon is not an official title: drop it
        text = text.split("：", 1)[1]
    return f"- {text}。"


def keys_for(text: str, registry: set[str]) -> list[str] | None:
    if KEY_RE.match(text):
        return [text] if text in registry else None
    for pattern, keys in RULES:
        if re.search(pattern, text):
            return keys
    return None


def basis_block(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) line indexes of the front matter's `basis:` entry (end exclusive)."""
    if not lines or lines[0].strip() != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    for i in range(1, close or 0):
        if lines[i].startswith("basis:"):
            end = i + 1
            if lines[i].rstrip() == "basis:":
                while end < close and (lines[end].startswith("  ") or not lines[end].strip()):
                    end += 1
            return i, end
    return None


def migrate(path: Path, registry: dict[str, dict]) -> tuple[bool, list[str], list[str]]:
    """(changed, unmatched entries, notes) for one item file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    span = basis_block(lines)
    if span is None:
        return False, [], []
    first, end = span
    entries = yaml.safe_load("\n".join(lines[first:end]))["basis"] or []
    keys: list[str] = []
    unmatched, notes, caveats = [], [], []
    for text in entries:
        text = str(text)
        found = keys_for(text, registry)
        if found is None:
            unmatched.append(text)
            continue
        keys += [k for k in found if k not in keys]
        note = None if KEY_RE.match(text) else caveat(text, found, registry)
        if note:
            caveats.append(note)
        elif not KEY_RE.match(text) and ("：" in text or "（" in text):
            notes.append(text)
    missing = [k for k in keys if k not in registry]
    unmatched += [f"(rule names unregistered key) {k}" for k in missing]
    new = f"basis: [{', '.join(keys)}]"
    if unmatched or lines[first:end] == [new]:
        return False, unmatched, notes
    lines[first:end] = [new]
    text = "\n".join(lines)
    if caveats and NOTE_HEADING not in text:
        text = text.rstrip("\n") + f"\n\n{NOTE_HEADING}\n\n" + "\n".join(caveats) + "\n"
    path.write_text(text, encoding="utf-8")
    return True, [], notes


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path.cwd()
    data = yaml.safe_load((root / "cases/basis.yml").read_text(encoding="utf-8")) or {}
    registry = {k: v for k, v in data.items() if isinstance(v, dict)}
    changed, failed = 0, 0
    for path in sorted((root / "cases").rglob("*.md")):
        if "media" in path.relative_to(root / "cases").parts:
            continue
        if "--dry-run" in argv:
            lines = path.read_text(encoding="utf-8").split("\n")
            span = basis_block(lines)
            if span:
                for text in yaml.safe_load("\n".join(lines[span[0]:span[1]]))["basis"] or []:
                    if keys_for(str(text), registry) is None:
                        print(f"{path.relative_to(root)}: no rule for: {text}")
                        failed += 1
            continue
        did, unmatched, notes = migrate(path, registry)
        changed += did
        for text in unmatched:
            print(f"{path.relative_to(root)}: no rule for: {text}", file=sys.stderr)
            failed += 1
        for text in notes:
            print(f"{path.relative_to(root)}: detail dropped from basis (body should say it if it matters): {text}")
    print(f"{changed} files rewritten, {failed} entries without a rule", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
