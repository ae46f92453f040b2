"""Class exercises on an item page, for the lesson basket's handout: discussion questions and a
role-play for every item type that has none of its own (a complaint case carries its own
讨论题 and 演练脚本). Built from what the item already holds: its summary, roles, duties,
steps, 禁忌 and phrases; for any outlet (the pack writes the outlet's own names instead).
"""
from __future__ import annotations

import re

from ..core import markdown as mdtools
from ..core.validate import Item
from .pagekit import e

OWN = ("讨论题", "演练脚本")
NO_EXERCISES = ("course", "drill")  # a course is the class itself; a drill is an exercise already


def _first_item(section: str) -> str:
    for line in section.splitlines():
        m = re.match(r"\s*(?:[-*+]|\d+[.)])\s+(.*)", line)
        if m:
            return re.sub(r"\*\*|__|`", "", m.group(1)).strip().rstrip("。；;")
    return ""


def exercises(item: Item) -> tuple[list[str], dict[str, object]]:
    """(questions, role-play {roles, scene, steps}) for an item without its own; empty when it has them."""
    # (an item with 讨论题 but no 演练脚本 still gets a role-play: a handout needs both)
    if item.type in NO_EXERCISES or all(mdtools.section(item.body, t) for t in OWN):
        return [], {}
    meta = item.meta
    phrases = list(getattr(meta, "phrases", None) or [])
    roles = list(getattr(meta, "roles", None) or [])
    if item.type == "guide":
        taboo = _first_item(mdtools.section(item.body, "禁忌"))
        qs = [f"我们网点最近一次接待这类客户（{meta.title}）时，哪一步做得好，哪一步还缺？"]
        if taboo:
            qs.append(f"「禁忌」里写着“{taboo[:50]}”：为什么不能这样？遇到时应该怎么说、怎么做？")
        if phrases:
            qs.append(f"“{phrases[-1].when}”：用“结论—原因—办法”三句话讲给同伴听。")
        steps = ["一人扮客户，按摘要的情形来办业务", "员工按「服务流程」一步步接待，用上推荐话术",
                 "观察员对照「禁忌」记下做得不到位的地方，三人轮换"]
        return qs, {"roles": ["客户（由同事扮演）", *(roles or ["大堂经理", "柜面经理"])[:3], "观察员"],
                    "scene": meta.summary, "steps": steps}
    if item.type == "story":
        qs = ["故事里的员工多做了哪一步？如果没做这一步，可能会怎样？",
              "我们网点有没有类似的客户？要做到同样的事，需要什么条件、谁来做？",
              "这个故事要在网点宣传，还要征得谁的同意？哪些细节要删去？"]
        return qs, {"roles": ["客户（由同事扮演）", "员工（故事里的岗位）", "观察员"], "scene": meta.summary,
                    "steps": ["重演故事里最关键的一幕", "换一种更难的情况（客户更着急、人更多）再演一遍",
                              "观察员说出员工用了哪句话、哪个动作"]}
    if item.type == "emergency":
        duty_roles = list(getattr(meta, "duties", {}) or {})
        qs = [f"发现“{meta.incident}”后的第一分钟，谁做什么？请按岗位说出动作。",
              f"这类事件要在 {meta.report_within_minutes} 分钟内报告：报告给谁、说哪些要素？"]
        if phrases:
            qs.append(f"“{phrases[0].when}”时，参考话术怎么说？换成你自己的话再说一遍。")
        return qs, {"roles": ["客户（由培训老师扮演）", *duty_roles], "scene": meta.summary,
                    "steps": ["培训老师宣布情况，开始计时", "各岗位按职责做出第一分钟的动作",
                              "网点负责人完成首次报告（时间、地点、起因、已采取措施）", "复盘：哪一步慢了、谁没有到位"]}
    if item.type == "standard":
        steps = list(getattr(meta, "steps", None) or [])
        if not steps:
            return [], {}
        weakest = max(steps, key=lambda s: s.points)
        qs = [f"对照《{meta.title}》，我们网点最容易失分的是哪一步？为什么？",
              f"“{weakest.name}”分值最高（{weakest.points} 分）：做到位的标准动作是什么？"]
        return qs, {"roles": ["客户（由同事扮演）", *(roles[:2] or ["员工"]), "考核人"], "scene": meta.summary,
                    "steps": [f"按「{s.name}」逐项演示" for s in steps[:4]] + ["考核人按评分表打分，指出失分点"]}
    return [], {}


def exercises_html(item: Item) -> str:
    """The 课堂练习 section of an item page ("" when the item has its own)."""
    questions, play = exercises(item)
    if not questions:
        return ""
    qs = "".join(f"<li>{e(q)}</li>" for q in questions)
    steps = "".join(f"<li>{e(s)}</li>" for s in play.get("steps", []))
    return ('<section class="cb-exercises"><h2 id="exercises">课堂练习</h2>'
            f'<h3>讨论题</h3><ol>{qs}</ol>'
            f'<h3>角色扮演</h3><p><strong>角色：</strong>{e("、".join(play.get("roles", [])))}</p>'
            f'<p><strong>场景：</strong>{e(play.get("scene", ""))}</p><ol>{steps}</ol></section>')
