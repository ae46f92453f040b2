"""The 部署清单 page: what a bank must set before it uses the library as its own.

Everything comes from cases/bank.yml (core/bank.py): each parameter with what it means, the
value the library now shows and how many items print it; each starter rule still marked
`replace_before_use: true` with the items that cite it. A bank works down the page, edits the
one file, runs `casebook check`, and the page shrinks to “已完成”.

A pure function of the Library returning Markdown. bank.yml comes with pull requests like every
other file, so each value is escaped for Markdown and HTML (`_md`) before it goes into a table.
"""
from __future__ import annotations

from collections import defaultdict

from ..core.bank import BANK_FILE, STARTER_LABEL
from ..core.basis import is_starter
from ..core.library import Library

DEPLOY_URL = "deploy/"
# every character Markdown or HTML could read as markup, as a numeric entity (one pass)
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_[]{}()#|!~+-=:"} | {"\n": " ", "\r": " "})


def _md(value: object) -> str:
    """A value as literal text in a Markdown table cell (no markup, no HTML, one line)."""
    return str(value).translate(_MARKDOWN)


def deploy_checklist_page(lib: Library) -> str:
    bank = lib.bank
    out = ["# 部署清单\n\n",
           "这个案例库写的是一家“本行”。一家银行把它用作自己的培训库之前，先把下面几项换成本行自己的："
           f"全部在一个文件 `{BANK_FILE}` 里改，改完运行 `casebook check`。"
           "条目里写的是【bank.参数名】，站点和培训包显示的是这里的取值：改一处，全库一致。\n\n"]
    if not bank.present:
        return "".join(out + [f"库里还没有 `{BANK_FILE}`：条目中的本行参数无法填写，请先建立它。\n"])
    uses: dict[str, list[str]] = defaultdict(list)
    for item in sorted(lib.items.values(), key=lambda i: i.id):
        for key in item.doc.bank_keys:
            uses[key].append(item.id)

    out.append("## 一、本行参数\n\n")
    if bank.values_confirmed:
        out.append("本行已核对以下数值（`values_confirmed: true`）。制度调整时仍在这里改。\n\n")
    else:
        out.append("**待办**：以下数值是起步示例，不是任何一家银行的规定。逐项按本行制度核对、修改，"
                   "全部核对后把 `values_confirmed` 改为 `true`。\n\n")
    out.append("| 参数（条目里这样写） | 含义 | 现在的值 | 用到它的条目 |\n|---|---|---|---|\n")
    for key, p in bank.parameters.items():
        meaning = p.title + (f"：{p.description}" if p.description else "")
        out.append(f"| 【{_md(key)}】 | {_md(meaning)} | {_md(p.value)} | {len(uses.get(key, []))} 条 |\n")
    out.append("\n")
    unit = bank.complaint_rate_unit
    out.append(f"培训包的网点画像在投诉率后面印上它的单位（`complaint_rate_unit`，按本行考核口径）：现在是“{_md(unit)}”。\n\n"
               if unit else "**待办**：写上网点投诉率的单位（`complaint_rate_unit`，按本行考核口径，如“件/万户”）；"
               "不写时培训包只印数字。\n\n")

    starters = {k: r for k, r in lib.registry.entries.items() if is_starter(r)}
    out.append(f"## 二、本行制度（{len(starters)} 项待替换）\n\n")
    if not starters:
        out.append("已完成：本行制度都已换成本行的正式制度。\n\n")
    else:
        out.append(f"下列制度是起步示例，站点和培训包在名称后标“{STARTER_LABEL}”。在 `{BANK_FILE}` 的 `rules` 里"
                   "把每一项换成本行正式制度的名称（title）、制定部门（issuer）、文号（number）和施行日期（effective），"
                   "核对“管什么”（governs）与本行制度一致，再把 `replace_before_use` 改为 `false`；key 不要改，"
                   "引用它的条目随之显示本行制度的名称。\n\n")
        citing: dict[str, int] = defaultdict(int)
        for item in lib.items.values():
            for key in item.meta.basis:
                citing[key] += 1
        out.append("| key | 示例名称 | 管什么 | 引用它的条目 |\n|---|---|---|---|\n")
        for key, rule in starters.items():
            out.append(f"| {_md(key)} | {_md(rule.title)} | {_md(rule.governs)} | {citing.get(key, 0)} 条 |\n")
        out.append("\n")

    out.append("## 三、部署前还要确认\n\n"
               "- 各网点文件（`outlets/*.yml`）里的联系人和电话由网点填写，培训包的应急预案页印出它们。\n"
               "- 条目里“以本行现行规定为准”的地方（材料清单、金额门槛、办理时限），由本行业务条线核对；"
               "有复核日期的条目到期后由检查提醒复核。\n"
               "- 改完运行 `casebook check --strict`：没有错误、没有警告，再构建站点和培训包。\n")
    return "".join(out)
