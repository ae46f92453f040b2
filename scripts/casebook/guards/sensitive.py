"""Sensitive-detail guard for public stories: health, exact age and disability.

A public story is read by anyone. Under 个人信息保护法 health and medical information is
sensitive personal information, and an exact age with a date and an outlet makes a customer
identifiable; so a public story should say "一位老人" rather than "八十六岁、中风卧床". The guard
names each phrase it finds (a warning: the editor decides, the checker only points).

Plain function over text: returns findings with offsets, imports nothing else from casebook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# (label, pattern). Kept to words that describe a person's condition, not the bank's services
# (无障碍通道, 爱心座椅 and the like are fine).
_TERMS: list[tuple[str, str]] = [
    ("健康", r"中风|脑梗|脑溢血|偏瘫|瘫痪|卧床|失能|失智|痴呆|阿尔茨海默|帕金森|癌|肿瘤|化疗|透析|"
             r"心脏病|心梗|冠心病|高血压|糖尿病|抑郁症|精神病|精神疾病|住院|手术|病危|绝症|病史|残疾证|怀孕\S{0,3}个?月"),
    ("残障", r"听障|听力障碍|聋哑|失聪|聋人|视障|视力障碍|失明|盲人|截肢|残疾|残障人士|智力障碍|言语障碍|肢体障碍"),
    ("确切年龄", r"(?<![0-9〇零一二三四五六七八九十百两几多来余])"
                 r"(?:[1-9][0-9]{0,2}|[一二三四五六七八九十百]{1,4}) ?岁(?!左右|上下|以上|以下|出头)"),
]
_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, p) in enumerate(_TERMS)))


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    label: str  # 健康 / 残障 / 确切年龄
    phrase: str


def scan(text: str) -> list[Finding]:
    out: list[Finding] = []
    for m in _RE.finditer(text):
        group = next(i for i in range(len(_TERMS)) if m.group(f"g{i}") is not None)
        out.append(Finding(m.start(), m.end(), _TERMS[group][0], m.group(0)))
    return out
