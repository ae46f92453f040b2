"""One problem found in one file, and the catalogue of problem codes.

Every module reports through `Diagnostic`, so the checker can collect all problems of all
files in one run and print them in one format (text, GitHub annotations or JSON).
"""
from __future__ import annotations

from dataclasses import dataclass, asdict
from enum import Enum

from .terminal import printable_line


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    # something to know that may well be meant (an outlet's start date on a weekend): shown by
    # `check` and printed in the pack, never a failure, not even with --strict
    NOTE = "note"


# Code → what it means (Chinese, shown by `casebook check --explain` and in CONTRIBUTING).
CODES: dict[str, str] = {
    # L: the file cannot be read as a casebook document
    "L001": "文件不是 UTF-8 编码",
    "L002": "文件是空的",
    "L003": "缺少开头的 front matter（第一行应为 ---）",
    "L004": "front matter 没有结束的 --- 行",
    "L005": "YAML 语法错误",
    "L006": "front matter 不是“字段: 值”的映射",
    "L007": "字段重复",
    "L008": "不允许的 YAML 标签",
    "L009": "不支持 YAML 锚点和别名",
    "L010": "文件名不符合规则（只能用小写字母、数字和连字符；docs/ 里不能占用案例库生成页面的地址）",
    "L011": "文件放在了不认识的文件夹里",
    "L012": "Windows 无法保存的文件名（保留名如 con、nul、com1，或不允许的字符）",
    "L050": "不允许的符号链接",
    "L051": "文件名太长",
    "L052": "文件太大",
    # F: a field's value
    "F001": "缺少必填字段",
    "F002": "未知字段",
    "F003": "字段类型不对",
    "F004": "长度或数量不符合要求",
    "F005": "日期无效",
    "F006": "不在词表中的取值",
    "F007": "使用了别名，应改为标准写法",
    "F008": "type 与所在文件夹不一致",
    "F009": "取值超出范围",
    "F010": "模板里还有没填写的内容",
    "F011": "常见问法里有标记或链接",
    "F012": "常见问法重复",
    "F013": "岗位名单里有空白、重复或几个人写在一项里的姓名",
    "F050": "词表取值太长或含有不允许的字符",
    # S: the Markdown body's structure
    "S001": "缺少必需的二级标题",
    "S002": "二级标题顺序不对",
    "S003": "正文太短",
    "S004": "晨会微演练的场景、步骤或观察要点数量不符合要求",
    "S050": "正文太长",
    "S051": "一段里的方括号、反引号、星号或下划线太多",
    # R: references between files
    "R001": "引用的条目不存在",
    "R002": "图片文件不存在",
    "R003": "公开故事里的图片没有取得授权",
    "R004": "条目引用了自己",
    "R005": "公开的真实故事没有记录客户和员工的同意",
    "R006": "晨会微演练没有写明它演练的条目",
    # B: basis, the registry of instruments (cases/basis.yml)
    "B001": "依据不在制度依据登记表中",
    "B002": "依据已失效（已被替代）",
    "B003": "制度依据登记表的条目有误",
    "B004": "本行制度写在了 cases/basis.yml 里（应写在 cases/bank.yml 的 rules）",
    # K: the bank's parameters (cases/bank.yml)
    "K001": "条目引用的本行参数不存在",
    "K002": "条目手写了应由本行参数决定的数",
    "K003": "应急预案的报告时限没有取自本行参数",
    "K010": "本行参数文件的条目有误",
    # C: known-wrong advice (cases/forbidden-phrases.yml)
    "C001": "已知的错误说法",
    "C002": "错误说法列表里的正则表达式无效",
    "C003": "错误说法列表里的正则表达式可能让检查卡住",
    "R070": "正文里的链接指向不存在的条目",
    # D: domain rules
    "D001": "应急预案的职责缺少必需岗位",
    "D002": "日期先后不对",
    "D003": "复核日期已过",
    "D004": "取值重复",
    # P: personal data (privacy guard)
    "P001": "疑似身份证号码",
    "P002": "疑似手机号码",
    "P003": "疑似固定电话号码",
    "P004": "疑似银行卡号或账号",
    "P005": "疑似电子邮箱地址",
    "P006": "疑似详细住址（门牌号）",
    "P101": "疑似客户真实姓名",
    "P102": "privacy_ok 里的例外没有用到",
    "P201": "公开故事里有健康、确切年龄或残障细节",
    # M: images under cases/media/ and docs/
    "M001": "不是可用的图片文件（只收 JPEG、PNG、WebP）",
    "M002": "图片文件太大",
    "M003": "图片像素太多",
    "M004": "图片里带有拍摄地点（GPS）信息",
    "M005": "图片里带有拍摄信息（EXIF）",
    "M006": "图片里带有文字信息（注释、说明、作者、IPTC、XMP、PNG 文字块）",
    # H: unsafe markup (safety guard)
    "H001": "不允许的 HTML 标签",
    "H002": "不允许的事件属性（on…=）",
    "H003": "不允许的链接协议",
    "H004": "不允许的属性列表写法",
    "H050": "不允许的双向文本控制字符",
    "H051": "不允许的外部图片或本地其他位置的图片",
    "H052": "docs/ 页面里不允许的模板语法",
    "H053": "不允许仿造站点的复制按钮",
    "H054": "docs/ 页面的 front matter 和标题只能写纯文字",
    "H055": "docs/ 页面的 front matter 字段与站点的宏或模板变量同名",
    "H056": "不允许的控制字符",
    "H057": "不允许的 HTML 属性（id、class、name、style、data-*）",
    "H058": "条目标题只能写纯文字，不能有 Markdown 标记",
    # Q: search terms (cases/search-terms.yml)
    "Q001": "搜索词文件格式不对",
    "Q002": "搜索词文件里有未知字段",
    "Q003": "搜索词重复",
    "Q004": "这一组搜索词在案例库里一处也找不到",
    "Q005": "搜索词不可用（太短或含空格、符号）",
    "Q006": "一组搜索词少于两个",
    "Q007": "去掉的字词或问法同时是同义词",
    # O: an outlet file as the input of a training pack (casebook pack)
    "O001": "网点文件不存在",
    "O002": "网点文件应为 .yml 或 .yaml 文件",
    "O003": "两个网点文件同名，培训包会写进同一个文件夹",
    "O004": "驻点开始日期不是网点的营业日，已顺延",
    "O005": "岗位没有人员，培训包中相应位置留空待填",
    "O006": "应急预案需要的联系电话没有填写",
    "O007": "案例库有错误，不能生成培训包",
    "O008": "老师指定的条目已在前一晚印出，改为引用",
    "O009": "mkdocs.yml 的 site_url 不是 http(s) 网址，培训包不印二维码",
    "O010": "课程大纲要用的材料当晚没有选到",
    "O011": "近期投诉类型在案例库里没有对应的投诉案例",
    "O012": "同一人在几个岗位上，职责冲突处需要替补",
    "O013": "输出目录里与网点同名的文件夹不是培训包，生成培训包会整个替换它",
    "O014": "大课日期是网点列出的节假日",
    "O015": "五个驻点日之间隔了较长的假期",
    "O016": "项目方案点名演练的突发事件在案例库里没有应急预案",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the library root, with forward slashes
    line: int  # 1-based file line
    col: int  # 1-based column
    severity: Severity
    code: str
    message: str

    def format_text(self) -> str:
        # one line whatever the file name or message holds (core.terminal)
        return (f"{printable_line(self.path)}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: "
                f"{printable_line(self.message)}")

    def format_github(self) -> str:
        # A GitHub workflow command: the message escapes '%', CR and LF; each property also ':'
        # and ',' (a file name may hold a newline and a command of its own, or end the property).
        kind = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(self.severity, "notice")
        title = _property(f"{self.code} {CODES.get(self.code, '')}")
        return f"::{kind} file={_property(self.path)},line={self.line},col={self.col},title={title}::{_data(self.message)}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def error(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(path, max(line, 1), max(col, 1), Severity.ERROR, code, message)


def warning(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(path, max(line, 1), max(col, 1), Severity.WARNING, code, message)


def note(path: str, line: int, col: int, code: str, message: str) -> Diagnostic:
    assert code in CODES, code
    return Diagnostic(path, max(line, 1), max(col, 1), Severity.NOTE, code, message)
