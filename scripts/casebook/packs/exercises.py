"""讨论题 and 演练脚本 for every drawn item, so every evening's course has both.

A complaint carries its own (`## 讨论题`, `## 演练脚本`). Other types are turned into
exercises from what they already hold, with the outlet's staff named in the roles:
an emergency plan from its duties, 处置流程 and 演练要点; a guide from its phrases, 服务流程 and
禁忌; a standard from its steps and points (the 通关); a story from its staff and its turn.
Pure: item + outlet in, plain data out (the template escapes it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core import markdown as mdtools
from ..core.model import Outlet
from ..core.validate import Item
from . import people


@dataclass
class Drill:
    roles: list[str]
    scene: str
    steps: list[str]
    watch: list[str] = field(default_factory=list)
    generated: bool = True


def list_items(section_text: str) -> list[str]:
    """Numbered or bulleted lines of a section, without their markers (top level only)."""
    out = []
    for line in section_text.split("\n"):
        m = re.match(r"^(?:\d+[.、)]|[-*+])\s+(.*)$", line)
        if m:
            out.append(m.group(1).strip())
    return out


def _plain(text: str) -> str:
    return re.sub(r"\*\*|__|`", "", text).strip()


def named(role: str, outlet: Outlet, cast: dict[str, str] | None = None) -> str:
    """The role with its people; with `cast` (person → role already played in this role-play)
    a person plays one role only, and a role whose people all play another needs a stand-in."""
    names = outlet.staff.get(role, [])
    if cast is not None:
        free = [n for n in names if cast.setdefault(n, role) == role]
        if names and not free:
            return f"{role}（{people.STAND_IN}）"
        names = free
    return f"{role}（{'、'.join(names)}）" if names else role


def _roles_line(roles: list[str], outlet: Outlet) -> list[str]:
    cast: dict[str, str] = {}
    return [named(r, outlet, cast) for r in dict.fromkeys(roles)]


def questions_for(item: Item, outlet: Outlet) -> list[str]:
    own = list_items(mdtools.section(item.body, "讨论题"))
    if own:
        return [_plain(q) for q in own]
    meta = item.meta
    name = outlet.name
    if item.type == "emergency":
        qs = [f"在{name}，发现“{meta.incident}”后的第一分钟，谁做什么？请按岗位说出姓名和动作。",
              f"“{meta.incident}”要在 {meta.report_within_minutes} 分钟内报告：报告给谁、说哪些要素？"]
        if meta.phrases:
            qs.append(f"“{meta.phrases[0].when}”时，参考话术怎么说？换成你自己的话再说一遍。")
        return qs
    if item.type == "guide":
        taboo = [_plain(t) for t in list_items(mdtools.section(item.body, "禁忌"))]
        qs = [f"本网点最近一次接待这类客户（{meta.title}）时，哪一步做得好，哪一步还缺？"]
        if taboo:
            rule = taboo[0].rstrip("。；;").replace("“", "‘").replace("”", "’")[:50]
            qs.append(f"「禁忌」里写着“{rule}”：为什么不能这样？遇到时应该怎么说、怎么做？")
        if len(meta.phrases) > 1:
            qs.append(f"“{meta.phrases[-1].when}”：用“结论—原因—办法”三句话讲给同伴听。")
        return qs
    if item.type == "standard":
        weakest = max(meta.steps, key=lambda s: s.points)
        return [f"对照《{meta.title}》，本网点最容易失分的是哪一步？为什么？",
                f"“{weakest.name}”分值最高（{weakest.points} 分）：做到位的标准动作是什么？",
                f"《{meta.title}》通关后，{name}由谁在晨会上持续检查？"]
    if item.type == "story":
        who = "、".join(meta.staff[:2])
        return [f"《{meta.title}》里，{who}比规定多做了哪一步？这一步在{name}由谁来做？",
                f"{name}最近有没有和《{meta.title}》类似的事？请用一分钟讲给大家听。",
                f"对外宣传《{meta.title}》时，哪些客户信息必须隐去？"]
    return []


def drill_for(item: Item, outlet: Outlet) -> Drill | None:
    meta = item.meta
    own = mdtools.section(item.body, "演练脚本")
    if own:
        roles, scene, steps, watch = [], "", [], []
        for line in list_items(own):
            key, _, rest = line.partition("：")
            if key == "角色":
                cast: dict[str, str] = {}
                roles = [named(r.strip(), outlet, cast) for r in re.split(r"[、,，]", rest) if r.strip()]
            elif key == "场景":
                scene = rest
            elif key == "步骤":
                steps = [s.strip() for s in re.split(r"→|->", rest) if s.strip()]
            elif key in ("观察点", "观察要点"):
                watch = [w.strip() for w in re.split(r"[；;]", rest) if w.strip()]
            else:
                steps.append(_plain(line))
        return Drill(roles, scene, steps, watch, generated=False)
    if item.type == "emergency":
        flow = list_items(mdtools.section(item.body, "处置流程"))
        cases = mdtools.section(item.body, "适用情形")
        scene = _plain(cases.split("\n")[0])
        if scene.endswith(("：", ":")):  # "…例如：" followed by a list: the first example is the scene
            first = list_items(cases)
            scene = _plain(first[0]) if first else scene.rstrip("：:")
        scene = scene.rstrip("；;")[:80]
        leader = named("网点负责人", outlet)
        return Drill(_roles_line(["客户（由培训老师扮演）", *meta.duties], outlet), scene,
                     ["培训老师宣布情景，开始计时",
                      f"各岗位按上表职责和「处置流程」（共 {len(flow)} 步）做出第一分钟的动作" if flow else "各岗位按上表职责做出第一分钟的动作",
                      f"{leader}在 {meta.report_within_minutes} 分钟内完成首次报告：地点、时间、起因、涉及人数、已采取措施",
                      "恢复正常营业，培训老师按「演练要点」逐条点评，填写本册《演练记录》"],
                     [f"首次报告是否在 {meta.report_within_minutes} 分钟内", "每个岗位是否说得出、做得到自己的职责",
                      "对客户是否用上了参考话术，而不是沉默或争辩"])
    if item.type == "guide":
        flow = list_items(mdtools.section(item.body, "服务流程"))
        taboo = list_items(mdtools.section(item.body, "禁忌"))
        roles = meta.roles or ["大堂经理", "柜面经理"]
        scene = meta.phrases[0].when if meta.phrases else meta.summary
        steps = [f"{named(roles[0], outlet)}按「服务流程」第 1 步接待客户"]
        if len(flow) > 1:
            steps.append(f"按「服务流程」第 2–{len(flow)} 步走完，每一步用上推荐话术里对应的一句")
        steps.append("角色互换再做一遍，观察员记下漏掉的步骤")
        return Drill(_roles_line(["客户（由同事扮演）", *roles], outlet), scene, steps,
                     ["是否按流程的顺序、没有跳步"] + ([f"是否出现「禁忌」里的 {len(taboo)} 种做法之一"] if taboo else []))
    if item.type == "standard":
        roles = meta.roles or ["大堂经理"]
        return Drill(_roles_line(["客户（由同事扮演）", *roles[:3]], outlet),
                     f"按《{meta.title}》完整走一遍，观察员按通关评分表逐项打分（满分 {sum(s.points for s in meta.steps)} 分）。",
                     [f"{s.name}（{s.points} 分）" for s in meta.steps],
                     [f"“{s.name}”的动作和用语是否到位" for s in sorted(meta.steps, key=lambda s: -s.points)[:2]]
                     + [f"《{meta.title}》得分低于 80 分的，当场重做失分的步骤"])
    if item.type == "story":
        who = meta.staff[0] if meta.staff else "员工"
        return Drill(["讲述人（一名员工）", f"{who}（由同事扮演）", "客户（由同事扮演）"],
                     f"情景再现：{meta.summary}"[:90],
                     [f"讲述人用两分钟讲清《{meta.title}》的时间、地点、人物和经过",
                      f"两人再现“{who}”与客户之间最关键的一段对话",
                      f"其他人说出《{meta.title}》里值得{outlet.name}学的一个细节"],
                     [f"是否讲出了{who}“多做的那一步”", f"讲述《{meta.title}》时是否隐去了客户的个人信息"])
    return None
