"""The typed content model (the front-matter contract) as pydantic v2 models: one class per item type.

Models are strict: YAML already gives typed values (our loader's resolver), so a number where
text belongs, or text where a date belongs, is an error rather than a silent conversion. Field
titles are the Chinese names editors see in messages and in the JSON Schema. Controlled values
are plain `str` here: they are checked against `vocabulary.yml` (data, not code) in `validate`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=False)


class Phrase(Strict):
    """一张话术卡：情境 + 可以直接说出口的话。"""

    when: Text = Field(title="情境", description="什么时候说，例如：客户排队时间较长、情绪急躁")
    say: Text = Field(title="话术", description="员工可以直接说出口的话，30 秒内说完")


# values in one vocabulary field of an item or an outlet's profile (core/validate.py looks each up,
# and an unknown one costs a search for the nearest: 1,000 of them took minutes)
VOCAB_LIST_MAX = 20


class ItemBase(Strict):
    type: str | None = Field(None, title="类型", description="可省略；若填写须与所在文件夹一致")
    title: str = Field(title="标题", min_length=4, max_length=40, description="4–40 个字")
    summary: str = Field(title="摘要", min_length=1, max_length=120, description="一句话摘要，不超过 120 个字")
    tags: list[Text] = Field(default_factory=list, title="标签", max_length=20)
    # 标准问 + 相似问: how staff and customers actually ask; checked in core/questions.py
    questions: list[str] = Field(default_factory=list, title="常见问法", max_length=12,
                                 description="员工或客户会怎么问，一行一句，4–40 个字，最多 12 句")
    customer_groups: list[str] = Field(default_factory=list, title="客户群体", max_length=VOCAB_LIST_MAX)
    roles: list[str] = Field(default_factory=list, title="岗位", max_length=VOCAB_LIST_MAX)
    business: list[str] = Field(default_factory=list, title="业务", max_length=VOCAB_LIST_MAX)
    related: list[str] = Field(default_factory=list, title="相关条目",
                               description="其他条目的 id，如 guides/elderly-customers")
    visibility: Literal["internal", "public"] = Field(
        "internal", title="公开范围", description="internal（内部，默认）或 public（可对外公开）")
    updated: dt.date = Field(title="最近修订", description="YYYY-MM-DD")
    author: str | None = Field(None, title="编写人")
    review_by: dt.date | None = Field(None, title="复核日期", description="过期后检查器提示需要复核")
    basis: list[Text] = Field(default_factory=list, title="依据",
                              description="cases/basis.yml 中登记的制度依据 key，如 elderly-finance-2024")
    privacy_ok: list[Text] = Field(
        default_factory=list, title="隐私检查例外",
        description="检查器误把某段文字当成姓名、住址、座机或邮箱时，把那段原文写在这里（如 黄昏时）；"
                    "只豁免与它完全相同的文字；身份证号、手机号、银行卡号不能豁免")


class Complaint(ItemBase):
    """典型投诉案例"""

    severity: str = Field(title="投诉等级")
    channel: str = Field(title="投诉渠道")
    root_cause: list[str] = Field(title="投诉原因", min_length=1, max_length=VOCAB_LIST_MAX)
    phrases: list[Phrase] = Field(title="话术", min_length=1)


class EmergencyPlan(ItemBase):
    """服务突发事件应急预案"""

    category: str = Field(title="事件类别")
    incident: Text = Field(title="事件", description="例如：突发疾病")
    report_within_minutes: int = Field(title="报告时限（分钟）", gt=0, le=24 * 60)
    duties: dict[str, list[Text]] = Field(title="岗位职责", description="岗位 → 职责列表")
    phrases: list[Phrase] = Field(title="话术", min_length=1)


class Guide(ItemBase):
    """特殊客户、特殊时段、特殊业务服务指引"""

    scope: str = Field(title="范围")
    periods: list[str] = Field(default_factory=list, title="时段", max_length=VOCAB_LIST_MAX)
    phrases: list[Phrase] = Field(title="话术", min_length=3)


def media_src(src: str) -> str:
    """An image path in the one form the site, the packs and the checker read: media/x.webp.
    The web form writes /media/x.webp (its public folder must start with "/"); both name
    cases/media/x.webp, so the form's saves pass the check as saved."""
    return src[1:] if src.startswith("/media/") else src


_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_NAME_DOT = re.compile(rf"(?<={_HAN})\s*[.．・•·]\s*(?={_HAN})")
_NAME_GAP = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")


