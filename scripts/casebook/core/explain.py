"""`casebook check --explain CODE`: what a problem code means and how to fix it.

The meaning comes from the catalogue (diagnostics.CODES); the fix from FIXES below, else from
the code's letter group, so a code added to the catalogue is always explained. CONTRIBUTING's
code table is generated from here (`casebook check --explain all`); a test fails when it is stale.
"""
from __future__ import annotations

from .diagnostics import CODES

GROUPS = {
    "L": ("文件读不进来", "对照 casebook new 生成的模板检查文件开头的 --- 行、缩进和引号；用 UTF-8 保存"),
    "F": ("字段的值不对", "按提示改字段：必填的补上，名字写错的改名，取值改成提示里最接近的有效值"),
    "S": ("正文结构不对", "按提示补上或调整“## 标题”，正文写够字数"),
    "R": ("引用不对", "改成存在的条目 id（带文件夹，如 guides/elderly-customers）或存在的图片"),
    "D": ("业务规则不满足", "按提示补全岗位、调整日期或删去重复值"),
    "P": ("疑似客户个人信息", "删除，或写成掩码（138****5678、尾号 1234）；客户只写“王先生”“李阿姨”"),
    "M": ("图片有问题", "运行 .venv/bin/casebook media clean 图片路径；只用 JPEG、PNG、WebP 静态图片"),
    "H": ("不安全的网页代码", "删除 HTML、脚本和特殊链接，只用普通文字和 Markdown"),
    "O": ("网点文件或培训包的问题", "按提示修改网点文件（outlets/*.yml），再重新运行 casebook pack"),
    "B": ("制度依据不对", "basis 只写 cases/basis.yml 里登记的 key；新的制度先在登记表里登记"),
    "C": ("已知的错误说法", "按提示里的“应改为”改写；清单在 cases/forbidden-phrases.yml"),
    "K": ("本行参数不对", "条目里写【bank.参数名】，参数名和取值在 cases/bank.yml；本行自定的数不手写"),
    "Q": ("搜索词文件不对", "按提示修改 cases/search-terms.yml：一组写意思相同的几个说法，每个说法只出现一次"),
}