def person_name(name: str) -> str:
    """A person's name as the packs print and count it: 王 芳 (a two-character name padded to line
    up in a Word table) is 王芳, and 马丽亚.伊斯哈格 is 马丽亚·伊斯哈格; so one person written two
    ways is one person, on every form."""
    return _NAME_GAP.sub("", _NAME_DOT.sub("·", name.strip()))


class Image(Strict):
    src: Text = Field(title="图片路径", description="cases/media/ 下的文件，如 media/rest-corner.jpg")
    caption: str = Field("", title="图片说明")
    consent: bool = Field(False, title="已取得授权", description="图中人物已同意公开展示时写 true")

    @field_validator("src")
    @classmethod
    def _one_form(cls, value: str) -> str:
        return media_src(value)


class MediaLink(Strict):
    name: Text = Field(title="媒体名称")
    url: Text = Field(title="链接", pattern=r"^https?://")


class StoryConsent(Strict):
    customer: bool = Field(False, title="客户已同意", description="客户（或其家属）同意公开这个故事时写 true")
    staff: bool = Field(False, title="员工已同意", description="故事里的员工同意公开时写 true")


class Story(ItemBase):
    """暖心服务故事（浓情暖域）"""

    source: Literal["real", "example"] = Field(
        title="来源", description="real（真实事件）或 example（教学示例，人物和网点为虚构）")
    consent: StoryConsent | None = Field(
        None, title="公开授权", description="真实事件公开时必填：{customer: true, staff: true}")
    date: dt.date = Field(title="事件日期")
    outlet: Text = Field(title="网点")
    staff: list[Text] = Field(title="员工", min_length=1)
    images: list[Image] = Field(default_factory=list, title="图片")
    media: list[MediaLink] = Field(default_factory=list, title="发表媒体")


class Step(Strict):
    name: Text = Field(title="步骤")
    detail: Text = Field(title="要求")
    points: int = Field(title="分值", ge=0, le=100)


class ChecklistEntry(Strict):
    area: Text = Field(title="检查区域")
    item: Text = Field(title="检查项目")


class Standard(ItemBase):
    """服务规范"""

    steps: list[Step] = Field(title="步骤", min_length=1)
    checklist: list[ChecklistEntry] = Field(default_factory=list, title="检查清单")
    form: Literal["网点现状问题诊断表", "浓情暖域验收表"] = Field(
        "网点现状问题诊断表", title="检查清单用于",
        description="checklist 印在培训包的哪张表里：网点现状问题诊断表（默认）或浓情暖域验收表")


class Drill(ItemBase):
    """晨会微演练（5 分钟左右）"""

    minutes: int = Field(title="时长（分钟）", ge=3, le=10, description="3–10 分钟")
    focus: str = Field(title="演练主题")
    phrases: list[Phrase] = Field(default_factory=list, title="话术")


ItemTypeName = Literal["complaint", "emergency", "guide", "story", "standard", "course", "drill"]
MatchField = Literal["customer_groups", "roles", "business", "root_cause", "periods",
                     "category", "scope", "tags", "focus"]


class Draw(Strict):
    type: ItemTypeName = Field(title="条目类型")
    count: int = Field(title="数量", ge=1, le=20)
    match: list[MatchField] = Field(default_factory=list, title="匹配字段",
                                    description="与网点画像匹配的字段，如 customer_groups")


class Course(ItemBase):
    """晚班集中授课课程"""

    day: int = Field(title="第几天晚班", ge=0, le=5, description="1–5：驻点第几天晚班；0：集中大课")
    minutes: int = Field(title="时长（分钟）", gt=0, le=600)
    objectives: list[Text] = Field(title="课程目标", min_length=1)
    draws: list[Draw] = Field(default_factory=list, title="选材规则")


ITEM_MODELS: dict[str, type[ItemBase]] = {
    "complaint": Complaint,
    "emergency": EmergencyPlan,
    "guide": Guide,
    "story": Story,
    "standard": Standard,
    "course": Course,
    "drill": Drill,
}

# folder under cases/ → type
FOLDERS: dict[str, str] = {
    "complaints": "complaint",
    "emergencies": "emergency",
    "guides": "guide",
    "stories": "story",
    "standards": "standard",
    "courses": "course",
    "drills": "drill",
}
TYPE_FOLDERS = {v: k for k, v in FOLDERS.items()}
TYPE_LABELS = {
    "complaint": "投诉案例",
    "emergency": "应急预案",
    "guide": "服务指引",
    "story": "暖心故事",
    "standard": "服务规范",
    "course": "课程",
    "drill": "晨会微演练",
}

# Body headings (`##`) each type must have, in this order.
REQUIRED_HEADINGS: dict[str, list[str]] = {
    "complaint": ["案例经过", "客户诉求", "处理过程", "推荐话术", "根因分析", "改进措施", "讨论题"],
    "emergency": ["适用情形", "处置流程", "参考话术", "报告要求", "演练要点"],
    "guide": ["服务要点", "服务流程", "禁忌"],
    "drill": ["场景", "步骤", "观察要点"],
}
OPTIONAL_HEADINGS: dict[str, list[str]] = {
    "complaint": ["错误示范", "演练脚本"],
    "emergency": ["注意事项"],
    "drill": ["变式"],
}
MIN_BODY_CHARS: dict[str, int] = {"story": 150}

# Which vocabulary each controlled field draws from.
VOCAB_FIELDS: dict[str, str] = {
    "customer_groups": "customer_groups",
    "roles": "roles",
    "business": "business",
    "periods": "periods",
    "severity": "severity",
    "channel": "channel",
    "root_cause": "root_cause",
    "category": "category",
    "scope": "scope",
    "focus": "drill_focus",
}
# A story's source, as its page and a pull request's summary say it.
SOURCE_LABELS = {"real": "真实事件", "example": "教学示例"}
# What each controlled field is called where staff read it (the site's filters and facet pages,
# the search filters, the web form's fields).
VOCAB_LABELS: dict[str, str] = {
    "customer_groups": "客户群体", "roles": "岗位", "business": "业务", "periods": "时段", "severity": "投诉等级",
    "channel": "投诉渠道", "root_cause": "投诉原因", "category": "事件类别", "scope": "范围", "focus": "演练主题",
}
REQUIRED_DUTY_ROLES = ("网点负责人", "大堂经理")


# --- outlets ------------------------------------------------------------------------------

# An outlet file's strings are printed on every page of its pack and its lists fill tables: each
# has the length a real outlet needs (a 5,000-character name kept WeasyPrint busy for minutes, and
# 10,000 staff ran a pack out of memory)
OutletName = Annotated[str, Field(min_length=1, max_length=40)]
OutletLine = Annotated[str, Field(min_length=1, max_length=100)]
PersonName = Annotated[str, Field(min_length=1, max_length=20)]

class Profile(Strict):
    customer_groups: list[str] = Field(title="主要客户群体", min_length=1, max_length=VOCAB_LIST_MAX, description="最重要的在前")
    peak_periods: list[str] = Field(default_factory=list, title="高峰时段", max_length=VOCAB_LIST_MAX)
    mystery_shopper_score: float | None = Field(None, title="神秘人得分", ge=0, le=100)
    complaint_rate: float | None = Field(None, title="投诉率", ge=0)
    recent_complaints: list[OutletName] = Field(default_factory=list, title="近期投诉", max_length=30,
                                          description="投诉原因词表中的值，或自由标签")


CONTACT_KINDS = ("支行值班", "保卫", "运营", "科技报障", "舆情", "客服热线", "急救", "报警", "反诈", "其他")


class Contact(Strict):
    name: OutletName = Field(title="联系对象", description="如：支行保卫部、辖区派出所")
    phone: OutletName = Field(title="电话")
    kind: Literal[CONTACT_KINDS] | None = Field(  # type: ignore[valid-type]
        None, title="类别",
        description="填入应急预案的位置：支行值班、保卫、运营、科技报障、舆情、客服热线（95xxx）、急救、报警、反诈或其他；"
                    "不写时按联系对象的名称判断")


class Results(Strict):
    """导入结果：第5天验收后填写，重新生成培训包时印进总结会的前后对照"""

    mystery_shopper_score: float | None = Field(None, title="自查神秘人得分", ge=0, le=100)
    complaint_rate: float | None = Field(None, title="投诉率", ge=0)
    diagnosis_found: int | None = Field(None, title="诊断发现问题数", ge=0)
    diagnosis_fixed: int | None = Field(None, title="已整改问题数", ge=0)
    warm_zone_before: float | None = Field(None, title="浓情暖域第1天得分", ge=0, le=100)
    warm_zone_after: float | None = Field(None, title="浓情暖域第5天得分", ge=0, le=100)


WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_SPELLINGS = {f"{lead}{d}": f"周{d}" for lead in ("星期", "礼拜", "周") for d in "一二三四五六日"}
_WEEKDAY_SPELLINGS.update({"星期天": "周日", "礼拜天": "周日", "周天": "周日"})