FIXES: dict[str, str] = {
    "B001": "写登记表里的 key（提示里有最接近的几个）；新的制度先在 cases/basis.yml 里登记正式名称、发文机关等",
    "B002": "复核本条内容是否还对，改引提示里替代它的现行依据",
    "B003": "按提示改 cases/basis.yml：key 只用小写字母、数字和连字符，superseded_by 写登记表里存在的 key",
    "B004": "把这条本行制度移到 cases/bank.yml 的 rules 下（key 不变，条目不用改）",
    "K001": "改成提示里最接近的参数名，如【bank.report_minutes.major】；确需新参数时先在 cases/bank.yml 和 core/bank.py 里加上",
    "K002": "把手写的数换成提示里的【bank.…】参数，数值只在 cases/bank.yml 里改",
    "K003": "写 report_within_minutes: 【bank.report_minutes.major】（或 general、public_opinion、life_safety 中合适的一个）",
    "K010": "按提示改 cases/bank.yml：本行制度写 kind: bank",
    "C001": "按提示里的“应改为”改写；确实是在引用错误说法的，放进“## 错误示范”一节",
    "C002": "修正 cases/forbidden-phrases.yml 里的正则表达式（括号要配对）",
    "C003": "重复次数写上限（如 [^。]{0,30}），不要用 * + {n,}，也不要在重复的括号里再套重复",
    "R005": "确已取得客户和员工的同意时写 consent: {customer: true, staff: true}，否则改为 visibility: internal",
    "R006": "在 related 里写上这个演练练的服务指引、应急预案、服务规范或投诉案例",
    "S004": "场景写 1–3 句，步骤写 3–6 个编号步骤（1. 2. 3.），观察要点写 2–5 条（- 开头）",
    "P201": "改成概括说法（如“一位老人”），或把故事设为 visibility: internal",
    "L001": "在编辑器里选“UTF-8”编码另存（Windows 记事本：另存为 → 编码 UTF-8）",
    "L002": "从 casebook new 生成的模板开始写",
    "L003": "文件第一行写 ---，接着写字段，再写一行 --- 结束，然后是正文",
    "L004": "在字段之后加一行 ---",
    "L005": "看提示的行列：常见原因是值里有英文冒号加空格（给整个值加引号）、用了 Tab 缩进、引号没有配对",
    "L006": "front matter 每行写成“字段: 值”",
    "L007": "删除或合并重复的字段",
    "L008": "去掉 !! 开头的标签，直接写值",
    "L009": "不用 & 和 *，把内容直接写出来",
    "L010": "文件名只用小写英文字母、数字和连字符，如 rainy-day-umbrellas.md；docs/ 里的页面别用 complaints、stories、search 等站点已有的地址，如 complaints-notes.md",
    "L011": "把文件移到 cases/complaints/、cases/stories/ 等对应的文件夹",
    "L050": "删除符号链接，把文件本身复制进来（案例库只收普通文件）",
    "L012": "改一个名字：不用 con、prn、aux、nul、com1–com9、lpt1–lpt9（带扩展名也不行），不用 < > : \" \\ | ? *，结尾不加空格或句点",
    "L051": "把文件名缩短到提示的长度以内",
    "L052": "文件太大：拆成几个条目，或删掉粘贴进来的多余内容",
    "F001": "按提示补上缺少的字段（模板里都有）",
    "F002": "字段名写错了：改成提示里的名字，或删掉这个字段",
    "F003": "按提示改成正确的类型：文字、数字、列表（[a, b]）或日期（2026-05-12）",
    "F004": "调整长度：标题 4–40 个字，摘要不超过 120 个字；列表按提示补足条数",
    "F005": "写成存在的日期，如 2026-05-12",
    "F006": "改成提示里最接近的有效值；需要新的取值时，先在 cases/vocabulary.yml 里加上",
    "F007": "改成提示里的标准写法",
    "F008": "删掉 type 字段，或把文件移到与类型对应的文件夹",
    "F009": "改成允许范围内的值",
    "F010": "把【待填写：……】换成真实内容",
    "F011": "常见问法只写一句口头的话：去掉 * # [ ] < > 等符号和链接",
    "F012": "删去重复的那句常见问法（只差标点、空格或全角半角的也算重复）",
    "F013": "每人一项，用英文逗号分开，如 大堂经理: [周晓雯, 吴敏]；删去空白和重复的项",
    "F050": "词表取值写短一些，只用文字、数字和常用标点",
    "S001": "按提示补上“## 标题”（模板里的标题都要有，顺序不变）",
    "S002": "按提示调整二级标题的顺序",
    "S003": "把故事写完整：至少 150 个字",
    "S050": "正文太长：拆成几个条目，或删去与主题无关的部分",
    "S051": "删去多余的 [、`、* 或 _；正常的一段最多几个链接和几处加粗，用不到上百个这样的符号",
    "R001": "改成存在的条目 id（带文件夹），或删掉这条引用；条目改名后，引用它的地方也要一起改",
    "R002": "把图片放进 cases/media/，在 images 里写成 media/文件名",
    "R003": "确已取得图中人物同意时写 consent: true，否则删除图片或把故事改为 internal",
    "R004": "related 里删掉条目自己",
    "R070": "把链接改成存在的条目，如 [老年客户服务指引](../guides/elderly-customers.md)；条目改名或删除后要一起改",
    "D001": "在 duties 里补上网点负责人和大堂经理的职责",
    "D002": "调整日期的先后顺序",
    "D003": "核对内容仍然符合现行规定后，更新 review_by 和 updated",
    "D004": "删掉重复的值",
    "P001": "删除身份证号，或只留后四位：尾号 1234",
    "P002": "删除手机号，或写成 138****5678；网点文件的应急联系电话里，值班线路（名称写明“值班”，不写人名，如“支行值班手机”）可以写值班手机",
    "P003": "删除客户的电话；网点或客服热线（95xxx、400-）可以保留",
    "P004": "删除卡号或账号，或只留后四位：尾号 1234",
    "P005": "删除电子邮箱地址",
    "P006": "删除门牌号，只写到街道或小区名称",
    "P101": "客户只写姓加称呼：“王先生”“李阿姨”“张某”；确实不是姓名（误报）时，把提示里那段原文写进 front matter 的 "
            "privacy_ok 列表，如 privacy_ok: [黄昏时]",
    "P102": "删除 privacy_ok 里这一项：它豁免的原文已经不在文件里，或检查器已不再误报",
    "M001": "另存为 JPEG、PNG 或 WebP 静态图片；动图请截一张静态画面；只是扩展名不对时，运行 casebook media clean 图片路径，它按内容改名并改掉条目里的引用",
    "M002": "运行 .venv/bin/casebook media clean 图片路径（长边缩到 2048 像素）",
    "M003": "运行 .venv/bin/casebook media clean 图片路径（长边缩到 2048 像素）",
    "M004": "运行 .venv/bin/casebook media clean 图片路径，去掉拍摄地点",
    "M005": "运行 .venv/bin/casebook media clean 图片路径，去掉拍摄信息",
    "M006": "运行 .venv/bin/casebook media clean 图片路径，去掉注释、说明、作者等文字信息；需要说明的内容写进条目正文",
    "H001": "删除 HTML 标签，用 Markdown 写（## 标题、**加粗**、- 列表）",
    "H002": "删除 on…= 属性",
    "H003": "链接只用 https:// 或站内链接",
    "H004": "删除 {: … } 属性写法",
    "H050": "删除看不见的双向文本控制字符（常见于从网页或聊天记录复制的文字），重新输入这一段",
    "H051": "图片放进 cases/media/，写成 media/文件名；不引用外部网址或其他位置的图片",
    "H052": "删除 {{ … }} 或 {% … %}；docs/ 页面只能用 casebook 提供的宏，见 SECURITY.md",
    "H053": "删除仿造的复制按钮；话术写在 phrases 里，站点会自动生成复制按钮",
    "H054": "标题、副标题、描述只写纯文字；不用 < > & 英文引号 花括号，引用请用中文引号“”",
    "H057": "删去 HTML 标签，只用 Markdown 写；需要强调用 **粗体**，需要列表用 - 开头",
    "H058": "标题里不用 [ ] ` * _ { } # | \\ ~ 这些符号（它们会让标题变成链接、加粗或代码）；需要括号时用中文的【】「」（）",
    "H056": "删除看不见的控制字符（常见于从别的软件复制的文字），重新输入这几个字",
    "H055": "删去这个字段；docs/ 页面可用的字段：title、description、hide、macros",
    "O001": "检查文件路径：给出存在的网点文件，如 outlets/example-community.yml",
    "O002": "网点文件要以 .yml 或 .yaml 结尾",
    "O003": "两个网点文件改成不同的文件名（培训包文件夹以文件名命名）",
    "O004": "确认驻点开始日期；这一天也营业的网点，把它写进营业日 open_days；若确需顺延，可不改（培训包最后一页列出了顺延后的日期）",
    "O005": "在 staff 里补上这个岗位的人员姓名，或打印后手写",
    "O006": "在网点文件的 contacts 里补上这个电话（如支行值班、保卫、科技报障）",
    "O007": "先运行 casebook check --strict，改完所有问题再生成培训包",
    "O008": "不用改：该条目已在前一晚印出，后面只引用它所在的页；想在当晚重印，请换一个条目",
    "O009": "在 mkdocs.yml 里把 site_url 写成 https://… 的完整网址，或删掉它",
    "O010": "在 overrides 下为这门课指定缺的材料，或按培训包里的提示现场自备",
    "O011": "不用改网点文件：第2天白天萃取网点自己的这类投诉案例，整理后投稿到案例库",
    "O012": "核对培训包里标“替补”的位置并写上替补人；一人确实兼岗的可不改",
    "O013": "换一个输出目录（--out），或把同名文件夹里自己的文件移走；培训包文件夹只放 casebook 生成的文件",
    "O014": "确认大课日期（big_class_date）；确实要在这天上课的可不改",
    "O015": "考虑把驻点开始日期（start_date）改到假期之后，让五天连在一起；确需跨假期的可不改，节后第一天晨会先回顾",
    "O016": "在 cases/emergencies/ 为这类突发事件补一份应急预案（标题或 incident 写明事件，如“抢劫”）；暂时没有的，培训老师当晚自备材料",
    "Q001": "cases/search-terms.yml 写成 groups: 下面每组一行，如 - terms: [长者, 老人, 老年人]",
    "Q002": "删掉这个字段，或改成提示里的字段名",
    "Q003": "一个说法只放进一组：删掉重复的那个，或把两组合并",
    "Q004": "这组词在案例库里一处也没有：检查错字，或等有了相关条目再加",
    "Q005": "每个说法至少两个字，不含空格和符号",
    "Q006": "一组至少写两个意思相同的说法",
    "Q007": "从 stop / howto 里删去这个词，或把它移出同义词组：同一个词不能既被去掉又被当作同义词",
}


def fix_for(code: str) -> str:
    return FIXES.get(code) or GROUPS.get(code[:1], ("", "按提示修改"))[1]


def explain(code: str) -> str | None:
    code = code.strip().upper()
    if code not in CODES:
        return None
    group = GROUPS.get(code[:1], ("其他", ""))[0]
    return f"{code}（{group}）：{CODES[code]}\n怎么改：{fix_for(code)}\n"


def code_table() -> str:
    """The Markdown table of every code, for CONTRIBUTING.md."""
    rows = ["| 代码 | 意思 | 怎么改 |", "|---|---|---|"]
    for code in sorted(CODES, key=lambda c: ("LFSRDPMHQOECB".find(c[0]) % 99, c)):
        rows.append(f"| {code} | {CODES[code]} | {fix_for(code).replace('|', '｜')} |")
    return "\n".join(rows) + "\n"