class Outlet(Strict):
    """网点画像：培训包的输入"""

    name: OutletName = Field(title="网点名称")
    branch: OutletName = Field(title="二级分行")
    sub_branch: OutletName | None = Field(None, title="一级支行")
    address: OutletLine | None = Field(None, title="网点地址",
                                 description="如：青溪县石门乡石门街 18 号；印在应急预案的呼救话术和电话栏里")
    big_class_date: dt.date = Field(title="大课日期")
    start_date: dt.date = Field(title="驻点开始日期")
    holidays: list[dt.date] = Field(default_factory=list, title="节假日（跳过）", max_length=60)
    open_days: list[Literal[WEEKDAY_NAMES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(WEEKDAY_NAMES[:5]), title="营业日（驻点日）", min_length=1,
        description="网点营业、可以驻点辅导的日子，默认周一至周五；周六也营业的网点写 [周一, 周二, 周三, 周四, 周五, 周六]")
    opening_hours: OutletLine | None = Field(None, title="营业时间",
                                       description="印在培训包封面，如：周一至周五 8:30—17:00，周六 9:00—12:00")
    project_manager: list[PersonName] = Field(title="项目经理", min_length=1, max_length=10)
    trainers: list[PersonName] = Field(title="驻点培训老师", min_length=2, max_length=10)
    staff: dict[str, Annotated[list[PersonName], Field(max_length=40)]] = Field(
        title="网点人员", max_length=30, description="岗位 → 姓名列表（每个岗位最多 40 人）")
    profile: Profile = Field(title="网点画像")
    backup_trigger: OutletLine | None = Field(None, title="补位触发条件",
                                       description="厅堂高峰期补位的触发条件，由网点自定，如：等候超过 20 人或最长等候超过 30 分钟")
    contacts: list[Contact] = Field(default_factory=list, title="应急联系电话", max_length=50,
                                    description="本行内部或辖区单位的电话，印在应急预案页")
    results: Results | None = Field(None, title="导入结果", description="第5天验收后填写；总结会的前后对照印出这些数字")
    overrides: dict[str, Annotated[list[str], Field(max_length=20)]] = Field(default_factory=dict, title="老师指定选材", max_length=30,
                                            description="课程 id → 条目 id 列表，优先于选材规则")

    @field_validator("staff")
    @classmethod
    def _one_spelling(cls, staff: dict[str, list[str]]) -> dict[str, list[str]]:
        return {role: [person_name(n) for n in names] for role, names in staff.items()}

    @field_validator("open_days", mode="before")
    @classmethod
    def _weekday_spelling(cls, days):
        """星期六, 礼拜六 and 周六 are one day (the model keeps 周六)."""
        if isinstance(days, list):
            return [_WEEKDAY_SPELLINGS.get(d.strip(), d) if isinstance(d, str) else d for d in days]
        return days

    @property
    def weekdays(self) -> frozenset[int]:
        """The open days as date.weekday() numbers (Monday 0)."""
        return frozenset(WEEKDAY_NAMES.index(d) for d in self.open_days)

    @field_validator("project_manager", "trainers")
    @classmethod
    def _one_spelling_each(cls, names: list[str]) -> list[str]:
        return [person_name(n) for n in names]


# --- the programme ----------------------------------------------------------------------------

class Activity(Strict):
    title: Text = Field(title="事项")
    details: list[Text] = Field(default_factory=list, title="内容")


class Evening(Strict):
    kickoff: str | None = Field(None, title="启动会")
    summary: str | None = Field(None, title="晚班总结")
    closing: str | None = Field(None, title="总结会")
    courses: list[str] = Field(default_factory=list, title="集中授课")
    drill: Text = Field(title="晚班演练")


class Day(Strict):
    day: int = Field(title="第几天", ge=1, le=5)
    daytime: list[Activity] = Field(title="白天", min_length=1)
    evening: Evening = Field(title="晚班")
    forms: list[Text] = Field(default_factory=list, title="当天表单")


class BigClass(Strict):
    title: Text = Field(title="名称")
    duration: Text = Field(title="时长")
    activities: list[Activity] = Field(title="内容", min_length=1)
    courses: list[str] = Field(default_factory=list, title="大课课程", description="courses/ 下 day: 0 的课程 id")
    review_by: dt.date | None = Field(None, title="复核日期")


class Programme(Strict):
    title: Text = Field(title="项目名称")
    big_class: BigClass = Field(title="大课")
    days: list[Day] = Field(title="驻点五天", min_length=5, max_length=5)
